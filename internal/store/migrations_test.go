package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/store"
	"baken/internal/store/postgres"
	"baken/internal/store/sqlite"
)

// Both dialects must have the same migrations under the same names, so that a schema
// change is never made for one engine only.
func TestMigrationNamesMatch(t *testing.T) {
	lite, err := store.MigrationNames(sqlite.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.MigrationNames(postgres.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration names differ (-sqlite +postgres):\n%s", diff)
	}
}
