package importer_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
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

// stores returns a fresh SQLite and a fresh PostgreSQL database with Diemen loaded.
func stores(t *testing.T) map[string]*store.DB {
	t.Helper()
	lite, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	dbs := map[string]*store.DB{"sqlite": lite}
	if s := pgtest.Require(t, pgsrv); s != nil {
		dbs["postgres"] = s.NewDB(t, store.Options{})
	}
	for _, db := range dbs {
		if err := demo.LoadReference(sys(), db); err != nil {
			t.Fatal(err)
		}
	}
	return dbs
}

// eachStore runs fn as a subtest on both engines.
func eachStore(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) { fn(t, db) })
	}
}

func categorizer(t *testing.T, fixed string, mapping map[string]string) *importer.Categorizer {
	t.Helper()
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	c, err := importer.NewCategorizer(tree, fixed, mapping)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// copyInput copies a testdata file into a temporary folder (reject files go beside it).
func copyInput(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return writeInput(t, name, string(b))
}

func writeInput(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func importFile(t *testing.T, db *store.DB, path string, opts importer.Options) importer.Summary {
	t.Helper()
	if opts.Categories == nil {
		opts.Categories = categorizer(t, "", nil)
	}
	s, err := importer.New(db, nil).Registrations(sys(), path, opts)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return s
}

func counts(s importer.Summary) [6]int {
	return [6]int{s.Read, s.Stored, s.Updated, s.Unchanged, s.Outside, s.Rejected}
}

func allRegistrations(t *testing.T, db *store.DB) []baken.Registration {
	t.Helper()
	regs, _, err := db.FindRegistrations(sys(), store.RegistrationFilter{Outside: true})
	if err != nil {
		t.Fatal(err)
	}
	return regs
}

func checkRollups(t *testing.T, db *store.DB) {
	t.Helper()
	diffs, err := db.CheckRollups(sys())
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("rollups differ from a recount: %v", diffs)
	}
}

func TestGenericDutchCSV(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		path := copyInput(t, "generic_nl.csv")
		s := importFile(t, db, path, importer.Options{Source: "meldingen"})
		if got, want := counts(s), [6]int{5, 5, 0, 0, 0, 0}; got != want {
			t.Fatalf("read, stored, updated, unchanged, outside, rejected = %v, want %v; problems %v", got, want, s.Problems)
		}
		regs := allRegistrations(t, db)
		byDesc := map[string]baken.Registration{}
		for _, r := range regs {
			byDesc[r.Description] = r
			if r.Gemeente != "GM0384" || !strings.HasPrefix(r.Buurt, "BU0384") || r.AreaYear != 2024 {
				t.Errorf("%q placed in %s/%s/%s (%d)", r.Description, r.Gemeente, r.Wijk, r.Buurt, r.AreaYear)
			}
		}
		first := byDesc["Groep jongeren; harde muziek"]
		if first.Category != "overlast-jeugd" || first.Address != "Ouddiemerlaan 104" || first.Precision != baken.PrecisionMinute {
			t.Errorf("first row = %+v", first)
		}
		if want := time.Date(2024, 3, 1, 20, 30, 0, 0, time.UTC); !first.OccurredAt.Equal(want) {
			t.Errorf("21:30 Amsterdam in winter stored as %v, want %v", first.OccurredAt, want)
		}
		if _, ok := byDesc[`Zelfde plek, "weer" terug`]; !ok {
			t.Errorf("quoted field with escaped quotes lost: %v", byDesc)
		}
		var litter baken.Registration
		for _, r := range regs {
			if r.Category == "zwerfvuil" {
				litter = r
			}
		}
		if litter.Category != "zwerfvuil" || litter.Precision != baken.PrecisionDay || litter.LocalDay != "2024-03-02" {
			t.Errorf("date without time = %+v", litter)
		}
		if byDesc["Man roept op straat"].Category != "verward-gedrag" {
			t.Errorf("E33 not mapped to verward-gedrag: %+v", byDesc["Man roept op straat"])
		}
		checkRollups(t, db)
	})
}

