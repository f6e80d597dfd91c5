package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/store"
)

// ids returns the ids of a query's rows; the store has no listing of plans, programmes
// or indicators by gemeente.
func ids(t *testing.T, db *store.DB, query string) []string {
	t.Helper()
	rows, err := db.RawForTest().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

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
	plans := ids(t, db, `SELECT id FROM plans WHERE gemeente = 'GM0384'`)
	if len(plans) != 1 {
		t.Fatalf("%d plans, want 1", len(plans))
	}
	var lp loadedProgramme
	var err error
	if lp.Plan, err = db.FindPlan(ctx, plans[0]); err != nil {
		t.Fatal(err)
	}
	if lp.Priorities, err = db.FindPriorities(ctx, lp.Plan.ID); err != nil {
		t.Fatal(err)
	}
	progs := ids(t, db, `SELECT id FROM programmes WHERE gemeente = 'GM0384'`)
	if len(progs) != 1 {
		t.Fatalf("%d programmes, want 1", len(progs))
	}
	if lp.Programme, err = db.FindProgramme(ctx, progs[0]); err != nil {
		t.Fatal(err)
	}
	if lp.Objectives, err = db.FindObjectives(ctx, lp.Programme.ID); err != nil {
		t.Fatal(err)
	}
	lp.Actions = map[int][]baken.Action{}
	for _, o := range lp.Objectives {
		if lp.Actions[o.Number], err = db.FindActions(ctx, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	lp.Indicators = map[string]baken.Indicator{}
	for _, id := range ids(t, db, `SELECT id FROM indicators WHERE gemeente = 'GM0384'`) {
		in, err := db.FindIndicator(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
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
			if o3.Baseline == nil || *o3.Baseline != (baken.YearValue{Year: 2023, Value: 98}) || o3.Direction != baken.DirectionDown {
				t.Errorf("objective 3 = %+v, want baseline 2023: 98, direction down", o3)
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
			ms, err := demo.IndicatorValues(ctx, db, youth, 2020, 2023)
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

func TestIndicatorValues(t *testing.T) {
	db := stores(t)["sqlite"]
	ctx := sys()
	if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	ind := baken.Indicator{ID: "x", Gemeente: demo.Gemeente, Code: "x", Computed: true, Categories: []string{"overlast-jeugd"}}
	abs, err := demo.IndicatorValues(ctx, db, ind, 2023, 2024)
	if err != nil {
		t.Fatal(err)
	}
	ind.PerThousand = true
	per, err := demo.IndicatorValues(ctx, db, ind, 2023, 2024)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := db.FindPopulation(ctx, store.PopulationFilter{Codes: []string{demo.Gemeente}})
	if err != nil || len(pop) == 0 {
		t.Fatalf("population: %v, %v", pop, err)
	}
	inh := float64(pop[0].Inhabitants)
	for i := range abs {
		want := abs[i].Value / inh * 1000
		if d := per[i].Value - want; d > 0.005 || d < -0.005 {
			t.Errorf("%d per 1,000 = %v, want %.3f (%v / %v inhabitants)", abs[i].Period, per[i].Value, want, abs[i].Value, inh)
		}
	}
	// A hand-entered indicator is not computed.
	if _, err := demo.IndicatorValues(ctx, db, baken.Indicator{Code: "hand"}, 2023, 2024); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("hand-entered indicator: %v, want Invalid", err)
	}
}
