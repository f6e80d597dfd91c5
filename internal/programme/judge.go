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
	Actual    *report.YearValue // the value judged; nil when there is none
	Reason    string            // one Dutch sentence, printed in the progress report
}

// Judge judges whether an objective of the programme of year is on track, from the
// known values of its main indicator (the first of IndicatorIDs). The rule:
//
//   - the target is the one for the programme year, else the first one after it (a
//     target several years ahead);
//   - the actual value is the latest known value of a year after the baseline year, up
//     to the programme year; a year still under way has no comparable value and must
//     not be among values;
//   - the path runs in a straight line from the baseline (year, value) to the target
//     (year, value); the actual value is on track when it is on the path or on the
//     right side of it for the direction: at most the path's value for down, at least
//     for up;
//   - it is unknown when the objective has no indicator, no baseline, no target for the
//     programme year or later, no direction, or no value after the baseline yet.
func Judge(o baken.Objective, year int, values []report.Value) Verdict {
	var v Verdict
	if t := targetFor(o.Targets, year); t != nil {
		v.Target = &report.YearValue{Year: t.Year, Value: t.Value}
	}
	unknown := func(reason string) Verdict {
		v.Judgement, v.Reason = report.Unknown, reason
		return v
	}
	switch {
	case len(o.IndicatorIDs) == 0:
		return unknown("Er is geen indicator aan deze doelstelling gekoppeld.")
	case o.Baseline == nil:
		return unknown("Er is geen nulmeting vastgelegd.")
	case v.Target == nil:
		return unknown("Er is geen streefwaarde voor " + strconv.Itoa(year) + " of later vastgelegd.")
	case o.Direction != baken.DirectionDown && o.Direction != baken.DirectionUp:
		return unknown("Er is niet vastgelegd of de indicator moet dalen of stijgen.")
	}
	b, t := *o.Baseline, *v.Target
	var actual *report.Value
	for i := range values {
		if x := &values[i]; x.Period > b.Year && x.Period <= year && (actual == nil || x.Period > actual.Period) {
			actual = x
		}
	}
	if actual == nil {
		return unknown("Op de peildatum is nog geen waarde van na de nulmeting (" + strconv.Itoa(b.Year) + ") bekend.")
	}
	v.Actual = &report.YearValue{Year: actual.Period, Value: actual.Value, Provisional: actual.Provisional}
	path := t.Value
	if t.Year > b.Year {
		path = b.Value + (t.Value-b.Value)*float64(actual.Period-b.Year)/float64(t.Year-b.Year)
	}
	const eps = 1e-9
	onTrack := actual.Value <= path+eps
	side, other := "hoger", "niet hoger"
	if o.Direction == baken.DirectionUp {
		onTrack = actual.Value >= path-eps
		side, other = "lager", "niet lager"
	}
	if onTrack {
		v.Judgement, side = report.OnTrack, other
	} else {
		v.Judgement = report.OffTrack
	}
	provisional := ""
	if actual.Provisional {
		provisional = " (voorlopig)"
	}
	v.Reason = number(actual.Value) + " in " + strconv.Itoa(actual.Period) + provisional + " is " + side + " dan " + number(path) +
		", de waarde voor " + strconv.Itoa(actual.Period) + " op het pad van " + number(b.Value) + " (nulmeting " + strconv.Itoa(b.Year) +
		") naar " + number(t.Value) + " (doel " + strconv.Itoa(t.Year) + ")."
	return v
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
