package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

// mapSite is the demo site with its store, so that pages can be checked against it.
type mapSite struct {
	h    http.Handler
	w    *web.Web
	db   *store.DB
	tree baken.CategoryTree
	year int // the latest year with data
}

func newMapSite(t *testing.T) mapSite {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := systemCtx()
	if err := demo.LoadReference(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: amsterdamTZ(t)})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	years, err := db.Trend(ctx, store.RollupFilter{Gemeenten: []string{demo.Gemeente}}, store.IntervalYear)
	if err != nil || len(years) == 0 {
		t.Fatalf("demo years: %v, %v", years, err)
	}
	y, _ := strconv.Atoi(years[len(years)-1].Period)
	return mapSite{h: withActor(mux), w: w, db: db, tree: tree, year: y}
}

func systemCtx() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

func amsterdamTZ(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// buurtCodes returns the demo's buurten.
func (s mapSite) buurtCodes(t *testing.T) []string {
	t.Helper()
	gm, level := demo.Gemeente, baken.LevelBuurt
	as, err := s.db.FindAreas(systemCtx(), store.AreaFilter{Gemeente: &gm, Level: &level})
	if err != nil || len(as) == 0 {
		t.Fatalf("buurten: %v, %v", as, err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

// counts returns CountsByArea for a year and theme ("" for all).
func (s mapSite) counts(t *testing.T, year int, theme string, level baken.AreaLevel) map[string]int {
	t.Helper()
	f := store.RollupFilter{Gemeenten: []string{demo.Gemeente}, From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year)}
	if theme != "" {
		for _, c := range s.tree.Categories {
			if c.Theme == theme {
				f.Categories = append(f.Categories, c.Code)
			}
		}
	}
	cs, err := s.db.CountsByArea(systemCtx(), f, level)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range cs {
		out[c.Area] = c.Count
	}
	return out
}

// checkMapPage fails on what no page may have: inline script or style (the CSP forbids
// them) and catalogue keys that show themselves.
func checkMapPage(t *testing.T, path, body string) {
	t.Helper()
	if strings.Contains(body, "style=") || regexp.MustCompile(`<style`).MatchString(body) {
		t.Errorf("GET %s has inline style", path)
	}
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(tag, " src=") && !strings.Contains(tag, `type="application/json"`) {
			t.Errorf("GET %s has an inline script: %s", path, tag)
		}
	}
	if m := regexp.MustCompile(`\{[a-z]+\.[a-z.]+\}`).FindString(body); m != "" {
		t.Errorf("GET %s shows a missing catalogue key: %s", path, m)
	}
}

// geoJSON is what a client reads from the map data.
type geoJSON struct {
	Type     string    `json:"type"`
	BBox     []float64 `json:"bbox"`
	Level    string    `json:"level"`
	Year     int       `json:"year"`
	Measure  string    `json:"measure"`
	ByWijk   bool      `json:"ratesByWijk"`
	Credit   string    `json:"credit"`
	Classes  []struct{ Class, Label string }
	Features []struct {
		Type       string `json:"type"`
		ID         string `json:"id"`
		Properties struct {
			Code       string   `json:"code"`
			Name       string   `json:"name"`
			Count      *int     `json:"count"`
			CountText  string   `json:"countText"`
			Population *int     `json:"population"`
			Rate       *float64 `json:"rate"`
			Class      string   `json:"class"`
			URL        string   `json:"url"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates [][][][]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func getGeoJSON(t *testing.T, s mapSite, path, role string) geoJSON {
	t.Helper()
	resp, body := get(t, s.h, path, role)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var g geoJSON
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return g
}

// checkGeoJSON checks the structure RFC 7946 asks for: a FeatureCollection of Features
// with MultiPolygons of closed rings of at least four lon/lat positions, inside the bbox.
func checkGeoJSON(t *testing.T, g geoJSON) {
	t.Helper()
	if g.Type != "FeatureCollection" || len(g.BBox) != 4 {
		t.Fatalf("type %q, bbox %v", g.Type, g.BBox)
	}
	for _, f := range g.Features {
		if f.Type != "Feature" || f.ID != f.Properties.Code || f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
			t.Errorf("feature %s: type %q, geometry %q with %d polygons", f.ID, f.Type, f.Geometry.Type, len(f.Geometry.Coordinates))
			continue
		}
		for _, poly := range f.Geometry.Coordinates {
			for _, ring := range poly {
				if len(ring) < 4 || !cmp.Equal(ring[0], ring[len(ring)-1]) {
					t.Errorf("feature %s: a ring of %d positions that is not closed", f.ID, len(ring))
				}
				for _, p := range ring {
					if len(p) != 2 || p[0] < g.BBox[0]-1e-9 || p[0] > g.BBox[2]+1e-9 || p[1] < g.BBox[1]-1e-9 || p[1] > g.BBox[3]+1e-9 {
						t.Fatalf("feature %s: position %v outside bbox %v", f.ID, p, g.BBox)
					}
				}
			}
		}
	}
}

func TestMapData(t *testing.T) {
	s := newMapSite(t)
	codes := s.buurtCodes(t)
	for _, theme := range []string{"", "1.1", "5.1"} {
		t.Run("theme "+theme, func(t *testing.T) {
			path := fmt.Sprintf("/kaart/gegevens.json?jaar=%d&thema=%s", s.year, theme)
			g := getGeoJSON(t, s, path, "beleidsadviseur")
			checkGeoJSON(t, g)
			if g.Level != "buurt" || g.Year != s.year || g.Measure != "aantal" || g.Credit != "Bron: CBS/Kadaster" {
				t.Errorf("level %q, year %d, measure %q, credit %q", g.Level, g.Year, g.Measure, g.Credit)
			}
			want := s.counts(t, s.year, theme, baken.LevelBuurt)
			got := map[string]int{}
			for _, f := range g.Features {
				if f.Properties.Count == nil {
					t.Fatalf("%s: no count for a beleidsadviseur", f.ID)
				}
				if _, dup := got[f.ID]; dup {
					t.Errorf("%s appears twice", f.ID)
				}
				got[f.ID] = *f.Properties.Count
				if f.Properties.URL != fmt.Sprintf("/buurten/%s?jaar=%d", f.ID, s.year) {
					t.Errorf("%s: url %q", f.ID, f.Properties.URL)
				}
				if f.Properties.Class == "" || (*f.Properties.Count == 0) != (f.Properties.Class == "0") {
					t.Errorf("%s: count %d in class %q", f.ID, *f.Properties.Count, f.Properties.Class)
				}
			}
			for _, c := range codes {
				if _, ok := got[c]; !ok {
					t.Errorf("buurt %s missing", c)
				}
				if want[c] != got[c] {
					t.Errorf("buurt %s: %d, CountsByArea says %d", c, got[c], want[c])
				}
			}
			if len(got) != len(codes) {
				t.Errorf("%d features, %d buurten", len(got), len(codes))
			}
		})
	}
}

func TestMapRatesOnlyForLargePopulations(t *testing.T) {
	s := newMapSite(t)
	pop := map[string]int{}
	ps, err := s.db.FindPopulation(systemCtx(), store.PopulationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		pop[p.Code] = p.Inhabitants
	}
	g := getGeoJSON(t, s, fmt.Sprintf("/kaart/gegevens.json?jaar=%d&maat=per1000", s.year), "beleidsadviseur")
	checkGeoJSON(t, g)
	// The CBS set has no buurt population: rates are per wijk.
	if g.Level != "wijk" || !g.ByWijk {
		t.Fatalf("level %q, by wijk %v; want wijk", g.Level, g.ByWijk)
	}
	counts := s.counts(t, s.year, "", baken.LevelWijk)
	small := 0
	for _, f := range g.Features {
		n, known := pop[f.ID]
		switch {
		case known && n >= baken.MinPopulationForRate:
			want := math.Round(10000*float64(counts[f.ID])/float64(n)) / 10
			if f.Properties.Rate == nil || *f.Properties.Rate != want {
				t.Errorf("%s (%d inhabitants): rate %v, want %v", f.ID, n, f.Properties.Rate, want)
			}
		default:
			small++
			if f.Properties.Rate != nil || f.Properties.Class != "none" {
				t.Errorf("%s (%d inhabitants): rate %v in class %q, want none", f.ID, n, *f.Properties.Rate, f.Properties.Class)
			}
		}
	}
	if small == 0 {
		t.Error("no wijk under 500 inhabitants in the demo: the test checks nothing")
	}
	resp, body := get(t, s.h, fmt.Sprintf("/kaart?jaar=%d&maat=per1000", s.year), "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("rate map = %d", resp.StatusCode)
	}
	checkMapPage(t, "/kaart?maat=per1000", body)
	for _, want := range []string{"geen inwonertallen per buurt", `value="per1000" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("rate map lacks %q", want)
		}
	}
	// WK038404 has 40 inhabitants: its row says there is no figure.
	row := regexp.MustCompile(`(?s)<tr data-code="WK038404">.*?</tr>`).FindString(body)
	if !strings.Contains(row, "geen cijfer") {
		t.Errorf("the row of a wijk of 40 inhabitants: %s", row)
	}
}

func TestMapPage(t *testing.T) {
	s := newMapSite(t)
	resp, body := get(t, s.h, "/kaart", "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /kaart = %d\n%s", resp.StatusCode, body)
	}
	checkMapPage(t, "/kaart", body)
	for _, want := range []string{
		`<div id="kaart" class="map" role="region" aria-label="Kaart van de registraties`,
		`data-geojson="/kaart/gegevens.json?gemeente=GM0384&amp;jaar=` + strconv.Itoa(s.year),
		`data-tiles=""`, // no base map unless configured
		`href="#kaart-tabel"`, `id="kaart-tabel"`,
		"Legenda", "Bron: CBS/Kadaster",
		`<select id="jaar" name="jaar">`, `<select id="thema" name="thema">`,
		`<svg class="map__fallback"`, `class="map-area map-area--`,
		"/vendor/leaflet/leaflet.js", "/js/map.js", "/vendor/leaflet/leaflet.css",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /kaart lacks %q", want)
		}
	}
	if strings.Contains(body, "Er zijn geen registraties") {
		t.Error("GET /kaart says there are no registrations")
	}
	// A theme without registrations that year says so, instead of a map of zeros alone.
	_, empty := get(t, s.h, "/kaart?thema=2.3", "beleidsadviseur")
	checkBody(t, "/kaart?thema=2.3", empty, []string{"Er zijn geen registraties van het thema", "Kies een ander thema of jaar."}, nil)
	// The table alternative: every buurt, with the count CountsByArea gives.
	want := s.counts(t, s.year, "", baken.LevelBuurt)
	for _, c := range s.buurtCodes(t) {
		row := regexp.MustCompile(`(?s)<tr data-code="` + c + `">.*?</tr>`).FindString(body)
		if row == "" {
			t.Errorf("no table row for %s", c)
			continue
		}
		cells := regexp.MustCompile(`<td class="num">([^<]*)</td>`).FindAllStringSubmatch(row, -1)
		if len(cells) == 0 || cells[0][1] != dutchInt(want[c]) {
			t.Errorf("%s: table says %v, CountsByArea %d", c, cells, want[c])
		}
		if !strings.Contains(row, fmt.Sprintf(`href="/buurten/%s?jaar=%d"`, c, s.year)) {
			t.Errorf("%s: no link to its profile", c)
		}
	}
	// The scripts are served.
	for _, asset := range regexp.MustCompile(`src="(/static/[0-9a-f]{12}/[^"]+)"`).FindAllStringSubmatch(body, -1) {
		if resp, _ := get(t, s.h, asset[1], ""); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("GET %s = %d %s", asset[1], resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}

	tests := []struct {
		name, path, role string
		status           int
	}{
		{"needs a session", "/kaart", "", 303},
		{"data needs a session", "/kaart/gegevens.json", "", 303},
		{"in English", "/kaart?taal=en", "beleidsadviseur", 200},
		{"a theme", "/kaart?thema=1.1", "analist", 200},
		{"councillor", "/kaart", "raadslid", 200},
		{"unknown measure", "/kaart?maat=dichtheid", "beleidsadviseur", 400},
		{"year without data", "/kaart?jaar=1900", "beleidsadviseur", 400},
		{"unknown theme", "/kaart/gegevens.json?thema=9.9", "beleidsadviseur", 400},
		{"another municipality", "/kaart?gemeente=GM0363", "beleidsadviseur", 404},
		{"another municipality's data", "/kaart/gegevens.json?gemeente=GM0363", "beleidsadviseur", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
			if tt.status == 200 {
				checkMapPage(t, tt.path, body)
			}
		})
	}
	if _, body := get(t, s.h, "/kaart?taal=en", "beleidsadviseur"); !strings.Contains(body, "Registrations per neighbourhood in") {
		t.Error("the English map is not in English")
	}
}

