package forecast

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"baken/internal/analysis"
	"baken/internal/events"
)

// chicago reads the Chicago aggravated assaults 2010-2019 (148,636 events) from the
// shared data beside the repository, or skips.
func chicago(b *testing.B) ([]analysis.Event, *time.Location) {
	b.Helper()
	path := filepath.Join("..", "..", "..", "shared", "data", "chicago-aggravated-assaults", "chicago_aggravated_assaults.csv.gz")
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("shared data: %v", err)
	}
	defer f.Close()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		b.Fatal(err)
	}
	evs, _, err := events.ReadCSV(f, "chicago", events.Options{TZ: loc})
	if err != nil {
		b.Fatal(err)
	}
	return evs, loc
}

// BenchmarkForecast times one forecast of each default method at the origin 2019-01-01
// with all Chicago events before it (133,308) as training data, on the 125 m grid over
// the city (265 x 337 cells). "sepp" is a cold fit; "sepp-warm" a refit warm-started
// from the fit a week earlier; "sepp-update" a forecast between refits.
func BenchmarkForecast(b *testing.B) {
	evs, loc := chicago(b)
	g, err := analysis.GridFor(evs, analysis.DefaultCellSize)
	if err != nil {
		b.Fatal(err)
	}
	origin := time.Date(2019, 1, 1, 0, 0, 0, 0, loc)
	var train []analysis.Event
	for _, e := range evs {
		if e.T.Before(origin) {
			train = append(train, e)
		}
	}
	for _, m := range DefaultMethods() {
		name := m.Name()
		if _, ok := m.(*SEPP); ok {
			name = "sepp"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if s, ok := m.(*SEPP); ok {
					s.last, s.calls = nil, 0 // cold: no fit kept
				}
				if _, err := m.Forecast(train, g, origin, 14*Day); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, tc := range []struct {
		name  string
		refit int
	}{{"sepp-warm", 1}, {"sepp-update", 2}} {
		b.Run(tc.name, func(b *testing.B) {
			base := *DefaultMethods()[4].(*SEPP)
			base.RefitEvery = tc.refit
			for b.Loop() {
				b.StopTimer()
				s := base
				if _, err := s.Forecast(train, g, origin.Add(-7*Day), 14*Day); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := s.Forecast(train, g, origin, 14*Day); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluateChicago is the whole rolling evaluation of docs/FORECAST.md: 52
// weekly origins from 2018-12-25, horizon 14 days, all default methods. It takes
// minutes; run it explicitly:
//
//	go test ./internal/forecast -run '^$' -bench EvaluateChicago -benchtime 1x
func BenchmarkEvaluateChicago(b *testing.B) {
	evs, loc := chicago(b)
	opts := EvalOptions{
		Horizon: 14 * Day, Step: 7 * Day,
		From: time.Date(2018, 12, 25, 0, 0, 0, 0, loc), To: time.Date(2020, 1, 1, 0, 0, 0, 0, loc),
	}
	for b.Loop() {
		rep, err := Evaluate(context.Background(), evs, opts, DefaultMethods())
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Steps) != 52 {
			b.Fatalf("%d origins, want 52", len(rep.Steps))
		}
		for _, m := range rep.Methods {
			b.ReportMetric(m.Levels[1].PAI.Mean, "PAI5%/"+m.Name)
		}
	}
}
