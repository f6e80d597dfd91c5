package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"baken/internal/baken"
)

// programmeForms are the forms of the programme's entities.
type programmeForms struct {
	plan        *entityForm[baken.Plan]
	priority    *entityForm[baken.Priority]
	programme   *entityForm[baken.Programme]
	objective   *entityForm[baken.Objective]
	action      *entityForm[baken.Action]
	indicator   *entityForm[baken.Indicator]
	measurement *entityForm[baken.Measurement]
}

// options turns values into choices labelled from the catalogue (programme.value.FIELD.VALUE).
func options[S ~string](field string, values ...S) func(p Page) []formOption {
	return func(p Page) []formOption {
		out := make([]formOption, len(values))
		for i, v := range values {
			out[i] = formOption{Value: string(v), Label: p.Label(field, string(v))}
		}
		return out
	}
}

func (w *Web) programmeForms() programmeForms {
	return programmeForms{
		plan: w.planForm(), priority: w.priorityForm(), programme: w.programmeForm(),
		objective: w.objectiveForm(), action: w.actionForm(), indicator: w.indicatorForm(),
		measurement: w.measurementForm(),
	}
}

// thisYear is the current year where the installation is.
func (w *Web) thisYear() int { return w.cfg.Now().In(w.cfg.Location).Year() }

// ---- plan

func (w *Web) planForm() *entityForm[baken.Plan] {
	return &entityForm[baken.Plan]{
		name: "plan", entity: "plan",
		specs: []fieldSpec{
			{id: "titel", kind: "text", label: "programme.field.title", err: "programme.error.title", json: []string{"title"}},
			{id: "periode-van", kind: "number", label: "programme.field.period_from", err: "programme.error.year", json: []string{"period_from"}},
			{id: "periode-tot", kind: "number", label: "programme.field.period_to", err: "programme.error.period_to", json: []string{"period_to"}},
			{id: "visie", kind: "textarea", label: "programme.field.vision", err: "programme.error.long", json: []string{"vision"}, optional: true},
			{id: "vastgesteld-door", kind: "text", label: "programme.field.adopted_by", hint: "programme.hint.adopted_by", err: "programme.error.short",
				json: []string{"adopted_by"}, optional: true},
			{id: "besluitdatum", kind: "date", label: "programme.field.decision_date", hint: "programme.hint.date", err: "programme.error.date",
				json: []string{"decision_date"}, optional: true},
			{id: "status", kind: "select", label: "programme.field.status", err: "programme.error.choose", json: []string{"status"},
				options: options("status", baken.PlanConcept, baken.PlanProposed, baken.PlanAdopted, baken.PlanInExecution, baken.PlanEvaluated, baken.PlanLapsed)},
		},
		encode: func(p baken.Plan) url.Values {
			return url.Values{"titel": {p.Title}, "periode-van": {strconv.Itoa(p.PeriodFrom)}, "periode-tot": {strconv.Itoa(p.PeriodTo)},
				"visie": {p.Vision}, "vastgesteld-door": {p.AdoptedBy}, "besluitdatum": {dateValue(p.DecisionDate)}, "status": {string(p.Status)}}
		},
		decode: func(f *formReader, p *baken.Plan) {
			p.Title, p.PeriodFrom, p.PeriodTo = f.text("titel"), f.integer("periode-van"), f.integer("periode-tot")
			p.Vision, p.AdoptedBy, p.DecisionDate = f.text("visie"), f.text("vastgesteld-door"), f.date("besluitdatum")
			p.Status = baken.PlanStatus(f.text("status"))
		},
		audit: func(p *baken.Plan) *baken.Audit { return &p.Audit },
		id:    func(p baken.Plan) string { return p.ID },
		title: func(p baken.Plan) string { return p.Title },
		load: func(r *http.Request, _ baken.Actor) (baken.Plan, error) {
			return w.cfg.DB.FindPlan(r.Context(), r.PathValue("id"))
		},
		update: w.cfg.DB.UpdatePlan,
		create: w.cfg.DB.CreatePlan,
		blank: func(r *http.Request, a baken.Actor) (baken.Plan, error) {
			gm, err := gemeenteOf(r, a)
			y := w.thisYear()
			return baken.Plan{Gemeente: gm, PeriodFrom: y, PeriodTo: y + 3, Status: baken.PlanConcept}, err
		},
		setup: func(_ context.Context, _ Page, a baken.Actor, p baken.Plan) (formSetup, error) {
			return formSetup{back: overviewURL(a, p.Gemeente), fragment: anchor("plan", p.ID)}, nil
		},
		edit:    func(_ baken.Actor, p baken.Plan) string { return "/programma/plan/" + p.ID + "/bewerken" },
		history: func(_ baken.Actor, p baken.Plan) string { return "/programma/plan/" + p.ID + "/geschiedenis" },
	}
}

