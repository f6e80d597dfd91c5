package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
)

// CountScope is an area and a period that an import of counts covers completely: the
// stored counts of the same source and kind for it that the import does not carry are
// removed.
type CountScope struct {
	Gemeente, Wijk, Buurt string
	Day                   string
	Precision             baken.Precision
}

// ScopeOf returns the area and period of a count.
func ScopeOf(c baken.Count) CountScope {
	return CountScope{Gemeente: c.Gemeente, Wijk: c.Wijk, Buurt: c.Buurt, Day: c.Day, Precision: c.Precision}
}

// CountsImport is one committed step of an import of police open-data counts.
//
// The rule: within the source and the table's kind (misdrijven or overlast), every cell
// (category, area, period) of Counts takes its value; every stored cell of an area and
// period in Scope that neither Counts nor Unknown carries is removed; Unknown cells
// (published without a figure) keep what is stored. Replaced and removed values are kept
// in count_history with the batch that replaced them.
type CountsImport struct {
	BatchID string // "" for a batch of its own, not recorded in import_batches
	Source  string
	Table   string // 47018NED, 47022NED or 47024NED; gives the kind
	// Counts are the cells with a figure, zeros included.
	Counts []baken.Count
	// Unknown are the cells published without a figure (secret, "."); N is ignored.
	Unknown []baken.Count
	// Scope are the areas and periods the import covers completely. An importer leaves
	// out those of which a row could not be read, so that no figure is removed because of
	// a typing error. Rows of one scope must come in one call.
	Scope []CountScope
	// Progress of the batch after this step, recorded in the same transaction.
	Read     int
	Rejected int
}

// CountsResult says what a step did, in cells.
type CountsResult struct {
	Stored    int // new cells
	Replaced  int // cells whose figure changed (the old one is kept in history)
	Removed   int // stored cells of a covered area and period that the import no longer carries
	Unchanged int
}

// countCell is the key of a count within a source.
type countCell struct {
	gemeente, wijk, buurt, day, precision, category string
}

func cellOf(c *baken.Count) countCell {
	return countCell{c.Gemeente, c.Wijk, c.Buurt, c.Day, string(c.Precision), c.Category}
}

func (k countCell) scope() CountScope {
	return CountScope{Gemeente: k.gemeente, Wijk: k.wijk, Buurt: k.buurt, Day: k.day, Precision: baken.Precision(k.precision)}
}

func (k countCell) rollup(source string) rollupKey {
	return rollupKey{gemeente: k.gemeente, category: k.category, day: k.day, precision: k.precision, wijk: k.wijk, buurt: k.buurt, source: source}
}

// storedCount is a cell as stored.
type storedCount struct {
	kind      baken.CountKind
	table     string
	n         int
	batch     string
	retrieved time.Time
}

