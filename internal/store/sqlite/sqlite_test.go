package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/store/storetest"
)

func open(tb testing.TB, opts store.Options) *store.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "baken.db"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
