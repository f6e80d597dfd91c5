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

// buurtRow is a buurt in the list of buurten.
type buurtRow struct {
	Code, Name string
	Count      int
}

// wijkGroup is a wijk with its buurten, its count and, where the population allows, its
// rate per 1,000 inhabitants.
type wijkGroup struct {
	Code, Name    string
	Count         int
	Population    int
	HasPopulation bool
	Rate          float64
	HasRate       bool
	Buurten       []buurtRow
}

type buurtenPage struct {
	Page
	Gemeente     string
	GemeenteName string
	Years        []int
	Year         int
	Wijken       []wijkGroup
	Total        int
	NoData       bool
}

// buurten lists the municipality's buurten per wijk with their counts in a year.
func (w *Web) buurten(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	years, err := w.yearsWithData(r.Context(), gm)
	if err != nil {
		return err
	}
	year, err := w.yearParam(r, years)
	if err != nil {
		return err
	}
	p := buurtenPage{Page: w.page(r, "", "buurten"), Gemeente: gm, GemeenteName: w.municipalityName(r.Context(), gm), Years: years, Year: year, NoData: len(years) == 0}
	p.Title = p.T("buurten.title")
	if p.NoData {
		year = w.cfg.Now().In(w.cfg.Location).Year()
	}
	wijken, err := w.areasInForce(r, gm, year, baken.LevelWijk, false)
	if err != nil {
		return err
	}
	buurten, err := w.areasInForce(r, gm, year, baken.LevelBuurt, false)
	if err != nil {
		return err
	}
	f := store.RollupFilter{Gemeenten: []string{gm}, From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year)}
	countsOf := func(level baken.AreaLevel) (map[string]int, error) {
		out := map[string]int{}
		if p.NoData {
			return out, nil
		}
		cs, err := w.cfg.DB.CountsByArea(r.Context(), f, level)
		for _, c := range cs {
			out[c.Area] = c.Count
		}
		return out, err
	}
	byBuurt, err := countsOf(baken.LevelBuurt)
	if err != nil {
		return err
	}
	byWijk, err := countsOf(baken.LevelWijk)
	if err != nil {
		return err
	}
	pop, err := w.population(r, year)
	if err != nil {
		return err
	}
	groups := map[string]*wijkGroup{}
	for _, wk := range wijken {
		groups[wk.Code] = &wijkGroup{Code: wk.Code, Name: wk.Name}
	}
	for _, b := range buurten {
		g := groups[b.Parent]
		if g == nil { // a buurt whose wijk is not loaded
			g = &wijkGroup{Code: b.Parent, Name: b.Parent}
			groups[b.Parent] = g
		}
		g.Buurten = append(g.Buurten, buurtRow{Code: b.Code, Name: b.Name, Count: byBuurt[b.Code]})
	}
	for _, g := range groups {
		g.Count = byWijk[g.Code]
		if n, ok := pop[g.Code]; ok {
			g.Population, g.HasPopulation = n, true
			if n >= baken.MinPopulationForRate && !p.hides(g.Count) {
				g.Rate, g.HasRate = 1000*float64(g.Count)/float64(n), true
			}
		}
		slices.SortFunc(g.Buurten, func(a, b buurtRow) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) })
		p.Total += g.Count
		p.Wijken = append(p.Wijken, *g)
	}
	slices.SortFunc(p.Wijken, func(a, b wijkGroup) int { return cmp.Compare(a.Code, b.Code) })
	return w.render(rw, r, http.StatusOK, "buurten", p)
}

// smallChart is one of a row of small bar charts (one per theme), each on its own scale.
type smallChart struct {
	Code, Name string
	Bars       []Bar
	Max        int
	Total      int
}

// Small chart geometry, in SVG units.
const (
	smallWidth  = 240
	smallHeight = 80
)

// BarWidth is the width of one bar.
func (c smallChart) BarWidth() int {
	if len(c.Bars) == 0 {
		return 0
	}
	return max(smallWidth/len(c.Bars)-4, 2)
}

