package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"baken/internal/baken"
)

// RegistrationFilter selects registrations; empty fields do not filter. Days are local
// calendar days (YYYY-MM-DD), both ends inclusive.
type RegistrationFilter struct {
	Gemeenten  []string
	From, To   string
	Categories []string
	Sources    []string
	Wijk       string
	Buurt      string
	// Outside includes registrations outside every loaded area (gemeente ""); only an
	// actor who may see every municipality sees them.
	Outside bool
	Limit   int // 0: no limit
	Offset  int
	// Newest orders by occurrence, newest first; otherwise oldest first.
	Newest bool
	// ByCategory orders by category code first (in the database's collation), and
	// within a category by occurrence as Newest says, so that a page lists one
	// category's registrations together.
	ByCategory bool
}

// visibleGemeenten narrows the filter's municipalities to those the actor may see.
// It returns nil, false when nothing remains.
func visibleGemeenten(a baken.Actor, want []string, outside bool) ([]string, bool) {
	if a.AllGemeenten {
		if outside && len(want) > 0 {
			want = append(slices.Clone(want), "")
		}
		return want, true
	}
	var out []string
	if len(want) == 0 {
		out = slices.Clone(a.Gemeenten)
	} else {
		for _, g := range want {
			if a.MaySee(g) {
				out = append(out, g)
			}
		}
	}
	return out, len(out) > 0
}

