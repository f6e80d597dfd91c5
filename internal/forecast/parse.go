package forecast

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MethodNames are the names ParseMethod knows.
func MethodNames() []string {
	return []string{"last-period", "all-history", "kde", "prospective", "sepp"}
}

// DefaultMethods returns every method with the settings chosen on Chicago 2010-2017
// (docs/FORECAST.md), the SEPP fresh, without a fit.
func DefaultMethods() []Method {
	return []Method{
		LastPeriod{Window: 28 * Day},
		AllHistory{},
		KDE{Bandwidth: 100, Window: 0, HalfLife: 2 * 365 * Day},
		ProspectiveHotspot{Bandwidth: 150, Window: 4 * 365 * Day},
		&SEPP{Window: 8 * 365 * Day, Bandwidth: 0, MaxDistance: 250, MaxLag: 60 * Day, MinSigma: 30, RefitEvery: 4},
	}
}

// ParseMethod makes a method from a specification: its name, optionally followed by
// settings as ":key=value", for example
//
//	last-period:window=8w
//	kde:bandwidth=250:window=2y
//	kde:bandwidth=150:halflife=1y
//	prospective:bandwidth=400:window=8w
//	sepp:window=1y:bandwidth=cell:distance=500:lag=60d:refit=4
//
// Distances are metres (a trailing "m" is allowed), periods are durations as
// ParseDuration reads them, window=all means all training data, and for sepp
// bandwidth=cell means a background rate per cell. Settings left out keep the defaults
// of DefaultMethods.
func ParseMethod(spec string) (Method, error) {
	name, rest, _ := strings.Cut(strings.TrimSpace(spec), ":")
	settings := map[string]string{}
	if rest != "" {
		for kv := range strings.SplitSeq(rest, ":") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return nil, fmt.Errorf("method %q: setting %q: want key=value", spec, kv)
			}
			settings[strings.ToLower(k)] = v
		}
	}
	var def Method
	for _, m := range DefaultMethods() {
		if strings.HasPrefix(m.Name(), name+"(") || m.Name() == name {
			def = m
		}
	}
	if def == nil {
		return nil, fmt.Errorf("unknown method %q: want one of %s", name, strings.Join(MethodNames(), ", "))
	}
	p := settingParser{spec: spec, settings: settings}
	var m Method
	switch d := def.(type) {
	case LastPeriod:
		p.duration("window", &d.Window, false)
		m = d
	case AllHistory:
		m = d
	case KDE:
		p.metres("bandwidth", &d.Bandwidth)
		p.duration("window", &d.Window, true)
		p.duration("halflife", &d.HalfLife, false)
		m = d
	case ProspectiveHotspot:
		p.metres("bandwidth", &d.Bandwidth)
		p.duration("window", &d.Window, false)
		m = d
	case *SEPP:
		p.duration("window", &d.Window, false)
		if v, ok := p.settings["bandwidth"]; ok && v == "cell" {
			delete(p.settings, "bandwidth")
			d.Bandwidth = 0
		}
		p.metres("bandwidth", &d.Bandwidth)
		p.metres("distance", &d.MaxDistance)
		p.metres("minsigma", &d.MinSigma)
		p.duration("lag", &d.MaxLag, false)
		p.integer("refit", &d.RefitEvery)
		p.integer("iter", &d.MaxIter)
		m = d
	}
	if p.err != nil {
		return nil, p.err
	}
	if len(settings) > 0 {
		keys := make([]string, 0, len(settings))
		for k := range settings {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return nil, fmt.Errorf("method %q: unknown setting %s", spec, strings.Join(keys, ", "))
	}
	return m, nil
}

// settingParser takes settings out of the map as it reads them, so that what is left
// was not understood; it keeps the first error.
type settingParser struct {
	spec     string
	settings map[string]string
	err      error
}

func (p *settingParser) take(key string) (string, bool) {
	v, ok := p.settings[key]
	delete(p.settings, key)
	return v, ok && p.err == nil
}

func (p *settingParser) duration(key string, dst *time.Duration, allowAll bool) {
	v, ok := p.take(key)
	if !ok {
		return
	}
	if allowAll && v == "all" {
		*dst = 0
		return
	}
	d, err := ParseDuration(v)
	if err != nil {
		p.err = fmt.Errorf("method %q: %s: %w", p.spec, key, err)
		return
	}
	*dst = d
}

func (p *settingParser) metres(key string, dst *float64) {
	v, ok := p.take(key)
	if !ok {
		return
	}

	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "m"), 64)
	if err != nil || !(f > 0) || f > 1e6 {
		p.err = fmt.Errorf("method %q: %s %q: want a positive number of metres", p.spec, key, v)
		return
	}
	*dst = f
}

func (p *settingParser) integer(key string, dst *int) {
	v, ok := p.take(key)
	if !ok {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		p.err = fmt.Errorf("method %q: %s %q: want a positive whole number", p.spec, key, v)
		return
	}
	*dst = n
}
