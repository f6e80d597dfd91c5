package demo_test

import (
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
	for _, in := range inds {
		lp.Indicators[in.Code] = in
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

			if len(lp.Indicators) != 3 {
				t.Fatalf("%d indicators, want 3: %v", len(lp.Indicators), lp.Indicators)
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
