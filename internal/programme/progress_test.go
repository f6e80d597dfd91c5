package programme_test

import (
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/programme"
	"baken/internal/report"
	"baken/internal/store"
)

// A baseline is used only when it was known on the reference date: its year had ended,
// and the measurement of its year (of an indicator entered by hand) had been entered.
func TestProgressBaselineAsKnown(t *testing.T) {
	t.Parallel()
	clock := time.Date(2024, time.January, 15, 9, 0, 0, 0, time.UTC)
	db := openStore(t, store.Options{Now: func() time.Time { return clock }})
	ctx := sys()
	if err := demo.LoadReference(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The survey values of 2021 and 2023 are entered on 15 January 2024.
	if err := demo.LoadProgramme(ctx, db); err != nil {
		t.Fatal(err)
	}
	unsafe := indicator(t, db, demo.IndicatorFeelsUnsafe)
	progs, err := db.FindProgrammes(ctx, demo.Gemeente)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := db.FindObjectives(ctx, progs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	o := objs[3]
	o.IndicatorIDs, o.Baseline, o.Targets, o.Direction = []string{unsafe.ID}, &baken.YearValue{Year: 2023, Value: 31.5},
		[]baken.YearValue{{Year: 2026, Value: 28}}, baken.DirectionDown
	if _, err := db.UpdateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2025, time.February, 1, 9, 0, 0, 0, time.UTC)
	if _, err := db.CreateMeasurement(ctx, baken.Measurement{IndicatorID: unsafe.ID, Area: demo.Gemeente, Period: 2024, Value: 30,
		Status: baken.MeasurementProvisional}); err != nil {
		t.Fatal(err)
	}

	yv := func(y int, v float64, provisional bool) *report.YearValue {
		return &report.YearValue{Year: y, Value: v, Provisional: provisional}
	}
	for _, tc := range []struct {
		asOf             string
		baseline, actual *report.YearValue
		judgement        report.Judgement
		why              programme.ReasonKind
	}{
		// 2023 had ended, but its value was entered only on 15 January.
		{"2024-01-10", nil, nil, report.Unknown, programme.BaselineNotKnown},
		{"2024-01-15", yv(2023, 31.5, false), yv(2023, 31.5, true), report.Unknown, programme.NoValue},
		// The path runs from 31,5 in 2023 to 28 in 2026: 30,33 in 2024.
		{"2025-02-01", yv(2023, 31.5, false), yv(2024, 30, true), report.OnTrack, programme.NotHigher},
	} {
		p, err := programme.BuildProgress(ctx, db, demo.Gemeente, 2024, day(t, tc.asOf))
		if err != nil {
			t.Fatal(err)
		}
		got, v := p.Objectives[3], p.Verdicts[3]
		if !sameYearValue(got.Baseline, tc.baseline) || !sameYearValue(got.Actual, tc.actual) || got.Judgement != tc.judgement || v.Why.Kind != tc.why {
			t.Errorf("as of %s: baseline %+v, actual %+v, %s (%s: %q); want %+v, %+v, %s (%s)", tc.asOf, got.Baseline, got.Actual,
				got.Judgement, v.Why.Kind, got.Reason, tc.baseline, tc.actual, tc.judgement, tc.why)
		}
	}
}

func sameYearValue(a, b *report.YearValue) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func TestAdoption(t *testing.T) {
	for _, tc := range []struct {
		in   string
		by   string
		year int
	}{
		{"de gemeenteraad, in 2023", "de gemeenteraad", 2023},
		{"gemeenteraad (2023)", "gemeenteraad", 2023},
		{" de raad in 2022 ", "de raad", 2022},
		{"de gemeenteraad", "de gemeenteraad", 0},
		{"in 2023", "in 2023", 0},
		{"de raad (2023", "de raad (2023", 0},
		{"raadsbesluit 2023/14", "raadsbesluit 2023/14", 0},
		{"", "", 0},
	} {
		if by, year := programme.Adoption(tc.in); by != tc.by || year != tc.year {
			t.Errorf("Adoption(%q) = %q, %d; want %q, %d", tc.in, by, year, tc.by, tc.year)
		}
	}
}
