package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/export"
	"baken/internal/geo"
	"baken/internal/importer"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite golden files")

var pgsrv *pgtest.Server

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(pgtest.Main(m, &pgsrv))
}

func sys() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

// newStore returns a fresh database of the engine with the Diemen areas loaded.
func newStore(t *testing.T, engine string) *store.DB {
	t.Helper()
	var db *store.DB
	switch engine {
	case "sqlite":
		var err error
		db, err = sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	case "postgres":
		db = pgtest.Require(t, pgsrv).NewDB(t, store.Options{})
	}
	if err := demo.LoadReference(sys(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// eachEngine runs fn as a subtest on SQLite and on PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}

func categorizer(t *testing.T) *importer.Categorizer {
	t.Helper()
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	c, err := importer.NewCategorizer(tree, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// copyInput copies a test file into a temporary folder (reject files go beside it).
func copyInput(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return writeInput(t, filepath.Base(path), b)
}

func writeInput(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func importFile(t *testing.T, db *store.DB, path string, opts importer.Options) importer.Summary {
	t.Helper()
	opts.Categories = categorizer(t)
	s, err := importer.New(db, nil).Registrations(sys(), path, opts)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if s.Rejected > 0 {
		t.Fatalf("import %s: %d rejected: %v", path, s.Rejected, s.Problems)
	}
	return s
}

func counts(s importer.Summary) [6]int {
	return [6]int{s.Read, s.Stored, s.Updated, s.Unchanged, s.Outside, s.Rejected}
}

func registrations(t *testing.T, db *store.DB, f store.RegistrationFilter) []baken.Registration {
	t.Helper()
	regs, _, err := db.FindRegistrations(sys(), f)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(regs, func(a, b baken.Registration) int { return strings.Compare(a.SourceKey, b.SourceKey) })
	return regs
}

func exportCSV(t *testing.T, rows export.Rows, opts export.Options) ([]byte, export.Summary) {
	t.Helper()
	var b bytes.Buffer
	sum, err := export.CSV(&b, rows, opts)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes(), sum
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("read export: %v", err)
	}
	return recs
}

// input is one file loaded into the first database.
type input struct {
	path    string
	source  string
	profile string
	gen     bool
}

var inputs = []input{
	{path: "../importer/testdata/politie.csv", source: "politie", profile: "politie"},
	{path: "../importer/testdata/generic_nl.csv", source: "meldingen"},
	{path: "testdata/extra.csv", source: "extra"},
	{path: "testdata/extra.csv", source: "demo", gen: true},
}

// loaded returns a database with every input imported.
func loaded(t *testing.T, engine string) *store.DB {
	t.Helper()
	db := newStore(t, engine)
	for _, in := range inputs {
		importFile(t, db, copyInput(t, in.path), importer.Options{Source: in.source, Profile: in.profile, Generated: in.gen})
	}
	return db
}

// Exporting a source and importing the file into a fresh database gives the same
// registrations, with the same source keys and content hashes; importing it into the
// database it came from changes nothing.
func TestRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine string) {
		db := loaded(t, engine)
		for _, in := range inputs {
			t.Run(in.source, func(t *testing.T) {
				f := store.RegistrationFilter{Sources: []string{in.source}, Outside: true}
				want := registrations(t, db, f)
				b, sum := exportCSV(t, export.FromStore(sys(), db, f), export.Options{IncludePersonal: true})
				if sum.Rows != len(want) || sum.Inexact != 0 {
					t.Fatalf("export summary = %+v, want %d rows, all exact", sum, len(want))
				}
				if gen := 0; in.gen {
					gen = len(want)
					if sum.Generated != gen {
						t.Errorf("generated = %d, want %d", sum.Generated, gen)
					}
				}
				path := writeInput(t, in.source+".csv", b)

				fresh := newStore(t, engine)
				s := importFile(t, fresh, path, importer.Options{Source: in.source, Generated: in.gen})
				if got, wantN := counts(s), len(want); got[0] != wantN || got[1] != wantN {
					t.Errorf("import into a fresh database = %v, want %d read and stored", got, wantN)
				}
				got := registrations(t, fresh, f)
				// area_year says which vintage of the areas placed a registration; the
				// file carries the codes, not the vintage, so a fresh import has 0.
				ignore := cmpopts.IgnoreFields(baken.Registration{}, "ID", "BatchID", "CreatedAt", "UpdatedAt", "AreaYear")
				if diff := cmp.Diff(want, got, ignore); diff != "" {
					t.Errorf("registrations after the round trip mismatch (-want +got):\n%s\nexport:\n%s", diff, b)
				}

				again := importFile(t, db, path, importer.Options{Source: in.source, Generated: in.gen})
				if got, n := counts(again), len(want); got != [6]int{n, 0, 0, n, got[4], 0} {
					t.Errorf("import back into the same database = %v, want all %d unchanged", got, n)
				}
				if diffs, err := db.CheckRollups(sys()); err != nil || len(diffs) > 0 {
					t.Errorf("rollups: %v %v", diffs, err)
				}
			})
		}
	})
}

// The id column is there when every row has an id; rows without one are keyed by
// content, identical rows by occurrence, and come back with the same keys.
func TestSourceKeysWithoutIDs(t *testing.T) {
	db := newStore(t, "sqlite")
	importFile(t, db, copyInput(t, "testdata/extra.csv"), importer.Options{Source: "extra"})
	f := store.RegistrationFilter{Sources: []string{"extra"}, Outside: true}
	regs := registrations(t, db, f)
	dups := 0
	for _, r := range regs {
		if strings.HasPrefix(r.SourceKey, "c:") && strings.HasSuffix(r.SourceKey, ":3") {
			dups++
		}
	}
	if dups != 1 {
		t.Fatalf("want one third occurrence of the identical row, got keys %v", keysOf(regs))
	}
	b, _ := exportCSV(t, export.FromStore(sys(), db, f), export.Options{IncludePersonal: true})
	recs := readCSV(t, b)
	if recs[0][0] != "occurred_at" {
		t.Errorf("header = %v, want no id column", recs[0])
	}
	fresh := newStore(t, "sqlite")
	importFile(t, fresh, writeInput(t, "extra.csv", b), importer.Options{Source: "extra"})
	if diff := cmp.Diff(keysOf(regs), keysOf(registrations(t, fresh, f))); diff != "" {
		t.Errorf("source keys mismatch (-want +got):\n%s", diff)
	}
}

func keysOf(regs []baken.Registration) []string {
	var out []string
	for _, r := range regs {
		out = append(out, r.SourceKey+" "+r.ContentHash)
	}
	return out
}

// A source mixing rows with and without an id, personal data left out: the file is
// written, and the rows that cannot come back are counted.
func TestInexactRowsAreCounted(t *testing.T) {
	db := newStore(t, "sqlite")
	importFile(t, db, writeInput(t, "ids.csv", []byte("id,occurred_at,category,lat,lon,description\na,2024-03-01 10:00,zwerfvuil,52.34,4.96,x\nb,2024-03-01 11:00,zwerfvuil,52.34,4.96,\n")),
		importer.Options{Source: "mixed"})
	importFile(t, db, writeInput(t, "noids.csv", []byte("occurred_at,category,lat,lon\n2024-03-01 12:00,zwerfvuil,52.34,4.96\n")),
		importer.Options{Source: "mixed"})
	rows := export.FromStore(sys(), db, store.RegistrationFilter{})
	b, sum := exportCSV(t, rows, export.Options{IncludePersonal: true})
	if sum.Rows != 3 || sum.Inexact != 2 || !strings.Contains(sum.FirstInexact, "other rows have none") {
		t.Errorf("mixed ids: summary %+v, want 3 rows of which 2 inexact", sum)
	}
	if h := readCSV(t, b)[0]; slices.Contains(h, "id") {
		t.Errorf("header %v has an id column", h)
	}
	b, sum = exportCSV(t, rows, export.Options{})
	if h := readCSV(t, b)[0]; slices.Contains(h, "address") || slices.Contains(h, "bag_id") || slices.Contains(h, "description") {
		t.Errorf("header without personal data = %v", h)
	}
	if sum.Inexact != 2 {
		t.Errorf("without personal data: %d inexact, want 2 (ids of a and b; a's description)", sum.Inexact)
	}
}

func TestFiltersNarrowTheExport(t *testing.T) {
	db := loaded(t, "sqlite")
	all := len(registrations(t, db, store.RegistrationFilter{Outside: true}))
	for _, f := range []store.RegistrationFilter{
		{From: "2024-03-01", To: "2024-03-31"},
		{Categories: []string{"overlast-jeugd", "zwerfvuil"}},
		{Sources: []string{"politie"}},
		{Buurt: "BU03840101"},
		{Gemeenten: []string{"GM0384"}, Sources: []string{"extra", "meldingen"}, From: "2024-05-01"},
	} {
		want := registrations(t, db, f)
		if len(want) == 0 || len(want) >= all {
			t.Fatalf("%+v selects %d of %d: not a narrowing test", f, len(want), all)
		}
		b, sum := exportCSV(t, export.FromStore(sys(), db, f), export.Options{})
		recs := readCSV(t, b)
		idCol := slices.Index(recs[0], "registration_id")
		var got, wantIDs []string
		for _, rec := range recs[1:] {
			got = append(got, rec[idCol])
		}
		for _, r := range want {
			wantIDs = append(wantIDs, string(r.ID))
		}
		slices.Sort(got)
		slices.Sort(wantIDs)
		if diff := cmp.Diff(wantIDs, got); diff != "" || sum.Rows != len(want) {
			t.Errorf("filter %+v: rows mismatch (-want +got):\n%s", f, diff)
		}
	}
}

func TestXLSX(t *testing.T) {
	db := loaded(t, "sqlite")
	f := store.RegistrationFilter{Outside: true}
	regs, _, err := db.FindRegistrations(sys(), f)
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2025, 1, 2, 9, 30, 0, 0, ams)
	var b bytes.Buffer
	sum, err := export.XLSX(&b, export.FromStore(sys(), db, f), export.Options{IncludePersonal: true, Now: now,
		Selection: export.DescribeFilter(f)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != len(regs) || sum.Generated == 0 {
		t.Errorf("summary %+v, want %d rows, some generated", sum, len(regs))
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"Registraties", "Toelichting"}) {
		t.Errorf("sheets = %v", got)
	}
	rows, err := x.GetRows("Registraties")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"id", "occurred_at", "occurred_at_text", "precision", "category", "lat", "lon", "x", "y",
		"gemeente", "wijk", "buurt", "address", "bag_id", "description", "reported_at", "reported_at_text",
		"source", "generated", "area_year", "registration_id"}
	if diff := cmp.Diff(wantHeader, rows[0]); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
	if len(rows) != len(regs)+1 {
		t.Errorf("%d rows, want header and %d", len(rows), len(regs))
	}
	panes, err := x.GetPanes("Registraties")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if st, _ := x.GetCellStyle("Registraties", "A1"); st == 0 {
		t.Errorf("header has no style")
	} else if s, _ := x.GetStyle(st); s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold: %+v", s)
	}
	// The politie registration PL1300-2024001 was at 23:10 on 15 January 2024,
	// Amsterdam time: an Excel date-time (a serial number of days) and its exact text.
	raw, err := x.GetRows("Registraties", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var pl1 baken.Registration
	for _, r := range regs {
		if r.SourceID == "PL1300-2024001" {
			pl1 = r
		}
	}
	var found bool
	for i, r := range raw {
		if r[0] != "PL1300-2024001" {
			continue
		}
		found = true
		if want := "45306.965277777781"; !strings.HasPrefix(r[1], want[:12]) {
			t.Errorf("occurred_at = %q, want the Excel serial %s", r[1], want)
		}
		if r[2] != "2024-01-15T23:10:00+01:00" || rows[i][1] != "2024-01-15 23:10" {
			t.Errorf("occurred_at shown %q, text %q", rows[i][1], r[2])
		}
		cell, _ := excelize.CoordinatesToCellName(6, i+1)
		// A number cell has no type attribute; a text cell would be "inlineStr".
		if typ, err := x.GetCellType("Registraties", cell); err != nil || typ != excelize.CellTypeUnset || r[5] != strconv.FormatFloat(*pl1.Lat, 'f', -1, 64) {
			t.Errorf("lat %s = %q, a %v cell (%v), want the number %v", cell, r[5], typ, err, *pl1.Lat)
		}
	}
	if !found {
		t.Errorf("PL1300-2024001 not in the workbook")
	}
	note, err := x.GetRows("Toelichting")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, r := range note {
		text.WriteString(strings.Join(r, " | ") + "\n")
	}
	for _, want := range []string{"Aantal registraties | " + strconv.Itoa(len(regs)), export.GeneratedWarning,
		"Geëxporteerd op | 2025-01-02 09:30:00 (CET)", "inclusief registraties buiten", "niet om opnieuw te importeren"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("Toelichting lacks %q:\n%s", want, text.String())
		}
	}
}