// anchor is an entity's id on a page: its kind and id, or "" for an entity not yet stored.
func anchor(kind, id string) string {
	if id == "" {
		return ""
	}
	return kind + "-" + id
}

// ---- priority

func (w *Web) priorityForm() *entityForm[baken.Priority] {
	themes := func(p Page) []formOption {
		out := make([]formOption, 0, len(w.tree.tree.Themes))
		for _, th := range w.tree.tree.Themes {
			out = append(out, formOption{Value: th.Code, Label: th.Code + " " + name(th.Name, p.Lang)})
		}
		return out
	}
	return &entityForm[baken.Priority]{
		name: "priority", entity: "priority",
		specs: []fieldSpec{
			{id: "rang", kind: "number", label: "programme.field.rank", hint: "programme.hint.rank", err: "programme.error.rank", json: []string{"rank"}},
			{id: "titel", kind: "text", label: "programme.field.title", err: "programme.error.title", json: []string{"title"}},
			{id: "themas", kind: "checkboxes", label: "programme.field.themes", hint: "programme.hint.themes", err: "programme.error.themes",
				json: []string{"themes"}, optional: true, options: themes},
			{id: "samenvatting", kind: "textarea", label: "programme.field.summary", err: "programme.error.long", json: []string{"summary"}, optional: true},
		},
		encode: func(p baken.Priority) url.Values {
			return url.Values{"rang": {strconv.Itoa(p.Rank)}, "titel": {p.Title}, "themas": p.Themes, "samenvatting": {p.Summary}}
		},
		decode: func(f *formReader, p *baken.Priority) {
			p.Rank, p.Title, p.Summary = f.integer("rang"), f.text("titel"), f.text("samenvatting")
			p.Themes = f.checked("themas")
			for _, th := range p.Themes {
				if _, ok := w.tree.themes[th]; !ok {
					f.fail("themas")
				}
			}
		},
		audit: func(p *baken.Priority) *baken.Audit { return &p.Audit },
		id:    func(p baken.Priority) string { return p.ID },
		title: func(p baken.Priority) string { return p.Title },
		load: func(r *http.Request, _ baken.Actor) (baken.Priority, error) {
			return w.cfg.DB.FindPriority(r.Context(), r.PathValue("id"))
		},
		update: w.cfg.DB.UpdatePriority,
		create: w.cfg.DB.CreatePriority,
		blank: func(r *http.Request, _ baken.Actor) (baken.Priority, error) {
			prios, err := w.cfg.DB.FindPriorities(r.Context(), r.PathValue("id"))
			rank := 1
			for _, p := range prios {
				rank = max(rank, p.Rank+1)
			}
			return baken.Priority{PlanID: r.PathValue("id"), Rank: rank, Themes: []string{}}, err
		},
		setup: func(ctx context.Context, _ Page, a baken.Actor, p baken.Priority) (formSetup, error) {
			plan, err := w.cfg.DB.FindPlan(ctx, p.PlanID)
			return formSetup{back: overviewURL(a, plan.Gemeente), fragment: anchor("prioriteit", p.ID), context: plan.Title}, err
		},
		edit:    func(_ baken.Actor, p baken.Priority) string { return "/programma/prioriteit/" + p.ID + "/bewerken" },
		history: func(_ baken.Actor, p baken.Priority) string { return "/programma/prioriteit/" + p.ID + "/geschiedenis" },
	}
}

// ---- programme

