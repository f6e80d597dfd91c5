package analysis

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// KnoxOptions are the bands and the Monte Carlo set-up of a Knox test.
type KnoxOptions struct {
	// SpaceBands are the upper bounds of the distance bands in metres, ascending: 100,
	// 200, ... puts a pair 150 m apart in the second band. The first band starts at 0
	// and includes it; a first bound of 0 makes it the band of the same location.
	SpaceBands []float64
	// TimeBands are the upper bounds of the time bands in days, ascending: 7, 14, ...
	// Times are continuous, so with dates only (times at midnight) the bands 7, 14 are
	// the Near Repeat Calculator's 0-7 and 8-14 days.
	TimeBands []float64
	// Permutations is the number of random permutations; 0 means 99, which gives p-values
	// down to 0.01.
	Permutations int
	// Seed makes the permutations reproducible: the same events, bands and seed give the
	// same result on any machine and at any parallelism.
	Seed uint64
}

// KnoxResult is the outcome of a Knox test.
type KnoxResult struct {
	SpaceBands   []float64
	TimeBands    []float64
	Permutations int
	Events       int
	// Cells holds one KnoxCell per space band and time band: Cells[s][t].
	Cells [][]KnoxCell
}

// KnoxCell is one space band x time band of a Knox test.
type KnoxCell struct {
	SpaceFrom, SpaceTo float64 // metres: SpaceFrom < d <= SpaceTo (0 <= d in the first band)
	DaysFrom, DaysTo   float64 // days, likewise
	Observed           int     // pairs of events this close in space and time
	Expected           float64 // mean number over the permutations
	// Ratio is Observed / Expected: 1.5 means half again as many pairs as if space and
	// time were unrelated. It is 0 when both are 0 and +Inf when only Expected is.
	Ratio float64
	// P is (1 + the number of permutations with at least Observed pairs) /
	// (Permutations + 1): the one-sided Monte Carlo p-value of too many pairs.
	P float64
}

// maxKnoxPairs bounds the pairs a Knox test keeps in memory (9 bytes each), so that
// bands as wide as the city over a large file cannot ask for gigabytes.
const maxKnoxPairs = 1 << 26

// Knox returns the Knox test of space-time interaction of the events (Knox 1964, "The
// detection of space-time interactions", Applied Statistics 13(1)) as the Near Repeat
// Calculator computes it (Ratcliffe 2009; Johnson et al. 2007, "Space-time patterns of
// risk", Journal of Quantitative Criminology 23): every pair of events is counted in
// the band of its distance and the band of its time apart, and each count is compared
// with the counts when the times are randomly permuted over the locations, which keeps
// where and when things happen but breaks any link between the two. More pairs than the
// permutations give, close in both space and time, is a near-repeat pattern: after a
// burglary, the houses nearby run a raised risk for a while. Pairs beyond the last bands
// are not counted.
//
// The pairs close in space do not change when times are permuted, and neither do the
// pairs close in time, so Knox finds whichever set is smaller once (a grid hash of cells
// of the largest distance, or the time order) and each permutation only looks at those.
// Permutations run on GOMAXPROCS goroutines, each drawn from its own stream of Seed, so
// the result does not depend on the parallelism.
func Knox(events []Event, opts KnoxOptions) (KnoxResult, error) {
	return knox(events, opts, runtime.GOMAXPROCS(0), pairsAuto)
}

// Which precomputed pair list the permutations run over.
const (
	pairsAuto = iota
	pairsSpace
	pairsTime
)

// knoxData are the events in time order and the pairs each permutation looks at.
type knoxData struct {
	t          []float64 // days since the first event, ascending
	x, y       []float64 // location k is that of the k-th event in time order
	space2     []float64 // squared space bounds
	times      []float64
	ns, nt     int
	byTime     bool    // pairs are of time slots with a fixed time band; else of locations
	a, b       []int32 // the pairs
	band       []uint8 // their fixed band
	smax2, tmx float64
	other      bander // the band of the dimension the permutations change
}

