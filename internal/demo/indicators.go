package demo

import (
	"context"
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
	area := ind.Area
	if area == "" {
		area = ind.Gemeente
	}
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
	var pop []baken.Population
	if ind.PerThousand {
		if pop, err = db.FindPopulation(ctx, store.PopulationFilter{Codes: []string{area}}); err != nil {
			return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
		}
		if len(pop) == 0 {
			return nil, baken.Errorf(baken.Invalid, "area", "no population of %s to count per 1,000 inhabitants", area)
		}
	}
	current := time.Now().Year()
	out := make([]baken.Measurement, 0, to-from+1)
	for y := from; y <= to; y++ {
		v := float64(counts[y])
		if ind.PerThousand {
			inh := inhabitants(pop, y)
			if inh <= 0 {
				return nil, baken.Errorf(baken.Invalid, "area", "%s has no inhabitants in the population figures", area)
			}
			v = math.Round(v/float64(inh)*1000*100) / 100
		}
		status := baken.MeasurementFinal
		if y >= current {
			status = baken.MeasurementProvisional
		}
		out = append(out, baken.Measurement{IndicatorID: ind.ID, Area: area, Period: y, Value: v, Status: status})
	}
	return out, nil
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
