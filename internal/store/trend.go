package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"baken/internal/baken"
)

// Interval is the width of a trend's periods.
type Interval string

const (
	IntervalYear  Interval = "year"
	IntervalMonth Interval = "month"
	IntervalWeek  Interval = "week"
	IntervalDay   Interval = "day"
)

// ParseInterval accepts year, month, week and day.
func ParseInterval(s string) (Interval, error) {
	switch i := Interval(s); i {
	case IntervalYear, IntervalMonth, IntervalWeek, IntervalDay:
		return i, nil
	}
	return "", baken.Errorf(baken.Invalid, "interval", "%q: want year, month, week or day", s)
}

// RollupFilter selects rollup cells; empty fields do not filter. Days are local
// calendar days, both ends inclusive.
type RollupFilter struct {
	Gemeenten  []string
	Categories []string
	Sources    []string
	// Area is a gemeente, wijk or buurt code.
	Area     string
	From, To string
	// GroupBy is the level figures are counted at (CountsByArea sets it).
	GroupBy baken.AreaLevel
}

// monthly reports whether f covers whole months only, so that the monthly rollups
// answer it.
func (f RollupFilter) monthly() bool {
	if f.From != "" && !strings.HasSuffix(f.From, "-01") {
		return false
	}
	if f.To != "" {
		t, err := time.Parse(time.DateOnly, f.To)
		if err != nil || t.AddDate(0, 0, 1).Day() != 1 {
			return false
		}
	}
	return true
}

// source returns the rollup table and period column that answer f, and the filter's
// bounds in that column's terms.
func (f RollupFilter) source(interval Interval) (table, col, from, to string) {
	if (interval == IntervalYear || interval == IntervalMonth || interval == "") && f.monthly() {
		from, to = f.From, f.To
		if from != "" {
			from = from[:7]
		}
		if to != "" {
			to = to[:7]
		}
		return "rollups_monthly", "month", from, to
	}
	return "rollups", "day", f.From, f.To
}

func (f RollupFilter) where(a baken.Actor) (string, []any, bool) {
	return f.whereOn(a, "day", f.From, f.To)
}

func (f RollupFilter) whereOn(a baken.Actor, periodCol, from, to string) (string, []any, bool) {
	gms, ok := visibleGemeenten(a, f.Gemeenten, false)
	if !ok {
		return "", nil, false
	}
	var conds []string
	var args []any
	// Police open-data counts are published per gemeente, wijk and buurt side by side,
	// and those do not add up: for a count source an area's figure is its own row.
	level := baken.LevelGemeente
	if f.Area != "" {
		var err error
		level, err = baken.LevelOfCode(f.Area)
		if err != nil {
			return "", nil, false
		}
		gm := baken.GemeenteOfCode(f.Area)
		if len(gms) > 0 && !slices.Contains(gms, gm) {
			return "", nil, false
		}
		gms = []string{gm}
		switch level {
		case baken.LevelWijk:
			conds, args = append(conds, "wijk = ?"), append(args, f.Area)
		case baken.LevelBuurt:
			conds, args = append(conds, "buurt = ?"), append(args, f.Area)
		}
	}
	if f.GroupBy != "" {
		level = f.GroupBy
	}
	switch level {
	case baken.LevelGemeente:
		conds = append(conds, "(source NOT IN (SELECT DISTINCT source FROM counts) OR (wijk = '' AND buurt = ''))")
	case baken.LevelWijk:
		conds = append(conds, "(source NOT IN (SELECT DISTINCT source FROM counts) OR buurt = '')")
	}
	if len(gms) > 0 {
		conds, args = append(conds, in("gemeente", len(gms))), appendStrings(args, gms)
	} else {
		conds = append(conds, "gemeente <> ''")
	}
	if len(f.Categories) > 0 {
		conds, args = append(conds, in("category", len(f.Categories))), appendStrings(args, f.Categories)
	}
	if len(f.Sources) > 0 {
		conds, args = append(conds, in("source", len(f.Sources))), appendStrings(args, f.Sources)
	}
	if from != "" {
		conds, args = append(conds, periodCol+" >= ?"), append(args, from)
	}
	if to != "" {
		conds, args = append(conds, periodCol+" <= ?"), append(args, to)
	}
	return " WHERE " + strings.Join(conds, " AND "), args, true
}

// TrendPoint is the count of one period.
type TrendPoint struct {
	Period string // 2024, 2024-03, 2024-W09 or 2024-03-01
	Start  string // first day of the period
	Count  int
	// Coarse counts whose precision is wider than the interval (police open-data
	// counts per month or year) are kept apart: they cannot be split over weeks.
	Coarse int
}

