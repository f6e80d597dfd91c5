package importer_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/importer"
	"baken/internal/reference"
	"baken/internal/store"
)

func tree(t testing.TB) baken.CategoryTree {
	t.Helper()
	tr, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func importCounts(t *testing.T, db *store.DB, path string, opts importer.CountsOptions) importer.CountsSummary {
	t.Helper()
	if opts.Categories.Version == "" {
		opts.Categories = tree(t)
	}
	s, err := importer.New(db, nil).Counts(sys(), path, opts)
	if err != nil {
		t.Fatalf("import counts %s: %v (problems %v)", path, err, s.Problems)
	}
	return s
}

// copyCounts copies a file of testdata/counts into a temporary folder.
func copyCounts(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "counts", name))
	if err != nil {
		t.Fatal(err)
	}
	return writeInput(t, name, string(b))
}

// tally is read, stored, replaced, removed, unchanged, skipped, rejected.
func tally(s importer.CountsSummary) [7]int {
	return [7]int{s.Read, s.Stored, s.Replaced, s.Removed, s.Unchanged, s.Skipped, s.Rejected}
}

// countCells returns "area category day n" of the stored counts matching f.
func countCells(t *testing.T, db *store.DB, f store.PoliceCountFilter) []string {
	t.Helper()
	cs, _, err := db.FindCounts(sys(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, c := range cs {
		out = append(out, strings.Join([]string{c.Area(), c.Category, c.Day, string(c.Precision), strconv.Itoa(c.N)}, " "))
	}
	return out
}

func TestCountsJSONImportAndReimport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		path := copyCounts(t, "47022NED_diemen.json")
		s := importCounts(t, db, path, importer.CountsOptions{})
		// 76 records: 12 national, 16 totals, 1 unknown figure; 47 cells.
		if got, want := tally(s), [7]int{76, 47, 0, 0, 0, 29, 0}; got != want {
			t.Fatalf("read, stored, replaced, removed, unchanged, skipped, rejected = %v, want %v; %v", got, want, s.Problems)
		}
		if s.SkippedNational != 12 || s.SkippedTotals != 16 || s.SkippedSecret != 1 || s.Table != "47022NED" || s.Kind != baken.CountCrime {
			t.Errorf("summary = %+v", s)
		}
		if s.RejectFile != "" || s.BatchID == "" {
			t.Errorf("reject file %q, batch %q", s.RejectFile, s.BatchID)
		}
		got := countCells(t, db, store.PoliceCountFilter{Area: "BU03840101", Categories: []string{"woninginbraak"}})
		want := []string{
			"BU03840101 woninginbraak 2024-01-01 month 3",
			"BU03840101 woninginbraak 2024-02-01 month 4",
			"BU03840101 woninginbraak 2024-03-01 month 2",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("buurt burglaries mismatch (-want +got):\n%s", diff)
		}
		year := countCells(t, db, store.PoliceCountFilter{Precision: baken.PrecisionYear})
		if diff := cmp.Diff([]string{
			"GM0384 fietsendiefstal 2023-01-01 year 260",
			"GM0384 straatroof 2023-01-01 year 40",
			"GM0384 woninginbraak 2023-01-01 year 950",
		}, year); diff != "" {
			t.Errorf("year figures mismatch (-want +got):\n%s", diff)
		}
		// The buurt figure keeps its wijk; the wijk figure has no buurt.
		cs, _, _ := db.FindCounts(sys(), store.PoliceCountFilter{Level: baken.LevelWijk})
		for _, c := range cs {
			if c.Wijk != "WK038401" || c.Buurt != "" || c.Gemeente != "GM0384" || c.Source != importer.DefaultCountsSource || c.Table != "47022NED" {
				t.Errorf("wijk count = %+v", c)
			}
		}
		checkRollups(t, db)

		again := importCounts(t, db, path, importer.CountsOptions{})
		if got, want := tally(again), [7]int{76, 0, 0, 0, 47, 29, 0}; got != want {
			t.Errorf("second import = %v, want %v", got, want)
		}
		if hist, err := db.CountHistory(sys(), store.PoliceCountFilter{}); err != nil || len(hist) != 0 {
			t.Errorf("history after an unchanged import = %v, %v", hist, err)
		}
		checkRollups(t, db)
	})
}

func TestCountsRevisionReplacesAndKeepsHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		first := importCounts(t, db, copyCounts(t, "47022NED_diemen.json"), importer.CountsOptions{})
		rev := importCounts(t, db, copyCounts(t, "47022NED_diemen_revisie.json"), importer.CountsOptions{})
		// March only: 14 cells, of which 1 new (was unknown), 3 changed, and 1 cell of
		// March no longer published.
		if got, want := tally(rev), [7]int{19, 1, 3, 1, 10, 5, 0}; got != want {
			t.Fatalf("revision = %v, want %v; %v", got, want, rev.Problems)
		}
		if rev.Table != "47022NED" {
			t.Errorf("table from the file name = %q", rev.Table)
		}
		march := countCells(t, db, store.PoliceCountFilter{From: "2024-03-01", To: "2024-03-01", Categories: []string{"woninginbraak"}})
		want := []string{
			"GM0384 woninginbraak 2024-03-01 month 31",
			"WK038401 woninginbraak 2024-03-01 month 9",
			"BU03840101 woninginbraak 2024-03-01 month 4",
			"BU03840102 woninginbraak 2024-03-01 month 1",
			"BU03840201 woninginbraak 2024-03-01 month 3",
		}
		if diff := cmp.Diff(want, march); diff != "" {
			t.Errorf("March after the revision mismatch (-want +got):\n%s", diff)
		}
		if got := countCells(t, db, store.PoliceCountFilter{Area: "BU03840102", Categories: []string{"fietsendiefstal"}}); len(got) != 2 {
			t.Errorf("BU03840102 bicycle thefts = %v, want January and February only", got)
		}
		// January and February, and the year, are not in the revision: untouched.
		if got := countCells(t, db, store.PoliceCountFilter{To: "2024-02-01"}); len(got) != 33 {
			t.Errorf("%d cells up to February, want 33", len(got))
		}
		hist, err := db.CountHistory(sys(), store.PoliceCountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var changes []string
		for _, h := range hist {
			to := "removed"
			if h.NewN != nil {
				to = strconv.Itoa(*h.NewN)
			}
			if h.BatchID != first.BatchID || h.ReplacedByBatch != rev.BatchID || h.ReplacedBy != "system:test" {
				t.Errorf("history row %+v: want stored by %s, replaced by %s", h, first.BatchID, rev.BatchID)
			}
			changes = append(changes, h.Area()+" "+h.Category+" "+strconv.Itoa(h.N)+" -> "+to)
		}
		wantChanges := []string{
			"GM0384 woninginbraak 29 -> 31",
			"WK038401 woninginbraak 7 -> 9",
			"BU03840101 woninginbraak 2 -> 4",
			"BU03840102 fietsendiefstal 5 -> removed",
		}
		if diff := cmp.Diff(wantChanges, changes); diff != "" {
			t.Errorf("history mismatch (-want +got):\n%s", diff)
		}
		checkRollups(t, db)
		// The revision again changes nothing.
		if got, want := tally(importCounts(t, db, copyCounts(t, "47022NED_diemen_revisie.json"), importer.CountsOptions{})), [7]int{19, 0, 0, 0, 14, 5, 0}; got != want {
			t.Errorf("revision again = %v, want %v", got, want)
		}
		checkRollups(t, db)
	})
}

