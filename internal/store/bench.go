package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"baken/internal/baken"
)

// PlainTable says what the table of a plain load has besides the registrations' columns.
type PlainTable int

const (
	// PlainKeyed is a copy of the registrations table: the same columns, primary key,
	// unique source key, indexes, defaults and checks. Loading into it is the ceiling an
	// import is measured against: it stores the same rows under the same integrity rules,
	// without parsing, checking, placing, keying or rollups.
	PlainKeyed PlainTable = iota
	// PlainHeap has the columns only, no keys or indexes: what the engine's storage alone
	// costs, shown beside the ceiling.
	PlainHeap
)

// PlainLoad creates a table as plain says, loads n rows from row into it as fast as the
// engine allows (PostgreSQL COPY; SQLite one transaction of multi-row INSERTs), and drops
// it again. It returns the time the load took. Only the system may call it.
func (db *DB) PlainLoad(ctx context.Context, plain PlainTable, n int, row func(i int, r *baken.Registration)) (time.Duration, error) {
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
	if err := tx.createPlain(ctx, table, plain); err != nil {
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
	// The rows are made on another goroutine, as the importer parses its file beside the
	// store's writing, so that the load is timed and not the making of its rows.
	batches := plainRows(n, row)
	defer batches.stop()
	var batch []baken.Registration
	j := 0
	next := func() ([]any, bool) {
		if j == len(batch) {
			if batch = batches.next(batch); batch == nil {
				return nil, false
			}
			j = 0
		}
		j++
		return db.registrationArgs(&batch[j-1]), true
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

// plainBatches hands out the rows of a plain load in batches made on another goroutine.
type plainBatches struct {
	full chan []baken.Registration
	free chan []baken.Registration
	done chan struct{}
}

func plainRows(n int, row func(i int, r *baken.Registration)) *plainBatches {
	const size, ahead = 1000, 4
	b := &plainBatches{
		full: make(chan []baken.Registration, ahead),
		free: make(chan []baken.Registration, ahead+1),
		done: make(chan struct{}),
	}
	for range ahead + 1 {
		b.free <- make([]baken.Registration, size)
	}
	go func() {
		defer close(b.full)
		for i := 0; i < n; {
			var batch []baken.Registration
			select {
			case batch = <-b.free:
			case <-b.done:
				return
			}
			batch = batch[:min(size, n-i)]
			for j := range batch {
				row(i, &batch[j])
				i++
			}
			select {
			case b.full <- batch:
			case <-b.done:
				return
			}
		}
	}()
	return b
}

// next returns the used batch for reuse and the next one, or nil after the last.
func (b *plainBatches) next(used []baken.Registration) []baken.Registration {
	if used != nil {
		b.free <- used[:cap(used)]
	}
	return <-b.full
}

// stop ends the maker early when the load fails.
func (b *plainBatches) stop() { close(b.done) }

// createPlain creates table with the registrations' columns and, for PlainKeyed, their
// keys and indexes: PostgreSQL copies them with LIKE; SQLite, which has no LIKE, runs the
// registrations' own CREATE TABLE and CREATE INDEX statements from its schema with the
// names changed (not its triggers, were it to get any: a plain load writes nothing else).
func (tx *Tx) createPlain(ctx context.Context, table string, plain PlainTable) error {
	const like = "registrations"
	if plain == PlainHeap {
		_, err := tx.Exec(ctx, `CREATE TABLE `+table+` AS SELECT * FROM `+like+` WHERE 1 = 0`)
		return err
	}
	if tx.db.dialect.Name == "postgres" {
		_, err := tx.Exec(ctx, `CREATE TABLE `+table+` (LIKE `+like+` INCLUDING ALL)`)
		return err
	}
	rows, err := tx.Query(ctx, `SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC`, like)
	if err != nil {
		return err
	}
	var stmts []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			rows.Close()
			return err
		}
		stmts = append(stmts, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(stmts) < 2 {
		return fmt.Errorf("the schema of %s has %d statements, want its table and indexes", like, len(stmts))
	}
	// "CREATE TABLE registrations", "INDEX registrations_x ON registrations (...)": every
	// occurrence of the name is the table's or an index's name.
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, strings.ReplaceAll(q, like, table)); err != nil {
			return err
		}
	}
	return nil
}
