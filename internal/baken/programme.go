package baken

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The programme model (DOMAIN §1.2, §7): a multi-year Plan (Meerjarenbeleidsplan) sets
// Priorities; each year a Programme (Jaarprogramma) sets Objectives (Doelstellingen),
// each worked out in Actions (Acties). Indicators and their Measurements (Metingen)
// show whether an objective is met.

// PlanStatus is where a plan is in its lifecycle.
type PlanStatus string

const (
	PlanConcept     PlanStatus = "concept"
	PlanProposed    PlanStatus = "ter-besluitvorming"
	PlanAdopted     PlanStatus = "vastgesteld"
	PlanInExecution PlanStatus = "in-uitvoering"
	PlanEvaluated   PlanStatus = "geevalueerd"
	PlanLapsed      PlanStatus = "vervallen"
)

var planStatuses = []PlanStatus{PlanConcept, PlanProposed, PlanAdopted, PlanInExecution, PlanEvaluated, PlanLapsed}

// ProgrammeStatus is where a yearly programme is in its lifecycle.
type ProgrammeStatus string

const (
	ProgrammeConcept     ProgrammeStatus = "concept"
	ProgrammeAdopted     ProgrammeStatus = "vastgesteld"
	ProgrammeInExecution ProgrammeStatus = "in-uitvoering"
	ProgrammeAccounted   ProgrammeStatus = "verantwoord"
	ProgrammeClosed      ProgrammeStatus = "gesloten"
)

var programmeStatuses = []ProgrammeStatus{ProgrammeConcept, ProgrammeAdopted, ProgrammeInExecution, ProgrammeAccounted, ProgrammeClosed}

// ObjectiveKind says whether an objective is about an effect in society or about the
// municipality's own output (prestatie).
type ObjectiveKind string

const (
	ObjectiveEffect ObjectiveKind = "effect"
	ObjectiveOutput ObjectiveKind = "output"
)

// Direction is which way an objective's indicator should move.
type Direction string

const (
	DirectionDown Direction = "down"
	DirectionUp   Direction = "up"
)

// ActionStatus is where an action is: gepland → gestart → afgerond | uitgesteld | vervallen.
type ActionStatus string

const (
	ActionPlanned   ActionStatus = "gepland"
	ActionStarted   ActionStatus = "gestart"
	ActionDone      ActionStatus = "afgerond"
	ActionPostponed ActionStatus = "uitgesteld"
	ActionDropped   ActionStatus = "vervallen"
)

var actionStatuses = []ActionStatus{ActionPlanned, ActionStarted, ActionDone, ActionPostponed, ActionDropped}

// RAG is the traffic light of an action's progress; empty when not yet judged.
type RAG string

const (
	RAGGreen  RAG = "groen"
	RAGOrange RAG = "oranje"
	RAGRed    RAG = "rood"
)

// MeasurementStatus says whether a value may still change.
type MeasurementStatus string

const (
	MeasurementProvisional MeasurementStatus = "voorlopig"
	MeasurementFinal       MeasurementStatus = "definitief"
)

// Plan is a municipality's multi-year integral safety plan, adopted by the raad.
type Plan struct {
	ID           string     `json:"id"`
	Gemeente     string     `json:"gemeente"`
	Title        string     `json:"title"`
	PeriodFrom   int        `json:"period_from"`
	PeriodTo     int        `json:"period_to"`
	Vision       string     `json:"vision,omitempty"`
	AdoptedBy    string     `json:"adopted_by,omitempty"`
	DecisionDate *time.Time `json:"decision_date,omitempty"`
	Status       PlanStatus `json:"status"`
	Audit
}

// Priority is one of a plan's priorities, on one or more KBV themes.
type Priority struct {
	ID      string   `json:"id"`
	PlanID  string   `json:"plan_id"`
	Rank    int      `json:"rank"`
	Title   string   `json:"title"`
	Themes  []string `json:"themes"`
	Summary string   `json:"summary,omitempty"`
	Audit
}

