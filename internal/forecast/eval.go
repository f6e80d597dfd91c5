package forecast

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"baken/internal/analysis"
)

// EvalOptions set up a rolling-origin evaluation.
type EvalOptions struct {
	CellSize    float64       // metres; default analysis.DefaultCellSize (125)
	Horizon     time.Duration // forecast period after each origin; default 14 days
	Step        time.Duration // between origins; default the horizon
	TrainWindow time.Duration // training data per origin: [origin-TrainWindow, origin); 0 = all before the origin
	// From is the first origin; origins follow every Step while the whole test period
	// [origin, origin+Horizon) ends by To.
	From, To time.Time
	// Area is the study area; nil means the cells with at least one event before the
	// first origin (whatever the training window, so that runs with different windows
	// are scored on the same cells).
	Area *StudyArea
	// Coverages are the shares of the study area's cells at which hit rate and PAI are
	// computed; default 1%, 5% and 10%.
	Coverages []float64
	// A step with fewer training events (all handed to the method) or fewer test events
	// in the study area is not scored but reported; defaults 30 and 5.
	MinTrain, MinTest int
}

// StudyArea is a study area in the plane of the events: a cell belongs to it when its
// centre is inside. The bounds make sure the grid covers it.
type StudyArea struct {
	Name                   string
	MinX, MinY, MaxX, MaxY float64
	Contains               func(x, y float64) bool
}

// Report is the outcome of Evaluate.
type Report struct {
	Events      int            `json:"events"`
	Grid        analysis.Grid  `json:"grid"`
	Area        string         `json:"area"`
	AreaCells   int            `json:"area_cells"`
	Horizon     string         `json:"horizon"`
	Step        string         `json:"step"`
	TrainWindow string         `json:"train_window"`
	From        time.Time      `json:"from"`
	To          time.Time      `json:"to"`
	Coverages   []Coverage     `json:"coverages"`
	MinTrain    int            `json:"min_train"`
	MinTest     int            `json:"min_test"`
	Steps       []Step         `json:"steps"`
	Methods     []MethodResult `json:"methods"`
	// TestOutside counts test events (over all steps) in cells outside the study area;
	// they are not scored.
	TestOutside int `json:"test_outside"`
}

// Coverage is one share of the study area: the top Cells cells by risk.
type Coverage struct {
	Share     float64 `json:"share"`      // as asked, e.g. 0.05
	Cells     int     `json:"cells"`      // cells in the top: round(share x area cells), at least 1
	AreaShare float64 `json:"area_share"` // Cells / area cells, the denominator of PAI
}

// Step is one origin.
type Step struct {
	Origin time.Time `json:"origin"`
	Train  int       `json:"train"` // events handed to the methods
	Test   int       `json:"test"`  // test events in the study area
	// Skipped says why the step was not scored ("" when it was).
	Skipped string `json:"skipped,omitempty"`
}

// MethodResult is one method's scores.
type MethodResult struct {
	Name string `json:"name"`
	// Levels summarise the scored steps per coverage.
	Levels []Level `json:"levels"`
	// HitRate[s][c] and PAI[s][c] are step s's scores at coverage c; nil for skipped steps.
	HitRate [][]float64 `json:"hit_rate"`
	PAI     [][]float64 `json:"pai"`
	// Runtime is the time spent in the method's Forecast over all steps.
	Runtime time.Duration `json:"runtime_ns"`
}

// Level summarises a method's scores at one coverage over the scored steps.
type Level struct {
	Share   float64 `json:"share"`
	HitRate Stat    `json:"hit_rate"`
	PAI     Stat    `json:"pai"`
	// Pooled is the hit rate over all test events of the scored steps together.
	Pooled float64 `json:"pooled_hit_rate"`
}

// Stat describes values over steps: mean, sample standard deviation, minimum, maximum
// and how many there were.
type Stat struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

func (o EvalOptions) withDefaults() (EvalOptions, error) {
	if o.CellSize == 0 {
		o.CellSize = analysis.DefaultCellSize
	}
	if o.Horizon == 0 {
		o.Horizon = 14 * Day
	}
	if o.Step == 0 {
		o.Step = o.Horizon
	}
	if len(o.Coverages) == 0 {
		o.Coverages = []float64{0.01, 0.05, 0.10}
	}
	if o.MinTrain == 0 {
		o.MinTrain = 30
	}
	if o.MinTest == 0 {
		o.MinTest = 5
	}
	switch {
	case !(o.CellSize > 0) || math.IsInf(o.CellSize, 0):
		return o, fmt.Errorf("cell size %v: must be a positive number of metres", o.CellSize)
	case o.Horizon < 0 || o.Step < 0 || o.TrainWindow < 0:
		return o, errors.New("horizon, step and training window must be positive")
	case o.From.IsZero() || o.To.IsZero():
		return o, errors.New("give the test period: from and to")
	case advance(o.From, o.Horizon).After(o.To):
		return o, fmt.Errorf("test period %s to %s is shorter than the horizon %s",
			o.From.Format(time.DateOnly), o.To.Format(time.DateOnly), FormatDuration(o.Horizon))
	}
	for _, c := range o.Coverages {
		if !(c > 0 && c <= 1) {
			return o, fmt.Errorf("coverage %v: must be a share of the area in (0, 1]", c)
		}
	}
	return o, nil
}