// Trend returns counts per period from the rollups, oldest first, with empty periods
// between the first and last filled in as zero. Counts at month or year precision go
// into Coarse for intervals finer than their precision. The actor sees only the
// municipalities it may see.
func (db *DB) Trend(ctx context.Context, f RollupFilter, interval Interval) ([]TrendPoint, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	table, col, from, to := f.source(interval)
	where, args, ok := f.whereOn(tx.actor, col, from, to)
	if !ok {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+col+`, precision, SUM(n) FROM `+table+where+` GROUP BY `+col+`, precision`, args...)
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	defer rows.Close()
	points := map[string]*TrendPoint{}
	for rows.Next() {
		var day, prec string
		var n int
		if err := rows.Scan(&day, &prec, &n); err != nil {
			return nil, fmt.Errorf("trend: %w", err)
		}
		if len(day) == 7 {
			day += "-01"
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil, fmt.Errorf("trend: bad day %q in rollups", day)
		}
		period, start := PeriodOf(d, interval)
		p := points[period]
		if p == nil {
			p = &TrendPoint{Period: period, Start: start}
			points[period] = p
		}
		if finer(interval, prec) {
			p.Coarse += n
		} else {
			p.Count += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	return fillPeriods(points, interval), nil
}

// finer reports whether interval is finer than a rollup precision.
func finer(interval Interval, precision string) bool {
	switch precision {
	case "year":
		return interval != IntervalYear
	case "month":
		return interval == IntervalWeek || interval == IntervalDay
	}
	return false
}

// PeriodOf returns the label and first day of the period of interval that day falls in.
// Weeks are ISO weeks (Monday first), labelled by their ISO year.
func PeriodOf(day time.Time, interval Interval) (label, start string) {
	switch interval {
	case IntervalYear:
		return day.Format("2006"), day.Format("2006") + "-01-01"
	case IntervalMonth:
		return day.Format("2006-01"), day.Format("2006-01") + "-01"
	case IntervalWeek:
		y, w := day.ISOWeek()
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		return fmt.Sprintf("%04d-W%02d", y, w), monday.Format(time.DateOnly)
	}
	return day.Format(time.DateOnly), day.Format(time.DateOnly)
}

func nextPeriod(start time.Time, interval Interval) time.Time {
	switch interval {
	case IntervalYear:
		return start.AddDate(1, 0, 0)
	case IntervalMonth:
		return start.AddDate(0, 1, 0)
	case IntervalWeek:
		return start.AddDate(0, 0, 7)
	}
	return start.AddDate(0, 0, 1)
}

func fillPeriods(points map[string]*TrendPoint, interval Interval) []TrendPoint {
	if len(points) == 0 {
		return []TrendPoint{}
	}
	var first, last string
	for _, p := range points {
		if first == "" || p.Start < first {
			first = p.Start
		}
		if p.Start > last {
			last = p.Start
		}
	}
	var out []TrendPoint
	t, _ := time.Parse(time.DateOnly, first)
	end, _ := time.Parse(time.DateOnly, last)
	for !t.After(end) {
		label, start := PeriodOf(t, interval)
		if p := points[label]; p != nil {
			out = append(out, *p)
		} else {
			out = append(out, TrendPoint{Period: label, Start: start})
		}
		t = nextPeriod(t, interval)
	}
	return out
}

// AreaCount is the count of one area.
type AreaCount struct {
	Area  string
	Count int
}

// CountsByArea returns counts per buurt (level buurt) or wijk (level wijk) from the
// rollups, for maps and rankings. The actor sees only the municipalities it may see.
func (db *DB) CountsByArea(ctx context.Context, f RollupFilter, level baken.AreaLevel) ([]AreaCount, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	f.GroupBy = level
	table, periodCol, from, to := f.source("")
	where, args, ok := f.whereOn(tx.actor, periodCol, from, to)
	if !ok {
		return nil, nil
	}
	col := "buurt"
	switch level {
	case baken.LevelWijk:
		col = "wijk"
	case baken.LevelGemeente:
		col = "gemeente"
	}
	rows, err := tx.Query(ctx, `SELECT `+col+`, SUM(n) FROM `+table+where+` AND `+col+` <> '' GROUP BY `+col+` ORDER BY `+col, args...)
	if err != nil {
		return nil, fmt.Errorf("counts by area: %w", err)
	}
	defer rows.Close()
	var out []AreaCount
	for rows.Next() {
		var c AreaCount
		if err := rows.Scan(&c.Area, &c.Count); err != nil {
			return nil, fmt.Errorf("counts by area: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TrendByScan computes the same daily counts as Trend with a plain GROUP BY over the
// registrations. It exists to measure what the rollups save (baken bench trend).
func (db *DB) TrendByScan(ctx context.Context, f RollupFilter, interval Interval) ([]TrendPoint, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, ok := f.where(tx.actor)
	if !ok {
		return nil, nil
	}
	where = strings.ReplaceAll(where, "day ", "local_day ")
	where = strings.Replace(where, " AND (source NOT IN (SELECT DISTINCT source FROM counts) OR (wijk = '' AND buurt = ''))", "", 1)
	rows, err := tx.Query(ctx, `SELECT local_day, COUNT(*) FROM registrations`+where+` GROUP BY local_day`, args...)
	if err != nil {
		return nil, fmt.Errorf("trend by scan: %w", err)
	}
	defer rows.Close()
	points := map[string]*TrendPoint{}
	for rows.Next() {
		var day string
		var n int
		if err := rows.Scan(&day, &n); err != nil {
			return nil, fmt.Errorf("trend by scan: %w", err)
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil, fmt.Errorf("trend by scan: bad day %q", day)
		}
		period, start := PeriodOf(d, interval)
		p := points[period]
		if p == nil {
			p = &TrendPoint{Period: period, Start: start}
			points[period] = p
		}
		p.Count += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trend by scan: %w", err)
	}
	return fillPeriods(points, interval), nil
}
