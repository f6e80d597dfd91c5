package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

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
	// ThisLabel and PrevLabel name the periods compared: "2025", or "2026 t/m 22
	// november" when the latest year's registrations end before 31 December.
	ThisLabel, PrevLabel string
	Themes               []ThemeRow
	Months               []Bar // the bars of the trend chart: months, or years with ByYear
	ChartMax             int
	BarWidth             int // of one bar in the month chart: a field, not a method, as the chart repeats it
	ByYear               bool
	TopBuurten           []AreaRow
	TopRates             []AreaRow
	Generated            bool
	NoData               bool
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

// dataCacheSize bounds the cache of computed page data: a few hundred gemeenten, each
// with a version and the aggregates-only flag.
const dataCacheSize = 256

// dashboardData is what the dashboard computes from the rollups, the same for every
// actor of a gemeente; the page adds the language and the actor. It is shared between
// requests through the cache: never change it after it is made.
type dashboardData struct {
	GemeenteName string
	NoData       bool
	Year, Prev   int
	// Through is the last day with registrations of Year when that is before 31
	// December (YYYY-MM-DD): Year is compared with the same days of Prev. Empty when
	// Year is complete.
	Through    string
	Themes     []ThemeRow // Name empty: the page fills it in its language
	Months     []Bar
	ChartMax   int
	Years      []Bar
	YearMax    int
	TopBuurten []AreaRow
	TopRates   []AreaRow
	Generated  bool
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
	v, err := w.cfg.DB.DataVersion(ctx, gm)
	if err != nil {
		return err
	}
	d, _, err := w.dashboards.get(ctx, dataKey{Gemeente: gm, Version: v, AggregatesOnly: a.AggregatesOnly()},
		func(ctx context.Context) (*dashboardData, error) { return w.dashboardData(ctx, gm) })
	if err != nil {
		return err
	}
	p := dashboardPage{Page: w.page(r, "", "dashboard"), Gemeente: gm, GemeenteName: d.GemeenteName,
		Year: d.Year, Prev: d.Prev, ThisLabel: strconv.Itoa(d.Year), PrevLabel: strconv.Itoa(d.Prev), Months: d.Months, ChartMax: d.ChartMax, BarWidth: barWidth(d.Months), TopBuurten: d.TopBuurten,
		TopRates: d.TopRates, Generated: d.Generated, NoData: d.NoData}
	if r.URL.Query().Get("trend") == "jaar" {
		p.ByYear, p.Months, p.ChartMax, p.BarWidth = true, d.Years, d.YearMax, barWidth(d.Years)
	}
	if d.Through != "" {
		if t, err := time.Parse(time.DateOnly, d.Through); err == nil {
			p.ThisLabel = p.T("dashboard.through", d.Year, formatDayMonth(p.Lang, t))
			p.PrevLabel = p.T("dashboard.through", d.Prev, formatDayMonth(p.Lang, t))
		}
	}
	p.Title = p.T("dashboard.title")
	p.Themes = make([]ThemeRow, len(d.Themes))
	for i, th := range d.Themes {
		th.Name = name(w.tree.themes[th.Code].Name, p.Lang)
		p.Themes[i] = th
	}
	return w.render(rw, r, http.StatusOK, "dashboard", p)
}

