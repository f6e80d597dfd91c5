package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"baken/internal/baken"
)

// SaveReference stores a version of a reference document (such as the category tree);
// saving a version that exists changes nothing. Only the system or a beheerder may call it.
func (db *DB) SaveReference(ctx context.Context, name, version string, body []byte) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireWriter(tx); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO reference_data (name, version, body, loaded_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, version) DO NOTHING`, name, version, string(body), db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("save reference %s %s: %w", name, version, err)
	}
	return tx.Commit()
}

// LatestReference returns the most recently loaded version of a reference document, or
// NotFound. Reference data is public: any actor may read it.
func (db *DB) LatestReference(ctx context.Context, name string) (version string, body []byte, err error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	var b string
	err = tx.QueryRow(ctx, `SELECT version, body FROM reference_data WHERE name = ? ORDER BY loaded_at DESC, version DESC LIMIT 1`, name).Scan(&version, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, &baken.Error{Kind: baken.NotFound, Message: fmt.Sprintf("no reference data %q", name)}
	}
	if err != nil {
		return "", nil, fmt.Errorf("reference %s: %w", name, err)
	}
	return version, []byte(b), nil
}
