package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"baken/internal/analysis"
)

// SEPP is a self-exciting point process: events arrive as a Poisson process whose
// intensity at place s and time t is a long-term background plus a short-lived
// increase near every recent event,
//
//	lambda(s, t) = mu(s) + sum over earlier events j of theta * h(t - t_j) * k(s - s_j)
//
// with, truncated and renormalised so that each integrates to 1 over its support,
//
//	h(dt) = omega exp(-omega dt)                for 0 < dt <= MaxLag (days)
//	k(ds) = exp(-|ds|^2 / 2 sigma^2) / 2 pi sigma^2   for |ds| <= MaxDistance (metres)
//
// theta is the mean number of events an event triggers directly (the branching ratio),
// 1/omega the mean lag (before truncation) and sigma the spatial spread.
//
// The variant, and why: Mohler, Short, Brantingham, Schoenberg and Tita (2011),
// "Self-exciting point process modeling of crime", JASA 106(493) 100-108, estimate both
// background and triggering non-parametrically from a stochastic declustering; Mohler
// et al. (2015), "Randomized controlled field trials of predictive policing", JASA
// 110(512) 1399-1411, fit one temporal Hawkes process per grid cell with an exponential
// kernel, a background rate per cell and no spatial triggering. Here the background is
// either the 2015 one, a rate per grid cell (Bandwidth 0, the default: it keeps the
// sharp, address-level concentration that counts per cell have), or, with a Bandwidth,
// the 2011 one, a kernel density of the events weighted by their probability of being
// background (quartic kernel, analysis.KDEWeighted); both are constant in time. The
// triggering is the parametric exponential-in-time of 2015, made spatial with an
// isotropic Gaussian so that a burst can spill into the next cells, as in Mohler's
// later parametric models. All of theta, omega, sigma and the background are estimated
// by expectation-maximisation (Veen and Schoenberg 2008): the E-step gives each event
// the probability that it is background and that it was triggered by each earlier
// event; the M-step re-estimates background (weighted density), theta (expected
// triggered events over the expected number the training events could trigger before
// the window ends), omega and sigma (weighted maximum likelihood for the truncated
// exponential and the truncated Gaussian, solved by bisection).
//
// What keeps it fast: only events of the last Window are used (the naive fit is
// quadratic in their number); triggering is cut at MaxDistance and MaxLag, so pairs are
// found through a spatial hash and a time-sorted scan and each EM step is linear in the
// number of pairs; EM starts from the previous fit (warm start); and with RefitEvery k
// > 1 only every k-th forecast runs EM to convergence, while the others keep theta,
// omega and sigma and redo one E-step to move the background to the new window.
//
// A SEPP keeps its last fit between calls of Forecast, so it is not safe for concurrent
// use; give each evaluation its own.
type SEPP struct {
	Window      time.Duration // training window before the origin; default 8 years (2,920 days)
	Bandwidth   float64       // background kernel bandwidth in metres; 0: a background per cell
	MaxDistance float64       // triggering cut off beyond this distance in metres; default 250
	MaxLag      time.Duration // triggering cut off beyond this lag; default 60 days
	// MinSigma bounds the spatial spread of the triggering from below, in metres;
	// default 30. Where coordinates are rounded or moved to the block (as in most open
	// crime data), repeats at the very same point let the likelihood grow without bound
	// as sigma shrinks, and EM then reads "same address" as triggering; a floor at the
	// coordinates' precision keeps the kernel spatial.
	MinSigma   float64
	RefitEvery int     // run EM every k-th forecast, update the background in between; default 1
	MaxIter    int     // EM iterations at most; default 200
	Tolerance  float64 // EM stops when no parameter changes by more than this fraction; default 1e-4

	last  *SEPPFit
	calls int
}

// SEPPParams are the triggering parameters of a SEPP.
type SEPPParams struct {
	Theta float64 // events triggered directly per event
	Omega float64 // decay rate of the triggering, per day
	Sigma float64 // spatial spread of the triggering (standard deviation per axis), metres
}