// bander finds the band of a value without a comparison per bound: a table over
// [0, last bound] gives the band of most values in one lookup, and only values near a
// bound are compared. In the Knox inner loop, comparing against every bound, and
// branching on whether a pair is within the bands at all, cost several times as much.
type bander struct {
	bounds []float64
	scale  float64 // buckets per unit
	table  []int16 // band of a bucket, len(bounds) beyond the last, -1 near a bound
}

const banderBuckets = 4096

func newBander(bounds []float64) bander {
	b := bander{bounds: bounds, scale: banderBuckets / bounds[len(bounds)-1]}
	if math.IsInf(b.scale, 0) { // a last bound too small to divide by: compare always
		return b
	}
	b.table = make([]int16, banderBuckets+2)
	for k := range b.table {
		b.table[k] = int16(bandOf(bounds, (float64(k)+0.5)/b.scale))
	}
	// A bucket with a bound in it or next to it is decided by comparing, so rounding in
	// v * scale can never put a value in the wrong band.
	for _, bound := range bounds {
		kb := int(bound * b.scale)
		for k := max(kb-1, 0); k <= min(kb+1, banderBuckets); k++ {
			b.table[k] = -1
		}
	}
	return b
}

// of returns the band of v >= 0: the first whose upper bound is at least v, or
// len(bounds) when v is beyond them all.
func (b *bander) of(v float64) int {
	if b.table == nil {
		return bandOf(b.bounds, v)
	}
	k := int(min(v*b.scale, banderBuckets+1))
	if band := b.table[k]; band >= 0 {
		return int(band)
	}
	return bandOf(b.bounds, v)
}

func knox(events []Event, opts KnoxOptions, workers, side int) (KnoxResult, error) {
	perms := opts.Permutations
	if perms == 0 {
		perms = 99
	}
	if perms < 0 {
		return KnoxResult{}, fmt.Errorf("knox: %d permutations: must be at least 1", opts.Permutations)
	}
	if err := checkBands(opts.SpaceBands); err != nil {
		return KnoxResult{}, fmt.Errorf("knox: space bands: %w", err)
	}
	if err := checkBands(opts.TimeBands); err != nil {
		return KnoxResult{}, fmt.Errorf("knox: time bands: %w", err)
	}
	if len(events) < 2 {
		return KnoxResult{}, fmt.Errorf("knox: %d events: need at least 2", len(events))
	}
	if len(events) > math.MaxInt32 {
		return KnoxResult{}, fmt.Errorf("knox: %d events: too many", len(events))
	}
	for i, e := range events {
		if math.IsNaN(e.X) || math.IsInf(e.X, 0) || math.IsNaN(e.Y) || math.IsInf(e.Y, 0) {
			return KnoxResult{}, fmt.Errorf("knox: event %d at (%v %v): not a finite location", i, e.X, e.Y)
		}
		if e.T.IsZero() {
			return KnoxResult{}, fmt.Errorf("knox: event %d: no time", i)
		}
	}
	d, err := prepareKnox(events, opts.SpaceBands, opts.TimeBands, side)
	if err != nil {
		return KnoxResult{}, fmt.Errorf("knox: %w", err)
	}

	ns, nt := len(opts.SpaceBands), len(opts.TimeBands)
	n := len(events)
	observed := make([]int64, ns*nt)
	identity := make([]int32, n)
	for i := range identity {
		identity[i] = int32(i)
	}
	d.count(identity, make([]float64, n), make([]int32, n), make([]int64, (ns+1)*(nt+1)), observed)

	// Each permutation gets its own generator, seeded in order from one generator of
	// Seed, and adds integer totals, whose sums do not depend on which goroutine ran
	// which permutation.
	seeder := rand.New(rand.NewPCG(opts.Seed, 0x4b6e6f78)) // "Knox"
	seeds := make([][2]uint64, perms)
	for p := range seeds {
		seeds[p] = [2]uint64{seeder.Uint64(), seeder.Uint64()}
	}
	workers = max(1, min(workers, perms))
	total := make([]int64, ns*nt)
	atLeast := make([]int64, ns*nt)
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			perm := make([]int32, n)
			buf := make([]float64, n)
			inv := make([]int32, n)
			counts := make([]int64, ns*nt)
			wide := make([]int64, (ns+1)*(nt+1))
			sum := make([]int64, ns*nt)
			ge := make([]int64, ns*nt)
			for {
				p := next.Add(1) - 1
				if p >= int64(perms) {
					break
				}
				r := rand.New(rand.NewPCG(seeds[p][0], seeds[p][1]))
				for i := range perm {
					perm[i] = int32(i)
				}
				r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
				clear(counts)
				d.count(perm, buf, inv, wide, counts)
				for k, c := range counts {
					sum[k] += c
					if c >= observed[k] {
						ge[k]++
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for k := range sum {
				total[k] += sum[k]
				atLeast[k] += ge[k]
			}
		})
	}
	wg.Wait()

	res := KnoxResult{
		SpaceBands:   slices.Clone(opts.SpaceBands),
		TimeBands:    slices.Clone(opts.TimeBands),
		Permutations: perms,
		Events:       n,
		Cells:        make([][]KnoxCell, ns),
	}
	for s := range ns {
		res.Cells[s] = make([]KnoxCell, nt)
		for t := range nt {
			k := s*nt + t
			c := KnoxCell{
				SpaceTo:  opts.SpaceBands[s],
				DaysTo:   opts.TimeBands[t],
				Observed: int(observed[k]),
				Expected: float64(total[k]) / float64(perms),
				P:        float64(1+atLeast[k]) / float64(perms+1),
			}
			if s > 0 {
				c.SpaceFrom = opts.SpaceBands[s-1]
			}
			if t > 0 {
				c.DaysFrom = opts.TimeBands[t-1]
			}
			c.Ratio = ratio(float64(c.Observed), c.Expected)
			res.Cells[s][t] = c
		}
	}
	return res, nil
}

