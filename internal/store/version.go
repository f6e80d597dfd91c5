package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// DataVersion returns the data version of gemeente: a number that changes, in the same
// transaction, whenever the gemeente's rollups change (0 before the first change). What
// is computed from the rollups may be cached under (gemeente, version). Any actor may ask:
// the number says nothing about the data.
func (db *DB) DataVersion(ctx context.Context, gemeente string) (int64, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var v int64
	err = tx.QueryRow(ctx, `SELECT version FROM data_version WHERE gemeente = ?`, gemeente).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("data version of %s: %w", gemeente, err)
	}
	return v, tx.Commit()
}

// bumpDataVersions raises the data version of every gemeente whose rollups d changes.
func (tx *Tx) bumpDataVersions(ctx context.Context, d rollupDelta) error {
	var gms []string
	for k, n := range d {
		if n != 0 && !slices.Contains(gms, k.gemeente) {
			gms = append(gms, k.gemeente)
		}
	}
	return tx.bumpGemeenten(ctx, gms)
}

// bumpGemeenten raises the data version of the gemeenten gms (area names, population and
// rollups all feed cached pages).
func (tx *Tx) bumpGemeenten(ctx context.Context, gms []string) error {
	gms = slices.Compact(slices.Sorted(slices.Values(gms))) // a fixed order: no deadlocks on the rows
	for _, g := range gms {
		if _, err := tx.Exec(ctx, `INSERT INTO data_version (gemeente, version) VALUES (?, 1)
			ON CONFLICT (gemeente) DO UPDATE SET version = data_version.version + 1`, g); err != nil {
			return fmt.Errorf("raise data version of %s: %w", g, err)
		}
	}
	return nil
}