// TestMapSuppressesSmallCounts checks that a councillor sees "<5" and no number for
// counts of 1 to 4, on the page and in the data.
func TestMapSuppressesSmallCounts(t *testing.T) {
	s := newMapSite(t)
	checked := 0
	for _, th := range s.tree.Themes {
		want := s.counts(t, s.year, th.Code, baken.LevelBuurt)
		small := false
		for _, n := range want {
			small = small || n >= 1 && n <= web.SmallCount
		}
		if !small {
			continue
		}
		g := getGeoJSON(t, s, fmt.Sprintf("/kaart/gegevens.json?jaar=%d&thema=%s", s.year, th.Code), "raadslid")
		for _, f := range g.Features {
			n := want[f.ID]
			if n >= 1 && n <= web.SmallCount {
				checked++
				if f.Properties.Count != nil || f.Properties.CountText != "<5" {
					t.Errorf("theme %s, %s: count %v %q shown to a councillor", th.Code, f.ID, *f.Properties.Count, f.Properties.CountText)
				}
			}
		}
		for _, c := range g.Classes {
			if regexp.MustCompile(`^[1-4]$|^[1-4]–[1-4]$`).MatchString(c.Label) {
				t.Errorf("theme %s: legend class %q tells small counts apart", th.Code, c.Label)
			}
		}
		_, body := get(t, s.h, fmt.Sprintf("/kaart?jaar=%d&thema=%s", s.year, th.Code), "raadslid")
		if !strings.Contains(body, "&lt;5") {
			t.Errorf("theme %s: the councillor's table has no <5", th.Code)
		}
		break
	}
	if checked == 0 {
		t.Skip("no theme with small buurt counts in the demo")
	}
}

