package demo_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/geo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/sqlite"
)

var pgsrv *pgtest.Server

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, &pgsrv))
}

func sys() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

// published are the youth-nuisance registrations of Diemen in the council letter on the
// jaarprogramma 2024 ("2020: 258, 2021: 123, 2022: 104 en 2023: 98").
var published = map[string]int{"2020": 258, "2021": 123, "2022": 104, "2023": 98}

var amsterdam = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
})

func areas(t testing.TB) []geo.Area {
	t.Helper()
	as, err := demo.Areas()
	if err != nil {
		t.Fatal(err)
	}
	return as
}

var defaultRows struct {
	once sync.Once
	rows []baken.Registration
	err  error
}

// generated returns the rows of the default seed, generated once for the tests that only
// read them.
func generated(t testing.TB) []baken.Registration {
	t.Helper()
	defaultRows.once.Do(func() {
		as, err := demo.Areas()
		if err != nil {
			defaultRows.err = err
			return
		}
		defaultRows.rows, defaultRows.err = demo.Generate(demo.DefaultSeed, as)
	})
	if defaultRows.err != nil {
		t.Fatal(defaultRows.err)
	}
	return defaultRows.rows
}

// perYear counts rows of a category per year of their local day.
func perYear(rows []baken.Registration, category string) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		if r.Category == category {
			out[r.LocalDay[:4]]++
		}
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	as := areas(t)
	a, err := demo.Generate(demo.DefaultSeed, as)
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.Generate(demo.DefaultSeed, as)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different rows (-first +second):\n%s", diff)
	}
	// The order of the areas does not matter.
	rev := make([]geo.Area, len(as))
	for i, ar := range as {
		rev[len(as)-1-i] = ar
	}
	c, err := demo.Generate(demo.DefaultSeed, rev)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, c); diff != "" {
		t.Fatalf("areas in another order give other rows (-first +reversed):\n%s", diff)
	}

	other, err := demo.Generate(demo.DefaultSeed+1, as)
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != len(a) {
		t.Fatalf("seed changes the number of rows: %d, want %d", len(other), len(a))
	}
	same := 0
	for i := range a {
		if a[i].ContentHash == other[i].ContentHash {
			same++
		}
	}
	if same > len(a)/100 {
		t.Errorf("another seed: %d of %d rows identical", same, len(a))
	}
	// The totals per category and year are fixed; the seed moves times and places.
	for _, cat := range []string{"overlast-jeugd", "woninginbraak", "zwerfvuil"} {
		if diff := cmp.Diff(perYear(a, cat), perYear(other, cat)); diff != "" {
			t.Errorf("%s: totals depend on the seed (-default +other):\n%s", cat, diff)
		}
	}
}

func TestYouthNuisancePublishedTotals(t *testing.T) {
	got := perYear(generated(t), "overlast-jeugd")
	for year, want := range published {
		if got[year] != want {
			t.Errorf("overlast-jeugd %s = %d, want the published %d", year, got[year], want)
		}
	}
	for _, year := range []string{"2019", "2024", "2025"} {
		if got[year] == 0 {
			t.Errorf("overlast-jeugd %s: none", year)
		}
	}
}

var keyRE = regexp.MustCompile(`^demo-(20[12][0-9])-[0-9]{6}$`)

