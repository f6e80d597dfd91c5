package study

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/forecast"
	"baken/internal/store"
)

// DefaultHorizon is the forecast period: two weeks, as the Dutch police's CAS used.
const DefaultHorizon = 14 * forecast.Day

// TopShare is the share of the study area at which Baken shows a method's accuracy
// beside a map: the top 5% of cells.
const TopShare = 0.05

// MethodSpec returns the specification ParseMethod reads back for one of the methods of
// forecast.DefaultMethods: the name before its settings ("kde(300m,all)" -> "kde").
func MethodSpec(m forecast.Method) string {
	name, _, _ := strings.Cut(m.Name(), "(")
	return name
}

// DefaultMethod is the method used when no evaluation says which did best: kernel
// density with the settings of forecast.DefaultMethods.
func DefaultMethod() forecast.Method {
	if m, err := forecast.ParseMethod("kde"); err == nil {
		return m
	}
	return forecast.KDE{}
}

// EvalSummary is what Baken stores of a forecast evaluation and shows beside a map: the
// set-up and, per method, its scores at every coverage.
type EvalSummary struct {
	Selection   string        `json:"selection"` // Selection.EvalKey, or the file's name
	Events      int           `json:"events"`
	From        time.Time     `json:"from"`
	To          time.Time     `json:"to"`
	Cell        float64       `json:"cell"`
	Horizon     string        `json:"horizon"`
	Step        string        `json:"step"`
	TrainWindow string        `json:"train_window"`
	Area        string        `json:"area"`
	AreaCells   int           `json:"area_cells"`
	Steps       int           `json:"steps"`
	Scored      int           `json:"scored"`
	TestEvents  int           `json:"test_events"` // in the scored steps
	Methods     []MethodScore `json:"methods"`
}

// MethodScore is one method's scores in an evaluation.
type MethodScore struct {
	Name   string           `json:"name"`
	Spec   string           `json:"spec"` // for forecast.ParseMethod
	Levels []forecast.Level `json:"levels"`
}

// At returns the method's scores at a coverage share.
func (m MethodScore) At(share float64) (forecast.Level, bool) {
	for _, l := range m.Levels {
		if math.Abs(l.Share-share) < 1e-9 {
			return l, true
		}
	}
	return forecast.Level{}, false
}

// Summarize keeps what Baken shows of a report; specs are the methods' specifications in
// the report's order.
func Summarize(key string, rep forecast.Report, specs []string) EvalSummary {
	s := EvalSummary{Selection: key, Events: rep.Events, From: rep.From, To: rep.To, Cell: rep.Grid.Size,
		Horizon: rep.Horizon, Step: rep.Step, TrainWindow: rep.TrainWindow, Area: rep.Area, AreaCells: rep.AreaCells,
		Steps: len(rep.Steps), Methods: []MethodScore{}}
	for _, st := range rep.Steps {
		if st.Skipped == "" {
			s.Scored++
			s.TestEvents += st.Test
		}
	}
	for i, m := range rep.Methods {
		ms := MethodScore{Name: m.Name, Levels: m.Levels}
		if i < len(specs) {
			ms.Spec = specs[i]
		}
		s.Methods = append(s.Methods, ms)
	}
	return s
}

// Best returns the method with the highest mean PAI at the share over the scored steps;
// false when no step was scored.
func (s EvalSummary) Best(share float64) (MethodScore, bool) {
	var best MethodScore
	bestPAI, found := math.Inf(-1), false
	for _, m := range s.Methods {
		l, ok := m.At(share)
		if !ok || l.PAI.N == 0 || !(l.PAI.Mean > bestPAI) {
			continue
		}
		best, bestPAI, found = m, l.PAI.Mean, true
	}
	return best, found
}

// StoredEvaluation is a forecast evaluation as stored: when, by whom, and its summary.
type StoredEvaluation struct {
	RunAt   time.Time
	RunBy   string
	Summary EvalSummary
}

// LatestEvaluation returns the latest stored forecast evaluation of the selection with
// the cell size and horizon; found is false when there is none yet.
func LatestEvaluation(ctx context.Context, db *store.DB, sel Selection, cell float64, horizon time.Duration) (ev StoredEvaluation, found bool, err error) {
	e, err := db.LatestEvaluation(ctx, sel.Gemeente, store.EvaluationForecast, sel.EvalKey(cell, horizon))
	if baken.IsKind(err, baken.NotFound) {
		return StoredEvaluation{}, false, nil
	}
	if err != nil {
		return StoredEvaluation{}, false, err
	}
	ev = StoredEvaluation{RunAt: e.RunAt, RunBy: e.RunBy}
	if err := json.Unmarshal(e.Result, &ev.Summary); err != nil {
		return StoredEvaluation{}, false, fmt.Errorf("latest evaluation %s: %w", e.ID, err)
	}
	return ev, true, nil
}

// SaveEvaluation stores a forecast evaluation of the selection (its key must be the
// selection's EvalKey for the summary's cell size and horizon).
func SaveEvaluation(ctx context.Context, db *store.DB, sel Selection, s EvalSummary) (StoredEvaluation, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return StoredEvaluation{}, fmt.Errorf("save evaluation: %w", err)
	}
	e, err := db.SaveEvaluation(ctx, store.Evaluation{Gemeente: sel.Gemeente, Kind: store.EvaluationForecast, Key: s.Selection,
		Events: s.Events, Result: b})
	if err != nil {
		return StoredEvaluation{}, err
	}
	return StoredEvaluation{RunAt: e.RunAt, RunBy: e.RunBy, Summary: s}, nil
}

