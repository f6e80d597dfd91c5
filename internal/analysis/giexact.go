package analysis

import (
	"fmt"
	"math"
	"slices"
)

// PValueMethod chooses how Gi* p-values are computed.
type PValueMethod int

const (
	PValueNormal PValueMethod = iota // the normal approximation (ArcGIS); the default
	PValueExact                      // exact under conditional randomization; error when counts are not whole numbers
	PValueAuto                       // exact when it applies and is cheap, else normal
)

// String returns the name of the method, as in the constants without "PValue".
func (m PValueMethod) String() string {
	switch m {
	case PValueAuto:
		return "auto"
	case PValueNormal:
		return "normal"
	case PValueExact:
		return "exact"
	}
	return fmt.Sprintf("PValueMethod(%d)", int(m))
}

const (
	// exactMaxCount is the largest count the exact method takes; larger ones would make
	// the table of sums absurdly large long before they overflowed an int.
	exactMaxCount = 1 << 40
	// exactMaxEntries bounds the table of sums of the exact method: (k+1) rows of draws
	// by (largest sum + 1) columns, held twice. 1<<22 entries are 32 MiB a copy.
	exactMaxEntries = 1 << 22
	// exactAutoEntries is the bound for PValueAuto: 8 MiB a copy. A map of 20 events per
	// cell at radius 2 needs some 25,000 entries; a million comes from one cell holding
	// a hundred thousand (a default geocode), where the normal is the sensible choice.
	exactAutoEntries = 1 << 20
	// exactAutoWork bounds the estimated work of the exact method (exactPlan.work) for
	// PValueAuto to choose it. The estimate overcounts; on maps of 76,800 cells an
	// estimated 1e8 to 5e9 ran at 0.2 to 0.4 ns a unit (with the normal's 10 to 20 ms
	// besides), so 4e8 keeps the exact p-values within about 0.1 s: at radius 1 beyond
	// 50 events per cell (2e7 there), at radius 2 up to 20 (7e7; 50 is 4.2e8), at radius
	// 3 up to 10 (1.4e8; 20 is 5e8). Beyond, the neighbourhoods hold hundreds of events
	// and the normal is good.
	exactAutoWork = 4e8
)

// ExactTooLargeError says that exact p-values would need too large a table of sums: a
// large radius with large counts, or one cell holding very many events (a default
// location that many registrations were given) beside sparse ones.
type ExactTooLargeError struct {
	Entries    float64 // the table's size
	Neighbours int     // the most neighbours of a cell
	Largest    int     // the largest count
}

func (e *ExactTooLargeError) Error() string {
	return fmt.Sprintf("gi*: exact p-values need a table of %.3g sums (%d neighbours, counts up to %d), more than %d; use the normal ones",
		e.Entries, e.Neighbours, e.Largest, exactMaxEntries)
}

// exactPlan describes the exact p-values of one Gi* analysis before they are computed:
// the pool of study counts as distinct values ascending with their frequencies, and the
// most neighbours any study cell has.
type exactPlan struct {
	values, freq []int
	kmax         int
}

// newExactPlan returns the plan for the study counts xs (whole numbers, at least 0) with
// the given most neighbours of a cell.
func newExactPlan(xs []int, kmax int) exactPlan {
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var p exactPlan
	for i, x := range sorted {
		if i == 0 || x != sorted[i-1] {
			p.values = append(p.values, x)
			p.freq = append(p.freq, 0)
		}
		p.freq[len(p.freq)-1]++
	}
	p.kmax = kmax
	return p
}

// width returns the columns of the table of sums: every sum of kmax draws fits.
func (p exactPlan) width() float64 {
	return float64(p.kmax)*float64(p.values[len(p.values)-1]) + 1
}

// entries returns the size of one copy of the table of sums.
func (p exactPlan) entries() float64 { return float64(p.kmax+1) * p.width() }