// SEPPFit is a fitted SEPP.
type SEPPFit struct {
	SEPPParams
	Grid        analysis.Grid
	Rate        []float64 // background events per cell per day
	MaxLag      float64   // days
	MaxDistance float64   // metres
	Events      int       // events in the window
	Pairs       int       // pairs of events within MaxDistance and MaxLag
	Iterations  int       // EM iterations run (1 for a background update)
	Converged   bool
}

func (m *SEPP) withDefaults() SEPP {
	c := *m
	if c.Window <= 0 {
		c.Window = 8 * 365 * Day
	}
	if c.Bandwidth < 0 {
		c.Bandwidth = 0
	}
	if c.MaxDistance <= 0 {
		c.MaxDistance = 250
	}
	if c.MaxLag <= 0 {
		c.MaxLag = 60 * Day
	}
	if c.MinSigma <= 0 {
		c.MinSigma = 30
	}
	c.MinSigma = min(c.MinSigma, c.MaxDistance/2)
	if c.RefitEvery <= 0 {
		c.RefitEvery = 1
	}
	if c.MaxIter <= 0 {
		c.MaxIter = 200
	}
	if c.Tolerance <= 0 {
		c.Tolerance = 1e-4
	}
	return c
}

// Name is "sepp(window,background,distance,lag,min sigma,refit)".
func (m *SEPP) Name() string {
	c := m.withDefaults()
	bg := "bg-cell"
	if c.Bandwidth > 0 {
		bg = fmt.Sprintf("bg%gm", c.Bandwidth)
	}
	return fmt.Sprintf("sepp(%s,%s,%gm,%s,s>=%gm,k%d)", FormatDuration(c.Window), bg, c.MaxDistance,
		FormatDuration(c.MaxLag), c.MinSigma, c.RefitEvery)
}

// Forecast fits the model to the training events of the window before the origin (or,
// between refits, updates the background of the last fit) and returns the expected
// number of events per cell in [origin, origin+horizon): background rate times horizon
// plus what the events of the last MaxLag are expected to trigger in the horizon.
// Events triggered by events inside the horizon are not added.
func (m *SEPP) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	c := m.withDefaults()
	m.calls++
	var fit SEPPFit
	var err error
	warm := m.last
	if warm != nil && warm.Grid != g {
		warm = nil
	}
	if warm != nil && (m.calls-1)%c.RefitEvery != 0 {
		fit, err = c.fit(train, g, origin, warm, true)
	} else {
		fit, err = c.fit(train, g, origin, warm, false)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name(), err)
	}
	m.last = &fit
	return fit.Predict(train, origin, horizon), nil
}

// Fit fits the model by EM to the events of train in [end-Window, end), starting from
// start when it is not nil and on the same grid (a warm start), else from a default.
func (m *SEPP) Fit(train []analysis.Event, g analysis.Grid, end time.Time, start *SEPPFit) (SEPPFit, error) {
	c := m.withDefaults()
	if start != nil && start.Grid != g {
		start = nil
	}
	fit, err := c.fit(train, g, end, start, false)
	if err != nil {
		return SEPPFit{}, fmt.Errorf("%s: %w", m.Name(), err)
	}
	return fit, nil
}

// seppData is the training data of a fit: events in time order with their times in days
// from the start of the window, their cells, and the pairs that may trigger.
type seppData struct {
	evs    []analysis.Event
	t      []float64
	cell   []int
	span   float64 // days from the start of the window to its end
	pi, pj []int32 // pair k: event pi[k] may have been triggered by event pj[k]
	dt, d2 []float64
}

