package programme_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/programme"
	"baken/internal/store"
	"baken/internal/store/sqlite"
)

func sys() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

func openStore(t *testing.T, opts store.Options) *store.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// demoStore returns a store with the whole demo: areas, generated registrations and
// the programme.
func demoStore(t *testing.T) *store.DB {
	t.Helper()
	db := openStore(t, store.Options{})
	ctx := sys()
	if err := demo.LoadReference(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadProgramme(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func indicator(t *testing.T, db *store.DB, code string) baken.Indicator {
	t.Helper()
	inds, err := db.FindIndicators(sys(), demo.Gemeente)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inds {
		if in.Code == code {
			return in
		}
	}
	t.Fatalf("no indicator %s", code)
	return baken.Indicator{}
}

func values(ms []baken.Measurement) map[int]float64 {
	out := map[int]float64{}
	for _, m := range ms {
		out[m.Period] = m.Value
	}
	return out
}

func TestIndicatorValues(t *testing.T) {
	t.Parallel()
	db := demoStore(t)
	ctx := sys()
	ind := baken.Indicator{ID: "x", Gemeente: demo.Gemeente, Code: "x", Computed: true, Categories: []string{"overlast-jeugd"}}
	abs, err := programme.IndicatorValues(ctx, db, ind, 2023, 2024)
	if err != nil {
		t.Fatal(err)
	}
	ind.PerThousand = true
	per, err := programme.IndicatorValues(ctx, db, ind, 2023, 2024)
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
	if _, err := programme.IndicatorValues(ctx, db, baken.Indicator{Code: "hand"}, 2023, 2024); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("hand-entered indicator: %v, want Invalid", err)
	}

	// As of the day the college adopted the programme: the four published years, and
	// 2024 so far, voorlopig.
	youth := indicator(t, db, demo.IndicatorYouthNuisance)
	ms, err := programme.IndicatorValuesAsOf(ctx, db, youth, 2020, 2025, day(t, "2024-02-06"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 5 {
		t.Fatalf("%d values as of 2024-02-06, want 2020-2024: %+v", len(ms), ms)
	}
	for _, m := range ms[:4] {
		if m.Status != baken.MeasurementFinal {
			t.Errorf("%d: %s, want definitief", m.Period, m.Status)
		}
	}
	if m := ms[4]; m.Status != baken.MeasurementProvisional || m.Value <= 0 || m.Value >= 98 {
		t.Errorf("2024 as of 6 February = %+v, want a voorlopig count so far", m)
	}
	if diff := cmp.Diff(map[int]float64{2020: 258, 2021: 123, 2022: 104, 2023: 98}, values(ms[:4])); diff != "" {
		t.Errorf("youth nuisance as of 2024-02-06 (-published +computed):\n%s", diff)
	}
	// As of a day after everything was stored, the figures are those of the rollups.
	for _, code := range []string{demo.IndicatorYouthNuisance, demo.IndicatorHIC, demo.IndicatorConfused} {
		in := indicator(t, db, code)
		now, err := programme.IndicatorValues(ctx, db, in, demo.FirstYear, demo.LastYear)
		if err != nil {
			t.Fatal(err)
		}
		later, err := programme.IndicatorValuesAsOf(ctx, db, in, demo.FirstYear, demo.LastYear, time.Now().AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(values(now), values(later)); diff != "" {
			t.Errorf("%s as of tomorrow differs from the rollups (-rollups +as of):\n%s", code, diff)
		}
	}
}

// A hand-entered indicator has the measurements entered by the reference date, as
// they were then.
func TestIndicatorValuesAsOfHandEntered(t *testing.T) {
	t.Parallel()
	var now time.Time
	db := openStore(t, store.Options{Now: func() time.Time { return now }})
	ctx := sys()
	at := func(s string) {
		t.Helper()
		var err error
		if now, err = time.Parse(time.RFC3339, s); err != nil {
			t.Fatal(err)
		}
	}
	at("2024-01-20T10:00:00Z")
	in, err := db.CreateIndicator(ctx, baken.Indicator{Gemeente: demo.Gemeente, Code: "vm-onveilig", Name: "Voelt zich weleens onveilig in de buurt",
		Unit: "%", Source: "CBS Veiligheidsmonitor"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.CreateMeasurement(ctx, baken.Measurement{IndicatorID: in.ID, Area: demo.Gemeente, Period: 2023, Value: 31, Status: baken.MeasurementProvisional})
	if err != nil {
		t.Fatal(err)
	}
	at("2024-03-01T10:00:00Z")
	m.Value, m.Status = 32, baken.MeasurementFinal
	if _, err := db.UpdateMeasurement(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateMeasurement(ctx, baken.Measurement{IndicatorID: in.ID, Area: "WK038401", Period: 2023, Value: 40, Status: baken.MeasurementFinal}); err != nil {
		t.Fatal(err)
	}
	type got struct {
		Period int
		Value  float64
		Status baken.MeasurementStatus
	}
	for _, tc := range []struct {
		asOf string
		want []got
	}{
		{"2024-01-19", nil},
		{"2024-02-06", []got{{2023, 31, baken.MeasurementProvisional}}},
		{"2024-03-01", []got{{2023, 32, baken.MeasurementFinal}}},
	} {
		ms, err := programme.IndicatorValuesAsOf(ctx, db, in, 2020, 2024, day(t, tc.asOf))
		if err != nil {
			t.Fatal(err)
		}
		var g []got
		for _, m := range ms {
			g = append(g, got{m.Period, m.Value, m.Status})
		}
		if diff := cmp.Diff(tc.want, g); diff != "" {
			t.Errorf("as of %s (-want +got):\n%s", tc.asOf, diff)
		}
	}
}
