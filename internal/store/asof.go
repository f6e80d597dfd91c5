package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"baken/internal/baken"
)

// Figures as of a date. A document on a programme reports what was known on its
// reference date, so that it can be made again later with the same figures:
//
//   - a registration counts when it occurred on or before the reference date (its local
//     day) and was first stored in Baken (created_at) before the end of that day in
//     Europe/Amsterdam. A generated registration (the demo's) has no real import: it
//     stands for a source imported as it happens and counts from the day it occurred.
//     A registration counts as it is now: a later correction of its category or place
//     is not undone (its history keeps the old versions);
//   - a police open-data count counts when its period starts on or before the reference
//     date, with the figure that was stored by the end of that day: the current one when
//     it was stored by then, else the one count_history kept that was stored by then and
//     replaced or removed only later.

// DateOf returns the calendar date of t (in t's own location) as UTC midnight.
func DateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// EndOfDay returns the first instant after the calendar date of asOf in
// Europe/Amsterdam: what was stored before it was known on that date.
func EndOfDay(asOf time.Time) (time.Time, error) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.Time{}, fmt.Errorf("time zone: %w", err)
	}
	return time.Date(asOf.Year(), asOf.Month(), asOf.Day()+1, 0, 0, 0, 0, loc).UTC(), nil
}

// todayIn returns today's calendar date in Europe/Amsterdam at now.
func todayIn(now time.Time) (time.Time, error) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.Time{}, fmt.Errorf("time zone: %w", err)
	}
	return DateOf(now.In(loc)), nil
}

// AsOfFilter selects what YearCountsAsOf counts.
type AsOfFilter struct {
	Gemeente   string
	Categories []string // at least one
	// Area is the gemeente itself, one of its wijken or one of its buurten; empty means
	// the gemeente. Registrations count in every area within it; police counts only at
	// the area's own level (published levels do not add up).
	Area     string
	From, To int // years, both inclusive
	// AsOf is the reference date: only its calendar date counts.
	AsOf time.Time
}

// YearCount is what was known on a reference date of one year.
type YearCount struct {
	Year          int
	Registrations int // registrations known by the reference date
	Generated     int // of which generated (demo) registrations
	Police        int // police open-data counts known by the reference date
}

// Total is the year's figure: registrations and police counts.
func (c YearCount) Total() int { return c.Registrations + c.Police }

// YearCountsAsOf counts per year From..To what was known on f.AsOf of the registrations
// and police counts of f.Categories in f.Area, by the rule above; a year after the
// reference date is not counted (the list stops at its year). Any actor of the gemeente
// may call it. Kinds: Invalid (filter), NotFound (a gemeente the actor may not see).
func (db *DB) YearCountsAsOf(ctx context.Context, f AsOfFilter) ([]YearCount, error) {
	var errs baken.FieldErrors
	if l, err := baken.LevelOfCode(f.Gemeente); err != nil || l != baken.LevelGemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "%q is not a CBS gemeente code", f.Gemeente))
	}
	area := f.Area
	if area == "" {
		area = f.Gemeente
	}
	level, err := baken.LevelOfCode(area)
	if err != nil || baken.GemeenteOfCode(area) != f.Gemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "area", "%q is not an area of %s", area, f.Gemeente))
	}
	if len(f.Categories) == 0 {
		errs = append(errs, baken.Errorf(baken.Invalid, "categories", "at least one category"))
	}
	if f.From > f.To {
		errs = append(errs, baken.Errorf(baken.Invalid, "to", "%d is before %d", f.To, f.From))
	}
	if f.AsOf.IsZero() {
		errs = append(errs, baken.Errorf(baken.Invalid, "as_of", "required"))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	cutoff, err := EndOfDay(f.AsOf)
	if err != nil {
		return nil, err
	}
	asOfDay := DateOf(f.AsOf).Format(time.DateOnly)

	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if !tx.actor.MaySee(f.Gemeente) {
		return nil, baken.Errorf(baken.NotFound, "gemeente", "no gemeente %s", f.Gemeente)
	}
	var regArea, countArea string
	var areaArgs, countAreaArgs []any
	switch level {
	case baken.LevelGemeente:
		countArea = ` AND wijk = '' AND buurt = ''`
	case baken.LevelWijk:
		regArea, areaArgs = ` AND wijk = ?`, []any{area}
		countArea, countAreaArgs = ` AND wijk = ? AND buurt = ''`, []any{area}
	case baken.LevelBuurt:
		regArea, areaArgs = ` AND buurt = ?`, []any{area}
		countArea, countAreaArgs = ` AND buurt = ?`, []any{area}
	}
	cats := in("category", len(f.Categories))
	cutArg := tx.db.timeArg(cutoff)

	var out []YearCount
	for y := f.From; y <= f.To; y++ {
		from := strconv.Itoa(y) + "-01-01"
		if from > asOfDay {
			break
		}
		to := min(strconv.Itoa(y)+"-12-31", asOfDay)
		yc := YearCount{Year: y}

		args := append([]any{true, f.Gemeente}, areaArgs...)
		args = appendStrings(args, f.Categories)
		args = append(args, from, to, cutArg, true)
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN generated = ? THEN 1 ELSE 0 END), 0) FROM registrations
			WHERE gemeente = ?`+regArea+` AND `+cats+` AND local_day >= ? AND local_day <= ? AND (created_at < ? OR generated = ?)`,
			args...).Scan(&yc.Registrations, &yc.Generated); err != nil {
			return nil, fmt.Errorf("count registrations as of %s: %w", asOfDay, err)
		}

		cargs := append([]any{f.Gemeente}, countAreaArgs...)
		cargs = appendStrings(cargs, f.Categories)
		cargs = append(cargs, from, to, cutArg)
		var current, replaced int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM counts WHERE gemeente = ?`+countArea+` AND `+cats+
			` AND day >= ? AND day <= ? AND retrieved_at < ?`, cargs...).Scan(&current); err != nil {
			return nil, fmt.Errorf("police counts as of %s: %w", asOfDay, err)
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM count_history WHERE gemeente = ?`+countArea+` AND `+cats+
			` AND day >= ? AND day <= ? AND retrieved_at < ? AND replaced_at >= ?`, append(cargs, cutArg)...).Scan(&replaced); err != nil {
			return nil, fmt.Errorf("police counts as of %s: %w", asOfDay, err)
		}
		yc.Police = current + replaced
		out = append(out, yc)
	}
	return out, nil
}