func (w *Web) programmeForm() *entityForm[baken.Programme] {
	return &entityForm[baken.Programme]{
		name: "programme", entity: "programme",
		specs: []fieldSpec{
			{id: "plan", kind: "select", label: "programme.field.plan", err: "programme.error.plan", json: []string{"plan_id"}, newOnly: true, dynamic: true},
			{id: "jaar", kind: "number", label: "programme.field.year", hint: "programme.hint.year", err: "programme.error.programmeyear",
				taken: "programme.error.year.taken", json: []string{"year"}},
			{id: "status", kind: "select", label: "programme.field.status", err: "programme.error.choose", json: []string{"status"},
				options: options("status", baken.ProgrammeConcept, baken.ProgrammeAdopted, baken.ProgrammeInExecution, baken.ProgrammeAccounted, baken.ProgrammeClosed)},
			{id: "besluitdatum", kind: "date", label: "programme.field.decision_date", hint: "programme.hint.date", err: "programme.error.date",
				json: []string{"decision_date"}, optional: true},
			{id: "vastgesteld-op", kind: "date", label: "programme.field.adopted_at", hint: "programme.hint.date", err: "programme.error.date",
				json: []string{"adopted_at"}, optional: true},
			{id: "samenvatting", kind: "textarea", label: "programme.field.summary", hint: "programme.hint.summary", err: "programme.error.long",
				json: []string{"summary"}, optional: true},
			{id: "vervolg", kind: "textarea", label: "programme.field.follow_up", hint: "programme.hint.follow_up", err: "programme.error.long",
				json: []string{"follow_up"}, optional: true},
		},
		more: themeSpecs,
		encode: func(p baken.Programme) url.Values {
			v := url.Values{"plan": {p.PlanID}, "jaar": {yearValue(p.Year)}, "status": {string(p.Status)},
				"besluitdatum": {dateValue(p.DecisionDate)}, "vastgesteld-op": {dateValue(p.AdoptedAt)},
				"samenvatting": {p.Summary}, "vervolg": {p.FollowUp}}
			for i, th := range p.Themes {
				k := "thema-" + strconv.Itoa(i) + "-"
				v[k+"titel"], v[k+"tekst"], v[k+"indicatoren"] = []string{th.Title}, []string{th.Text}, th.IndicatorIDs
			}
			return v
		},
		decode: func(f *formReader, p *baken.Programme) {
			if _, ok := f.values["plan"]; ok {
				p.PlanID = f.text("plan")
			}
			p.Year, p.Status, p.DecisionDate = f.integer("jaar"), baken.ProgrammeStatus(f.text("status")), f.date("besluitdatum")
			p.Summary, p.FollowUp = f.text("samenvatting"), f.text("vervolg")
			// A theme left empty is dropped: that is how a theme is removed.
			p.Themes = []baken.CurrentTheme{}
			for i := 0; f.values.Has(themeKey(i, "titel")); i++ {
				th := baken.CurrentTheme{Title: f.text(themeKey(i, "titel")), Text: f.text(themeKey(i, "tekst")),
					IndicatorIDs: f.checked(themeKey(i, "indicatoren"))}
				if th.Title != "" || th.Text != "" || len(th.IndicatorIDs) > 0 {
					p.Themes = append(p.Themes, th)
				}
			}
			// The form shows the day of adoption; a stored moment on that day is kept.
			if d := f.date("vastgesteld-op"); d == nil || p.AdoptedAt == nil || dateValue(d) != dateValue(p.AdoptedAt) {
				p.AdoptedAt = d
			}
		},
		audit: func(p *baken.Programme) *baken.Audit { return &p.Audit },
		id:    func(p baken.Programme) string { return p.ID },
		title: func(p baken.Programme) string { return strconv.Itoa(p.Year) },
		load: func(r *http.Request, a baken.Actor) (baken.Programme, error) {
			return w.programmeOfYear(r, a)
		},
		update: w.cfg.DB.UpdateProgramme,
		create: w.cfg.DB.CreateProgramme,
		blank: func(r *http.Request, a baken.Actor) (baken.Programme, error) {
			gm, err := gemeenteOf(r, a)
			if err != nil {
				return baken.Programme{}, err
			}
			p := baken.Programme{Gemeente: gm, Status: baken.ProgrammeConcept}
			plans, err := w.cfg.DB.FindPlans(r.Context(), gm)
			if err != nil {
				return p, err
			}
			progs, err := w.cfg.DB.FindProgrammes(r.Context(), gm)
			if err != nil {
				return p, err
			}
			p.PlanID, p.Year = freeProgrammeYear(plans, progs, w.cfg.Now().In(w.cfg.Location).Year())
			return p, nil
		},
		setup: func(ctx context.Context, _ Page, a baken.Actor, p baken.Programme) (formSetup, error) {
			s := formSetup{back: overviewURL(a, p.Gemeente), options: map[string][]formOption{}}
			if p.ID != "" {
				s.back = programmeURL(a, p)
			}
			plans, err := w.cfg.DB.FindPlans(ctx, p.Gemeente)
			if err != nil {
				return s, err
			}
			for _, pl := range plans {
				s.options["plan"] = append(s.options["plan"], formOption{Value: pl.ID, Label: fmt.Sprintf("%s (%d-%d)", pl.Title, pl.PeriodFrom, pl.PeriodTo)})
				if pl.ID == p.PlanID {
					s.context = pl.Title
				}
			}
			inds, err := w.cfg.DB.FindIndicators(ctx, p.Gemeente)
			for _, in := range inds {
				s.options["indicatoren"] = append(s.options["indicatoren"], formOption{Value: in.ID, Label: in.Name})
			}
			return s, err
		},
		edit: func(a baken.Actor, p baken.Programme) string {
			return "/programma/" + strconv.Itoa(p.Year) + "/bewerken" + gemeenteSuffix(a, p.Gemeente)
		},
		history: func(a baken.Actor, p baken.Programme) string {
			return "/programma/" + strconv.Itoa(p.Year) + "/geschiedenis" + gemeenteSuffix(a, p.Gemeente)
		},
	}
}

