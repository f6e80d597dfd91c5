package store

import (
	"context"
	"fmt"

	"baken/internal/baken"
)

// cellGuess lets a stream of chunks (ImportChunks) write the rollup cells it expects to
// be new with a bulk insert instead of an upsert, which costs the server about half as
// much a cell. A file lists its rows by time as a rule, so a chunk's cells of a later
// day (or month) than any the stream wrote before are new; those of that latest day are
// shared with the chunk before and are upserted. The rollups' primary key checks the
// guess: a bulk insert that meets a stored cell is rolled back to a savepoint, the cells
// are upserted instead, and the stream stops guessing for that table. The chunks'
// finishing steps use it one after the other, never at once.
type cellGuess struct {
	daily, monthly periodGuess
}

// periodGuess is the guess for one rollup table.
type periodGuess struct {
	on     bool
	latest string // the latest period the stream wrote ("" before the first chunk)
}

// newCellGuess guesses only where the engine has a bulk insert.
func (db *DB) newCellGuess() *cellGuess {
	on := db.dialect.BulkInsert != nil
	return &cellGuess{daily: periodGuess{on: on}, monthly: periodGuess{on: on}}
}

// fresh returns the cells of d guessed new: positive counts of a period later than any
// written before. It records d's latest period.
func (g *periodGuess) fresh(d rollupDelta) []rollupKey {
	var fresh []rollupKey
	latest := g.latest
	for k, n := range d {
		if n > 0 && k.day > g.latest {
			fresh = append(fresh, k)
		}
		latest = max(latest, k.day)
	}
	g.latest = latest
	return fresh
}

// minBulkCells is the fewest cells worth a bulk insert: below it, the savepoint and the
// COPY's round trips cost more than the upsert they spare.
const minBulkCells = 64

// writeRollups adds d to table as upsertRollups does, writing the cells g guesses new
// with the engine's bulk insert. g may be nil.
func (tx *Tx) writeRollups(ctx context.Context, table, periodCol string, d rollupDelta, g *periodGuess) error {
	if g == nil || !g.on {
		return tx.upsertRollups(ctx, table, periodCol, d)
	}
	fresh := g.fresh(d)
	if len(fresh) < minBulkCells {
		return tx.upsertRollups(ctx, table, periodCol, d)
	}
	inserted, err := tx.insertCells(ctx, table, periodCol, fresh, d)
	if err != nil {
		return err
	}
	if !inserted {
		g.on = false
		return tx.upsertRollups(ctx, table, periodCol, d)
	}
	rest := make(rollupDelta, len(d)-len(fresh))
	for k, n := range d {
		rest[k] = n
	}
	for _, k := range fresh {
		delete(rest, k)
	}
	return tx.upsertRollups(ctx, table, periodCol, rest)
}

// insertCells bulk-inserts the cells keys with their counts in d, inside a savepoint. It
// says false, with the savepoint rolled back, when a cell was stored already.
func (tx *Tx) insertCells(ctx context.Context, table, periodCol string, keys []rollupKey, d rollupDelta) (bool, error) {
	if _, err := tx.Exec(ctx, `SAVEPOINT rollup_cells`); err != nil {
		return false, fmt.Errorf("update %s: %w", table, err)
	}
	i := 0
	next := func() ([]any, bool) {
		if i == len(keys) {
			return nil, false
		}
		k := keys[i]
		i++
		return []any{k.gemeente, k.category, k.day, k.precision, k.wijk, k.buurt, k.source, d[k]}, true
	}
	cols := []string{"gemeente", "category", periodCol, "precision", "wijk", "buurt", "source", "n"}
	err := tx.db.dialect.BulkInsert(ctx, tx.conn, table, cols, next)
	if err == nil {
		if _, err := tx.Exec(ctx, `RELEASE SAVEPOINT rollup_cells`); err != nil {
			return false, fmt.Errorf("update %s: %w", table, err)
		}
		return true, nil
	}
	if !baken.IsKind(err, baken.Conflict) {
		return false, fmt.Errorf("update %s: %w", table, err)
	}
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT rollup_cells`); err != nil {
		return false, fmt.Errorf("update %s: %w", table, err)
	}
	return false, nil
}