func (c SEPP) data(train []analysis.Event, g analysis.Grid, end time.Time) (seppData, error) {
	var d seppData
	start := end.Add(-c.Window)
	for _, e := range train {
		if e.T.Before(start) || !e.T.Before(end) {
			continue
		}
		if _, ok := g.Cell(e.X, e.Y); ok {
			d.evs = append(d.evs, e)
		}
	}
	slices.SortStableFunc(d.evs, func(a, b analysis.Event) int { return a.T.Compare(b.T) })
	if len(d.evs) > math.MaxInt32 {
		return d, errors.New("too many events")
	}
	// The window starts at the first event when the data start later than the window.
	if len(d.evs) > 0 && d.evs[0].T.After(start) {
		start = d.evs[0].T
	}
	d.span = end.Sub(start).Hours() / 24
	d.t = make([]float64, len(d.evs))
	d.cell = make([]int, len(d.evs))
	for i, e := range d.evs {
		d.t[i] = e.T.Sub(start).Hours() / 24
		d.cell[i], _ = g.Cell(e.X, e.Y)
	}

	// Pairs through a hash of square buckets of side MaxDistance: a partner lies in the
	// same or a neighbouring bucket. Buckets hold event indexes in time order, so the
	// scan back from the newest stops at the first partner older than MaxLag.
	maxLag := c.MaxLag.Hours() / 24
	dmax, dmax2 := c.MaxDistance, c.MaxDistance*c.MaxDistance
	type key struct{ x, y int }
	buckets := map[key][]int32{}
	for i, e := range d.evs {
		bx, by := int(math.Floor(e.X/dmax)), int(math.Floor(e.Y/dmax))
		for nx := bx - 1; nx <= bx+1; nx++ {
			for ny := by - 1; ny <= by+1; ny++ {
				b := buckets[key{nx, ny}]
				for k := len(b) - 1; k >= 0; k-- {
					j := b[k]
					lag := d.t[i] - d.t[j]
					if lag > maxLag {
						break
					}
					if lag <= 0 {
						continue // simultaneous events do not trigger each other
					}
					dx, dy := e.X-d.evs[j].X, e.Y-d.evs[j].Y
					if r2 := dx*dx + dy*dy; r2 <= dmax2 {
						d.pi = append(d.pi, int32(i))
						d.pj = append(d.pj, j)
						d.dt = append(d.dt, lag)
						d.d2 = append(d.d2, r2)
					}
				}
			}
		}
		buckets[key{bx, by}] = append(buckets[key{bx, by}], int32(i))
	}
	return d, nil
}

