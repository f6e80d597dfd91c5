package programme

import (
	"math"
	"strconv"
	"strings"

	"baken/internal/baken"
	"baken/internal/report"
)

// Verdict is the judgement of an objective with what it rests on.
type Verdict struct {
	Judgement report.Judgement
	Target    *report.YearValue // the target judged against; nil when there is none
	// Actual is the latest known value up to the programme year; nil when there is
	// none. It is the value judged when the judgement is on or off track.
	Actual *report.YearValue
	Why    Reason // why the judgement is what it is, in a form any language can word
	Reason string // Why as one Dutch sentence, printed in the progress report
}

// ReasonKind says why a verdict is what it is.
type ReasonKind string

const (
	NoIndicator      ReasonKind = "no-indicator"       // no indicator is linked to the objective
	NoBaseline       ReasonKind = "no-baseline"        // no baseline is recorded
	BaselineNotKnown ReasonKind = "baseline-not-known" // the baseline of Year was not known yet on the reference date
	NoTarget         ReasonKind = "no-target"          // no target for Year (the programme year) or later
	NoDirection      ReasonKind = "no-direction"       // not recorded whether the indicator should go down or up
	NoValue          ReasonKind = "no-value"           // no value after the baseline of Year known yet
	// The actual value compared with the path from the baseline to the target: it is
	// higher, not higher, lower or not lower than the path's value in its year.
	Higher    ReasonKind = "higher"     // down, off track
	NotHigher ReasonKind = "not-higher" // down, on track
	Lower     ReasonKind = "lower"      // up, off track
	NotLower  ReasonKind = "not-lower"  // up, on track
)

// Reason is why a verdict is what it is: a kind and the values its sentence names.
// With a comparison (Higher, NotHigher, Lower, NotLower) the sentence also names the
// verdict's Actual and Target.
type Reason struct {
	Kind     ReasonKind
	Year     int              // the programme year (NoTarget) or the baseline's (BaselineNotKnown, NoValue)
	Baseline report.YearValue // a comparison's baseline
	Path     float64          // a comparison's value on the path in the actual value's year
}

// Compared reports whether the reason compares the actual value with the path.
func (r Reason) Compared() bool {
	switch r.Kind {
	case Higher, NotHigher, Lower, NotLower:
		return true
	}
	return false
}

// Judge judges whether an objective of the programme of year is on track, from the
// known values of its main indicator (the first of IndicatorIDs). The rule:
//
//   - the target is the one for the programme year, else the first one after it (a
//     target several years ahead);
//   - the actual value is the latest known value up to the programme year; a year
//     still under way has no comparable value and must not be among values; it is
//     judged only when its year is after the baseline year;
//   - the path runs in a straight line from the baseline (year, value) to the target
//     (year, value); the actual value is on track when it is on the path or on the
//     right side of it for the direction: at most the path's value for down, at least
//     for up;
//   - it is unknown when the objective has no indicator, no baseline, no target for the
//     programme year or later, no direction, or no value after the baseline yet.
func Judge(o baken.Objective, year int, values []report.Value) Verdict {
	return judge(o, year, values, true)
}

// judge is Judge on a reference date on which the baseline may not have been known yet
// (see baselineKnown): then the judgement is unknown for that reason.
func judge(o baken.Objective, year int, values []report.Value, baselineKnown bool) Verdict {
	var v Verdict
	if t := targetFor(o.Targets, year); t != nil {
		v.Target = &report.YearValue{Year: t.Year, Value: t.Value}
	}
	var actual *report.Value
	if len(o.IndicatorIDs) > 0 {
		for i := range values {
			if x := &values[i]; x.Period <= year && (actual == nil || x.Period > actual.Period) {
				actual = x
			}
		}
	}
	if actual != nil {
		v.Actual = &report.YearValue{Year: actual.Period, Value: actual.Value, Provisional: actual.Provisional}
	}
	unknown := func(why Reason) Verdict {
		v.Judgement, v.Why = report.Unknown, why
		v.Reason = dutchReason(v)
		return v
	}
	switch {
	case len(o.IndicatorIDs) == 0:
		return unknown(Reason{Kind: NoIndicator})
	case o.Baseline == nil:
		return unknown(Reason{Kind: NoBaseline})
	case !baselineKnown:
		return unknown(Reason{Kind: BaselineNotKnown, Year: o.Baseline.Year})
	case v.Target == nil:
		return unknown(Reason{Kind: NoTarget, Year: year})
	case o.Direction != baken.DirectionDown && o.Direction != baken.DirectionUp:
		return unknown(Reason{Kind: NoDirection})
	}
	b, t := *o.Baseline, *v.Target
	if actual == nil || actual.Period <= b.Year {
		return unknown(Reason{Kind: NoValue, Year: b.Year})
	}
	path := t.Value
	if t.Year > b.Year {
		path = b.Value + (t.Value-b.Value)*float64(actual.Period-b.Year)/float64(t.Year-b.Year)
	}
	const eps = 1e-9
	why := Reason{Baseline: report.YearValue{Year: b.Year, Value: b.Value}, Path: path}
	if o.Direction == baken.DirectionUp {
		why.Kind = Lower
		if actual.Value >= path-eps {
			why.Kind = NotLower
		}
	} else {
		why.Kind = Higher
		if actual.Value <= path+eps {
			why.Kind = NotHigher
		}
	}
	v.Judgement, v.Why = report.OffTrack, why
	if why.Kind == NotHigher || why.Kind == NotLower {
		v.Judgement = report.OnTrack
	}
	v.Reason = dutchReason(v)
	return v
}

// dutchReason words a verdict's reason as one Dutch sentence, for the progress report.
func dutchReason(v Verdict) string {
	r := v.Why
	switch r.Kind {
	case NoIndicator:
		return "Er is geen indicator aan deze doelstelling gekoppeld."
	case NoBaseline:
		return "Er is geen nulmeting vastgelegd."
	case BaselineNotKnown:
		return "De nulmeting (" + strconv.Itoa(r.Year) + ") was op de peildatum nog niet bekend."
	case NoTarget:
		return "Er is geen streefwaarde voor " + strconv.Itoa(r.Year) + " of later vastgelegd."
	case NoDirection:
		return "Er is niet vastgelegd of de indicator moet dalen of stijgen."
	case NoValue:
		return "Op de peildatum is nog geen waarde van na de nulmeting (" + strconv.Itoa(r.Year) + ") bekend."
	}
	if !r.Compared() || v.Actual == nil || v.Target == nil {
		return ""
	}
	side := map[ReasonKind]string{Higher: "hoger", NotHigher: "niet hoger", Lower: "lager", NotLower: "niet lager"}[r.Kind]
	a, t, b := *v.Actual, *v.Target, r.Baseline
	provisional := ""
	if a.Provisional {
		provisional = " (voorlopig)"
	}
	return number(a.Value) + " in " + strconv.Itoa(a.Year) + provisional + " is " + side + " dan " + number(r.Path) +
		", de waarde voor " + strconv.Itoa(a.Year) + " op het pad van " + number(b.Value) + " (nulmeting " + strconv.Itoa(b.Year) +
		") naar " + number(t.Value) + " (doel " + strconv.Itoa(t.Year) + ")."
}

// targetFor returns the target of year, else the first one after it; nil when there is none.
func targetFor(targets []baken.YearValue, year int) *baken.YearValue {
	var best *baken.YearValue
	for i := range targets {
		t := &targets[i]
		if t.Year >= year && (best == nil || t.Year < best.Year) {
			best = t
		}
	}
	return best
}

// number writes a value the Dutch way, with at most two decimals: 95, 5,25.
func number(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}
