package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/forecast"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/study"
	"baken/internal/web"
)

// newAnalysisSite is the web application on Diemen's demo registrations, with the store
// for tests that add an evaluation.
func newAnalysisSite(t *testing.T) (http.Handler, *store.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := demo.LoadReference(systemCtx(), db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadRegistrations(systemCtx(), db, demo.DefaultSeed); err != nil {
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
	return withActor(mux), db
}

var missingKey = regexp.MustCompile(`\{[a-z]+\.[a-z.]+\}`)

func TestAnalysisPage(t *testing.T) {
	site, db := newAnalysisSite(t)
	const sparse = "/analyse?categorie=woninginbraak&van=2024-01-01&tot=2024-12-31"
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"dense: the map and its cells", "/analyse", "analist", 200, []string{
			"<h1>Analyse: Diemen</h1>", "21.146 registraties met een plaats", "gegenereerde demodata",
			"Gemiddeld 228 registraties per buurtvenster van 3 × 3 cellen: genoeg",
			`id="analyse-kaart"`, `data-geojson="/analyse/cellen.json?cel=125&amp;gemeente=GM0384"`,
			`data-outlines="/kaart/gegevens.json?gemeente=GM0384"`, "20.764 registraties in 821 cellen van 125 m; 115 hotspots en 0 coldspots. 382 registraties liggen in randcellen waarvan het midden buiten de gemeente valt",
			`<caption class="visually-hidden">De hotspots en coldspots, sterkste eerst</caption>`, `hotspot-swatch--hot">hotspot</span></th>`,
			"Nog niet geëvalueerd.", "baken eval forecast --gemeente GM0384 --cell 125 --horizon 2w --save",
			"js/analysis.js", "Chi-kwadraat", "Uren die opvallen", `<th scope="row">maandag</th>`, "meer dan verwacht", "uren; de tabel markeert ze allemaal.",
			"Near-repeat gaat over één soort gebeurtenis: kies een thema of categorie."},
			[]string{"Te weinig registraties voor een kaart"}},
		{"sparse: the message instead of a map", sparse, "analist", 200, []string{
			"Te weinig registraties voor een kaart", "52 registraties in 821 cellen van 125 m: gemiddeld 0,6 per buurtvenster van 3 × 3 cellen.",
			"Gi* heeft er gemiddeld minstens 9 nodig", "Wat helpt:", "<li>grotere cellen: minstens 500 m</li>",
			"<li>een periode die 15,8 keer zo lang is</li>", "<li>meer categorieën: een thema in plaats van één categorie, of alle thema&#39;s</li>",
			"Nog niet geëvalueerd.", "--category woninginbraak --cell 125 --horizon 2w --save",
			"Te weinig registraties om te zeggen welke uren opvallen: 55 met een tijdstip",
			"Te weinig registraties om een near-repeatpatroon te beoordelen", "Geen risicozone: daarvoor zijn er te weinig registraties.",
			`<option value="woninginbraak" selected>`},
			[]string{`id="analyse-kaart"`, "js/analysis.js", "Chi-kwadraat", "Uren die opvallen", "Binnen "}},
		{"one year: exact p-values", "/analyse?van=2024-01-01&tot=2024-12-31", "analist", 200, []string{
			"per buurtvenster van 3 × 3 cellen. Onder 45 is de gebruikelijke benadering", "berekent Baken de kansen hier exact",
			`id="analyse-kaart"`}, []string{"Te weinig registraties voor een kaart"}},
		{"a category with near-repeat", "/analyse?categorie=fietsendiefstal&cel=250", "analist", 200, []string{
			`<option value="250" selected>`, "Verhouding waargenomen/verwacht aantal paren (p), 1.550 registraties",
			"<th scope=\"row\">0–100 m</th>", "<th scope=\"col\" class=\"num\">0–7 dagen</th>", `id="nearrepeat-zin"`}, nil},
		{"in English", sparse + "&taal=en", "analist", 200, []string{
			`<html lang="en">`, "Too few registrations for a map", "52 registrations in 821 cells of 125 m: on average 0.6 per neighbourhood",
			"larger cells: at least 500 m", "Not evaluated yet."}, nil},
		{"a councillor sees small counts hidden", "/analyse?thema=1.2", "raadslid", 200, []string{"Analyse: Diemen", "&lt;5", "Een analist van de gemeente kan dat meten."}, []string{"baken eval forecast"}},
		{"a cell size not offered", "/analyse?cel=17", "analist", 400, nil, nil},
		{"an unknown category", "/analyse?categorie=fraude", "analist", 400, nil, nil},
		{"a category of another theme", "/analyse?thema=1.3&categorie=zwerfvuil", "analist", 400, nil, nil},
		{"a day that is not one", "/analyse?van=2024-13-01", "analist", 400, []string{"&#34;2024-13-01&#34; is geen dag: schrijf jjjj-mm-dd"}, nil},
		{"a period backwards", "/analyse?van=2025-01-01&tot=2024-01-01", "analist", 400, []string{"De periode loopt terug: 2024-01-01 ligt vóór 2025-01-01."}, nil},
		{"another municipality", "/analyse?gemeente=GM0363", "analist", 404, nil, nil},
		{"without a session", "/analyse", "", 303, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, site, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%.2000s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			if k := missingKey.FindString(body); k != "" {
				t.Errorf("GET %s shows a missing catalogue key: %s", tt.path, k)
			}
			if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
				t.Errorf("GET %s has inline style or script, which the CSP forbids", tt.path)
			}
		})
	}

	// The map's cells: the hot ones of the dense selection, none of the sparse one.
	cells := func(path string) (n, hot int, bbox []float64) {
		t.Helper()
		resp, body := get(t, site, path, "analist")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var fc struct {
			BBox     []float64 `json:"bbox"`
			Features []struct {
				Properties struct {
					Kind, Tip string
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(body), &fc); err != nil {
			t.Fatal(err)
		}
		for _, f := range fc.Features {
			if f.Properties.Kind == "hot" && strings.HasPrefix(f.Properties.Tip, "hotspot: ") {
				hot++
			}
		}
		return len(fc.Features), hot, fc.BBox
	}
	if n, hot, bbox := cells("/analyse/cellen.json"); n != 115 || hot != 115 || len(bbox) != 4 || bbox[0] < 4.9 || bbox[2] > 5.1 {
		t.Errorf("dense cells: %d features, %d hot, bbox %v", n, hot, bbox)
	}
	if n, _, _ := cells("/analyse/cellen.json?categorie=woninginbraak&van=2024-01-01&tot=2024-12-31"); n != 0 {
		t.Errorf("sparse cells: %d features, want none", n)
	}

	// With a stored evaluation, the map shows how well each method did.
	sel := study.Selection{Gemeente: "GM0384"}
	level := func(hr, pai float64) []forecast.Level {
		return []forecast.Level{{Share: 0.05, HitRate: forecast.Stat{N: 26, Mean: hr}, PAI: forecast.Stat{N: 26, Mean: pai}}}
	}
	sum := study.EvalSummary{Selection: sel.EvalKey(125, study.DefaultHorizon), Events: 21146, Cell: 125, Horizon: "2w",
		From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Steps: 26, Scored: 24,
		Methods: []study.MethodScore{{Name: "all-history", Spec: "all-history", Levels: level(0.18, 3.6)},
			{Name: "kde(300m,all)", Spec: "kde", Levels: level(0.214, 4.28)}}}
	if _, err := study.SaveEvaluation(baken.WithActor(context.Background(), baken.System("test")), db, sel, sum); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, site, "/analyse", "analist")
	for _, w := range []string{"Laatste evaluatie op", "door system:test", "24 van 26 stappen gescoord", "<caption>Trefkans en PAI bij 5% van het gebied</caption>",
		`<th scope="row">kde(300m,all) <span class="evaluation__best">(beste)</span></th><td class="num">21,4%</td><td class="num">4,28</td>`} {
		if !strings.Contains(body, w) {
			t.Errorf("page with an evaluation lacks %q", w)
		}
	}
	if strings.Contains(body, "Nog niet geëvalueerd") {
		t.Error("page with an evaluation says it has none")
	}
}

// TestAnalysisCatalogueKeys checks that every key the analysis page uses is in the
// catalogue in both languages.
func TestAnalysisCatalogueKeys(t *testing.T) {
	b, err := os.ReadFile("messages/analysis.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]map[string]string
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"messages/core.json", "messages/map.json"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]map[string]string
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		for k, v := range c {
			cat[k] = v
		}
	}
	keyRE := regexp.MustCompile(`\bT "([a-z][a-z0-9.]*)"|\.T\("([a-z][a-z0-9.]*)"`)
	used := 0
	for _, f := range []string{"templates/pages/analysis.html", "analysis.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + m[2]
			if strings.HasSuffix(key, ".") {
				continue
			}
			used++
			if cat[key]["nl"] == "" || cat[key]["en"] == "" {
				t.Errorf("catalogue key %q is missing or lacks a language", key)
			}
		}
	}
	if used < 60 {
		t.Errorf("found only %d key uses: the pattern is broken", used)
	}
}