func ratio(observed, expected float64) float64 {
	switch {
	case expected > 0:
		return observed / expected
	case observed > 0:
		return math.Inf(1)
	}
	return 0
}

func checkBands(bands []float64) error {
	if len(bands) == 0 {
		return fmt.Errorf("none given")
	}
	if len(bands) > math.MaxUint8 {
		return fmt.Errorf("%d bands: at most %d", len(bands), math.MaxUint8)
	}
	for i, b := range bands {
		if !(b >= 0) || math.IsInf(b, 0) {
			return fmt.Errorf("bound %v: must be a finite number not below 0", b)
		}
		if i > 0 && !(b > bands[i-1]) {
			return fmt.Errorf("bound %v after %v: must be ascending", b, bands[i-1])
		}
	}
	if bands[len(bands)-1] == 0 {
		return fmt.Errorf("last bound 0: must be positive")
	}
	return nil
}

// prepareKnox puts the events in time order and finds the pairs the permutations look at.
func prepareKnox(events []Event, spaceBands, timeBands []float64, side int) (*knoxData, error) {
	n := len(events)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return events[i].T.Compare(events[j].T) })
	d := &knoxData{
		t:      make([]float64, n),
		x:      make([]float64, n),
		y:      make([]float64, n),
		space2: make([]float64, len(spaceBands)),
		times:  timeBands,
		ns:     len(spaceBands),
		nt:     len(timeBands),
	}
	first := events[order[0]].T
	for k, i := range order {
		d.t[k] = float64(events[i].T.Sub(first)) / float64(24*time.Hour)
		d.x[k], d.y[k] = events[i].X, events[i].Y
	}
	for s, b := range spaceBands {
		d.space2[s] = b * b
	}
	d.smax2 = d.space2[len(d.space2)-1]
	d.tmx = timeBands[len(timeBands)-1]

	// Pairs close in time: a sliding window over the time order, counted without
	// keeping them.
	var closeInTime int64
	hi := 0
	for k := range n {
		for hi < n && d.t[hi]-d.t[k] <= d.tmx {
			hi++
		}
		closeInTime += int64(hi - k - 1)
	}
	limit := int64(maxKnoxPairs)
	switch side {
	case pairsSpace:
		limit = maxKnoxPairs
	case pairsTime:
		limit = -1
	default:
		limit = min(limit, closeInTime)
	}
	if limit >= 0 && d.spacePairs(spaceBands[len(spaceBands)-1], limit) {
		d.other = newBander(d.times)
		return d, nil
	}
	if closeInTime > maxKnoxPairs {
		return nil, fmt.Errorf("%d pairs within %v days and more within %v m: more than %d; use narrower bands or fewer events",
			closeInTime, d.tmx, spaceBands[len(spaceBands)-1], maxKnoxPairs)
	}
	d.timePairs(int(closeInTime))
	d.other = newBander(d.space2)
	return d, nil
}

