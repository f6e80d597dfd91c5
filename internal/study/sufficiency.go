package study

import (
	"fmt"
	"math"
	"strings"

	"baken/internal/analysis"
)

// The rules of when there are enough events, in one place. Every statistic Baken shows
// rests on an approximation or on counts that need a minimum of events; below it, the
// map or table would show noise that looks like a finding. The command line, the API and
// the web pages all ask these functions, and say what to change instead of drawing.

// Gi* hotspots. With many events per neighbourhood GiStar's normal p-values are good;
// with few, the neighbourhood sums are skewed and false hotspots slip through. Measured on
// random maps of 2,500 cells (analysis.GiStar, radius 1, so 9 cells per neighbourhood,
// q <= 0.05): an average of 1 event per cell (9 per neighbourhood) gave at least one false
// hotspot on 30% of the maps, 5 per cell (45 per neighbourhood) on 10%, 20 per cell (180
// per neighbourhood) the nominal 5%. Below 45 per neighbourhood Baken therefore computes
// the p-values exactly under conditional randomization (analysis.PValueExact): on the same
// maps at most 3% had a false hotspot at 1, 5 and 20 events per cell. What limits a sparse
// map then is power, not false hotspots: on maps of 1 event per cell a 3 x 3 block at 6
// times the background had most of its cells hot on 9 maps of 10, at 4 times about a third
// of them. Below 1 event per cell (9 per neighbourhood) most cells are empty and that has
// not been measured, so Baken draws no map. The rule is on the mean number of events per
// neighbourhood, so that it holds for any radius. Only sparse maps get the exact p-values:
// being a permutation test, it weighs where the high counts lie and not how high they are,
// so a few very dense clusters among many quiet cells can fall short of significance,
// where the normal, good at those numbers, finds them.
const (
	// HotspotMinPerNeighbourhood is the least mean number of events per Gi*
	// neighbourhood for a hotspot map: below it, Baken shows no map.
	HotspotMinPerNeighbourhood = 9
	// HotspotNormalPerNeighbourhood is where the normal p-values take over from the exact
	// ones; below it the map is shown with a caution about power.
	HotspotNormalPerNeighbourhood = 45
	// HotspotGoodPerNeighbourhood is where the normal p-values' false-map rate reaches the
	// nominal 5%; between HotspotNormalPerNeighbourhood and it, the map is shown with a
	// caution.
	HotspotGoodPerNeighbourhood = 180
)

// Hot times. HotTimes' chi-square test and its residuals per hour rest on the normal
// approximation, which wants about 5 expected events in each of the 168 hours of the
// week (Cochran's rule for goodness-of-fit tests): 840 events with a known time of day.
// Below that the counts are shown, but neither the test nor the hours that stand out.
const (
	HotTimesMinPerHour = 5
	HotTimesMinEvents  = HotTimesMinPerHour * 7 * 24
)

// Near-repeat. The Knox test's Monte Carlo p-value is valid for any number of events,
// but with few pairs close in space and time the ratio swings with one pair more or
// less. Baken states a risk zone only when the permutations expect at least 5 pairs in
// the nearest band (closest distance, shortest time), the usual minimum for a count
// test.
const NearRepeatMinExpected = 5

// Forecasts. The same minimums forecast.Evaluate uses to score a step (its defaults,
// passed explicitly where Baken evaluates): a forecast needs at least 30 training events,
// and at least 5 events per horizon on average in the training data, or it could never
// be checked.
const (
	ForecastMinTrain = 30
	ForecastMinTest  = 5
)

// Level is how far the data carry a statistic.
type Level string

const (
	// Enough: the statistic behaves as documented.
	Enough Level = "enough"
	// Caution: shown, but with a higher chance of a false finding than nominal, which
	// the verdict states.
	Caution Level = "caution"
	// TooFew: not shown; the verdict says what to change.
	TooFew Level = "too-few"
)

