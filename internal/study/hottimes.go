package study

import (
	"fmt"
	"time"

	"baken/internal/analysis"
)

// HotTimesResult is the hour-by-weekday pattern of a selection.
type HotTimesResult struct {
	// Week holds the counts per hour of the week. Its test (ChiSquare, P, and the
	// residuals, High and Low per hour) counts only when Verdict is OK; otherwise High and
	// Low are all false.
	Week    analysis.HourWeek
	Verdict Verdict
	// Untimed counts the selection's events left out because their time of day is not
	// known (a day, a month).
	Untimed int
}

// Tested reports whether the week was tested against a flat week.
func (r HotTimesResult) Tested() bool { return r.Verdict.OK() }

// HotTimes returns when in the week (local time in loc) the timed events happen, tested
// against a flat week at false discovery rate alpha (0 means 0.05) when the hot-times
// rule (HotTimesVerdict) allows.
func HotTimes(timed []analysis.Event, untimed int, loc *time.Location, alpha float64) (HotTimesResult, error) {
	res := HotTimesResult{Verdict: HotTimesVerdict(len(timed)), Untimed: untimed}
	if len(timed) == 0 {
		for d := range res.Week.Cells {
			for h := range res.Week.Cells[d] {
				res.Week.Cells[d][h] = analysis.HourCell{Weekday: time.Weekday((d + 1) % 7), Hour: h}
			}
		}
		res.Week.DF = 7*24 - 1
		return res, nil
	}
	w, err := analysis.HotTimes(timed, loc, alpha)
	if err != nil {
		return HotTimesResult{}, fmt.Errorf("hot times: %w", err)
	}
	if !res.Verdict.OK() {
		for d := range w.Cells {
			for h := range w.Cells[d] {
				w.Cells[d][h].High, w.Cells[d][h].Low = false, false
			}
		}
	}
	res.Week = w
	return res, nil
}
