package analysis

import (
	"cmp"
	"math"
	"slices"
)

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted p-values (q-values) of p:
// q_(k) = min over j >= k of p_(j) * m / j for the p-values sorted ascending, capped at 1
// (Benjamini & Hochberg 1995, "Controlling the false discovery rate", JRSS B 57(1),
// 289-300; the adjustment of R's p.adjust(method = "BH")). Declaring significant the
// tests with q <= alpha rejects exactly what the step-up procedure at level alpha
// rejects, and keeps the expected share of false discoveries among them at most alpha
// for independent or positively dependent tests, such as the overlapping neighbourhoods
// of Gi*. Testing thousands of cells at p <= 0.05 instead would show about one false
// hotspot in twenty cells of a map without any.
//
// q is monotone in p and in the same order as p. A NaN p-value gets a NaN q-value and
// still counts among the m tests.
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		pi, pj := p[i], p[j]
		switch ni, nj := math.IsNaN(pi), math.IsNaN(pj); {
		case ni && nj:
			return 0
		case ni:
			return 1
		case nj:
			return -1
		}
		return cmp.Compare(pi, pj)
	})
	q := make([]float64, m)
	running := 1.0
	for k := m - 1; k >= 0; k-- {
		i := order[k]
		if math.IsNaN(p[i]) {
			q[i] = math.NaN()
			continue
		}
		// p / (k/m) rather than p * m / k: it never rounds below p.
		running = math.Min(running, p[i]/(float64(k+1)/float64(m)))
		q[i] = running
	}
	return q
}