// Advice is one change that would give enough events.
type Advice struct {
	// Change is what to change: "cell" (larger cells, Value in metres), "radius" (a larger
	// neighbourhood, Value in cells), "period" (a longer period, Value the factor, or 0
	// when no factor can be given), "horizon" (a longer forecast period, Value in days),
	// "categories" (more categories, or a theme instead of a category), "bands" (wider
	// near-repeat bands, Value the first distance band in metres), "area" (a larger
	// area).
	Change string  `json:"change"`
	Value  float64 `json:"value,omitempty"`
}

// Verdict says whether there are enough events for a statistic, with the numbers: the
// measure the rule is on, what the selection has and what it needs, and what to change.
type Verdict struct {
	Statistic string   `json:"statistic"` // hotspots, hot-times, near-repeat, forecast
	Level     Level    `json:"level"`
	Measure   string   `json:"measure"` // what Have and Need count
	Have      float64  `json:"have"`
	Need      float64  `json:"need"`
	Events    int      `json:"events"`
	Advice    []Advice `json:"advice"`
	// PValues is how a hotspot map's p-values are computed when it is shown: "exact"
	// below HotspotNormalPerNeighbourhood, "normal" from it; empty otherwise.
	PValues string `json:"p_values,omitempty"`
	// Message says it in English, with the numbers, for the command line and the API.
	Message string `json:"message"`
}

// Uneven reports whether a hotspot verdict is HotspotUnevenVerdict's: too few events
// for the normal p-values, and too uneven ones for the exact.
func (v Verdict) Uneven() bool {
	return v.Statistic == "hotspots" && v.Level == TooFew && v.Need == HotspotNormalPerNeighbourhood
}

// HotspotPValues returns the p-value method of a hotspot map the verdict allows.
func (v Verdict) HotspotPValues() analysis.PValueMethod {
	if v.PValues == "exact" {
		return analysis.PValueExact
	}
	return analysis.PValueNormal
}

// OK reports whether the statistic may be shown.
func (v Verdict) OK() bool { return v.Level != TooFew }

// HotspotVerdict applies the Gi* rule: events in studyCells cells of cell metres, with
// neighbourhoods of radius cells (0 means 1).
func HotspotVerdict(events, studyCells int, cell float64, radius int) Verdict {
	if radius <= 0 {
		radius = 1
	}
	w := float64((2*radius + 1) * (2*radius + 1))
	v := Verdict{Statistic: "hotspots", Measure: "events per neighbourhood", Need: HotspotMinPerNeighbourhood, Events: events,
		Advice: []Advice{}}
	if studyCells > 0 {
		v.Have = float64(events) / float64(studyCells) * math.Min(w, float64(studyCells))
	}
	nb := fmt.Sprintf("%.0f cells of %g m", w, cell)
	switch {
	case studyCells < 2:
		v.Level = TooFew
		v.Advice = []Advice{{Change: "area"}}
		v.Message = fmt.Sprintf("the study area holds %d cells of %g m: a hotspot analysis compares cells, so it needs at least 2. %s",
			studyCells, cell, adviceText(v.Advice))
	case events == 0:
		v.Level = TooFew
		v.Advice = []Advice{{Change: "period"}, {Change: "categories"}}
		v.Message = fmt.Sprintf("no events in the study area: there is no hotspot map to draw. %s", adviceText(v.Advice))
	case v.Have < HotspotMinPerNeighbourhood:
		v.Level = TooFew
		v.Advice = hotspotAdvice(v.Have, cell, radius)
		v.Message = fmt.Sprintf("too few events for a hotspot map: %d events in %d cells give %.1f per neighbourhood (%s); "+
			"Gi* needs at least %d: with fewer most cells are empty and a cluster can hardly be told from chance. %s",
			events, studyCells, v.Have, nb, HotspotMinPerNeighbourhood, adviceText(v.Advice))
	case v.Have < HotspotNormalPerNeighbourhood:
		v.Level, v.PValues = Caution, "exact"
		v.Message = fmt.Sprintf("%.1f events per neighbourhood (%s): too few for the normal approximation, so the p-values are "+
			"exact (conditional randomization), which keeps false hotspots at the nominal rate; with this few events only "+
			"clusters of several times the average show, so a map without hotspots does not mean an even spread", v.Have, nb)
	case v.Have < HotspotGoodPerNeighbourhood:
		v.Level, v.PValues = Caution, "normal"
		v.Message = fmt.Sprintf("%.0f events per neighbourhood (%s): enough for a map, but below %d random data would still show "+
			"a false hotspot on up to 1 map in 10 (nominally 1 in 20)", v.Have, nb, HotspotGoodPerNeighbourhood)
	default:
		v.Level, v.PValues = Enough, "normal"
		v.Message = fmt.Sprintf("%.0f events per neighbourhood (%s): enough for the false discovery rate to hold", v.Have, nb)
	}
	return v
}

