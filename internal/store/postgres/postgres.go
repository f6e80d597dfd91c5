// Package postgres opens Baken's production store on PostgreSQL through pgx. It holds
// only what differs from SQLite: the pool, error mapping, bulk loading with COPY and the
// migration files.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"baken/internal/baken"
	"baken/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the PostgreSQL migration files.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// Open connects to the database at url (postgres://...) and applies pending migrations.
func Open(ctx context.Context, url string, opts store.Options) (*store.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, &baken.Error{Kind: baken.Invalid, Field: "db", Message: "not a valid PostgreSQL URL", Err: err}
	}
	// Times are exchanged in UTC whatever the server's setting.
	cfg.RuntimeParams["timezone"] = "UTC"
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(16)
	sqldb.SetMaxIdleConns(16)
	db := store.New(sqldb, sqldb, Dialect(), opts)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// Dialect describes PostgreSQL to the store.
func Dialect() store.Dialect {
	return store.Dialect{
		Name:                 "postgres",
		Migrations:           Migrations(),
		NumberedPlaceholders: true,
		MigrationLock:        "SELECT pg_advisory_xact_lock(4242424242)",
		SourceLock:           "SELECT pg_advisory_xact_lock(hashtext(?))",
		Analyze:              "ANALYZE registrations, rollups",
		AnalyzeKeys:          "ANALYZE (SKIP_LOCKED) registrations (source, source_key)", // skips a table autovacuum holds
		ArrayParams:          true,
		ConcurrentWrites:     true,
		UpsertBatch:          1000,
		MapError:             mapError,
		BulkInsert:           bulkInsert,
	}
}

func mapError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return &baken.Error{Kind: baken.Conflict, Message: "already exists", Err: err}
	case "23502", "23503", "23514", "22P02", "22001":
		return &baken.Error{Kind: baken.Invalid, Message: "violates a constraint", Err: err}
	}
	return err
}

// bulkInsert streams rows with COPY on the transaction's own connection.
func bulkInsert(ctx context.Context, conn *sql.Conn, table string, columns []string, next func() ([]any, bool)) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk insert: unexpected driver connection %T", dc)
		}
		src := pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := next()
			if !ok {
				return nil, nil
			}
			return row, nil
		})
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, mapError(err))
		}
		return nil
	})
}