// fit runs EM from start (or a cold start when nil). With update it keeps the
// triggering parameters of start and runs one E-step and a background M-step.
func (c SEPP) fit(train []analysis.Event, g analysis.Grid, end time.Time, start *SEPPFit, update bool) (SEPPFit, error) {
	d, err := c.data(train, g, end)
	if err != nil {
		return SEPPFit{}, err
	}
	f := SEPPFit{
		Grid:        g,
		MaxLag:      c.MaxLag.Hours() / 24,
		MaxDistance: c.MaxDistance,
		Events:      len(d.evs),
		Pairs:       len(d.pi),
	}
	if len(d.evs) == 0 || d.span <= 0 {
		f.Rate = make([]float64, g.Cells())
		f.SEPPParams = SEPPParams{Theta: 0, Omega: 1 / f.MaxLag, Sigma: f.MaxDistance / 4}
		f.Converged = true
		return f, nil
	}
	n := len(d.evs)
	w := make([]float64, n) // probability that event i is background
	if start != nil {
		f.SEPPParams = start.SEPPParams
		f.Rate = start.Rate
	} else {
		f.SEPPParams = SEPPParams{Theta: 0.2, Omega: 4 / f.MaxLag, Sigma: f.MaxDistance / 4}
		for i := range w {
			w[i] = 1 - f.Theta
		}
		if f.Rate, err = c.background(g, d, w); err != nil {
			return SEPPFit{}, err
		}
	}
	trig := make([]float64, len(d.pi))
	lambda := make([]float64, n)
	cellArea := g.Size * g.Size
	for it := 1; it <= c.MaxIter; it++ {
		f.Iterations = it
		// E-step: the intensity at every event, background plus triggering.
		tn := timeNorm(f.Omega, f.MaxLag)
		sn := spaceNorm(f.Sigma, f.MaxDistance)
		for i := range lambda {
			lambda[i] = math.Max(f.Rate[d.cell[i]]/cellArea, 1e-300)
		}
		scale := f.Theta * f.Omega / tn / sn
		inv2s2 := 1 / (2 * f.Sigma * f.Sigma)
		for k := range d.pi {
			v := scale * math.Exp(-f.Omega*d.dt[k]-d.d2[k]*inv2s2)
			trig[k] = v
			lambda[d.pi[k]] += v
		}
		// M-step.
		for i := range w {
			w[i] = math.Max(f.Rate[d.cell[i]]/cellArea, 1e-300) / lambda[i]
		}
		if f.Rate, err = c.background(g, d, w); err != nil {
			return SEPPFit{}, err
		}
		if update {
			f.Converged = true
			break
		}
		var sumP, sumPdt, sumPd2 float64
		for k := range d.pi {
			p := trig[k] / lambda[d.pi[k]]
			sumP += p
			sumPdt += p * d.dt[k]
			sumPd2 += p * d.d2[k]
		}
		next := f.SEPPParams
		var exposure float64 // expected share of each event's offspring inside the window
		for i := range d.t {
			exposure += timeCDF(d.span-d.t[i], f.Omega, f.MaxLag)
		}
		next.Theta = 0
		if exposure > 0 {
			next.Theta = sumP / exposure
		}
		if sumP > 0 {
			next.Omega = solveOmega(sumPdt/sumP, f.MaxLag)
			next.Sigma = max(solveSigma(sumPd2/sumP, f.MaxDistance), c.MinSigma)
		}
		done := relChange(f.Theta, next.Theta) < c.Tolerance && relChange(f.Omega, next.Omega) < c.Tolerance &&
			relChange(f.Sigma, next.Sigma) < c.Tolerance
		f.SEPPParams = next
		if done {
			f.Converged = true
			break
		}
	}
	return f, nil
}

// background returns the background rate per cell per day: the events weighted by their
// probability of being background, per cell or smoothed by the kernel, over the
// window's span.
func (c SEPP) background(g analysis.Grid, d seppData, w []float64) ([]float64, error) {
	if c.Bandwidth == 0 {
		rate := make([]float64, g.Cells())
		for i, wi := range w {
			rate[d.cell[i]] += wi / d.span
		}
		return rate, nil
	}
	dens, err := analysis.KDEWeighted(g, d.evs, w, c.Bandwidth)
	if err != nil {
		return nil, fmt.Errorf("background: %w", err)
	}
	for i := range dens {
		dens[i] /= d.span
	}
	return dens, nil
}

// Predict returns the expected number of events per cell of the fit's grid in
// [origin, origin+horizon): the background plus what the events of train in the last
// MaxLag before the origin trigger in that period (its share of the truncated temporal
// kernel, spread over the cells by the Gaussian's mass in each cell).
func (f SEPPFit) Predict(train []analysis.Event, origin time.Time, horizon time.Duration) []float64 {
	g := f.Grid
	h := horizon.Hours() / 24
	risk := make([]float64, g.Cells())
	for i, r := range f.Rate {
		risk[i] = r * h
	}
	if f.Theta <= 0 {
		return risk
	}
	sn := spaceNorm(f.Sigma, f.MaxDistance) / (2 * math.Pi * f.Sigma * f.Sigma) // truncation factor
	reach := int(math.Ceil(f.MaxDistance/g.Size)) + 1
	s := f.Sigma * math.Sqrt2
	colMass := make([]float64, 2*reach+1)
	rowMass := make([]float64, 2*reach+1)
	for _, e := range train {
		age := origin.Sub(e.T).Hours() / 24
		if age <= 0 || age > f.MaxLag {
			continue
		}
		ci, ok := g.Cell(e.X, e.Y)
		if !ok {
			continue
		}
		share := f.Theta * (timeCDF(age+h, f.Omega, f.MaxLag) - timeCDF(age, f.Omega, f.MaxLag))
		if share <= 0 {
			continue
		}
		row, col := g.RowCol(ci)
		for k := -reach; k <= reach; k++ {
			x0 := g.X0 + float64(col+k)*g.Size - e.X
			colMass[k+reach] = 0.5 * (math.Erf((x0+g.Size)/s) - math.Erf(x0/s))
			y0 := g.Y0 + float64(row+k)*g.Size - e.Y
			rowMass[k+reach] = 0.5 * (math.Erf((y0+g.Size)/s) - math.Erf(y0/s))
		}
		for dr := -reach; dr <= reach; dr++ {
			for dc := -reach; dc <= reach; dc++ {
				j, ok := g.Index(row+dr, col+dc)
				if !ok {
					continue
				}
				// Only cells whose centre lies within MaxDistance (plus half a diagonal) take
				// part, matching the truncation of the kernel.
				cx, cy := g.Center(j)
				if math.Hypot(cx-e.X, cy-e.Y) > f.MaxDistance+g.Size*math.Sqrt2/2 {
					continue
				}
				risk[j] += share * colMass[dc+reach] * rowMass[dr+reach] / sn
			}
		}
	}
	return risk
}