// dashboardData computes the dashboard's figures of gemeente gm from the rollups.
func (w *Web) dashboardData(ctx context.Context, gm string) (*dashboardData, error) {
	d := &dashboardData{GemeenteName: gm}
	if as, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &gm}); err == nil && len(as) > 0 {
		d.GemeenteName = as[len(as)-1].Name
	}
	// "This year" is the latest year with data, so that a store whose data ends last
	// year still compares two full years.
	years, err := w.cfg.DB.Trend(ctx, store.RollupFilter{Gemeenten: []string{gm}}, store.IntervalYear)
	if err != nil {
		return nil, err
	}
	if len(years) == 0 {
		d.NoData = true
		return d, nil
	}
	d.Year, _ = strconv.Atoi(years[len(years)-1].Period)
	for _, y := range years {
		d.Years = append(d.Years, Bar{Label: y.Period, Count: y.Count + y.Coarse})
		d.YearMax = max(d.YearMax, y.Count+y.Coarse)
	}
	layoutBars(d.Years, d.YearMax)
	d.Prev = d.Year - 1
	// The last 24 months.
	months, err := w.cfg.DB.Trend(ctx, store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", d.Prev), To: fmt.Sprintf("%d-12-31", d.Year)}, store.IntervalMonth)
	if err != nil {
		return nil, err
	}
	for _, m := range months {
		d.Months = append(d.Months, Bar{Label: m.Period, Count: m.Count + m.Coarse})
		d.ChartMax = max(d.ChartMax, m.Count+m.Coarse)
	}
	layoutBars(d.Months, d.ChartMax)
	// A year whose registrations end before 31 December (the current year, an export
	// made in the course of one) is compared with the same days of the year before:
	// eleven months against twelve would show every theme falling.
	if d.Through, err = w.lastDay(ctx, gm, d.Year); err != nil {
		return nil, err
	}
	thisYear := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", d.Year), To: fmt.Sprintf("%d-12-31", d.Year)}
	lastYear := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", d.Prev), To: fmt.Sprintf("%d-12-31", d.Prev)}
	if d.Through != "" {
		thisYear.To, lastYear.To = d.Through, sameDayYearBefore(d.Through)
	}
	for _, th := range w.tree.tree.Themes {
		cats := w.tree.byTheme[th.Code]
		if len(cats) == 0 {
			continue
		}
		row := ThemeRow{Code: th.Code}
		for i, f := range []store.RollupFilter{thisYear, lastYear} {
			f.Categories = cats
			n, err := w.sum(ctx, f)
			if err != nil {
				return nil, err
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
		d.Themes = append(d.Themes, row)
	}
	slices.SortFunc(d.Themes, func(a, b ThemeRow) int { return cmp.Compare(b.This, a.This) })
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
		return nil, err
	}
	for _, c := range byBuurt {
		d.TopBuurten = append(d.TopBuurten, AreaRow{Code: c.Area, Name: names[c.Area], Count: c.Count})
	}
	slices.SortFunc(d.TopBuurten, func(a, b AreaRow) int { return cmp.Compare(b.Count, a.Count) })
	d.TopBuurten = d.TopBuurten[:min(10, len(d.TopBuurten))]
	byWijk, err := w.cfg.DB.CountsByArea(ctx, thisYear, baken.LevelWijk)
	if err != nil {
		return nil, err
	}
	pop, err := w.populationAt(ctx, d.Year)
	if err != nil {
		return nil, err
	}
	for _, c := range byWijk {
		if n, ok := pop[c.Area]; ok && n >= baken.MinPopulationForRate {
			d.TopRates = append(d.TopRates, AreaRow{Code: c.Area, Name: names[c.Area], Count: c.Count, Rate: 1000 * float64(c.Count) / float64(n), HasRate: true})
		}
	}
	slices.SortFunc(d.TopRates, func(a, b AreaRow) int { return cmp.Compare(b.Rate, a.Rate) })
	d.TopRates = d.TopRates[:min(10, len(d.TopRates))]
	demo := thisYear
	demo.Sources = []string{"demo"}
	if n, err := w.sum(ctx, demo); err == nil && n > 0 {
		d.Generated = true
	}
	return d, nil
}

// lastDay returns the last day of year with registrations counted by day, when it is
// before 31 December; "" when the year is complete or has only coarser counts (police
// open data per month or year), which cannot be cut at a day. It reads the year's months,
// then the days of the last month with any.
func (w *Web) lastDay(ctx context.Context, gm string, year int) (string, error) {
	f := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year)}
	months, err := w.cfg.DB.Trend(ctx, f, store.IntervalMonth)
	if err != nil {
		return "", err
	}
	last := ""
	for _, m := range months {
		if m.Count > 0 {
			last = m.Start
		}
	}
	if last == "" {
		return "", nil
	}
	start, err := time.Parse(time.DateOnly, last)
	if err != nil {
		return "", err
	}
	f.From, f.To = last, start.AddDate(0, 1, -1).Format(time.DateOnly)
	days, err := w.cfg.DB.Trend(ctx, f, store.IntervalDay)
	if err != nil {
		return "", err
	}
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].Count > 0 {
			if days[i].Period == fmt.Sprintf("%d-12-31", year) {
				return "", nil
			}
			return days[i].Period, nil
		}
	}
	return "", nil
}

// sameDayYearBefore returns the same day a year earlier (YYYY-MM-DD); 29 February
// becomes 28 February.
func sameDayYearBefore(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	p := time.Date(t.Year()-1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if p.Month() != t.Month() {
		p = time.Date(t.Year()-1, t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return p.Format(time.DateOnly)
}

// total sums a filter's counts over the whole period.
func (w *Web) total(r *http.Request, f store.RollupFilter) (int, error) { return w.sum(r.Context(), f) }

// sum sums a filter's counts over the whole period.
func (w *Web) sum(ctx context.Context, f store.RollupFilter) (int, error) {
	pts, err := w.cfg.DB.Trend(ctx, f, store.IntervalYear)
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
	return w.populationAt(r.Context(), year)
}

// populationAt is population for a context.
func (w *Web) populationAt(ctx context.Context, year int) (map[string]int, error) {
	all, err := w.cfg.DB.FindPopulation(ctx, store.PopulationFilter{})
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

// barWidth is the width of one bar in the month chart.
func barWidth(bars []Bar) int {
	if len(bars) == 0 {
		return 0
	}
	return max(chartWidth/len(bars)-4, 2)
}

// TrendData is the trend chart's figures for the page's script (static/js/charts.js),
// which draws them with uPlot over the server-drawn SVG. The template writes it into a
// <script type="application/json"> block, where html/template JSON-encodes it and
// escapes "<", so no label can end the block. Counts the actor may not see exactly
// (aggregates only, 1 to SmallCount) are null, as the page shows them as "<5"; Texts
// holds every count as the page formats it.
func (p dashboardPage) TrendData() TrendData {
	suppress := p.Actor != nil && p.Actor.AggregatesOnly()
	d := TrendData{Period: p.T("dashboard.month"), Series: p.T("dashboard.count"), Labels: make([]string, len(p.Months)),
		Counts: make([]*int, len(p.Months)), Texts: make([]string, len(p.Months))}
	for i, b := range p.Months {
		d.Labels[i], d.Texts[i] = b.Label, p.Count(b.Count)
		if !(suppress && b.Count > 0 && b.Count <= SmallCount) {
			n := b.Count
			d.Counts[i] = &n
		}
	}
	if p.ByYear {
		d.Period = p.T("dashboard.year")
	}
	return d
}

// TrendData is the data block of the dashboard's trend chart.
type TrendData struct {
	Period string   `json:"period"` // what a label is: "Maand" or "Jaar"
	Series string   `json:"series"` // the name of the series: "Aantal"
	Labels []string `json:"labels"` // months (2025-01) or years
	Counts []*int   `json:"counts"` // null where the count is suppressed
	Texts  []string `json:"texts"`  // the counts as the page shows them
}