func TestCountsCSVNuisance(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		path := copyCounts(t, "47024NED_diemen.csv")
		s := importCounts(t, db, path, importer.CountsOptions{Source: "politie-overlast"})
		// 40 rows: 8 national, 8 totals, 1 "."; 23 cells.
		if got, want := tally(s), [7]int{40, 23, 0, 0, 0, 17, 0}; got != want {
			t.Fatalf("tally = %v, want %v; %v", got, want, s.Problems)
		}
		if s.Table != "47024NED" || s.Kind != baken.CountNuisance {
			t.Errorf("table %q kind %q", s.Table, s.Kind)
		}
		got := countCells(t, db, store.PoliceCountFilter{Area: "BU03840102", Sources: []string{"politie-overlast"}})
		want := []string{
			"BU03840102 geluidshinder 2024-01-01 month 1",
			"BU03840102 overlast-jeugd 2024-01-01 month 8",
			"BU03840102 verward-gedrag 2024-01-01 month 3",
			"BU03840102 overlast-jeugd 2024-02-01 month 9",
			"BU03840102 verward-gedrag 2024-02-01 month 4",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("BU03840102 mismatch (-want +got):\n%s", diff)
		}
		checkRollups(t, db)
		if got, want := tally(importCounts(t, db, path, importer.CountsOptions{Source: "politie-overlast"})), [7]int{40, 0, 0, 0, 23, 17, 0}; got != want {
			t.Errorf("second import = %v, want %v", got, want)
		}
		// Nuisance and crime counts of one source replace only their own kind.
		crime := importCounts(t, db, copyCounts(t, "47022NED_diemen_revisie.json"), importer.CountsOptions{Source: "politie-overlast"})
		if crime.Removed != 0 || crime.Stored != 14 {
			t.Errorf("crime import beside nuisance = %+v", crime)
		}
		if n := len(countCells(t, db, store.PoliceCountFilter{Kind: baken.CountNuisance})); n != 23 {
			t.Errorf("%d nuisance cells after a crime import, want 23", n)
		}
		checkRollups(t, db)
	})
}

// TestCountsTotalsDoNotCover imports the nuisance file, then a download of it that
// lacks category rows: an area and period with only a total row ("Totaal registraties
// overlast") is not covered, so its stored figures stay.
func TestCountsTotalsDoNotCover(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "counts", "47024NED_diemen.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(full), "\n"), "\n")
	// keep returns the header and the lines for which keep is true.
	keep := func(keep func(line string) bool) string {
		out := lines[:1:1]
		for _, l := range lines[1:] {
			if keep(l) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n") + "\n"
	}
	isTotal := func(l string) bool { return strings.Contains(l, `"Totaal registraties overlast"`) }
	tests := []struct {
		name    string
		content string
		want    [7]int // read, stored, replaced, removed, unchanged, skipped, rejected
	}{
		// 8 totals and 2 national totals.
		{"only totals", keep(isTotal), [7]int{10, 0, 0, 0, 0, 10, 0}},
		// January whole (12 cells, 4 totals, 4 national), February totals only (4 totals, 1 national).
		{"February only totals", keep(func(l string) bool { return isTotal(l) || strings.Contains(l, "2024MM01") }),
			[7]int{25, 0, 0, 0, 12, 13, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, db *store.DB) {
				importCounts(t, db, copyCounts(t, "47024NED_diemen.csv"), importer.CountsOptions{})
				before := countCells(t, db, store.PoliceCountFilter{})
				if len(before) != 23 {
					t.Fatalf("%d cells after the full file, want 23", len(before))
				}
				s := importCounts(t, db, writeInput(t, "47024NED_diemen.csv", tt.content), importer.CountsOptions{})
				if got := tally(s); got != tt.want {
					t.Errorf("tally = %v, want %v; %v", got, tt.want, s.Problems)
				}
				if diff := cmp.Diff(before, countCells(t, db, store.PoliceCountFilter{})); diff != "" {
					t.Errorf("cells changed (-before +after):\n%s", diff)
				}
				hist, err := db.CountHistory(sys(), store.PoliceCountFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(hist) != 0 {
					t.Errorf("history = %+v, want none", hist)
				}
				checkRollups(t, db)
			})
		})
	}
}

func TestCountsGzipAndTableFlag(t *testing.T) {
	db := stores(t)["sqlite"]
	b, err := os.ReadFile(filepath.Join("testdata", "counts", "47024NED_diemen.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	path := writeInput(t, "overlast.csv.gz", z.String())
	_, err = importer.New(db, nil).Counts(sys(), path, importer.CountsOptions{Categories: tree(t)})
	if !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), "--table") {
		t.Errorf("no table anywhere: err = %v, want one naming --table", err)
	}
	if s := importCounts(t, db, path, importer.CountsOptions{Table: "47024ned"}); s.Stored != 23 || s.Table != "47024NED" {
		t.Errorf("gzipped with --table = %+v", s)
	}
	_, err = importer.New(db, nil).Counts(sys(), path, importer.CountsOptions{Categories: tree(t), Table: "47022NED"})
	if !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), "counts misdrijven") {
		t.Errorf("crime table for nuisance columns: err = %v", err)
	}
	_, err = importer.New(db, nil).Counts(sys(), copyCounts(t, "47022NED_diemen.json"), importer.CountsOptions{Categories: tree(t), Table: "47018NED"})
	if !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), "the file says it is table 47022NED") {
		t.Errorf("--table against the file: err = %v", err)
	}
}

