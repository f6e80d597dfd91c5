package store

import (
	"context"
	cryptorand "crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
)

// registrationColumns are the stored columns in insert order.
var registrationColumns = []string{
	"gemeente", "id", "source", "source_key", "source_id", "occurred_at", "precision", "local_day",
	"reported_at", "category", "lon", "lat", "x", "y", "wijk", "buurt", "area_year", "outside",
	"address", "bag_id", "description", "generated", "content_hash", "batch_id", "version",
	"created_at", "updated_at",
}

// mayImport reports whether the actor may write registrations: the analyst imports
// police and own data; enforcement registers from the street.
func mayImport(a baken.Actor) bool {
	for _, r := range []baken.Role{baken.RoleSystem, baken.RoleAdmin, baken.RoleAnalyst, baken.RoleEnforcement, baken.RoleEnforcer} {
		if a.HasRole(r) {
			return true
		}
	}
	return false
}

// timeArg returns t as the dialect stores it: fixed-width UTC text in SQLite (so that text
// order is time order), a time.Time for PostgreSQL (which COPY needs).
func (db *DB) timeArg(t time.Time) any {
	if db.dialect.Name == "postgres" {
		return t.UTC().Truncate(time.Microsecond)
	}
	return Time{t}
}

func (db *DB) nullTimeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.timeArg(*t)
}

func (db *DB) registrationArgs(r *baken.Registration) []any {
	return []any{
		r.Gemeente, string(r.ID), r.Source, r.SourceKey, r.SourceID, db.timeArg(r.OccurredAt), string(r.Precision), r.LocalDay,
		db.nullTimeArg(r.ReportedAt), r.Category, r.Lon, r.Lat, r.X, r.Y, r.Wijk, r.Buurt, r.AreaYear, r.Outside,
		r.Address, r.BAGID, r.Description, r.Generated, r.ContentHash, r.BatchID, r.Version,
		db.timeArg(r.CreatedAt), db.timeArg(r.UpdatedAt),
	}
}

// rollupKey is one cell of the rollups table.
type rollupKey struct {
	gemeente, category, day, precision, wijk, buurt, source string
}

func rollupKeyOf(r *baken.Registration) rollupKey {
	p := "day"
	if r.Precision == baken.PrecisionMonth {
		p = "month"
	}
	return rollupKey{r.Gemeente, r.Category, r.LocalDay, p, r.Wijk, r.Buurt, r.Source}
}

// rollupDelta accumulates count changes and applies them in few statements.
type rollupDelta map[rollupKey]int

func (d rollupDelta) add(r *baken.Registration, n int) { d[rollupKeyOf(r)] += n }

// applyRollups adds d to the daily and monthly rollups and raises the data version of
// every gemeente it changes. A chunk of a stream passes its guess g of the cells that are
// new, which it writes with a bulk insert; g may be nil.
func (tx *Tx) applyRollups(ctx context.Context, d rollupDelta, g *cellGuess) error {
	monthly := rollupDelta{}
	for k, n := range d {
		if n != 0 {
			k.day = k.day[:7]
			monthly[k] += n
		}
	}
	var daily, monthlyGuess *periodGuess
	if g != nil {
		daily, monthlyGuess = &g.daily, &g.monthly
	}
	if err := tx.writeRollups(ctx, "rollups", "day", d, daily); err != nil {
		return err
	}
	if err := tx.writeRollups(ctx, "rollups_monthly", "month", monthly, monthlyGuess); err != nil {
		return err
	}
	return tx.bumpDataVersions(ctx, d)
}