// work estimates the multiply-adds of the exact p-values: one table per distinct count
// of a cell, each adding the distinct values v of the pool in turn, which convolves the
// row of i draws (at most i v + 1 sums wide) into rows i+1..i+min(f_v, k).
func (p exactPlan) work() float64 {
	var perTable float64
	k := p.kmax
	for m, v := range p.values {
		for j := 0; j <= k; j++ {
			// Rows i = j-c for c = 0..min(f, j): i from j-c to j.
			c := min(p.freq[m], j)
			perTable += float64(c+1) + float64(v)*float64(c+1)*float64(2*j-c)/2
		}
	}
	return float64(len(p.values)) * perTable
}

// drawTable holds the distributions of the sum of j values drawn without replacement
// from a pool of whole numbers, for j = 0..k: P(sum = s) at p[j*width+s], which is 0
// outside [lo[j], hi[j]] (the entries there are not kept clear). A row with lo > hi is
// empty: the pool has fewer than j values.
type drawTable struct {
	width  int
	p      []float64
	lo, hi []int
	// Scratch: the next table while adding a value, and rows of log binomials.
	next                 []float64
	nlo, nhi             []int
	lcOld, lcNew, lcFreq []float64
}

// row returns the distribution of the sum of j draws from lo[j] on.
func (t *drawTable) row(j int) []float64 {
	return t.p[j*t.width+t.lo[j] : j*t.width+t.hi[j]+1]
}

// logChoose sets dst[j] = log C(n, j) for j = 0..len(dst)-1, -Inf for j > n.
func logChoose(dst []float64, n int) {
	dst[0] = 0
	for j := 1; j < len(dst); j++ {
		if j > n {
			dst[j] = math.Inf(-1)
			continue
		}
		dst[j] = dst[j-1] + math.Log(float64(n-j+1)/float64(j))
	}
}

// fill computes the table for the pool given as distinct values ascending with their
// frequencies (a frequency may be 0), for up to k draws. The table is reused between
// calls; width must fit every sum of k draws.
//
// The pool is added one distinct value v at a time. With N values so far and f copies
// of v, a j-subset of the N + f values is a (j-c)-subset of the first N and c copies of
// v, so with the rows kept as probabilities
//
//	P'(j, s) = sum_c h(c) P(j-c, s - c v),  h(c) = C(f, c) C(N, j-c) / C(N+f, j),
//
// the hypergeometric weights, which sum to 1 over c. Every row stays a distribution
// whatever the size of the binomials (C(76799, 48) is about 1e188), so nothing
// overflows, and nothing that matters underflows: an entry below the smallest float64
// is a probability below 1e-308 and contributes at most that to any final one.
func (t *drawTable) fill(values, freq []int, k, width int) {
	rows := k + 1
	if need := rows * width; len(t.p) < need {
		t.p = make([]float64, need)
		t.next = make([]float64, need)
	}
	if len(t.lo) < rows {
		t.lo, t.hi = make([]int, rows), make([]int, rows)
		t.nlo, t.nhi = make([]int, rows), make([]int, rows)
		t.lcOld, t.lcNew, t.lcFreq = make([]float64, rows), make([]float64, rows), make([]float64, rows)
	}
	t.width = width
	t.lo, t.hi, t.nlo, t.nhi = t.lo[:rows], t.hi[:rows], t.nlo[:rows], t.nhi[:rows]
	lcOld, lcNew, lcFreq := t.lcOld[:rows], t.lcNew[:rows], t.lcFreq[:rows]
	for j := range rows {
		t.lo[j], t.hi[j] = 1, 0
	}
	t.p[0], t.lo[0], t.hi[0] = 1, 0, 0
	logChoose(lcOld, 0)
	n := 0
	for m, v := range values {
		f := freq[m]
		if f == 0 {
			continue
		}
		logChoose(lcNew, n+f)
		logChoose(lcFreq[:min(f, k)+1], f)
		// The range of every new row first, so that only it needs clearing.
		for j := range rows {
			lo, hi := math.MaxInt, -1
			for c := max(0, j-n); c <= min(f, j); c++ {
				if i := j - c; t.lo[i] <= t.hi[i] {
					lo, hi = min(lo, t.lo[i]+c*v), max(hi, t.hi[i]+c*v)
				}
			}
			if hi < 0 {
				t.nlo[j], t.nhi[j] = 1, 0
				continue
			}
			t.nlo[j], t.nhi[j] = lo, hi
			clear(t.next[j*width+lo : j*width+hi+1])
		}
		for j := range rows {
			if t.nlo[j] > t.nhi[j] {
				continue
			}
			for c := max(0, j-n); c <= min(f, j); c++ {
				i := j - c
				if t.lo[i] > t.hi[i] {
					continue
				}
				h := math.Exp(lcFreq[c] + lcOld[i] - lcNew[j])
				if h == 0 {
					continue
				}
				src := t.p[i*width+t.lo[i] : i*width+t.hi[i]+1]
				at := j*width + t.lo[i] + c*v
				dst := t.next[at : at+len(src)]
				for s, q := range src {
					dst[s] += h * q
				}
			}
		}
		t.p, t.next = t.next, t.p
		t.lo, t.nlo = t.nlo, t.lo
		t.hi, t.nhi = t.nhi, t.hi
		lcOld, lcNew = lcNew, lcOld
		n += f
	}
}

