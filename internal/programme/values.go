// Package programme provides a yearly programme's figures and documents: the values of
// its indicators, computed from the registrations as stored now or as known on a
// reference date; the council letter and the progress report built from the stored
// plan and programme (rendered by package report); and issuing them, so that what went
// to the council is kept byte for byte.
package programme

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// IndicatorValues computes a computed indicator's value for every year from..to from the
// rollups: the number of registrations of its categories in its area (the gemeente when
// it names none), or that number per 1,000 inhabitants when PerThousand. A value of the
// current year (or later) is voorlopig, an earlier one definitief. The actor sees only
// what it may see. Kinds: Invalid (not a computed indicator, bad years, no population).
func IndicatorValues(ctx context.Context, db *store.DB, ind baken.Indicator, from, to int) ([]baken.Measurement, error) {
	if !ind.Computed {
		return nil, baken.Errorf(baken.Invalid, "computed", "indicator %s is entered by hand, not computed", ind.Code)
	}
	if from > to {
		return nil, baken.Errorf(baken.Invalid, "to", "%d is before %d", to, from)
	}
	area := areaOf(ind)
	f := store.RollupFilter{Gemeenten: []string{ind.Gemeente}, Categories: ind.Categories, Area: area,
		From: fmt.Sprintf("%04d-01-01", from), To: fmt.Sprintf("%04d-12-31", to)}
	points, err := db.Trend(ctx, f, store.IntervalYear)
	if err != nil {
		return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
	}
	counts := map[int]int{}
	for _, p := range points {
		y, err := strconv.Atoi(p.Period)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: period %q: %w", ind.Code, p.Period, err)
		}
		counts[y] += p.Count + p.Coarse
	}
	current := time.Now().Year()
	out := make([]baken.Measurement, 0, to-from+1)
	per, err := perThousand(ctx, db, ind, area)
	if err != nil {
		return nil, err
	}
	for y := from; y <= to; y++ {
		v, err := per(y, counts[y])
		if err != nil {
			return nil, err
		}
		status := baken.MeasurementFinal
		if y >= current {
			status = baken.MeasurementProvisional
		}
		out = append(out, baken.Measurement{IndicatorID: ind.ID, Area: area, Period: y, Value: v, Status: status})
	}
	return out, nil
}

// IndicatorValuesAsOf returns an indicator's values for the years from..to as they were
// known on the reference date asOf (see store.YearCountsAsOf for what counts), so that
// a document made later with the same reference date has the same figures.
//
// A computed indicator has a value for every year up to asOf's: definitief when the
// year had ended by asOf, voorlopig when it was still under way (a count so far). An
// indicator entered by hand has the measurements of its area (the gemeente when it
// names none) that were entered by asOf, as they were then: a later revision is undone
// from the history. The actor must see the gemeente. Kinds: Invalid, NotFound.
func IndicatorValuesAsOf(ctx context.Context, db *store.DB, ind baken.Indicator, from, to int, asOf time.Time) ([]baken.Measurement, error) {
	ms, _, err := valuesAsOf(ctx, db, ind, from, to, asOf)
	return ms, err
}

// valuesAsOf is IndicatorValuesAsOf that also returns, for a computed indicator, what
// each value was counted from (same index): how many registrations, of which generated
// (demo data), and police counts.
func valuesAsOf(ctx context.Context, db *store.DB, ind baken.Indicator, from, to int, asOf time.Time) ([]baken.Measurement, []store.YearCount, error) {
	if from > to {
		return nil, nil, baken.Errorf(baken.Invalid, "to", "%d is before %d", to, from)
	}
	if !ind.Computed {
		ms, err := measurementsAsOf(ctx, db, ind, from, to, asOf)
		return ms, nil, err
	}
	area := areaOf(ind)
	counts, err := db.YearCountsAsOf(ctx, store.AsOfFilter{Gemeente: ind.Gemeente, Categories: ind.Categories, Area: area,
		From: from, To: to, AsOf: asOf})
	if err != nil {
		return nil, nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
	}
	per, err := perThousand(ctx, db, ind, area)
	if err != nil {
		return nil, nil, err
	}
	day := store.DateOf(asOf)
	out := make([]baken.Measurement, 0, len(counts))
	for _, c := range counts {
		v, err := per(c.Year, c.Total())
		if err != nil {
			return nil, nil, err
		}
		status := baken.MeasurementFinal
		if !yearEnded(c.Year, day) {
			status = baken.MeasurementProvisional
		}
		out = append(out, baken.Measurement{IndicatorID: ind.ID, Area: area, Period: c.Year, Value: v, Status: status})
	}
	return out, counts, nil
}