func layoutSmallBars(bars []Bar, maxCount int) {
	if len(bars) == 0 {
		return
	}
	step := smallWidth / len(bars)
	for i := range bars {
		h := 0
		if bars[i].Count > 0 {
			h = max(bars[i].Count*smallHeight/maxCount, 1)
		}
		bars[i].X, bars[i].Height, bars[i].Y = i*step+2, h, smallHeight-h
	}
}

// heatCell is one hour of one weekday; Class shades it (0 for none, 1 to 5 by count
// relative to the busiest hour).
type heatCell struct {
	Hour, Count, Class int
}

type heatRow struct {
	Day   string
	Cells []heatCell
	Total int
}

// heatMap is the registrations by weekday (Monday first) and local hour.
type heatMap struct {
	Rows       []heatRow
	HourTotals []int
	Total      int
	Legend     []legendClass
}

// heatClasses is the number of shades besides "none".
const heatClasses = 5

// newHeatMap shades each cell by its count relative to the busiest hour, in equal steps.
// Where small counts are suppressed, 1 to SmallCount share the lightest shade ("<5") and
// the steps start above it, so that the shading does not tell them apart.
func newHeatMap(p Page, m [7][24]int) heatMap {
	days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	most := 0
	for _, d := range m {
		for _, n := range d {
			most = max(most, n)
		}
	}
	floor, first := 0, 1
	if p.Actor != nil && p.Actor.AggregatesOnly() {
		floor, first = SmallCount, 2
	}
	span, rng := heatClasses-first+1, most-floor
	class := func(n int) int {
		switch {
		case n == 0:
			return 0
		case n <= floor:
			return 1
		}
		return first + (span*(n-floor)+rng-1)/rng - 1
	}
	h := heatMap{HourTotals: make([]int, 24)}
	for d, row := range m {
		hr := heatRow{Day: p.T("buurt.day." + days[d])}
		for hour, n := range row {
			hr.Cells = append(hr.Cells, heatCell{Hour: hour, Count: n, Class: class(n)})
			hr.Total += n
			h.HourTotals[hour] += n
		}
		h.Total += hr.Total
		h.Rows = append(h.Rows, hr)
	}
	h.Legend = append(h.Legend, legendClass{Class: "0", Label: p.Int(0)})
	if floor > 0 && most > 0 {
		h.Legend = append(h.Legend, legendClass{Class: "1", Label: "<5"})
	}
	for j := 1; rng > 0 && j <= span; j++ {
		lo, hi := floor+(j-1)*rng/span+1, floor+j*rng/span
		if lo > hi {
			continue
		}
		label := p.Int(lo) + "–" + p.Int(hi)
		if lo == hi {
			label = p.Int(hi)
		}
		h.Legend = append(h.Legend, legendClass{Class: strconv.Itoa(first + j - 1), Label: label})
	}
	return h
}

// compareCell is one area's count of a theme and its share of the area's total.
type compareCell struct {
	Count int
	Share float64 // percent
}

// compareRow compares a theme in the buurt, its wijk and the gemeente.
type compareRow struct {
	Code, Name            string
	Buurt, Wijk, Gemeente compareCell
}

// rateCell is an area's rate per 1,000 inhabitants, where its population is known and
// large enough.
type rateCell struct {
	Rate    float64
	HasRate bool
	Known   bool // the population is known
	Hidden  bool // the count is shown as "<5", so its rate is not shown either
}

type buurtPage struct {
	Page
	Buurt, Wijk            baken.Area
	GemeenteName, Gemeente string
	Years                  []int
	Year                   int
	NoData                 bool
	TrendYears             []int
	Overall                smallChart
	Themes                 []smallChart
	Heat                   heatMap
	Compare                []compareRow
	Totals                 compareRow
	Rates                  [3]rateCell // buurt, wijk, gemeente
}

