package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"baken/internal/baken"
	"baken/internal/store"
)

// Reg returns a registration in Diemen for tests; n varies its content.
func Reg(key string, n int) baken.Registration {
	at := time.Date(2024, 3, 1+n%28, 21, 30, 15, 123456000, time.UTC)
	lon, lat := 4.96+float64(n)*0.0001, 52.34
	return baken.Registration{
		Gemeente: "GM0384", SourceKey: key, SourceID: key, OccurredAt: at, Precision: baken.PrecisionMinute,
		LocalDay: at.In(amsterdam()).Format(time.DateOnly), Category: "overlast-jeugd",
		Lon: &lon, Lat: &lat, Wijk: "WK038401", Buurt: "BU03840101", AreaYear: 2024,
		Description: fmt.Sprintf("melding %d", n), ContentHash: fmt.Sprintf("h%d", n),
	}
}

func amsterdam() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}

func importRows(t *testing.T, db *store.DB, ctx context.Context, source string, rows ...baken.Registration) store.ChunkResult {
	t.Helper()
	res, err := db.ImportChunk(ctx, store.ImportChunk{Source: source, Rows: rows})
	if err != nil {
		t.Fatalf("ImportChunk: %v", err)
	}
	return res
}

func checkRollups(t *testing.T, db *store.DB) {
	t.Helper()
	diffs, err := db.CheckRollups(SystemContext())
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("rollups differ from a recount:\n%v", diffs)
	}
}