// timeNorm is the mass of the exponential kernel omega exp(-omega t) on (0, maxLag].
func timeNorm(omega, maxLag float64) float64 { return -math.Expm1(-omega * maxLag) }

// spaceNorm is the mass of the Gaussian kernel within maxDist, times 2 pi sigma^2: the
// normalising constant of the truncated kernel.
func spaceNorm(sigma, maxDist float64) float64 {
	return 2 * math.Pi * sigma * sigma * -math.Expm1(-maxDist*maxDist/(2*sigma*sigma))
}

// timeCDF is the share of the truncated temporal kernel in (0, u].
func timeCDF(u, omega, maxLag float64) float64 {
	if u <= 0 {
		return 0
	}
	return -math.Expm1(-omega*math.Min(u, maxLag)) / timeNorm(omega, maxLag)
}

// solveOmega returns the decay rate whose exponential distribution truncated to
// (0, maxLag] has the given mean: the weighted maximum-likelihood estimate. Its mean
// 1/omega - maxLag/(exp(omega maxLag) - 1) falls from maxLag/2 (omega -> 0) to 0.
func solveOmega(mean, maxLag float64) float64 {
	truncMean := func(o float64) float64 { return 1/o - maxLag/math.Expm1(o*maxLag) }
	lo, hi := 1e-6/maxLag, 1e6/maxLag
	if mean >= truncMean(lo) {
		return lo
	}
	if mean <= truncMean(hi) {
		return hi
	}
	for range 200 {
		mid := math.Sqrt(lo * hi)
		if truncMean(mid) > mean {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo < 1+1e-12 {
			break
		}
	}
	return math.Sqrt(lo * hi)
}

// solveSigma returns the sigma whose isotropic Gaussian truncated to the disc of radius
// maxDist has the given mean squared distance: the weighted maximum-likelihood
// estimate. That mean, 2 sigma^2 - maxDist^2/(exp(maxDist^2/2sigma^2) - 1), rises from 0
// to maxDist^2/2.
func solveSigma(meanSq, maxDist float64) float64 {
	truncMeanSq := func(s float64) float64 {
		return 2*s*s - maxDist*maxDist/math.Expm1(maxDist*maxDist/(2*s*s))
	}
	lo, hi := 1e-4*maxDist, 100*maxDist
	if meanSq <= truncMeanSq(lo) {
		return lo
	}
	if meanSq >= truncMeanSq(hi) {
		return hi
	}
	for range 200 {
		mid := math.Sqrt(lo * hi)
		if truncMeanSq(mid) < meanSq {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo < 1+1e-12 {
			break
		}
	}
	return math.Sqrt(lo * hi)
}

func relChange(old, next float64) float64 {
	if old == next {
		return 0
	}
	return math.Abs(next-old) / math.Max(math.Abs(old), 1e-12)
}
