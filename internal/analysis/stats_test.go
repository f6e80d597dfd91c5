package analysis

import (
	"math"
	"testing"
)

func TestChiSquareSFKnownValues(t *testing.T) {
	// Critical values from any chi-square table.
	tests := []struct {
		x, df, want, tol float64
	}{
		{x: 3.841, df: 1, want: 0.05, tol: 1e-4},
		{x: 6.635, df: 1, want: 0.01, tol: 1e-5},
		{x: 5.991, df: 2, want: 0.05, tol: 1e-4},
		{x: 18.307, df: 10, want: 0.05, tol: 1e-5},
		{x: 23.209, df: 10, want: 0.01, tol: 1e-5},
		{x: 124.342, df: 100, want: 0.05, tol: 1e-5},
		{x: 0, df: 167, want: 1, tol: 0},
		{x: -1, df: 5, want: 1, tol: 0},
		{x: math.Inf(1), df: 5, want: 0, tol: 0},
	}
	for _, tt := range tests {
		if got := ChiSquareSF(tt.x, tt.df); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("ChiSquareSF(%v, %v) = %v, want %v within %v", tt.x, tt.df, got, tt.want, tt.tol)
		}
	}
	for _, bad := range [][2]float64{{math.NaN(), 3}, {3, 0}, {3, -1}, {3, math.NaN()}} {
		if got := ChiSquareSF(bad[0], bad[1]); !math.IsNaN(got) {
			t.Errorf("ChiSquareSF(%v, %v) = %v, want NaN", bad[0], bad[1], got)
		}
	}
}

// chiSquareSFEven is the closed form for even df = 2k: the probability of fewer than k
// events of a Poisson process with mean x/2, e^(-x/2) sum_{i<k} (x/2)^i / i!.
func chiSquareSFEven(x float64, df int) float64 {
	term, total := math.Exp(-x/2), 0.0
	for i := range df / 2 {
		if i > 0 {
			term *= x / 2 / float64(i)
		}
		total += term
	}
	return total
}

func TestChiSquareSFClosedForms(t *testing.T) {
	for _, x := range []float64{0.01, 0.5, 1, 3.2, 10, 40, 120, 150, 167, 190, 230, 300} {
		// df 1: the two tails of the normal beyond sqrt(x).
		if got, want := ChiSquareSF(x, 1), math.Erfc(math.Sqrt(x/2)); math.Abs(got-want) > 1e-12*want+1e-300 {
			t.Errorf("df 1, x %v: %v, want %v", x, got, want)
		}
		for _, df := range []int{2, 10, 166, 168} {
			if got, want := ChiSquareSF(x, float64(df)), chiSquareSFEven(x, df); math.Abs(got-want) > 1e-10*want+1e-300 {
				t.Errorf("df %d, x %v: %v, want %v", df, x, got, want)
			}
		}
	}
}

func TestChiSquareSF167(t *testing.T) {
	// The hour-by-weekday test has 167 degrees of freedom. Check it two independent ways:
	// it lies between the exact values for 166 and 168 degrees (the survival function
	// grows with df), and it agrees with the Wilson-Hilferty cube-root normal
	// approximation, which is good to about 1e-4 at this many degrees of freedom.
	const df = 167.0
	wilsonHilferty := func(x float64) float64 {
		v := 2 / (9 * df)
		return 1 - NormalCDF((math.Cbrt(x/df)-(1-v))/math.Sqrt(v))
	}
	for _, x := range []float64{120, 150, 167, 180, 197.9, 210, 230, 260} {
		got := ChiSquareSF(x, df)
		if lo, hi := chiSquareSFEven(x, 166), chiSquareSFEven(x, 168); !(lo < got && got < hi) {
			t.Errorf("x %v: %v, not between df 166 (%v) and df 168 (%v)", x, got, lo, hi)
		}
		if want := wilsonHilferty(x); math.Abs(got-want) > 1e-4 {
			t.Errorf("x %v: %v, Wilson-Hilferty %v", x, got, want)
		}
	}
	// The 5% critical value of chi-square with 167 df is about 198.
	if got := ChiSquareSF(198.0, df); math.Abs(got-0.05) > 0.002 {
		t.Errorf("x 198: %v, want about 0.05", got)
	}
}

func TestNormal(t *testing.T) {
	tests := []struct {
		z, cdf, twoSided float64
	}{
		{z: 0, cdf: 0.5, twoSided: 1},
		{z: 1.959963985, cdf: 0.975, twoSided: 0.05},
		{z: -1.644853627, cdf: 0.05, twoSided: 0.1},
		{z: 2.575829304, cdf: 0.995, twoSided: 0.01},
		{z: -3.290526731, cdf: 0.0005, twoSided: 0.001},
	}
	for _, tt := range tests {
		if got := NormalCDF(tt.z); math.Abs(got-tt.cdf) > 1e-9 {
			t.Errorf("NormalCDF(%v) = %v, want %v", tt.z, got, tt.cdf)
		}
		if got := twoSidedP(tt.z); math.Abs(got-tt.twoSided) > 1e-9 {
			t.Errorf("twoSidedP(%v) = %v, want %v", tt.z, got, tt.twoSided)
		}
	}
	// Far in the tail strong clusters must still be told apart.
	if p10, p12 := twoSidedP(10), twoSidedP(12); !(p10 > p12 && p12 > 0) {
		t.Errorf("twoSidedP(10) = %v, twoSidedP(12) = %v; want both positive and decreasing", p10, p12)
	}
}