// Programme is the yearly programme (Jaarprogramma) that works a plan out. Summary,
// Themes and FollowUp are what the council letter on it says beside the plan's
// priorities: the opening of its summary, the current themes, and what follows.
type Programme struct {
	ID           string          `json:"id"`
	PlanID       string          `json:"plan_id"`
	Gemeente     string          `json:"gemeente"`
	Year         int             `json:"year"`
	AdoptedAt    *time.Time      `json:"adopted_at,omitempty"`
	DecisionDate *time.Time      `json:"decision_date,omitempty"`
	Status       ProgrammeStatus `json:"status"`
	Summary      string          `json:"summary,omitempty"`
	Themes       []CurrentTheme  `json:"themes"`
	FollowUp     string          `json:"follow_up,omitempty"`
	Audit
}

// CurrentTheme is a current theme (actueel thema) that a yearly programme gives extra
// attention beside the plan's priorities, with the indicators that show it. (Theme is
// a KBV theme of the category tree.)
type CurrentTheme struct {
	Title        string   `json:"title"`
	Text         string   `json:"text,omitempty"`
	IndicatorIDs []string `json:"indicator_ids"`
}

// YearValue is a value in a year: a baseline (nulmeting) or a target.
type YearValue struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

// Objective is a programme's objective (doelstelling). It serves zero or more of the
// plan's priorities: a programme may add objectives the plan did not prioritise.
// IndicatorIDs are the indicators that measure it; the first is its main indicator,
// whose value is judged against the baseline and targets.
type Objective struct {
	ID           string        `json:"id"`
	ProgrammeID  string        `json:"programme_id"`
	Number       int           `json:"number"`
	Title        string        `json:"title"`
	Kind         ObjectiveKind `json:"kind"`
	PriorityIDs  []string      `json:"priority_ids"`
	IndicatorIDs []string      `json:"indicator_ids"`
	Baseline     *YearValue    `json:"baseline,omitempty"`
	Targets      []YearValue   `json:"targets"`
	Direction    Direction     `json:"direction,omitempty"`
	Audit
}

// Action is what the municipality and its partners do for an objective.
type Action struct {
	ID              string       `json:"id"`
	ObjectiveID     string       `json:"objective_id"`
	Title           string       `json:"title"`
	OwnerTeam       string       `json:"owner_team,omitempty"`
	Partners        []string     `json:"partners"`
	PeriodFrom      *time.Time   `json:"period_from,omitempty"`
	PeriodTo        *time.Time   `json:"period_to,omitempty"`
	Status          ActionStatus `json:"status"`
	RAG             RAG          `json:"rag,omitempty"`
	ProgressNotes   string       `json:"progress_notes,omitempty"`
	CarriedOverFrom string       `json:"carried_over_from,omitempty"`
	Audit
}

