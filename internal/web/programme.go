package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/programme"
	"baken/internal/store"
)

// The programme pages (issue 6): a gemeente's plans, yearly programmes and indicators,
// one programme with its objectives, actions and indicator values, forms to change
// them and the history of every change. Any actor of the gemeente reads them; a
// beleidsadviseur or beheerder sees the buttons that change them. The store decides
// anyway: a reader's POST is Forbidden there too.

// indicatorYears is how many years of indicator values the programme page shows, up to
// the programme's year.
const indicatorYears = 5

// MayEditProgramme reports whether the actor may change the programme, to show the
// buttons that do.
func (p Page) MayEditProgramme() bool { return p.Actor != nil && p.Actor.MayEditProgramme() }

// programmeEditor returns the signed-in actor if it may change the programme.
func programmeEditor(r *http.Request) (baken.Actor, error) {
	a, err := requireActor(r)
	if err != nil {
		return a, err
	}
	if !a.MayEditProgramme() {
		return a, &baken.Error{Kind: baken.Forbidden, Message: "only a beleidsadviseur or beheerder changes the programme"}
	}
	return a, nil
}

// gemeenteSuffix is the query that keeps a page on gemeente gm: empty for the actor's
// first gemeente, which pages show by default.
func gemeenteSuffix(a baken.Actor, gm string) string {
	if len(a.Gemeenten) > 0 && a.Gemeenten[0] == gm {
		return ""
	}
	return "?gemeente=" + url.QueryEscape(gm)
}

// programmeURL is the page of a yearly programme.
func programmeURL(a baken.Actor, p baken.Programme) string {
	return "/programma/" + strconv.Itoa(p.Year) + gemeenteSuffix(a, p.Gemeente)
}

// overviewURL is the page listing a gemeente's plans and programmes.
func overviewURL(a baken.Actor, gm string) string { return "/programma" + gemeenteSuffix(a, gm) }

// withSaved adds the flag that shows the "saved" notice, and a fragment.
func withSaved(u, fragment string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	u += sep + "opgeslagen=1"
	if fragment != "" {
		u += "#" + fragment
	}
	return u
}

// savedNotice sets the notice a redirect after saving asks for.
func savedNotice(r *http.Request, p *Page) {
	if r.URL.Query().Get("opgeslagen") == "1" {
		p.Notice = p.T("programme.saved")
	}
}

// gemeenteName returns the name of a gemeente, or its code when no area names it.
func (w *Web) gemeenteName(ctx context.Context, gm string) string {
	if as, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &gm}); err == nil && len(as) > 0 {
		return as[len(as)-1].Name
	}
	return gm
}

// programmeOfYear finds the programme of the year in the path for the page's gemeente.
func (w *Web) programmeOfYear(r *http.Request, a baken.Actor) (baken.Programme, error) {
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return baken.Programme{}, err
	}
	year, err := strconv.Atoi(r.PathValue("jaar"))
	notFound := &baken.Error{Kind: baken.NotFound, Message: "no programme of that year"}
	if err != nil {
		return baken.Programme{}, notFound
	}
	progs, err := w.cfg.DB.FindProgrammes(r.Context(), gm)
	if err != nil {
		return baken.Programme{}, err
	}
	for _, p := range progs {
		if p.Year == year {
			return p, nil
		}
	}
	return baken.Programme{}, notFound
}

// ---- the overview

type programmesPage struct {
	Page
	Gemeente, GemeenteName string
	Suffix                 string // the gemeente query for links
	Plans                  []planView
	Programmes             []programmeRow
	Indicators             []baken.Indicator
}

type planView struct {
	baken.Plan
	// AdoptedBy is the plan's AdoptedBy as the overview shows it after the label
	// "Vastgesteld door": a year at its end in brackets ("de gemeenteraad (2023)", not
	// "de gemeenteraad, in 2023").
	AdoptedBy  string
	Priorities []baken.Priority
}

