package forecast

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/analysis"
)

// spy is a method that fails the evaluation when it is handed anything it should not
// see: an event at or after the origin, an event older than the training window, or a
// slice whose capacity reaches past its end (where the test events are).
type spy struct {
	window time.Duration
	calls  []time.Time
	inner  Method
}

func (s *spy) Name() string { return "spy" }

func (s *spy) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	s.calls = append(s.calls, origin)
	for _, e := range train {
		if !e.T.Before(origin) {
			return nil, fmt.Errorf("leak: event at %s handed over for origin %s", e.T, origin)
		}
		if s.window > 0 && e.T.Before(origin.Add(-s.window)) {
			return nil, fmt.Errorf("event at %s older than the window before %s", e.T, origin)
		}
	}
	if cap(train) != len(train) {
		return nil, fmt.Errorf("leak: the training slice has room for %d more events behind it", cap(train)-len(train))
	}
	return s.inner.Forecast(train, g, origin, horizon)
}

// oracle forecasts the events it is given in the period it is asked about: a perfect
// forecast if, and only if, the evaluation leaks test events into training.
type oracle struct{}

func (oracle) Name() string { return "oracle" }

func (oracle) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	counts, _ := g.Counts(within(train, origin, origin.Add(horizon)))
	return counts, nil
}

// plantedData is a year of training events spread over the western 2 x 2 km of a
// 3 x 2 km box, and a test period in which every event falls in one cell in the far
// north-east corner that never had an event before.
func plantedData(t *testing.T) ([]analysis.Event, time.Time, *StudyArea, analysis.Event) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 1))
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []analysis.Event
	for i := range 2000 {
		evs = append(evs, analysis.Event{
			X: 2000 * r.Float64(), Y: 2000 * r.Float64(),
			T: from.Add(-time.Duration(i+1) * 4 * time.Hour),
		})
	}
	cluster := analysis.Event{X: 2990, Y: 1990}
	for i := range 300 {
		e := cluster
		e.T = from.Add(time.Duration(i) * 2 * time.Hour)
		evs = append(evs, e)
	}
	area := &StudyArea{Name: "box", MinX: 0, MinY: 0, MaxX: 3000, MaxY: 2000,
		Contains: func(x, y float64) bool { return x >= 0 && x <= 3000 && y >= 0 && y <= 2000 }}
	return evs, from, area, cluster
}

// TestEvaluateNoLeakage would fail on leakage in two ways: the spy errors when it sees a
// test-period event, and the oracle, which scores perfectly on the planted cluster when
// it gets test events, must score nothing.
func TestEvaluateNoLeakage(t *testing.T) {
	evs, from, area, cluster := plantedData(t)
	for _, window := range []time.Duration{0, 30 * Day} {
		t.Run("window "+windowName(window), func(t *testing.T) {
			s := &spy{window: window, inner: oracle{}}
			opts := EvalOptions{CellSize: 100, Horizon: 7 * Day, Step: 5 * Day, TrainWindow: window,
				From: from, To: from.Add(25 * Day), Area: area, MinTrain: 1, MinTest: 1}
			rep, err := Evaluate(context.Background(), evs, opts, []Method{s, oracle{}})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.calls) != len(rep.Steps) || len(rep.Steps) != 4 {
				t.Errorf("spy called %d times for %d steps, want 4", len(s.calls), len(rep.Steps))
			}
			for _, m := range rep.Methods {
				for s, hr := range m.HitRate {
					if hr == nil {
						t.Errorf("%s: step %d not scored", m.Name, s)
						continue
					}
					if hr[0] != 0 || hr[1] != 0 {
						t.Errorf("%s at %s: hit rate %v on a cluster no training event was in: test events leaked",
							m.Name, rep.Steps[s].Origin, hr)
					}
				}
			}
		})
	}

	// The same scoring with the test events handed over (what a leaking evaluation would
	// do) ranks the cluster's cell first: the planted cluster does detect leakage.
	g, err := evalGrid(evs, EvalOptions{CellSize: 100, Area: area})
	if err != nil {
		t.Fatal(err)
	}
	risk, _ := oracle{}.Forecast(evs, g, from, 7*Day)
	c, _ := g.Cell(cluster.X, cluster.Y)
	for i, r := range risk {
		if i != c && r >= risk[c] {
			t.Fatalf("cell %d ranks with the cluster's cell %d", i, c)
		}
	}
}

