package analysis

import (
	"fmt"
	"math"
)

// KDE returns the kernel density of the events at every cell centre of g, as the expected
// number of events per cell: the density (events per square metre) times the cell area.
// Away from the edges of the grid the values add up to about len(events), so a cell's
// value reads as "this many events, smoothed over the neighbourhood".
//
// The kernel is the quartic (biweight) kernel K(d) = 3/(pi h^2) (1 - d^2/h^2)^2 for
// distances d below the bandwidth h in metres and 0 beyond it (Silverman 1986, "Density
// Estimation for Statistics and Data Analysis", section 4.2; the kernel of CrimeStat and
// of most crime-mapping hotspot maps). Each event only visits the cells within h of it,
// so the cost is len(events) x (h/Size)^2, not len(events) x cells. Events outside the
// grid still add to the cells within h of them; events with a non-finite coordinate add
// nothing. With a bandwidth below about two cells the kernel is sampled too coarsely at
// the cell centres for the values to add up to the number of events.
func KDE(g Grid, events []Event, bandwidth float64) ([]float64, error) {
	d, err := kde(g, events, nil, bandwidth)
	if err != nil {
		return nil, fmt.Errorf("kde: %w", err)
	}
	return d, nil
}

// KDEWeighted is KDE with a weight per event: an event of weight w counts as w events,
// so the values add up to about the sum of the weights. Forecasts use it with weights
// that decay with an event's age. Weights must be finite and not negative.
func KDEWeighted(g Grid, events []Event, weights []float64, bandwidth float64) ([]float64, error) {
	if len(weights) != len(events) {
		return nil, fmt.Errorf("kde: %d weights for %d events: need one weight per event", len(weights), len(events))
	}
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("kde: weight %v of event %d: must be a finite number not below 0", w, i)
		}
	}
	d, err := kde(g, events, weights, bandwidth)
	if err != nil {
		return nil, fmt.Errorf("kde: %w", err)
	}
	return d, nil
}

// kde adds every event's kernel to the cells whose centres lie within h of it; weights
// nil means weight 1.
func kde(g Grid, events []Event, weights []float64, h float64) ([]float64, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if !(h > 0) || math.IsInf(h, 0) {
		return nil, fmt.Errorf("bandwidth %v: must be a positive number of metres", h)
	}
	out := make([]float64, g.Cells())
	h2 := h * h
	norm := 3 / (math.Pi * h2) * g.Size * g.Size // kernel times cell area
	reach := h / g.Size                          // bandwidth in cells
	lastCol, lastRow := float64(g.NX-1), float64(g.NY-1)
	for i, e := range events {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if w == 0 || math.IsNaN(e.X) || math.IsInf(e.X, 0) || math.IsNaN(e.Y) || math.IsInf(e.Y, 0) {
			continue
		}
		// The event in units of cells, measured from the centre of cell (0, 0), so that
		// cell col has its centre at u = col. Clamping in floating point keeps a far-away
		// event from overflowing an int.
		u := (e.X-g.X0)/g.Size - 0.5
		v := (e.Y-g.Y0)/g.Size - 0.5
		r0 := math.Max(0, math.Ceil(v-reach))
		r1 := math.Min(lastRow, math.Floor(v+reach))
		if r0 > r1 || u+reach < 0 || u-reach > lastCol {
			continue
		}
		wn := w * norm
		for row := int(r0); row <= int(r1); row++ {
			dy := g.Y0 + (float64(row)+0.5)*g.Size - e.Y
			rest := h2 - dy*dy
			if rest <= 0 {
				continue
			}
			half := math.Sqrt(rest) / g.Size // the circle's half-width on this row, in cells
			c0 := math.Max(0, math.Ceil(u-half))
			c1 := math.Min(lastCol, math.Floor(u+half))
			base := row * g.NX
			for col := int(c0); col <= int(c1); col++ {
				dx := g.X0 + (float64(col)+0.5)*g.Size - e.X
				d2 := dx*dx + dy*dy
				if d2 >= h2 {
					continue
				}
				t := 1 - d2/h2
				out[base+col] += wn * t * t
			}
		}
	}
	return out, nil
}
