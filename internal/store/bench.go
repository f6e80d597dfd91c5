package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"baken/internal/baken"
)

// PlainLoad is the ceiling an import is measured against: it creates a plain table with
// the registrations' columns and no keys or indexes, loads n rows from row into it as fast
// as the engine allows (PostgreSQL COPY; SQLite one transaction of multi-row INSERTs),
// and drops it again. It returns the time the load took. Only the system may call it.
func (db *DB) PlainLoad(ctx context.Context, n int, row func(i int, r *baken.Registration)) (time.Duration, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if !tx.actor.HasRole(baken.RoleSystem) {
		return 0, &baken.Error{Kind: baken.Forbidden, Message: "benchmarks run from the command line only"}
	}
	const table = "bench_plain"
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+table); err != nil {
		return 0, fmt.Errorf("plain load: %w", err)
	}
	// Same column types as registrations, no constraints.
	if _, err := tx.Exec(ctx, `CREATE TABLE `+table+` AS SELECT * FROM registrations WHERE 1 = 0`); err != nil {
		return 0, fmt.Errorf("plain load: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	defer func() {
		if tx, err := db.begin(ctx, true); err == nil {
			tx.Exec(ctx, `DROP TABLE IF EXISTS `+table)
			tx.Commit()
		}
	}()

	start := time.Now()
	tx, err = db.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var r baken.Registration
	i := 0
	next := func() ([]any, bool) {
		if i == n {
			return nil, false
		}
		row(i, &r)
		i++
		return db.registrationArgs(&r), true
	}
	if bulk := db.dialect.BulkInsert; bulk != nil {
		if err := bulk(ctx, tx.conn, table, registrationColumns, next); err != nil {
			return 0, fmt.Errorf("plain load: %w", err)
		}
	} else {
		// The same technique the import uses: statements prepared once, 50 rows each.
		const batch = 50
		cols := len(registrationColumns)
		head := `INSERT INTO ` + table + ` (` + strings.Join(registrationColumns, ", ") + `) VALUES `
		full := head + placeholders(batch, cols)
		args := make([]any, 0, batch*cols)
		flush := func(rows int) error {
			q := full
			if rows != batch {
				q = head + placeholders(rows, cols)
			}
			_, err := tx.ExecPrepared(ctx, q, args...)
			args = args[:0]
			return err
		}
		rows := 0
		for vals, ok := next(); ok; vals, ok = next() {
			args = append(args, vals...)
			if rows++; rows == batch {
				if err := flush(rows); err != nil {
					return 0, fmt.Errorf("plain load: %w", err)
				}
				rows = 0
			}
		}
		if rows > 0 {
			if err := flush(rows); err != nil {
				return 0, fmt.Errorf("plain load: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
