package study_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/forecast"
	"baken/internal/study"
)

// square is a study area of side metres from the origin.
func square(side float64) *forecast.StudyArea {
	return &forecast.StudyArea{Name: "square", MaxX: side, MaxY: side,
		Contains: func(x, y float64) bool { return x >= 0 && y >= 0 && x < side && y < side }}
}

// uniform returns n events at random over the square of side metres, in 2024.
func uniform(r *rand.Rand, n int, x0, y0, side float64) []analysis.Event {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]analysis.Event, n)
	for i := range out {
		out[i] = analysis.Event{X: x0 + r.Float64()*side, Y: y0 + r.Float64()*side,
			T: start.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))}
	}
	return out
}

func TestHotspotVerdict(t *testing.T) {
	tests := []struct {
		name          string
		events, cells int
		cell          float64
		radius        int
		level         study.Level
		have          float64
		advice        []study.Advice
		pValues       string
	}{
		{"one per cell", 900, 900, 125, 1, study.Caution, 9, nil, "exact"},
		{"half per cell", 450, 900, 125, 1, study.TooFew, 4.5,
			[]study.Advice{{"cell", 200}, {"radius", 2}, {"period", 2}, {"categories", 0}}, ""},
		{"just below one", 850, 900, 125, 1, study.TooFew, 8.5,
			[]study.Advice{{"cell", 150}, {"radius", 2}, {"period", 1.1}, {"categories", 0}}, ""},
		{"just below five", 4499, 900, 125, 1, study.Caution, 44.99, nil, "exact"},
		{"five per cell", 4500, 900, 125, 1, study.Caution, 45, nil, "normal"},
		{"twenty per cell", 18000, 900, 125, 1, study.Enough, 180, nil, "normal"},
		{"radius 2 gathers 25 cells", 2000, 1000, 125, 2, study.Caution, 50, nil, "normal"},
		{"no events", 0, 900, 125, 1, study.TooFew, 0, []study.Advice{{"period", 0}, {"categories", 0}}, ""},
		{"one cell", 500, 1, 125, 1, study.TooFew, 500, []study.Advice{{"area", 0}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := study.HotspotVerdict(tt.events, tt.cells, tt.cell, tt.radius)
			if v.Level != tt.level || math.Abs(v.Have-tt.have) > 1e-9 || v.Need != 9 || v.Events != tt.events || v.PValues != tt.pValues {
				t.Errorf("verdict = %+v, want level %s with %v per neighbourhood of 9 needed, p-values %q", v, tt.level, tt.have, tt.pValues)
			}
			if tt.advice != nil {
				if diff := cmp.Diff(tt.advice, v.Advice); diff != "" {
					t.Errorf("advice mismatch (-want +got):\n%s", diff)
				}
			}
			if v.OK() == (tt.level == study.TooFew) || v.Message == "" {
				t.Errorf("OK() = %v, message %q", v.OK(), v.Message)
			}
		})
	}
}

func TestVerdictMessages(t *testing.T) {
	tests := []struct {
		name string
		v    study.Verdict
		want []string
	}{
		{"sparse hotspots", study.HotspotVerdict(441, 821, 125, 1), []string{
			"441 events in 821 cells give 4.8 per neighbourhood (9 cells of 125 m)", "at least 9",
			"cells of at least 175 m", "a radius of 2 cells", "a period 1.9 times as long", "more categories"}},
		{"sparse hotspots, exact", study.HotspotVerdict(1600, 1600, 125, 1), []string{"9.0 events per neighbourhood",
			"exact", "only clusters of several times the average show"}},
		{"hotspots with caution", study.HotspotVerdict(3176, 206, 250, 1), []string{"139 events per neighbourhood", "1 map in 10"}},
		{"hot times", study.HotTimesVerdict(452), []string{"452 events with a time of day, 2.7 per hour", "840 events",
			"a period 1.9 times as long"}},
		{"enough hot times", study.HotTimesVerdict(840), []string{"enough to test the week"}},
		{"near-repeat", study.NearRepeatVerdict(55, 0.6, 100, 7), []string{"0.6 pairs expected within 100 m and 7 days",
			"at least 5", "a first distance band of 300 m"}},
		{"forecast training", study.ForecastVerdict(12, 300, 14), []string{"12 training events, at least 30"}},
		{"forecast per horizon", study.ForecastVerdict(100, 730, 14), []string{"1.9 events per 14 days", "a horizon of at least 37 days"}},
		{"forecast", study.ForecastVerdict(1000, 365, 14), []string{"1000 training events, 38.4 per 14 days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.v.Message, w) {
					t.Errorf("message %q lacks %q", tt.v.Message, w)
				}
			}
		})
	}
}