// dutchInt formats n as the pages do in Dutch.
func dutchInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

func TestBuurtenList(t *testing.T) {
	s := newMapSite(t)
	resp, body := get(t, s.h, "/buurten", "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /buurten = %d\n%s", resp.StatusCode, body)
	}
	checkMapPage(t, "/buurten", body)
	want := s.counts(t, s.year, "", baken.LevelBuurt)
	for _, c := range s.buurtCodes(t) {
		row := regexp.MustCompile(`(?s)<tr data-code="` + c + `">.*?</tr>`).FindString(body)
		if !strings.Contains(row, `href="/buurten/`+c+`?jaar=`) || !strings.Contains(row, `<td class="num">`+dutchInt(want[c])+`</td>`) {
			t.Errorf("%s: row %q, want a link and %d", c, row, want[c])
		}
	}
	for _, wk := range []string{"WK038401", "WK038408"} {
		if !strings.Contains(body, `id="wijk-`+wk+`"`) {
			t.Errorf("no section for wijk %s", wk)
		}
	}
	if resp, _ := get(t, s.h, "/buurten?jaar=2001", "beleidsadviseur"); resp.StatusCode != 400 {
		t.Errorf("a year without data = %d, want 400", resp.StatusCode)
	}
	if resp, _ := get(t, s.h, "/buurten", ""); resp.StatusCode != 303 {
		t.Errorf("without a session = %d, want 303", resp.StatusCode)
	}
}

