package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var knoxStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// randomBurglaries returns n events uniform over a square of side metres and over days.
func randomBurglaries(r *rand.Rand, n int, side, days float64) []Event {
	events := make([]Event, n)
	for i := range events {
		events[i] = Event{
			X: 120000 + r.Float64()*side,
			Y: 480000 + r.Float64()*side,
			T: knoxStart.Add(time.Duration(r.Float64() * days * float64(24*time.Hour))),
		}
	}
	return events
}

// nearRepeats returns parents at random over a square of side metres and days, each
// followed by one offspring within 100 m and 7 days: the pattern of burglars returning
// to a street they know.
func nearRepeats(r *rand.Rand, parents int, side, days float64) []Event {
	events := randomBurglaries(r, parents, side, days)
	for _, p := range events[:parents] {
		d := 100 * math.Sqrt(r.Float64()) // uniform over the disc
		a := 2 * math.Pi * r.Float64()
		events = append(events, Event{
			X: p.X + d*math.Cos(a),
			Y: p.Y + d*math.Sin(a),
			T: p.T.Add(time.Duration(r.Float64() * 7 * float64(24*time.Hour))),
		})
	}
	return events
}

var (
	spaceBands = []float64{100, 200, 300, 400, 500}
	timeBands  = []float64{7, 14, 21, 28}
)

// knoxBrute counts the pairs per band straight from the definition.
func knoxBrute(events []Event, space, times []float64) [][]int {
	counts := make([][]int, len(space))
	for s := range counts {
		counts[s] = make([]int, len(times))
	}
	band := func(bounds []float64, v float64) int {
		for i, b := range bounds {
			if v <= b {
				return i
			}
		}
		return -1
	}
	for i := range events {
		for j := i + 1; j < len(events); j++ {
			d := math.Hypot(events[i].X-events[j].X, events[i].Y-events[j].Y)
			days := math.Abs(events[i].T.Sub(events[j].T).Hours() / 24)
			s, t := band(space, d), band(times, days)
			if s >= 0 && t >= 0 {
				counts[s][t]++
			}
		}
	}
	return counts
}

func TestKnoxCountsPairs(t *testing.T) {
	// Pairs on the band bounds, at the same place and at the same time, and dates
	// without times, as police files often have.
	r := rand.New(rand.NewPCG(21, 22))
	events := nearRepeats(r, 150, 2000, 120)
	events = append(events,
		Event{X: 121000, Y: 481000, T: knoxStart.AddDate(0, 1, 0)},
		Event{X: 121000, Y: 481100, T: knoxStart.AddDate(0, 1, 7)},  // 100 m, 7 days: first bands
		Event{X: 121000, Y: 481000, T: knoxStart.AddDate(0, 1, 0)},  // same place, same time
		Event{X: 121300, Y: 481400, T: knoxStart.AddDate(0, 1, 14)}, // 500 m from the first
	)
	for i := range 40 {
		events = append(events, Event{X: 120500 + float64(i%7)*30, Y: 480500 + float64(i%5)*60, T: knoxStart.AddDate(0, 0, i%30)})
	}
	space := []float64{0, 100, 250, 500}
	want := knoxBrute(events, space, timeBands)
	for _, tt := range []struct {
		name string
		side int
	}{
		{name: "pairs close in space", side: pairsSpace},
		{name: "pairs close in time", side: pairsTime},
		{name: "whichever is fewer", side: pairsAuto},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := knox(events, KnoxOptions{SpaceBands: space, TimeBands: timeBands, Permutations: 19, Seed: 1}, 2, tt.side)
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]int, len(res.Cells))
			for s, row := range res.Cells {
				for _, c := range row {
					got[s] = append(got[s], c.Observed)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("observed pairs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKnoxReproducible(t *testing.T) {
	// The same seed gives the same answer whatever the number of goroutines and
	// whichever pairs the permutations run over, so a report can be checked later.
	events := nearRepeats(rand.New(rand.NewPCG(31, 32)), 300, 3000, 180)
	opts := KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands, Permutations: 49, Seed: 2024}
	want, err := knox(events, opts, 1, pairsSpace)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		workers, side int
	}{{1, pairsTime}, {3, pairsSpace}, {8, pairsTime}, {64, pairsAuto}} {
		got, err := knox(events, opts, tt.workers, tt.side)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d workers, side %d: mismatch (-want +got):\n%s", tt.workers, tt.side, diff)
		}
	}
	opts.Seed++
	other, err := Knox(events, opts)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(want, other) {
		t.Error("another seed gave the same expected counts")
	}
}