// Random events of 1 per cell would show a false hotspot on a third of the maps with the
// normal p-values: Baken computes exact ones there, which show none, and still finds a
// cluster of 6 times the average. With fewer events it draws no map. At 20 per cell, the
// map is drawn with the normal p-values, and a planted cluster is found.
func TestHotspotsShowsNoNoise(t *testing.T) {
	area := square(5000) // 40 x 40 cells of 125 m
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 7))
		m, err := study.Hotspots(uniform(r, 1600, 0, 0, 5000), area, study.HotspotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Verdict.Level != study.Caution || m.Verdict.PValues != "exact" || len(m.Cells) != 1600 || m.Hot != 0 ||
			m.StudyCells != 1600 || m.Events != 1600 || !m.Cells[0].Exact {
			t.Errorf("seed %d: sparse random map: verdict %s with %q p-values, %d cells, %d hot, %d study cells, %d events; "+
				"want a map of exact p-values without hotspots", seed, m.Verdict.Level, m.Verdict.PValues, len(m.Cells), m.Hot, m.StudyCells, m.Events)
		}

		planted := append(uniform(r, 1600, 0, 0, 5000), uniform(r, 45, 2500, 2500, 375)...) // 3 x 3 cells at 6 times
		m, err = study.Hotspots(planted, area, study.HotspotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Gi* calls a cell hot by its neighbourhood: the block's cells and those around it.
		inBlock := 0
		for _, c := range m.Significant() {
			if !c.Hot || c.Row < 19 || c.Row > 23 || c.Col < 19 || c.Col > 23 {
				t.Errorf("seed %d: sparse map with a cluster: cell (%d, %d) hot %v, cold %v", seed, c.Row, c.Col, c.Hot, c.Cold)
			}
			if c.Row >= 20 && c.Row <= 22 && c.Col >= 20 && c.Col <= 22 {
				inBlock++
			}
		}
		if inBlock == 0 {
			t.Errorf("seed %d: sparse map with a cluster of 6 times the average: no hotspot in it", seed)
		}

		m, err = study.Hotspots(uniform(r, 700, 0, 0, 5000), area, study.HotspotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Verdict.Level != study.TooFew || m.Cells != nil || m.Hot+m.Cold != 0 {
			t.Errorf("seed %d: 700 events in 1,600 cells: verdict %s, %d cells; want too few and nothing drawn", seed, m.Verdict.Level, len(m.Cells))
		}
	}

	r := rand.New(rand.NewPCG(1, 7))
	evs := uniform(r, 32000, 0, 0, 5000)
	evs = append(evs, uniform(r, 600, 2500, 2500, 375)...) // 3 x 3 cells from cell (20, 20)
	evs = append(evs, analysis.Event{X: 9000, Y: 9000, T: evs[0].T})
	m, err := study.Hotspots(evs, area, study.HotspotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Verdict.Level != study.Enough || m.StudyCells != 1600 || m.Outside != 1 || len(m.Cells) != 1600 {
		t.Fatalf("dense map: verdict %+v, %d study cells, %d outside, %d cells", m.Verdict, m.StudyCells, m.Outside, len(m.Cells))
	}
	sig := m.Significant()
	if len(sig) == 0 || !sig[0].Hot || sig[0].Row < 19 || sig[0].Row > 23 || sig[0].Col < 19 || sig[0].Col > 23 {
		t.Fatalf("strongest hotspot %+v, want one in the planted cluster", sig)
	}
	for i := 1; i < len(sig); i++ {
		if sig[i].Hot && sig[i].Z > sig[i-1].Z {
			t.Errorf("hot cells not strongest first: %v after %v", sig[i].Z, sig[i-1].Z)
		}
	}
	if m.Hot == 0 || m.Hot != len(sig)-m.Cold {
		t.Errorf("%d hot, %d cold, %d significant", m.Hot, m.Cold, len(sig))
	}
}

func TestHotTimesWithholdsTheTest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	friday := time.Date(2024, 3, 1, 22, 30, 0, 0, time.UTC) // a Friday
	var evs []analysis.Event
	for range 200 {
		evs = append(evs, analysis.Event{T: friday.AddDate(0, 0, 7*r.IntN(40))})
	}
	few, err := study.HotTimes(evs, 7, time.UTC, 0)
	if err != nil {
		t.Fatal(err)
	}
	cell := few.Week.Cells[4][22]
	if few.Tested() || cell.Count != 200 || cell.High || few.Untimed != 7 || few.Week.Total != 200 {
		t.Errorf("200 events at one hour: tested %v, Friday 22:00 %+v; want the count without the test", few.Tested(), cell)
	}
	for range 1000 {
		evs = append(evs, analysis.Event{T: friday.Add(time.Duration(r.IntN(7*24*60)) * time.Minute)})
	}
	many, err := study.HotTimes(evs, 0, time.UTC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !many.Tested() || !many.Week.Cells[4][22].High || many.Week.P > 1e-6 {
		t.Errorf("1,200 events: tested %v, Friday 22:00 %+v, p %v; want it to stand out", many.Tested(), many.Week.Cells[4][22], many.Week.P)
	}
	none, err := study.HotTimes(nil, 0, time.UTC, 0)
	if err != nil || none.Tested() || none.Week.Cells[0][0].Weekday != time.Monday || none.Week.Cells[6][23].Hour != 23 {
		t.Errorf("no events: %+v, %v", none.Verdict, err)
	}
}

func TestNearRepeat(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	// Burglaries at random over 3 km and two years; after a third of them a neighbour's
	// house within 50 m is hit within 3 days.
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []analysis.Event
	for i := range 600 {
		e := analysis.Event{X: r.Float64() * 3000, Y: r.Float64() * 3000, T: start.Add(time.Duration(r.IntN(730*24)) * time.Hour)}
		evs = append(evs, e)
		if i%3 == 0 {
			evs = append(evs, analysis.Event{X: e.X + 30, Y: e.Y + 30, T: e.T.Add(time.Duration(1+r.IntN(60)) * time.Hour)})
		}
	}
	res, err := study.NearRepeat(evs, study.NearRepeatOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	nearest := res.Knox.Cells[0][0]
	if !res.Verdict.OK() || res.Zone == nil || nearest.Ratio < 5 || nearest.P > 0.01 || res.Zone.Distance > 200 || res.Zone.Days > 14 || res.Zone.Ratio < 2 {
		t.Errorf("planted near-repeats: verdict %s (%s), nearest band %+v, zone %+v; want the zone to start in the nearest band",
			res.Verdict.Level, res.Verdict.Message, nearest, res.Zone)
	}
	few, err := study.NearRepeat(evs[:40], study.NearRepeatOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if few.Verdict.OK() || few.Zone != nil || few.Knox == nil {
		t.Errorf("40 events: verdict %+v, zone %+v; want the table without a risk zone", few.Verdict, few.Zone)
	}
	one, err := study.NearRepeat(evs[:1], study.NearRepeatOptions{})
	if err != nil || one.Knox != nil || one.Verdict.OK() {
		t.Errorf("one event: %+v, %v", one, err)
	}
}

func TestForecast(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	evs := uniform(r, 400, 0, 0, 2000)
	evs = append(evs, uniform(r, 300, 1000, 1000, 100)...) // one busy cell at (8, 8) of 125 m
	origin := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	m, err := study.Forecast(context.Background(), evs, square(2000), study.ForecastOptions{Origin: origin, Method: forecast.AllHistory{}})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Verdict.OK() || m.StudyCells != 256 || len(m.Cells) != 256 || m.Train != 700 || m.Method != "all-history" {
		t.Fatalf("forecast: verdict %+v, %d study cells, %d cells, %d train", m.Verdict, m.StudyCells, len(m.Cells), m.Train)
	}
	busy := m.Cells[8*16+8]
	if busy.Rank != 1 || !busy.Top || busy.Risk < 250 {
		t.Errorf("busy cell %+v, want rank 1 in the top", busy)
	}
	top := 0
	for _, c := range m.Cells {
		if c.Top {
			top++
		}
	}
	if top != 13 { // 5% of 256, rounded
		t.Errorf("%d cells in the top 5%%, want 13", top)
	}
	early, err := study.Forecast(context.Background(), evs, square(2000), study.ForecastOptions{Origin: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if early.Verdict.OK() || early.Cells != nil {
		t.Errorf("forecast from the first days: verdict %+v, %d cells; want too few", early.Verdict, len(early.Cells))
	}
}

func TestEvalKeyAndBest(t *testing.T) {
	a := study.Selection{Gemeente: "GM0384", Categories: []string{"woninginbraak", "inbraak-bedrijf"}, From: "2024-01-01"}
	b := study.Selection{Gemeente: "GM0384", Categories: []string{"inbraak-bedrijf", "woninginbraak", "woninginbraak"}, To: "2025-01-01"}
	ka, kb := a.EvalKey(125, 14*24*time.Hour), b.EvalKey(125, 14*24*time.Hour)
	if ka != kb || ka != "area=GM0384&categories=inbraak-bedrijf%2Cwoninginbraak&cell=125&horizon=2w" {
		t.Errorf("keys %q and %q, want the same canonical key", ka, kb)
	}
	if k := (study.Selection{Gemeente: "GM0384", Wijk: "WK038401"}).EvalKey(250, 7*24*time.Hour); k != "area=WK038401&cell=250&horizon=1w" {
		t.Errorf("wijk key %q", k)
	}
	area, cats, _, cell, horizon := study.ParseEvalKey(ka)
	if area != "GM0384" || len(cats) != 2 || cell != 125 || horizon != "2w" {
		t.Errorf("ParseEvalKey(%q) = %s %v %v %s", ka, area, cats, cell, horizon)
	}

	level := func(pai float64, n int) []forecast.Level {
		return []forecast.Level{{Share: 0.01, PAI: forecast.Stat{N: n, Mean: 50}}, {Share: 0.05, PAI: forecast.Stat{N: n, Mean: pai}}}
	}
	s := study.EvalSummary{Methods: []study.MethodScore{
		{Name: "kde(300m,all)", Spec: "kde", Levels: level(4.1, 20)},
		{Name: "sepp(...)", Spec: "sepp", Levels: level(5.2, 20)},
		{Name: "last-period(4w)", Spec: "last-period", Levels: level(3, 20)},
	}}
	if best, ok := s.Best(0.05); !ok || best.Spec != "sepp" {
		t.Errorf("best = %+v, %v; want sepp", best, ok)
	}
	if _, ok := (study.EvalSummary{Methods: []study.MethodScore{{Spec: "kde", Levels: level(4, 0)}}}).Best(0.05); ok {
		t.Error("best of an evaluation without scored steps")
	}
}

func TestSelectionCheck(t *testing.T) {
	err := study.Selection{Gemeente: "Diemen", Wijk: "WK036301", Buurt: "WK038401", From: "1-1-2024", To: "2024-01-01"}.Check()
	var fe baken.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("Check = %v, want field errors", err)
	}
	var fields []string
	for _, e := range fe {
		fields = append(fields, e.Field)
	}
	if diff := cmp.Diff([]string{"gemeente", "wijk", "buurt", "from"}, fields); diff != "" {
		t.Errorf("fields mismatch (-want +got):\n%s", diff)
	}
	if err := (study.Selection{Gemeente: "GM0384", Wijk: "WK036301"}).Check(); err == nil || !strings.Contains(err.Error(), "not in GM0384") {
		t.Errorf("a wijk of Amsterdam in Diemen: %v", err)
	}
	if err := (study.Selection{Gemeente: "GM0384", From: "2025-01-01", To: "2024-01-01"}).Check(); err == nil {
		t.Error("to before from passes")
	}
}

// A sparse map with one cell of thousands of events (a default location) has no exact
// p-values to give, and too few events for the normal ones: Baken says so and draws none.
func TestHotspotsWithADefaultLocation(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	evs := uniform(r, 2000, 0, 0, 12500)                  // 100 x 100 cells of 125 m
	evs = append(evs, uniform(r, 2500, 6260, 6260, 1)...) // one spot
	m, err := study.Hotspots(evs, square(12500), study.HotspotOptions{Radius: 3})
	if err != nil {
		t.Fatal(err)
	}
	v := m.Verdict
	if v.Level != study.TooFew || v.Need != study.HotspotNormalPerNeighbourhood || v.PValues != "" || m.Cells != nil {
		t.Fatalf("verdict %+v with %d cells; want too few, needing %d for the normal p-values", v, len(m.Cells), study.HotspotNormalPerNeighbourhood)
	}
	for _, w := range []string{"22.1 per neighbourhood (49 cells of 125 m)", "at least 45", "one cell holds 2500 events", "a period 2.1 times as long"} {
		if !strings.Contains(v.Message, w) {
			t.Errorf("message %q lacks %q", v.Message, w)
		}
	}
}