func in(col string, n int) string {
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

func appendStrings(args []any, ss []string) []any {
	for _, s := range ss {
		args = append(args, s)
	}
	return args
}

func (f RegistrationFilter) where(a baken.Actor) (string, []any, bool) {
	gms, ok := visibleGemeenten(a, f.Gemeenten, f.Outside)
	if !ok {
		return "", nil, false
	}
	var conds []string
	var args []any
	if len(gms) > 0 {
		conds, args = append(conds, in("gemeente", len(gms))), appendStrings(args, gms)
	} else if !f.Outside {
		conds = append(conds, "gemeente <> ''")
	}
	if f.From != "" {
		conds, args = append(conds, "local_day >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "local_day <= ?"), append(args, f.To)
	}
	if len(f.Categories) > 0 {
		conds, args = append(conds, in("category", len(f.Categories))), appendStrings(args, f.Categories)
	}
	if len(f.Sources) > 0 {
		conds, args = append(conds, in("source", len(f.Sources))), appendStrings(args, f.Sources)
	}
	if f.Wijk != "" {
		conds, args = append(conds, "wijk = ?"), append(args, f.Wijk)
	}
	if f.Buurt != "" {
		conds, args = append(conds, "buurt = ?"), append(args, f.Buurt)
	}
	if len(conds) == 0 {
		return "", args, true
	}
	return " WHERE " + strings.Join(conds, " AND "), args, true
}

// FindRegistrations returns a page of the registrations matching f and the total that
// match. The actor sees only the municipalities it may see.
func (db *DB) FindRegistrations(ctx context.Context, f RegistrationFilter) ([]baken.Registration, int, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args, ok := f.where(tx.actor)
	if !ok {
		return nil, 0, nil
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM registrations`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count registrations: %w", err)
	}
	var out []baken.Registration
	err = tx.eachRegistration(ctx, where, args, f, func(r *baken.Registration) error {
		out = append(out, *r)
		return nil
	})
	return out, total, err
}

// EachRegistration calls fn for every registration matching f, streaming, in order of
// occurrence (or by category: see RegistrationFilter.ByCategory). The actor sees only
// the municipalities it may see.
func (db *DB) EachRegistration(ctx context.Context, f RegistrationFilter, fn func(*baken.Registration) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	where, args, ok := f.where(tx.actor)
	if !ok {
		return nil
	}
	return tx.eachRegistration(ctx, where, args, f, fn)
}

func (tx *Tx) eachRegistration(ctx context.Context, where string, args []any, f RegistrationFilter, fn func(*baken.Registration) error) error {
	q := registrationSelect + where
	if f.ByCategory {
		q += " ORDER BY category,"
	} else {
		q += " ORDER BY"
	}
	if f.Newest {
		q += " occurred_at DESC, id DESC"
	} else {
		q += " occurred_at, id"
	}
	if f.Limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("find registrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return fmt.Errorf("find registrations: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find registrations: %w", err)
	}
	return nil
}

// FindRegistration returns one registration. What the actor may not see is NotFound.
func (db *DB) FindRegistration(ctx context.Context, id baken.RegistrationID) (baken.Registration, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return baken.Registration{}, err
	}
	defer tx.Rollback()
	return tx.findVisibleRegistration(ctx, id)
}

// findVisibleRegistration returns the registration with id if the actor may see its
// municipality; otherwise, or when there is none, it returns NotFound.
func (tx *Tx) findVisibleRegistration(ctx context.Context, id baken.RegistrationID) (baken.Registration, error) {
	notFound := &baken.Error{Kind: baken.NotFound, Message: fmt.Sprintf("registration %s not found", id)}
	q := registrationSelect + ` WHERE id = ?`
	args := []any{string(id)}
	if !tx.actor.AllGemeenten {
		if len(tx.actor.Gemeenten) == 0 {
			return baken.Registration{}, notFound
		}
		q += " AND " + in("gemeente", len(tx.actor.Gemeenten))
		args = appendStrings(args, tx.actor.Gemeenten)
	}
	r, err := scanRegistration(tx.QueryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound
	}
	if err != nil {
		return r, fmt.Errorf("find registration %s: %w", id, err)
	}
	return r, nil
}

// DeleteRegistration removes a registration and its count from the rollups; its history
// stays. The actor must be allowed to import for the registration's municipality.
func (db *DB) DeleteRegistration(ctx context.Context, id baken.RegistrationID) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The read, the delete and the rollups share one transaction, so that an import
	// cannot change the row's cell between them.
	r, err := tx.findVisibleRegistration(ctx, id)
	if err != nil {
		return err
	}
	if !mayImport(tx.actor) {
		return &baken.Error{Kind: baken.Forbidden, Message: "this role may not delete registrations"}
	}
	// The history and the rollups follow the row as deleted: under PostgreSQL's read
	// committed an import may still have changed it since the read above.
	deleted, err := scanRegistration(tx.QueryRow(ctx, `DELETE FROM registrations WHERE gemeente = ? AND id = ? RETURNING `+
		strings.Join(registrationColumns, ", "), r.Gemeente, string(r.ID)))
	if errors.Is(err, sql.ErrNoRows) {
		return &baken.Error{Kind: baken.NotFound, Message: fmt.Sprintf("registration %s not found", id)}
	}
	if err != nil {
		return fmt.Errorf("delete registration %s: %w", id, tx.db.dialect.MapError(err))
	}
	if err := tx.recordHistory(ctx, &deleted); err != nil {
		return err
	}
	if err := tx.applyRollups(ctx, rollupDelta{rollupKeyOf(&deleted): -1}, nil); err != nil {
		return err
	}
	return tx.Commit()
}

// RegistrationHistory returns the earlier versions of a registration as stored JSON,
// oldest first. The registration's history follows it across municipalities: an
// earlier version is returned only if the actor may see the municipality it was in.
func (db *DB) RegistrationHistory(ctx context.Context, id baken.RegistrationID) ([]string, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.findVisibleRegistration(ctx, id); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT gemeente, body FROM registration_history WHERE id = ? ORDER BY version`, string(id))
	if err != nil {
		return nil, fmt.Errorf("registration history of %s: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var gm, b string
		if err := rows.Scan(&gm, &b); err != nil {
			return nil, fmt.Errorf("registration history of %s: %w", id, err)
		}
		if !tx.actor.MaySee(gm) {
			continue
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registration history of %s: %w", id, err)
	}
	return out, nil
}

// CheckRollups recounts the registrations, adds the police open-data counts and compares
// the result with the daily and the monthly rollups. It returns the cells that differ (empty when consistent);
// only the system or a beheerder may run it, since it reads every municipality.
func (db *DB) CheckRollups(ctx context.Context) ([]string, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := requireWriter(tx); err != nil {
		return nil, err
	}
	counts := map[rollupKey]int{}
	rows, err := tx.Query(ctx, `SELECT gemeente, category, local_day, CASE WHEN precision = 'month' THEN 'month' ELSE 'day' END,
		wijk, buurt, source, COUNT(*) FROM registrations GROUP BY 1, 2, 3, 4, 5, 6, 7`)
	if err != nil {
		return nil, fmt.Errorf("recount: %w", err)
	}
	for rows.Next() {
		var k rollupKey
		var n int
		if err := rows.Scan(&k.gemeente, &k.category, &k.day, &k.precision, &k.wijk, &k.buurt, &k.source, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("recount: %w", err)
		}
		counts[k] = n
	}
	rows.Close()
	// Counts go into the rollups as they are; zero figures leave no rollup row.
	rows, err = tx.Query(ctx, `SELECT gemeente, category, day, precision, wijk, buurt, source, n FROM counts WHERE n <> 0`)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	for rows.Next() {
		var k rollupKey
		var n int
		if err := rows.Scan(&k.gemeente, &k.category, &k.day, &k.precision, &k.wijk, &k.buurt, &k.source, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read counts: %w", err)
		}
		counts[k] += n
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	monthly := map[rollupKey]int{}
	for k, n := range counts {
		k.day = k.day[:7]
		monthly[k] += n
	}
	diffs, err := tx.compareRollups(ctx, "rollups", "day", counts)
	if err != nil {
		return nil, err
	}
	more, err := tx.compareRollups(ctx, "rollups_monthly", "month", monthly)
	if err != nil {
		return nil, err
	}
	diffs = append(diffs, more...)
	slices.Sort(diffs)
	return diffs, nil
}

// compareRollups lists the cells of table that differ from want.
func (tx *Tx) compareRollups(ctx context.Context, table, periodCol string, want map[rollupKey]int) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT gemeente, category, `+periodCol+`, precision, wijk, buurt, source, n FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	var diffs []string
	seen := map[rollupKey]bool{}
	for rows.Next() {
		var k rollupKey
		var n int
		if err := rows.Scan(&k.gemeente, &k.category, &k.day, &k.precision, &k.wijk, &k.buurt, &k.source, &n); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		seen[k] = true
		if w := want[k]; w != n {
			diffs = append(diffs, fmt.Sprintf("%s %+v: %d, recount %d", table, k, n, w))
		}
	}
	for k, n := range want {
		if !seen[k] && n != 0 {
			diffs = append(diffs, fmt.Sprintf("%s %+v: missing, recount %d", table, k, n))
		}
	}
	return diffs, rows.Err()
}

// ImportBatch is one import run.
type ImportBatch struct {
	ID         string
	Kind       string // "registrations", "counts"
	Source     string
	FileName   string
	FileHash   string
	Status     string
	LinesDone  int
	Read       int
	Stored     int
	Updated    int
	Unchanged  int
	Outside    int
	Rejected   int
	StartedBy  string
	StartedAt  Time
	FinishedAt NullTime
	// HeartbeatAt is the last sign of life of the process running the import: its start
	// or its last committed chunk (see ImportLease).
	HeartbeatAt NullTime
	// Note says why a run is interrupted and how to resume it ("" otherwise).
	Note string
}

// StartImportBatch records the start of an import run; b.LinesDone is where it resumes
// an interrupted run (0 for a fresh one). Any actor that may import may call it.
func (db *DB) StartImportBatch(ctx context.Context, b ImportBatch) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if !mayImport(tx.actor) {
		return &baken.Error{Kind: baken.Forbidden, Message: "this role may not import"}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_batches (id, kind, source, file_name, file_hash, status, lines_done, started_by, started_at, heartbeat_at)
		VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`, b.ID, b.Kind, b.Source, b.FileName, b.FileHash, b.LinesDone, tx.actor.UserID,
		db.timeArg(tx.now), db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("start import batch: %w", err)
	}
	return tx.Commit()
}

// FinishImportBatch marks a run done or failed (also one marked interrupted meanwhile:
// its process was alive after all).
func (db *DB) FinishImportBatch(ctx context.Context, id, status string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `UPDATE import_batches SET status = ?, finished_at = ?, note = '' WHERE id = ?`, status, db.timeArg(tx.now), id); err != nil {
		return fmt.Errorf("finish import batch: %w", err)
	}
	return tx.Commit()
}

// LastImportBatch returns the latest run of a file (by content hash) for a source, or
// NotFound.
func (db *DB) LastImportBatch(ctx context.Context, fileHash, source string) (ImportBatch, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return ImportBatch{}, err
	}
	defer tx.Rollback()
	var b ImportBatch
	err = scanImportBatch(tx.QueryRow(ctx, `SELECT `+importBatchColumns+` FROM import_batches
		WHERE file_hash = ? AND source = ? ORDER BY started_at DESC, id DESC LIMIT 1`, fileHash, source), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return b, &baken.Error{Kind: baken.NotFound, Message: "no earlier import of this file"}
	}
	if err != nil {
		return b, fmt.Errorf("last import batch: %w", err)
	}
	return b, nil
}