// yearEnded reports whether year had ended on the calendar date day (its last day
// included).
func yearEnded(year int, day time.Time) bool {
	return !day.Before(time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC))
}

func areaOf(ind baken.Indicator) string {
	if ind.Area != "" {
		return ind.Area
	}
	return ind.Gemeente
}

// perThousand returns the function that turns a year's count into the indicator's
// value: the count itself, or per 1,000 inhabitants of the area (two decimals).
func perThousand(ctx context.Context, db *store.DB, ind baken.Indicator, area string) (func(year, n int) (float64, error), error) {
	if !ind.PerThousand {
		return func(_, n int) (float64, error) { return float64(n), nil }, nil
	}
	pop, err := db.FindPopulation(ctx, store.PopulationFilter{Codes: []string{area}})
	if err != nil {
		return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
	}
	if len(pop) == 0 {
		return nil, baken.Errorf(baken.Invalid, "area", "no population of %s to count per 1,000 inhabitants", area)
	}
	return func(year, n int) (float64, error) {
		inh := inhabitants(pop, year)
		if inh <= 0 {
			return 0, baken.Errorf(baken.Invalid, "area", "%s has no inhabitants in the population figures", area)
		}
		return math.Round(float64(n)/float64(inh)*1000*100) / 100, nil
	}, nil
}

// inhabitants returns the population of the year, or of the nearest year there is a
// figure for (the earlier one on a tie).
func inhabitants(pop []baken.Population, year int) int {
	best, dist := 0, math.MaxInt
	for _, p := range pop {
		d := p.Year - year
		if d < 0 {
			d = -d
		}
		if d < dist || (d == dist && p.Year < year) {
			best, dist = p.Inhabitants, d
		}
	}
	return best
}

// measurementsAsOf returns a hand-entered indicator's measurements of its area for the
// years from..to as they were at the end of asOf: those entered later are left out, and
// one revised later is taken from the history in the version it had then.
func measurementsAsOf(ctx context.Context, db *store.DB, ind baken.Indicator, from, to int, asOf time.Time) ([]baken.Measurement, error) {
	cutoff, err := store.EndOfDay(asOf)
	if err != nil {
		return nil, err
	}
	all, err := db.FindMeasurements(ctx, ind.ID)
	if err != nil {
		return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
	}
	area := areaOf(ind)
	var out []baken.Measurement
	for _, m := range all {
		if m.Area != area || m.Period < from || m.Period > to || !m.CreatedAt.Before(cutoff) {
			continue
		}
		if !m.UpdatedAt.Before(cutoff) {
			if m, err = measurementAt(ctx, db, m, cutoff); err != nil {
				return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// measurementAt returns the version of m that was current just before cutoff: the
// oldest version replaced at or after it.
func measurementAt(ctx context.Context, db *store.DB, m baken.Measurement, cutoff time.Time) (baken.Measurement, error) {
	key := m.IndicatorID + "/" + m.Area + "/" + strconv.Itoa(m.Period)
	hist, err := db.ProgrammeHistory(ctx, store.EntityMeasurement, key)
	if err != nil {
		return m, err
	}
	for _, h := range hist {
		if h.ChangedAt.Before(cutoff) {
			continue
		}
		var old baken.Measurement
		if err := json.Unmarshal(h.Body, &old); err != nil {
			return m, fmt.Errorf("measurement %s version %d: %w", key, h.Version, err)
		}
		return old, nil
	}
	return m, fmt.Errorf("measurement %s: no version before %s in its history", key, cutoff.Format(time.RFC3339))
}