const countsHeader = `"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"` + "\n"

func TestCountsRejectsNameFileLineAndField(t *testing.T) {
	db := stores(t)["sqlite"]
	good := countsHeader +
		`"0";"1.1.1   ";"BU03840101  ";"2024MM01";"     2"` + "\n" +
		`"1";"1.2.3   ";"BU03840101  ";"2024MM01";"     4"` + "\n" +
		`"2";"1.1.1   ";"BU03840102  ";"2024MM01";"     6"` + "\n" +
		`"3";"1.2.3   ";"BU03840102  ";"2024MM01";"     8"` + "\n"
	importCounts(t, db, writeInput(t, "47022NED_a.csv", good), importer.CountsOptions{})
	// The next download has one readable row per buurt, and an unreadable one for
	// BU03840101: its bicycle thefts stay, those of BU03840102 are removed.
	bad := countsHeader +
		`"0";"1.1.1   ";"BU03840101  ";"2024MM01";"     3"` + "\n" +
		`"1";"1.2.3   ";"BU03840101  ";"2024MM01";"  vier"` + "\n" +
		`"2";"1.1.1   ";"BU03840102  ";"2024MM01";"     6"` + "\n" +
		`"3";"1.1.1   ";"BU03840102  ";"2024KW01";"     6"` + "\n" +
		`"4";"1.1.1   ";"BU03840102  ";"2024MM13";"     6"` + "\n" +
		`"5";"9.9.9   ";"BU03840102  ";"2024MM02";"     1"` + "\n" +
		`"6";"Vliegende schotels";"BU03840102  ";"2024MM02";"     1"` + "\n" +
		`"7";"1.1.1   ";"XX03840102  ";"2024MM02";"     1"` + "\n" +
		`"8";"1.1.1   ";"BU03840102  ";"2024MM02";"    -1"` + "\n" +
		`"9";"1.1.1   ";"BU03840102  ";"2024MM01";"     7"` + "\n" +
		`"10";"1.1.1   ";"BU03630000  ";"2024MM01";"     1"` + "\n" +
		`"11";"1.1.1   ";"BU03840102  "` + "\n" +
		`"12";"Totaal misdrijven";"BU03840102  ";"2024MM01";"    14"` + "\n" +
		`"13";"1.4.6   ";"NL01      ";"2024MM01";"     ."` + "\n"
	path := writeInput(t, "47022NED_b.csv", bad)
	analyst := baken.WithActor(sys(), baken.Actor{UserID: "a", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
	s, err := importer.New(db, nil).Counts(analyst, path, importer.CountsOptions{Categories: tree(t)})
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, p := range s.Problems {
		problems = append(problems, strings.Replace(p, path, "b.csv", 1))
	}
	want := []string{
		`b.csv:3:5: GeregistreerdeMisdrijven_1: "vier" is not a whole number`,
		`b.csv:5:4: Perioden: "2024KW01" is a quarter: the police tables publish months (MM) and years (JJ); download those`,
		`b.csv:6:4: Perioden: "2024MM13": month 13 does not exist`,
		`b.csv:7:2: SoortMisdrijf: "9.9.9" is no SoortMisdrijf key or title of the cbs categories: map it with --category-map "9.9.9"=CATEGORY`,
		`b.csv:8:2: SoortMisdrijf: "Vliegende schotels" is no SoortMisdrijf key or title of the cbs categories: map it with --category-map "Vliegende schotels"=CATEGORY`,
		`b.csv:9:3: WijkenEnBuurten: "XX03840102" is not a CBS gemeente, wijk or buurt code (GM0384, WK038401, BU03840101)`,
		`b.csv:10:5: GeregistreerdeMisdrijven_1: -1 is not a plausible count`,
		`b.csv:11:2: SoortMisdrijf: repeats line 4 (same SoortMisdrijf, area and period)`,
		`b.csv:12:3: WijkenEnBuurten: GM0363 is not one of your municipalities`,
		`b.csv:13: csv: 3 fields, the header has 5`,
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if s.Rejected != 10 || s.SkippedTotals != 1 || s.SkippedNational != 1 || !s.Partial {
		t.Errorf("summary = %+v", s)
	}
	rejects, err := os.ReadFile(s.RejectFile)
	if err != nil {
		t.Fatalf("reject file: %v", err)
	}
	if !strings.HasPrefix(string(rejects), "line,column,field,reason,ID,SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1\n3,5,GeregistreerdeMisdrijven_1,") {
		t.Errorf("reject file:\n%s", rejects)
	}
	// A row that could not be placed (line 13) holds every removal back.
	if got := countCells(t, db, store.PoliceCountFilter{Categories: []string{"fietsendiefstal"}}); len(got) != 2 {
		t.Errorf("bicycle thefts after a partial file = %v, want both kept", got)
	}
	// Without such a row, only the buurt with an unreadable row keeps its bicycle thefts.
	clean := countsHeader +
		`"0";"1.1.1   ";"BU03840101  ";"2024MM01";"     3"` + "\n" +
		`"1";"1.2.3   ";"BU03840101  ";"2024MM01";"  vier"` + "\n" +
		`"2";"1.1.1   ";"BU03840102  ";"2024MM01";"     6"` + "\n"
	s2 := importCounts(t, db, writeInput(t, "47022NED_b.csv", clean), importer.CountsOptions{})
	if s2.Partial || s2.Removed != 1 {
		t.Errorf("second run = %+v, want 1 removed", s2)
	}
	got := countCells(t, db, store.PoliceCountFilter{})
	wantCells := []string{
		"BU03840101 fietsendiefstal 2024-01-01 month 4",
		"BU03840101 woninginbraak 2024-01-01 month 3",
		"BU03840102 woninginbraak 2024-01-01 month 6",
	}
	if diff := cmp.Diff(wantCells, got); diff != "" {
		t.Errorf("cells mismatch (-want +got):\n%s", diff)
	}
	checkRollups(t, db)
}

func TestCountsJSONErrors(t *testing.T) {
	db := stores(t)["sqlite"]
	rec := `{"ID":0,"SoortMisdrijf":"1.1.1 ","WijkenEnBuurten":"BU03840101","Perioden":"2024MM01","GeregistreerdeMisdrijven_1":2}`
	tests := []struct {
		name, body, want string
	}{
		{"syntax", `{"value":[` + rec + `,{"ID":`, `the JSON ends too early`},
		{"no value", `{"odata.metadata":"x/47022NED/$metadata"}`, `no "value" array`},
		{"next page", `{"odata.metadata":"https://dataderden.cbs.nl/ODataApi/odata/47022NED/$metadata","value":[` + rec + `],"odata.nextLink":"https://dataderden.cbs.nl/next"}`, `one page of several`},
		{"columns", `[{"ID":0,"Perioden":"2024MM01"}]`, `record 1: no column SoortMisdrijf or Overlast, WijkenEnBuurten, GeregistreerdeMisdrijven_1 or GeregistreerdeOverlast_1`},
		{"both kinds", `[{"SoortMisdrijf":"1.1.1","WijkenEnBuurten":"GM0384","Perioden":"2024MM01","GeregistreerdeOverlast_1":1}]`, `columns of both misdrijven`},
		{"trailing", `[` + rec + `] []`, `unexpected data after the JSON value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.New(db, nil).Counts(sys(), writeInput(t, "47022NED.json", tt.body), importer.CountsOptions{Categories: tree(t)})
			if !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want invalid with %q", err, tt.want)
			}
		})
	}
	// Record problems name the record (1-based) and the field.
	body := `{"@odata.context":"https://dataderden.cbs.nl/ODataApi/odata/47022NED/$metadata#TypedDataSet","value":[` + rec + `,
		{"ID":1,"SoortMisdrijf":"1.2.3 ","WijkenEnBuurten":"BU03840101","Perioden":"2024MM01","GeregistreerdeMisdrijven_1":2.5},
		{"ID":2,"SoortMisdrijf":"1.4.6 ","WijkenEnBuurten":"BU03840101","Perioden":{"x":1},"GeregistreerdeMisdrijven_1":2},
		17,
		{"ID":4,"SoortMisdrijf":"1.4.7 ","WijkenEnBuurten":"BU03840101","Perioden":"2024MM01","GeregistreerdeMisdrijven_1":null},
		{"ID":5,"SoortMisdrijf":"1.4.5 ","WijkenEnBuurten":"BU03840101","Perioden":"2024MM01","GeregistreerdeMisdrijven_1":"12"}]}`
	path := writeInput(t, "download.json", body)
	s, err := importer.New(db, nil).Counts(sys(), path, importer.CountsOptions{Categories: tree(t)})
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, p := range s.Problems {
		problems = append(problems, strings.Replace(p, path, "download.json", 1))
	}
	want := []string{
		`download.json: record 2: GeregistreerdeMisdrijven_1: "2.5" is not a whole number`,
		`download.json: record 3: Perioden: not a text or a number`,
		`download.json: record 4: record: not an object with the fields of a record`,
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if s.Stored != 2 || s.SkippedSecret != 1 || s.Table != "47022NED" {
		t.Errorf("summary = %+v", s)
	}
}

// An unverified Overlast key is mapped with CategoryMap; a mapping wins over the tree.
func TestCountsCategoryMap(t *testing.T) {
	db := stores(t)["sqlite"]
	csv := "Overlast,WijkenEnBuurten,Perioden,GeregistreerdeOverlast_1\n" +
		"A043   ,GM0384,2024JJ00,17\n" +
		"E33,GM0384,2024JJ00,5\n" +
		"T001001,GM0384,2024JJ00,22\n"
	path := writeInput(t, "47024NED_jaar.csv", csv)
	_, err := importer.New(db, nil).Counts(sys(), path, importer.CountsOptions{Categories: tree(t), CategoryMap: map[string]string{"A043": "bestaat-niet"}})
	if !baken.IsKind(err, baken.Invalid) {
		t.Errorf("mapping to an unknown category: err = %v", err)
	}
	s := importCounts(t, db, path, importer.CountsOptions{CategoryMap: map[string]string{"A043": "overlast-jeugd"}})
	if s.Stored != 2 || s.SkippedTotals != 1 || s.Rejected != 0 {
		t.Errorf("summary = %+v", s)
	}
	got := countCells(t, db, store.PoliceCountFilter{})
	if diff := cmp.Diff([]string{"GM0384 overlast-jeugd 2024-01-01 year 17", "GM0384 verward-gedrag 2024-01-01 year 5"}, got); diff != "" {
		t.Errorf("cells mismatch (-want +got):\n%s", diff)
	}
	checkRollups(t, db)
}

func FuzzReadCounts(f *testing.F) {
	for _, name := range []string{"47022NED_diemen.json", "47022NED_diemen_revisie.json", "47024NED_diemen.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "counts", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(countsHeader + `"0";"1.1.1";"BU03840101";"2024MM01";"2"` + "\n"))
	f.Add([]byte(`{"value":[{"Overlast":"E33","WijkenEnBuurten":"WK038401","Perioden":"2024KW01","GeregistreerdeOverlast_1":null}],"odata.nextLink":"x"}`))
	f.Add([]byte(`[1,"x",{"SoortMisdrijf":[]}]`))
	tr := tree(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := importer.NewInput(bytes.NewReader(b), "fuzz_47022NED")
		if err != nil {
			return
		}
		data, err := importer.ReadCounts(in, importer.CountsOptions{Categories: tr}, baken.System("fuzz"))
		if data == nil {
			t.Fatalf("nil data (err %v)", err)
		}
		if err != nil {
			return
		}
		for _, c := range append(data.Counts, data.Unknown...) {
			if err := c.Validate(); err != nil {
				t.Errorf("read an invalid count %+v: %v", c, err)
			}
		}
		if data.Read < len(data.Counts)+data.Rejected {
			t.Errorf("read %d rows, but %d counts and %d rejected", data.Read, len(data.Counts), data.Rejected)
		}
	})
}
