package programme

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/report"
	"baken/internal/store"
)

// Years shows which years a document's figures cover: the four years before the
// programme year and the programme year itself. A computed figure of a year still under
// way on the reference date is left out: a count so far does not compare with whole
// years (a letter written in February on the new programme shows the four years
// before it). A value entered by hand is shown when it was entered by the reference
// date, marked voorlopig when it is.
const Years = 5

// programmeData is a yearly programme with everything its documents are made of, read
// through the store as the actor in ctx.
type programmeData struct {
	plan         baken.Plan
	prog         baken.Programme
	priorities   []baken.Priority
	objectives   []baken.Objective
	indicators   map[string]baken.Indicator // by id
	gemeenteName string
	areaNames    map[string]string // area code -> "gemeente Diemen", "wijk Centrum"
}

// load reads the programme of gemeente for year with its plan, priorities, objectives
// and indicators. Kinds: Invalid, NotFound (no programme, or one the actor may not see),
// Conflict (two plans have a programme for the year).
func load(ctx context.Context, db *store.DB, gemeente string, year int) (programmeData, error) {
	var d programmeData
	var errs baken.FieldErrors
	if l, err := baken.LevelOfCode(gemeente); err != nil || l != baken.LevelGemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "%q is not a CBS gemeente code (GM0384)", gemeente))
	}
	if year < 2000 || year > 2100 {
		errs = append(errs, baken.Errorf(baken.Invalid, "year", "%d is not a programme year", year))
	}
	if err := errs.Err(); err != nil {
		return d, err
	}
	progs, err := db.FindProgrammes(ctx, gemeente)
	if err != nil {
		return d, fmt.Errorf("programme %d of %s: %w", year, gemeente, err)
	}
	found := 0
	for _, p := range progs {
		if p.Year == year {
			d.prog = p
			found++
		}
	}
	switch found {
	case 0:
		return d, baken.Errorf(baken.NotFound, "year", "%s has no programme for %d", gemeente, year)
	case 1:
	default:
		return d, baken.Errorf(baken.Conflict, "year", "%s has %d programmes for %d, under different plans", gemeente, found, year)
	}
	if d.plan, err = db.FindPlan(ctx, d.prog.PlanID); err != nil {
		return d, fmt.Errorf("plan of programme %d: %w", year, err)
	}
	if d.priorities, err = db.FindPriorities(ctx, d.plan.ID); err != nil {
		return d, fmt.Errorf("priorities of programme %d: %w", year, err)
	}
	if d.objectives, err = db.FindObjectives(ctx, d.prog.ID); err != nil {
		return d, fmt.Errorf("objectives of programme %d: %w", year, err)
	}
	inds, err := db.FindIndicators(ctx, gemeente)
	if err != nil {
		return d, fmt.Errorf("indicators of %s: %w", gemeente, err)
	}
	d.indicators = make(map[string]baken.Indicator, len(inds))
	for _, in := range inds {
		d.indicators[in.ID] = in
	}
	d.areaNames = map[string]string{}
	d.gemeenteName, err = d.areaName(ctx, db, gemeente)
	return d, err
}

// areaName returns the name of an area as the latest stored vintage has it, or its code
// when no vintage has it.
func (d *programmeData) areaName(ctx context.Context, db *store.DB, code string) (string, error) {
	if n, ok := d.areaNames[code]; ok {
		return n, nil
	}
	as, err := db.FindAreas(ctx, store.AreaFilter{Code: &code})
	if err != nil {
		return "", fmt.Errorf("name of %s: %w", code, err)
	}
	name := code
	if len(as) > 0 && as[len(as)-1].Name != "" {
		name = as[len(as)-1].Name // ordered by year: the latest vintage
	}
	d.areaNames[code] = name
	return name, nil
}

// areaLabel says which area a figure is of: "gemeente Diemen", "wijk Centrum".
func (d *programmeData) areaLabel(ctx context.Context, db *store.DB, code string) (string, error) {
	name, err := d.areaName(ctx, db, code)
	if err != nil {
		return "", err
	}
	level, _ := baken.LevelOfCode(code)
	switch level {
	case baken.LevelWijk:
		return "wijk " + name, nil
	case baken.LevelBuurt:
		return "buurt " + name, nil
	}
	return "gemeente " + name, nil
}