// Every row is complete, labelled as generated, and lies in the buurt it names.
func TestRowsWellFormed(t *testing.T) {
	rows := generated(t)
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range tree.Categories {
		known[c.Code] = true
	}
	ix := geo.NewIndex(areas(t))
	keys := map[string]bool{}
	for i, r := range rows {
		where := fmt.Sprintf("row %d (%s)", i, r.SourceKey)
		m := keyRE.FindStringSubmatch(r.SourceKey)
		if m == nil || r.SourceID != r.SourceKey || keys[r.SourceKey] {
			t.Fatalf("%s: source key/id %q/%q malformed or repeated", where, r.SourceKey, r.SourceID)
		}
		keys[r.SourceKey] = true
		if m[1] != r.LocalDay[:4] {
			t.Errorf("%s: key year %s, local day %s", where, m[1], r.LocalDay)
		}
		if r.Source != demo.Source || !r.Generated || r.Description != demo.Description || r.Address != "" || r.BAGID != "" {
			t.Errorf("%s: not labelled as generated demo data: %+v", where, r)
		}
		if !known[r.Category] {
			t.Errorf("%s: unknown category %q", where, r.Category)
		}
		if r.Precision != baken.PrecisionMinute || r.OccurredAt.Location() != time.UTC || r.OccurredAt.Second() != 0 || r.OccurredAt.Nanosecond() != 0 {
			t.Errorf("%s: time %v (%s) not a UTC minute", where, r.OccurredAt, r.Precision)
		}
		if want := baken.LocalDayOf(r.OccurredAt, r.Precision, amsterdam()); r.LocalDay != want {
			t.Errorf("%s: local day %s, want %s", where, r.LocalDay, want)
		}
		if !r.Located() || r.X == nil || r.Y == nil {
			t.Fatalf("%s: no coordinates", where)
		}
		lon, lat := *r.Lon, *r.Lat
		if math.Round(lon*1e6)/1e6 != lon || math.Round(lat*1e6)/1e6 != lat {
			t.Errorf("%s: %v, %v not rounded to 6 decimals", where, lon, lat)
		}
		x, y := geo.WGS84ToRD(lon, lat)
		if math.Abs(x-*r.X) > 0.01 || math.Abs(y-*r.Y) > 0.01 {
			t.Errorf("%s: RD %v, %v, want %v, %v", where, *r.X, *r.Y, x, y)
		}
		p, ok := ix.Locate(lon, lat)
		if !ok || p.Buurt != r.Buurt || p.Wijk != r.Wijk || p.Gemeente != r.Gemeente || r.Gemeente != demo.Gemeente {
			t.Errorf("%s: %v, %v says %s/%s/%s, lies in %+v", where, lon, lat, r.Gemeente, r.Wijk, r.Buurt, p)
		}
		if r.AreaYear != demo.AreaYear {
			t.Errorf("%s: area year %d", where, r.AreaYear)
		}
		if err := r.Validate(nil); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if r.ContentHash == "" {
			t.Errorf("%s: no content hash", where)
		}
	}
	perYearAll := map[string]int{}
	for _, r := range rows {
		perYearAll[r.LocalDay[:4]]++
	}
	for year := demo.FirstYear; year <= demo.LastYear; year++ {
		if n := perYearAll[fmt.Sprint(year)]; n < 2000 || n > 5000 {
			t.Errorf("%d: %d registrations, want a plausible 2,000-5,000", year, n)
		}
	}
}

