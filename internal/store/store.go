package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
)

// Dialect is what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Migrations holds the numbered NNN_name.sql files, applied in name order.
	Migrations fs.FS
	// NumberedPlaceholders rewrites ? to $1, $2, ... (PostgreSQL).
	NumberedPlaceholders bool
	// MigrationLock is run first in every migration transaction (PostgreSQL: an advisory
	// lock, so that several servers starting at once apply each migration once).
	MigrationLock string
	// SourceLock, when set, is run with a source name to serialise imports of that source
	// across processes (PostgreSQL: an advisory lock). SQLite has one writer anyway.
	SourceLock string
	// Analyze, when set, refreshes the planner's statistics of the tables an import
	// grows (PostgreSQL plans lookups on a table it believes empty as scans).
	Analyze string
	// AnalyzeKeys, when set, refreshes only the statistics that an import's lookups of
	// source keys need: cheaper than Analyze, which computes them for every column.
	AnalyzeKeys string
	// InsertNew begins an INSERT of rows known not to exist yet. SQLite uses OR IGNORE,
	// which spares a multi-row INSERT its statement journal; the caller checks the count.
	InsertNew string
	// ArrayParams: the engine takes a []string as one array parameter (= ANY(?)), so a
	// lookup of many keys is one short statement instead of a long IN list.
	ArrayParams bool
	// ConcurrentWrites: write transactions run side by side on several connections
	// (PostgreSQL), so ImportChunks may write one chunk while the previous one finishes.
	// SQLite has one writer connection.
	ConcurrentWrites bool
	// UpsertBatch is how many rows one multi-row upsert carries (default 100): small
	// for SQLite, whose cost is per statement size; large for PostgreSQL, whose cost is
	// per round trip.
	UpsertBatch int
	// MapError maps a driver error to a *baken.Error where the kind is known
	// (unique violation -> Conflict); it returns other errors unchanged.
	MapError func(error) error
	// BulkInsert, when set, loads rows into table faster than INSERT statements
	// (PostgreSQL COPY). It runs on conn, inside the transaction open there.
	BulkInsert func(ctx context.Context, conn *sql.Conn, table string, columns []string, next func() ([]any, bool)) error
}

// Options configure a DB.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// DB is a Baken database. Writes go through one pool and reads through another, so that
// SQLite can have a single writer beside concurrent readers; for PostgreSQL both are the
// same pool.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect Dialect
	now     func() time.Time
	logger  *slog.Logger
}

// New wraps opened pools. read may equal write.
func New(write, read *sql.DB, d Dialect, opts Options) *DB {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if d.UpsertBatch == 0 {
		d.UpsertBatch = 100
	}
	if d.InsertNew == "" {
		d.InsertNew = "INSERT INTO"
	}
	if d.MapError == nil {
		d.MapError = func(err error) error { return err }
	}
	return &DB{write: write, read: read, dialect: d, now: now, logger: logger}
}

// Dialect returns the engine's name: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.Name }

// Close closes the pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Analyze refreshes planner statistics after a large change, where the engine needs it.
func (db *DB) Analyze(ctx context.Context) error { return db.analyze(ctx, db.dialect.Analyze) }

// AnalyzeKeys refreshes the planner's statistics of the registrations' source keys, which
// an import's lookups need, where the engine needs it.
func (db *DB) AnalyzeKeys(ctx context.Context) error { return db.analyze(ctx, db.dialect.AnalyzeKeys) }

func (db *DB) analyze(ctx context.Context, stmt string) error {
	if stmt == "" {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// Tx is one transaction. It carries the time it began (every row it writes has that time)
// and the actor on whose behalf it runs.
type Tx struct {
	tx    *sql.Tx
	conn  *sql.Conn // the connection tx runs on, for bulk loading
	stmts map[string]*sql.Stmt
	db    *DB
	now   time.Time
	actor baken.Actor
	ids   *rand.ChaCha8 // random bits of new registration ids, see newRegistrationID
}

// read runs fn in a read-only transaction, which it rolls back afterwards, and returns
// what fn returns.
func read[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		var zero T
		return zero, err
	}
	defer tx.Rollback()
	return fn(tx)
}

// begin starts a transaction for the actor in ctx. Without an actor it fails closed.
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	actor, ok := baken.ActorFrom(ctx)
	if !ok {
		return nil, &baken.Error{Kind: baken.Unauthenticated, Message: "no actor in context"}
	}
	pool := db.read
	opts := &sql.TxOptions{ReadOnly: !write}
	if write {
		pool = db.write
		opts = nil
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	return &Tx{tx: tx, conn: conn, db: db, now: db.now().UTC().Truncate(time.Microsecond), actor: actor}, nil
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor is the transaction's actor.
func (tx *Tx) Actor() baken.Actor { return tx.actor }

// Commit commits, mapping driver errors.
func (tx *Tx) Commit() error {
	err := tx.tx.Commit()
	tx.conn.Close()
	if err != nil {
		return fmt.Errorf("commit: %w", tx.db.dialect.MapError(err))
	}
	return nil
}

// Rollback rolls back; it is safe to call after Commit.
func (tx *Tx) Rollback() {
	_ = tx.tx.Rollback()
	tx.conn.Close()
}

// Exec runs a statement written with ? placeholders.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.rebind(query), args...)
	if err != nil {
		return nil, tx.db.dialect.MapError(err)
	}
	return res, nil
}

// Query runs a query written with ? placeholders.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(query), args...)
	if err != nil {
		return nil, tx.db.dialect.MapError(err)
	}
	return rows, nil
}

// ExecPrepared runs a statement prepared once per transaction: for statements executed
// many times with the same text (batched inserts), so that the engine parses them once.
func (tx *Tx) ExecPrepared(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := tx.stmts[query]
	if !ok {
		var err error
		st, err = tx.tx.PrepareContext(ctx, tx.db.rebind(query))
		if err != nil {
			return nil, tx.db.dialect.MapError(err)
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[query] = st
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return nil, tx.db.dialect.MapError(err)
	}
	return res, nil
}

// QueryRow runs a query that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(query), args...)
}

// rebind rewrites ? placeholders to $n for PostgreSQL. It skips ? inside quoted strings.
func (db *DB) rebind(query string) string {
	if !db.dialect.NumberedPlaceholders || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// placeholders returns "(?, ?, ?), (?, ?, ?)" for rows x cols.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// RawForTest returns the write pool, for tests that must try what the store never does
// (such as changing the append-only access log).
func (db *DB) RawForTest() *sql.DB { return db.write }