// Evaluate scores the methods by rolling origin. At every origin (From, From+Step, ...,
// as long as origin+Horizon <= To) each method gets only the events with
// origin-TrainWindow <= T < origin (all earlier events when TrainWindow is 0) and is
// scored on the events with origin <= T < origin+Horizon in the study area. Whole days
// are calendar days in From's location, so origins stay at local midnight.
//
// Scoring: the study-area cells are ranked by risk, highest first; ties go to the lower
// cell index (the south-western cell first), so a method that cannot tell cells apart
// gains nothing from luck and the ranking is reproducible. At each coverage p the top
// k = round(p x cells) cells (at least 1) are taken; the hit rate is the share of test
// events in those cells, and PAI = hit rate / (k / cells). A step with fewer than
// MinTrain training or MinTest test events is reported as skipped, not scored.
//
// The methods are called in origin order, one after the other, so a method may keep
// state between origins (SEPP's warm start) as long as it only keeps what it was given.
// A method's error, or a risk slice of the wrong length or with NaN, ends the
// evaluation with an error.
func Evaluate(ctx context.Context, events []analysis.Event, opts EvalOptions, methods []Method) (Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	if len(methods) == 0 {
		return Report{}, errors.New("evaluate: no methods")
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b analysis.Event) int { return a.T.Compare(b.T) })
	if len(evs) == 0 {
		return Report{}, errors.New("evaluate: no events")
	}

	g, err := evalGrid(evs, o)
	if err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	// firstAt returns the index of the first event at or after t.
	firstAt := func(t time.Time) int {
		return sort.Search(len(evs), func(i int) bool { return !evs[i].T.Before(t) })
	}
	trainSlice := func(origin time.Time) []analysis.Event {
		lo := 0
		if o.TrainWindow > 0 {
			lo = firstAt(advance(origin, -o.TrainWindow))
		}
		return evs[lo:firstAt(origin)]
	}

	inArea, areaName, err := studyArea(g, o, evs[:firstAt(o.From)])
	if err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	var areaCells []int
	for i, in := range inArea {
		if in {
			areaCells = append(areaCells, i)
		}
	}
	if len(areaCells) == 0 {
		return Report{}, fmt.Errorf("evaluate: the study area (%s) holds no cell", areaName)
	}

	rep := Report{
		Events:      len(evs),
		Grid:        g,
		Area:        areaName,
		AreaCells:   len(areaCells),
		Horizon:     FormatDuration(o.Horizon),
		Step:        FormatDuration(o.Step),
		TrainWindow: windowName(o.TrainWindow),
		From:        o.From,
		To:          o.To,
		MinTrain:    o.MinTrain,
		MinTest:     o.MinTest,
	}
	for _, c := range o.Coverages {
		k := max(1, int(math.Round(c*float64(len(areaCells)))))
		rep.Coverages = append(rep.Coverages, Coverage{Share: c, Cells: k, AreaShare: float64(k) / float64(len(areaCells))})
	}
	rep.Methods = make([]MethodResult, len(methods))
	for mi, m := range methods {
		rep.Methods[mi].Name = m.Name()
	}

	rank := make([]int, g.Cells()) // position of each area cell in the ranking
	order := make([]int, len(areaCells))
	for origin := o.From; !advance(origin, o.Horizon).After(o.To); origin = advance(origin, o.Step) {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("evaluate: %w", err)
		}
		train := trainSlice(origin)
		var test []int // cells of the test events in the study area
		for _, e := range evs[firstAt(origin):firstAt(advance(origin, o.Horizon))] {
			if c, ok := g.Cell(e.X, e.Y); ok && inArea[c] {
				test = append(test, c)
			} else {
				rep.TestOutside++
			}
		}
		st := Step{Origin: origin, Train: len(train), Test: len(test)}
		switch {
		case len(train) < o.MinTrain:
			st.Skipped = fmt.Sprintf("%d training events, fewer than %d", len(train), o.MinTrain)
		case len(test) < o.MinTest:
			st.Skipped = fmt.Sprintf("%d test events in the study area, fewer than %d", len(test), o.MinTest)
		}
		rep.Steps = append(rep.Steps, st)
		for mi, m := range methods {
			res := &rep.Methods[mi]
			if st.Skipped != "" {
				res.HitRate = append(res.HitRate, nil)
				res.PAI = append(res.PAI, nil)
				continue
			}
			start := time.Now()
			// The method gets a copy of the slice header only; capping its capacity keeps
			// an append from reaching the test events behind it.
			risk, err := m.Forecast(train[:len(train):len(train)], g, origin, o.Horizon)
			res.Runtime += time.Since(start)
			if err != nil {
				return Report{}, fmt.Errorf("evaluate: %s at origin %s: %w", m.Name(), origin.Format(time.RFC3339), err)
			}
			if len(risk) != g.Cells() {
				return Report{}, fmt.Errorf("evaluate: %s at origin %s: %d risks for %d cells", m.Name(), origin.Format(time.RFC3339), len(risk), g.Cells())
			}
			for _, c := range areaCells {
				if math.IsNaN(risk[c]) {
					return Report{}, fmt.Errorf("evaluate: %s at origin %s: risk of cell %d is NaN", m.Name(), origin.Format(time.RFC3339), c)
				}
			}
			copy(order, areaCells)
			slices.SortFunc(order, func(a, b int) int {
				if c := cmp.Compare(risk[b], risk[a]); c != 0 {
					return c
				}
				return cmp.Compare(a, b)
			})
			for pos, c := range order {
				rank[c] = pos
			}
			hr := make([]float64, len(rep.Coverages))
			pai := make([]float64, len(rep.Coverages))
			for ci, cov := range rep.Coverages {
				hits := 0
				for _, c := range test {
					if rank[c] < cov.Cells {
						hits++
					}
				}
				hr[ci] = float64(hits) / float64(len(test))
				pai[ci] = hr[ci] / cov.AreaShare
			}
			res.HitRate = append(res.HitRate, hr)
			res.PAI = append(res.PAI, pai)
		}
	}
	if len(rep.Steps) == 0 {
		return Report{}, errors.New("evaluate: no origin fits in the test period")
	}
	for mi := range rep.Methods {
		res := &rep.Methods[mi]
		for ci, cov := range rep.Coverages {
			var hrs, pais []float64
			var hits, tests float64
			for s, hr := range res.HitRate {
				if hr == nil {
					continue
				}
				hrs = append(hrs, hr[ci])
				pais = append(pais, res.PAI[s][ci])
				hits += hr[ci] * float64(rep.Steps[s].Test)
				tests += float64(rep.Steps[s].Test)
			}
			lv := Level{Share: cov.Share, HitRate: stat(hrs), PAI: stat(pais)}
			if tests > 0 {
				lv.Pooled = hits / tests
			}
			res.Levels = append(res.Levels, lv)
		}
	}
	return rep, nil
}

