package baken

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func fields(t *testing.T, err error) map[string]bool {
	t.Helper()
	if !IsKind(err, Invalid) {
		t.Fatalf("err = %v, want invalid", err)
	}
	var fe FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v carries no field errors", err)
	}
	out := map[string]bool{}
	for _, e := range fe {
		out[e.Field] = true
	}
	return out
}

func TestProgrammeValidate(t *testing.T) {
	ok := []interface{ Validate() error }{
		&Plan{Gemeente: "GM0384", Title: "Verder bouwen aan een veilig Diemen", PeriodFrom: 2023, PeriodTo: 2026, Status: PlanAdopted},
		&Priority{PlanID: "p", Rank: 1, Title: "Ondermijning", Themes: []string{"4.3"}},
		&Programme{PlanID: "p", Gemeente: "GM0384", Year: 2024, Status: ProgrammeAdopted},
		&Programme{PlanID: "p", Gemeente: "GM0384", Year: 2024, Status: ProgrammeAdopted, Summary: "Het college stelde het jaarprogramma vast.",
			Themes: []CurrentTheme{{Title: "Jeugdoverlast en -criminaliteit", Text: "Minder registraties.", IndicatorIDs: []string{"i1"}},
				{Title: "Zorg en veiligheid"}}, FollowUp: "Het presidium agendeert het."},
		// Objective 4 of Diemen's 2024 programme: output, no priority, no figures.
		&Objective{ProgrammeID: "j", Number: 4, Title: "Professionalisering vergunningenbeleid", Kind: ObjectiveOutput},
		&Objective{ProgrammeID: "j", Number: 3, Title: "Afname jeugdoverlast", Kind: ObjectiveEffect,
			Baseline: &YearValue{2023, 98}, Targets: []YearValue{{2024, 90}}, Direction: DirectionDown, IndicatorIDs: []string{"i1", "i2"}},
		&Action{ObjectiveID: "o", Title: "Jeugdboa's", Status: ActionPlanned},
		&Indicator{Gemeente: "GM0384", Code: "hic", Name: "HIC", Unit: "per 1.000", Source: "politie", Computed: true,
			Categories: []string{"1.1.1"}, Area: "WK038401", PerThousand: true},
		&Indicator{Gemeente: "GM0384", Code: "vm-onveilig", Name: "% voelt zich weleens onveilig", Unit: "%", Source: "Veiligheidsmonitor"},
		&Measurement{IndicatorID: "i", Area: "GM0384", Period: 2023, Value: 98, Status: MeasurementFinal},
	}
	for _, v := range ok {
		if err := v.Validate(); err != nil {
			t.Errorf("%T: %v", v, err)
		}
	}
	from, to := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	bad := []struct {
		v    interface{ Validate() error }
		want []string
	}{
		{&Plan{Gemeente: "0384", PeriodFrom: 1999, PeriodTo: 1998, Status: "klaar"}, []string{"gemeente", "title", "period_from", "period_to", "status"}},
		{&Priority{Themes: []string{"6.1"}}, []string{"plan_id", "rank", "title", "themes[0]"}},
		{&Programme{Gemeente: "GM0384", Status: "open"}, []string{"plan_id", "year", "status"}},
		{&Programme{PlanID: "p", Gemeente: "GM0384", Year: 2024, Status: ProgrammeAdopted, Summary: strings.Repeat("x", 20001),
			Themes:   []CurrentTheme{{Title: " ", IndicatorIDs: []string{"i", ""}}, {Title: "ok", IndicatorIDs: []string{"i", "i"}}},
			FollowUp: strings.Repeat("x", 20001)},
			[]string{"summary", "themes[0].title", "themes[0].indicator_ids[1]", "themes[1].indicator_ids[1]", "follow_up"}},
		{&Objective{Kind: "prestatie", PriorityIDs: []string{"a", "a"}, IndicatorIDs: []string{""}, Baseline: &YearValue{2024, math.NaN()}, Targets: []YearValue{{2023, 1}}},
			[]string{"programme_id", "number", "title", "kind", "priority_ids[1]", "indicator_ids[0]", "baseline.value", "targets[0].year", "direction"}},
		{&Action{Status: "bezig", RAG: "blauw", Partners: []string{" "}, PeriodFrom: &from, PeriodTo: &to},
			[]string{"objective_id", "title", "status", "rag", "partners[0]", "period_to"}},
		{&Indicator{Gemeente: "GM0384", Computed: true, Area: "WK036301"}, []string{"code", "name", "unit", "source", "categories", "area"}},
		{&Measurement{Area: "Diemen", Period: 24, Value: math.Inf(1)}, []string{"indicator_id", "area", "period", "value", "status"}},
	}
	for _, tc := range bad {
		got := fields(t, tc.v.Validate())
		for _, f := range tc.want {
			if !got[f] {
				t.Errorf("%T: no error for %s (got %v)", tc.v, f, got)
			}
		}
	}
}
