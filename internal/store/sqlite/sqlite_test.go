package sqlite_test

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"strings"
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

var update = flag.Bool("update", false, "rewrite the schema dump")

// The committed schema dump (docs/schema-sqlite.sql) is what the migrations make.
func TestSchemaDump(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := store.New(db, db, sqlite.Dialect(), store.Options{})
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("-- The SQLite schema after all migrations. Generated: go test ./internal/store/sqlite -run SchemaDump -update\n\n")
	for rows.Next() {
		var stmt string
		if err := rows.Scan(&stmt); err != nil {
			t.Fatal(err)
		}
		b.WriteString(stmt + ";\n\n")
	}
	path := filepath.Join("..", "..", "..", "docs", "schema-sqlite.sql")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != b.String() {
		t.Errorf("%s is not what the migrations make: run go test ./internal/store/sqlite -run SchemaDump -update", path)
	}
}