// freeProgrammeYear chooses the plan and year a new programme's form starts with: in the
// first plan (latest period first) with a year in its period that no programme of the
// gemeente has yet, the first such year from this year on (the coming programme), else
// the latest such year before it; else the first plan and no year (0).
func freeProgrammeYear(plans []baken.Plan, progs []baken.Programme, thisYear int) (planID string, year int) {
	taken := map[int]bool{}
	for _, pr := range progs {
		taken[pr.Year] = true
	}
	for _, pl := range plans {
		past := 0
		for y := pl.PeriodFrom; y <= pl.PeriodTo; y++ {
			switch {
			case taken[y]:
			case y >= thisYear:
				return pl.ID, y
			default:
				past = y
			}
		}
		if past != 0 {
			return pl.ID, past
		}
	}
	if len(plans) > 0 {
		return plans[0].ID, 0
	}
	return "", 0
}

// yearValue is a year as a form shows it: empty for none.
func yearValue(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// themeKey is the form field of part of the current theme i.
func themeKey(i int, part string) string { return "thema-" + strconv.Itoa(i) + "-" + part }

// themeSpecs are the fields of a programme's current themes in values, and of one
// more to add a theme.
func themeSpecs(values url.Values) []fieldSpec {
	n := 0
	for values.Has(themeKey(n, "titel")) {
		n++
	}
	var out []fieldSpec
	for i := 0; i <= n; i++ {
		j := "themes[" + strconv.Itoa(i) + "]"
		out = append(out,
			fieldSpec{id: themeKey(i, "titel"), kind: "text", label: "programme.field.theme_title", args: []any{i + 1},
				hint: themeHint(i, n), err: "programme.error.theme_title", json: []string{j + ".title"}, optional: true},
			fieldSpec{id: themeKey(i, "tekst"), kind: "textarea", label: "programme.field.theme_text", args: []any{i + 1},
				err: "programme.error.long", json: []string{j + ".text"}, optional: true},
			fieldSpec{id: themeKey(i, "indicatoren"), kind: "checkboxes", label: "programme.field.theme_indicators", args: []any{i + 1},
				err: "programme.error.indicators", json: []string{j + ".indicator_ids"}, optional: true, dynamic: true, choices: "indicatoren"})
	}
	return out
}

// themeHint explains the fields of a theme: the empty one adds a theme, emptying one
// removes it.
func themeHint(i, n int) string {
	if i == n {
		return "programme.hint.theme_new"
	}
	return "programme.hint.theme"
}

// ---- objective

func (w *Web) objectiveForm() *entityForm[baken.Objective] {
	return &entityForm[baken.Objective]{
		name: "objective", entity: "objective",
		specs: []fieldSpec{
			{id: "nummer", kind: "number", label: "programme.field.number", err: "programme.error.number", taken: "programme.error.number.taken",
				json: []string{"number"}},
			{id: "titel", kind: "textarea", label: "programme.field.title", err: "programme.error.title", json: []string{"title"}},
			{id: "soort", kind: "radio", label: "programme.field.kind", hint: "programme.hint.kind", err: "programme.error.choose", json: []string{"kind"},
				options: options("kind", baken.ObjectiveEffect, baken.ObjectiveOutput)},
			{id: "prioriteiten", kind: "checkboxes", label: "programme.field.priorities", hint: "programme.hint.priorities", err: "programme.error.priorities",
				json: []string{"priority_ids"}, optional: true, dynamic: true},
			{id: "hoofdindicator", kind: "select", label: "programme.field.main_indicator", hint: "programme.hint.main_indicator",
				err: "programme.error.indicators", optional: true, dynamic: true},
			{id: "indicatoren", kind: "checkboxes", label: "programme.field.other_indicators", err: "programme.error.indicators",
				json: []string{"indicator_ids"}, optional: true, dynamic: true},
			{id: "nulmeting-jaar", kind: "number", label: "programme.field.baseline_year", err: "programme.error.baseline", json: []string{"baseline.year", "baseline"}, optional: true},
			{id: "nulmeting-waarde", kind: "text", label: "programme.field.baseline_value", hint: "programme.hint.decimal", err: "programme.error.baseline",
				json: []string{"baseline.value"}, optional: true},
			{id: "streefwaarden", kind: "textarea", label: "programme.field.targets", hint: "programme.hint.targets", err: "programme.error.targets",
				json: []string{"targets"}, optional: true},
			{id: "richting", kind: "radio", label: "programme.field.direction", hint: "programme.hint.direction", err: "programme.error.direction",
				json: []string{"direction"}, options: options("direction", "", baken.DirectionDown, baken.DirectionUp)},
		},
		encode: func(o baken.Objective) url.Values {
			v := url.Values{"nummer": {strconv.Itoa(o.Number)}, "titel": {o.Title}, "soort": {string(o.Kind)}, "prioriteiten": o.PriorityIDs,
				"richting": {string(o.Direction)}}
			if len(o.IndicatorIDs) > 0 {
				v.Set("hoofdindicator", o.IndicatorIDs[0])
				v["indicatoren"] = o.IndicatorIDs[1:]
			}
			if o.Baseline != nil {
				v.Set("nulmeting-jaar", strconv.Itoa(o.Baseline.Year))
				v.Set("nulmeting-waarde", numberValue(o.Baseline.Value))
			}
			var lines []string
			for _, t := range o.Targets {
				lines = append(lines, strconv.Itoa(t.Year)+": "+numberValue(t.Value))
			}
			v.Set("streefwaarden", strings.Join(lines, "\n"))
			return v
		},
		decode: func(f *formReader, o *baken.Objective) {
			o.Number, o.Title, o.Kind = f.integer("nummer"), f.text("titel"), baken.ObjectiveKind(f.text("soort"))
			o.PriorityIDs, o.Direction = f.checked("prioriteiten"), baken.Direction(f.text("richting"))
			// The main indicator first (the one judged against the targets), then the others.
			o.IndicatorIDs = []string{}
			if main := f.text("hoofdindicator"); main != "" {
				o.IndicatorIDs = append(o.IndicatorIDs, main)
			}
			for _, id := range f.checked("indicatoren") {
				if !slices.Contains(o.IndicatorIDs, id) {
					o.IndicatorIDs = append(o.IndicatorIDs, id)
				}
			}
			o.Baseline = nil
			switch y, v := f.text("nulmeting-jaar"), f.number("nulmeting-waarde"); {
			case y == "" && v == nil && f.text("nulmeting-waarde") == "":
			case y == "":
				f.fail("nulmeting-jaar")
			case v == nil:
				f.fail("nulmeting-waarde")
			default:
				o.Baseline = &baken.YearValue{Year: f.integer("nulmeting-jaar"), Value: *v}
			}
			o.Targets = []baken.YearValue{}
			for _, line := range f.lines("streefwaarden") {
				t, ok := parseYearValue(line)
				if !ok {
					f.fail("streefwaarden")
					continue
				}
				o.Targets = append(o.Targets, t)
			}
		},
		audit: func(o *baken.Objective) *baken.Audit { return &o.Audit },
		id:    func(o baken.Objective) string { return o.ID },
		title: func(o baken.Objective) string { return strconv.Itoa(o.Number) + ". " + o.Title },
		load: func(r *http.Request, _ baken.Actor) (baken.Objective, error) {
			return w.cfg.DB.FindObjective(r.Context(), r.PathValue("id"))
		},
		update: w.cfg.DB.UpdateObjective,
		create: w.cfg.DB.CreateObjective,
		blank: func(r *http.Request, a baken.Actor) (baken.Objective, error) {
			prog, err := w.programmeOfYear(r, a)
			if err != nil {
				return baken.Objective{}, err
			}
			objs, err := w.cfg.DB.FindObjectives(r.Context(), prog.ID)
			n := 1
			for _, o := range objs {
				n = max(n, o.Number+1)
			}
			return baken.Objective{ProgrammeID: prog.ID, Number: n, Kind: baken.ObjectiveEffect, PriorityIDs: []string{}, Targets: []baken.YearValue{}}, err
		},
		setup: func(ctx context.Context, p Page, a baken.Actor, o baken.Objective) (formSetup, error) {
			prog, err := w.cfg.DB.FindProgramme(ctx, o.ProgrammeID)
			if err != nil {
				return formSetup{}, err
			}
			s := formSetup{back: programmeURL(a, prog), fragment: anchor("doelstelling", o.ID), context: p.T("programme.title", prog.Year),
				options: map[string][]formOption{}}
			prios, err := w.cfg.DB.FindPriorities(ctx, prog.PlanID)
			if err != nil {
				return s, err
			}
			for _, pr := range prios {
				s.options["prioriteiten"] = append(s.options["prioriteiten"], formOption{Value: pr.ID, Label: strconv.Itoa(pr.Rank) + ". " + pr.Title})
			}
			inds, err := w.cfg.DB.FindIndicators(ctx, prog.Gemeente)
			s.options["hoofdindicator"] = []formOption{{Value: "", Label: p.T("programme.none")}}
			for _, in := range inds {
				s.options["hoofdindicator"] = append(s.options["hoofdindicator"], formOption{Value: in.ID, Label: in.Name})
				s.options["indicatoren"] = append(s.options["indicatoren"], formOption{Value: in.ID, Label: in.Name})
			}
			return s, err
		},
		edit: func(_ baken.Actor, o baken.Objective) string { return "/programma/doelstelling/" + o.ID + "/bewerken" },
		history: func(_ baken.Actor, o baken.Objective) string {
			return "/programma/doelstelling/" + o.ID + "/geschiedenis"
		},
	}
}

// parseYearValue reads "2026: 80" (or "2026 80", "2026=80,5").
func parseYearValue(s string) (baken.YearValue, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '=' || r == ' ' || r == '\t' })
	if len(parts) != 2 {
		return baken.YearValue{}, false
	}
	y, err := strconv.Atoi(parts[0])
	v, ok := parseNumber(parts[1])
	if err != nil || !ok {
		return baken.YearValue{}, false
	}
	return baken.YearValue{Year: y, Value: v}, true
}

