package demo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/programme"
	"baken/internal/store"
)

// loadedProgramme is everything LoadProgramme stored, read back through the store.
type loadedProgramme struct {
	Plan       baken.Plan
	Priorities []baken.Priority
	Programme  baken.Programme
	Objectives []baken.Objective
	Actions    map[int][]baken.Action
	Indicators map[string]baken.Indicator
	// Measurements are the entered values, by indicator code.
	Measurements map[string][]baken.Measurement
}

func readProgramme(t *testing.T, db *store.DB) loadedProgramme {
	t.Helper()
	ctx := sys()
	plans, err := db.FindPlans(ctx, demo.Gemeente)
	if err != nil || len(plans) != 1 {
		t.Fatalf("%d plans, want 1: %v", len(plans), err)
	}
	lp := loadedProgramme{Plan: plans[0]}
	if lp.Priorities, err = db.FindPriorities(ctx, lp.Plan.ID); err != nil {
		t.Fatal(err)
	}
	progs, err := db.FindProgrammes(ctx, demo.Gemeente)
	if err != nil || len(progs) != 1 {
		t.Fatalf("%d programmes, want 1: %v", len(progs), err)
	}
	lp.Programme = progs[0]
	if lp.Objectives, err = db.FindObjectives(ctx, lp.Programme.ID); err != nil {
		t.Fatal(err)
	}
	lp.Actions = map[int][]baken.Action{}
	for _, o := range lp.Objectives {
		if lp.Actions[o.Number], err = db.FindActions(ctx, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	inds, err := db.FindIndicators(ctx, demo.Gemeente)
	if err != nil {
		t.Fatal(err)
	}
	lp.Indicators = map[string]baken.Indicator{}
	lp.Measurements = map[string][]baken.Measurement{}
	for _, in := range inds {
		lp.Indicators[in.Code] = in
		ms, err := db.FindMeasurements(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > 0 {
			lp.Measurements[in.Code] = ms
		}
	}
	return lp
}

func TestLoadProgramme(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := sys()
			if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
				t.Fatal(err)
			}
			if err := demo.LoadProgramme(ctx, db); err != nil {
				t.Fatal(err)
			}
			lp := readProgramme(t, db)

			p := lp.Plan
			if p.Gemeente != demo.Gemeente || p.PeriodFrom != 2023 || p.PeriodTo != 2026 ||
				!strings.Contains(p.Title, "Verder bouwen aan een veilig Diemen") || !strings.Contains(p.AdoptedBy, "2023") {
				t.Errorf("plan = %+v", p)
			}
			if !strings.Contains(p.Vision, "gegenereerde demodata") {
				t.Errorf("the plan does not say its figures are demo data: %q", p.Vision)
			}

			var themes [][]string
			for _, pr := range lp.Priorities {
				themes = append(themes, pr.Themes)
			}
			if diff := cmp.Diff([][]string{{"5.2"}, {"1.3"}, {"5.3"}}, themes); diff != "" {
				t.Errorf("priority themes (-want +got):\n%s", diff)
			}

			prog := lp.Programme
			if prog.Year != 2024 || prog.PlanID != p.ID || prog.DecisionDate == nil || prog.DecisionDate.Format("2006-01-02") != "2024-02-06" {
				t.Errorf("programme = %+v", prog)
			}

			if len(lp.Objectives) != 5 {
				t.Fatalf("%d objectives, want 5", len(lp.Objectives))
			}
			wantPrio := map[int]string{1: lp.Priorities[0].ID, 2: lp.Priorities[1].ID}
			for _, o := range lp.Objectives {
				var want []string
				if id, ok := wantPrio[o.Number]; ok {
					want = []string{id}
				}
				if diff := cmp.Diff(want, o.PriorityIDs, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" {
					t.Errorf("objective %d priorities (-want +got):\n%s", o.Number, diff)
				}
				if len(lp.Actions[o.Number]) == 0 {
					t.Errorf("objective %d has no actions", o.Number)
				}
				for _, a := range lp.Actions[o.Number] {
					if a.OwnerTeam == "" || len(a.Partners) == 0 || a.Status == "" {
						t.Errorf("objective %d: action without owner, partners or status: %+v", o.Number, a)
					}
				}
			}
			o3 := lp.Objectives[2]
			if o3.Baseline == nil || *o3.Baseline != (baken.YearValue{Year: 2023, Value: 98}) || o3.Direction != baken.DirectionDown ||
				!slices.Equal(o3.Targets, []baken.YearValue{{Year: 2024, Value: 95}}) {
				t.Errorf("objective 3 = %+v, want baseline 2023: 98, target 2024: 95, direction down", o3)
			}
			if !strings.Contains(p.Vision, "streefwaarde van doelstelling 3") {
				t.Errorf("the plan does not say objective 3's target is the demo's own: %q", p.Vision)
			}

			// The letter's texts, the current themes and the indicators they link.
			id := func(code string) string { return lp.Indicators[code].ID }
			if !strings.Contains(prog.Summary, "jaarprogramma 2024") || !strings.Contains(prog.FollowUp, "presidium") {
				t.Errorf("programme summary %q, follow-up %q", prog.Summary, prog.FollowUp)
			}
			wantThemes := []struct{ title, indicator string }{
				{"Jeugdoverlast en -criminaliteit", demo.IndicatorYouthNuisance}, {"Zorg en veiligheid", demo.IndicatorConfused}}
			if len(prog.Themes) != len(wantThemes) {
				t.Fatalf("themes = %+v", prog.Themes)
			}
			for i, w := range wantThemes {
				th := prog.Themes[i]
				if th.Title != w.title || th.Text == "" || !slices.Equal(th.IndicatorIDs, []string{id(w.indicator)}) {
					t.Errorf("theme %d = %+v, want %q measured by %s", i, th, w.title, w.indicator)
				}
			}
			for i, want := range [][]string{{}, {id(demo.IndicatorHIC)}, {id(demo.IndicatorYouthNuisance)}, {}, {}} {
				if got := lp.Objectives[i].IndicatorIDs; !slices.Equal(got, want) {
					t.Errorf("objective %d indicators = %v, want %v", i+1, got, want)
				}
			}

			var partners []string
			for _, as := range lp.Actions {
				for _, a := range as {
					partners = append(partners, a.Partners...)
				}
			}
			for _, want := range []string{"Politie", "Zorg- en Veiligheidshuis", "Platform Veilig Ondernemen", "Stadstoezicht", "Jeugdboa's", "Scholen"} {
				if !slices.Contains(partners, want) {
					t.Errorf("no action with partner %q", want)
				}
			}

			if len(lp.Indicators) != 4 {
				t.Fatalf("%d indicators, want 4: %v", len(lp.Indicators), lp.Indicators)
			}
			// One indicator is entered by hand, with a final and a provisional value.
			entered := lp.Indicators[demo.IndicatorFeelsUnsafe]
			if entered.Computed || !strings.Contains(entered.Source, "Veiligheidsmonitor") || !strings.Contains(entered.Caveat, "bedacht") {
				t.Errorf("entered indicator = %+v", entered)
			}
			var values []string
			for _, m := range lp.Measurements[demo.IndicatorFeelsUnsafe] {
				values = append(values, fmt.Sprintf("%s %d %v %s", m.Area, m.Period, m.Value, m.Status))
			}
			if diff := cmp.Diff([]string{"GM0384 2021 33 definitief", "GM0384 2023 31.5 voorlopig"}, values); diff != "" {
				t.Errorf("entered values (-want +got):\n%s", diff)
			}
			if len(lp.Measurements) != 1 {
				t.Errorf("values of %d indicators, want those of the entered one only", len(lp.Measurements))
			}
			if c := lp.Indicators[demo.IndicatorConfused].Caveat; !strings.Contains(c, "ongeschikt als prestatie-indicator") {
				t.Errorf("E33 caveat = %q", c)
			}
			if c := lp.Indicators[demo.IndicatorHIC].Categories; len(c) != 8 || !slices.Contains(c, "woninginbraak") {
				t.Errorf("HIC categories = %v", c)
			}

			youth := lp.Indicators[demo.IndicatorYouthNuisance]
			ms, err := programme.IndicatorValues(ctx, db, youth, 2020, 2023)
			if err != nil {
				t.Fatal(err)
			}
			var got []float64
			for _, m := range ms {
				got = append(got, m.Value)
				if m.IndicatorID != youth.ID || m.Area != demo.Gemeente || m.Status != baken.MeasurementFinal {
					t.Errorf("measurement %+v", m)
				}
				if err := m.Validate(); err != nil {
					t.Errorf("measurement %+v: %v", m, err)
				}
			}
			if diff := cmp.Diff([]float64{258, 123, 104, 98}, got); diff != "" {
				t.Errorf("youth nuisance 2020-2023 (-published +computed):\n%s", diff)
			}

			// Loading again changes nothing.
			if err := demo.LoadProgramme(ctx, db); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(lp, readProgramme(t, db)); diff != "" {
				t.Errorf("second load changed the programme (-first +second):\n%s", diff)
			}
		})
	}
}