// upsertRollups adds d to table, whose period column is periodCol, and removes cells
// that drop to zero, so that the rollups stay equal to a recount.
func (tx *Tx) upsertRollups(ctx context.Context, table, periodCol string, d rollupDelta) error {
	const cols = 8
	batch := tx.db.dialect.UpsertBatch
	keys := make([]rollupKey, 0, len(d))
	var negative []rollupKey
	for k, n := range d {
		if n == 0 {
			continue
		}
		keys = append(keys, k)
		if n < 0 {
			negative = append(negative, k)
		}
	}
	conflict := ` ON CONFLICT (gemeente, category, ` + periodCol + `, precision, wijk, buurt, source) DO UPDATE SET n = ` + table + `.n + excluded.n`
	if tx.db.dialect.ArrayParams && len(keys) > 0 {
		// One statement of eight arrays: the engine reads them faster than as many
		// parameters, and the client sends them without boxing each value.
		var gm, cat, day, prec, wijk, buurt, src []string
		ns := make([]int, 0, len(keys))
		for _, k := range keys {
			gm, cat, day, prec = append(gm, k.gemeente), append(cat, k.category), append(day, k.day), append(prec, k.precision)
			wijk, buurt, src = append(wijk, k.wijk), append(buurt, k.buurt), append(src, k.source)
			ns = append(ns, d[k])
		}
		q := `INSERT INTO ` + table + ` (gemeente, category, ` + periodCol + `, precision, wijk, buurt, source, n)
			SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[])` + conflict
		if _, err := tx.Exec(ctx, q, gm, cat, day, prec, wijk, buurt, src, ns); err != nil {
			return fmt.Errorf("update %s: %w", table, err)
		}
		keys = nil
	}
	for start := 0; start < len(keys); start += batch {
		chunk := keys[start:min(start+batch, len(keys))]
		args := make([]any, 0, len(chunk)*cols)
		for _, k := range chunk {
			args = append(args, k.gemeente, k.category, k.day, k.precision, k.wijk, k.buurt, k.source, d[k])
		}
		q := `INSERT INTO ` + table + ` (gemeente, category, ` + periodCol + `, precision, wijk, buurt, source, n) VALUES ` +
			placeholders(len(chunk), cols) + conflict
		if _, err := tx.ExecPrepared(ctx, q, args...); err != nil {
			return fmt.Errorf("update %s: %w", table, err)
		}
	}
	for _, k := range negative {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE gemeente = ? AND category = ? AND `+periodCol+` = ? AND precision = ?
			AND wijk = ? AND buurt = ? AND source = ? AND n <= 0`,
			k.gemeente, k.category, k.day, k.precision, k.wijk, k.buurt, k.source); err != nil {
			return fmt.Errorf("update %s: %w", table, err)
		}
	}
	return nil
}

// ImportChunk is one committed step of an import: rows with their source keys and
// content hashes computed, and the progress to record with them.
type ImportChunk struct {
	BatchID string
	Source  string
	Rows    []baken.Registration
	// Progress after this chunk, recorded in the same transaction.
	LinesDone int
	Read      int
	Rejected  int
	Outside   int
}

// ChunkResult says what a chunk did.
type ChunkResult struct {
	Stored    int // new registrations
	Updated   int // existing ones whose content changed (the old version is kept in history)
	Unchanged int
}

type existingRow struct {
	gemeente string
	id       baken.RegistrationID
	hash     string
	version  int
	created  time.Time
	roll     rollupKey
}

// errKeyStored says that an insert met a source key that is stored already.
var errKeyStored = &baken.Error{Kind: baken.Conflict, Message: "a source key is stored already"}

// ImportChunk stores a chunk of registrations idempotently: a row whose source key is
// new is inserted; one whose content changed updates its registration and keeps the old
// version in history; an unchanged one is left alone. Rollups and the batch's progress
// change in the same transaction, so a crash at any moment loses or doubles nothing.
// The actor must be the system, a beheerder, an analist or enforcement, and may write only the
// municipalities it may see. ImportChunks stores a stream of chunks faster.
func (db *DB) ImportChunk(ctx context.Context, c ImportChunk) (ChunkResult, error) {
	res, _, err := db.importChunk(ctx, c, nil)
	return res, err
}

// importChunk stores c with lookups of its keys and says whether any was stored already.
// An insert that meets a key all the same (written meanwhile by an import that inserts
// without lookups, see ImportChunks) is tried again.
func (db *DB) importChunk(ctx context.Context, c ImportChunk, cells *cellGuess) (ChunkResult, bool, error) {
	var given givenFields
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			given.restore(c.Rows)
		} else if len(c.Rows) > 0 {
			given = saveGiven(c.Rows)
		}
		ct, err := db.beginChunk(ctx, c, false, cells)
		if err == nil {
			res, err := ct.finish(ctx)
			ct.rollback()
			return res, ct.found, err
		}
		if !baken.IsKind(err, baken.Conflict) || attempt == 3 {
			return ChunkResult{}, false, err
		}
	}
}

// chunkTx is a chunk's transaction between its two steps: beginChunk writes the
// registrations; finish updates the rollups and the progress and commits.
type chunkTx struct {
	tx    *Tx
	c     ImportChunk
	res   ChunkResult
	delta rollupDelta
	found bool // some of the keys were stored already
	// cells, when set, guesses which rollup cells are new (a stream of chunks).
	cells *cellGuess
}

// beginChunk opens a chunk's transaction and writes its registrations. With assumeNew it
// does not look the keys up but inserts every row: the unique index on the source keys
// checks the guess, and a stored key fails the insert with a Conflict.
func (db *DB) beginChunk(ctx context.Context, c ImportChunk, assumeNew bool, cells *cellGuess) (*chunkTx, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, err
	}
	ct := &chunkTx{tx: tx, c: c, delta: rollupDelta{}, cells: cells}
	if err := ct.write(ctx, assumeNew); err != nil {
		tx.Rollback()
		return nil, err
	}
	return ct, nil
}

func (ct *chunkTx) write(ctx context.Context, assumeNew bool) error {
	tx, c, res, delta := ct.tx, ct.c, &ct.res, ct.delta
	if !mayImport(tx.actor) {
		return &baken.Error{Kind: baken.Forbidden, Message: "this role may not import registrations"}
	}
	for i := range c.Rows {
		if g := c.Rows[i].Gemeente; g != "" && !tx.actor.MaySee(g) {
			return baken.Errorf(baken.Forbidden, "gemeente", "registrations of %s may not be imported by this user", g)
		}
	}
	if !assumeNew && tx.db.dialect.SourceLock != "" {
		// Serialise the lookups of one source, so that two imports do not both
		// decide to insert a key.
		if _, err := tx.Exec(ctx, tx.db.dialect.SourceLock, c.Source); err != nil {
			return fmt.Errorf("lock source: %w", err)
		}
	}
	if err := tx.checkNotCountSource(ctx, c.Source); err != nil {
		return err
	}
	existing := map[string]existingRow{}
	if !assumeNew {
		var err error
		if existing, err = tx.lookupKeys(ctx, c.Source, c.Rows); err != nil {
			return err
		}
		ct.found = len(existing) > 0
	}
	inserts := make([]*baken.Registration, 0, len(c.Rows))
	pending := make(map[string]int, len(c.Rows)) // new in this chunk: source key -> index in inserts
	for i := range c.Rows {
		r := &c.Rows[i]
		r.Source = c.Source
		r.BatchID = c.BatchID
		r.UpdatedAt = tx.now
		if j, ok := pending[r.SourceKey]; ok {
			// The same key twice in one chunk: the later row is a new version of the first.
			// It replaces the first in the rows to insert, which count in the rollups
			// once inserted.
			p := inserts[j]
			if p.ContentHash == r.ContentHash {
				res.Unchanged++
				continue
			}
			if p.ID == "" {
				id, err := tx.newRegistrationID()
				if err != nil {
					return err
				}
				p.ID = id
			}
			if err := tx.recordHistory(ctx, p); err != nil {
				return err
			}
			r.ID, r.Version, r.CreatedAt = p.ID, p.Version+1, p.CreatedAt
			inserts[j] = r
			res.Updated++
			continue
		}
		old, ok := existing[r.SourceKey]
		switch {
		case !ok:
			// The id is drawn when the row is inserted.
			r.ID, r.Version, r.CreatedAt = "", 1, tx.now
			pending[r.SourceKey] = len(inserts)
			inserts = append(inserts, r)
			res.Stored++
		case old.hash == r.ContentHash:
			res.Unchanged++
		default:
			if old.gemeente != "" && !tx.actor.MaySee(old.gemeente) {
				return baken.Errorf(baken.Forbidden, "gemeente", "a registration of %s may not be changed by this user", old.gemeente)
			}
			prev, err := tx.findRegistration(ctx, old.gemeente, old.id)
			if err != nil {
				return err
			}
			if err := tx.recordHistory(ctx, &prev); err != nil {
				return err
			}
			r.ID, r.Version, r.CreatedAt = old.id, old.version+1, old.created
			if err := tx.updateRegistration(ctx, old.gemeente, r); err != nil {
				return err
			}
			delta[old.roll]--
			delta.add(r, +1)
			existing[r.SourceKey] = existingRow{gemeente: r.Gemeente, id: r.ID, hash: r.ContentHash,
				version: r.Version, created: r.CreatedAt, roll: rollupKeyOf(r)}
			res.Updated++
		}
	}
	return tx.insertRegistrations(ctx, inserts, delta)
}

// finish updates the rollups and the batch's progress and commits.
func (ct *chunkTx) finish(ctx context.Context) (ChunkResult, error) {
	tx, c, res := ct.tx, ct.c, ct.res
	if err := tx.applyRollups(ctx, ct.delta, ct.cells); err != nil {
		return ChunkResult{}, err
	}
	if c.BatchID != "" {
		if _, err := tx.Exec(ctx, `UPDATE import_batches SET lines_done = ?, rows_read = ?, rejected = ?, outside = ?,
			stored = stored + ?, updated = updated + ?, unchanged = unchanged + ? WHERE id = ?`,
			c.LinesDone, c.Read, c.Rejected, c.Outside, res.Stored, res.Updated, res.Unchanged, c.BatchID); err != nil {
			return ChunkResult{}, fmt.Errorf("record progress: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return ChunkResult{}, err
	}
	return res, nil
}

// rollback ends the transaction unless it was committed.
func (ct *chunkTx) rollback() { ct.tx.Rollback() }

// checkNotCountSource refuses registrations under a source of police open-data counts:
// the trends read such a source's rows as police figures per area (see RollupFilter).
// ReplaceCounts refuses the reverse. The kind is Invalid, not Conflict: a Conflict from
// a chunk means a stored source key, which the import paths retry with lookups.
func (tx *Tx) checkNotCountSource(ctx context.Context, source string) error {
	var one int
	switch err := tx.QueryRow(ctx, `SELECT 1 FROM counts WHERE source = ? LIMIT 1`, source).Scan(&one); {
	case err == nil:
		return baken.Errorf(baken.Invalid, "source", "%q holds police open-data counts: give registrations a source of their own", source)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("check source %q: %w", source, err)
	}
	return nil
}

// lookupKeys finds the stored registrations of source with the rows' source keys.
func (tx *Tx) lookupKeys(ctx context.Context, source string, rows []baken.Registration) (map[string]existingRow, error) {
	out := make(map[string]existingRow, len(rows))
	batch := 2000
	if tx.db.dialect.ArrayParams {
		batch = len(rows)
	}
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		const sel = `SELECT source_key, gemeente, id, content_hash, version, created_at, category, local_day, precision, wijk, buurt
			FROM registrations WHERE source = ? AND source_key `
		var q string
		var args []any
		if tx.db.dialect.ArrayParams {
			keys := make([]string, len(chunk))
			for i := range chunk {
				keys[i] = chunk[i].SourceKey
			}
			q, args = sel+`= ANY(?)`, []any{source, keys}
		} else {
			args = make([]any, 0, len(chunk)+1)
			args = append(args, source)
			for i := range chunk {
				args = append(args, chunk[i].SourceKey)
			}
			q = sel + `IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + `)`
		}
		rs, err := tx.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("look up source keys: %w", err)
		}
		for rs.Next() {
			var e existingRow
			var key, prec string
			var created Time
			if err := rs.Scan(&key, &e.gemeente, &e.id, &e.hash, &e.version, &created, &e.roll.category, &e.roll.day, &prec, &e.roll.wijk, &e.roll.buurt); err != nil {
				rs.Close()
				return nil, fmt.Errorf("look up source keys: %w", err)
			}
			e.created = created.Time
			e.roll.gemeente, e.roll.source = e.gemeente, source
			e.roll.precision = "day"
			if prec == string(baken.PrecisionMonth) {
				e.roll.precision = "month"
			}
			out[key] = e
		}
		if err := rs.Err(); err != nil {
			rs.Close()
			return nil, fmt.Errorf("look up source keys: %w", err)
		}
		rs.Close()
	}
	return out, nil
}

