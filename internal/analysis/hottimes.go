package analysis

import (
	"fmt"
	"math"
	"time"
)

// HourWeek is the pattern of events over the 168 hours of the week, tested against a
// flat pattern: the same expected number of events in every hour of every day.
type HourWeek struct {
	// Cells is the 7 x 24 matrix: Cells[0] is Monday, Cells[d][h] the hour from h:00 to
	// h:59 local time.
	Cells     [7][24]HourCell `json:"cells"`
	Total     int             `json:"total"`
	Expected  float64         `json:"expected"`   // per cell under the flat pattern: Total / 168
	ChiSquare float64         `json:"chi_square"` // Pearson's, against the flat pattern
	DF        int             `json:"df"`         // 167
	P         float64         `json:"p"`          // of the chi-square statistic
	Alpha     float64         `json:"alpha"`      // the false discovery rate for High and Low
}

// HourCell is one hour of the week.
type HourCell struct {
	Weekday  time.Weekday `json:"weekday"`
	Hour     int          `json:"hour"`
	Count    int          `json:"count"`
	Residual float64      `json:"residual"` // adjusted standardized residual
	P        float64      `json:"p"`        // two-sided, of the residual
	Q        float64      `json:"q"`        // Benjamini-Hochberg over the 168 cells
	High     bool         `json:"high"`     // q <= alpha, more events than a flat week
	Low      bool         `json:"low"`      // q <= alpha, fewer
}

// HotTimes returns when in the week the events happen, binned by day and hour of the
// local time in loc: an event at 02:30 on the night the clocks go back is at 2 o'clock,
// whichever of the two 02:30s it was.
//
// The chi-square statistic sum (O-E)^2/E with 167 degrees of freedom says whether the
// week is flat at all (Pearson's goodness-of-fit test). Per cell, the adjusted
// standardized residual (O-E) / sqrt(E (1 - 1/168)) is approximately standard normal
// when the week is flat (Haberman 1973, "The analysis of residuals in cross-classified
// tables", Biometrics 29(1)), so a cell stands out, High or Low, when the
// Benjamini-Hochberg q-value of its two-sided p is at most alpha (0 means 0.05). Both
// rest on the normal approximation, which wants about 5 expected events per cell: some
// 850 events or more.
//
// A flat week is the question "when does this happen more than at other times",
// not "when are people at risk": the night has fewer people on the street. The hour the
// clocks go back has two hours of exposure and the hour they go forward none, once a
// year, which does not show at this resolution. Over a period that is not a whole number
// of weeks, the days it holds once more are exposed that much longer: take whole weeks.
// Registrations whose time is unknown are
// often entered at midnight; leave them out, or Monday 0:00 (or whatever day) will stand
// out. An event without a time (the zero time.Time) is an error.
func HotTimes(events []Event, loc *time.Location, alpha float64) (HourWeek, error) {
	if loc == nil {
		return HourWeek{}, fmt.Errorf("hot times: no time zone")
	}
	if alpha == 0 {
		alpha = 0.05
	}
	if !(alpha > 0 && alpha < 1) {
		return HourWeek{}, fmt.Errorf("hot times: alpha %v: must be between 0 and 1", alpha)
	}
	if len(events) == 0 {
		return HourWeek{}, fmt.Errorf("hot times: no events")
	}
	var hw HourWeek
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			hw.Cells[d][h] = HourCell{Weekday: time.Weekday((d + 1) % 7), Hour: h}
		}
	}
	for i, e := range events {
		if e.T.IsZero() {
			return HourWeek{}, fmt.Errorf("hot times: event %d: no time", i)
		}
		t := e.T.In(loc)
		d := (int(t.Weekday()) + 6) % 7 // Monday first
		hw.Cells[d][t.Hour()].Count++
	}
	const cells = 7 * 24
	hw.Total = len(events)
	hw.Expected = float64(hw.Total) / cells
	hw.DF = cells - 1
	hw.Alpha = alpha
	sd := math.Sqrt(hw.Expected * (1 - 1.0/cells))
	p := make([]float64, 0, cells)
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			c := &hw.Cells[d][h]
			diff := float64(c.Count) - hw.Expected
			hw.ChiSquare += diff * diff / hw.Expected
			c.Residual = diff / sd
			c.P = twoSidedP(c.Residual)
			p = append(p, c.P)
		}
	}
	hw.P = ChiSquareSF(hw.ChiSquare, float64(hw.DF))
	q := BenjaminiHochberg(p)
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			c := &hw.Cells[d][h]
			c.Q = q[d*24+h]
			c.High = c.Q <= alpha && c.Residual > 0
			c.Low = c.Q <= alpha && c.Residual < 0
		}
	}
	return hw, nil
}
