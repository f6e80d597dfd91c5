package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"baken/internal/baken"
)

const importBatchColumns = `id, kind, source, file_name, file_hash, status, lines_done, rows_read, stored, updated,
	unchanged, outside, rejected, started_by, started_at, finished_at, heartbeat_at, note`

func scanImportBatch(s interface{ Scan(...any) error }, b *ImportBatch) error {
	return s.Scan(&b.ID, &b.Kind, &b.Source, &b.FileName, &b.FileHash, &b.Status, &b.LinesDone, &b.Read, &b.Stored, &b.Updated,
		&b.Unchanged, &b.Outside, &b.Rejected, &b.StartedBy, &b.StartedAt, &b.FinishedAt, &b.HeartbeatAt, &b.Note)
}

// batchScope limits import batches to what the actor may read: a beheerder and the
// system read every run, other importers their own; others none.
func batchScope(a baken.Actor) (string, []any, error) {
	if !mayImport(a) {
		return "", nil, &baken.Error{Kind: baken.Forbidden, Message: "this role may not import"}
	}
	if a.HasRole(baken.RoleSystem) || a.HasRole(baken.RoleAdmin) {
		return "", nil, nil
	}
	return "started_by = ?", []any{a.UserID}, nil
}

// FindImportBatch returns one import run with its progress. Importers may call it for
// their own runs, a beheerder for any; another's run is NotFound, and roles that may not
// import get Forbidden.
func (db *DB) FindImportBatch(ctx context.Context, id string) (ImportBatch, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return ImportBatch{}, err
	}
	defer tx.Rollback()
	scope, args, err := batchScope(tx.actor)
	if err != nil {
		return ImportBatch{}, err
	}
	where := "id = ?"
	if scope != "" {
		where += " AND " + scope
	}
	var b ImportBatch
	err = scanImportBatch(tx.QueryRow(ctx, `SELECT `+importBatchColumns+` FROM import_batches WHERE `+where, append([]any{id}, args...)...), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return b, &baken.Error{Kind: baken.NotFound, Message: "no such import"}
	}
	if err != nil {
		return b, fmt.Errorf("find import batch: %w", err)
	}
	return b, nil
}

// ImportBatchFilter selects import runs.
type ImportBatchFilter struct {
	FileName *string
	Limit    int // 0: all
}

// FindImportBatches returns the import runs the actor may read (see FindImportBatch)
// that match f, newest first, and how many match in all.
func (db *DB) FindImportBatches(ctx context.Context, f ImportBatchFilter) ([]ImportBatch, int, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	scope, args, err := batchScope(tx.actor)
	if err != nil {
		return nil, 0, err
	}
	conds := []string{"1 = 1"}
	if scope != "" {
		conds = append(conds, scope)
	}
	if f.FileName != nil {
		conds = append(conds, "file_name = ?")
		args = append(args, *f.FileName)
	}
	where := strings.Join(conds, " AND ")
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM import_batches WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count import batches: %w", err)
	}
	q := `SELECT ` + importBatchColumns + ` FROM import_batches WHERE ` + where + ` ORDER BY started_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find import batches: %w", err)
	}
	defer rows.Close()
	var out []ImportBatch
	for rows.Next() {
		var b ImportBatch
		if err := scanImportBatch(rows, &b); err != nil {
			return nil, 0, fmt.Errorf("find import batches: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find import batches: %w", err)
	}
	return out, total, nil
}

// ImportLease is how long a running import may go without a sign of life before it
// counts as interrupted. The heartbeat is renewed by every committed chunk (5,000 rows
// by default, seconds apart) and at the start; the lease is generous so that a slow
// chunk, a resumed run re-reading the lines it already stored, or clocks a little apart
// (a chunk's heartbeat comes from the database server's clock) do not make a live import
// look dead. Should it happen anyway, the run's next chunk marks it running again.
const ImportLease = 2 * time.Minute

// InterruptStaleImportBatches marks as interrupted every running import whose last sign
// of life (heartbeat_at, or started_at for a run without one) is older than lease: its
// process stopped (a restart, a crash, kill -9) before it could record the end. The run
// gets the time in FinishedAt and, in Note, that importing the same file again resumes
// it. It returns the runs it marked. A run whose process is alive renews its lease with
// every chunk and is left alone, so `baken serve` may call this at any time, also while
// a command-line import runs. Only the system actor may call it; others get Forbidden.
func (db *DB) InterruptStaleImportBatches(ctx context.Context, lease time.Duration) ([]ImportBatch, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if !tx.actor.HasRole(baken.RoleSystem) {
		return nil, &baken.Error{Kind: baken.Forbidden, Message: "only the system marks imports interrupted"}
	}
	rows, err := tx.Query(ctx, `SELECT `+importBatchColumns+` FROM import_batches WHERE status = 'running' ORDER BY started_at, id`)
	if err != nil {
		return nil, fmt.Errorf("find running imports: %w", err)
	}
	var running []ImportBatch
	for rows.Next() {
		var b ImportBatch
		if err := scanImportBatch(rows, &b); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find running imports: %w", err)
		}
		running = append(running, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find running imports: %w", err)
	}
	cutoff := tx.now.Add(-lease)
	var out []ImportBatch
	for _, b := range running {
		last := b.StartedAt.Time
		if b.HeartbeatAt.Valid {
			last = b.HeartbeatAt.Time
		}
		if !last.Before(cutoff) {
			continue
		}
		note := fmt.Sprintf("interrupted: no progress since %s; import the same file again to resume after line %d",
			last.UTC().Format(time.RFC3339), b.LinesDone)
		// Unchanged progress: a chunk committed meanwhile (PostgreSQL) keeps it running.
		res, err := tx.Exec(ctx, `UPDATE import_batches SET status = 'interrupted', finished_at = ?, note = ?
			WHERE id = ? AND status = 'running' AND lines_done = ? AND rows_read = ?`,
			db.timeArg(tx.now), note, b.ID, b.LinesDone, b.Read)
		if err != nil {
			return nil, fmt.Errorf("mark import %s interrupted: %w", b.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("mark import %s interrupted: %w", b.ID, err)
		} else if n == 0 {
			continue
		}
		b.Status, b.FinishedAt, b.Note = "interrupted", NullTime{Time: tx.now, Valid: true}, note
		out = append(out, b)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("mark imports interrupted: %w", err)
	}
	return out, nil
}