// figures collects the indicators a document shows, with their values as known on
// asOf, and how many of the registrations counted were generated.
type figures struct {
	d         *programmeData
	year      int
	asOf      time.Time
	order     []string // indicator ids in the order they were first asked for
	shown     map[string]report.Indicator
	counted   int // registrations and police counts behind the computed values shown
	generated int // of which generated (demo) registrations
}

func newFigures(d *programmeData, year int, asOf time.Time) *figures {
	return &figures{d: d, year: year, asOf: store.DateOf(asOf), shown: map[string]report.Indicator{}}
}

// add returns the indicator with its values, computing them once.
func (f *figures) add(ctx context.Context, db *store.DB, id string) (report.Indicator, error) {
	if ri, ok := f.shown[id]; ok {
		return ri, nil
	}
	in, ok := f.d.indicators[id]
	if !ok {
		return report.Indicator{}, baken.Errorf(baken.NotFound, "indicator_ids", "no indicator %q", id)
	}
	ms, counts, err := valuesAsOf(ctx, db, in, f.year-Years+1, f.year, f.asOf)
	if err != nil {
		return report.Indicator{}, err
	}
	area, err := f.d.areaLabel(ctx, db, areaOf(in))
	if err != nil {
		return report.Indicator{}, err
	}
	ri := report.Indicator{Code: in.Code, Name: in.Name, Definition: in.Definition, Unit: in.Unit, AreaName: area,
		Source: in.Source, Caveat: in.Caveat, Count: in.Computed && !in.PerThousand, Values: []report.Value{}}
	for i, m := range ms {
		if in.Computed && m.Status == baken.MeasurementProvisional {
			continue // a year under way on the reference date
		}
		ri.Values = append(ri.Values, report.Value{Period: m.Period, Value: m.Value, Provisional: m.Status == baken.MeasurementProvisional})
		if counts != nil {
			f.counted += counts[i].Total()
			f.generated += counts[i].Generated
		}
	}
	f.order = append(f.order, id)
	f.shown[id] = ri
	return ri, nil
}

func (f *figures) list() []report.Indicator {
	out := make([]report.Indicator, 0, len(f.order))
	for _, id := range f.order {
		out = append(out, f.shown[id])
	}
	return out
}

// DemoShare says how much of a document's computed figures comes from generated demo
// data.
type DemoShare int

const (
	NoDemo     DemoShare = iota // none: real registrations and police counts only
	PartlyDemo                  // some of it
	AllDemo                     // all of it
)

// demo says how much of the figures shown comes from generated demo data.
func (f *figures) demo() DemoShare {
	switch {
	case f.generated > 0 && f.generated >= f.counted:
		return AllDemo
	case f.generated > 0:
		return PartlyDemo
	}
	return NoDemo
}

// notes are the remarks under a document: what its figures are, and whether they come
// from generated demo data.
func (f *figures) notes() []string {
	out := []string{"De cijfers zijn zoals ze bekend waren op de peildatum, " + report.DutchDate(f.asOf) + ": registraties die op of " +
		"vóór die dag plaatsvonden en uiterlijk die dag in Baken waren opgenomen, en de politiecijfers die toen bekend waren. " +
		"Een telling over een jaar dat op de peildatum nog niet voorbij was, staat er niet in."}
	switch f.demo() {
	case AllDemo:
		out = append(out, "Let op: de cijfers in dit document komen uit gegenereerde demodata, niet uit echte meldingen of registraties.")
	case PartlyDemo:
		out = append(out, "Let op: de cijfers in dit document komen deels uit gegenereerde demodata, niet uit echte meldingen of registraties.")
	}
	return out
}

// baselineKnown reports whether the objective's baseline could be known on the
// reference date: its year had ended by then, and when its main indicator is entered
// by hand and has a measurement of that year, that measurement had been entered by
// then. An objective without a baseline has none to be unknown.
func (f *figures) baselineKnown(ctx context.Context, db *store.DB, o baken.Objective) (bool, error) {
	if o.Baseline == nil {
		return true, nil
	}
	if !yearEnded(o.Baseline.Year, f.asOf) {
		return false, nil
	}
	if len(o.IndicatorIDs) == 0 {
		return true, nil
	}
	in, ok := f.d.indicators[o.IndicatorIDs[0]]
	if !ok || in.Computed {
		return true, nil
	}
	cutoff, err := store.EndOfDay(f.asOf)
	if err != nil {
		return false, err
	}
	all, err := db.FindMeasurements(ctx, in.ID)
	if err != nil {
		return false, fmt.Errorf("indicator %s: %w", in.Code, err)
	}
	area := areaOf(in)
	for _, m := range all {
		if m.Area == area && m.Period == o.Baseline.Year && !m.CreatedAt.Before(cutoff) {
			return false, nil
		}
	}
	return true, nil
}