// HotspotUnevenVerdict is the verdict on a sparse map (one whose verdict asked for exact
// p-values) whose exact p-values cannot be computed because one cell holds very many
// events, largest, beside sparse ones: a default location that many registrations were
// given, for example. The normal p-values need HotspotNormalPerNeighbourhood, so below
// that Baken draws no map.
func HotspotUnevenVerdict(v Verdict, largest int, cell float64, radius int) Verdict {
	if radius <= 0 {
		radius = 1
	}
	w := (2*radius + 1) * (2*radius + 1)
	v.Level, v.PValues, v.Need = TooFew, "", HotspotNormalPerNeighbourhood
	v.Advice = hotspotAdviceFor(HotspotNormalPerNeighbourhood, v.Have, cell, radius)
	v.Message = fmt.Sprintf("too few events for a hotspot map with normal p-values: %.1f per neighbourhood (%d cells of %g m), "+
		"which need at least %d; and one cell holds %d events, too many beside the others for exact ones "+
		"(a default location of registrations without an address?). %s",
		v.Have, w, cell, HotspotNormalPerNeighbourhood, largest, adviceText(v.Advice))
	return v
}

// hotspotAdvice is the cell size, radius and period that would reach the minimum.
func hotspotAdvice(have, cell float64, radius int) []Advice {
	return hotspotAdviceFor(HotspotMinPerNeighbourhood, have, cell, radius)
}

// hotspotAdviceFor is the cell size, radius and period that would reach need events per
// neighbourhood.
func hotspotAdviceFor(need, have, cell float64, radius int) []Advice {
	f := need / math.Max(have, 0.01)
	w := float64((2*radius + 1) * (2*radius + 1))
	// A neighbourhood holds events in proportion to its area: cells sqrt(f) times as wide,
	// or enough cells around each.
	size := math.Ceil(cell*math.Sqrt(f)/25) * 25
	r := int(math.Ceil((math.Sqrt(w*f) - 1) / 2))
	return []Advice{
		{Change: "cell", Value: size},
		{Change: "radius", Value: float64(max(r, radius+1))},
		{Change: "period", Value: math.Ceil(f*10) / 10},
		{Change: "categories"},
	}
}

// HotTimesVerdict applies the hot-times rule to the number of events with a time of day.
func HotTimesVerdict(events int) Verdict {
	v := Verdict{Statistic: "hot-times", Measure: "events per hour of the week", Have: float64(events) / (7 * 24),
		Need: HotTimesMinPerHour, Events: events, Advice: []Advice{}}
	if events >= HotTimesMinEvents {
		v.Level = Enough
		v.Message = fmt.Sprintf("%d events with a time of day, %.1f per hour of the week: enough to test the week", events, v.Have)
		return v
	}
	v.Level = TooFew
	f := float64(HotTimesMinEvents) / math.Max(float64(events), 1)
	v.Advice = []Advice{{Change: "period", Value: math.Ceil(f*10) / 10}, {Change: "categories"}}
	v.Message = fmt.Sprintf("too few events to say which hours stand out: %d events with a time of day, %.1f per hour of the week; "+
		"the test needs %d per hour (%d events). The counts are shown without the test. %s",
		events, v.Have, HotTimesMinPerHour, HotTimesMinEvents, adviceText(v.Advice))
	return v
}