// programmeShape is what the demo programme says, without ids and versions: two loads
// into different databases have the same shape.
type programmeShape struct {
	Plan         string
	Priorities   []string
	Programme    string
	Objectives   []string
	Actions      map[int][]string
	Indicators   []string
	Measurements []string
}

func shapeOf(lp loadedProgramme) programmeShape {
	code := map[string]string{}
	var s programmeShape
	for c, in := range lp.Indicators {
		code[in.ID] = c
		s.Indicators = append(s.Indicators, fmt.Sprintf("%s|%s|%s|%s|%v|%v|%s", c, in.Name, in.Unit, in.Source, in.Computed, in.Categories, in.Area))
		for _, m := range lp.Measurements[c] {
			s.Measurements = append(s.Measurements, fmt.Sprintf("%s|%s|%d|%v|%s", c, m.Area, m.Period, m.Value, m.Status))
		}
	}
	slices.Sort(s.Indicators)
	slices.Sort(s.Measurements)
	codes := func(ids []string) []string {
		out := []string{}
		for _, id := range ids {
			out = append(out, code[id])
		}
		return out
	}
	p := lp.Plan
	s.Plan = fmt.Sprintf("%s|%d-%d|%s|%s|%s", p.Title, p.PeriodFrom, p.PeriodTo, p.Vision, p.AdoptedBy, p.Status)
	rank := map[string]int{}
	for _, pr := range lp.Priorities {
		rank[pr.ID] = pr.Rank
		s.Priorities = append(s.Priorities, fmt.Sprintf("%d|%s|%v|%s", pr.Rank, pr.Title, pr.Themes, pr.Summary))
	}
	prog := lp.Programme
	s.Programme = fmt.Sprintf("%d|%s|%s|%v|%s|%s", prog.Year, prog.Status, prog.DecisionDate, prog.AdoptedAt, prog.Summary, prog.FollowUp)
	for _, th := range prog.Themes {
		s.Programme += fmt.Sprintf("|%s: %v", th.Title, codes(th.IndicatorIDs))
	}
	s.Actions = map[int][]string{}
	for _, o := range lp.Objectives {
		var ranks []int
		for _, id := range o.PriorityIDs {
			ranks = append(ranks, rank[id])
		}
		s.Objectives = append(s.Objectives, fmt.Sprintf("%d|%s|%s|%v|%v|%v|%v|%s", o.Number, o.Title, o.Kind, ranks, codes(o.IndicatorIDs),
			o.Baseline, o.Targets, o.Direction))
		for _, a := range lp.Actions[o.Number] {
			s.Actions[o.Number] = append(s.Actions[o.Number], fmt.Sprintf("%s|%s|%v|%s|%s|%s", a.Title, a.OwnerTeam, a.Partners,
				a.PeriodFrom, a.PeriodTo, a.Status))
		}
	}
	return s
}