// BuildLetter makes the council letter (raadsinformatiebrief) on the programme of
// gemeente for year, with the figures as known on asOf (only its calendar date counts):
// the plan's background, the college decision, the summary with the plan's priorities
// and the programme's current themes, the indicators that measure the objectives and the
// themes (objectives first, by number; each once) with their values for the years of
// Years, and what follows. The actor must see the gemeente. Kinds: Invalid, NotFound,
// Conflict.
func BuildLetter(ctx context.Context, db *store.DB, gemeente string, year int, asOf time.Time) (report.Letter, error) {
	l, _, err := buildLetter(ctx, db, gemeente, year, asOf)
	return l, err
}

func buildLetter(ctx context.Context, db *store.DB, gemeente string, year int, asOf time.Time) (report.Letter, baken.Programme, error) {
	d, err := load(ctx, db, gemeente, year)
	if err != nil {
		return report.Letter{}, d.prog, err
	}
	f := newFigures(&d, year, asOf)
	l := report.Letter{
		Gemeente:      gemeente,
		GemeenteName:  d.gemeenteName,
		Title:         programmeTitle(year),
		ProgrammeYear: year,
		PlanTitle:     d.plan.Title,
		PlanPeriod:    strconv.Itoa(d.plan.PeriodFrom) + "-" + strconv.Itoa(d.plan.PeriodTo),
		Background:    background(d.plan, year),
		Summary:       d.prog.Summary,
		FollowUp:      d.prog.FollowUp,
		AsOf:          f.asOf,
		Priorities:    []report.Section{},
		Themes:        []report.Section{},
	}
	if d.prog.DecisionDate != nil {
		l.Decision = *d.prog.DecisionDate
	}
	for _, p := range d.priorities {
		l.Priorities = append(l.Priorities, report.Section{Number: p.Rank, Title: p.Title, Text: p.Summary})
	}
	for _, th := range d.prog.Themes {
		l.Themes = append(l.Themes, report.Section{Title: th.Title, Text: th.Text})
	}
	var ids []string
	for _, o := range d.objectives {
		ids = append(ids, o.IndicatorIDs...)
	}
	for _, th := range d.prog.Themes {
		ids = append(ids, th.IndicatorIDs...)
	}
	for _, id := range ids {
		if _, err := f.add(ctx, db, id); err != nil {
			return report.Letter{}, d.prog, err
		}
	}
	l.Indicators = f.list()
	l.Notes = f.notes()
	return l, d.prog, nil
}

// Progress is the progress report as BuildProgress makes it: the report as the document
// prints it, in Dutch, and what a page words in its own language: the verdict on each
// objective (same index as Objectives) and how much of the figures is demo data.
type Progress struct {
	report.Progress
	Verdicts []Verdict
	Demo     DemoShare
}

// BuildProgress makes the progress report on the programme of gemeente for year as
// known on asOf: per objective its baseline (when it was known on asOf), target and
// latest value with the judgement of Judge and the state of its actions; the share of
// actions done; and every indicator the objectives use with its values for the years
// of Years. The actor must see the gemeente. Kinds: Invalid, NotFound, Conflict.
func BuildProgress(ctx context.Context, db *store.DB, gemeente string, year int, asOf time.Time) (Progress, error) {
	p, _, err := buildProgress(ctx, db, gemeente, year, asOf)
	return p, err
}

