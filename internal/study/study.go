// Package study provides the analyses Baken shows of a selection of registrations (or of
// events from a file): Getis-Ord Gi* hotspots on a grid over the study area, the
// hour-by-weekday pattern, the Knox near-repeat test with its risk zone, and forecasts per
// cell with their stored evaluations. It is where the command line, the API and the web
// pages meet package analysis and package forecast: one selection, one study area, and one
// set of rules (sufficiency.go) for when there are too few events to show anything but
// noise. It works on places and times only, never on persons.
package study

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/forecast"
	"baken/internal/geo"
	"baken/internal/store"
)

// Selection is which of a municipality's registrations an analysis is about.
type Selection struct {
	Gemeente string
	Wijk     string // "" or a wijk of Gemeente
	Buurt    string // "" or a buurt of Gemeente
	// Categories are the category codes; nil means every category. A theme is given as
	// its categories.
	Categories []string
	Sources    []string // nil: every source
	// From and To are local days (YYYY-MM-DD), inclusive; "" leaves the period open.
	From, To string
}

// Check validates the selection's codes and days. Errors name the field as the API and
// the pages call it: gemeente, wijk, buurt, from, to.
func (s Selection) Check() error {
	var errs baken.FieldErrors
	if l, err := baken.LevelOfCode(s.Gemeente); err != nil || l != baken.LevelGemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "%q is not a CBS gemeente code (GM0384)", s.Gemeente))
	}
	for _, c := range []struct {
		field, code string
		level       baken.AreaLevel
	}{{"wijk", s.Wijk, baken.LevelWijk}, {"buurt", s.Buurt, baken.LevelBuurt}} {
		if c.code == "" {
			continue
		}
		if l, err := baken.LevelOfCode(c.code); err != nil || l != c.level {
			errs = append(errs, baken.Errorf(baken.Invalid, c.field, "%q is not a CBS %s code", c.code, c.level))
		} else if s.Gemeente != "" && baken.GemeenteOfCode(c.code) != s.Gemeente {
			errs = append(errs, baken.Errorf(baken.Invalid, c.field, "%s is not in %s", c.code, s.Gemeente))
		}
	}
	for _, d := range []struct{ field, day string }{{"from", s.From}, {"to", s.To}} {
		if _, err := time.Parse(time.DateOnly, d.day); d.day != "" && err != nil {
			errs = append(errs, baken.Errorf(baken.Invalid, d.field, "%q is not a day (YYYY-MM-DD)", d.day))
		}
	}
	if s.From != "" && s.To != "" && s.From > s.To {
		errs = append(errs, baken.Errorf(baken.Invalid, "to", "%s is before from (%s)", s.To, s.From))
	}
	return errs.Err()
}

// Area returns the code of the smallest area selected: the buurt, else the wijk, else the
// gemeente.
func (s Selection) Area() string {
	switch {
	case s.Buurt != "":
		return s.Buurt
	case s.Wijk != "":
		return s.Wijk
	}
	return s.Gemeente
}

// Filter is the store's filter of the selection.
func (s Selection) Filter() store.RegistrationFilter {
	return store.RegistrationFilter{Gemeenten: []string{s.Gemeente}, Wijk: s.Wijk, Buurt: s.Buurt,
		Categories: s.Categories, Sources: s.Sources, From: s.From, To: s.To}
}

// EvalKey is the canonical text of a selection for stored evaluations: the area, the
// categories and sources (sorted), the cell size and the horizon. The period is not part
// of it: an evaluation by rolling origin chooses its own, and a map of any period shows
// the latest evaluation of the same kind of data. The same selection always gives the
// same key, however its categories were given (a theme or its categories).
func (s Selection) EvalKey(cell float64, horizon time.Duration) string {
	v := url.Values{}
	v.Set("area", s.Area())
	if len(s.Categories) > 0 {
		v.Set("categories", strings.Join(sortedUnique(s.Categories), ","))
	}
	if len(s.Sources) > 0 {
		v.Set("sources", strings.Join(sortedUnique(s.Sources), ","))
	}
	v.Set("cell", strconv.FormatFloat(cell, 'f', -1, 64))
	v.Set("horizon", forecast.FormatDuration(horizon))
	return v.Encode() // sorted by name
}