func TestKnoxFindsNearRepeats(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		events := nearRepeats(rand.New(rand.NewPCG(seed, 41)), 400, 5000, 365)
		res, err := Knox(events, KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if res.Permutations != 99 || res.Events != 800 {
			t.Fatalf("seed %d: %d permutations, %d events; want the default 99 and 800", seed, res.Permutations, res.Events)
		}
		first := res.Cells[0][0]
		if first.SpaceFrom != 0 || first.SpaceTo != 100 || first.DaysFrom != 0 || first.DaysTo != 7 {
			t.Errorf("seed %d: first cell bands %+v", seed, first)
		}
		if !(first.P < 0.05 && first.Ratio > 3) {
			t.Errorf("seed %d: within 100 m and 7 days %+v; want a ratio above 3 with p < 0.05", seed, first)
		}
		// The letter may say "within 100 m and 7 days", and no more: a band reached by
		// chance could in principle join the zone, but with these seeds none does.
		distance, days, ratio, ok := res.RiskZone(0.05)
		if !ok || distance != 100 || days != 7 || ratio != first.Ratio {
			t.Errorf("seed %d: risk zone %v m, %v days, ratio %v, %v; want 100 m, 7 days, ratio %v", seed, distance, days, ratio, ok, first.Ratio)
		}
		// Beyond 200 m and 14 days nothing was planted.
		for s := 2; s < len(spaceBands); s++ {
			for tb := 2; tb < len(timeBands); tb++ {
				if c := res.Cells[s][tb]; math.Abs(c.Ratio-1) > 0.5 {
					t.Errorf("seed %d: far cell %+v: want a ratio near 1", seed, c)
				}
			}
		}
	}
}

func TestKnoxRandomPattern(t *testing.T) {
	// Burglaries at random places and times: the near bands must show about as many
	// pairs as the permutations (some 15 pairs expected in the first cell, so a ratio
	// within 0.6 of 1 is about 2.3 standard deviations), and no risk zone to write a
	// letter about. A p-value of 0.05 is passed by chance in one cell in twenty, so of
	// the 5 seeds x 4 near cells at most 2 may be significant, and at most 1 of the 5
	// seeds may give a risk zone.
	const seeds, tolerance, zoneTolerance = 5, 2, 1
	significant, zones := 0, 0
	for seed := range uint64(seeds) {
		events := randomBurglaries(rand.New(rand.NewPCG(seed, 51)), 800, 5000, 365)
		res, err := Knox(events, KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for s := range 2 {
			for tb := range 2 {
				c := res.Cells[s][tb]
				if c.P <= 0.05 {
					significant++
					t.Logf("seed %d: significant by chance: %+v", seed, c)
				}
				if math.Abs(c.Ratio-1) > 0.6 {
					t.Errorf("seed %d: near cell %+v; want a ratio near 1", seed, c)
				}
			}
		}
		if distance, days, ratio, ok := res.RiskZone(0.05); ok {
			zones++
			t.Logf("seed %d: risk zone by chance: %v m, %v days, ratio %v", seed, distance, days, ratio)
		}
	}
	if zones > zoneTolerance {
		t.Errorf("%d of %d random patterns give a risk zone, want at most %d", zones, seeds, zoneTolerance)
	}
	if significant > tolerance {
		t.Errorf("%d of %d near cells significant in random patterns, want at most %d", significant, seeds*4, tolerance)
	}
}

func TestKnoxRiskZone(t *testing.T) {
	// sig marks a cell with ratio 2 and p 0.01; the others have ratio 1.1 and p 0.3.
	build := func(sig [][]bool) KnoxResult {
		r := KnoxResult{SpaceBands: []float64{100, 200, 300}, TimeBands: []float64{7, 14, 21}}
		for s, row := range sig {
			r.Cells = append(r.Cells, nil)
			for tb, ok := range row {
				c := KnoxCell{SpaceTo: r.SpaceBands[s], DaysTo: r.TimeBands[tb], Observed: 11, Expected: 10, Ratio: 1.1, P: 0.3}
				if ok {
					c.Observed, c.Ratio, c.P = 20, 2, 0.01
				}
				r.Cells[s] = append(r.Cells[s], c)
			}
		}
		return r
	}
	tests := []struct {
		name     string
		sig      [][]bool
		distance float64
		days     float64
		ratio    float64
		ok       bool
	}{
		{
			name: "nothing near",
			sig:  [][]bool{{false, true, true}, {true, true, true}, {false, false, false}},
		},
		{
			name:     "only the first cell",
			sig:      [][]bool{{true, false, false}, {false, true, false}, {false, false, false}},
			distance: 100, days: 7, ratio: 2, ok: true,
		},
		{
			name:     "within 200 m and 14 days",
			sig:      [][]bool{{true, true, false}, {true, true, false}, {false, false, true}},
			distance: 200, days: 14, ratio: 2, ok: true,
		},
		{
			// Reached through (0,1) and (1,1): the zone spans 300 m and 14 days, and the
			// ratio pools all six cells, (1,0) and (2,0) with their ratio 1.1 included.
			name:     "an L through later bands",
			sig:      [][]bool{{true, true, false}, {false, true, false}, {false, true, false}},
			distance: 300, days: 14, ratio: (4*20 + 2*11) / 60.0, ok: true,
		},
		{
			name:     "a significant cell across a gap does not count",
			sig:      [][]bool{{true, false, true}, {false, false, true}, {true, true, true}},
			distance: 100, days: 7, ratio: 2, ok: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			distance, days, ratio, ok := build(tt.sig).RiskZone(0.05)
			got := []float64{distance, days, ratio}
			if diff := cmp.Diff([]float64{tt.distance, tt.days, tt.ratio}, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" || ok != tt.ok {
				t.Errorf("ok %v, want %v; (distance, days, ratio) mismatch (-want +got):\n%s", ok, tt.ok, diff)
			}
		})
	}
	if _, _, _, ok := build([][]bool{{true}}).RiskZone(0.001); ok {
		t.Error("p 0.01 counted as significant at alpha 0.001")
	}
}