// spacePairs keeps the pairs of locations within the largest distance, with their
// space band, found through a hash of cells of that size. It gives up, and reports
// false, when there are more than limit (or the cells would be absurdly many).
func (d *knoxData) spacePairs(size float64, limit int64) bool {
	n := len(d.x)
	minX, minY := slices.Min(d.x), slices.Min(d.y)
	if (slices.Max(d.x)-minX)/size > 1<<40 || (slices.Max(d.y)-minY)/size > 1<<40 {
		return false // cells too small to number; the pairs close in time will do
	}
	cellOf := func(k int) [2]int64 {
		return [2]int64{int64((d.x[k] - minX) / size), int64((d.y[k] - minY) / size)}
	}
	byCell := make([]int32, n)
	cells := make([][2]int64, n)
	for k := range byCell {
		byCell[k] = int32(k)
		cells[k] = cellOf(k)
	}
	slices.SortFunc(byCell, func(a, b int32) int {
		return cmp.Or(cmp.Compare(cells[a][1], cells[b][1]), cmp.Compare(cells[a][0], cells[b][0]), cmp.Compare(a, b))
	})
	start := make(map[[2]int64][2]int32) // cell -> its run in byCell
	for i := 0; i < n; {
		j := i
		for j < n && cells[byCell[j]] == cells[byCell[i]] {
			j++
		}
		start[cells[byCell[i]]] = [2]int32{int32(i), int32(j)}
		i = j
	}
	d.byTime = false
	d.a, d.b, d.band = d.a[:0], d.b[:0], d.band[:0]
	for k := range n {
		c := cells[k]
		for dy := int64(-1); dy <= 1; dy++ {
			for dx := int64(-1); dx <= 1; dx++ {
				run, ok := start[[2]int64{c[0] + dx, c[1] + dy}]
				if !ok {
					continue
				}
				for _, j := range byCell[run[0]:run[1]] {
					if int(j) <= k {
						continue
					}
					ddx, ddy := d.x[k]-d.x[j], d.y[k]-d.y[j]
					d2 := ddx*ddx + ddy*ddy
					if d2 > d.smax2 {
						continue
					}
					if int64(len(d.a)) >= limit {
						d.a, d.b, d.band = nil, nil, nil
						return false
					}
					d.a = append(d.a, int32(k))
					d.b = append(d.b, j)
					d.band = append(d.band, uint8(bandOf(d.space2, d2)))
				}
			}
		}
	}
	return true
}