// advance moves t by d, in calendar days of t's location when d is a whole number of
// days, so that origins stay at local midnight across daylight-saving changes.
func advance(t time.Time, d time.Duration) time.Time {
	if d%Day == 0 {
		return t.AddDate(0, 0, int(d/Day))
	}
	return t.Add(d)
}

// evalGrid is the grid of the given cell size over all events and the study area. Only
// the extent comes from the events; no method sees an event through it.
func evalGrid(evs []analysis.Event, o EvalOptions) (analysis.Grid, error) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, e := range evs {
		minX, maxX = math.Min(minX, e.X), math.Max(maxX, e.X)
		minY, maxY = math.Min(minY, e.Y), math.Max(maxY, e.Y)
	}
	if a := o.Area; a != nil {
		minX, maxX = math.Min(minX, a.MinX), math.Max(maxX, a.MaxX)
		minY, maxY = math.Min(minY, a.MinY), math.Max(maxY, a.MaxY)
	}
	return analysis.NewGrid(minX, minY, maxX, maxY, o.CellSize)
}

// studyArea returns which cells are in the study area and how the area was chosen.
func studyArea(g analysis.Grid, o EvalOptions, before []analysis.Event) ([]bool, string, error) {
	in := make([]bool, g.Cells())
	if o.Area != nil {
		if o.Area.Contains == nil {
			return nil, "", errors.New("study area without a shape")
		}
		for i := range in {
			in[i] = o.Area.Contains(g.Center(i))
		}
		name := o.Area.Name
		if name == "" {
			name = "given area"
		}
		return in, name, nil
	}
	if len(before) == 0 {
		return nil, "", fmt.Errorf("no events before the first origin %s to make a study area from: give an area",
			o.From.Format(time.DateOnly))
	}
	for _, e := range before {
		if c, ok := g.Cell(e.X, e.Y); ok {
			in[c] = true
		}
	}
	return in, "cells with an event before the first origin", nil
}

func stat(v []float64) Stat {
	s := Stat{N: len(v)}
	if len(v) == 0 {
		return s
	}
	s.Min, s.Max = v[0], v[0]
	var sum float64
	for _, x := range v {
		sum += x
		s.Min, s.Max = math.Min(s.Min, x), math.Max(s.Max, x)
	}
	s.Mean = sum / float64(len(v))
	if len(v) > 1 {
		var ss float64
		for _, x := range v {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(ss / float64(len(v)-1))
	}
	return s
}