func TestEvaluateSpyTrainingSets(t *testing.T) {
	// The spy itself must fail a leaking call: hand it a test event directly.
	s := &spy{inner: AllHistory{}}
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	g, _ := analysis.NewGrid(0, 0, 100, 100, 50)
	if _, err := s.Forecast([]analysis.Event{{X: 1, Y: 1, T: origin}}, g, origin, Day); err == nil {
		t.Error("spy accepted an event at the origin")
	}
	evs := []analysis.Event{{X: 1, Y: 1, T: origin.Add(-Day)}, {X: 1, Y: 1, T: origin}}
	if _, err := s.Forecast(evs[:1], g, origin, Day); err == nil {
		t.Error("spy accepted a slice with the test event behind it")
	}
}

// fixed is a method with a given risk per cell.
type fixed struct {
	name string
	risk []float64
}

func (f fixed) Name() string { return f.name }

func (f fixed) Forecast(train []analysis.Event, g analysis.Grid, origin time.Time, horizon time.Duration) ([]float64, error) {
	return f.risk, nil
}

func TestEvaluateScores(t *testing.T) {
	// A 10 x 10 grid of 100 m cells, all in the study area; 40 training events, one per
	// cell 0-39; a test period with 10 events: 4 in cell 99, 3 in cell 98, 2 in cell 50
	// and 1 in cell 0.
	origin := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var evs []analysis.Event
	at := func(cell int, t time.Time) analysis.Event {
		return analysis.Event{X: float64(cell%10)*100 + 50, Y: float64(cell/10)*100 + 50, T: t}
	}
	for c := range 40 {
		evs = append(evs, at(c, origin.Add(-time.Duration(c+1)*time.Hour)))
	}
	for i, c := range []int{99, 99, 99, 99, 98, 98, 98, 50, 50, 0} {
		evs = append(evs, at(c, origin.Add(time.Duration(i)*time.Hour)))
	}
	area := &StudyArea{MinX: 0, MinY: 0, MaxX: 999, MaxY: 999, Contains: func(x, y float64) bool { return true }}

	// Risk: cell 98 highest, then 99; all others tie at 0 and go by index, so cell 0
	// comes third.
	risk := make([]float64, 100)
	risk[98], risk[99] = 2, 1
	// A method that rates everything alike: the ranking is by index, 0, 1, 2, ...
	flat := make([]float64, 100)
	rep, err := Evaluate(context.Background(), evs, EvalOptions{
		CellSize: 100, Horizon: Day, From: origin, To: origin.Add(Day), Area: area,
		Coverages: []float64{0.01, 0.02, 0.03, 0.05},
	}, []Method{fixed{"fixed", risk}, fixed{"flat", flat}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.AreaCells != 100 || len(rep.Steps) != 1 || rep.Steps[0].Test != 10 || rep.Steps[0].Train != 40 {
		t.Fatalf("area %d cells, steps %+v", rep.AreaCells, rep.Steps)
	}
	want := map[string][]float64{
		// top 1: cell 98 (3 of 10); top 2: +99 (7); top 3: +0 (8); top 5: +1, +2 (8).
		"fixed": {0.3, 0.7, 0.8, 0.8},
		// top 1: cell 0 (1 of 10); 2, 3, 5: cells 1-4 add nothing.
		"flat": {0.1, 0.1, 0.1, 0.1},
	}
	for _, m := range rep.Methods {
		if diff := cmp.Diff(want[m.Name], m.HitRate[0]); diff != "" {
			t.Errorf("%s hit rates mismatch (-want +got):\n%s", m.Name, diff)
		}
		for c, cov := range rep.Coverages {
			if pai := m.PAI[0][c]; math.Abs(pai-want[m.Name][c]/cov.AreaShare) > 1e-12 {
				t.Errorf("%s PAI at %v: %v, want %v", m.Name, cov.Share, pai, want[m.Name][c]/cov.AreaShare)
			}
			if lv := m.Levels[c]; lv.HitRate.N != 1 || lv.HitRate.Mean != want[m.Name][c] || lv.Pooled != want[m.Name][c] {
				t.Errorf("%s level %v: %+v", m.Name, cov.Share, lv)
			}
		}
	}
}

func TestEvaluateTooFewEvents(t *testing.T) {
	// Eight weeks with one or two events a day (about ten a week), then three days with
	// one each: the default minimums (30 training, 5 test events) skip the first origin
	// (21 events of history) and the last (3 test events), and say so.
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []analysis.Event
	for d := range 56 {
		evs = append(evs, analysis.Event{X: float64(d%5) * 200, Y: float64(d%3) * 200, T: start.Add(time.Duration(d) * Day)})
		if d%2 == 0 {
			evs = append(evs, analysis.Event{X: 500, Y: 500, T: start.Add(time.Duration(d)*Day + time.Hour)})
		}
	}
	for i := range 3 {
		evs = append(evs, analysis.Event{X: 0, Y: 0, T: start.Add(56*Day + time.Duration(i)*Day)})
	}
	rep, err := Evaluate(context.Background(), evs, EvalOptions{
		CellSize: 100, Horizon: 7 * Day, From: start.Add(14 * Day), To: start.Add(63 * Day),
	}, []Method{AllHistory{}})
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, s := range rep.Steps {
		if s.Skipped != "" {
			skipped = append(skipped, s.Origin.Format(time.DateOnly)+": "+s.Skipped)
		}
	}
	want := []string{
		"2024-01-15: 21 training events, fewer than 30",
		"2024-02-26: 3 test events in the study area, fewer than 5",
	}
	if diff := cmp.Diff(want, skipped); diff != "" {
		t.Errorf("skipped steps mismatch (-want +got):\n%s", diff)
	}
	if got := rep.Methods[0].Levels[1].HitRate.N; got != len(rep.Steps)-2 {
		t.Errorf("%d steps scored, want %d", got, len(rep.Steps)-2)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, s := range want {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text report does not say %q:\n%s", s, text.String())
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	evs := []analysis.Event{{X: 0, Y: 0, T: origin.Add(-Day)}, {X: 500, Y: 500, T: origin.Add(-Day)}, {X: 0, Y: 0, T: origin.Add(Day)}}
	ok := EvalOptions{From: origin, To: origin.Add(14 * Day), MinTrain: 1, MinTest: 1}
	for _, tc := range []struct {
		name    string
		evs     []analysis.Event
		opts    EvalOptions
		methods []Method
		want    string
	}{
		{"no methods", evs, ok, nil, "no methods"},
		{"no events", nil, ok, []Method{AllHistory{}}, "no events"},
		{"no period", evs, EvalOptions{}, []Method{AllHistory{}}, "give the test period"},
		{"period shorter than horizon", evs, EvalOptions{From: origin, To: origin.Add(13 * Day)}, []Method{AllHistory{}}, "shorter than the horizon 2w"},
		{"nothing before the first origin", evs, EvalOptions{From: origin.Add(-2 * Day), To: origin.Add(14 * Day)}, []Method{AllHistory{}}, "no events before the first origin"},
		{"wrong length", evs, ok, []Method{fixed{"short", []float64{1}}}, "short at origin 2024-01-01T00:00:00Z: 1 risks for"},
		{"NaN", evs, ok, []Method{fixed{"nan", nanRisk(evs)}}, "is NaN"},
		{"bad coverage", evs, EvalOptions{From: origin, To: origin.Add(14 * Day), Coverages: []float64{5}}, []Method{AllHistory{}}, "coverage 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(context.Background(), tc.evs, tc.opts, tc.methods)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, evs, ok, []Method{AllHistory{}}); err == nil {
		t.Error("no error for a cancelled context")
	}
}

func nanRisk(evs []analysis.Event) []float64 {
	g, _ := analysis.GridFor(evs, analysis.DefaultCellSize)
	r := make([]float64, g.Cells())
	for i := range r {
		r[i] = math.NaN()
	}
	return r
}

func TestEvaluateOriginsStayAtLocalMidnight(t *testing.T) {
	// Summer time starts on 31 March 2024 in Amsterdam: the second origin is still at
	// midnight, 167 hours after the first.
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 3, 25, 0, 0, 0, 0, ams)
	var evs []analysis.Event
	for h := -2000; h < 400; h += 5 {
		evs = append(evs, analysis.Event{X: float64(h%7) * 100, Y: 0, T: from.Add(time.Duration(h) * time.Hour)})
	}
	rep, err := Evaluate(context.Background(), evs, EvalOptions{Horizon: 7 * Day, From: from, To: time.Date(2024, 4, 8, 0, 0, 0, 0, ams)},
		[]Method{AllHistory{}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range rep.Steps {
		got = append(got, s.Origin.In(ams).Format(time.RFC3339))
	}
	if diff := cmp.Diff([]string{"2024-03-25T00:00:00+01:00", "2024-04-01T00:00:00+02:00"}, got); diff != "" {
		t.Errorf("origins mismatch (-want +got):\n%s", diff)
	}
}