// ReplaceCounts stores a step of an import of police open-data counts in one
// transaction, by the rule of CountsImport, and changes the rollups by the difference in
// the same transaction, so that they stay recount(registrations) + counts. Importing the
// same figures again changes nothing. The actor must be the system, a beheerder or an
// analist, and may write only the municipalities it may see (else Forbidden). Invalid
// cells are Invalid; a source that registrations use, or a cell that the other kind
// holds, is a Conflict.
func (db *DB) ReplaceCounts(ctx context.Context, c CountsImport) (CountsResult, error) {
	var res CountsResult
	kind, err := baken.KindOfTable(c.Table)
	if err != nil {
		return res, err
	}
	table := strings.ToUpper(strings.TrimSpace(c.Table))
	if c.Source == "" {
		return res, baken.Errorf(baken.Invalid, "source", "missing")
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if !mayImport(tx.actor) {
		return res, &baken.Error{Kind: baken.Forbidden, Message: "this role may not import counts"}
	}
	batch := c.BatchID
	if batch == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return res, fmt.Errorf("batch id: %w", err)
		}
		batch = id.String()
	}

	incoming := make(map[countCell]int, len(c.Counts))
	unknown := map[countCell]bool{}
	scope := map[CountScope]bool{}
	pairs := map[CountScope]bool{}
	check := func(at string, ct *baken.Count) error {
		if err := ct.Validate(); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if !tx.actor.MaySee(ct.Gemeente) {
			return baken.Errorf(baken.Forbidden, "gemeente", "counts of %s may not be imported by this user", ct.Gemeente)
		}
		return nil
	}
	for i := range c.Counts {
		ct := &c.Counts[i]
		if err := check(fmt.Sprintf("counts[%d]", i), ct); err != nil {
			return res, err
		}
		k := cellOf(ct)
		if _, dup := incoming[k]; dup {
			return res, baken.Errorf(baken.Invalid, fmt.Sprintf("counts[%d]", i), "%s %s %s appears twice", ct.Category, ct.Area(), ct.Day)
		}
		incoming[k] = ct.N
		pairs[k.scope()] = true
	}
	for i := range c.Unknown {
		u := c.Unknown[i]
		u.N = 0
		if err := check(fmt.Sprintf("unknown[%d]", i), &u); err != nil {
			return res, err
		}
		k := cellOf(&u)
		if _, dup := incoming[k]; dup || unknown[k] {
			return res, baken.Errorf(baken.Invalid, fmt.Sprintf("unknown[%d]", i), "%s %s %s appears twice", u.Category, u.Area(), u.Day)
		}
		unknown[k] = true
		pairs[k.scope()] = true
	}
	for i, s := range c.Scope {
		probe := baken.Count{Gemeente: s.Gemeente, Wijk: s.Wijk, Buurt: s.Buurt, Day: s.Day, Precision: s.Precision, Category: "-"}
		if err := check(fmt.Sprintf("scope[%d]", i), &probe); err != nil {
			return res, err
		}
		scope[s] = true
		pairs[s] = true
	}

	if db.dialect.SourceLock != "" {
		// Serialise steps of one source, so that two imports cannot both insert a cell.
		if _, err := tx.Exec(ctx, db.dialect.SourceLock, c.Source); err != nil {
			return res, fmt.Errorf("lock source: %w", err)
		}
	}
	// Registrations and counts of one source would be counted twice in the rollups.
	var one int
	switch err := tx.QueryRow(ctx, `SELECT 1 FROM registrations WHERE source = ? LIMIT 1`, c.Source).Scan(&one); {
	case err == nil:
		return res, baken.Errorf(baken.Conflict, "source", "%q is a source of registrations: give counts a source of their own", c.Source)
	case !errors.Is(err, sql.ErrNoRows):
		return res, fmt.Errorf("check source: %w", err)
	}
	existing, err := tx.lookupCounts(ctx, c.Source, pairs)
	if err != nil {
		return res, err
	}

	delta := rollupDelta{}
	var upserts []countCell
	var history []countChange
	var removes []countCell
	for k, n := range incoming {
		old, ok := existing[k]
		switch {
		case !ok:
			upserts = append(upserts, k)
			delta[k.rollup(c.Source)] += n
			res.Stored++
		case old.kind != kind:
			return res, baken.Errorf(baken.Conflict, "category", "%s of %s in %s is already counted as %s (table %s)",
				k.category, k.scope().area(), k.day, old.kind, old.table)
		case old.n == n:
			res.Unchanged++
		default:
			newN := n
			history = append(history, countChange{cell: k, old: old, newN: &newN})
			upserts = append(upserts, k)
			delta[k.rollup(c.Source)] += n - old.n
			res.Replaced++
		}
	}
	for k, old := range existing {
		if _, ok := incoming[k]; ok || unknown[k] || old.kind != kind || !scope[k.scope()] {
			continue
		}
		history = append(history, countChange{cell: k, old: old})
		removes = append(removes, k)
		delta[k.rollup(c.Source)] -= old.n
		res.Removed++
	}
	if err := tx.recordCountHistory(ctx, c.Source, batch, history); err != nil {
		return res, err
	}
	if err := tx.deleteCounts(ctx, c.Source, removes); err != nil {
		return res, err
	}
	if err := tx.upsertCounts(ctx, c.Source, kind, table, batch, upserts, incoming); err != nil {
		return res, err
	}
	if err := tx.applyRollups(ctx, delta, nil); err != nil {
		return res, err
	}
	if c.BatchID != "" {
		// import_batches has no column for removals: they are changes, counted as updated.
		if _, err := tx.Exec(ctx, `UPDATE import_batches SET rows_read = ?, rejected = ?,
			stored = stored + ?, updated = updated + ?, unchanged = unchanged + ? WHERE id = ?`,
			c.Read, c.Rejected, res.Stored, res.Replaced+res.Removed, res.Unchanged, c.BatchID); err != nil {
			return res, fmt.Errorf("record progress: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return CountsResult{}, err
	}
	return res, nil
}

func (s CountScope) area() string {
	return baken.Count{Gemeente: s.Gemeente, Wijk: s.Wijk, Buurt: s.Buurt}.Area()
}

// lookupCounts returns the stored cells of source, of either kind, in the given areas
// and periods.
func (tx *Tx) lookupCounts(ctx context.Context, source string, pairs map[CountScope]bool) (map[countCell]storedCount, error) {
	keys := make([]CountScope, 0, len(pairs))
	for p := range pairs {
		keys = append(keys, p)
	}
	out := map[countCell]storedCount{}
	const batch = 400
	for start := 0; start < len(keys); start += batch {
		chunk := keys[start:min(start+batch, len(keys))]
		args := make([]any, 0, 1+len(chunk)*5)
		args = append(args, source)
		for _, p := range chunk {
			args = append(args, p.Gemeente, p.Day, string(p.Precision), p.Wijk, p.Buurt)
		}
		rows, err := tx.Query(ctx, `SELECT gemeente, day, precision, wijk, buurt, category, kind, table_ref, n, batch_id, retrieved_at
			FROM counts WHERE source = ? AND (gemeente, day, precision, wijk, buurt) IN (VALUES `+placeholders(len(chunk), 5)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("look up counts: %w", err)
		}
		for rows.Next() {
			var k countCell
			var s storedCount
			var retrieved Time
			if err := rows.Scan(&k.gemeente, &k.day, &k.precision, &k.wijk, &k.buurt, &k.category, &s.kind, &s.table, &s.n, &s.batch, &retrieved); err != nil {
				rows.Close()
				return nil, fmt.Errorf("look up counts: %w", err)
			}
			s.retrieved = retrieved.Time
			out[k] = s
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("look up counts: %w", err)
		}
	}
	return out, nil
}

func (tx *Tx) upsertCounts(ctx context.Context, source string, kind baken.CountKind, table, batchID string, cells []countCell, n map[countCell]int) error {
	const cols = 12
	const batch = 400
	now := tx.db.timeArg(tx.now)
	for start := 0; start < len(cells); start += batch {
		chunk := cells[start:min(start+batch, len(cells))]
		args := make([]any, 0, len(chunk)*cols)
		for _, k := range chunk {
			args = append(args, k.gemeente, source, k.day, k.precision, k.wijk, k.buurt, k.category, string(kind), table, n[k], batchID, now)
		}
		q := `INSERT INTO counts (gemeente, source, day, precision, wijk, buurt, category, kind, table_ref, n, batch_id, retrieved_at)
			VALUES ` + placeholders(len(chunk), cols) + `
			ON CONFLICT (gemeente, source, day, precision, wijk, buurt, category) DO UPDATE SET kind = excluded.kind,
			table_ref = excluded.table_ref, n = excluded.n, batch_id = excluded.batch_id, retrieved_at = excluded.retrieved_at`
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store counts: %w", err)
		}
	}
	return nil
}

