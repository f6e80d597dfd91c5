package storetest

import (
	"testing"

	"baken/internal/baken"
	"baken/internal/store"
)

var versionTests = []Test{
	{"DataVersionFollowsRollups", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		version := func() int64 {
			t.Helper()
			v, err := db.DataVersion(ctx, "GM0384")
			if err != nil {
				t.Fatalf("DataVersion: %v", err)
			}
			return v
		}
		changed := func(what string, f func()) {
			t.Helper()
			before := version()
			f()
			if after := version(); after == before {
				t.Errorf("%s: data version stayed %d, want a change", what, before)
			}
		}
		if v := version(); v != 0 {
			t.Errorf("empty store: data version %d, want 0", v)
		}
		a, b := Reg("A", 1), Reg("B", 2)
		changed("import", func() { importRows(t, db, ctx, "test", a, b) })

		before := version()
		if got := importRows(t, db, ctx, "test", a, b); got.Unchanged != 2 {
			t.Errorf("re-import = %+v, want 2 unchanged", got)
		}
		if after := version(); after != before {
			t.Errorf("no-op re-import: data version %d -> %d, want no change", before, after)
		}

		b2 := Reg("B", 3)
		b2.Category = "zwerfvuil"
		changed("update", func() {
			if got := importRows(t, db, ctx, "test", b2); got.Updated != 1 {
				t.Errorf("update = %+v, want 1 updated", got)
			}
		})

		regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err != nil || len(regs) == 0 {
			t.Fatalf("FindRegistrations: %d, %v", len(regs), err)
		}
		changed("delete", func() {
			if err := db.DeleteRegistration(ctx, regs[0].ID); err != nil {
				t.Fatal(err)
			}
		})

		m := baken.PrecisionMonth
		first := []baken.Count{Cnt("BU03840101", "woninginbraak", mar, m, 2)}
		changed("counts", func() { replaceCounts(t, db, ctx, store.CountsImport{Counts: first, Scope: scopes(first...)}) })
		revision := []baken.Count{Cnt("BU03840101", "woninginbraak", mar, m, 4)}
		changed("counts revision", func() { replaceCounts(t, db, ctx, store.CountsImport{Counts: revision, Scope: scopes(revision...)}) })
		before = version()
		replaceCounts(t, db, ctx, store.CountsImport{Counts: revision, Scope: scopes(revision...)})
		if after := version(); after != before {
			t.Errorf("same counts again: data version %d -> %d, want no change", before, after)
		}

		other, err := db.DataVersion(ctx, "GM0363")
		if err != nil || other != 0 {
			t.Errorf("another gemeente: data version %d, %v; want 0", other, err)
		}
		checkRollups(t, db)
	}},
}
