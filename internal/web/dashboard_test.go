package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// TestDashboardCacheFollowsData: a second request renders the same page (from the cache),
// and a change to the registrations shows at once, because it raises the data version.
func TestDashboardCacheFollowsData(t *testing.T) {
	h, db := newSiteWith(t, true)
	sys := baken.WithActor(context.Background(), baken.System("test"))
	ams, _ := time.LoadLocation("Europe/Amsterdam")

	resp, first := get(t, h, "/", "beleidsadviseur")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, again := get(t, h, "/", "beleidsadviseur"); again != first {
		t.Error("the second request (from the cache) renders another page")
	}
	if _, en := get(t, h, "/?taal=en", "beleidsadviseur"); en == first {
		t.Error("the English page is the Dutch one: the cache holds the language")
	}

	// 500 registrations of litter in the latest year with data.
	v0, err := db.DataVersion(sys, "GM0384")
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]baken.Registration, 500)
	for i := range rows {
		at := time.Date(2025, 6, 1+i%28, 12, 0, 0, 0, time.UTC)
		lon, lat := 4.96, 52.34
		rows[i] = baken.Registration{Gemeente: "GM0384", SourceKey: fmt.Sprintf("K%d", i), SourceID: fmt.Sprintf("K%d", i),
			OccurredAt: at, Precision: baken.PrecisionMinute, LocalDay: at.In(ams).Format(time.DateOnly), Category: "zwerfvuil",
			Lon: &lon, Lat: &lat, Wijk: "WK038401", Buurt: "BU03840101", AreaYear: 2024, ContentHash: fmt.Sprintf("h%d", i)}
	}
	if _, err := db.ImportChunk(sys, store.ImportChunk{Source: "test", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if v1, _ := db.DataVersion(sys, "GM0384"); v1 == v0 {
		t.Fatalf("data version stayed %d after an import", v0)
	}
	if _, after := get(t, h, "/", "beleidsadviseur"); after == first {
		t.Error("the dashboard did not change after an import")
	}
}

// TestDashboardComparesTheSameDays: when the latest year's registrations end before 31
// December, the dashboard compares that part of the year with the same days of the year
// before, and says so; a complete year is compared whole.
func TestDashboardComparesTheSameDays(t *testing.T) {
	h, db := newSiteWith(t, false)
	sys := baken.WithActor(context.Background(), baken.System("test"))
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	add := func(days ...string) {
		t.Helper()
		var rows []baken.Registration
		for _, d := range days {
			at, err := time.ParseInLocation(time.DateOnly+" 15:04", d+" 12:00", ams)
			if err != nil {
				t.Fatal(err)
			}
			lon, lat := 4.96, 52.34
			rows = append(rows, baken.Registration{Gemeente: "GM0384", SourceKey: d, SourceID: d, OccurredAt: at,
				Precision: baken.PrecisionMinute, LocalDay: d, Category: "zwerfvuil", Lon: &lon, Lat: &lat,
				Wijk: "WK038401", Buurt: "BU03840101", AreaYear: 2024, ContentHash: "h" + d})
		}
		if _, err := db.ImportChunk(sys, store.ImportChunk{Source: "test", Rows: rows}); err != nil {
			t.Fatal(err)
		}
	}
	// 2024 complete (its last registration on 31 December), 2025 up to 20 February.
	add("2023-02-01", "2023-07-01", "2024-01-05", "2024-02-29", "2024-03-01", "2024-06-01", "2024-12-31", "2025-01-10", "2025-02-20")
	_, nl := get(t, h, "/", "beleidsadviseur")
	checkBody(t, "/", nl, []string{"2025 t/m 20 februari tegenover 2024 t/m 20 februari", "+100%"}, []string{"-60%", "−60%"})
	_, en := get(t, h, "/?taal=en", "beleidsadviseur")
	checkBody(t, "/?taal=en", en, []string{"2025 up to 20 February against 2024 up to 20 February"}, nil)
	_, kaart := get(t, h, "/kaart", "beleidsadviseur")
	checkBody(t, "/kaart", kaart, []string{"2025 (t/m 20 februari)"}, nil)

	// The rest of 2025: a complete year, compared whole with 2024 (2 against 5).
	add("2025-12-31")
	_, full := get(t, h, "/", "beleidsadviseur")
	checkBody(t, "/", full, []string{"Registraties per thema, 2025 tegenover 2024", "-40%"}, []string{"t/m"})
	_, kaart = get(t, h, "/kaart", "beleidsadviseur")
	checkBody(t, "/kaart", kaart, nil, []string{"(t/m"})
}