// insertRegistrations inserts rows and adds them to delta. A row without an id gets a new
// one as it is written: drawing ids and counting cells while the rows stream to the
// database keeps that work off the path the database waits on.
func (tx *Tx) insertRegistrations(ctx context.Context, rows []*baken.Registration, delta rollupDelta) error {
	if len(rows) == 0 {
		return nil
	}
	var idErr error
	prepare := func(r *baken.Registration) bool {
		if r.ID == "" {
			id, err := tx.newRegistrationID()
			if err != nil {
				idErr = fmt.Errorf("insert registrations: %w", err)
				return false
			}
			r.ID = id
		}
		delta.add(r, +1)
		return true
	}
	cols := len(registrationColumns)
	if bulk := tx.db.dialect.BulkInsert; bulk != nil && len(rows) >= 64 {
		i := 0
		next := func() ([]any, bool) {
			if i == len(rows) || !prepare(rows[i]) {
				return nil, false
			}
			i++
			return tx.db.registrationArgs(rows[i-1]), true
		}
		if err := bulk(ctx, tx.conn, "registrations", registrationColumns, next); err != nil {
			return fmt.Errorf("insert registrations: %w", err)
		}
		return idErr
	}
	// The rows were looked up under the write lock, so none exists yet; the count below
	// proves that nothing was ignored (see Dialect.InsertNew).
	const batch = 50
	head := tx.db.dialect.InsertNew + ` registrations (` + strings.Join(registrationColumns, ", ") + `) VALUES `
	args := make([]any, 0, batch*cols)
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			if !prepare(r) {
				return idErr
			}
			args = append(args, tx.db.registrationArgs(r)...)
		}
		res, err := tx.ExecPrepared(ctx, head+placeholders(len(chunk), cols), args...)
		if err != nil {
			return fmt.Errorf("insert registrations: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n != int64(len(chunk)) {
			return fmt.Errorf("insert registrations: %d of %d rows inserted: %w", n, len(chunk), errKeyStored)
		}
	}
	return nil
}

