// Package store is Baken's persistence: portable SQL written once for SQLite and
// PostgreSQL, transactions that carry the clock and the actor, and the migration runner.
// The dialect packages (store/sqlite, store/postgres) supply only what differs: the driver,
// pragmas or pool, error mapping and the migration files.
package store