// ForecastOptions set up a forecast.
type ForecastOptions struct {
	Cell    float64       // metres; 0 means 125
	Horizon time.Duration // 0 means DefaultHorizon
	// Origin is the start of the forecast period: only events before it are used.
	Origin time.Time
	// Method; nil means DefaultMethod.
	Method forecast.Method
}

// ForecastCell is one study cell's risk for the horizon.
type ForecastCell struct {
	Index int     `json:"cell"`
	Row   int     `json:"row"`
	Col   int     `json:"col"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Risk  float64 `json:"risk"` // the method's score: (proportional to) expected events in the horizon
	Rank  int     `json:"rank"` // 1 for the highest risk; ties go to the lower cell index
	// Top says that the cell is among the top TopShare of the study area's cells.
	Top bool `json:"top"`
}

// ForecastMap is a forecast of where events are most likely in the horizon after the
// origin. It concerns places and times only.
type ForecastMap struct {
	Method     string
	Origin     time.Time
	Horizon    time.Duration
	Grid       analysis.Grid
	StudyCells int
	Train      int
	Verdict    Verdict
	// Cells holds every study cell in grid order; nil when the verdict is TooFew.
	Cells []ForecastCell
}

// Forecast gives the method the events before the origin and returns its risk per study
// cell for [origin, origin+horizon), when the forecast rule (ForecastVerdict) allows.
// Cells are ranked as forecast.Evaluate ranks them, so that "the top 5%" means the same
// cells as in the evaluation.
func Forecast(ctx context.Context, evs []analysis.Event, area *forecast.StudyArea, opts ForecastOptions) (ForecastMap, error) {
	if opts.Cell == 0 {
		opts.Cell = analysis.DefaultCellSize
	}
	if opts.Horizon == 0 {
		opts.Horizon = DefaultHorizon
	}
	if opts.Method == nil {
		opts.Method = DefaultMethod()
	}
	if opts.Origin.IsZero() {
		return ForecastMap{}, fmt.Errorf("forecast: no origin")
	}
	if err := ctx.Err(); err != nil {
		return ForecastMap{}, fmt.Errorf("forecast: %w", err)
	}
	var train []analysis.Event
	for _, e := range evs {
		if e.T.Before(opts.Origin) {
			train = append(train, e)
		}
	}
	slices.SortStableFunc(train, func(a, b analysis.Event) int { return a.T.Compare(b.T) })
	m := ForecastMap{Method: opts.Method.Name(), Origin: opts.Origin, Horizon: opts.Horizon, Train: len(train)}
	span := 0.0
	if len(train) > 0 {
		span = opts.Origin.Sub(train[0].T).Hours() / 24
	}
	m.Verdict = ForecastVerdict(len(train), span, opts.Horizon.Hours()/24)
	if len(train) == 0 && area == nil {
		return m, nil
	}
	g, mask, err := grid(train, area, opts.Cell)
	if err != nil {
		return ForecastMap{}, fmt.Errorf("forecast: %w", err)
	}
	m.Grid = g
	var study []int
	for i, in := range mask {
		if in {
			study = append(study, i)
		}
	}
	m.StudyCells = len(study)
	if !m.Verdict.OK() || len(study) == 0 {
		return m, nil
	}
	risk, err := opts.Method.Forecast(train[:len(train):len(train)], g, opts.Origin, opts.Horizon)
	if err != nil {
		return ForecastMap{}, fmt.Errorf("forecast: %w", err)
	}
	if len(risk) != g.Cells() {
		return ForecastMap{}, fmt.Errorf("forecast: %s gave %d risks for %d cells", m.Method, len(risk), g.Cells())
	}
	order := slices.Clone(study)
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(risk[b], risk[a]), cmp.Compare(a, b)) })
	rank := make(map[int]int, len(order))
	for pos, c := range order {
		rank[c] = pos + 1
	}
	top := max(1, int(math.Round(TopShare*float64(len(study)))))
	for _, i := range study {
		row, col := g.RowCol(i)
		x, y := g.Center(i)
		m.Cells = append(m.Cells, ForecastCell{Index: i, Row: row, Col: col, X: x, Y: y, Risk: risk[i], Rank: rank[i], Top: rank[i] <= top})
	}
	return m, nil
}

// ForecastOrigin is the start of the local day after the last event: the forecast is for
// the days that follow the data.
func ForecastOrigin(last time.Time, loc *time.Location) time.Time {
	y, mo, d := last.In(loc).Date()
	return time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
}

// Evaluate scores the methods on the events by rolling origin over [from, to) with the
// study area, with the minimums of the forecast rule, and summarises the report under
// key. specs are the methods' specifications for ParseMethod.
func Evaluate(ctx context.Context, evs []analysis.Event, area *forecast.StudyArea, key string, opts forecast.EvalOptions,
	methods []forecast.Method, specs []string) (forecast.Report, EvalSummary, error) {
	opts.Area = area
	opts.MinTrain, opts.MinTest = ForecastMinTrain, ForecastMinTest
	rep, err := forecast.Evaluate(ctx, evs, opts, methods)
	if err != nil {
		return forecast.Report{}, EvalSummary{}, err
	}
	return rep, Summarize(key, rep, specs), nil
}
