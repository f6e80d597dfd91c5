package store

import (
	"context"
	"fmt"
	"time"

	"baken/internal/baken"
)

// HourWeekday counts the registrations matching f by local weekday and hour in loc:
// out[0] is Monday, out[6] Sunday, out[d][h] the hour starting at h:00 local time.
// Only registrations whose time is known to the minute count, since a day or a month
// has no hour. The hour and weekday are computed in Go from the stored UTC time, so that
// both dialects agree and daylight-saving changes fall where the clock put them.
// f.Limit, f.Offset and the ordering fields are ignored. The actor sees only the
// municipalities it may see (none: all zero); the result is an aggregate, so any role
// may ask for it.
func (db *DB) HourWeekday(ctx context.Context, f RegistrationFilter, loc *time.Location) ([7][24]int, error) {
	var out [7][24]int
	if loc == nil {
		loc = time.UTC
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	where, args, ok := f.where(tx.actor)
	if !ok {
		return out, nil
	}
	if where == "" {
		where = " WHERE precision = ?"
	} else {
		where += " AND precision = ?"
	}
	args = append(args, string(baken.PrecisionMinute))
	rows, err := tx.Query(ctx, `SELECT occurred_at FROM registrations`+where, args...)
	if err != nil {
		return out, fmt.Errorf("hour and weekday: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at Time
		if err := rows.Scan(&at); err != nil {
			return out, fmt.Errorf("hour and weekday: %w", err)
		}
		t := at.In(loc)
		out[(int(t.Weekday())+6)%7][t.Hour()]++
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("hour and weekday: %w", err)
	}
	return out, nil
}