func buildProgress(ctx context.Context, db *store.DB, gemeente string, year int, asOf time.Time) (Progress, baken.Programme, error) {
	d, err := load(ctx, db, gemeente, year)
	if err != nil {
		return Progress{}, d.prog, err
	}
	f := newFigures(&d, year, asOf)
	p := report.Progress{
		Gemeente:      gemeente,
		GemeenteName:  d.gemeenteName,
		Title:         "Voortgang jaarprogramma integrale veiligheid " + strconv.Itoa(year),
		ProgrammeYear: year,
		AsOf:          f.asOf,
		Objectives:    []report.ObjectiveProgress{},
	}
	prioTitle := map[string]string{}
	for _, pr := range d.priorities {
		prioTitle[pr.ID] = pr.Title
	}
	verdicts := []Verdict{}
	for _, o := range d.objectives {
		op := report.ObjectiveProgress{Number: o.Number, Title: o.Title, Kind: string(o.Kind), Direction: string(o.Direction),
			Priorities: []string{}, Actions: []report.ActionProgress{}}
		for _, id := range o.PriorityIDs {
			op.Priorities = append(op.Priorities, prioTitle[id])
		}
		known, err := f.baselineKnown(ctx, db, o)
		if err != nil {
			return Progress{}, d.prog, err
		}
		if o.Baseline != nil && known {
			op.Baseline = &report.YearValue{Year: o.Baseline.Year, Value: o.Baseline.Value}
		}
		var values []report.Value
		for i, id := range o.IndicatorIDs {
			ri, err := f.add(ctx, db, id)
			if err != nil {
				return Progress{}, d.prog, err
			}
			if i == 0 {
				op.Indicator, op.Unit, values = ri.Code, ri.Unit, ri.Values
			}
		}
		v := judge(o, year, values, known)
		op.Target, op.Actual, op.Judgement, op.Reason = v.Target, v.Actual, v.Judgement, v.Reason
		verdicts = append(verdicts, v)
		actions, err := db.FindActions(ctx, o.ID)
		if err != nil {
			return Progress{}, d.prog, fmt.Errorf("actions of objective %d: %w", o.Number, err)
		}
		for _, a := range actions {
			op.Actions = append(op.Actions, report.ActionProgress{Title: a.Title, OwnerTeam: a.OwnerTeam, Partners: a.Partners,
				Status: string(a.Status), RAG: string(a.RAG), Notes: a.ProgressNotes, Carried: a.CarriedOverFrom != ""})
			p.ActionsTotal++
			if a.Status == baken.ActionDone {
				p.ActionsDone++
			}
		}
		p.Objectives = append(p.Objectives, op)
	}
	p.Indicators = f.list()
	p.Notes = f.notes()
	return Progress{Progress: p, Verdicts: verdicts, Demo: f.demo()}, d.prog, nil
}

func programmeTitle(year int) string {
	return "Jaarprogramma integrale veiligheid " + strconv.Itoa(year)
}

// background is the letter's "voorgeschiedenis en aanleiding", from the plan.
func background(p baken.Plan, year int) string {
	s := "Het meerjarenbeleidsplan ‘" + p.Title + "’"
	if by, adopted := Adoption(p.AdoptedBy); by != "" {
		s += " is"
		switch {
		case p.DecisionDate != nil:
			s += " op " + report.DutchDate(*p.DecisionDate)
		case adopted != 0:
			s += " in " + strconv.Itoa(adopted)
		}
		s += " vastgesteld door " + by + ". Het"
	}
	s += " beschrijft de thema's en prioriteiten van het veiligheidsbeleid voor " + strconv.Itoa(p.PeriodFrom) + " tot en met " +
		strconv.Itoa(p.PeriodTo) + ".\n\nElk jaar werkt een jaarprogramma uit wat de gemeente en haar partners voor die thema's en " +
		"prioriteiten doen. Deze brief informeert de raad over het jaarprogramma " + strconv.Itoa(year) + "."
	return s
}

// adoptionYear is a year at the end of a plan's "vastgesteld door": "…, in 2023",
// "… in 2023" or "… (2023)".
var adoptionYear = regexp.MustCompile(`^(.*?)(?:,?\s+in\s+|\s*\(\s*)((?:19|20|21)\d\d)\s*\)?$`)

// Adoption splits a plan's "vastgesteld door" (free text, "de gemeenteraad, in 2023",
// "gemeenteraad (2023)") into who adopted the plan and the year it names at its end, 0
// when it names none, so that a sentence can put the year where Dutch wants it: "in
// 2023 vastgesteld door de gemeenteraad".
func Adoption(adoptedBy string) (by string, year int) {
	by = strings.TrimSpace(adoptedBy)
	m := adoptionYear.FindStringSubmatch(by)
	if m == nil || strings.TrimSpace(m[1]) == "" {
		return by, 0
	}
	if strings.HasSuffix(by, ")") != strings.Contains(by[len(m[1]):], "(") {
		return by, 0 // "(2023" or "in 2023)": not a year we can move
	}
	year, _ = strconv.Atoi(m[2])
	return strings.TrimSpace(m[1]), year
}
