package report

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// chart is the geometry of a bar chart of one indicator, one bar per period, in
// fractions of the plot area: 0 is the bottom of the value axis and 1 the top. Each
// renderer (SVG, PDF, PNG, text) scales it to its own units, so every format shows the
// same axis and the same bars.
type chart struct {
	Title    string // e.g. "Jeugdoverlast per jaar"
	Unit     string
	Min, Max float64 // the value axis
	Zero     float64 // where the value 0 lies, as a fraction
	Ticks    []tick
	Bars     []bar
	Alt      string // the chart in words, for screen readers and alt text
}

// tick is a labelled line across the plot.
type tick struct {
	Frac  float64
	Label string
}

// bar is one period's bar. A suppressed value has no bar (Lo == Hi), only its label.
type bar struct {
	Label       string // the period, "2023"
	ValueLabel  string // as printed: "98*", "<5"
	Lo, Hi      float64
	Suppressed  bool
	Provisional bool
}

// targetTicks is about how many steps the value axis is divided in.
const targetTicks = 5

// newChart lays out the bar chart of an indicator.
func newChart(ind Indicator) chart {
	dec := indicatorDecimals(ind)
	c := chart{Title: ind.Name + " per jaar", Unit: ind.Unit}
	lo, hi := 0.0, 0.0
	anySuppressed := false
	for _, v := range ind.Values {
		if suppressed(v.Value, ind.Count) {
			anySuppressed = true
			continue
		}
		lo, hi = math.Min(lo, v.Value), math.Max(hi, v.Value)
	}
	if hi <= lo {
		// Nothing to scale to: show an axis that a small count would fit under.
		hi = lo + 1
		if ind.Count || anySuppressed {
			hi = lo + SmallCount
		}
	}
	minStep := 0.0
	if ind.Count {
		minStep = 1
	}
	c.Min, c.Max, c.Ticks = niceAxis(lo, hi, minStep)
	span := c.Max - c.Min
	frac := func(v float64) float64 { return (v - c.Min) / span }
	c.Zero = frac(0)
	var alt []string
	for _, v := range ind.Values {
		s := showValue(v.Value, v.Provisional, ind.Count, dec)
		b := bar{
			Label:       strconv.Itoa(v.Period),
			ValueLabel:  s.Text,
			Lo:          c.Zero,
			Hi:          c.Zero,
			Suppressed:  s.Suppressed,
			Provisional: v.Provisional,
		}
		if !s.Suppressed {
			f := frac(v.Value)
			b.Lo, b.Hi = math.Min(c.Zero, f), math.Max(c.Zero, f)
		}
		c.Bars = append(c.Bars, b)
		alt = append(alt, b.Label+": "+altValue(s))
	}
	unit := ""
	if ind.Unit != "" {
		unit = " (" + ind.Unit + ")"
	}
	c.Alt = "Staafdiagram van " + lowerFirst(ind.Name) + " per jaar" + unit + ". " +
		strings.Join(alt, "; ") + ". Dezelfde cijfers staan in de tabel."
	return c
}

// altValue is a printed value in words, for alt text.
func altValue(s shown) string {
	t := strings.TrimSuffix(s.Text, provisionalMark)
	if s.Suppressed {
		t = "minder dan 5"
	}
	if s.Provisional {
		t += " (voorlopig)"
	}
	return t
}

// niceAxis chooses a value axis from lo to hi with round steps (1, 2 or 5 times a power
// of ten, at least minStep), and labels its ticks.
func niceAxis(lo, hi, minStep float64) (axisMin, axisMax float64, ticks []tick) {
	step := niceStep((hi - lo) / targetTicks)
	if step < minStep {
		step = minStep
	}
	axisMin = math.Floor(lo/step+1e-9) * step
	axisMax = math.Ceil(hi/step-1e-9) * step
	if axisMax <= axisMin {
		axisMax = axisMin + step
	}
	dec := decimalsFor(step)
	n := int(math.Round((axisMax - axisMin) / step))
	for i := 0; i <= n; i++ {
		v := axisMin + float64(i)*step
		ticks = append(ticks, tick{
			Frac:  float64(i) / float64(n),
			Label: formatNumber(v, dec),
		})
	}
	return axisMin, axisMax, ticks
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range [...]float64{1, 2, 5, 10} {
		if raw <= m*mag*(1+1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// lowerFirst lower-cases the first letter unless the word looks like an abbreviation
// ("HIC", "E33").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) || unicode.IsDigit(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
