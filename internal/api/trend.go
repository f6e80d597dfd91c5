package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"

	"baken/internal/baken"
	"baken/internal/store"
)

type trendPoint struct {
	Period string `json:"period"`
	Start  string `json:"start"`
	Count  int    `json:"count"`
	Coarse int    `json:"coarse"`
	// RatePer1000 is Count per 1,000 inhabitants, or null with RateNote saying why.
	RatePer1000 *float64 `json:"rate_per_1000"`
	RateNote    string   `json:"rate_note,omitempty"`
}

type trendPopulation struct {
	Code        string `json:"code"`
	Year        int    `json:"year"`
	Inhabitants int    `json:"inhabitants"`
}

type trendJSON struct {
	Interval   string           `json:"interval"`
	Area       *string          `json:"area"`
	Categories []string         `json:"categories"`
	Sources    []string         `json:"sources"`
	From       *string          `json:"from"`
	To         *string          `json:"to"`
	Points     []trendPoint     `json:"points"`
	Population *trendPopulation `json:"population"`
	Generated  bool             `json:"generated"`
}

// Why a point has no rate.
const (
	noteNoArea  = "no area: rates are given for one gemeente, wijk or buurt"
	noteUnknown = "population unknown"
)

var noteFewPeople = fmt.Sprintf("fewer than %d inhabitants", baken.MinPopulationForRate)

// trend answers GET /api/v1/stats/trend: counts per year, month or ISO week, read from
// the rollups only, with rates per 1,000 inhabitants where the area's population is
// known and large enough. Any signed-in actor may read it (a raadslid too); the store
// limits it to the municipalities the actor may see.
func (a *API) trend(w http.ResponseWriter, r *http.Request) error {
	actor, err := actorOf(r)
	if err != nil {
		return err
	}
	q := parseQuery(r, "interval", "category", "theme", "group", "area", "source", "from", "to")
	interval := store.IntervalMonth
	switch v := q.one("interval"); v {
	case "":
	case string(store.IntervalYear), string(store.IntervalMonth), string(store.IntervalWeek):
		interval = store.Interval(v)
	default:
		q.fail("interval", "%q: want year, month or week", v)
	}
	cats, filtered := a.tree.categoryFilter(q, true)
	area := q.area("area")
	sources := q.list("source")
	from, to := q.period()
	if err := q.err(); err != nil {
		return err
	}
	// An actor of one municipality asks about that municipality.
	if area == "" && !actor.AllGemeenten && len(actor.Gemeenten) == 1 {
		area = actor.Gemeenten[0]
	}
	if err := checkArea(actor, area); err != nil {
		return err
	}
	// Categories and sources are null when not filtered on.
	out := trendJSON{
		Interval: string(interval), Area: nullable(area), Categories: cats, Sources: sources,
		From: nullable(from), To: nullable(to), Points: []trendPoint{},
	}
	ctx := r.Context()
	if !filtered || len(cats) > 0 {
		f := store.RollupFilter{Categories: cats, Sources: sources, Area: area, From: from, To: to}
		points, err := a.db.Trend(ctx, f, interval)
		if err != nil {
			return err
		}
		for _, p := range points {
			out.Points = append(out.Points, trendPoint{Period: p.Period, Start: p.Start, Count: p.Count, Coarse: p.Coarse})
		}
		// The rollups do not know which rows were generated; the demo's source does.
		if len(points) > 0 && (len(sources) == 0 || slices.Contains(sources, DemoSource)) {
			f.Sources = []string{DemoSource}
			demo, err := a.db.Trend(ctx, f, interval)
			if err != nil {
				return err
			}
			out.Generated = slices.ContainsFunc(demo, func(p store.TrendPoint) bool { return p.Count+p.Coarse > 0 })
		}
	}
	if area == "" {
		for i := range out.Points {
			out.Points[i].RateNote = noteNoArea
		}
		return writeJSON(w, http.StatusOK, contentJSON, out)
	}
	pops, err := a.db.FindPopulation(ctx, store.PopulationFilter{Codes: []string{area}})
	if err != nil {
		return err
	}
	for i := range out.Points {
		p := &out.Points[i]
		pop, ok := populationOf(pops, yearOf(p.Start))
		switch {
		case !ok:
			p.RateNote = noteUnknown
		case pop.Inhabitants < baken.MinPopulationForRate:
			p.RateNote = noteFewPeople
		default:
			// Per 1,000 inhabitants, to two decimals.
			rate := math.Round(float64(p.Count)*1000/float64(pop.Inhabitants)*100) / 100
			p.RatePer1000 = &rate
		}
	}
	// The figure shown beside the series is the one in force for its last period (or,
	// without points, for the end of the asked period, else for this year).
	year := a.now().In(a.loc).Year()
	switch {
	case len(out.Points) > 0:
		year = yearOf(out.Points[len(out.Points)-1].Start)
	case to != "":
		year = yearOf(to)
	}
	if pop, ok := populationOf(pops, year); ok {
		out.Population = &trendPopulation{Code: pop.Code, Year: pop.Year, Inhabitants: pop.Inhabitants}
	}
	return writeJSON(w, http.StatusOK, contentJSON, out)
}

// yearOf returns the year of a YYYY-MM-DD day.
func yearOf(day string) int {
	y, _ := strconv.Atoi(day[:4])
	return y
}
