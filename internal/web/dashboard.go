package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"baken/internal/baken"
	"baken/internal/store"
)

// ThemeRow compares a theme's count this year with last year.
type ThemeRow struct {
	Code, Name    string
	This, Last    int
	Change        float64 // percent; NaN when last year had none
	HasChange, Up bool
}

// AreaRow is an area's count, with its rate per 1,000 inhabitants where that is shown.
type AreaRow struct {
	Code, Name string
	Count      int
	Rate       float64
	HasRate    bool
}

// Bar is one bar of a server-drawn chart (SVG, no script), with its table alternative.
type Bar struct {
	Label  string
	Count  int
	X, Y   int // position in the SVG
	Height int
}

type dashboardPage struct {
	Page
	Gemeente     string
	GemeenteName string
	Year, Prev   int
	Themes       []ThemeRow
	Months       []Bar
	ChartMax     int
	TopBuurten   []AreaRow
	TopRates     []AreaRow
	Generated    bool
	NoData       bool
}

// gemeenteOf returns the municipality a page shows: ?gemeente= when the actor may see it,
// else the actor's first.
func gemeenteOf(r *http.Request, a baken.Actor) (string, error) {
	if g := r.URL.Query().Get("gemeente"); g != "" {
		if !a.MaySee(g) {
			return "", &baken.Error{Kind: baken.NotFound, Message: "unknown municipality"}
		}
		return g, nil
	}
	if len(a.Gemeenten) > 0 {
		return a.Gemeenten[0], nil
	}
	return "", baken.Errorf(baken.Invalid, "gemeente", "choose a municipality (?gemeente=GM0384)")
}

func (w *Web) dashboard(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	p := dashboardPage{Page: w.page(r, "", "dashboard"), Gemeente: gm, GemeenteName: gm}
	p.Title = p.T("dashboard.title")
	if as, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &gm}); err == nil && len(as) > 0 {
		p.GemeenteName = as[len(as)-1].Name
	}
	// "This year" is the latest year with data, so that a store whose data ends last
	// year still compares two full years.
	years, err := w.cfg.DB.Trend(ctx, store.RollupFilter{Gemeenten: []string{gm}}, store.IntervalYear)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		p.NoData = true
		return w.render(rw, r, http.StatusOK, "dashboard", p)
	}
	p.Year, _ = strconv.Atoi(years[len(years)-1].Period)
	p.Prev = p.Year - 1
	thisYear := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", p.Year), To: fmt.Sprintf("%d-12-31", p.Year)}
	lastYear := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", p.Prev), To: fmt.Sprintf("%d-12-31", p.Prev)}
	for _, th := range w.tree.tree.Themes {
		cats := w.tree.byTheme[th.Code]
		if len(cats) == 0 {
			continue
		}
		row := ThemeRow{Code: th.Code, Name: name(th.Name, p.Lang)}
		for i, f := range []store.RollupFilter{thisYear, lastYear} {
			f.Categories = cats
			n, err := w.total(r, f)
			if err != nil {
				return err
			}
			if i == 0 {
				row.This = n
			} else {
				row.Last = n
			}
		}
		if row.This == 0 && row.Last == 0 {
			continue
		}
		if row.Last > 0 {
			row.Change, row.HasChange, row.Up = 100*float64(row.This-row.Last)/float64(row.Last), true, row.This > row.Last
		}
		p.Themes = append(p.Themes, row)
	}
	slices.SortFunc(p.Themes, func(a, b ThemeRow) int { return cmp.Compare(b.This, a.This) })
	// The last 24 months.
	months, err := w.cfg.DB.Trend(ctx, store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", p.Prev), To: fmt.Sprintf("%d-12-31", p.Year)}, store.IntervalMonth)
	if err != nil {
		return err
	}
	for _, m := range months {
		p.Months = append(p.Months, Bar{Label: m.Period, Count: m.Count + m.Coarse})
		p.ChartMax = max(p.ChartMax, m.Count+m.Coarse)
	}
	layoutBars(p.Months, p.ChartMax)
	// Buurten with the most registrations this year; wijken with the highest rate (the
	// population is published per wijk, not per buurt).
	names := map[string]string{}
	if as, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Gemeente: &gm}); err == nil {
		for _, a := range as {
			names[a.Code] = a.Name
		}
	}
	byBuurt, err := w.cfg.DB.CountsByArea(ctx, thisYear, baken.LevelBuurt)
	if err != nil {
		return err
	}
	for _, c := range byBuurt {
		p.TopBuurten = append(p.TopBuurten, AreaRow{Code: c.Area, Name: names[c.Area], Count: c.Count})
	}
	slices.SortFunc(p.TopBuurten, func(a, b AreaRow) int { return cmp.Compare(b.Count, a.Count) })
	p.TopBuurten = p.TopBuurten[:min(10, len(p.TopBuurten))]
	byWijk, err := w.cfg.DB.CountsByArea(ctx, thisYear, baken.LevelWijk)
	if err != nil {
		return err
	}
	pop, err := w.population(r, p.Year)
	if err != nil {
		return err
	}
	for _, c := range byWijk {
		if n, ok := pop[c.Area]; ok && n >= baken.MinPopulationForRate {
			p.TopRates = append(p.TopRates, AreaRow{Code: c.Area, Name: names[c.Area], Count: c.Count, Rate: 1000 * float64(c.Count) / float64(n), HasRate: true})
		}
	}
	slices.SortFunc(p.TopRates, func(a, b AreaRow) int { return cmp.Compare(b.Rate, a.Rate) })
	p.TopRates = p.TopRates[:min(10, len(p.TopRates))]
	demo := thisYear
	demo.Sources = []string{"demo"}
	if n, err := w.total(r, demo); err == nil && n > 0 {
		p.Generated = true
	}
	return w.render(rw, r, http.StatusOK, "dashboard", p)
}

// total sums a filter's counts over the whole period.
func (w *Web) total(r *http.Request, f store.RollupFilter) (int, error) {
	pts, err := w.cfg.DB.Trend(r.Context(), f, store.IntervalYear)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range pts {
		n += p.Count + p.Coarse
	}
	return n, nil
}

// population returns inhabitants per area code for the latest year <= year that has
// figures (or the nearest later one).
func (w *Web) population(r *http.Request, year int) (map[string]int, error) {
	all, err := w.cfg.DB.FindPopulation(r.Context(), store.PopulationFilter{})
	if err != nil {
		return nil, err
	}
	best := map[string]baken.Population{}
	for _, p := range all {
		b, ok := best[p.Code]
		better := !ok ||
			(p.Year <= year && (b.Year > year || p.Year > b.Year)) ||
			(p.Year > year && b.Year > year && p.Year < b.Year)
		if better {
			best[p.Code] = p
		}
	}
	out := make(map[string]int, len(best))
	for c, p := range best {
		out[c] = p.Inhabitants
	}
	return out, nil
}

// Chart geometry: the SVG's drawing area.
const (
	chartWidth  = 720
	chartHeight = 200
)

func layoutBars(bars []Bar, maxCount int) {
	if len(bars) == 0 || maxCount == 0 {
		return
	}
	step := chartWidth / len(bars)
	for i := range bars {
		h := bars[i].Count * chartHeight / maxCount
		bars[i].X, bars[i].Height, bars[i].Y = i*step+2, h, chartHeight-h
	}
}

// BarWidth is the width of one bar in the month chart.
func (p dashboardPage) BarWidth() int {
	if len(p.Months) == 0 {
		return 0
	}
	return max(chartWidth/len(p.Months)-4, 2)
}