// ---- action

func (w *Web) actionForm() *entityForm[baken.Action] {
	return &entityForm[baken.Action]{
		name: "action", entity: "action",
		specs: []fieldSpec{
			{id: "titel", kind: "textarea", label: "programme.field.action_title", err: "programme.error.action_title", json: []string{"title"}},
			{id: "eigenaar", kind: "text", label: "programme.field.owner_team", err: "programme.error.short", json: []string{"owner_team"}, optional: true},
			{id: "partners", kind: "textarea", label: "programme.field.partners", hint: "programme.hint.lines", err: "programme.error.partners",
				json: []string{"partners"}, optional: true},
			{id: "periode-van", kind: "date", label: "programme.field.start", hint: "programme.hint.date", err: "programme.error.date",
				json: []string{"period_from"}, optional: true},
			{id: "periode-tot", kind: "date", label: "programme.field.end", hint: "programme.hint.date", err: "programme.error.end",
				json: []string{"period_to"}, optional: true},
			{id: "status", kind: "radio", label: "programme.field.action_status", err: "programme.error.choose", json: []string{"status"},
				options: options("status", baken.ActionPlanned, baken.ActionStarted, baken.ActionDone, baken.ActionPostponed, baken.ActionDropped)},
			{id: "rag", kind: "radio", label: "programme.field.rag", hint: "programme.hint.rag", err: "programme.error.choose", json: []string{"rag"},
				options: options("rag", "", baken.RAGGreen, baken.RAGOrange, baken.RAGRed)},
			{id: "voortgang", kind: "textarea", label: "programme.field.progress_notes", err: "programme.error.long", json: []string{"progress_notes"}, optional: true},
		},
		encode: func(a baken.Action) url.Values {
			return url.Values{"titel": {a.Title}, "eigenaar": {a.OwnerTeam}, "partners": {strings.Join(a.Partners, "\n")},
				"periode-van": {dateValue(a.PeriodFrom)}, "periode-tot": {dateValue(a.PeriodTo)}, "status": {string(a.Status)},
				"rag": {string(a.RAG)}, "voortgang": {a.ProgressNotes}}
		},
		decode: func(f *formReader, a *baken.Action) {
			a.Title, a.OwnerTeam, a.Partners = f.text("titel"), f.text("eigenaar"), f.lines("partners")
			a.PeriodFrom, a.PeriodTo = f.date("periode-van"), f.date("periode-tot")
			a.Status, a.RAG, a.ProgressNotes = baken.ActionStatus(f.text("status")), baken.RAG(f.text("rag")), f.text("voortgang")
		},
		audit: func(a *baken.Action) *baken.Audit { return &a.Audit },
		id:    func(a baken.Action) string { return a.ID },
		title: func(a baken.Action) string { return shorten(a.Title, 60) },
		load: func(r *http.Request, _ baken.Actor) (baken.Action, error) {
			return w.cfg.DB.FindAction(r.Context(), r.PathValue("id"))
		},
		update: w.cfg.DB.UpdateAction,
		create: w.cfg.DB.CreateAction,
		blank: func(r *http.Request, _ baken.Actor) (baken.Action, error) {
			o, err := w.cfg.DB.FindObjective(r.Context(), r.PathValue("id"))
			return baken.Action{ObjectiveID: o.ID, Status: baken.ActionPlanned, Partners: []string{}}, err
		},
		setup: func(ctx context.Context, p Page, a baken.Actor, act baken.Action) (formSetup, error) {
			o, err := w.cfg.DB.FindObjective(ctx, act.ObjectiveID)
			if err != nil {
				return formSetup{}, err
			}
			prog, err := w.cfg.DB.FindProgramme(ctx, o.ProgrammeID)
			return formSetup{back: programmeURL(a, prog), fragment: anchor("actie", act.ID),
				context: p.T("programme.objective", o.Number, o.Title)}, err
		},
		edit:    func(_ baken.Actor, a baken.Action) string { return "/programma/actie/" + a.ID + "/bewerken" },
		history: func(_ baken.Actor, a baken.Action) string { return "/programma/actie/" + a.ID + "/geschiedenis" },
	}
}