// NearRepeatVerdict applies the near-repeat rule: events tested, and the pairs the
// permutations expect in the nearest band (firstSpace metres, firstDays days).
func NearRepeatVerdict(events int, expected, firstSpace, firstDays float64) Verdict {
	v := Verdict{Statistic: "near-repeat", Measure: "expected pairs in the nearest band", Have: expected,
		Need: NearRepeatMinExpected, Events: events, Advice: []Advice{}}
	if expected >= NearRepeatMinExpected {
		v.Level = Enough
		v.Message = fmt.Sprintf("%.1f pairs expected within %g m and %g days: enough to judge a near-repeat pattern", expected, firstSpace, firstDays)
		return v
	}
	v.Level = TooFew
	if expected > 0 {
		f := NearRepeatMinExpected / expected
		v.Advice = []Advice{
			{Change: "period", Value: math.Ceil(math.Sqrt(f)*10) / 10}, // pairs grow with the square of the events
			{Change: "categories"},
			{Change: "bands", Value: math.Ceil(firstSpace*math.Sqrt(f)/50) * 50},
		}
	} else {
		v.Advice = []Advice{{Change: "period"}, {Change: "categories"}}
	}
	v.Message = fmt.Sprintf("too few events to judge a near-repeat pattern: %d events, %.1f pairs expected within %g m and %g days; "+
		"a risk zone needs at least %d. %s", events, expected, firstSpace, firstDays, NearRepeatMinExpected, adviceText(v.Advice))
	return v
}

// ForecastVerdict applies the forecast rule: train events over span of training data,
// forecasting horizon days ahead.
func ForecastVerdict(train int, spanDays, horizonDays float64) Verdict {
	perHorizon := 0.0
	if spanDays > 0 {
		perHorizon = float64(train) / spanDays * horizonDays
	}
	v := Verdict{Statistic: "forecast", Measure: "events per horizon", Have: perHorizon, Need: ForecastMinTest, Events: train, Advice: []Advice{}}
	switch {
	case train < ForecastMinTrain:
		v.Level = TooFew
		v.Advice = []Advice{{Change: "period", Value: math.Ceil(float64(ForecastMinTrain)/math.Max(float64(train), 1)*10) / 10}, {Change: "categories"}}
		v.Message = fmt.Sprintf("too few events for a forecast: %d training events, at least %d needed. %s", train, ForecastMinTrain, adviceText(v.Advice))
	case perHorizon < ForecastMinTest:
		v.Level = TooFew
		v.Advice = []Advice{{Change: "horizon", Value: math.Ceil(horizonDays * ForecastMinTest / math.Max(perHorizon, 0.01))}, {Change: "categories"}}
		v.Message = fmt.Sprintf("too few events for a forecast: %.1f events per %g days on average; a forecast that could be checked "+
			"needs %d per horizon. %s", perHorizon, horizonDays, ForecastMinTest, adviceText(v.Advice))
	default:
		v.Level = Enough
		v.Message = fmt.Sprintf("%d training events, %.1f per %g days", train, perHorizon, horizonDays)
	}
	return v
}

// adviceText says the advice in English.
func adviceText(as []Advice) string {
	var parts []string
	for _, a := range as {
		switch a.Change {
		case "cell":
			parts = append(parts, fmt.Sprintf("cells of at least %g m", a.Value))
		case "radius":
			parts = append(parts, fmt.Sprintf("a radius of %g cells", a.Value))
		case "period":
			if a.Value > 0 {
				parts = append(parts, fmt.Sprintf("a period %g times as long", a.Value))
			} else {
				parts = append(parts, "a longer period")
			}
		case "area":
			parts = append(parts, "a larger area (the wijk or the whole municipality)")
		case "horizon":
			parts = append(parts, fmt.Sprintf("a horizon of at least %g days", a.Value))
		case "bands":
			parts = append(parts, fmt.Sprintf("a first distance band of %g m", a.Value))
		case "categories":
			parts = append(parts, "more categories (a theme instead of one category)")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Use " + strings.Join(parts, ", or ") + "."
}
