package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

func actorContext(userID string, role baken.Role, gemeente string) context.Context {
	return baken.WithActor(context.Background(), baken.Actor{UserID: userID, Name: userID, Roles: []baken.Role{role}, Gemeenten: []string{gemeente}})
}

// fieldsOf returns the fields an Invalid error names.
func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	var fe baken.FieldErrors
	if errors.As(err, &fe) {
		for _, e := range fe {
			out[e.Field] = true
		}
	}
	return out
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// diemenProgramme stores Diemen's plan 2023-2026 with the three priorities of the council
// letter, the Jaarprogramma 2024 with its five objectives, and a few actions.
type diemenProgramme struct {
	plan       baken.Plan
	priorities []baken.Priority
	programme  baken.Programme
	objectives []baken.Objective
	actions    []baken.Action
}

func seedDiemen(t *testing.T, db *store.DB, ctx context.Context) diemenProgramme {
	t.Helper()
	var d diemenProgramme
	var err error
	d.plan, err = db.CreatePlan(ctx, baken.Plan{Gemeente: "GM0384", Title: "Verder bouwen aan een veilig Diemen",
		PeriodFrom: 2023, PeriodTo: 2026, AdoptedBy: "raad", Status: baken.PlanAdopted})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []baken.Priority{
		{Title: "Verder versterken van de aanpak van ondermijnende criminaliteit", Themes: []string{"4.3"}},
		{Title: "Extra aandacht voor preventie ter voorkoming van High Impact Crimes", Themes: []string{"1.1"}},
		{Title: "Meer aandacht voor het voorkomen van digitale criminaliteit en -fraude", Themes: []string{"1.1", "4.4"}},
	} {
		p.PlanID, p.Rank = d.plan.ID, i+1
		p, err = db.CreatePriority(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		d.priorities = append(d.priorities, p)
	}
	d.programme, err = db.CreateProgramme(ctx, baken.Programme{PlanID: d.plan.ID, Gemeente: "GM0384", Year: 2024,
		DecisionDate: date(2024, time.February, 6), Status: baken.ProgrammeAdopted})
	if err != nil {
		t.Fatal(err)
	}
	objectives := []baken.Objective{
		{Title: "Signaleren, voorkomen en aanpakken van ondermijnende criminaliteit", Kind: baken.ObjectiveOutput, PriorityIDs: []string{d.priorities[0].ID}},
		{Title: "Daling van het totaal aantal High Impact Crimes", Kind: baken.ObjectiveEffect,
			PriorityIDs: []string{d.priorities[1].ID, d.priorities[2].ID}, Direction: baken.DirectionDown},
		{Title: "Afname jeugdoverlast", Kind: baken.ObjectiveEffect, Baseline: &baken.YearValue{Year: 2023, Value: 98},
			Targets: []baken.YearValue{{Year: 2024, Value: 90}}, Direction: baken.DirectionDown},
		{Title: "Professionalisering vergunningenbeleid", Kind: baken.ObjectiveOutput},
		{Title: "Voorkomen van polarisatie en radicalisering", Kind: baken.ObjectiveOutput},
	}
	for i, o := range objectives {
		o.ProgrammeID, o.Number = d.programme.ID, i+1
		o, err = db.CreateObjective(ctx, o)
		if err != nil {
			t.Fatalf("objective %d: %v", i+1, err)
		}
		d.objectives = append(d.objectives, o)
	}
	for _, a := range []baken.Action{
		{ObjectiveID: d.objectives[0].ID, Title: "Inzetten op en doorontwikkelen van het interventieteam", OwnerTeam: "OOV",
			Partners: []string{"politie", "Zorg- en Veiligheidshuis"}, Status: baken.ActionStarted},
		{ObjectiveID: d.objectives[0].ID, Title: "Intensiveren van integrale controles", OwnerTeam: "OOV", Status: baken.ActionPlanned},
		{ObjectiveID: d.objectives[2].ID, Title: "Inzetten van jeugdboa's, ook in de nacht", OwnerTeam: "Stadstoezicht",
			PeriodFrom: date(2024, time.January, 1), PeriodTo: date(2024, time.December, 31), Status: baken.ActionPlanned},
		{ObjectiveID: d.objectives[4].ID, Title: "Voorlichting op scholen door gastlessen en rolmodellen", Status: baken.ActionPlanned},
	} {
		a, err = db.CreateAction(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		d.actions = append(d.actions, a)
	}
	return d
}

// programmeTests are the model's tests and those of its documents (programme_reports.go).
var programmeTests = append([]Test{
	{"ProgrammeSeedAndHistory", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		policy := actorContext("u-beleid", baken.RolePolicy, "GM0384")
		d := seedDiemen(t, db, policy)

		objs, err := db.FindObjectives(policy, d.programme.ID)
		if err != nil || len(objs) != 5 {
			t.Fatalf("FindObjectives = %d objectives, %v", len(objs), err)
		}
		for i, o := range objs {
			if o.Number != i+1 || o.Version != 1 || o.UpdatedBy != "u-beleid" {
				t.Errorf("objective %d: %+v", i+1, o)
			}
		}
		if len(objs[1].PriorityIDs) != 2 || len(objs[3].PriorityIDs) != 0 || len(objs[4].PriorityIDs) != 0 {
			t.Errorf("priorities of objectives 2, 4, 5: %v, %v, %v", objs[1].PriorityIDs, objs[3].PriorityIDs, objs[4].PriorityIDs)
		}
		if b := objs[2].Baseline; b == nil || b.Year != 2023 || b.Value != 98 || len(objs[2].Targets) != 1 || objs[2].Targets[0].Value != 90 {
			t.Errorf("objective 3 baseline/targets: %+v %+v", b, objs[2].Targets)
		}
		prios, err := db.FindPriorities(policy, d.plan.ID)
		if err != nil || len(prios) != 3 || prios[2].Themes[1] != "4.4" {
			t.Errorf("FindPriorities = %+v, %v", prios, err)
		}
		prog, err := db.FindProgramme(policy, d.programme.ID)
		if err != nil || prog.DecisionDate == nil || !prog.DecisionDate.Equal(*date(2024, time.February, 6)) || prog.Year != 2024 {
			t.Errorf("FindProgramme = %+v, %v", prog, err)
		}
		acts, err := db.FindActions(policy, d.objectives[0].ID)
		if err != nil || len(acts) != 2 || len(acts[0].Partners) != 2 {
			t.Errorf("FindActions = %+v, %v", acts, err)
		}
		boa, err := db.FindAction(policy, d.actions[2].ID)
		if err != nil || boa.PeriodTo == nil || !boa.PeriodTo.Equal(*date(2024, time.December, 31)) {
			t.Errorf("FindAction period = %+v, %v", boa, err)
		}

		// Two status changes: two history entries, each with who changed it.
		a := d.actions[1]
		a.Status, a.RAG, a.ProgressNotes = baken.ActionStarted, baken.RAGGreen, "eerste controles uitgevoerd"
		a, err = db.UpdateAction(policy, a)
		if err != nil || a.Version != 2 {
			t.Fatalf("UpdateAction = %+v, %v", a, err)
		}
		admin := actorContext("u-beheer", baken.RoleAdmin, "GM0384")
		a.Status, a.RAG = baken.ActionDone, ""
		a, err = db.UpdateAction(admin, a)
		if err != nil || a.Version != 3 || a.UpdatedBy != "u-beheer" {
			t.Fatalf("UpdateAction = %+v, %v", a, err)
		}
		stale := a
		stale.Version = 2
		if _, err := db.UpdateAction(policy, stale); !baken.IsKind(err, baken.Conflict) {
			t.Errorf("update of a stale version: err = %v, want conflict", err)
		}
		hist, err := db.ProgrammeHistory(policy, store.EntityAction, a.ID)
		if err != nil || len(hist) != 2 {
			t.Fatalf("ProgrammeHistory = %+v, %v", hist, err)
		}
		for i, want := range []struct {
			by     string
			status baken.ActionStatus
		}{{"u-beleid", baken.ActionPlanned}, {"u-beheer", baken.ActionStarted}} {
			h := hist[i]
			var body baken.Action
			if err := json.Unmarshal(h.Body, &body); err != nil {
				t.Fatal(err)
			}
			if h.Version != i+1 || h.ChangedBy != want.by || h.ChangedAt.IsZero() || body.Status != want.status || body.Version != i+1 {
				t.Errorf("history[%d] = %+v (body status %s), want version %d by %s of status %s", i, h, body.Status, i+1, want.by, want.status)
			}
		}
		got, err := db.FindAction(policy, a.ID)
		if err != nil || got.Status != baken.ActionDone || got.Version != 3 {
			t.Errorf("FindAction after updates = %+v, %v", got, err)
		}

		// Indicators and measurements, with history of a revision.
		in, err := db.CreateIndicator(policy, baken.Indicator{Gemeente: "GM0384", Code: "jeugdoverlast", Name: "Registraties jeugdoverlast",
			Unit: "aantal", Source: "politie", Caveat: "E33-registraties zijn ongeschikt als prestatie-indicator", Computed: true, Categories: []string{"E33"}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.CreateMeasurement(policy, baken.Measurement{IndicatorID: in.ID, Area: "GM0384", Period: 2023, Value: 97, Status: baken.MeasurementProvisional})
		if err != nil {
			t.Fatal(err)
		}
		m.Value, m.Status = 98, baken.MeasurementFinal
		if m, err = db.UpdateMeasurement(policy, m); err != nil || m.Version != 2 {
			t.Fatalf("UpdateMeasurement = %+v, %v", m, err)
		}
		ms, err := db.FindMeasurements(policy, in.ID)
		if err != nil || len(ms) != 1 || ms[0].Value != 98 || ms[0].Status != baken.MeasurementFinal {
			t.Errorf("FindMeasurements = %+v, %v", ms, err)
		}
		if hist, err := db.ProgrammeHistory(policy, store.EntityMeasurement, in.ID+"/GM0384/2023"); err != nil || len(hist) != 1 {
			t.Errorf("measurement history = %+v, %v", hist, err)
		}
		if _, err := db.CreateMeasurement(policy, baken.Measurement{IndicatorID: in.ID, Area: "GM0363", Period: 2023, Value: 1, Status: baken.MeasurementFinal}); !baken.IsKind(err, baken.Invalid) || !fieldsOf(err)["area"] {
			t.Errorf("measurement of another gemeente's area: err = %v", err)
		}

		// Plan and programme updates keep history too.
		plan := d.plan
		plan.Status = baken.PlanInExecution
		if plan, err = db.UpdatePlan(policy, plan); err != nil || plan.Version != 2 {
			t.Fatalf("UpdatePlan = %+v, %v", plan, err)
		}
		if hist, err := db.ProgrammeHistory(policy, store.EntityPlan, plan.ID); err != nil || len(hist) != 1 {
			t.Errorf("plan history = %+v, %v", hist, err)
		}
		if _, err := db.CreateProgramme(policy, baken.Programme{PlanID: d.plan.ID, Gemeente: "GM0384", Year: 2024, Status: baken.ProgrammeConcept}); !baken.IsKind(err, baken.Conflict) {
			t.Errorf("second programme 2024: err = %v, want conflict", err)
		}
		if _, err := db.CreateObjective(policy, baken.Objective{ProgrammeID: d.programme.ID, Number: 1, Title: "dubbel", Kind: baken.ObjectiveOutput}); !baken.IsKind(err, baken.Conflict) {
			t.Errorf("second objective 1: err = %v, want conflict", err)
		}
	}},
	{"ProgrammeAccess", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		d := seedDiemen(t, db, SystemContext())

		// An analist of Diemen reads but does not write.
		analyst := actorContext("u-analist", baken.RoleAnalyst, "GM0384")
		a, err := db.FindAction(analyst, d.actions[0].ID)
		if err != nil {
			t.Fatalf("analist reads an action: %v", err)
		}
		a.Status = baken.ActionDone
		if _, err := db.UpdateAction(analyst, a); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analist updates an action: err = %v, want forbidden", err)
		}
		if _, err := db.CreatePlan(analyst, baken.Plan{Gemeente: "GM0384", Title: "x", PeriodFrom: 2027, PeriodTo: 2030, Status: baken.PlanConcept}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analist creates a plan: err = %v, want forbidden", err)
		}
		if _, err := db.CreateAction(analyst, baken.Action{ObjectiveID: d.objectives[0].ID, Title: "x", Status: baken.ActionPlanned}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analist creates an action: err = %v, want forbidden", err)
		}

		// Another municipality sees nothing, even as beleidsadviseur.
		amsterdam := actorContext("u-ams", baken.RolePolicy, "GM0363")
		if _, err := db.FindPlan(amsterdam, d.plan.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("FindPlan by another municipality: err = %v, want not found", err)
		}
		if _, err := db.FindProgramme(amsterdam, d.programme.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("FindProgramme by another municipality: err = %v, want not found", err)
		}
		if _, err := db.FindObjectives(amsterdam, d.programme.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("FindObjectives by another municipality: err = %v, want not found", err)
		}
		if _, err := db.FindAction(amsterdam, d.actions[0].ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("FindAction by another municipality: err = %v, want not found", err)
		}
		if _, err := db.UpdateAction(amsterdam, a); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("UpdateAction by another municipality: err = %v, want not found", err)
		}
		if _, err := db.CreateObjective(amsterdam, baken.Objective{ProgrammeID: d.programme.ID, Number: 6, Title: "x", Kind: baken.ObjectiveOutput}); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("CreateObjective in another municipality's programme: err = %v, want not found", err)
		}
		if _, err := db.CreatePlan(amsterdam, baken.Plan{Gemeente: "GM0384", Title: "x", PeriodFrom: 2027, PeriodTo: 2030, Status: baken.PlanConcept}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("CreatePlan for another municipality: err = %v, want forbidden", err)
		}
		sys := SystemContext()
		a.Status = baken.ActionDone
		if _, err := db.UpdateAction(sys, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProgrammeHistory(amsterdam, store.EntityAction, a.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("ProgrammeHistory by another municipality: err = %v, want not found", err)
		}
		if _, err := db.FindPlan(context.Background(), d.plan.ID); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("FindPlan without actor: err = %v", err)
		}
	}},
	{"ProgrammeValidation", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		d := seedDiemen(t, db, ctx)
		for _, tc := range []struct {
			name   string
			err    error
			fields []string
		}{
			{"plan", func() error {
				_, err := db.CreatePlan(ctx, baken.Plan{Gemeente: "Diemen", PeriodFrom: 2026, PeriodTo: 2023, Status: "klaar"})
				return err
			}(), []string{"gemeente", "title", "period_to", "status"}},
			{"priority", func() error {
				_, err := db.CreatePriority(ctx, baken.Priority{PlanID: d.plan.ID, Title: "x", Themes: []string{"9.9"}})
				return err
			}(), []string{"rank", "themes[0]"}},
			{"programme year outside plan", func() error {
				_, err := db.CreateProgramme(ctx, baken.Programme{PlanID: d.plan.ID, Gemeente: "GM0384", Year: 2030, Status: baken.ProgrammeConcept})
				return err
			}(), []string{"year"}},
			{"objective", func() error {
				_, err := db.CreateObjective(ctx, baken.Objective{ProgrammeID: d.programme.ID, Title: "", Kind: "prestatie",
					Targets: []baken.YearValue{{Year: 2024, Value: 1}}})
				return err
			}(), []string{"number", "title", "kind", "direction"}},
			{"objective with a priority of no plan", func() error {
				_, err := db.CreateObjective(ctx, baken.Objective{ProgrammeID: d.programme.ID, Number: 6, Title: "x", Kind: baken.ObjectiveOutput,
					PriorityIDs: []string{"bestaat-niet"}})
				return err
			}(), []string{"priority_ids[0]"}},
			{"action", func() error {
				_, err := db.CreateAction(ctx, baken.Action{ObjectiveID: d.objectives[0].ID, Status: "bezig", RAG: "blauw",
					PeriodFrom: date(2024, time.June, 1), PeriodTo: date(2024, time.January, 1)})
				return err
			}(), []string{"title", "status", "rag", "period_to"}},
			{"indicator", func() error {
				_, err := db.CreateIndicator(ctx, baken.Indicator{Gemeente: "GM0384", Code: "", Name: "x", Unit: "aantal", Source: "eigen",
					Categories: []string{"E33"}, PerThousand: true})
				return err
			}(), []string{"code", "categories", "per_thousand"}},
			{"measurement", func() error {
				_, err := db.CreateMeasurement(ctx, baken.Measurement{IndicatorID: "x", Area: "Diemen", Period: 24, Status: "vast"})
				return err
			}(), []string{"area", "period", "status"}},
		} {
			if !baken.IsKind(tc.err, baken.Invalid) {
				t.Errorf("%s: err = %v, want invalid", tc.name, tc.err)
				continue
			}
			got := fieldsOf(tc.err)
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("%s: error %v does not name %s (names %v)", tc.name, tc.err, f, got)
				}
			}
		}
	}},
	{"ProgrammeLists", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		policy := actorContext("u-beleid", baken.RolePolicy, "GM0384")
		d := seedDiemen(t, db, policy)
		older, err := db.CreatePlan(policy, baken.Plan{Gemeente: "GM0384", Title: "Veilig Diemen 2019-2022",
			PeriodFrom: 2019, PeriodTo: 2022, Status: baken.PlanEvaluated})
		if err != nil {
			t.Fatal(err)
		}
		p2025, err := db.CreateProgramme(policy, baken.Programme{PlanID: d.plan.ID, Gemeente: "GM0384", Year: 2025, Status: baken.ProgrammeConcept})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"jeugdoverlast", "hic"} {
			if _, err := db.CreateIndicator(policy, baken.Indicator{Gemeente: "GM0384", Code: code, Name: code, Unit: "registraties",
				Source: "politie", Computed: true, Categories: []string{"overlast-jeugd"}}); err != nil {
				t.Fatal(err)
			}
		}

		plans, err := db.FindPlans(policy, "GM0384")
		if err != nil || len(plans) != 2 || plans[0].ID != d.plan.ID || plans[1].ID != older.ID {
			t.Errorf("FindPlans = %+v, %v; want the 2023 plan, then the 2019 one", plans, err)
		}
		progs, err := db.FindProgrammes(policy, "GM0384")
		if err != nil || len(progs) != 2 || progs[0].ID != p2025.ID || progs[1].ID != d.programme.ID ||
			progs[1].DecisionDate == nil || progs[1].PlanID != d.plan.ID {
			t.Errorf("FindProgrammes = %+v, %v; want 2025, then 2024 with its decision date", progs, err)
		}
		inds, err := db.FindIndicators(policy, "GM0384")
		if err != nil || len(inds) != 2 || inds[0].Code != "hic" || inds[1].Categories[0] != "overlast-jeugd" {
			t.Errorf("FindIndicators = %+v, %v", inds, err)
		}

		// Another municipality's staff sees none of them.
		other := actorContext("u-amsterdam", baken.RolePolicy, "GM0363")
		for name, n := range map[string]func() (int, error){
			"plans":      func() (int, error) { l, err := db.FindPlans(other, "GM0384"); return len(l), err },
			"programmes": func() (int, error) { l, err := db.FindProgrammes(other, "GM0384"); return len(l), err },
			"indicators": func() (int, error) { l, err := db.FindIndicators(other, "GM0384"); return len(l), err },
		} {
			if got, err := n(); err != nil || got != 0 {
				t.Errorf("%s of GM0384 seen from GM0363: %d, %v; want none", name, got, err)
			}
		}
	}},
}, programmeReportTests...)
