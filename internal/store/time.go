package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeLayout is how SQLite stores times: UTC, fixed width, so text order is time order.
// Microseconds, because that is PostgreSQL's precision.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Time is a time as stored: it writes UTC and reads both SQLite's text and PostgreSQL's
// timestamptz.
type Time struct{ time.Time }

// Value implements driver.Valuer: fixed-width UTC text, which PostgreSQL also accepts
// for timestamptz.
func (t Time) Value() (driver.Value, error) {
	return t.UTC().Truncate(time.Microsecond).Format(timeLayout), nil
}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	}
	return fmt.Errorf("scan time: unsupported type %T", v)
}

func (t *Time) parse(s string) error {
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// NullTime is a Time that may be NULL.
type NullTime struct {
	Time  time.Time
	Valid bool
}

// Value implements driver.Valuer.
func (t NullTime) Value() (driver.Value, error) {
	if !t.Valid {
		return nil, nil
	}
	return Time{t.Time}.Value()
}

// Scan implements sql.Scanner.
func (t *NullTime) Scan(v any) error {
	if v == nil {
		t.Time, t.Valid = time.Time{}, false
		return nil
	}
	var tt Time
	if err := tt.Scan(v); err != nil {
		return err
	}
	t.Time, t.Valid = tt.Time, true
	return nil
}
