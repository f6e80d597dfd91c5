package store

import (
	"context"
	"time"

	"baken/internal/baken"
)

// ImportChunks stores a stream of chunks as ImportChunk does, each in its own
// transaction, committed in the stream's order: next returns the chunks until it
// returns false; stored is called after each commit, in order, and its error stops the
// stream. The rows of a chunk must not be reused while the stream runs.
//
// It is faster than a loop of ImportChunk in two ways. While the previous chunk's keys
// were all new, it guesses that the next chunk's are too (a file adds its new rows
// together) and inserts that chunk without looking its keys up: the unique index on the
// source keys checks the guess during the insert, and a chunk that meets a stored key is
// rolled back and stored again with the lookups, so the outcome is the same. And where
// the engine takes concurrent writers (PostgreSQL), such a chunk's registrations are
// written on a second connection while the previous chunk's rollups are updated, so
// that the server works on two cores. A chunk commits only after the one before it, so
// the progress recorded with it still says that every line before it is stored.
func (db *DB) ImportChunks(ctx context.Context, next func() (ImportChunk, bool), stored func(ImportChunk, ChunkResult) error) error {
	// A chunk whose registrations are written finishes (rollups, progress, commit) in
	// the background while the next chunk is read and written.
	var finishing *chunkTx
	var finished chan struct{}
	var finishRes ChunkResult
	var finishErr error
	wait := func() error {
		if finishing == nil {
			return nil
		}
		<-finished
		ct := finishing
		finishing = nil
		ct.rollback()
		if finishErr != nil {
			return finishErr
		}
		return stored(ct.c, finishRes)
	}
	defer wait()
	expectNew := true
	cells := db.newCellGuess()
	for {
		c, ok := next()
		if !ok {
			break
		}
		if !expectNew || !db.dialect.ConcurrentWrites {
			if err := wait(); err != nil {
				return err
			}
			res, found, err := db.importChunkGuessing(ctx, c, expectNew, cells)
			if err != nil {
				return err
			}
			expectNew = !found
			if err := stored(c, res); err != nil {
				return err
			}
			continue
		}
		given := saveGiven(c.Rows)
		ct, err := db.beginChunk(ctx, c, true, cells)
		if werr := wait(); werr != nil {
			if ct != nil {
				ct.rollback()
			}
			return werr
		}
		if err != nil {
			if !baken.IsKind(err, baken.Conflict) {
				return err
			}
			// A key is stored: store the chunk with the lookups, now that the previous
			// chunk has committed.
			given.restore(c.Rows)
			res, _, err := db.importChunk(ctx, c, cells)
			if err != nil {
				return err
			}
			expectNew = false
			if err := stored(c, res); err != nil {
				return err
			}
			continue
		}
		done := make(chan struct{})
		finishing, finished = ct, done
		go func() {
			defer close(done)
			finishRes, finishErr = ct.finish(ctx)
		}()
	}
	return wait()
}

// importChunkGuessing stores c in one transaction, first without lookups when expectNew,
// and says whether any key was stored already.
func (db *DB) importChunkGuessing(ctx context.Context, c ImportChunk, expectNew bool, cells *cellGuess) (ChunkResult, bool, error) {
	if !expectNew {
		return db.importChunk(ctx, c, cells)
	}
	given := saveGiven(c.Rows)
	ct, err := db.beginChunk(ctx, c, true, cells)
	if err == nil {
		defer ct.rollback()
		res, err := ct.finish(ctx)
		return res, false, err
	}
	if !baken.IsKind(err, baken.Conflict) {
		return ChunkResult{}, false, err
	}
	given.restore(c.Rows)
	return db.importChunk(ctx, c, cells)
}

// givenFields are what storing a chunk fills in on its rows; a second attempt starts
// from the rows as given.
type givenFields []struct {
	id      baken.RegistrationID
	version int
	created time.Time
}

func saveGiven(rows []baken.Registration) givenFields {
	g := make(givenFields, len(rows))
	for i := range rows {
		g[i].id, g[i].version, g[i].created = rows[i].ID, rows[i].Version, rows[i].CreatedAt
	}
	return g
}

func (g givenFields) restore(rows []baken.Registration) {
	for i := range rows {
		rows[i].ID, rows[i].Version, rows[i].CreatedAt = g[i].id, g[i].version, g[i].created
	}
}
