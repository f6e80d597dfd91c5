package store

import (
	"context"
	"fmt"
	"time"

	"baken/internal/baken"
)

// Point is where and when a registration happened, for spatial analysis: its RD New
// coordinates in metres, its time and how exactly that time is known, and its category.
// It carries nothing about persons.
type Point struct {
	X, Y      float64
	At        time.Time
	Precision baken.Precision
	Category  string
}

// Points returns the place and time of every registration matching f that has RD
// coordinates, in order of occurrence. Registrations without a location are left out.
// The actor sees only the municipalities it may see.
func (db *DB) Points(ctx context.Context, f RegistrationFilter) ([]Point, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, ok := f.where(tx.actor)
	if !ok {
		return nil, nil
	}
	if where == "" {
		where = " WHERE x IS NOT NULL AND y IS NOT NULL"
	} else {
		where += " AND x IS NOT NULL AND y IS NOT NULL"
	}
	rows, err := tx.Query(ctx, `SELECT x, y, occurred_at, precision, category FROM registrations`+where+` ORDER BY occurred_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("points: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		var at Time
		if err := rows.Scan(&p.X, &p.Y, &at, &p.Precision, &p.Category); err != nil {
			return nil, fmt.Errorf("points: %w", err)
		}
		p.At = at.Time
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("points: %w", err)
	}
	return out, nil
}