// EvalCommand is the command line that evaluates forecasts on the selection and stores
// the result under the key EvalKey gives, for pages that show "not evaluated yet".
func (s Selection) EvalCommand(cell float64, horizon time.Duration) string {
	parts := []string{"baken eval forecast", "--gemeente " + s.Gemeente}
	if s.Wijk != "" {
		parts = append(parts, "--wijk "+s.Wijk)
	}
	if s.Buurt != "" {
		parts = append(parts, "--buurt "+s.Buurt)
	}
	if len(s.Categories) > 0 {
		parts = append(parts, "--category "+strings.Join(sortedUnique(s.Categories), ","))
	}
	if len(s.Sources) > 0 {
		parts = append(parts, "--source "+strings.Join(sortedUnique(s.Sources), ","))
	}
	parts = append(parts, "--cell "+strconv.FormatFloat(cell, 'f', -1, 64), "--horizon "+forecast.FormatDuration(horizon), "--save")
	return strings.Join(parts, " ")
}

// ParseEvalKey reads a key made by EvalKey back, for showing what an evaluation was on.
func ParseEvalKey(key string) (area string, categories, sources []string, cell float64, horizon string) {
	v, err := url.ParseQuery(key)
	if err != nil {
		return "", nil, nil, 0, ""
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	cell, _ = strconv.ParseFloat(v.Get("cell"), 64)
	return v.Get("area"), split(v.Get("categories")), split(v.Get("sources")), cell, v.Get("horizon")
}

func sortedUnique(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

// Data are the events of a selection, ready for analysis, in a metric plane (RD New for
// the store's registrations).
type Data struct {
	// Events are all events with a place, in order of time.
	Events []analysis.Event
	// Timed are the events whose time of day is known (to the minute): the hot times.
	Timed []analysis.Event
	// Dated are the events whose day is known (to the minute or the day): near-repeat.
	Dated []analysis.Event
	// Area is the study area; nil means the cells with at least one event.
	Area *forecast.StudyArea
	// ToWGS84 takes the plane's coordinates back to longitude and latitude.
	ToWGS84 func(x, y float64) (lon, lat float64)
	// Last is the time of the latest event (zero without events).
	Last time.Time
}

// FromEvents makes Data of events from a file, all of whose times are taken as known to
// the minute (a file of dates only puts everything at midnight: leave hot times out).
func FromEvents(evs []analysis.Event, area *forecast.StudyArea, toWGS84 func(x, y float64) (lon, lat float64)) Data {
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b analysis.Event) int { return a.T.Compare(b.T) })
	d := Data{Events: evs, Timed: evs, Dated: evs, Area: area, ToWGS84: toWGS84}
	if len(evs) > 0 {
		d.Last = evs[len(evs)-1].T
	}
	return d
}

// Load reads the selection's registrations with a place from the store, as the actor in
// ctx may see them, and the study area: the outline of the buurt or wijk selected, or of
// the municipality's buurten (its wijken, or the municipality itself, where buurten are
// not loaded), in the vintage in force at the end of the period. Without any loaded
// outline the study area is the cells with an event.
func Load(ctx context.Context, db *store.DB, sel Selection) (Data, error) {
	if err := sel.Check(); err != nil {
		return Data{}, err
	}
	pts, err := db.Points(ctx, sel.Filter())
	if err != nil {
		return Data{}, fmt.Errorf("load selection: %w", err)
	}
	d := Data{ToWGS84: geo.RDToWGS84}
	for _, p := range pts {
		e := analysis.Event{X: p.X, Y: p.Y, T: p.At}
		d.Events = append(d.Events, e)
		switch p.Precision {
		case baken.PrecisionMinute:
			d.Timed = append(d.Timed, e)
			d.Dated = append(d.Dated, e)
		case baken.PrecisionDay:
			d.Dated = append(d.Dated, e)
		}
	}
	if n := len(d.Events); n > 0 {
		d.Last = d.Events[n-1].T
	}
	if d.Area, err = studyArea(ctx, db, sel); err != nil {
		return Data{}, fmt.Errorf("load selection: %w", err)
	}
	return d, nil
}

