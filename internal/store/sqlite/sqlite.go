// Package sqlite opens Baken's embedded store: a single SQLite file through the pure-Go
// modernc driver (no cgo, nothing to install). It holds only what differs from
// PostgreSQL: the DSN and pragmas, error mapping and the migration files.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"baken/internal/baken"
	"baken/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the SQLite migration files.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// pragmas apply to every connection: WAL lets readers run beside the single writer,
// busy_timeout waits for the write lock instead of failing, NORMAL sync is safe in WAL.
// The writer copies the WAL into the database once it holds 10,000 pages (40 MiB)
// rather than SQLite's 1,000: an import commits every 10,000 rows, and pages that
// consecutive chunks change (the indexes' last leaves, the rollups of a day) are then
// copied once instead of after every chunk (1 million rows: 17.4-18.7 s instead of
// 18.5-19.1 s, docs/BENCHMARKS.md).
var pragmas = []string{
	"busy_timeout(15000)",
	"journal_mode(WAL)",
	"synchronous(NORMAL)",
	"foreign_keys(1)",
	"cache_size(-65536)",
	"temp_store(MEMORY)",
	"wal_autocheckpoint(10000)",
}

func dsn(path string, write bool) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if write {
		// Take the write lock at BEGIN, so that two writers queue on busy_timeout
		// instead of one failing when it upgrades a read lock.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the SQLite database at path and applies pending
// migrations.
func Open(ctx context.Context, path string, opts store.Options) (*store.DB, error) {
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queue in Go, not on the lock
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	db := store.New(w, r, Dialect(), opts)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Dialect describes SQLite to the store.
func Dialect() store.Dialect {
	return store.Dialect{
		Name:       "sqlite",
		Migrations: Migrations(),
		InsertNew:  "INSERT OR IGNORE INTO",
		MapError:   mapError,
	}
}

func mapError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &baken.Error{Kind: baken.Conflict, Message: "already exists", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &baken.Error{Kind: baken.Invalid, Message: "violates a constraint", Err: err}
	}
	return err
}
