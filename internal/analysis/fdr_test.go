package analysis

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestBenjaminiHochberg1995(t *testing.T) {
	// The 15 p-values of Benjamini & Hochberg (1995), section 4. At a false discovery
	// rate of 0.05 the procedure rejects the four smallest (Bonferroni only three).
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
		0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000}
	// By hand: p_(k) * 15 / k, then the running minimum from the largest down.
	want := []float64{
		0.0001 * 15 / 1, 0.0004 * 15 / 2, 0.0019 * 15 / 3, 0.0095 * 15 / 4,
		0.0201 * 15 / 5,  // 0.0603, below 0.0298*15/7 = 0.06386
		0.0298 * 15 / 7,  // 0.0278*15/6 = 0.0695 is above the next
		0.0298 * 15 / 7,  //
		0.0344 * 15 / 8,  // 0.0645
		0.0459 * 15 / 9,  // 0.0765
		0.3240 * 15 / 10, // 0.486
		0.4262 * 15 / 11, 0.5719 * 15 / 12, 0.6528 * 15 / 13, 0.7590 * 15 / 14, 1,
	}
	got := BenjaminiHochberg(p)
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("q-values mismatch (-want +got):\n%s", diff)
	}
	var rejected []int
	for i, q := range got {
		if q <= 0.05 {
			rejected = append(rejected, i)
		}
	}
	if diff := cmp.Diff([]int{0, 1, 2, 3}, rejected); diff != "" {
		t.Errorf("rejections at 0.05 mismatch (-want +got):\n%s", diff)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{name: "empty", p: []float64{}, want: []float64{}},
		{name: "one test is not adjusted", p: []float64{0.03}, want: []float64{0.03}},
		{name: "order of the input is kept", p: []float64{0.04, 0.01, 0.03}, want: []float64{0.04, 0.03, 0.04}},
		{name: "ties get the same q", p: []float64{0.02, 0.02, 0.02, 0.5}, want: []float64{0.02 * 4 / 3, 0.02 * 4 / 3, 0.02 * 4 / 3, 0.5}},
		{name: "capped at 1", p: []float64{0.9, 0.95}, want: []float64{0.95, 0.95}},
		{name: "capped at 1 for large p", p: []float64{0.6, 0.8, 0.99}, want: []float64{0.99, 0.99, 0.99}},
		{name: "NaN stays NaN and counts as a test", p: []float64{0.01, nan}, want: []float64{0.02, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BenjaminiHochberg(tt.p)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			for i := range got {
				for j := range got {
					if tt.p[i] < tt.p[j] && got[i] > got[j] {
						t.Errorf("p %v < %v but q %v > %v: not monotone", tt.p[i], tt.p[j], got[i], got[j])
					}
				}
				if got[i] < tt.p[i] || got[i] > 1 {
					t.Errorf("q %v for p %v: want between p and 1", got[i], tt.p[i])
				}
			}
		})
	}
}