// Days are counted in Europe/Amsterdam whatever zone a time was given in, so the hour
// and the day stay right across daylight-saving changes.
func TestDaylightSavingBinning(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		csv := "id,occurred_at,category,lat,lon\n" +
			"a,2024-10-26T22:30:00Z,zwerfvuil,52.3391,4.9612\n" + // 00:30 CEST on 27 October
			"b,2024-10-27T22:30:00Z,zwerfvuil,52.3391,4.9612\n" + // 23:30 CET on 27 October
			"c,2024-03-30T23:30:00Z,zwerfvuil,52.3391,4.9612\n" + // 00:30 CET on 31 March
			"d,2024-03-31T21:59:00Z,zwerfvuil,52.3391,4.9612\n" + // 23:59 CEST on 31 March
			"e,2024-07-01T00:15:00+02:00,zwerfvuil,52.3391,4.9612\n" + // explicit offset honoured
			"f,2024-06-30 23:45,zwerfvuil,52.3391,4.9612\n" // no offset: Amsterdam time
		importFile(t, db, writeInput(t, "dst.csv", csv), importer.Options{Source: "dst", IDColumn: "id"})
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		got := map[string]string{}
		for _, r := range allRegistrations(t, db) {
			got[r.SourceID] = r.LocalDay + " " + r.OccurredAt.In(ams).Format("15:04")
		}
		want := map[string]string{
			"a": "2024-10-27 00:30", "b": "2024-10-27 23:30", "c": "2024-03-31 00:30",
			"d": "2024-03-31 23:59", "e": "2024-07-01 00:15", "f": "2024-06-30 23:45",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("local day and hour mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestRejectsGolden(t *testing.T) {
	db := stores(t)["sqlite"]
	path := copyInput(t, "bad.csv")
	s := importFile(t, db, path, importer.Options{Source: "test"})
	if got, want := counts(s), [6]int{10, 1, 0, 0, 0, 9}; got != want {
		t.Errorf("read, stored, updated, unchanged, outside, rejected = %v, want %v", got, want)
	}
	rejects, err := os.ReadFile(s.RejectFile)
	if err != nil {
		t.Fatalf("reject file: %v", err)
	}
	if filepath.Dir(s.RejectFile) != filepath.Dir(path) {
		t.Errorf("reject file %s not beside the input", s.RejectFile)
	}
	// The rejected rows may hold personal data: only the owner may read them.
	if fi, err := os.Stat(s.RejectFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("reject file mode: %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	var b strings.Builder
	b.WriteString("# problems\n")
	for _, p := range s.Problems {
		b.WriteString(strings.Replace(p, path, "bad.csv", 1) + "\n")
	}
	b.WriteString("# reject file\n")
	b.Write(rejects)
	golden(t, "bad.golden", b.String())

	// Importing the corrected file removes the stale reject file.
	if err := os.WriteFile(path, []byte("datum,categorie,lat,lon\n2024-03-01,zwerfvuil,52.34,4.96\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := importFile(t, db, path, importer.Options{Source: "test2"})
	if s2.RejectFile != "" || s2.Rejected != 0 {
		t.Errorf("clean file: reject file %q, %d rejected", s2.RejectFile, s2.Rejected)
	}
	if _, err := os.Stat(s.RejectFile); !os.IsNotExist(err) {
		t.Errorf("stale reject file still there: %v", err)
	}
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

func TestStrictStoresNothing(t *testing.T) {
	db := stores(t)["sqlite"]
	s, err := importer.New(db, nil).Registrations(sys(), copyInput(t, "bad.csv"),
		importer.Options{Source: "test", Strict: true, Categories: categorizer(t, "", nil)})
	if !baken.IsKind(err, baken.Invalid) || s.Rejected != 9 {
		t.Errorf("strict import: err = %v, rejected %d", err, s.Rejected)
	}
	if n := len(allRegistrations(t, db)); n != 0 {
		t.Errorf("strict import stored %d rows", n)
	}
}

func TestPolitieProfile(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		s := importFile(t, db, copyInput(t, "politie.csv"), importer.Options{Source: "politie", Profile: "politie"})
		if got, want := counts(s), [6]int{4, 4, 0, 0, 0, 0}; got != want {
			t.Fatalf("counts = %v, want %v; %v", got, want, s.Problems)
		}
		got := map[string]string{}
		for _, r := range allRegistrations(t, db) {
			got[r.SourceID] = fmt.Sprintf("%s %s %s %.5f,%.5f", r.Category, r.Precision, r.Buurt[:6], *r.Lat, *r.Lon)
		}
		want := map[string]string{
			"PL1300-2024001": "verward-gedrag minute BU0384 52.34503,4.98364",
			"PL1300-2024002": "woninginbraak minute BU0384 52.33427,4.99254",
			"PL1300-2024003": "overlast-jeugd minute BU0384 52.35129,4.97478",
			"PL1300-2024004": "straatroof day BU0384 52.32715,5.01314",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("politie rows mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestReimportIsIdempotentAndUpdatesKeepHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		path := copyInput(t, "politie.csv")
		opts := importer.Options{Source: "politie", Profile: "politie"}
		importFile(t, db, path, opts)
		if got := counts(importFile(t, db, path, opts)); got != [6]int{4, 0, 0, 4, 0, 0} {
			t.Errorf("second import = %v, want 4 unchanged", got)
		}
		b, _ := os.ReadFile(path)
		corrected := strings.Replace(string(b), "Verward persoon bij station", `"Verward persoon bij station, GGZ ingeschakeld"`, 1)
		if err := os.WriteFile(path, []byte(corrected), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := counts(importFile(t, db, path, opts)); got != [6]int{4, 0, 1, 3, 0, 0} {
			t.Errorf("corrected import = %v, want 1 updated, 3 unchanged", got)
		}
		for _, r := range allRegistrations(t, db) {
			if r.SourceID != "PL1300-2024001" {
				continue
			}
			if r.Version != 2 || !strings.Contains(r.Description, "GGZ") {
				t.Errorf("updated registration = version %d %q", r.Version, r.Description)
			}
			hist, err := db.RegistrationHistory(sys(), r.ID)
			if err != nil || len(hist) != 1 || !strings.Contains(hist[0], `"description":"Verward persoon bij station"`) {
				t.Errorf("history = %v, %v", hist, err)
			}
		}
		checkRollups(t, db)
	})
}

// Without a source id, identical rows are distinct events: all are stored, and a
// re-import stores none again.
func TestIdenticalRowsWithoutID(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		row := "2024-05-04 23:10,overlast-jeugd,52.3391,4.9612\n"
		path := writeInput(t, "dups.csv", "date,category,lat,lon\n"+row+row+"2024-05-04 23:11,overlast-jeugd,52.3391,4.9612\n"+row)
		if got := counts(importFile(t, db, path, importer.Options{Source: "dups"})); got != [6]int{4, 4, 0, 0, 0, 0} {
			t.Errorf("first import = %v, want 4 stored", got)
		}
		if got := counts(importFile(t, db, path, importer.Options{Source: "dups"})); got != [6]int{4, 0, 0, 4, 0, 0} {
			t.Errorf("second import = %v, want 4 unchanged", got)
		}
		// A file with one more copy adds exactly one.
		more := writeInput(t, "dups.csv", "date,category,lat,lon\n"+row+row+row+row)
		if got := counts(importFile(t, db, more, importer.Options{Source: "dups"})); got != [6]int{4, 1, 0, 3, 0, 0} {
			t.Errorf("file with a fourth copy = %v, want 1 stored, 3 unchanged", got)
		}
		checkRollups(t, db)
	})
}

func TestOutsideIsKeptAndCounted(t *testing.T) {
	db := stores(t)["sqlite"]
	path := writeInput(t, "mixed.csv", "date,category,lat,lon\n2024-05-04,zwerfvuil,52.3391,4.9612\n2024-05-04,zwerfvuil,51.9225,4.4792\n")
	s := importFile(t, db, path, importer.Options{Source: "mixed"})
	if got := counts(s); got != [6]int{2, 2, 0, 0, 1, 0} {
		t.Errorf("counts = %v, want 2 stored of which 1 outside", got)
	}
	var outside []baken.Registration
	for _, r := range allRegistrations(t, db) {
		if r.Outside {
			outside = append(outside, r)
		}
	}
	if len(outside) != 1 || outside[0].Gemeente != "" {
		t.Errorf("outside rows = %+v", outside)
	}
}

// The Chicago set through --map: every one of its 148,636 rows is stored, including
// the identical rows, which are distinct events.
func TestChicagoThroughMap(t *testing.T) {
	if testing.Short() {
		t.Skip("148,636 rows")
	}
	path := filepath.Join("..", "..", "..", "shared", "data", "chicago-aggravated-assaults", "chicago_aggravated_assaults.csv.gz")
	if _, err := os.Stat(path); err != nil {
		if pgtest.InCI() {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data missing: %v", err)
	}
	eachStore(t, func(t *testing.T, db *store.DB) {
		chicago, _ := time.LoadLocation("America/Chicago")
		opts := importer.Options{
			Source: "chicago", TZ: chicago, RejectPath: filepath.Join(t.TempDir(), "rejects.csv"),
			Map:        map[string]importer.Field{"date": importer.FieldOccurredAt, "longitude": importer.FieldLon, "latitude": importer.FieldLat, "loc_cat": importer.FieldDescription},
			Categories: categorizer(t, "mishandeling", nil),
		}
		s := importFile(t, db, path, opts)
		if got, want := counts(s), [6]int{148636, 148636, 0, 0, 148636, 0}; got != want {
			t.Errorf("read, stored, updated, unchanged, outside, rejected = %v, want %v; %v", got, want, s.Problems)
		}
		_, total, err := db.FindRegistrations(sys(), store.RegistrationFilter{Outside: true, Sources: []string{"chicago"}})
		if err != nil || total != 148636 {
			t.Errorf("stored %d, %v", total, err)
		}
	})
}

// The other real sets in ../shared/data import completely: Cincinnati's burglaries by date
// (one incident number can stand on several rows, so it is no id) and San Francisco's
// robberies with their own uid.
func TestCincinnatiAndSanFrancisco(t *testing.T) {
	data := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		if pgtest.InCI() {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data missing: %v", err)
	}
	db := stores(t)["sqlite"]
	tests := []struct {
		file             string
		opts             importer.Options
		rows, noLocation int
	}{
		// 426 Cincinnati rows have NA for coordinates: they cannot be placed, so they are
		// rejected as having no location.
		{"cincinnati-burglary/cincinnati_burglary.csv.gz", importer.Options{Source: "cincinnati", Map: map[string]importer.Field{"incident_no": importer.FieldIgnore},
			Categories: categorizer(t, "", map[string]string{"BURGLARY": "woninginbraak", "AGGRAVATED BURGLARY": "woninginbraak"}), CategoryColumn: "offense"}, 8723, 426},
		{"sf-robbery-2019/san_francisco_robbery_2019.csv.gz", importer.Options{Source: "sf", Categories: categorizer(t, "straatroof", nil)}, 951, 0},
	}
	for _, tt := range tests {
		t.Run(tt.opts.Source, func(t *testing.T) {
			tt.opts.RejectPath = filepath.Join(t.TempDir(), "rejects.csv")
			s := importFile(t, db, filepath.Join(data, tt.file), tt.opts)
			if s.Read != tt.rows || s.Stored != tt.rows-tt.noLocation || s.Rejected != tt.noLocation {
				t.Errorf("read %d, stored %d, rejected %d; want %d read and %d without location rejected: %v",
					s.Read, s.Stored, s.Rejected, tt.rows, tt.noLocation, s.Problems)
			}
			for _, p := range s.Problems {
				if !strings.Contains(p, "no location") {
					t.Errorf("unexpected problem: %s", p)
				}
			}
			again := importFile(t, db, filepath.Join(data, tt.file), tt.opts)
			if again.Unchanged != tt.rows-tt.noLocation {
				t.Errorf("second import: %d unchanged, want %d", again.Unchanged, tt.rows-tt.noLocation)
			}
		})
	}
}

// A date and a time in two columns make one moment, also when the date column carries a
// time of 00:00 as spreadsheets write it; a location half given is named by the half that
// is missing.
func TestDateTimeColumnsAndHalfLocations(t *testing.T) {
	db := stores(t)["sqlite"]
	const head = "id;datum;tijd;categorie;lat;lon;x;y\n"
	tests := []struct {
		name, row string
		want      string // occurred at in Amsterdam and precision, or the problem
	}{
		{"date and time", "a1;01-03-2024;21:30;zwerfvuil;52,34;4,96;;", "2024-03-01 21:30 minute"},
		{"date at midnight and time", "a2;01-03-2024 00:00;21:30;zwerfvuil;52,34;4,96;;", "2024-03-01 21:30 minute"},
		{"date with its own time", "a3;01-03-2024 08:15;21:30;zwerfvuil;52,34;4,96;;", "2024-03-01 08:15 minute"},
		{"date only", "a4;01-03-2024;;zwerfvuil;52,34;4,96;;", "2024-03-01 00:00 day"},
		{"latitude without longitude", "a5;01-03-2024;;zwerfvuil;52,34;;;", "in.csv:2:6: lon: missing: longitude and latitude go together"},
		{"longitude without latitude", "a6;01-03-2024;;zwerfvuil;;4,96;;", "in.csv:2:5: lat: missing: longitude and latitude go together"},
		{"x without y", "a7;01-03-2024;;zwerfvuil;;;127500;", "in.csv:2:8: y: missing: x and y go together"},
	}
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, []byte(head+tt.row+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := importFile(t, db, path, importer.Options{Source: "dt-" + tt.row[:2]})
			var got string
			if len(s.Problems) > 0 {
				got = strings.TrimPrefix(s.Problems[0], filepath.Dir(path)+string(filepath.Separator))
			} else {
				regs, _, err := db.FindRegistrations(sys(), store.RegistrationFilter{Sources: []string{"dt-" + tt.row[:2]}, Outside: true})
				if err != nil || len(regs) != 1 {
					t.Fatalf("stored %d rows (%v), want 1", len(regs), err)
				}
				got = regs[0].OccurredAt.In(ams).Format("2006-01-02 15:04") + " " + string(regs[0].Precision)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// An import interrupted and run again under another category map starts again from the
// first line: a line rejected before may be valid now, and none may be skipped.
func TestResumeUnderOtherRulesRereadsEveryLine(t *testing.T) {
	db := stores(t)["sqlite"]
	path := writeInput(t, "r.csv", "datum,categorie,buurtcode\n"+
		"2024-03-01,zwerfvuil,BU03840101\n2024-03-02,Foo,BU03840101\n2024-03-03,zwerfvuil,BU03840101\n"+
		"2024-03-04,zwerfvuil,BU03840101\n2024-03-05,zwerfvuil,BU03840101\n")
	ctx, cancel := context.WithCancel(sys())
	_, err := importer.New(db, nil).Registrations(ctx, path, importer.Options{Source: "s", ChunkSize: 2,
		Categories: categorizer(t, "", nil), Progress: func(importer.Progress) { cancel() }})
	if err == nil {
		t.Fatal("the first run was not interrupted")
	}
	s := importFile(t, db, path, importer.Options{Source: "s", ChunkSize: 2,
		Categories: categorizer(t, "", map[string]string{"Foo": "zwerfvuil"})})
	if s.ResumedAfter != 0 || s.Rejected != 0 {
		t.Errorf("rerun under another map resumed after line %d with %d rejected, want from the start with none", s.ResumedAfter, s.Rejected)
	}
	if n := len(allRegistrations(t, db)); n != 5 {
		t.Errorf("stored %d registrations, want 5", n)
	}
}

// Rows without an id are keyed by what happened, where and when, not by the area codes the
// import placed them in or the category it mapped: the same file after the areas are
// loaded, or under another category, updates its rows.
func TestReimportAfterAreasUpdatesRowsWithoutID(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	path := writeInput(t, "g.csv", "occurred_at,category,lat,lon\n"+
		"2024-03-01 21:30,zwerfvuil,52.3391,4.9612\n2024-03-02 21:30,zwerfvuil,52.3391,4.9612\n")
	if got, want := counts(importFile(t, db, path, importer.Options{Source: "m"})), [6]int{2, 2, 0, 0, 2, 0}; got != want {
		t.Fatalf("before the areas: read, stored, updated, unchanged, outside, rejected = %v, want %v", got, want)
	}
	if err := demo.LoadReference(sys(), db); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(importFile(t, db, path, importer.Options{Source: "m"})), [6]int{2, 0, 2, 0, 0, 0}; got != want {
		t.Errorf("after the areas: read, stored, updated, unchanged, outside, rejected = %v, want %v", got, want)
	}
	// Another category for the same rows is a change of them, not two new rows.
	again := importFile(t, db, path, importer.Options{Source: "m", Categories: categorizer(t, "overlast-jeugd", nil)})
	if got, want := counts(again), [6]int{2, 0, 2, 0, 0, 0}; got != want {
		t.Errorf("under another category: read, stored, updated, unchanged, outside, rejected = %v, want %v", got, want)
	}
	regs := allRegistrations(t, db)
	if len(regs) != 2 || regs[0].Buurt == "" || regs[1].Buurt == "" || regs[0].Category != "overlast-jeugd" {
		t.Errorf("registrations = %d, first in buurt %q of %q; want 2, placed, overlast-jeugd", len(regs), regs[0].Buurt, regs[0].Category)
	}
	checkRollups(t, db)
}

// "NA" and its like mean missing in a number or time column, but an id or a text keeps
// them as written: an exported description "N/A" imports back as "N/A".
func TestMissingValueWordsKeptInIDAndText(t *testing.T) {
	db := stores(t)["sqlite"]
	path := writeInput(t, "na.csv", "id,datum,categorie,lat,lon,omschrijving\n"+
		"NA,2024-03-01,zwerfvuil,52.34,4.96,N/A\nB2,2024-03-01,zwerfvuil,NA,NA,NULL\n")
	s := importFile(t, db, path, importer.Options{Source: "na", IDColumn: "id"})
	if got, want := counts(s), [6]int{2, 1, 0, 0, 0, 1}; got != want {
		t.Fatalf("read, stored, updated, unchanged, outside, rejected = %v, want %v; %v", got, want, s.Problems)
	}
	regs := allRegistrations(t, db)
	if len(regs) != 1 || regs[0].SourceID != "NA" || regs[0].Description != "N/A" {
		t.Errorf("stored %+v, want id NA with description N/A", regs)
	}
}