// share returns the share of rows of category for which in holds.
func share(rows []baken.Registration, category string, in func(r baken.Registration) bool) float64 {
	n, k := 0, 0
	for _, r := range rows {
		if r.Category != category {
			continue
		}
		n++
		if in(r) {
			k++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}

func localHour(r baken.Registration) int { return r.OccurredAt.In(amsterdam()).Hour() }

func TestTimePatterns(t *testing.T) {
	rows := generated(t)
	night := share(rows, "overlast-jeugd", func(r baken.Registration) bool { h := localHour(r); return h >= 20 || h < 2 })
	if night <= 0.5 {
		t.Errorf("youth nuisance between 20:00 and 02:00: %.0f%%, want more than half", 100*night)
	}
	weekend := share(rows, "overlast-jeugd", func(r baken.Registration) bool {
		wd := r.OccurredAt.In(amsterdam()).Weekday()
		return wd == time.Friday || wd == time.Saturday || wd == time.Sunday
	})
	if weekend <= 3.0/7 {
		t.Errorf("youth nuisance Friday-Sunday: %.0f%%, want more than 3/7", 100*weekend)
	}
	dark := share(rows, "woninginbraak", func(r baken.Registration) bool {
		m := r.OccurredAt.In(amsterdam()).Month()
		return m >= time.October || m == time.January
	})
	if dark <= 4.0/12*1.2 {
		t.Errorf("burglary October-January: %.0f%%, want well above 4/12", 100*dark)
	}
	office := share(rows, "zwerfvuil", func(r baken.Registration) bool { h := localHour(r); return h >= 7 && h < 19 })
	if office != 1 {
		t.Errorf("litter outside the wardens' hours: %.1f%%", 100*(1-office))
	}
	monday := share(rows, "zwerfvuil", func(r baken.Registration) bool { return r.OccurredAt.In(amsterdam()).Weekday() == time.Monday })
	if monday <= 0.2 {
		t.Errorf("litter on Mondays: %.0f%%, want the busiest day", 100*monday)
	}
	// Confused behaviour and cybercrime grow every year.
	for _, cat := range []string{"verward-gedrag", "cybercrime-melding"} {
		n := perYear(rows, cat)
		for year := demo.FirstYear + 1; year <= demo.LastYear; year++ {
			if n[fmt.Sprint(year)] <= n[fmt.Sprint(year-1)] {
				t.Errorf("%s: %d in %d after %d in %d", cat, n[fmt.Sprint(year)], year, n[fmt.Sprint(year-1)], year-1)
			}
		}
	}
	// COVID-19: the youth-nuisance peak of 2020, a dip in pickpocketing.
	if n := perYear(rows, "zakkenrollerij"); n["2020"] >= n["2019"]/2 {
		t.Errorf("pickpocketing 2019 %d, 2020 %d: want a COVID dip", n["2019"], n["2020"])
	}
}

func TestConcentration(t *testing.T) {
	rows := generated(t)
	inWijk := func(codes ...string) func(r baken.Registration) bool {
		return func(r baken.Registration) bool {
			for _, c := range codes {
				if r.Wijk == c {
					return true
				}
			}
			return false
		}
	}
	// Business parks (Bedrijventerreinen, the Bergwijkpark offices).
	if s := share(rows, "ondermijning-signaal", inWijk("WK038406", "WK038404")); s < 0.4 {
		t.Errorf("undermining signals on the business parks: %.0f%%, want most", 100*s)
	}
	if s := share(rows, "inbraak-bedrijf", inWijk("WK038406", "WK038404")); s < 0.3 {
		t.Errorf("business burglary on the business parks: %.0f%%", 100*s)
	}
	// Hardly any residential crime where hardly anyone lives.
	empty := inWijk("WK038404", "WK038406", "WK038408")
	for _, cat := range []string{"woninginbraak", "overlast-burengerucht", "woonfraude", "overlast-jeugd"} {
		if s := share(rows, cat, empty); s > 0.02 {
			t.Errorf("%s in WK038404/06/08 (230 inhabitants): %.1f%%", cat, 100*s)
		}
	}
	// Shoplifting near the shopping centres, most in Diemen Centrum.
	if s := share(rows, "winkeldiefstal", inWijk("WK038402")); s < 0.5 {
		t.Errorf("shoplifting in Diemen Centrum: %.0f%%", 100*s)
	}
}

// stores returns a fresh SQLite and, when available, a fresh PostgreSQL database with
// Diemen's reference data loaded.
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

func TestLoadRegistrations(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := sys()
			want := generated(t)
			start := time.Now()
			n, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: loaded %d registrations in %v", name, n, time.Since(start))
			if n != len(want) {
				t.Errorf("stored %d, want %d", n, len(want))
			}

			// The published figures, through the rollups.
			trend, err := db.Trend(ctx, store.RollupFilter{Gemeenten: []string{demo.Gemeente}, Categories: []string{"overlast-jeugd"}}, store.IntervalYear)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, p := range trend {
				got[p.Period] = p.Count + p.Coarse
			}
			wantYears := perYear(want, "overlast-jeugd")
			if diff := cmp.Diff(wantYears, got); diff != "" {
				t.Errorf("overlast-jeugd per year mismatch (-generated +trend):\n%s", diff)
			}
			for year, n := range published {
				if got[year] != n {
					t.Errorf("trend %s = %d, want the published %d", year, got[year], n)
				}
			}

			// What is stored is what was generated, from the stored areas too.
			stored, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{Sources: []string{demo.Source}})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(want) {
				t.Fatalf("%d stored, want %d", total, len(want))
			}
			byKey := map[string]baken.Registration{}
			for _, r := range stored {
				byKey[r.SourceKey] = r
			}
			ignore := cmpopts.IgnoreFields(baken.Registration{}, "ID", "Theme", "Field", "BatchID", "Version", "CreatedAt", "UpdatedAt")
			for _, w := range want {
				if diff := cmp.Diff(w, byKey[w.SourceKey], ignore); diff != "" {
					t.Fatalf("%s stored differently (-generated +stored):\n%s", w.SourceKey, diff)
				}
			}

			diffs, err := db.CheckRollups(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("rollups differ from a recount: %v", diffs)
			}

			// A second run stores nothing new and changes nothing.
			again, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed)
			if err != nil {
				t.Fatal(err)
			}
			if again != 0 {
				t.Errorf("second run stored %d", again)
			}
			stored2, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{Sources: []string{demo.Source}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(stored, stored2); diff != "" {
				t.Errorf("second run changed rows (-first +second):\n%s", diff)
			}
			diffs, err = db.CheckRollups(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("after a second run, rollups differ from a recount: %v", diffs)
			}
		})
	}
}

func TestLoadRegistrationsNeedsAreas(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = demo.LoadRegistrations(sys(), db, demo.DefaultSeed)
	if !baken.IsKind(err, baken.NotFound) {
		t.Errorf("without areas: %v, want NotFound", err)
	}
}

func BenchmarkGenerate(b *testing.B) {
	as := areas(b)
	for b.Loop() {
		if _, err := demo.Generate(demo.DefaultSeed, as); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadRegistrationsSQLite measures what `baken demo` waits for: generating and
// storing the registrations in a fresh SQLite file.
func BenchmarkLoadRegistrationsSQLite(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := demo.LoadReference(sys(), db); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := demo.LoadRegistrations(sys(), db, demo.DefaultSeed); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
