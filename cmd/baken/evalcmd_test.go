package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
)

// evalEvents writes a small CSV of events near Amsterdam's centre: ten weeks, three
// places where most things happen and some scatter, Dutch style (semicolons, decimal
// commas, day-first dates), plus a category column to filter on.
func evalEvents(t *testing.T) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("datum;soort;lon;lat\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	hot := [][2]float64{{4.8950, 52.3700}, {4.9050, 52.3650}, {4.8850, 52.3750}}
	for i := range 700 {
		ts := start.Add(time.Duration(r.IntN(70*24*60)) * time.Minute)
		lon, lat := 4.88+0.03*r.Float64(), 52.36+0.02*r.Float64()
		if i%3 != 0 {
			h := hot[r.IntN(len(hot))]
			lon, lat = h[0]+0.0006*r.NormFloat64(), h[1]+0.0004*r.NormFloat64()
		}
		kind := "fiets"
		if i%10 == 0 {
			kind = "auto"
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s\n", ts.Format("02-01-2006 15:04"), kind,
			strings.Replace(fmt.Sprintf("%.5f", lon), ".", ",", 1), strings.Replace(fmt.Sprintf("%.5f", lat), ".", ",", 1))
	}
	b.WriteString("05-03-2024 10:00;fiets;NA;NA\n")
	path := filepath.Join(t.TempDir(), "diefstal.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runEvalArgs(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), append([]string{"eval", "forecast"}, args...), noenv, nil, &o, &e)
	return o.String(), e.String(), err
}

// evalJSON is the part of the JSON output the tests read.
type evalJSON struct {
	Input struct {
		Events  int    `json:"events"`
		NoPlace int    `json:"no_place"`
		CRS     string `json:"crs"`
	} `json:"input"`
	Report struct {
		AreaCells int `json:"area_cells"`
		Steps     []struct {
			Origin  time.Time `json:"origin"`
			Test    int       `json:"test"`
			Skipped string    `json:"skipped"`
		} `json:"steps"`
		Methods []struct {
			Name   string `json:"name"`
			Levels []struct {
				Share   float64 `json:"share"`
				HitRate struct {
					N    int     `json:"n"`
					Mean float64 `json:"mean"`
				} `json:"hit_rate"`
				PAI struct {
					Mean float64 `json:"mean"`
				} `json:"pai"`
			} `json:"levels"`
		} `json:"methods"`
	} `json:"report"`
}

func TestEvalForecastSmallFile(t *testing.T) {
	path := evalEvents(t)
	stdout, stderr, err := runEvalArgs(t, "--input", path, "--from", "2024-02-05", "--to", "2024-03-10",
		"--horizon", "1w", "--filter", "soort=fiets", "--methods", "last-period:window=2w,all-history,kde:bandwidth=200,prospective,sepp:window=8w:refit=2")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, want := range []string{
		"Input diefstal.csv: 630 events from 701 rows (70 filtered out, 1 without place, 0 without time)",
		"plane EPSG:28992",
		"origins      5, 2024-02-05 to 2024-03-04, every 1w; horizon 1w; training window all",
		"scored       5 of 5 steps",
		"Top 1% of the study area", "Top 5% of the study area", "Top 10% of the study area",
		"last-period(2w)", "all-history", "kde(200m,all,hl2y)", "prospective(150m,4y)", "sepp(8w,",
		"Run time (all steps)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	// JSON: the same evaluation for machines; the concentrated data give PAI well above 1.
	stdout, stderr, err = runEvalArgs(t, "--input", path, "--from", "2024-02-05", "--to", "2024-03-10",
		"--horizon", "7d", "--methods", "all-history", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out evalJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if out.Input.Events != 700 || out.Input.NoPlace != 1 || out.Input.CRS != "EPSG:28992" || len(out.Report.Steps) != 5 {
		t.Errorf("input %+v, %d steps", out.Input, len(out.Report.Steps))
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if o := out.Report.Steps[0].Origin; !o.Equal(time.Date(2024, 2, 5, 0, 0, 0, 0, ams)) {
		t.Errorf("first origin %s, want local midnight of 2024-02-05", o)
	}
	if m := out.Report.Methods; len(m) != 1 || len(m[0].Levels) != 3 || m[0].Levels[1].HitRate.N != 5 || m[0].Levels[1].PAI.Mean < 2 {
		t.Errorf("methods %+v", m)
	}
}

func TestEvalForecastArea(t *testing.T) {
	// A study area around one of the three places: far fewer cells than the default.
	path := evalEvents(t)
	area := filepath.Join(t.TempDir(), "area.geojson")
	poly := `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[4.890,52.366],[4.900,52.366],[4.900,52.374],[4.890,52.374],[4.890,52.366]]]}}`
	if err := os.WriteFile(area, []byte(poly), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runEvalArgs(t, "--input", path, "--from", "2024-02-05", "--to", "2024-03-10",
		"--area", area, "--methods", "all-history", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out evalJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	// 680 m x 890 m is about 5.4 x 7.1 cells of 125 m.
	if n := out.Report.AreaCells; n < 30 || n > 50 {
		t.Errorf("study area of %d cells, want about 39", n)
	}
}

func TestEvalForecastErrors(t *testing.T) {
	path := evalEvents(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "--input: give the CSV file"},
		{[]string{"--input", path, "--horizon", "2q"}, `--horizon: duration "2q"`},
		{[]string{"--input", path, "--train-window", "0d"}, `--train-window: duration "0d"`},
		{[]string{"--input", path, "--methods", "crystal-ball"}, `--methods: unknown method "crystal-ball"`},
		{[]string{"--input", path, "--format", "xml"}, `--format: "xml": want text or json`},
		{[]string{"--input", path, "--tz", "Mars/Olympus"}, `--tz: unknown time zone`},
		{[]string{"--input", path, "--from", "5-2-2024"}, `--from: "5-2-2024" is not a day`},
		{[]string{"--input", path, "--from", "2024-03-01", "--to", "2024-02-01"}, `is before --from`},
		{[]string{"--input", path, "--from", "2024-03-08", "--to", "2024-03-10"}, `shorter than the horizon 2w`},
		{[]string{"--input", path, "--from", "2023-01-01", "--to", "2024-03-10"}, `no events before the first origin`},
		{[]string{"--input", path, "--filter", "kleur=rood"}, `--input: diefstal.csv: filter on column "kleur": no such column`},
		{[]string{"--input", path, "--x-col", "lon", "--y-col", "lat"}, `need --crs`},
		{[]string{"--input", filepath.Join(t.TempDir(), "nothing.csv")}, `--input: open`},
		{[]string{"--input", path, "--area", path}, `--area: diefstal.csv: not GeoJSON`},
		{[]string{"--input", path, "--cell", "-5"}, `--cell: -5`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, _, err := runEvalArgs(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if err != nil && baken.KindOf(err) != baken.Invalid {
				t.Errorf("error %v is %s, want invalid (exit 2)", err, baken.KindOf(err))
			}
		})
	}
	var o, e bytes.Buffer
	if err := run(context.Background(), []string{"eval"}, noenv, nil, &o, &e); err == nil || !strings.Contains(e.String(), "forecast") {
		t.Errorf("eval without a kind: %v, %q", err, e.String())
	}
}

func TestEvalForecastSanFrancisco(t *testing.T) {
	path := sharedData(t, "sf-robbery-2019/san_francisco_robbery_2019.csv.gz")
	stdout, stderr, err := runEvalArgs(t, "--input", path, "--time-col", "date_time", "--tz", "America/Los_Angeles",
		"--from", "2019-07-01", "--to", "2019-12-31", "--step", "7d", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out evalJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Input.Events != 951 || out.Input.CRS != "EPSG:32610" {
		t.Errorf("input %+v", out.Input)
	}
	// Origins every week from 1 July while the 14-day horizon ends by 31 December.
	if n := len(out.Report.Steps); n != 25 {
		t.Errorf("%d steps, want 25", n)
	}
	if n := len(out.Report.Methods); n != 5 {
		t.Errorf("%d methods, want all 5", n)
	}
	for _, m := range out.Report.Methods {
		for _, lv := range m.Levels {
			if lv.HitRate.N == 0 || lv.HitRate.Mean < 0 || lv.HitRate.Mean > 1 {
				t.Errorf("%s at %v: %+v", m.Name, lv.Share, lv)
			}
		}
	}
}