func (tx *Tx) updateRegistration(ctx context.Context, oldGemeente string, r *baken.Registration) error {
	sets := make([]string, 0, len(registrationColumns))
	for _, c := range registrationColumns {
		sets = append(sets, c+" = ?")
	}
	args := append(tx.db.registrationArgs(r), oldGemeente, string(r.ID))
	q := `UPDATE registrations SET ` + strings.Join(sets, ", ") + ` WHERE gemeente = ? AND id = ?`
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("update registration %s: %w", r.ID, err)
	}
	return nil
}

// historyBody is the stored form of an earlier version.
type historyBody struct {
	SourceID    string     `json:"source_id,omitempty"`
	OccurredAt  time.Time  `json:"occurred_at"`
	Precision   string     `json:"precision"`
	ReportedAt  *time.Time `json:"reported_at,omitempty"`
	Category    string     `json:"category"`
	Lon         *float64   `json:"lon,omitempty"`
	Lat         *float64   `json:"lat,omitempty"`
	X           *float64   `json:"x,omitempty"`
	Y           *float64   `json:"y,omitempty"`
	Gemeente    string     `json:"gemeente"`
	Wijk        string     `json:"wijk"`
	Buurt       string     `json:"buurt"`
	Address     string     `json:"address,omitempty"`
	BAGID       string     `json:"bag_id,omitempty"`
	Description string     `json:"description,omitempty"`
	ContentHash string     `json:"content_hash"`
	BatchID     string     `json:"batch_id"`
}