func (tx *Tx) deleteCounts(ctx context.Context, source string, cells []countCell) error {
	const batch = 400
	for start := 0; start < len(cells); start += batch {
		chunk := cells[start:min(start+batch, len(cells))]
		args := make([]any, 0, 1+len(chunk)*6)
		args = append(args, source)
		for _, k := range chunk {
			args = append(args, k.gemeente, k.day, k.precision, k.wijk, k.buurt, k.category)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM counts WHERE source = ? AND (gemeente, day, precision, wijk, buurt, category) IN (VALUES `+
			placeholders(len(chunk), 6)+`)`, args...); err != nil {
			return fmt.Errorf("remove counts: %w", err)
		}
	}
	return nil
}

// countChange is a figure about to be replaced (newN set) or removed (newN nil).
type countChange struct {
	cell countCell
	old  storedCount
	newN *int
}

func (tx *Tx) recordCountHistory(ctx context.Context, source, batchID string, changes []countChange) error {
	const cols = 16
	const batch = 300
	now := tx.db.timeArg(tx.now)
	for start := 0; start < len(changes); start += batch {
		chunk := changes[start:min(start+batch, len(changes))]
		args := make([]any, 0, len(chunk)*cols)
		for _, ch := range chunk {
			k, o := ch.cell, ch.old
			args = append(args, k.gemeente, source, k.day, k.precision, k.wijk, k.buurt, k.category, string(o.kind), o.table,
				o.n, ch.newN, o.batch, tx.db.timeArg(o.retrieved), now, batchID, tx.actor.UserID)
		}
		q := `INSERT INTO count_history (gemeente, source, day, precision, wijk, buurt, category, kind, table_ref,
			n, new_n, batch_id, retrieved_at, replaced_at, replaced_by_batch, replaced_by) VALUES ` + placeholders(len(chunk), cols)
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("count history: %w", err)
		}
	}
	return nil
}

// PoliceCountFilter selects police open-data counts (CountFilter selects rollup cells);
// empty fields do not filter. Days are the first days of the periods (YYYY-MM-DD), both
// ends inclusive.
type PoliceCountFilter struct {
	Gemeenten  []string
	Sources    []string
	Kind       baken.CountKind
	Categories []string
	From, To   string
	Precision  baken.Precision
	// Area selects one area's own figures (GM0384: the gemeente figures, not those of
	// its wijken and buurten); Level selects the figures of one level.
	Area  string
	Level baken.AreaLevel
	Limit int // 0: no limit
	// Offset skips that many counts.
	Offset int
}

func (f PoliceCountFilter) where(a baken.Actor) (string, []any, bool, error) {
	gms, ok := visibleGemeenten(a, f.Gemeenten, false)
	if !ok {
		return "", nil, false, nil
	}
	var conds []string
	var args []any
	if len(gms) > 0 {
		conds, args = append(conds, in("gemeente", len(gms))), appendStrings(args, gms)
	}
	if len(f.Sources) > 0 {
		conds, args = append(conds, in("source", len(f.Sources))), appendStrings(args, f.Sources)
	}
	if f.Kind != "" {
		conds, args = append(conds, "kind = ?"), append(args, string(f.Kind))
	}
	if len(f.Categories) > 0 {
		conds, args = append(conds, in("category", len(f.Categories))), appendStrings(args, f.Categories)
	}
	if f.From != "" {
		conds, args = append(conds, "day >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "day <= ?"), append(args, f.To)
	}
	if f.Precision != "" {
		conds, args = append(conds, "precision = ?"), append(args, string(f.Precision))
	}
	if f.Area != "" {
		gm, wk, bu, err := baken.SplitAreaCode(f.Area)
		if err != nil {
			return "", nil, false, err
		}
		conds, args = append(conds, "gemeente = ? AND wijk = ? AND buurt = ?"), append(args, gm, wk, bu)
	}
	switch f.Level {
	case "":
	case baken.LevelGemeente:
		conds = append(conds, "wijk = '' AND buurt = ''")
	case baken.LevelWijk:
		conds = append(conds, "wijk <> '' AND buurt = ''")
	case baken.LevelBuurt:
		conds = append(conds, "buurt <> ''")
	default:
		return "", nil, false, baken.Errorf(baken.Invalid, "level", "%q: want gemeente, wijk or buurt", f.Level)
	}
	if len(conds) == 0 {
		return "", args, true, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, true, nil
}

const countOrder = " ORDER BY gemeente, source, day, precision, wijk, buurt, category"

// FindCounts returns a page of the counts matching f, in key order, and the total that
// match. Any actor may call it; it sees only the municipalities it may see.
func (db *DB) FindCounts(ctx context.Context, f PoliceCountFilter) ([]baken.Count, int, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args, ok, err := f.where(tx.actor)
	if err != nil || !ok {
		return nil, 0, err
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM counts`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count counts: %w", err)
	}
	q := `SELECT gemeente, source, day, precision, wijk, buurt, category, kind, table_ref, n, batch_id, retrieved_at
		FROM counts` + where + countOrder
	if f.Limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find counts: %w", err)
	}
	defer rows.Close()
	var out []baken.Count
	for rows.Next() {
		var c baken.Count
		var retrieved Time
		if err := rows.Scan(&c.Gemeente, &c.Source, &c.Day, &c.Precision, &c.Wijk, &c.Buurt, &c.Category, &c.Kind, &c.Table,
			&c.N, &c.BatchID, &retrieved); err != nil {
			return nil, 0, fmt.Errorf("find counts: %w", err)
		}
		c.RetrievedAt = retrieved.Time
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find counts: %w", err)
	}
	return out, total, nil
}