var registrationTests = []Test{
	{"ImportIsIdempotentAndKeepsHistory", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		if got := importRows(t, db, ctx, "politie", Reg("a", 1), Reg("b", 2), Reg("c", 3)); got != (store.ChunkResult{Stored: 3}) {
			t.Errorf("first import = %+v, want 3 stored", got)
		}
		if got := importRows(t, db, ctx, "politie", Reg("a", 1), Reg("b", 2), Reg("c", 3)); got != (store.ChunkResult{Unchanged: 3}) {
			t.Errorf("second import = %+v, want 3 unchanged", got)
		}
		changed := Reg("b", 20) // the source corrected row b: other day, other text
		if got := importRows(t, db, ctx, "politie", changed); got != (store.ChunkResult{Updated: 1}) {
			t.Errorf("changed row = %+v, want 1 updated", got)
		}
		// The same key under another source is another registration.
		if got := importRows(t, db, ctx, "boa", Reg("a", 1)); got != (store.ChunkResult{Stored: 1}) {
			t.Errorf("other source = %+v, want 1 stored", got)
		}
		regs, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{Sources: []string{"politie"}})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(regs) != 3 {
			t.Fatalf("found %d (total %d), want 3", len(regs), total)
		}
		var b baken.Registration
		for _, r := range regs {
			if r.SourceKey == "b" {
				b = r
			}
		}
		if b.Version != 2 || b.Description != "melding 20" || b.LocalDay != changed.LocalDay {
			t.Errorf("updated registration = version %d %q %s", b.Version, b.Description, b.LocalDay)
		}
		hist, err := db.RegistrationHistory(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || !strings.Contains(hist[0], `"description":"melding 2"`) {
			t.Errorf("history = %v, want the first version", hist)
		}
		checkRollups(t, db)
	}},
	{"RepeatedKeyInOneChunk", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		got := importRows(t, db, ctx, "politie", Reg("a", 1), Reg("a", 1), Reg("a", 5))
		if got != (store.ChunkResult{Stored: 1, Unchanged: 1, Updated: 1}) {
			t.Errorf("result = %+v", got)
		}
		regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err != nil || len(regs) != 1 || regs[0].Version != 2 || regs[0].Description != "melding 5" {
			t.Errorf("stored = %+v, %v", regs, err)
		}
		checkRollups(t, db)
	}},
	{"ImportChunksAsChunkByChunk", func(t *testing.T, open Opener) {
		// A stream through ImportChunks, whose new chunks are inserted without lookups
		// (and on PostgreSQL overlap the previous chunk's rollups), ends as the same
		// chunks through ImportChunk one by one, also where a guess fails.
		stream := func() [][]baken.Registration {
			var out [][]baken.Registration
			k := 0
			fresh := func(n int) []baken.Registration {
				var c []baken.Registration
				for range n {
					k++
					c = append(c, Reg(fmt.Sprint("k", k), k))
				}
				return c
			}
			out = append(out, fresh(30), fresh(30))
			repeated := fresh(20) // a key twice in one new chunk: the second is an update
			repeated = append(repeated, Reg(repeated[3].SourceKey, 99))
			out = append(out, repeated)
			// Stored keys: unchanged, changed, and a new one.
			out = append(out, []baken.Registration{Reg("k1", 1), Reg("k2", 50), Reg("n1", 3)})
			out = append(out, fresh(30), fresh(30))
			guess := fresh(20) // new keys, then a stored one: the guess fails at the end
			guess = append(guess, Reg("k5", 77))
			out = append(out, guess, fresh(10), fresh(10))
			return out
		}
		type outcome struct {
			Results  []store.ChunkResult
			Rows     []string
			History  int
			Progress int
		}
		run := func(byOne bool) outcome {
			db := open(t, store.Options{})
			ctx := SystemContext()
			if err := db.StartImportBatch(ctx, store.ImportBatch{ID: "b", Kind: "registrations", Source: "politie", FileName: "f.csv", FileHash: "h"}); err != nil {
				t.Fatal(err)
			}
			var out outcome
			chunks := stream()
			lines := 0
			toChunk := func(rows []baken.Registration) store.ImportChunk {
				lines += len(rows)
				return store.ImportChunk{BatchID: "b", Source: "politie", Rows: rows, LinesDone: lines, Read: lines}
			}
			if byOne {
				for _, rows := range chunks {
					res, err := db.ImportChunk(ctx, toChunk(rows))
					if err != nil {
						t.Fatal(err)
					}
					out.Results = append(out.Results, res)
				}
			} else {
				i := 0
				next := func() (store.ImportChunk, bool) {
					if i == len(chunks) {
						return store.ImportChunk{}, false
					}
					i++
					return toChunk(chunks[i-1]), true
				}
				last := 0
				err := db.ImportChunks(ctx, next, func(c store.ImportChunk, res store.ChunkResult) error {
					if c.LinesDone <= last {
						t.Errorf("chunk up to line %d reported after line %d", c.LinesDone, last)
					}
					last = c.LinesDone
					out.Results = append(out.Results, res)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			for i, rows := range chunks {
				for _, r := range rows {
					if r.ID == "" && !(i == 3 && r.SourceKey == "k1") { // k1 is unchanged
						t.Errorf("chunk %d, row %s: no id filled in", i, r.SourceKey)
					}
				}
			}
			regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range regs {
				out.Rows = append(out.Rows, fmt.Sprintf("%s v%d %s %s %s", r.SourceKey, r.Version, r.LocalDay, r.Description, r.ContentHash))
				hist, err := db.RegistrationHistory(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				out.History += len(hist)
			}
			slices.Sort(out.Rows)
			b, err := db.FindImportBatch(ctx, "b")
			if err != nil {
				t.Fatal(err)
			}
			out.Progress = b.LinesDone
			checkRollups(t, db)
			return out
		}
		want, got := run(true), run(false)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ImportChunks differs from ImportChunk one by one (-want +got):\n%s", diff)
		}
		if want.History != 3 || len(want.Rows) != 181 {
			t.Errorf("the stream made %d rows and %d earlier versions, want 181 and 3", len(want.Rows), want.History)
		}
	}},
	{"RegistrationRoundTrip", func(t *testing.T, open Opener) {
		db := open(t, store.Options{Now: FixedClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))})
		ctx := SystemContext()
		want := Reg("x", 7)
		rep := want.OccurredAt.Add(90 * time.Minute)
		want.ReportedAt = &rep
		want.Address, want.BAGID = "Ouddiemerlaan 104", "0384010000012345"
		importRows(t, db, ctx, "politie", want)
		regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err != nil || len(regs) != 1 {
			t.Fatalf("find = %v, %v", regs, err)
		}
		got := regs[0]
		want.Source, want.Version = "politie", 1
		want.CreatedAt, want.UpdatedAt = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(baken.Registration{}, "ID")); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
		one, err := db.FindRegistration(ctx, got.ID)
		if err != nil || one.ID != got.ID {
			t.Errorf("FindRegistration = %v, %v", one.ID, err)
		}
	}},
	{"MunicipalitiesAreSeparate", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		other := Reg("z", 9)
		other.Gemeente, other.Wijk, other.Buurt = "GM0363", "WK036300", "BU03630000"
		importRows(t, db, SystemContext(), "politie", Reg("a", 1), other)
		diemen := baken.WithActor(context.Background(), baken.Actor{UserID: "u", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
		regs, total, err := db.FindRegistrations(diemen, store.RegistrationFilter{})
		if err != nil || total != 1 || regs[0].Gemeente != "GM0384" {
			t.Errorf("Diemen analyst sees %d (%v)", total, err)
		}
		regs, total, _ = db.FindRegistrations(diemen, store.RegistrationFilter{Gemeenten: []string{"GM0363"}})
		if total != 0 || len(regs) != 0 {
			t.Errorf("asking for Amsterdam gives %d rows", total)
		}
		all, _, _ := db.FindRegistrations(SystemContext(), store.RegistrationFilter{})
		var amsterdamID baken.RegistrationID
		for _, r := range all {
			if r.Gemeente == "GM0363" {
				amsterdamID = r.ID
			}
		}
		if _, err := db.FindRegistration(diemen, amsterdamID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("other municipality's registration: err = %v, want not found", err)
		}
		if _, err := db.ImportChunk(diemen, store.ImportChunk{Source: "politie", Rows: []baken.Registration{other}}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("importing another municipality's row: err = %v, want forbidden", err)
		}
		councillor := baken.WithActor(context.Background(), baken.Actor{UserID: "r", Roles: []baken.Role{baken.RoleCouncillor}, Gemeenten: []string{"GM0384"}})
		if _, err := db.ImportChunk(councillor, store.ImportChunk{Source: "politie", Rows: []baken.Registration{Reg("q", 1)}}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("raadslid import: err = %v, want forbidden", err)
		}
	}},
	{"FilterAndPage", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		var rows []baken.Registration
		for i := range 10 {
			r := Reg(fmt.Sprint("k", i), i)
			if i%2 == 1 {
				r.Category = "zwerfvuil"
			}
			rows = append(rows, r)
		}
		importRows(t, db, ctx, "boa", rows...)
		page, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{Categories: []string{"zwerfvuil"}, Limit: 2, Offset: 2, Newest: true})
		if err != nil {
			t.Fatal(err)
		}
		if total != 5 || len(page) != 2 || !page[0].OccurredAt.After(page[1].OccurredAt) {
			t.Errorf("page = %d rows of %d", len(page), total)
		}
		_, total, _ = db.FindRegistrations(ctx, store.RegistrationFilter{From: "2024-03-03", To: "2024-03-05"})
		if total != 3 {
			t.Errorf("3-5 March: %d, want 3", total)
		}
	}},
	{"DeleteUpdatesRollups", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		importRows(t, db, ctx, "boa", Reg("a", 1), Reg("b", 1))
		regs, _, _ := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err := db.DeleteRegistration(ctx, regs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteRegistration(ctx, regs[0].ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("second delete: err = %v, want not found", err)
		}
		checkRollups(t, db)
		if err := db.DeleteRegistration(ctx, regs[1].ID); err != nil {
			t.Fatal(err)
		}
		checkRollups(t, db)
	}},
}