func (tx *Tx) recordHistory(ctx context.Context, r *baken.Registration) error {
	b, err := json.Marshal(historyBody{
		SourceID: r.SourceID, OccurredAt: r.OccurredAt, Precision: string(r.Precision), ReportedAt: r.ReportedAt,
		Category: r.Category, Lon: r.Lon, Lat: r.Lat, X: r.X, Y: r.Y, Gemeente: r.Gemeente, Wijk: r.Wijk, Buurt: r.Buurt,
		Address: r.Address, BAGID: r.BAGID, Description: r.Description, ContentHash: r.ContentHash, BatchID: r.BatchID,
	})
	if err != nil {
		return fmt.Errorf("history of %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO registration_history (gemeente, id, version, body, batch_id, changed_at, changed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Gemeente, string(r.ID), r.Version, string(b), r.BatchID, tx.db.timeArg(tx.now), tx.actor.UserID); err != nil {
		return fmt.Errorf("history of %s: %w", r.ID, err)
	}
	return nil
}

const registrationSelect = `SELECT gemeente, id, source, source_key, source_id, occurred_at, precision, local_day,
	reported_at, category, lon, lat, x, y, wijk, buurt, area_year, outside, address, bag_id, description,
	generated, content_hash, batch_id, version, created_at, updated_at FROM registrations`

func scanRegistration(sc interface{ Scan(...any) error }) (baken.Registration, error) {
	var r baken.Registration
	var occurred, created, updated Time
	var reported NullTime
	var prec string
	err := sc.Scan(&r.Gemeente, &r.ID, &r.Source, &r.SourceKey, &r.SourceID, &occurred, &prec, &r.LocalDay,
		&reported, &r.Category, &r.Lon, &r.Lat, &r.X, &r.Y, &r.Wijk, &r.Buurt, &r.AreaYear, &r.Outside,
		&r.Address, &r.BAGID, &r.Description, &r.Generated, &r.ContentHash, &r.BatchID, &r.Version, &created, &updated)
	if err != nil {
		return r, err
	}
	r.OccurredAt, r.CreatedAt, r.UpdatedAt = occurred.Time, created.Time, updated.Time
	r.Precision = baken.Precision(prec)
	if reported.Valid {
		t := reported.Time
		r.ReportedAt = &t
	}
	return r, nil
}

func (tx *Tx) findRegistration(ctx context.Context, gemeente string, id baken.RegistrationID) (baken.Registration, error) {
	r, err := scanRegistration(tx.QueryRow(ctx, registrationSelect+` WHERE gemeente = ? AND id = ?`, gemeente, string(id)))
	if err == sql.ErrNoRows {
		return r, &baken.Error{Kind: baken.NotFound, Message: fmt.Sprintf("registration %s not found", id)}
	}
	if err != nil {
		return r, fmt.Errorf("find registration %s: %w", id, err)
	}
	return r, nil
}

// newRegistrationID draws a time-ordered id (UUIDv7). Its random bits come from a
// ChaCha8 generator seeded once per transaction from the operating system, instead of a
// system call per id: an import draws one for every row it stores.
func (tx *Tx) newRegistrationID() (baken.RegistrationID, error) {
	if tx.ids == nil {
		var seed [32]byte
		if _, err := cryptorand.Read(seed[:]); err != nil {
			return "", fmt.Errorf("new id: %w", err)
		}
		tx.ids = rand.NewChaCha8(seed)
	}
	id, err := uuid.NewV7FromReader(tx.ids)
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return baken.RegistrationID(id.String()), nil
}
