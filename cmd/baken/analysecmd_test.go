package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/study"
)

// analyseDemo is a SQLite file with Diemen's areas and generated registrations, made
// once for the tests of this file, which only read it (and add evaluations).
var analyseDemo = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "baken-analyse-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo.db")
	db, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx := baken.WithActor(context.Background(), baken.System("test"))
	if err := demo.LoadReference(ctx, db); err != nil {
		return "", err
	}
	if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
		return "", err
	}
	return path, nil
})

// analyseDB returns a copy of the demo database for one test.
func analyseDB(t *testing.T) string {
	t.Helper()
	src, err := analyseDemo()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runAnalyseArgs(args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = runAnalyse(context.Background(), env{getenv: noenv, stdout: &o, stderr: &e}, args)
	return o.String(), e.String(), err
}

func TestAnalyseFromStore(t *testing.T) {
	db := analyseDB(t)
	burglary2024 := []string{"--db", db, "--category", "woninginbraak", "--from", "2024-01-01", "--to", "2024-12-31"}
	tests := []struct {
		name    string
		args    []string
		stdout  []string // what the analyst reads on stdout
		stderr  []string // and on stderr
		wantErr string
		check   func(t *testing.T, stdout string)
	}{
		{name: "hotspots of everything", args: []string{"hotspots", "--db", db},
			stdout: []string{"cell,row,col,x,y,count,z,p,q,hot,cold\n"},
			stderr: []string{"Hotspots (Getis-Ord Gi*) of GM0384; all categories", "20764 events in 821 cells of 125 m, 382 outside the study area",
				"228 events per neighbourhood (9 cells of 125 m): enough", "115 hot and 0 cold cells at a false discovery rate of 0.05; 115 cells written (csv)",
				"Not evaluated yet", "baken eval forecast --gemeente GM0384 --cell 125 --horizon 2w --save"},
			check: func(t *testing.T, stdout string) {
				recs := readCSV(t, stdout)
				for _, r := range recs[1:] {
					if r[9] != "true" {
						t.Fatalf("a cell that is not hot: %v", r)
					}
				}
			}},
		{name: "hotspots of one category in one year", args: append([]string{"hotspots"}, burglary2024...),
			wantErr: "too few events for a hotspot map: 52 events in 821 cells give 0.6 per neighbourhood (9 cells of 125 m); Gi* needs at least 9"},
		{name: "the advice", args: append([]string{"hotspots"}, burglary2024...),
			wantErr: "Use cells of at least 500 m, or a radius of 6 cells, or a period 15.8 times as long, or more categories"},
		{name: "hotspots of a theme with larger cells", args: []string{"hotspots", "--db", db, "--theme", "1.2", "--cell", "250", "--all"},
			stderr: []string{"cells of 250 m", "cells written (csv)"},
			check: func(t *testing.T, stdout string) {
				if n := len(readCSV(t, stdout)) - 1; n < 150 {
					t.Errorf("--all wrote %d cells, want every study cell", n)
				}
			}},
		{name: "hot times", args: []string{"hot-times", "--db", db},
			stdout: []string{"Hot times of GM0384; all categories", "21146 events with a time of day (hours in Europe/Amsterdam)",
				"Mon  ", "Sun  ", "Chi-square", "the week is not flat", "Hours that stand out (false discovery rate 0.05):"}},
		{name: "hot times of too few", args: append([]string{"hot-times"}, burglary2024...),
			stdout: []string{"55 events with a time of day", "too few events to say which hours stand out: 55 events with a time of day, 0.3 per hour of the week"},
			check: func(t *testing.T, stdout string) {
				if strings.Contains(stdout, "Chi-square") || strings.Contains(stdout, "+ ") && strings.Contains(stdout, "stand out (") {
					t.Errorf("the test is shown for too few events:\n%s", stdout)
				}
			}},
		{name: "hot times as JSON", args: append([]string{"hot-times", "--format", "json"}, burglary2024...),
			stderr: []string{"55 events with a time of day (json)"},
			check: func(t *testing.T, stdout string) {
				var v struct {
					Total     int      `json:"total"`
					ChiSquare *float64 `json:"chi_square"`
					Verdict   struct {
						Level string `json:"level"`
					} `json:"verdict"`
					Cells [7][24]struct {
						Count int `json:"count"`
					} `json:"cells"`
				}
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Fatal(err)
				}
				sum := 0
				for _, d := range v.Cells {
					for _, c := range d {
						sum += c.Count
					}
				}
				if v.Total != 55 || sum != 55 || v.ChiSquare != nil || v.Verdict.Level != "too-few" {
					t.Errorf("json: total %d, cells add to %d, chi-square %v, verdict %s", v.Total, sum, v.ChiSquare, v.Verdict.Level)
				}
			}},
		{name: "hot times as CSV", args: []string{"hot-times", "--db", db, "--format", "csv", "--category", "overlast-jeugd"},
			check: func(t *testing.T, stdout string) {
				recs := readCSV(t, stdout)
				if len(recs) != 169 || strings.Join(recs[0], ",") != "weekday,day,hour,count,residual,p,q,high,low" || recs[1][1] != "mon" {
					t.Errorf("csv: %d rows, header %v, first %v", len(recs), recs[0], recs[1])
				}
			}},
		{name: "near-repeat", args: []string{"near-repeat", "--db", db, "--category", "fietsendiefstal", "--seed", "3"},
			stdout: []string{"Near-repeat (Knox test) of GM0384; fietsendiefstal", "1550 events, 99 permutations, seed 3",
				"Observed/expected pairs (Monte Carlo p)", "0-100 m", "0-7 days", "21-28 days"}},
		{name: "near-repeat of too few", args: []string{"near-repeat", "--db", db, "--category", "overval"},
			stdout: []string{"No risk zone: too few events to judge a near-repeat pattern"}},
		{name: "near-repeat as JSON", args: []string{"near-repeat", "--db", db, "--category", "woninginbraak", "--format", "json",
			"--space-bands", "200,400", "--time-bands", "14,28"},
			check: func(t *testing.T, stdout string) {
				var v struct {
					Events int `json:"events"`
					Bands  [][]struct {
						SpaceTo  float64  `json:"space_to_m"`
						Observed int      `json:"observed"`
						Ratio    *float64 `json:"ratio"`
					} `json:"bands"`
					Sentence string `json:"sentence"`
				}
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Fatal(err)
				}
				if v.Events != 452 || len(v.Bands) != 2 || len(v.Bands[1]) != 2 || v.Bands[1][0].SpaceTo != 400 || v.Sentence == "" {
					t.Errorf("json: %+v", v)
				}
			}},
		{name: "forecast", args: []string{"forecast", "--db", db, "--category", "fietsendiefstal"},
			stderr: []string{"Forecast of GM0384; fietsendiefstal", "2025-12-30 to 2026-01-12 (2w), 1550 training events; 821 cells of 125 m",
				"method " + study.DefaultMethod().Name() + ": the default: no stored evaluation of this selection", "says nothing about any person", "Not evaluated yet"},
			check: func(t *testing.T, stdout string) {
				recs := readCSV(t, stdout)
				top := 0
				for _, r := range recs[1:] {
					if r[7] == "true" {
						top++
					}
				}
				if strings.Join(recs[0], ",") != "cell,row,col,x,y,risk,rank,top" || len(recs) != 822 || top != 41 {
					t.Errorf("forecast csv: header %v, %d rows, %d in the top; want 821 cells, 41 in the top 5%%", recs[0], len(recs)-1, top)
				}
			}},
		{name: "forecast of too few", args: []string{"forecast", "--db", db, "--category", "overval", "--from", "2025-01-01"},
			wantErr: "too few events for a forecast: 3 training events, at least 30"},
		{name: "unknown category", args: []string{"hotspots", "--db", db, "--category", "fraude"}, wantErr: `--category: unknown category "fraude"`},
		{name: "a wijk elsewhere", args: []string{"hotspots", "--db", db, "--gemeente", "GM0384", "--wijk", "WK036301"}, wantErr: "--wijk: WK036301 is not in GM0384"},
		{name: "CSV flags without a file", args: []string{"hotspots", "--db", db, "--time-col", "datum"}, wantErr: "--time-col: describes the --input file"},
		{name: "bad radius", args: []string{"hotspots", "--db", db, "--radius", "0"}, wantErr: "--radius: 0"},
		{name: "bad format", args: []string{"near-repeat", "--db", db, "--format", "csv"}, wantErr: `--format: "csv": want text, json`},
		{name: "bad bands", args: []string{"near-repeat", "--db", db, "--space-bands", "200,100"}, wantErr: "--space-bands: 100 after 200: want ascending bounds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runAnalyseArgs(tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || baken.KindOf(err) != baken.Invalid {
					t.Fatalf("error %v, want an invalid one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.check != nil {
				tt.check(t, stdout)
			}
		})
	}
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v\n%s", err, s)
	}
	return recs
}

