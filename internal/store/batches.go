package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"baken/internal/baken"
)

const importBatchColumns = `id, kind, source, file_name, file_hash, status, lines_done, rows_read, stored, updated,
	unchanged, outside, rejected, started_by, started_at, finished_at`

func scanImportBatch(s interface{ Scan(...any) error }, b *ImportBatch) error {
	return s.Scan(&b.ID, &b.Kind, &b.Source, &b.FileName, &b.FileHash, &b.Status, &b.LinesDone, &b.Read, &b.Stored, &b.Updated,
		&b.Unchanged, &b.Outside, &b.Rejected, &b.StartedBy, &b.StartedAt, &b.FinishedAt)
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