func TestKnoxErrors(t *testing.T) {
	events := randomBurglaries(rand.New(rand.NewPCG(1, 1)), 10, 1000, 30)
	tests := []struct {
		name   string
		events []Event
		opts   KnoxOptions
	}{
		{name: "no space bands", events: events, opts: KnoxOptions{TimeBands: timeBands}},
		{name: "no time bands", events: events, opts: KnoxOptions{SpaceBands: spaceBands}},
		{name: "descending bands", events: events, opts: KnoxOptions{SpaceBands: []float64{200, 100}, TimeBands: timeBands}},
		{name: "repeated bound", events: events, opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: []float64{7, 7}}},
		{name: "negative bound", events: events, opts: KnoxOptions{SpaceBands: []float64{-1, 100}, TimeBands: timeBands}},
		{name: "NaN bound", events: events, opts: KnoxOptions{SpaceBands: []float64{math.NaN()}, TimeBands: timeBands}},
		{name: "only a zero bound", events: events, opts: KnoxOptions{SpaceBands: []float64{0}, TimeBands: timeBands}},
		{name: "too many bands", events: events, opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: make([]float64, 300)}},
		{name: "negative permutations", events: events, opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands, Permutations: -5}},
		{name: "one event", events: events[:1], opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands}},
		{name: "NaN location", events: append([]Event{{X: math.NaN(), T: knoxStart}}, events...), opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands}},
		{name: "no time", events: append([]Event{{X: 1, Y: 2}}, events...), opts: KnoxOptions{SpaceBands: spaceBands, TimeBands: timeBands}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Knox(tt.events, tt.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}

// BenchmarkKnox10k runs the Knox test on 10,000 burglaries over 10 x 10 km and a year,
// in the Near Repeat Calculator's usual bands (10 of 100 m, 10 of 7 days), with 99
// permutations.
func BenchmarkKnox10k(b *testing.B) {
	events := nearRepeats(rand.New(rand.NewPCG(1, 2)), 5000, 10000, 365)
	opts := KnoxOptions{Permutations: 99, Seed: 1}
	for i := range 10 {
		opts.SpaceBands = append(opts.SpaceBands, float64(i+1)*100)
		opts.TimeBands = append(opts.TimeBands, float64(i+1)*7)
	}
	for b.Loop() {
		if _, err := Knox(events, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBander(t *testing.T) {
	// The table lookup must put every value in the band the definition does, also on
	// and next to the bounds, where a pair 100 m apart belongs in the 100 m band.
	r := rand.New(rand.NewPCG(61, 62))
	for _, bounds := range [][]float64{
		{100, 200, 300, 400, 500},
		{0, 1.0 / 3, 7, 14.000000001, 28},
		{10000, 40000, 90000, 250000}, // squared metres, as the time-ordered pairs use
		{1e-320},                      // too small to scale: compares
	} {
		b := newBander(bounds)
		last := bounds[len(bounds)-1]
		values := []float64{0, last * 2, math.Inf(1)}
		for _, bound := range bounds {
			values = append(values, bound, math.Nextafter(bound, 0), math.Nextafter(bound, math.Inf(1)))
		}
		for range 10000 {
			values = append(values, r.Float64()*last*1.1)
		}
		for _, v := range values {
			want := len(bounds)
			for i, bound := range bounds {
				if v <= bound {
					want = i
					break
				}
			}
			if got := b.of(v); got != want {
				t.Errorf("bounds %v, value %v: band %d, want %d", bounds, v, got, want)
			}
		}
	}
}