// timePairs keeps the pairs of time slots within the largest time band, with their
// time band.
func (d *knoxData) timePairs(count int) {
	d.byTime = true
	d.a = make([]int32, 0, count)
	d.b = make([]int32, 0, count)
	d.band = make([]uint8, 0, count)
	n := len(d.t)
	for k := range n {
		for j := k + 1; j < n && d.t[j]-d.t[k] <= d.tmx; j++ {
			d.a = append(d.a, int32(k))
			d.b = append(d.b, int32(j))
			d.band = append(d.band, uint8(bandOf(d.times, d.t[j]-d.t[k])))
		}
	}
}

// bandOf returns the first band whose upper bound is at least v, or len(bounds).
func bandOf(bounds []float64, v float64) int {
	i := 0
	for i < len(bounds) && v > bounds[i] {
		i++
	}
	return i
}

// count adds to counts the pairs in every space band x time band when location k gets
// the time of slot perm[k]. buf, inv and wide are scratch of len(perm), len(perm) and
// (ns+1) x (nt+1): the extra row and column take the pairs beyond the bands, so the
// loop does not branch on them.
func (d *knoxData) count(perm []int32, buf []float64, inv []int32, wide, counts []int64) {
	clear(wide)
	nt1 := d.nt + 1
	if !d.byTime {
		tp := buf
		for k, slot := range perm {
			tp[k] = d.t[slot]
		}
		for i, a := range d.a {
			dt := math.Abs(tp[a] - tp[d.b[i]])
			wide[int(d.band[i])*nt1+d.other.of(dt)]++
		}
	} else {
		for k, slot := range perm {
			inv[slot] = int32(k)
		}
		for i, a := range d.a {
			la, lb := inv[a], inv[d.b[i]]
			dx, dy := d.x[la]-d.x[lb], d.y[la]-d.y[lb]
			wide[d.other.of(dx*dx+dy*dy)*nt1+int(d.band[i])]++
		}
	}
	for s := range d.ns {
		for t := range d.nt {
			counts[s*d.nt+t] += wide[s*nt1+t]
		}
	}
}

// RiskZone returns how far and how long the risk after an event is raised, as a
// prevention letter to the neighbours after a burglary can state it: "within distance
// metres and days days the risk is ratio times as high". The zone is made of the cells
// with Ratio > 1 and P <= alpha reachable from the first cell (the nearest distance band
// and the first time band) through cells sharing an edge; distance and days are the
// largest bounds it reaches, and ratio pools the observed and expected pairs over all
// bands up to those. ok is false when the first cell itself is not significant: then
// there is nothing to write.
func (r KnoxResult) RiskZone(alpha float64) (distance, days, ratioWithin float64, ok bool) {
	sig := func(s, t int) bool {
		c := r.Cells[s][t]
		return c.Ratio > 1 && c.P <= alpha
	}
	if len(r.Cells) == 0 || len(r.Cells[0]) == 0 || !sig(0, 0) {
		return 0, 0, 0, false
	}
	ns, nt := len(r.Cells), len(r.Cells[0])
	seen := make([]bool, ns*nt)
	seen[0] = true
	queue := [][2]int{{0, 0}}
	maxS, maxT := 0, 0
	for len(queue) > 0 {
		s, t := queue[0][0], queue[0][1]
		queue = queue[1:]
		maxS, maxT = max(maxS, s), max(maxT, t)
		for _, nb := range [][2]int{{s + 1, t}, {s - 1, t}, {s, t + 1}, {s, t - 1}} {
			ns2, nt2 := nb[0], nb[1]
			if ns2 < 0 || nt2 < 0 || ns2 >= ns || nt2 >= nt || seen[ns2*nt+nt2] || !sig(ns2, nt2) {
				continue
			}
			seen[ns2*nt+nt2] = true
			queue = append(queue, nb)
		}
	}
	var obs, exp float64
	for s := 0; s <= maxS; s++ {
		for t := 0; t <= maxT; t++ {
			obs += float64(r.Cells[s][t].Observed)
			exp += r.Cells[s][t].Expected
		}
	}
	return r.Cells[maxS][0].SpaceTo, r.Cells[0][maxT].DaysTo, ratio(obs, exp), true
}
