package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/demo"
	"baken/internal/forecast"
	"baken/internal/study"
)

// hotspotAnswer is what the tests read of a hotspot answer, in either form.
type hotspotAnswer struct {
	Type     string `json:"type"`
	Features []struct {
		Geometry struct {
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties hotspotCell `json:"properties"`
	} `json:"features"`
	Cells      []hotspotCell `json:"cells"`
	Generated  bool          `json:"generated"`
	StudyCells int           `json:"study_cells"`
	Events     int           `json:"events"`
	Hot        int           `json:"hot"`
	Verdict    study.Verdict `json:"verdict"`
	Evaluation *struct {
		RunBy   string `json:"run_by"`
		Scored  int    `json:"scored"`
		Methods []struct {
			Name   string `json:"name"`
			Levels []struct {
				Share float64 `json:"share"`
				PAI   struct {
					Mean float64 `json:"mean"`
				} `json:"pai"`
			} `json:"levels"`
		} `json:"methods"`
	} `json:"evaluation"`
	EvaluateCommand string `json:"evaluate_command"`
}

type hotspotCell struct {
	Count *float64 `json:"count"`
	Lon   float64  `json:"lon"`
	Hot   bool     `json:"hot"`
}

func wantHotspots(check func(t *testing.T, a hotspotAnswer)) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		var a hotspotAnswer
		r.decode(t, &a)
		check(t, a)
	}
}

// runAnalysisCalls asks for every analysis on the few registrations the API tests
// start with, checking every answer against the OpenAPI document: too few for any
// statistic, so each says so.
func runAnalysisCalls(t *testing.T, h *harness) {
	for _, c := range []call{
		{name: "hotspots of a few registrations", target: "/analysis/hotspots", as: "analist", status: 200,
			check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
				if a.Type != "FeatureCollection" || len(a.Features) != 0 || a.Verdict.Level != study.TooFew || a.Events != 4 ||
					a.Evaluation != nil || !strings.Contains(a.Verdict.Message, "too few events for a hotspot map: 4 events") ||
					a.EvaluateCommand != "baken eval forecast --gemeente GM0384 --cell 125 --horizon 2w --save" {
					t.Errorf("answer %+v", a)
				}
			})},
		{name: "hotspots as a list", target: "/analysis/hotspots?format=json&category=woninginbraak&cell=250&radius=2&all=true", as: "raadslid", status: 200,
			check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
				if a.Cells == nil || len(a.Cells) != 0 || a.Events != 1 || a.Verdict.Level != study.TooFew {
					t.Errorf("answer %+v", a)
				}
			})},
		{name: "hotspots of another municipality", target: "/analysis/hotspots?gemeente=GM0363", as: "analist", status: 404},
		{name: "hotspots without a municipality", target: "/analysis/hotspots", as: "system", status: 400, check: wantFields("gemeente")},
		{name: "hotspots with bad settings", target: "/analysis/hotspots?cell=5&radius=0&alpha=2&format=shp&colour=red", as: "analist",
			status: 400, invalid: true, check: wantFields("alpha", "cell", "colour", "format", "radius")},
		{name: "hotspots of a wijk elsewhere", target: "/analysis/hotspots?gemeente=GM0384&wijk=WK036301", as: "analist", status: 400,
			check: wantFields("wijk")},
		{name: "hotspots unauthenticated", target: "/analysis/hotspots", status: 401, invalid: true},
		{name: "hot times of a few", target: "/analysis/hot-times", as: "analist", status: 200,
			check: wantMembers(map[string]any{"total": 2.0, "untimed": 2.0, "tested": false, "chi_square": nil, "time_zone": "Europe/Amsterdam"})},
		{name: "hot times of a buurt", target: "/analysis/hot-times?buurt=BU03840101&from=2024-01-01&to=2024-12-31", as: "beleid", status: 200,
			check: wantMembers(map[string]any{"selection": map[string]any{"gemeente": "GM0384", "area": "BU03840101", "categories": nil,
				"sources": nil, "from": "2024-01-01", "to": "2024-12-31"}})},
		{name: "hot times with a bad period", target: "/analysis/hot-times?from=2024-12-01&to=2024-01-01", as: "analist", status: 400,
			check: wantFields("to")},
		{name: "near-repeat of a few", target: "/analysis/near-repeat?space_bands=100,200&time_bands=7", as: "analist", status: 200,
			check: func(t *testing.T, r result) {
				got := r.object(t)
				bands, _ := got["bands"].([]any)
				if got["events"] != 4.0 || len(bands) != 2 || got["risk_zone"] != nil {
					t.Errorf("near-repeat %v", got)
				}
			}},
		{name: "near-repeat with bands out of order", target: "/analysis/near-repeat?space_bands=200,100&permutations=0", as: "analist",
			status: 400, invalid: true, check: wantFields("permutations", "space_bands")},
	} {
		t.Run(c.name, func(t *testing.T) { h.run(t, c) })
	}
}