// fixed is a small set covering every kind of value, for the golden file. Its
// coordinates are derived as the importer derives them.
func fixed() []baken.Registration {
	round := func(v float64, digits int) *float64 {
		p := math.Pow(10, float64(digits))
		v = math.Round(v*p) / p
		return &v
	}
	fromRD := func(r *baken.Registration, x, y float64) {
		lon, lat := geo.RDToWGS84(x, y)
		r.X, r.Y, r.Lon, r.Lat = &x, &y, round(lon, 7), round(lat, 7)
	}
	fromWGS := func(r *baken.Registration, lon, lat float64) {
		x, y := geo.WGS84ToRD(lon, lat)
		r.Lon, r.Lat, r.X, r.Y = &lon, &lat, round(x, 2), round(y, 2)
	}
	reported := time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC)
	regs := []baken.Registration{
		{ID: "0190a0b0-0000-7000-8000-000000000001", Source: "politie", SourceID: "PL1300-2024001",
			OccurredAt: time.Date(2024, 1, 15, 22, 10, 0, 0, time.UTC), Precision: baken.PrecisionMinute, LocalDay: "2024-01-15",
			Category: "verward-gedrag", Gemeente: "GM0384", Wijk: "WK038401", Buurt: "BU03840106", AreaYear: 2024,
			Description: "Verward persoon bij station, \"GGZ\" ingeschakeld\ntweede regel"},
		{ID: "0190a0b0-0000-7000-8000-000000000002", Source: "politie", SourceID: "PL1300-2024003",
			OccurredAt: time.Date(2024, 1, 16, 13, 0, 0, 0, time.UTC), Precision: baken.PrecisionMinute, LocalDay: "2024-01-16",
			Category: "overlast-jeugd", Gemeente: "GM0384", Wijk: "WK038401", Buurt: "BU03840103", AreaYear: 2024},
		{ID: "0190a0b0-0000-7000-8000-000000000003", Source: "politie", SourceID: "PL1300-2024004",
			OccurredAt: time.Date(2024, 1, 16, 23, 0, 0, 0, time.UTC), Precision: baken.PrecisionDay, LocalDay: "2024-01-17",
			ReportedAt: &reported, Category: "straatroof", Gemeente: "GM0384", Wijk: "WK038402",
			Address: "Kerkstraat 1", BAGID: "0384010000012345"},
		{ID: "0190a0b0-0000-7000-8000-000000000004", Source: "demo", SourceID: "gen-1", Generated: true,
			OccurredAt: time.Date(2024, 2, 29, 23, 0, 0, 0, time.UTC), Precision: baken.PrecisionMonth, LocalDay: "2024-03-01",
			Category: "zwerfvuil", Outside: true},
	}
	fromRD(&regs[0], 127500, 484200) // WGS84 gives x/y back: lat/lon written
	fromRD(&regs[1], 126900, 484900) // it does not: x/y alone
	fromWGS(&regs[3], 4.4792, 51.9225)
	return regs
}

func fromSlice(regs []baken.Registration) export.Rows {
	return func(yield func(*baken.Registration) error) error {
		for i := range regs {
			if err := yield(&regs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestCSVGolden(t *testing.T) {
	b, sum := exportCSV(t, fromSlice(fixed()), export.Options{IncludePersonal: true})
	if sum.Rows != 4 || sum.Generated != 1 || sum.Inexact != 0 {
		t.Errorf("summary %+v", sum)
	}
	golden(t, "registrations.golden", string(b))

	anon := fixed()
	anon[3].SourceID = ""
	b, sum = exportCSV(t, fromSlice(anon), export.Options{})
	if sum.Inexact != 3 {
		t.Errorf("without ids and personal data: %d inexact, want 3 (the rows with an id)", sum.Inexact)
	}
	golden(t, "anonymous.golden", string(b))
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("golden file: %v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}