// analyseCSV writes a year of events around three places in Amsterdam, plus scatter.
func analyseCSV(t *testing.T, n int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(11, 11))
	var b strings.Builder
	b.WriteString("date,lon,lat\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	hot := [][2]float64{{4.8950, 52.3700}, {4.9050, 52.3650}, {4.8850, 52.3750}}
	for i := range n {
		ts := start.Add(time.Duration(r.IntN(365*24*60)) * time.Minute)
		lon, lat := 4.88+0.03*r.Float64(), 52.36+0.02*r.Float64()
		if i%3 != 0 {
			h := hot[r.IntN(len(hot))]
			lon, lat = h[0]+0.0008*r.NormFloat64(), h[1]+0.0005*r.NormFloat64()
		}
		fmt.Fprintf(&b, "%s,%.5f,%.5f\n", ts.Format(time.RFC3339), lon, lat)
	}
	path := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnalyseFromFile(t *testing.T) {
	dense, sparse := analyseCSV(t, 6000), analyseCSV(t, 6) // with --input the study area is the cells with events
	out := filepath.Join(t.TempDir(), "hot.geojson")
	stdout, stderr, err := runAnalyseArgs("hotspots", "--input", dense, "--output", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, w := range []string{"events.csv: 6000 events of 6000 rows", "plane EPSG:28992", "study area: the cells with an event", "cells written (geojson)"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, stdout)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Hot bool `json:"hot"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) == 0 || !fc.Features[0].Properties.Hot {
		t.Fatalf("geojson: %s", b[:min(len(b), 300)])
	}
	if lon := fc.Features[0].Geometry.Coordinates[0][0][0]; lon < 4.87 || lon > 4.92 {
		t.Errorf("first corner at longitude %v, want Amsterdam's", lon)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"hotspots", "--input", sparse}, "too few events for a hotspot map"},
		{[]string{"hotspots", "--input", dense, "--gemeente", "GM0384"}, "--gemeente: selects registrations in the store; not with --input"},
		{[]string{"forecast", "--input", sparse, "--horizon", "2q"}, `--horizon: duration "2q"`},
		{[]string{"hot-times", "--input", dense, "--tz", "Mars/Olympus"}, "--tz: unknown time zone"},
	} {
		if _, _, err := runAnalyseArgs(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}

	stdout, stderr, err = runAnalyseArgs("forecast", "--input", dense, "--format", "geojson", "--method", "all-history")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, `"method":"all-history","origin":"2025-01-01T00:00:00+01:00","horizon":"2w"`) ||
		!strings.Contains(stderr, "method all-history: chosen with --method") {
		t.Errorf("forecast geojson: %.300s\n%s", stdout, stderr)
	}
}

// TestEvalFromStoreShownBesideTheMap evaluates forecasts on the store's registrations,
// stores the result, and finds it beside the hotspot map and behind the forecast's
// choice of method.
func TestEvalFromStoreShownBesideTheMap(t *testing.T) {
	db := analyseDB(t)
	var o, e bytes.Buffer
	err := run(context.Background(), []string{"eval", "forecast", "--db", db, "--methods", "all-history,kde", "--from", "2025-07-01",
		"--save"}, noenv, nil, &o, &e)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.String())
	}
	for _, w := range []string{"Selection GM0384; all categories: 21146 registrations with a place", "Top 5% of the study area",
		"Stored as the latest forecast evaluation of this selection", "area=GM0384&cell=125&horizon=2w"} {
		if !strings.Contains(o.String(), w) {
			t.Errorf("eval output lacks %q:\n%s", w, o.String())
		}
	}

	_, stderr, err := runAnalyseArgs("hotspots", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Latest forecast evaluation of this selection", "by system:eval", "hit rate at 5%", "all-history", "kde("} {
		if !strings.Contains(stderr, w) {
			t.Errorf("hotspots summary lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "Not evaluated yet") {
		t.Errorf("hotspots summary says not evaluated:\n%s", stderr)
	}
	_, stderr, err = runAnalyseArgs("forecast", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "the best at 5% of the area in the evaluation of") {
		t.Errorf("forecast does not take the best method of the evaluation:\n%s", stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "forecast", "--input", analyseCSV(t, 100), "--save"}, "--save: stores the evaluation of a selection in the store; not with --input"},
		{[]string{"eval", "forecast", "--input", analyseCSV(t, 100), "--category", "woninginbraak"}, "--category: selects registrations in the store; not with --input"},
		{[]string{"eval", "forecast", "--db", db, "--area", "x.geojson"}, "--area: describes the --input file; give --input"},
		{[]string{"eval", "forecast", "--db", db, "--gemeente", "GM0363"}, "no registrations with a place in the selection"},
	} {
		var o, e bytes.Buffer
		if err := run(context.Background(), tc.args, noenv, nil, &o, &e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}
