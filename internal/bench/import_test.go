package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"baken/internal/baken"
	"baken/internal/store"
	"baken/internal/store/sqlite"
)

// The plain load is an honest ceiling only if it writes the rows the import stores: the
// same values where the import's own (ids, hashes) could not be known beforehand, and
// the same widths where they could not.
func TestPlainRowsAreTheStoredRows(t *testing.T) {
	const n = 2000
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := Import(ctx, db, n, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	sys := baken.WithActor(ctx, baken.System("test"))
	var gen func(int, *baken.Registration)
	seen := 0
	err = db.EachRegistration(sys, store.RegistrationFilter{Outside: true}, func(s *baken.Registration) error {
		if gen == nil {
			if gen, err = storedRows(n, s.Source, res.Summary.BatchID); err != nil {
				return err
			}
		}
		var i int
		if _, err := fmt.Sscanf(s.SourceKey, "B%d", &i); err != nil {
			return err
		}
		var p baken.Registration
		gen(i, &p)
		same := func(what string, a, b any) {
			if a != b {
				t.Errorf("row %d: %s stored %v, plain %v", i, what, a, b)
			}
		}
		same("source", s.Source, p.Source)
		same("batch", s.BatchID, p.BatchID)
		same("gemeente", s.Gemeente, p.Gemeente)
		same("wijk", s.Wijk, p.Wijk)
		same("buurt", s.Buurt, p.Buurt)
		same("area year", s.AreaYear, p.AreaYear)
		same("outside", s.Outside, p.Outside)
		same("category", s.Category, p.Category)
		same("description", s.Description, p.Description)
		same("source id", s.SourceID, p.SourceID)
		same("has x", s.X != nil, p.X != nil)
		same("id width", len(s.ID), len(p.ID))
		same("hash width", len(s.ContentHash), len(p.ContentHash))
		same("day width", len(s.LocalDay), len(p.LocalDay))
		seen++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != n {
		t.Errorf("compared %d rows, want %d", seen, n)
	}
}