// CountChange is a figure that a later import replaced or removed.
type CountChange struct {
	// Count is the figure as it was, with the batch that stored it.
	baken.Count
	// NewN is the figure that replaced it; nil when the cell was removed.
	NewN            *int
	ReplacedAt      time.Time
	ReplacedByBatch string
	ReplacedBy      string // the user on whose behalf the import ran
}

// CountHistory returns the replaced and removed figures matching f (Limit and Offset
// are ignored), oldest replacement first. Any actor may call it; it sees only the
// municipalities it may see.
func (db *DB) CountHistory(ctx context.Context, f PoliceCountFilter) ([]CountChange, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, ok, err := f.where(tx.actor)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT gemeente, source, day, precision, wijk, buurt, category, kind, table_ref, n, batch_id,
		retrieved_at, new_n, replaced_at, replaced_by_batch, replaced_by FROM count_history`+where+
		` ORDER BY replaced_at, gemeente, source, day, precision, wijk, buurt, category`, args...)
	if err != nil {
		return nil, fmt.Errorf("count history: %w", err)
	}
	defer rows.Close()
	var out []CountChange
	for rows.Next() {
		var c CountChange
		var retrieved, replaced Time
		var newN sql.NullInt64
		if err := rows.Scan(&c.Gemeente, &c.Source, &c.Day, &c.Precision, &c.Wijk, &c.Buurt, &c.Category, &c.Kind, &c.Table,
			&c.N, &c.BatchID, &retrieved, &newN, &replaced, &c.ReplacedByBatch, &c.ReplacedBy); err != nil {
			return nil, fmt.Errorf("count history: %w", err)
		}
		c.RetrievedAt, c.ReplacedAt = retrieved.Time, replaced.Time
		if newN.Valid {
			n := int(newN.Int64)
			c.NewN = &n
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count history: %w", err)
	}
	return out, nil
}
