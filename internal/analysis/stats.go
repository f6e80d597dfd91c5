package analysis

import "math"

// NormalCDF returns P(Z <= z) for a standard normal Z.
func NormalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// twoSidedP returns the two-sided p-value of a standard normal statistic, P(|Z| >= |z|).
// Through Erfc it keeps its precision far into the tail, where 1-NormalCDF would round
// to 0 and every strong hotspot would get the same p.
func twoSidedP(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }

// ChiSquareSF returns the survival function of the chi-square distribution with df
// degrees of freedom, P(X >= x): the p-value of a chi-square statistic x. It is the
// regularized upper incomplete gamma function Q(df/2, x/2). It returns NaN for a NaN x
// or a df that is not positive.
func ChiSquareSF(x, df float64) float64 {
	switch {
	case math.IsNaN(x) || !(df > 0) || math.IsInf(df, 0):
		return math.NaN()
	case x <= 0:
		return 1
	case math.IsInf(x, 1):
		return 0
	}
	return gammaQ(df/2, x/2)
}

// gammaQ returns the regularized upper incomplete gamma function
// Q(a, x) = Gamma(a, x) / Gamma(a) for a > 0 and x > 0, as in Numerical Recipes (Press et
// al., 3rd ed., section 6.2): the series for P = 1-Q below x = a+1, where it converges
// fast, and the continued fraction for Q above, where the series would lose Q to
// cancellation.
func gammaQ(a, x float64) float64 {
	if x < a+1 {
		return 1 - gammaPSeries(a, x)
	}
	return gammaQFraction(a, x)
}

const (
	gammaEps     = 1e-15
	gammaMaxIter = 100_000 // the series needs about sqrt(a) terms; a stays far below this
	gammaTiny    = 1e-300
)

// gammaPrefix returns x^a e^-x / Gamma(a), in logs so that large a does not overflow.
func gammaPrefix(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	return math.Exp(a*math.Log(x) - x - lg)
}

// gammaPSeries returns P(a, x) by its series
// P = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)).
func gammaPSeries(a, x float64) float64 {
	ap, del := a, 1/a
	total := del
	for range gammaMaxIter {
		ap++
		del *= x / ap
		total += del
		if math.Abs(del) < math.Abs(total)*gammaEps {
			break
		}
	}
	return total * gammaPrefix(a, x)
}

// gammaQFraction returns Q(a, x) by its continued fraction, evaluated with the modified
// Lentz method.
func gammaQFraction(a, x float64) float64 {
	b := x + 1 - a
	c := 1 / gammaTiny
	d := 1 / b
	h := d
	for i := 1; i <= gammaMaxIter; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < gammaTiny {
			d = gammaTiny
		}
		c = b + an/c
		if math.Abs(c) < gammaTiny {
			c = gammaTiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < gammaEps {
			break
		}
	}
	return gammaPrefix(a, x) * h
}