// adoptedByText writes a plan's "vastgesteld door" with the year it names in brackets.
func adoptedByText(adoptedBy string) string {
	by, year := programme.Adoption(adoptedBy)
	if year == 0 {
		return by
	}
	return by + " (" + strconv.Itoa(year) + ")"
}

type programmeRow struct {
	baken.Programme
	PlanTitle string
	URL       string
}

func (w *Web) programmes(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	p := programmesPage{Page: w.page(r, "", "programma"), Gemeente: gm, GemeenteName: w.gemeenteName(ctx, gm),
		Suffix: gemeenteSuffix(a, gm)}
	p.Title = p.T("programme.overview.title")
	savedNotice(r, &p.Page)
	plans, err := w.cfg.DB.FindPlans(ctx, gm)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, pl := range plans {
		prios, err := w.cfg.DB.FindPriorities(ctx, pl.ID)
		if err != nil {
			return err
		}
		p.Plans = append(p.Plans, planView{Plan: pl, AdoptedBy: adoptedByText(pl.AdoptedBy), Priorities: prios})
		titles[pl.ID] = pl.Title
	}
	progs, err := w.cfg.DB.FindProgrammes(ctx, gm)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		p.Programmes = append(p.Programmes, programmeRow{Programme: pr, PlanTitle: titles[pr.PlanID], URL: programmeURL(a, pr)})
	}
	if p.Indicators, err = w.cfg.DB.FindIndicators(ctx, gm); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "programmes", p)
}

// ---- one programme

type programmePage struct {
	Page
	GemeenteName string
	Programme    baken.Programme
	URL          string // the programme page, with the gemeente query
	Suffix       string // the gemeente query for links
	Plan         baken.Plan
	Priorities   []baken.Priority
	Objectives   []objectiveView
	Themes       []themeView
	Years        []int
	Indicators   []indicatorView
}

type objectiveView struct {
	baken.Objective
	Priorities []string // titles of the priorities it serves
	Indicators []string // names of the indicators that measure it, the main one first
	Actions    []baken.Action
}

// themeView is a current theme of the programme with the names of its indicators.
type themeView struct {
	baken.CurrentTheme
	Indicators []string
}

// indicatorView is an indicator with its value in each of the page's years.
type indicatorView struct {
	baken.Indicator
	Cells []valueCell
}

// valueCell is an indicator's value in a year: entered (a measurement) or counted from
// the registrations (a computed indicator's count, which may be suppressed as small).
type valueCell struct {
	Has         bool
	Value       float64
	Count       bool // a count of registrations
	Provisional bool
}

// Text formats the value for the page's language; counts of registrations follow the
// small-count rule of the page.
func (c valueCell) Text(p Page) string {
	switch {
	case !c.Has:
		return "–"
	case c.Count:
		return p.Count(int(c.Value))
	}
	return formatNumber(p.Lang, c.Value)
}

// formatNumber writes a value with as many decimals as it has, up to two.
func formatNumber(l Lang, f float64) string {
	for d := 0; d < 2; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(math.Round(f*p)-f*p) < 1e-9 {
			return formatFloat(l, f, d)
		}
	}
	return formatFloat(l, f, 2)
}

// Number formats a value with the decimals it has.
func (p Page) Number(f float64) string { return formatNumber(p.Lang, f) }

// Short cuts a long text (an action's title) for a link's hidden context.
func (p Page) Short(s string) string { return shorten(s, 60) }

// Day formats a calendar date (stored as midnight UTC) without moving it to local time.
func (p Page) Day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatDate(p.Lang, *t)
}

// Label returns the catalogue text of a value of a programme field (a status, a RAG
// colour, a kind), or the value itself when the catalogue has none.
func (p Page) Label(field, value string) string {
	key := "programme.value." + field + "." + value
	if _, ok := p.w.catalogue[key]; ok {
		return p.T(key)
	}
	return value
}