// Share formats a share in percent, or "–" where the count it comes from is suppressed.
func (p buurtPage) Share(c compareCell) string {
	if p.hides(c.Count) {
		return "–"
	}
	if c.Count == 0 {
		return p.Int(0) + "%"
	}
	return p.Float(c.Share, 1) + "%"
}

// pickVintage returns the version of an area that applies to year: the latest vintage
// not after it, else the earliest. as is ordered by year and not empty.
func pickVintage(as []baken.Area, year int) baken.Area {
	best := as[0]
	for _, a := range as {
		if a.Year <= year {
			best = a
		}
	}
	return best
}

// buurtProfile shows one buurt: trends per theme, its hours and weekdays, and how it
// compares with its wijk and the gemeente. A buurt the actor may not see is not found.
func (w *Web) buurtProfile(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	notFound := w.fail(r, baken.NotFound, "code", "error.buurt")
	if l, err := baken.LevelOfCode(code); err != nil || l != baken.LevelBuurt {
		return notFound
	}
	if !a.MaySee(baken.GemeenteOfCode(code)) {
		return notFound
	}
	ctx := r.Context()
	versions, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &code})
	if err != nil {
		return err
	}
	if len(versions) == 0 || !a.MaySee(versions[0].Gemeente) {
		return notFound
	}
	gm := versions[0].Gemeente
	years, err := w.yearsWithData(r.Context(), gm)
	if err != nil {
		return err
	}
	year, err := w.yearParam(r, years)
	if err != nil {
		return err
	}
	p := buurtPage{Page: w.page(r, "", "buurten"), Gemeente: gm, GemeenteName: w.municipalityName(r.Context(), gm), Years: years, Year: year, NoData: len(years) == 0}
	p.Buurt = pickVintage(versions, year)
	p.Title = p.Buurt.Name
	wijkCode := p.Buurt.Parent
	if wijkCode == "" {
		wijkCode = "WK" + code[2:8]
	}
	p.Wijk = baken.Area{Code: wijkCode, Name: wijkCode}
	if wv, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &wijkCode}); err != nil {
		return err
	} else if len(wv) > 0 {
		p.Wijk = pickVintage(wv, year)
	}
	if p.NoData {
		return w.render(rw, r, http.StatusOK, "buurt", p)
	}
	p.TrendYears = years
	inYear := func(f store.RollupFilter) store.RollupFilter {
		f.From, f.To = fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
		return f
	}
	// perYear returns a filter's counts per year of years.
	perYear := func(f store.RollupFilter) (map[int]int, error) {
		pts, err := w.cfg.DB.Trend(ctx, f, store.IntervalYear)
		if err != nil {
			return nil, err
		}
		out := map[int]int{}
		for _, pt := range pts {
			y, _ := strconv.Atoi(pt.Period)
			out[y] += pt.Count + pt.Coarse
		}
		return out, nil
	}
	chartOf := func(code, name string, counts map[int]int) smallChart {
		c := smallChart{Code: code, Name: name}
		for _, y := range years {
			c.Bars = append(c.Bars, Bar{Label: strconv.Itoa(y), Count: counts[y]})
			c.Max = max(c.Max, counts[y])
			c.Total += counts[y]
		}
		layoutSmallBars(c.Bars, c.Max)
		return c
	}
	buurtF := store.RollupFilter{Gemeenten: []string{gm}, Area: code}
	wijkF := store.RollupFilter{Gemeenten: []string{gm}, Area: p.Wijk.Code}
	gmF := store.RollupFilter{Gemeenten: []string{gm}}

	buurtAll, err := perYear(buurtF)
	if err != nil {
		return err
	}
	p.Overall = chartOf("", p.T("buurt.allthemes"), buurtAll)
	wijkTotal, err := w.total(r, inYear(wijkF))
	if err != nil {
		return err
	}
	gmTotal, err := w.total(r, inYear(gmF))
	if err != nil {
		return err
	}
	p.Totals = compareRow{Name: p.T("buurt.total"),
		Buurt: compareCell{Count: buurtAll[year], Share: 100}, Wijk: compareCell{Count: wijkTotal, Share: 100}, Gemeente: compareCell{Count: gmTotal, Share: 100}}
	share := func(n, total int) float64 {
		if total == 0 {
			return 0
		}
		return 100 * float64(n) / float64(total)
	}
	for _, th := range w.tree.tree.Themes {
		cats := w.tree.byTheme[th.Code]
		if len(cats) == 0 {
			continue
		}
		f := gmF
		f.Categories = cats
		gmYears, err := perYear(f)
		if err != nil {
			return err
		}
		if len(gmYears) == 0 {
			continue // the gemeente has none, so neither has the buurt
		}
		f = buurtF
		f.Categories = cats
		bYears, err := perYear(f)
		if err != nil {
			return err
		}
		f = inYear(wijkF)
		f.Categories = cats
		wn, err := w.total(r, f)
		if err != nil {
			return err
		}
		n := name(th.Name, p.Lang)
		if c := chartOf(th.Code, n, bYears); c.Total > 0 {
			p.Themes = append(p.Themes, c)
		}
		row := compareRow{Code: th.Code, Name: n,
			Buurt:    compareCell{Count: bYears[year], Share: share(bYears[year], buurtAll[year])},
			Wijk:     compareCell{Count: wn, Share: share(wn, wijkTotal)},
			Gemeente: compareCell{Count: gmYears[year], Share: share(gmYears[year], gmTotal)}}
		if row.Buurt.Count+row.Wijk.Count+row.Gemeente.Count > 0 {
			p.Compare = append(p.Compare, row)
		}
	}
	slices.SortStableFunc(p.Compare, func(a, b compareRow) int {
		return cmp.Or(cmp.Compare(b.Buurt.Count, a.Buurt.Count), cmp.Compare(b.Gemeente.Count, a.Gemeente.Count))
	})
	pop, err := w.population(r, year)
	if err != nil {
		return err
	}
	for i, c := range []struct {
		code string
		n    int
	}{{code, buurtAll[year]}, {p.Wijk.Code, wijkTotal}, {gm, gmTotal}} {
		if inh, ok := pop[c.code]; ok {
			p.Rates[i].Known = true
			p.Rates[i].Hidden = p.hides(c.n)
			if inh >= baken.MinPopulationForRate && !p.Rates[i].Hidden {
				p.Rates[i].Rate, p.Rates[i].HasRate = 1000*float64(c.n)/float64(inh), true
			}
		}
	}
	hw, err := w.cfg.DB.HourWeekday(ctx, store.RegistrationFilter{Gemeenten: []string{gm}, Buurt: code,
		From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year)}, w.cfg.Location)
	if err != nil {
		return err
	}
	p.Heat = newHeatMap(p.Page, hw)
	return w.render(rw, r, http.StatusOK, "buurt", p)
}

// SmallWidth and SmallHeight are the small charts' size, for the templates.
func (p buurtPage) SmallWidth() int  { return smallWidth }
func (p buurtPage) SmallHeight() int { return smallHeight }

// RateText formats the rate of the buurt (0), the wijk (1) or the gemeente (2), or says
// why there is none.
func (p buurtPage) RateText(i int) string {
	switch r := p.Rates[i]; {
	case r.HasRate:
		return p.Float(r.Rate, 1)
	case r.Hidden:
		return "–"
	case r.Known: // and under the minimum
		return p.T("buurt.rate.small")
	}
	return p.T("buurt.rate.unknown")
}

// chartLabel is a year written under its bar.
type chartLabel struct {
	X    int
	Text string
}

// Labels returns the year labels under the bars: every year when they fit, else the
// first and the last.
func (c smallChart) Labels() []chartLabel {
	var out []chartLabel
	for i, b := range c.Bars {
		if len(c.Bars) <= 8 || i == 0 || i == len(c.Bars)-1 {
			out = append(out, chartLabel{X: b.X + c.BarWidth()/2, Text: b.Label})
		}
	}
	return out
}
