package study

import (
	"fmt"
	"math"

	"baken/internal/analysis"
)

// DefaultSpaceBands returns the default distance bands in metres, as the Near Repeat
// Calculator's usual set-up: 100, 200, ... 500.
func DefaultSpaceBands() []float64 { return []float64{100, 200, 300, 400, 500} }

// DefaultTimeBands returns the default time bands in days: 7, 14, 21, 28.
func DefaultTimeBands() []float64 { return []float64{7, 14, 21, 28} }

// NearRepeatOptions set up a near-repeat test; the zero value is the usual one.
type NearRepeatOptions struct {
	SpaceBands   []float64 // metres; nil means DefaultSpaceBands
	TimeBands    []float64 // days; nil means DefaultTimeBands
	Permutations int       // 0 means 99
	Seed         uint64
	Alpha        float64 // for the risk zone; 0 means 0.05
}

// RiskZone is the distance and time within which the risk after an event is raised, and
// by how much: "within Distance metres and Days days the risk is Ratio times as high".
type RiskZone struct {
	Distance float64 `json:"distance_m"`
	Days     float64 `json:"days"`
	Ratio    float64 `json:"ratio"`
}

// NearRepeatResult is a Knox test of a selection.
type NearRepeatResult struct {
	Options NearRepeatOptions
	// Knox is nil when there were fewer than 2 events to pair.
	Knox    *analysis.KnoxResult
	Verdict Verdict
	// Zone is the risk zone the data support; nil when the first band is not significant
	// or the verdict is TooFew.
	Zone *RiskZone
}

// NearRepeat runs the Knox test on the dated events and, when the near-repeat rule
// (NearRepeatVerdict) allows, derives the risk zone.
func NearRepeat(dated []analysis.Event, opts NearRepeatOptions) (NearRepeatResult, error) {
	if opts.SpaceBands == nil {
		opts.SpaceBands = DefaultSpaceBands()
	}
	if opts.TimeBands == nil {
		opts.TimeBands = DefaultTimeBands()
	}
	if opts.Permutations == 0 {
		opts.Permutations = 99
	}
	if opts.Alpha == 0 {
		opts.Alpha = 0.05
	}
	if !(opts.Alpha > 0 && opts.Alpha < 1) {
		return NearRepeatResult{}, fmt.Errorf("near-repeat: alpha %v: want a number between 0 and 1", opts.Alpha)
	}
	res := NearRepeatResult{Options: opts}
	if len(dated) < 2 {
		res.Verdict = NearRepeatVerdict(len(dated), 0, first(opts.SpaceBands), first(opts.TimeBands))
		return res, nil
	}
	k, err := analysis.Knox(dated, analysis.KnoxOptions{SpaceBands: opts.SpaceBands, TimeBands: opts.TimeBands,
		Permutations: opts.Permutations, Seed: opts.Seed})
	if err != nil {
		return NearRepeatResult{}, fmt.Errorf("near-repeat: %w", err)
	}
	res.Knox = &k
	res.Verdict = NearRepeatVerdict(len(dated), k.Cells[0][0].Expected, opts.SpaceBands[0], opts.TimeBands[0])
	if !res.Verdict.OK() {
		return res, nil
	}
	if d, days, ratio, ok := k.RiskZone(opts.Alpha); ok {
		res.Zone = &RiskZone{Distance: d, Days: days, Ratio: ratio}
	}
	return res, nil
}

func first(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

// NearRepeatBand is one distance band x time band of a Knox test, as Baken reports it.
type NearRepeatBand struct {
	SpaceFrom float64 `json:"space_from_m"` // SpaceFrom < distance <= SpaceTo (0 included in the first band)
	SpaceTo   float64 `json:"space_to_m"`
	DaysFrom  float64 `json:"days_from"` // likewise in days
	DaysTo    float64 `json:"days_to"`
	Observed  int     `json:"observed"` // pairs this close in space and time
	Expected  float64 `json:"expected"` // mean over the permutations
	// Ratio is Observed / Expected; nil when Expected is 0 and Observed is not (no finite
	// ratio).
	Ratio *float64 `json:"ratio"`
	P     float64  `json:"p"` // Monte Carlo, one-sided: too many pairs
	// Significant: Ratio above 1 with P at most the alpha of the risk zone.
	Significant bool `json:"significant"`
}

// Bands returns the Knox test's bands, Bands()[s][t] for distance band s and time band
// t; nil without a test.
func (r NearRepeatResult) Bands() [][]NearRepeatBand {
	if r.Knox == nil {
		return nil
	}
	out := make([][]NearRepeatBand, len(r.Knox.Cells))
	for s, row := range r.Knox.Cells {
		for _, c := range row {
			b := NearRepeatBand{SpaceFrom: c.SpaceFrom, SpaceTo: c.SpaceTo, DaysFrom: c.DaysFrom, DaysTo: c.DaysTo,
				Observed: c.Observed, Expected: c.Expected, P: c.P, Significant: c.Ratio > 1 && c.P <= r.Options.Alpha}
			if !math.IsInf(c.Ratio, 0) {
				ratio := c.Ratio
				b.Ratio = &ratio
			}
			out[s] = append(out[s], b)
		}
	}
	return out
}