// loadPrefix stores the first n entities of a loaded programme in the order
// LoadProgramme makes them (indicators, their values, plan, priorities, programme, then
// each objective followed by its actions): the state a load leaves when it stops there.
func loadPrefix(t *testing.T, db *store.DB, from loadedProgramme, n int) {
	t.Helper()
	ctx := sys()
	made := 0
	step := func(what string, f func() error) bool {
		t.Helper()
		if made >= n {
			return false
		}
		if err := f(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		made++
		return true
	}
	ids := map[string]string{} // old id -> new id
	mapIDs := func(old []string) []string {
		out := []string{}
		for _, id := range old {
			out = append(out, ids[id])
		}
		return out
	}
	var codes []string
	for c := range from.Indicators {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		in := from.Indicators[c]
		in.ID, in.Audit = "", baken.Audit{}
		if !step("indicator "+c, func() error {
			made, err := db.CreateIndicator(ctx, in)
			ids[from.Indicators[c].ID] = made.ID
			return err
		}) {
			return
		}
	}
	for _, c := range codes {
		for _, m := range from.Measurements[c] {
			m.IndicatorID, m.Audit = ids[m.IndicatorID], baken.Audit{}
			if !step("value of "+c, func() error { _, err := db.CreateMeasurement(ctx, m); return err }) {
				return
			}
		}
	}
	plan := from.Plan
	plan.ID, plan.Audit = "", baken.Audit{}
	if !step("plan", func() error { p, err := db.CreatePlan(ctx, plan); ids[from.Plan.ID] = p.ID; return err }) {
		return
	}
	for _, pr := range from.Priorities {
		old := pr.ID
		pr.ID, pr.PlanID, pr.Audit = "", ids[pr.PlanID], baken.Audit{}
		if !step("priority", func() error { p, err := db.CreatePriority(ctx, pr); ids[old] = p.ID; return err }) {
			return
		}
	}
	prog := from.Programme
	prog.ID, prog.PlanID, prog.Audit = "", ids[prog.PlanID], baken.Audit{}
	prog.Themes = slices.Clone(prog.Themes)
	for i := range prog.Themes {
		prog.Themes[i].IndicatorIDs = mapIDs(prog.Themes[i].IndicatorIDs)
	}
	if !step("programme", func() error { p, err := db.CreateProgramme(ctx, prog); ids[from.Programme.ID] = p.ID; return err }) {
		return
	}
	for _, o := range from.Objectives {
		old := o.ID
		o.ID, o.ProgrammeID, o.Audit = "", ids[o.ProgrammeID], baken.Audit{}
		o.PriorityIDs, o.IndicatorIDs = mapIDs(o.PriorityIDs), mapIDs(o.IndicatorIDs)
		if !step("objective", func() error { made, err := db.CreateObjective(ctx, o); ids[old] = made.ID; return err }) {
			return
		}
		for _, a := range from.Actions[o.Number] {
			a.ID, a.ObjectiveID, a.Audit = "", ids[old], baken.Audit{}
			if !step("action", func() error { _, err := db.CreateAction(ctx, a); return err }) {
				return
			}
		}
	}
}

// TestLoadProgrammeCompletes checks that a load that stopped part-way (after the plan,
// after the programme, amid the actions) is completed by the next one, which then ends
// with the same programme as a load that never stopped; and that loading yet again
// changes nothing.
func TestLoadProgrammeCompletes(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if err := demo.LoadProgramme(sys(), db); err != nil {
				t.Fatal(err)
			}
			full := readProgramme(t, db)
			want := shapeOf(full)
			const (
				indicators = 4
				values     = 2
			)
			for _, tc := range []struct {
				name string
				n    int
			}{
				{"nothing", 0},
				{"after some indicators", 2},
				{"after the plan", indicators + values + 1},
				{"after two priorities", indicators + values + 3},
				{"after the programme", indicators + values + 5},
				{"amid the actions of objective 3", indicators + values + 5 + 4 + 1 + 2},
				{"before the last action", 30},
			} {
				t.Run(tc.name, func(t *testing.T) {
					part := stores(t)[name]
					loadPrefix(t, part, full, tc.n)
					if err := demo.LoadProgramme(sys(), part); err != nil {
						t.Fatal(err)
					}
					done := readProgramme(t, part)
					if diff := cmp.Diff(want, shapeOf(done)); diff != "" {
						t.Errorf("completed programme (-full load +completed):\n%s", diff)
					}
					if err := demo.LoadProgramme(sys(), part); err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(done, readProgramme(t, part)); diff != "" {
						t.Errorf("loading again changed the programme (-before +after):\n%s", diff)
					}
				})
			}
		})
	}
}
