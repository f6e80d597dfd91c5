// Package forecast provides short-term forecasts of where events (such as crimes) are
// most likely in the coming days, by several methods side by side, and their honest
// evaluation by rolling origin: at every origin a method sees only what happened before
// it, and is scored on what happened after (hit rate and Predictive Accuracy Index).
//
// Forecasts concern places and times only: a risk per grid cell for a period. They never
// concern persons, and nothing in this package reads, infers or outputs anything about
// one; events carry a place and a time and nothing else.
//
// The methods:
//
//   - LastPeriod: counts per cell in the last weeks (default 4) before the origin.
//   - AllHistory: counts per cell over the whole training data.
//   - KDE: a quartic kernel density of the training data (analysis.KDE).
//   - ProspectiveHotspot: Bowers, Johnson and Pease (2004), "Prospective hot-spotting:
//     the future of crime mapping?", British Journal of Criminology 44(5) 641-658: every
//     recent event adds 1/(1 + distance in cells) x 1/(1 + age in whole weeks) to the
//     cells within a space and time bandwidth.
//   - SEPP: a self-exciting point process (a long-term background plus triggering by
//     recent events), fitted by expectation-maximisation after Mohler et al. (2011); see
//     SEPP for the variant.
//
// Every method returns a risk score per cell of the grid it is given; only the order of
// the scores matters for the evaluation, but all of them are in (or proportional to)
// expected events per cell in the horizon.
package forecast

import (
	"fmt"
	"math"
	"time"

	"baken/internal/analysis"
)

// Method is a forecasting method: from training events (all strictly before origin) it
// returns a risk score for each cell of g for the period [origin, origin+horizon).
// A higher score means more expected events. Forecast must not modify train.
type Method interface {
	Name() string
	Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error)
}

// Day is the unit in which the methods count time.
const Day = 24 * time.Hour

// LastPeriod counts the events in each cell during the last Window before the origin.
type LastPeriod struct {
	Window time.Duration // default 4 weeks
}

func (m LastPeriod) window() time.Duration {
	if m.Window <= 0 {
		return 28 * Day
	}
	return m.Window
}

// Name is "last-period(window)".
func (m LastPeriod) Name() string { return "last-period(" + FormatDuration(m.window()) + ")" }

// Forecast counts the events in [origin-Window, origin) per cell.
func (m LastPeriod) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	counts, _ := g.Counts(within(train, origin.Add(-m.window()), origin))
	return counts, nil
}

// AllHistory counts the events in each cell over all the training data it is given.
type AllHistory struct{}

// Name is "all-history".
func (AllHistory) Name() string { return "all-history" }

// Forecast counts all training events per cell.
func (AllHistory) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	counts, _ := g.Counts(train)
	return counts, nil
}

// KDE is the kernel density (quartic kernel, analysis.KDE) of the training events of the
// last Window before the origin. With a HalfLife an event's weight halves with every
// half-life of age at the origin (analysis.KDEWeighted), so that recent years count more
// than old ones without forgetting them.
type KDE struct {
	Bandwidth float64       // metres; default 300
	Window    time.Duration // 0: all training data
	HalfLife  time.Duration // 0: no decay
}

func (m KDE) bandwidth() float64 {
	if m.Bandwidth <= 0 {
		return 300
	}
	return m.Bandwidth
}

// Name is "kde(bandwidth,window)", with ",halflife" when there is one.
func (m KDE) Name() string {
	if m.HalfLife > 0 {
		return fmt.Sprintf("kde(%gm,%s,hl%s)", m.bandwidth(), windowName(m.Window), FormatDuration(m.HalfLife))
	}
	return fmt.Sprintf("kde(%gm,%s)", m.bandwidth(), windowName(m.Window))
}

// Forecast returns the kernel density of the training events in the window.
func (m KDE) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	evs := train
	if m.Window > 0 {
		evs = within(train, origin.Add(-m.Window), origin)
	}
	var d []float64
	var err error
	if m.HalfLife > 0 {
		w := make([]float64, len(evs))
		for i, e := range evs {
			w[i] = math.Exp2(-float64(origin.Sub(e.T)) / float64(m.HalfLife))
		}
		d, err = analysis.KDEWeighted(g, evs, w, m.bandwidth())
	} else {
		d, err = analysis.KDE(g, evs, m.bandwidth())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name(), err)
	}
	return d, nil
}

// ProspectiveHotspot is the prospective hot-spotting of Bowers, Johnson and Pease (2004).
// Every event of the last Window before the origin adds
//
//	1/(1 + d) x 1/(1 + w)
//
// to every cell whose centre lies within Bandwidth of the centre of the event's cell,
// where d is the distance between the two cell centres in cells (0 for the event's own
// cell, 1 for the next cell along a row, 1.41 diagonally) and w is the event's age at
// the origin in whole weeks (0 for the last 7 days). The original used 50 m cells, 400 m
// and two months for burglary.
type ProspectiveHotspot struct {
	Bandwidth float64       // metres; default 400
	Window    time.Duration // default 8 weeks
}

func (m ProspectiveHotspot) params() (float64, time.Duration) {
	bw, win := m.Bandwidth, m.Window
	if bw <= 0 {
		bw = 400
	}
	if win <= 0 {
		win = 8 * 7 * Day
	}
	return bw, win
}

// Name is "prospective(bandwidth,window)".
func (m ProspectiveHotspot) Name() string {
	bw, win := m.params()
	return fmt.Sprintf("prospective(%gm,%s)", bw, FormatDuration(win))
}

// Forecast returns the prospective hotspot score of every cell.
func (m ProspectiveHotspot) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	bw, win := m.params()
	reach := int(bw / g.Size)
	type offset struct {
		dr, dc int
		w      float64
	}
	var offsets []offset
	for dr := -reach; dr <= reach; dr++ {
		for dc := -reach; dc <= reach; dc++ {
			d := math.Hypot(float64(dr), float64(dc))
			if d*g.Size <= bw {
				offsets = append(offsets, offset{dr, dc, 1 / (1 + d)})
			}
		}
	}
	risk := make([]float64, g.Cells())
	for _, e := range within(train, origin.Add(-win), origin) {
		i, ok := g.Cell(e.X, e.Y)
		if !ok {
			continue
		}
		weeks := math.Floor(origin.Sub(e.T).Hours() / (7 * 24))
		tw := 1 / (1 + weeks)
		row, col := g.RowCol(i)
		for _, o := range offsets {
			if j, ok := g.Index(row+o.dr, col+o.dc); ok {
				risk[j] += o.w * tw
			}
		}
	}
	return risk, nil
}

// within returns the events with from <= T < to, in their order.
func within(evs []analysis.Event, from, to time.Time) []analysis.Event {
	var out []analysis.Event
	for _, e := range evs {
		if !e.T.Before(from) && e.T.Before(to) {
			out = append(out, e)
		}
	}
	return out
}

func windowName(w time.Duration) string {
	if w <= 0 {
		return "all"
	}
	return FormatDuration(w)
}