func TestBuurtProfile(t *testing.T) {
	s := newMapSite(t)
	// The busiest buurt of the latest year.
	busiest, most := "", -1
	for c, n := range s.counts(t, s.year, "", baken.LevelBuurt) {
		if n > most || n == most && c < busiest {
			busiest, most = c, n
		}
	}
	path := "/buurten/" + busiest
	resp, body := get(t, s.h, path, "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, body)
	}
	checkMapPage(t, path, body)
	// The heat map counts exactly the buurt's registrations known to the minute.
	minute := 0
	err := s.db.EachRegistration(systemCtx(), store.RegistrationFilter{Gemeenten: []string{demo.Gemeente}, Buurt: busiest,
		From: fmt.Sprintf("%d-01-01", s.year), To: fmt.Sprintf("%d-12-31", s.year)}, func(r *baken.Registration) error {
		if r.Precision == baken.PrecisionMinute {
			minute++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<td class="heat-sum" id="heat-total">([0-9.]+)</td>`).FindStringSubmatch(body)
	if m == nil || m[1] != dutchInt(minute) || minute == 0 {
		t.Errorf("heat-map total %v, want %d minute-precision registrations", m, minute)
	}
	heat := regexp.MustCompile(`(?s)<table class="heat" id="heat">.*?</table>`).FindString(body)
	days := regexp.MustCompile(`<th scope="row">([a-z]+)</th>`).FindAllStringSubmatch(heat, -1)
	var got []string
	for _, d := range days {
		got = append(got, d[1])
	}
	if diff := cmp.Diff([]string{"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}, got); diff != "" {
		t.Errorf("heat-map rows (-want +got):\n%s", diff)
	}
	if n := len(regexp.MustCompile(`<td class="heat-[0-5]">`).FindAllString(heat, -1)); n != 7*24 {
		t.Errorf("%d shaded cells, want 168", n)
	}
	for _, want := range []string{
		"Registraties per jaar en per thema", `class="chart__bar"`, "Toon als tabel",
		`id="vergelijking"`, "Wijk", "Gemeente Diemen",
		"inwonertal onbekend", // no buurt population in the CBS set
		dutchInt(most),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET %s lacks %q", path, want)
		}
	}
	// The buurt's total in the comparison equals its count in the rollups.
	total := regexp.MustCompile(`(?s)<tfoot>\s*<tr><th scope="row">Totaal</th>\s*<td class="num">([0-9.]+)</td>`).FindStringSubmatch(body)
	if total == nil || total[1] != dutchInt(most) {
		t.Errorf("comparison total %v, want %d", total, most)
	}

	tests := []struct {
		name, path, role string
		status           int
	}{
		{"councillor", path, "raadslid", 200},
		{"in English", path + "?taal=en", "analist", 200},
		{"an earlier year", fmt.Sprintf("%s?jaar=%d", path, s.year-1), "beleidsadviseur", 200},
		{"a year without data", path + "?jaar=1900", "beleidsadviseur", 400},
		{"unknown buurt", "/buurten/BU03849999", "beleidsadviseur", 404},
		{"another municipality's buurt", "/buurten/BU03630000", "beleidsadviseur", 404},
		{"a wijk is not a buurt", "/buurten/WK038401", "beleidsadviseur", 404},
		{"not a code", "/buurten/centrum", "beleidsadviseur", 404},
		{"needs a session", path, "", 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
			if tt.status == 200 {
				checkMapPage(t, tt.path, body)
			}
		})
	}
}

// TestAnotherMunicipalitysBuurtIsNotFound loads a buurt of another municipality and
// checks that a Diemen user cannot tell it from one that does not exist.
func TestAnotherMunicipalitysBuurtIsNotFound(t *testing.T) {
	s := newMapSite(t)
	other := baken.Area{Code: "BU03630000", Name: "Kop Zeedijk", Level: baken.LevelBuurt, Parent: "WK036300", Gemeente: "GM0363", Year: 2024,
		Geometry: []byte(`{"type":"MultiPolygon","coordinates":[[[[4.9,52.37],[4.91,52.37],[4.91,52.38],[4.9,52.37]]]]}`),
		MinLon:   4.9, MinLat: 52.37, MaxLon: 4.91, MaxLat: 52.38}
	if _, err := s.db.UpsertAreas(systemCtx(), []baken.Area{other}, "test"); err != nil {
		t.Fatal(err)
	}
	_, unknown := get(t, s.h, "/buurten/BU03849999", "beleidsadviseur")
	resp, body := get(t, s.h, "/buurten/BU03630000", "beleidsadviseur")
	if resp.StatusCode != 404 || strings.Contains(body, "Kop Zeedijk") {
		t.Errorf("another municipality's buurt = %d", resp.StatusCode)
	}
	if strings.ReplaceAll(body, "BU03630000", "BU03849999") != unknown {
		t.Error("another municipality's buurt answers differently from an unknown one")
	}
}

// TestMapCatalogueKeys checks that every key the map and buurt pages and their Go code
// ask for is in the catalogue, in both languages.
func TestMapCatalogueKeys(t *testing.T) {
	cat := map[string]map[string]string{}
	files, err := filepath.Glob("messages/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("messages: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]map[string]string
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, v := range c {
			cat[k] = v
		}
	}
	keyRE := regexp.MustCompile(`\bT "([a-z][a-z0-9.]*)"|\.T\("([a-z][a-z0-9.]*)"`)
	var sources []string
	for _, f := range []string{"templates/pages/map.html", "templates/pages/buurten.html", "templates/pages/buurt.html", "mapview.go", "profile.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	used := 0
	for _, src := range sources {
		for _, m := range keyRE.FindAllStringSubmatch(src, -1) {
			key := m[1] + m[2]
			if strings.HasSuffix(key, ".") {
				continue // a key built in code, checked below
			}
			used++
			if cat[key]["nl"] == "" || cat[key]["en"] == "" {
				t.Errorf("catalogue key %q is missing or lacks a language", key)
			}
		}
	}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if cat["buurt.day."+d]["nl"] == "" {
			t.Errorf("no weekday buurt.day.%s", d)
		}
	}
	if used < 50 {
		t.Errorf("found only %d key uses: the pattern is broken", used)
	}
}

// TestMapColoursContrast checks that each class's text meets WCAG's 4.5:1 against its
// colour, in the legend and the heat map.
func TestMapColoursContrast(t *testing.T) {
	s := newMapSite(t)
	_, body := get(t, s.h, "/kaart", "beleidsadviseur")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}/css/map\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no map.css on the map page")
	}
	_, css := get(t, s.h, m[1], "")
	rules := regexp.MustCompile(`\.((?:map-class-|heat)-[a-z0-9]+) \{ background-color: (#[0-9a-f]{6}); color: (#[0-9a-f]{6});`).FindAllStringSubmatch(css, -1)
	if len(rules) < 13 {
		t.Fatalf("found %d class colours in map.css, want 7 map classes and 6 heat classes", len(rules))
	}
	for _, r := range rules {
		if c := contrastRatio(r[2], r[3]); c < 4.5 {
			t.Errorf("%s: %s on %s has contrast %.2f, want at least 4.5", r[1], r[3], r[2], c)
		}
	}
	// Leaflet's paths and the drawn map take the legend's colours.
	for _, r := range rules {
		if !strings.HasPrefix(r[1], "map-class--") {
			continue
		}
		area := strings.Replace(r[1], "map-class", "map-area", 1)
		if !strings.Contains(css, "."+area+" { fill: "+r[2]+"; }") {
			t.Errorf("%s is not filled with %s like the legend", area, r[2])
		}
	}
}

// contrastRatio is WCAG 2's contrast ratio of two sRGB colours.
func contrastRatio(a, b string) float64 {
	lum := func(hex string) float64 {
		var c [3]float64
		for i := range 3 {
			v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			x := float64(v) / 255
			if x <= 0.04045 {
				c[i] = x / 12.92
			} else {
				c[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestVendoredAssets checks that the front-end packages are in the tree with their
// licences and listed in VERSIONS, so that a clean clone needs no npm.
func TestVendoredAssets(t *testing.T) {
	versions, err := os.ReadFile("static/vendor/VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"leaflet": {"leaflet.js", "leaflet.css", "LICENSE"},
		"uplot":   {"uPlot.iife.min.js", "uPlot.min.css", "LICENSE"},
		"htmx":    {"htmx.min.js", "LICENSE"},
		"utrecht": {"index.css", "LICENSE.md"},
	}
	for dir, files := range want {
		if !regexp.MustCompile(`(?m)^` + dir + `\t\S+\t[0-9.]+\t\S+\tsha512-[A-Za-z0-9+/=]+\t`).Match(versions) {
			t.Errorf("VERSIONS has no line for %s", dir)
		}
		for _, f := range files {
			if st, err := os.Stat(filepath.Join("static/vendor", dir, f)); err != nil || st.Size() == 0 {
				t.Errorf("vendor/%s/%s: %v", dir, f, err)
			}
		}
	}
	// No brand token package and no node_modules.
	err = filepath.WalkDir("static/vendor", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(p, "node_modules") || strings.Contains(p, "design-tokens") {
			t.Errorf("%s should not be vendored", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBaseMapOrigin(t *testing.T) {
	tests := map[string]string{
		"":     "",
		"pdok": "https://service.pdok.nl",
		"https://tiles.example.org/{z}/{x}/{y}.png": "https://tiles.example.org",
		"/tegels/{z}/{x}/{y}.png":                   "",
		"javascript:alert(1)":                       "",
	}
	for in, want := range tests {
		if got := web.BaseMapOrigin(in); got != want {
			t.Errorf("BaseMapOrigin(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMapCacheFollowsData: the map page and its GeoJSON are computed once per query,
// language, visibility and data version; a second request is answered from the cache,
// and an import (a new data version) shows at once.
func TestMapCacheFollowsData(t *testing.T) {
	s := newMapSite(t)
	stats := func() (int64, int64) { return s.w.MapCacheStats() }
	path := fmt.Sprintf("/kaart?jaar=%d", s.year)
	resp, first := get(t, s.h, path, "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	_, computed := stats()
	if computed != 2 { // the years with data, and the map
		t.Errorf("first request computed %d values, want 2", computed)
	}
	if _, again := get(t, s.h, path, "beleidsadviseur"); again != first {
		t.Error("the second request (from the cache) renders another page")
	}
	// The script's data of the same query is in the same entry.
	g := getGeoJSON(t, s, fmt.Sprintf("/kaart/gegevens.json?jaar=%d", s.year), "beleidsadviseur")
	if hits, computed := stats(); computed != 2 || hits != 4 {
		t.Errorf("after two pages and the data: %d hits, %d computed; want 4 and 2 (nothing from the store)", hits, computed)
	}
	// Another language, another visibility and another query are other entries.
	get(t, s.h, path+"&taal=en", "beleidsadviseur")
	get(t, s.h, path, "raadslid")
	get(t, s.h, path+"&maat=per1000", "beleidsadviseur")
	if _, computed := stats(); computed != 2+1+2+1 {
		t.Errorf("computed %d values, want 6 (English; the councillor's years and map; rates)", computed)
	}

	// An import in a buurt raises the data version: the next request computes afresh.
	sys := systemCtx()
	buurt := s.buurtCodes(t)[0]
	before := 0
	for _, f := range g.Features {
		if f.ID == buurt && f.Properties.Count != nil {
			before = *f.Properties.Count
		}
	}
	rows := make([]baken.Registration, 7)
	for i := range rows {
		at := time.Date(s.year, 3, 1+i, 12, 0, 0, 0, time.UTC)
		lon, lat := 4.96, 52.34
		rows[i] = baken.Registration{Gemeente: demo.Gemeente, SourceKey: fmt.Sprintf("C%d", i), SourceID: fmt.Sprintf("C%d", i),
			OccurredAt: at, Precision: baken.PrecisionMinute, LocalDay: at.In(amsterdamTZ(t)).Format(time.DateOnly), Category: "zwerfvuil",
			Lon: &lon, Lat: &lat, Wijk: "WK" + buurt[2:8], Buurt: buurt, AreaYear: s.year, ContentHash: fmt.Sprintf("c%d", i)}
	}
	if _, err := s.db.ImportChunk(sys, store.ImportChunk{Source: "test", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	_, computedBefore := stats()
	g2 := getGeoJSON(t, s, fmt.Sprintf("/kaart/gegevens.json?jaar=%d", s.year), "beleidsadviseur")
	if _, computed := stats(); computed != computedBefore+2 {
		t.Errorf("after an import: computed %d more values, want 2", computed-computedBefore)
	}
	for _, f := range g2.Features {
		if f.ID == buurt && (f.Properties.Count == nil || *f.Properties.Count != before+len(rows)) {
			t.Errorf("%s after the import: count %v, want %d", buurt, f.Properties.Count, before+len(rows))
		}
	}
	if _, after := get(t, s.h, path, "beleidsadviseur"); after == first {
		t.Error("the map page did not change after an import")
	}
}