// studyArea returns the outline of the selection's area in RD New, or nil when no
// outline of it is loaded.
func studyArea(ctx context.Context, db *store.DB, sel Selection) (*forecast.StudyArea, error) {
	year := 9999
	if sel.To != "" {
		year, _ = strconv.Atoi(sel.To[:4])
	}
	var tries []store.AreaFilter
	gm := sel.Gemeente
	switch code := sel.Area(); {
	case sel.Buurt != "" || sel.Wijk != "":
		tries = append(tries, store.AreaFilter{Code: &code, WithGeometry: true})
	default:
		buurt, wijk := baken.LevelBuurt, baken.LevelWijk
		tries = append(tries,
			store.AreaFilter{Gemeente: &gm, Level: &buurt, WithGeometry: true},
			store.AreaFilter{Gemeente: &gm, Level: &wijk, WithGeometry: true},
			store.AreaFilter{Code: &gm, WithGeometry: true})
	}
	for _, f := range tries {
		areas, err := db.FindAreas(ctx, f)
		if err != nil {
			return nil, err
		}
		areas = inForce(areas, year)
		var mp orb.MultiPolygon
		for _, a := range areas {
			g, err := geo.FromStored(a)
			if err != nil {
				continue // an area without a shape does not bound anything
			}
			mp = append(mp, g.Geometry...)
		}
		if len(mp) == 0 {
			continue
		}
		return outlineArea(sel.Area(), geo.NewOutline(mp)), nil
	}
	return nil, nil
}

// inForce keeps the areas of the vintage in force in year: the latest not after it, else
// the earliest loaded. areas are ordered by year.
func inForce(areas []baken.Area, year int) []baken.Area {
	vintage := 0
	for _, a := range areas {
		if a.Year <= year || vintage == 0 {
			vintage = a.Year
		}
	}
	var out []baken.Area
	for _, a := range areas {
		if a.Year == vintage {
			out = append(out, a)
		}
	}
	return out
}

// outlineArea is a study area in RD New of a WGS84 outline: a cell belongs to it when
// its centre does.
func outlineArea(name string, o geo.Outline) *forecast.StudyArea {
	a := &forecast.StudyArea{Name: name, MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1),
		Contains: func(x, y float64) bool { return o.Contains(geo.RDToWGS84(x, y)) }}
	for _, p := range o.Geometry {
		for _, r := range p {
			for _, pt := range r {
				x, y := geo.WGS84ToRD(pt.Lon(), pt.Lat())
				a.MinX, a.MaxX = math.Min(a.MinX, x), math.Max(a.MaxX, x)
				a.MinY, a.MaxY = math.Min(a.MinY, y), math.Max(a.MaxY, y)
			}
		}
	}
	return a
}

// grid returns the grid of cells of size metres over the study area and the events, and
// which of its cells are study cells.
func grid(evs []analysis.Event, area *forecast.StudyArea, size float64) (analysis.Grid, []bool, error) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, e := range evs {
		minX, maxX = math.Min(minX, e.X), math.Max(maxX, e.X)
		minY, maxY = math.Min(minY, e.Y), math.Max(maxY, e.Y)
	}
	if area != nil {
		minX, maxX = math.Min(minX, area.MinX), math.Max(maxX, area.MaxX)
		minY, maxY = math.Min(minY, area.MinY), math.Max(maxY, area.MaxY)
	}
	if math.IsInf(minX, 0) {
		return analysis.Grid{}, nil, fmt.Errorf("no events and no study area to lay a grid over")
	}
	g, err := analysis.NewGrid(minX, minY, maxX, maxY, size)
	if err != nil {
		return analysis.Grid{}, nil, err
	}
	mask := make([]bool, g.Cells())
	if area != nil && area.Contains != nil {
		for i := range mask {
			mask[i] = area.Contains(g.Center(i))
		}
	} else {
		for _, e := range evs {
			if i, ok := g.Cell(e.X, e.Y); ok {
				mask[i] = true
			}
		}
	}
	return g, mask, nil
}

// DemoSource is the source of generated demo registrations.
const DemoSource = "demo"

// Generated reports whether the selection holds generated demo registrations, which
// every page and answer that counts them must say.
func Generated(ctx context.Context, db *store.DB, sel Selection) (bool, error) {
	if len(sel.Sources) > 0 && !slices.Contains(sel.Sources, DemoSource) {
		return false, nil
	}
	pts, err := db.Trend(ctx, store.RollupFilter{Gemeenten: []string{sel.Gemeente}, Area: sel.Area(), Categories: sel.Categories,
		Sources: []string{DemoSource}, From: sel.From, To: sel.To}, store.IntervalYear)
	if err != nil {
		return false, fmt.Errorf("generated: %w", err)
	}
	return slices.ContainsFunc(pts, func(p store.TrendPoint) bool { return p.Count+p.Coarse > 0 }), nil
}
