package storetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

func square(lon, lat, d float64) []byte {
	return []byte(`{"type":"MultiPolygon","coordinates":[[[[` +
		ftoa(lon) + `,` + ftoa(lat) + `],[` + ftoa(lon+d) + `,` + ftoa(lat) + `],[` +
		ftoa(lon+d) + `,` + ftoa(lat+d) + `],[` + ftoa(lon) + `,` + ftoa(lat+d) + `],[` +
		ftoa(lon) + `,` + ftoa(lat) + `]]]]}`)
}

// SampleAreas returns a small gemeente with two wijken and three buurten for year.
func SampleAreas(year int) []baken.Area {
	mk := func(code, name string, level baken.AreaLevel, parent string, lon, lat, d float64) baken.Area {
		return baken.Area{Code: code, Name: name, Level: level, Parent: parent, Gemeente: "GM0384", Year: year,
			Geometry: square(lon, lat, d), MinLon: lon, MinLat: lat, MaxLon: lon + d, MaxLat: lat + d}
	}
	return []baken.Area{
		mk("GM0384", "Diemen", baken.LevelGemeente, "", 4.9, 52.3, 0.1),
		mk("WK038401", "Noord", baken.LevelWijk, "GM0384", 4.9, 52.35, 0.05),
		mk("WK038402", "Centrum", baken.LevelWijk, "GM0384", 4.9, 52.3, 0.05),
		mk("BU03840101", "Buytenstee", baken.LevelBuurt, "WK038401", 4.9, 52.35, 0.025),
		mk("BU03840102", "Oud Diemen", baken.LevelBuurt, "WK038401", 4.925, 52.35, 0.025),
		mk("BU03840201", "Centrum", baken.LevelBuurt, "WK038402", 4.9, 52.3, 0.025),
	}
}

func ptr[T any](v T) *T { return &v }

var areaTests = []Test{
	{"AreasRoundTrip", func(t *testing.T, open Opener) {
		db := open(t, store.Options{Now: FixedClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))})
		ctx := SystemContext()
		want := SampleAreas(2024)
		if n, err := db.UpsertAreas(ctx, want, "test"); err != nil || n != len(want) {
			t.Fatalf("UpsertAreas = %d, %v", n, err)
		}
		got, err := db.FindAreas(ctx, store.AreaFilter{Year: ptr(2024), WithGeometry: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sortedByCode(want), got); diff != "" {
			t.Errorf("FindAreas mismatch (-want +got):\n%s", diff)
		}
		buurten, err := db.FindAreas(ctx, store.AreaFilter{Level: ptr(baken.LevelBuurt), Parent: ptr("WK038401")})
		if err != nil {
			t.Fatal(err)
		}
		if len(buurten) != 2 || buurten[0].Geometry != nil {
			t.Errorf("buurten of WK038401 = %+v, want 2 without geometry", buurten)
		}
	}},
	{"AreaVintagesSideBySide", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		for _, y := range []int{2024, 2014} {
			if _, err := db.UpsertAreas(ctx, SampleAreas(y), "test"); err != nil {
				t.Fatal(err)
			}
		}
		renamed := SampleAreas(2024)[3:4]
		renamed[0].Name = "Buytenstee-Noord"
		if _, err := db.UpsertAreas(ctx, renamed, "test"); err != nil {
			t.Fatal(err)
		}
		years, err := db.AreaVintages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int{2014, 2024}, years); diff != "" {
			t.Errorf("vintages mismatch (-want +got):\n%s", diff)
		}
		a, err := db.FindArea(ctx, "BU03840101", 2024, false)
		if err != nil || a.Name != "Buytenstee-Noord" {
			t.Errorf("FindArea 2024 = %+v, %v; want the renamed area", a, err)
		}
		old, err := db.FindArea(ctx, "BU03840101", 2014, false)
		if err != nil || old.Name != "Buytenstee" {
			t.Errorf("FindArea 2014 = %+v, %v; want the old name kept", old, err)
		}
		_, err = db.FindArea(ctx, "BU03849999", 2024, false)
		if !baken.IsKind(err, baken.NotFound) {
			t.Errorf("missing area: err = %v, want not found", err)
		}
	}},
	{"AreasNeedWriter", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := baken.WithActor(context.Background(), baken.Actor{UserID: "u1", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
		_, err := db.UpsertAreas(ctx, SampleAreas(2024), "test")
		if !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analyst UpsertAreas: err = %v, want forbidden", err)
		}
		_, err = db.UpsertAreas(SystemContext(), []baken.Area{{Code: "XX1", Year: 2024}}, "test")
		if !baken.IsKind(err, baken.Invalid) {
			t.Errorf("bad code: err = %v, want invalid", err)
		}
	}},
	{"PopulationRoundTrip", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		want := []baken.Population{
			{Code: "GM0384", Level: baken.LevelGemeente, Year: 2024, Inhabitants: 32977, Dwellings: ptr(15814), AreaLandHa: ptr(1195)},
			{Code: "WK038404", Level: baken.LevelWijk, Year: 2024, Inhabitants: 40, Dwellings: ptr(0), AreaLandHa: ptr(21)},
			{Code: "WK038406", Level: baken.LevelWijk, Year: 2024, Inhabitants: 45},
		}
		if _, err := db.UpsertPopulation(ctx, want, "test"); err != nil {
			t.Fatal(err)
		}
		// A newer download replaces the figures of the same code and year.
		if _, err := db.UpsertPopulation(ctx, want[:1], "test"); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindPopulation(ctx, store.PopulationFilter{Year: ptr(2024)})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindPopulation mismatch (-want +got):\n%s", diff)
		}
		wijken, err := db.FindPopulation(ctx, store.PopulationFilter{Codes: []string{"WK038404", "WK038406"}})
		if err != nil || len(wijken) != 2 {
			t.Errorf("FindPopulation by codes = %v, %v", wijken, err)
		}
	}},
}

func sortedByCode(as []baken.Area) []baken.Area {
	out := append([]baken.Area(nil), as...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Code < out[j-1].Code; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
