package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"baken/internal/analysis"
)

// SimOptions describe a SEPP to simulate.
type SimOptions struct {
	SEPPParams
	Start       time.Time
	Days        float64                           // length of the simulated period
	Rate        float64                           // background events per day
	Background  func(r *rand.Rand) (x, y float64) // draws a background event's place
	MaxLag      time.Duration                     // triggering truncation in time
	MaxDistance float64                           // triggering truncation in space, metres
}

// Simulate draws events from the SEPP by its branching structure (Zhuang, Ogata and
// Vere-Jones 2002): background events form a homogeneous Poisson process in time with
// places from Background; every event then triggers a Poisson(Theta) number of events,
// each after a lag from the truncated exponential and at a displacement from the
// truncated Gaussian of the model, and so on for their offspring. Events after the end
// of the period are dropped. The events are returned in time order. Theta must be below
// 1 for the process to die out.
func Simulate(r *rand.Rand, o SimOptions) []analysis.Event {
	maxLag := o.MaxLag.Hours() / 24
	type ev struct{ x, y, t float64 }
	var all []ev
	for t := r.ExpFloat64() / o.Rate; t < o.Days; t += r.ExpFloat64() / o.Rate {
		x, y := o.Background(r)
		all = append(all, ev{x, y, t})
	}
	lagMass := -math.Expm1(-o.Omega * maxLag)
	distMass := -math.Expm1(-o.MaxDistance * o.MaxDistance / (2 * o.Sigma * o.Sigma))
	for k := 0; k < len(all); k++ { // all grows while we walk it: offspring get offspring
		parent := all[k]
		for range poisson(r, o.Theta) {
			lag := -math.Log1p(-r.Float64()*lagMass) / o.Omega
			if parent.t+lag >= o.Days {
				continue
			}
			rad := o.Sigma * math.Sqrt(-2*math.Log1p(-r.Float64()*distMass))
			a := 2 * math.Pi * r.Float64()
			all = append(all, ev{parent.x + rad*math.Cos(a), parent.y + rad*math.Sin(a), parent.t + lag})
		}
	}
	slices.SortFunc(all, func(a, b ev) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	out := make([]analysis.Event, len(all))
	for i, e := range all {
		out[i] = analysis.Event{X: e.x, Y: e.y, T: o.Start.Add(time.Duration(e.t * float64(Day)))}
	}
	return out
}

// poisson draws from a Poisson distribution with a small mean (Knuth's method).
func poisson(r *rand.Rand, mean float64) int {
	limit := math.Exp(-mean)
	k := 0
	for p := r.Float64(); p > limit; p *= r.Float64() {
		k++
	}
	return k
}