// shorten cuts text to at most n characters at a word, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// ---- indicator

func (w *Web) indicatorForm() *entityForm[baken.Indicator] {
	return &entityForm[baken.Indicator]{
		name: "indicator", entity: "indicator",
		specs: []fieldSpec{
			{id: "code", kind: "text", label: "programme.field.code", hint: "programme.hint.code", err: "programme.error.code",
				taken: "programme.error.code.taken", json: []string{"code"}},
			{id: "naam", kind: "text", label: "programme.field.name", err: "programme.error.title", json: []string{"name"}},
			{id: "definitie", kind: "textarea", label: "programme.field.definition", err: "programme.error.long", json: []string{"definition"}, optional: true},
			{id: "eenheid", kind: "text", label: "programme.field.unit", hint: "programme.hint.unit", err: "programme.error.unit", json: []string{"unit"}},
			{id: "bron", kind: "text", label: "programme.field.source", err: "programme.error.source", json: []string{"source"}},
			{id: "kanttekening", kind: "textarea", label: "programme.field.caveat", err: "programme.error.long", json: []string{"caveat"}, optional: true},
			{id: "berekend", kind: "checkbox", label: "programme.field.computed", hint: "programme.hint.computed", err: "programme.error.computed",
				json: []string{"computed"}, optional: true},
			{id: "categorieen", kind: "text", label: "programme.field.categories", hint: "programme.hint.categories", err: "programme.error.categories",
				json: []string{"categories"}, optional: true},
			{id: "gebied", kind: "text", label: "programme.field.area", hint: "programme.hint.area", err: "programme.error.area",
				json: []string{"area"}, optional: true},
			{id: "per-duizend", kind: "checkbox", label: "programme.field.per_thousand", err: "programme.error.per_thousand",
				json: []string{"per_thousand"}, optional: true},
		},
		encode: func(in baken.Indicator) url.Values {
			v := url.Values{"code": {in.Code}, "naam": {in.Name}, "definitie": {in.Definition}, "eenheid": {in.Unit}, "bron": {in.Source},
				"kanttekening": {in.Caveat}, "categorieen": {strings.Join(in.Categories, ", ")}, "gebied": {in.Area}}
			if in.Computed {
				v.Set("berekend", "ja")
			}
			if in.PerThousand {
				v.Set("per-duizend", "ja")
			}
			return v
		},
		decode: func(f *formReader, in *baken.Indicator) {
			in.Code, in.Name, in.Definition = f.text("code"), f.text("naam"), f.text("definitie")
			in.Unit, in.Source, in.Caveat = f.text("eenheid"), f.text("bron"), f.text("kanttekening")
			in.Computed, in.PerThousand = f.flag("berekend"), f.flag("per-duizend")
			in.Categories, in.Area = f.codes("categorieen"), strings.ToUpper(f.text("gebied"))
			for _, c := range in.Categories {
				if _, ok := w.tree.categories[c]; !ok {
					f.fail("categorieen")
				}
			}
		},
		audit: func(in *baken.Indicator) *baken.Audit { return &in.Audit },
		id:    func(in baken.Indicator) string { return in.ID },
		title: func(in baken.Indicator) string { return in.Name },
		load: func(r *http.Request, _ baken.Actor) (baken.Indicator, error) {
			return w.cfg.DB.FindIndicator(r.Context(), r.PathValue("id"))
		},
		update: w.cfg.DB.UpdateIndicator,
		create: w.cfg.DB.CreateIndicator,
		blank: func(r *http.Request, a baken.Actor) (baken.Indicator, error) {
			gm, err := gemeenteOf(r, a)
			return baken.Indicator{Gemeente: gm, Categories: []string{}}, err
		},
		setup: func(_ context.Context, _ Page, a baken.Actor, in baken.Indicator) (formSetup, error) {
			return formSetup{back: overviewURL(a, in.Gemeente), fragment: anchor("indicator", in.ID)}, nil
		},
		edit: func(_ baken.Actor, in baken.Indicator) string { return "/programma/indicator/" + in.ID + "/bewerken" },
		history: func(_ baken.Actor, in baken.Indicator) string {
			return "/programma/indicator/" + in.ID + "/geschiedenis"
		},
	}
}