// exactGiP returns the exact two-sided p-value of Gi* for every study cell under
// conditional randomization, and the side that the smaller tail is on (+1 the upper, -1
// the lower, 0 neither). Cell c has count xs[c], ks[c] neighbours (itself not included)
// and their counts sum to ts[c]; the pool is xs. For a cell with count x the k
// neighbours are a random k-subset of the pool without one copy of x, so the
// distribution depends only on x and k: it is computed once per distinct x for the
// most neighbours any cell with that x has, and its tails once per (x, k).
func exactGiP(plan exactPlan, xs, ks, ts []int) (p []float64, side []int8) {
	p = make([]float64, len(xs))
	side = make([]int8, len(xs))
	// The cells by the position of their count among plan.values, in buckets.
	at := make([]int, len(xs))
	first := make([]int, len(plan.values)+1)
	for c, x := range xs {
		m, _ := slices.BinarySearch(plan.values, x)
		at[c] = m
		first[m+1]++
	}
	for m := range plan.values {
		first[m+1] += first[m]
	}
	order := make([]int, len(xs))
	next := slices.Clone(first[:len(plan.values)])
	for c, m := range at {
		order[next[m]] = c
		next[m]++
	}

	var t drawTable
	freq := slices.Clone(plan.freq)
	width := int(plan.width())
	// Tails of the sum of k draws for the current count, each summed from its own end
	// so that small tails keep their precision: upper[k][s] = P(T >= lo+s) and
	// lower[k][s] = P(T <= lo+s) with lo = t.lo[k]; done[k] says they are for count m.
	upper := make([][]float64, plan.kmax+1)
	lower := make([][]float64, plan.kmax+1)
	done := make([]int, plan.kmax+1)
	for m := range plan.values {
		cells := order[first[m]:first[m+1]]
		kmax := 0
		for _, c := range cells {
			kmax = max(kmax, ks[c])
		}
		freq[m]--
		t.fill(plan.values, freq, kmax, width)
		freq[m]++
		for _, c := range cells {
			k := ks[c]
			if done[k] != m+1 {
				done[k] = m + 1
				row := t.row(k)
				up := slices.Grow(upper[k][:0], len(row))[:len(row)]
				down := slices.Grow(lower[k][:0], len(row))[:len(row)]
				var acc float64
				for s := len(row) - 1; s >= 0; s-- {
					acc += row[s]
					up[s] = acc
				}
				acc = 0
				for s, q := range row {
					acc += q
					down[s] = acc
				}
				upper[k], lower[k] = up, down
			}
			s := ts[c] - t.lo[k] // within the row: the observed neighbours are one of the draws
			hot, cold := upper[k][s], lower[k][s]
			p[c] = math.Min(1, 2*math.Min(hot, cold))
			switch {
			case hot < cold:
				side[c] = 1
			case cold < hot:
				side[c] = -1
			}
		}
	}
	return p, side
}
