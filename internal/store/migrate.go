package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
)

var migrationName = regexp.MustCompile(`^[0-9]{3}_[a-z0-9_]+\.sql$`)

// MigrationNames lists a dialect's migration files in the order they apply. It fails on a
// file whose name is not NNN_name.sql, so a misnamed file cannot be silently skipped.
func MigrationNames(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if !migrationName.MatchString(e.Name()) {
			return nil, fmt.Errorf("migration %q: name must be NNN_name.sql", e.Name())
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names, nil
}

// Migrate applies the migrations not applied yet, each in its own transaction, and records
// them. Migrations are forward-only: a recorded migration is never run again.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	names, err := MigrationNames(db.dialect.Migrations)
	if err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []string
	for _, name := range names {
		done, err := db.applyMigration(ctx, name)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, name)
			db.logger.Info("migration applied", "name", name, "dialect", db.dialect.Name)
		}
	}
	return applied, nil
}

func (db *DB) applyMigration(ctx context.Context, name string) (bool, error) {
	body, err := fs.ReadFile(db.dialect.Migrations, path.Clean(name))
	if err != nil {
		return false, fmt.Errorf("read migration %s: %w", name, err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %s: begin: %w", name, err)
	}
	defer tx.Rollback()
	if db.dialect.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.MigrationLock); err != nil {
			return false, fmt.Errorf("migration %s: lock: %w", name, err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
		return false, fmt.Errorf("migration %s: check: %w", name, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`),
		name, Time{db.now()}); err != nil {
		return false, fmt.Errorf("migration %s: record: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return true, nil
}

// AppliedMigrations lists the recorded migrations.
func (db *DB) AppliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list migrations: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