func (w *Web) programme(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	prog, err := w.programmeOfYear(r, a)
	if err != nil {
		return err
	}
	p := programmePage{Page: w.page(r, "", "programma"), GemeenteName: w.gemeenteName(ctx, prog.Gemeente), Programme: prog,
		URL: programmeURL(a, prog), Suffix: gemeenteSuffix(a, prog.Gemeente)}
	p.Title = p.T("programme.title", prog.Year)
	savedNotice(r, &p.Page)
	if p.Plan, err = w.cfg.DB.FindPlan(ctx, prog.PlanID); err != nil {
		return err
	}
	if p.Priorities, err = w.cfg.DB.FindPriorities(ctx, prog.PlanID); err != nil {
		return err
	}
	titles := map[string]string{}
	for _, pr := range p.Priorities {
		titles[pr.ID] = pr.Title
	}
	inds, err := w.cfg.DB.FindIndicators(ctx, prog.Gemeente)
	if err != nil {
		return err
	}
	indNames := map[string]string{}
	for _, in := range inds {
		indNames[in.ID] = in.Name
	}
	for _, th := range prog.Themes {
		v := themeView{CurrentTheme: th}
		for _, id := range th.IndicatorIDs {
			v.Indicators = append(v.Indicators, indNames[id])
		}
		p.Themes = append(p.Themes, v)
	}
	objs, err := w.cfg.DB.FindObjectives(ctx, prog.ID)
	if err != nil {
		return err
	}
	for _, o := range objs {
		v := objectiveView{Objective: o}
		for _, id := range o.PriorityIDs {
			v.Priorities = append(v.Priorities, titles[id])
		}
		for _, id := range o.IndicatorIDs {
			v.Indicators = append(v.Indicators, indNames[id])
		}
		if v.Actions, err = w.cfg.DB.FindActions(ctx, o.ID); err != nil {
			return err
		}
		p.Objectives = append(p.Objectives, v)
	}
	for y := prog.Year - indicatorYears + 1; y <= prog.Year; y++ {
		p.Years = append(p.Years, y)
	}
	for _, in := range inds {
		cells, err := w.indicatorCells(ctx, in, p.Years)
		if err != nil {
			return err
		}
		p.Indicators = append(p.Indicators, indicatorView{Indicator: in, Cells: cells})
	}
	return w.render(rw, r, http.StatusOK, "programme", p)
}

// indicatorCells returns an indicator's value in each year: the entered measurement of
// its area (the gemeente when it names none), or for a computed indicator without one
// what programme.IndicatorValues counts from the rollups. A computed indicator per
// 1,000 inhabitants of an area without population figures has no values.
func (w *Web) indicatorCells(ctx context.Context, in baken.Indicator, years []int) ([]valueCell, error) {
	cells := make([]valueCell, len(years))
	if len(years) == 0 {
		return cells, nil
	}
	area := in.Area
	if area == "" {
		area = in.Gemeente
	}
	index := map[int]int{}
	for i, y := range years {
		index[y] = i
	}
	ms, err := w.cfg.DB.FindMeasurements(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if i, ok := index[m.Period]; ok && m.Area == area {
			cells[i] = valueCell{Has: true, Value: m.Value, Provisional: m.Status == baken.MeasurementProvisional}
		}
	}
	if !in.Computed {
		return cells, nil
	}
	computed, err := programme.IndicatorValues(ctx, w.cfg.DB, in, years[0], years[len(years)-1])
	if baken.IsKind(err, baken.Invalid) {
		return cells, nil
	}
	if err != nil {
		return nil, err
	}
	for _, m := range computed {
		if i, ok := index[m.Period]; ok && !cells[i].Has {
			cells[i] = valueCell{Has: true, Value: m.Value, Count: !in.PerThousand, Provisional: m.Status == baken.MeasurementProvisional}
		}
	}
	return cells, nil
}
