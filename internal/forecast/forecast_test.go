package forecast

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"baken/internal/analysis"
)

// smallGrid is 5 x 5 cells of 100 m; cell i has its centre at (50 + 100 (i%5), 50 + 100 (i/5)).
func smallGrid(t testing.TB) analysis.Grid {
	t.Helper()
	g, err := analysis.NewGrid(0, 0, 499, 499, 100)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func inCell(cell int, t time.Time) analysis.Event {
	return analysis.Event{X: float64(cell%5)*100 + 50, Y: float64(cell/5)*100 + 50, T: t}
}

func TestForecastCounts(t *testing.T) {
	g := smallGrid(t)
	origin := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	train := []analysis.Event{
		inCell(12, origin.Add(-1*Day)),
		inCell(12, origin.Add(-10*Day)),
		inCell(3, origin.Add(-27*Day)),
		inCell(3, origin.Add(-29*Day)), // outside 4 weeks
		inCell(0, origin.Add(-400*Day)),
		{X: 900, Y: 900, T: origin.Add(-Day)}, // off the grid: not counted
	}
	want := func(counts map[int]float64) []float64 {
		v := make([]float64, 25)
		for c, n := range counts {
			v[c] = n
		}
		return v
	}
	for _, tc := range []struct {
		m    Method
		want []float64
	}{
		{LastPeriod{}, want(map[int]float64{12: 2, 3: 1})},
		{LastPeriod{Window: 2 * Day}, want(map[int]float64{12: 1})},
		{AllHistory{}, want(map[int]float64{12: 2, 3: 2, 0: 1})},
	} {
		t.Run(tc.m.Name(), func(t *testing.T) {
			got, err := tc.m.Forecast(train, g, origin, 14*Day)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForecastProspectiveHotspot(t *testing.T) {
	// One event in the centre cell (12) 10 days before the origin: 1 whole week old, so
	// weight 1/2 in time; with a 150 m bandwidth it reaches the four neighbours (1 cell
	// away, weight 1/2) and the diagonals (1.41 cells = 141 m, weight 1/2.41), not the
	// cells 2 away. An event of 9 weeks ago is outside the default 8 weeks.
	g := smallGrid(t)
	origin := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	train := []analysis.Event{inCell(12, origin.Add(-10*Day)), inCell(0, origin.Add(-63*Day))}
	got, err := ProspectiveHotspot{Bandwidth: 150}.Forecast(train, g, origin, 14*Day)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 25)
	want[12] = 0.5
	for _, c := range []int{7, 11, 13, 17} {
		want[c] = 0.5 * 0.5
	}
	for _, c := range []int{6, 8, 16, 18} {
		want[c] = 0.5 / (1 + math.Sqrt2)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestForecastKDE(t *testing.T) {
	g := smallGrid(t)
	origin := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	train := []analysis.Event{inCell(12, origin.Add(-Day)), inCell(0, origin.Add(-800*Day))}
	all, err := KDE{Bandwidth: 150}.Forecast(train, g, origin, 14*Day)
	if err != nil {
		t.Fatal(err)
	}
	recent, err := KDE{Bandwidth: 150, Window: 365 * Day}.Forecast(train, g, origin, 14*Day)
	if err != nil {
		t.Fatal(err)
	}
	decayed, err := KDE{Bandwidth: 150, HalfLife: 400 * Day}.Forecast(train, g, origin, 14*Day)
	if err != nil {
		t.Fatal(err)
	}
	if all[0] == 0 || recent[0] != 0 || all[12] != recent[12] {
		t.Errorf("window: cell 0 %v / %v, cell 12 %v / %v", all[0], recent[0], all[12], recent[12])
	}
	// The old event is two half-lives old (800 days), less one day for the new one.
	if r := decayed[0] / all[0]; math.Abs(r-0.25) > 1e-12 {
		t.Errorf("decayed weight of an event two half-lives old: %v, want 0.25", r)
	}
	if _, err := (KDE{Bandwidth: 150}).Forecast(train, analysis.Grid{}, origin, Day); err == nil {
		t.Error("no error for an invalid grid")
	}
}

func TestSEPPCellBackground(t *testing.T) {
	// With a background per cell and no pairs (every event alone, 100 m from the next,
	// triggering cut at 50 m), theta goes to 0 and the forecast for a cell is its events
	// over the window, times the horizon.
	g, err := analysis.NewGrid(0, 0, 1999, 1999, 100)
	if err != nil {
		t.Fatal(err)
	}
	origin := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var train []analysis.Event
	for d := range 100 {
		c := d * 7 % 400 // 100 different cells
		train = append(train, analysis.Event{X: float64(c%20)*100 + 50, Y: float64(c/20)*100 + 50, T: origin.Add(-time.Duration(d+1) * Day)})
	}
	m := &SEPP{Window: 100 * Day, MaxDistance: 50}
	risk, err := m.Forecast(train, g, origin, 10*Day)
	if err != nil {
		t.Fatal(err)
	}
	if m.last.Pairs != 0 || m.last.Theta != 0 {
		t.Fatalf("%d pairs, theta %v", m.last.Pairs, m.last.Theta)
	}
	// One event per cell in a window that starts at the first event, 100 days back.
	for _, c := range []int{0, 7, 14, 693 % 400} {
		if want := 1.0 / 100 * 10; math.Abs(risk[c]-want) > 1e-9 {
			t.Errorf("cell %d: %v, want %v", c, risk[c], want)
		}
	}
	if risk[1] != 0 {
		t.Errorf("cell 1: %v, want 0", risk[1])
	}
}

func TestParseMethod(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Method
	}{
		{"last-period", LastPeriod{Window: 28 * Day}},
		{"last-period:window=8w", LastPeriod{Window: 56 * Day}},
		{"all-history", AllHistory{}},
		{"kde:bandwidth=150m:window=2y:halflife=1y", KDE{Bandwidth: 150, Window: 730 * Day, HalfLife: 365 * Day}},
		{"kde:window=all", KDE{Bandwidth: 100, Window: 0, HalfLife: 730 * Day}},
		{"prospective:bandwidth=200:window=26w", ProspectiveHotspot{Bandwidth: 200, Window: 182 * Day}},
		{"sepp:window=3y:bandwidth=cell:distance=250:lag=30d:refit=4:iter=50",
			&SEPP{Window: 3 * 365 * Day, Bandwidth: 0, MaxDistance: 250, MaxLag: 30 * Day, MinSigma: 30, RefitEvery: 4, MaxIter: 50}},
		{"sepp:bandwidth=300", func() Method { m := DefaultMethods()[4].(*SEPP); m.Bandwidth = 300; return m }()},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseMethod(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(SEPP{})); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct{ spec, want string }{
		{"knn", `unknown method "knn"`},
		{"kde:bandwidth", `setting "bandwidth": want key=value`},
		{"kde:bandwidth=-3", `bandwidth "-3": want a positive number of metres`},
		{"kde:width=3", "unknown setting width"},
		{"last-period:window=all", `window: duration "all"`},
		{"sepp:refit=0", `refit "0": want a positive whole number`},
		{"prospective:bandwidth=cell", `bandwidth "cell"`},
	} {
		if _, err := ParseMethod(tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseMethod(%q): error %v, want one containing %q", tc.spec, err, tc.want)
		}
	}
}

func TestDefaultMethodsNames(t *testing.T) {
	// Every default method can be asked for by its name.
	for _, m := range DefaultMethods() {
		name, _, _ := strings.Cut(m.Name(), "(")
		p, err := ParseMethod(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name() != m.Name() {
			t.Errorf("ParseMethod(%q) = %s, want %s", name, p.Name(), m.Name())
		}
	}
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"14d", 14 * Day}, {"2w", 14 * Day}, {"36h", 36 * time.Hour}, {"1y", 365 * Day}, {"90m", 90 * time.Minute}, {" 7d ", 7 * Day},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "d", "-2d", "0w", "1.5d", "2x", "-1h", "0s", "99999y"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q): no error", bad)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{14 * Day, "2w"}, {10 * Day, "10d"}, {730 * Day, "2y"}, {36 * time.Hour, "36h"}, {90 * time.Minute, "1h30m0s"},
	} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