// Indicator says how an objective is measured. A computed indicator is counted by Baken
// from registrations of Categories in Area (optionally per 1,000 inhabitants); another
// is entered by hand as Measurements.
type Indicator struct {
	ID          string   `json:"id"`
	Gemeente    string   `json:"gemeente"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Definition  string   `json:"definition,omitempty"`
	Unit        string   `json:"unit"`
	Source      string   `json:"source"`
	Caveat      string   `json:"caveat,omitempty"`
	Computed    bool     `json:"computed"`
	Categories  []string `json:"categories"`
	Area        string   `json:"area,omitempty"`
	PerThousand bool     `json:"per_thousand,omitempty"`
	Audit
}

// Measurement is an indicator's value for an area in a year.
type Measurement struct {
	IndicatorID string            `json:"indicator_id"`
	Area        string            `json:"area"`
	Period      int               `json:"period"`
	Value       float64           `json:"value"`
	Status      MeasurementStatus `json:"status"`
	Audit
}

// Audit is what the store keeps about every version of a programme entity. Version
// starts at 1 and rises with every update; an update must name the version it changes.
type Audit struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// HistoryEntry is a version of a programme entity as it was before a change, with who
// changed it and when.
type HistoryEntry struct {
	Entity    string    `json:"entity"`
	ID        string    `json:"id"`
	Version   int       `json:"version"`
	Body      []byte    `json:"body"`
	ChangedAt time.Time `json:"changed_at"`
	ChangedBy string    `json:"changed_by"`
}

var (
	themeCodeRE = regexp.MustCompile(`^[1-5]\.[1-9]$`)
	codeRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

const (
	minYear = 2000
	maxYear = 2100
)

type validator struct{ errs FieldErrors }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, Errorf(Invalid, field, format, args...))
}

func (v *validator) text(field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		v.add(field, "required")
	case len(s) > max:
		v.add(field, "at most %d characters", max)
	}
}

func (v *validator) year(field string, y int) {
	if y < minYear || y > maxYear {
		v.add(field, "%d is not a year between %d and %d", y, minYear, maxYear)
	}
}

func (v *validator) gemeente(field, gm string) {
	if l, err := LevelOfCode(gm); err != nil || l != LevelGemeente {
		v.add(field, "%q is not a CBS gemeente code (GM0384)", gm)
	}
}

// ids checks a list of ids: none empty, none twice.
func (v *validator) ids(field string, ids []string) {
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" || seen[id] {
			v.add(fmt.Sprintf("%s[%d]", field, i), "%q empty or repeated", id)
		}
		seen[id] = true
	}
}

func (v *validator) optionalText(field, s string, max int) {
	if len(s) > max {
		v.add(field, "at most %d characters", max)
	}
}

func oneOf[T ~string](v *validator, field string, s T, allowed []T) {
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	v.add(field, "%q is not one of %s", s, strings.Join(names, ", "))
}

// Validate reports every problem with p, each naming its field.
func (p *Plan) Validate() error {
	var v validator
	v.gemeente("gemeente", p.Gemeente)
	v.text("title", p.Title, 300)
	v.year("period_from", p.PeriodFrom)
	v.year("period_to", p.PeriodTo)
	if p.PeriodTo < p.PeriodFrom {
		v.add("period_to", "%d is before period_from %d", p.PeriodTo, p.PeriodFrom)
	}
	v.optionalText("vision", p.Vision, 20000)
	v.optionalText("adopted_by", p.AdoptedBy, 200)
	oneOf(&v, "status", p.Status, planStatuses)
	return v.errs.Err()
}

// Validate reports every problem with p, each naming its field.
func (p *Priority) Validate() error {
	var v validator
	if p.PlanID == "" {
		v.add("plan_id", "required")
	}
	if p.Rank < 1 {
		v.add("rank", "%d: a rank starts at 1", p.Rank)
	}
	v.text("title", p.Title, 300)
	for i, th := range p.Themes {
		if !themeCodeRE.MatchString(th) {
			v.add(fmt.Sprintf("themes[%d]", i), "%q is not a KBV theme code (1.1 ... 5.4)", th)
		}
	}
	v.optionalText("summary", p.Summary, 20000)
	return v.errs.Err()
}

// Validate reports every problem with p, each naming its field.
func (p *Programme) Validate() error {
	var v validator
	if p.PlanID == "" {
		v.add("plan_id", "required")
	}
	v.gemeente("gemeente", p.Gemeente)
	v.year("year", p.Year)
	oneOf(&v, "status", p.Status, programmeStatuses)
	v.optionalText("summary", p.Summary, 20000)
	for i, th := range p.Themes {
		f := fmt.Sprintf("themes[%d]", i)
		v.text(f+".title", th.Title, 300)
		v.optionalText(f+".text", th.Text, 20000)
		v.ids(f+".indicator_ids", th.IndicatorIDs)
	}
	v.optionalText("follow_up", p.FollowUp, 20000)
	return v.errs.Err()
}

// Validate reports every problem with o, each naming its field.
func (o *Objective) Validate() error {
	var v validator
	if o.ProgrammeID == "" {
		v.add("programme_id", "required")
	}
	if o.Number < 1 {
		v.add("number", "%d: objectives are numbered from 1", o.Number)
	}
	v.text("title", o.Title, 500)
	oneOf(&v, "kind", o.Kind, []ObjectiveKind{ObjectiveEffect, ObjectiveOutput})
	v.ids("priority_ids", o.PriorityIDs)
	v.ids("indicator_ids", o.IndicatorIDs)
	if o.Baseline != nil {
		v.year("baseline.year", o.Baseline.Year)
		if !finite(o.Baseline.Value) {
			v.add("baseline.value", "not a finite number")
		}
	}
	for i, t := range o.Targets {
		v.year(fmt.Sprintf("targets[%d].year", i), t.Year)
		if !finite(t.Value) {
			v.add(fmt.Sprintf("targets[%d].value", i), "not a finite number")
		}
		if o.Baseline != nil && t.Year < o.Baseline.Year {
			v.add(fmt.Sprintf("targets[%d].year", i), "%d is before the baseline year %d", t.Year, o.Baseline.Year)
		}
	}
	if o.Direction != "" || len(o.Targets) > 0 {
		oneOf(&v, "direction", o.Direction, []Direction{DirectionDown, DirectionUp})
	}
	return v.errs.Err()
}

// Validate reports every problem with a, each naming its field.
func (a *Action) Validate() error {
	var v validator
	if a.ObjectiveID == "" {
		v.add("objective_id", "required")
	}
	v.text("title", a.Title, 1000)
	v.optionalText("owner_team", a.OwnerTeam, 200)
	for i, p := range a.Partners {
		if strings.TrimSpace(p) == "" || len(p) > 200 {
			v.add(fmt.Sprintf("partners[%d]", i), "a partner is named in 1-200 characters")
		}
	}
	if a.PeriodFrom != nil && a.PeriodTo != nil && a.PeriodTo.Before(*a.PeriodFrom) {
		v.add("period_to", "%s is before period_from %s", a.PeriodTo.Format(time.DateOnly), a.PeriodFrom.Format(time.DateOnly))
	}
	oneOf(&v, "status", a.Status, actionStatuses)
	if a.RAG != "" {
		oneOf(&v, "rag", a.RAG, []RAG{RAGGreen, RAGOrange, RAGRed})
	}
	v.optionalText("progress_notes", a.ProgressNotes, 20000)
	if a.CarriedOverFrom != "" && a.CarriedOverFrom == a.ID {
		v.add("carried_over_from", "an action cannot carry itself over")
	}
	return v.errs.Err()
}

// Validate reports every problem with in, each naming its field.
func (in *Indicator) Validate() error {
	var v validator
	v.gemeente("gemeente", in.Gemeente)
	if !codeRE.MatchString(in.Code) {
		v.add("code", "%q: 1-64 letters, digits, . _ -", in.Code)
	}
	v.text("name", in.Name, 300)
	v.optionalText("definition", in.Definition, 5000)
	v.text("unit", in.Unit, 50)
	v.text("source", in.Source, 300)
	v.optionalText("caveat", in.Caveat, 5000)
	if in.Computed {
		if len(in.Categories) == 0 {
			v.add("categories", "a computed indicator counts at least one category")
		}
		for i, c := range in.Categories {
			if strings.TrimSpace(c) == "" {
				v.add(fmt.Sprintf("categories[%d]", i), "empty")
			}
		}
		if in.Area != "" {
			if !ValidAreaCode(in.Area) || GemeenteOfCode(in.Area) != in.Gemeente {
				v.add("area", "%q is not an area code of %s", in.Area, in.Gemeente)
			}
		}
	} else {
		if len(in.Categories) > 0 {
			v.add("categories", "only a computed indicator has categories")
		}
		if in.Area != "" {
			v.add("area", "only a computed indicator has an area")
		}
		if in.PerThousand {
			v.add("per_thousand", "only a computed indicator is computed per 1,000 inhabitants")
		}
	}
	return v.errs.Err()
}

// Validate reports every problem with m, each naming its field.
func (m *Measurement) Validate() error {
	var v validator
	if m.IndicatorID == "" {
		v.add("indicator_id", "required")
	}
	if !ValidAreaCode(m.Area) {
		v.add("area", "%q is not a CBS area code (GM0384, WK038401, BU03840101)", m.Area)
	}
	v.year("period", m.Period)
	if !finite(m.Value) {
		v.add("value", "not a finite number")
	}
	oneOf(&v, "status", m.Status, []MeasurementStatus{MeasurementProvisional, MeasurementFinal})
	return v.errs.Err()
}