// TestAnalysisOnDemo asks for the analyses of Diemen's generated registrations, on both
// engines: a dense selection gives hotspots, a sparse one the message, and the latest
// stored evaluation comes with the map.
func TestAnalysisOnDemo(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := demo.LoadRegistrations(sys(), db, demo.DefaultSeed); err != nil {
				t.Fatal(err)
			}
			h := newHarness(t, db)
			run := func(c call) {
				t.Helper()
				t.Run(c.name, func(t *testing.T) { h.run(t, c) })
			}
			run(call{name: "dense hotspots", target: "/analysis/hotspots", as: "analist", status: 200,
				check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
					if a.Verdict.Level != study.Enough || a.Hot != 115 || len(a.Features) != 115 || a.StudyCells != 821 || !a.Generated {
						t.Fatalf("verdict %+v, %d hot, %d features, %d study cells, generated %v", a.Verdict, a.Hot, len(a.Features), a.StudyCells, a.Generated)
					}
					f := a.Features[0]
					if ring := f.Geometry.Coordinates[0]; len(ring) != 5 || ring[0] != ring[4] || ring[0][0] < 4.9 || ring[0][0] > 5.05 || !f.Properties.Hot {
						t.Errorf("first feature %+v", f)
					}
				})})
			run(call{name: "sparse hotspots", target: "/analysis/hotspots?category=woninginbraak&from=2024-01-01&to=2024-12-31", as: "analist", status: 200,
				check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
					want := []study.Advice{{Change: "cell", Value: 500}, {Change: "radius", Value: 6}, {Change: "period", Value: 15.8}, {Change: "categories"}}
					if len(a.Features) != 0 || a.Verdict.Level != study.TooFew || a.Verdict.Events != 52 || a.Verdict.Need != 9 {
						t.Errorf("sparse: %d features, verdict %+v", len(a.Features), a.Verdict)
					}
					if diff := cmp.Diff(want, a.Verdict.Advice); diff != "" {
						t.Errorf("advice mismatch (-want +got):\n%s", diff)
					}
				})})
			run(call{name: "small counts for a councillor", target: "/analysis/hotspots?format=json&all=true", as: "raadslid", status: 200,
				check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
					hidden := 0
					for _, c := range a.Cells {
						if c.Count == nil {
							hidden++
						} else if *c.Count > 0 && *c.Count <= 4 {
							t.Fatalf("a councillor sees a count of %v", *c.Count)
						}
					}
					if len(a.Cells) != 821 || hidden == 0 {
						t.Errorf("%d cells, %d counts hidden", len(a.Cells), hidden)
					}
				})})

			sel := study.Selection{Gemeente: "GM0384"}
			sum := study.EvalSummary{Selection: sel.EvalKey(125, study.DefaultHorizon), Events: 21146, Cell: 125, Horizon: "2w",
				From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Steps: 26, Scored: 26,
				Methods: []study.MethodScore{{Name: "kde(300m,all)", Spec: "kde", Levels: []forecast.Level{
					{Share: 0.05, HitRate: forecast.Stat{N: 26, Mean: 0.21}, PAI: forecast.Stat{N: 26, Mean: 4.2}}}}}}
			if _, err := study.SaveEvaluation(sys(), db, sel, sum); err != nil {
				t.Fatal(err)
			}
			run(call{name: "hotspots with the evaluation", target: "/analysis/hotspots?format=json", as: "beleid", status: 200,
				check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
					e := a.Evaluation
					if e == nil || e.RunBy != "system:test" || e.Scored != 26 || len(e.Methods) != 1 || e.Methods[0].Levels[0].PAI.Mean != 4.2 {
						t.Errorf("evaluation %+v", e)
					}
				})})
			run(call{name: "hotspots with larger cells have no evaluation", target: "/analysis/hotspots?cell=250", as: "beleid", status: 200,
				check: wantHotspots(func(t *testing.T, a hotspotAnswer) {
					if a.Evaluation != nil || !strings.Contains(a.EvaluateCommand, "--cell 250") {
						t.Errorf("evaluation %+v, command %q", a.Evaluation, a.EvaluateCommand)
					}
				})})
			run(call{name: "hot times", target: "/analysis/hot-times?theme=1.2", as: "analist", status: http.StatusOK,
				check: func(t *testing.T, r result) {
					got := r.object(t)
					hours, _ := got["hours"].([]any)
					if got["tested"] != true || got["chi_square"] == nil || len(hours) != 168 {
						t.Errorf("hot times: tested %v, chi-square %v, %d hours", got["tested"], got["chi_square"], len(hours))
					}
				}})
			run(call{name: "near-repeat", target: "/analysis/near-repeat?category=fietsendiefstal&seed=4", as: "analist", status: http.StatusOK,
				check: func(t *testing.T, r result) {
					got := r.object(t)
					bands, _ := got["bands"].([]any)
					verdict, _ := got["verdict"].(map[string]any)
					if got["events"] != 1550.0 || len(bands) != 5 || verdict["level"] != "enough" {
						t.Errorf("near-repeat: %v events, %d bands, verdict %v", got["events"], len(bands), verdict)
					}
				}})
		})
	}
}
