package storetest

import (
	"context"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

var hourTests = []Test{
	{"HourWeekdayInLocalTime", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		ams := amsterdam()
		at := func(key string, utc time.Time) baken.Registration {
			r := Reg(key, 1)
			r.OccurredAt, r.LocalDay = utc, utc.In(ams).Format(time.DateOnly)
			return r
		}
		type cell struct{ day, hour int } // Monday 0
		rows := []baken.Registration{
			// Saturday 2 March 2024, 21:30 UTC: 22:30 in winter time.
			at("winter", time.Date(2024, 3, 2, 21, 30, 0, 0, time.UTC)),
			// Monday 1 July 2024, 21:30 UTC: 23:30 in summer time.
			at("summer", time.Date(2024, 7, 1, 21, 30, 0, 0, time.UTC)),
			// Sunday 31 March 2024, the clocks go from 02:00 to 03:00 at 01:00 UTC.
			at("before", time.Date(2024, 3, 31, 0, 30, 0, 0, time.UTC)),
			at("after", time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC)),
			// New Year's Eve in UTC is already Wednesday 1 January 2025 locally.
			at("newyear", time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC)),
		}
		want := map[cell]int{{5, 22}: 1, {0, 23}: 1, {6, 1}: 1, {6, 3}: 1, {2, 0}: 1}
		// Known to the day only: no hour, so not counted.
		day := at("day", time.Date(2024, 3, 4, 23, 0, 0, 0, time.UTC))
		day.Precision = baken.PrecisionDay
		// Another buurt, filtered out below.
		other := at("other", time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC))
		other.Wijk, other.Buurt = "WK038402", "BU03840201"
		importRows(t, db, ctx, "politie", append(rows, day, other)...)

		got, err := db.HourWeekday(ctx, store.RegistrationFilter{Gemeenten: []string{"GM0384"}, Buurt: "BU03840101"}, ams)
		if err != nil {
			t.Fatal(err)
		}
		for d := range 7 {
			for h := range 24 {
				if got[d][h] != want[cell{d, h}] {
					t.Errorf("day %d hour %d = %d, want %d", d, h, got[d][h], want[cell{d, h}])
				}
			}
		}
		// The whole gemeente adds the other buurt's Tuesday 13:00 (summer time not yet).
		all, err := db.HourWeekday(ctx, store.RegistrationFilter{}, ams)
		if err != nil {
			t.Fatal(err)
		}
		if all[1][13] != 1 || hourSum(all) != len(rows)+1 {
			t.Errorf("whole gemeente: Tuesday 13:00 = %d, total %d, want 1 and %d", all[1][13], hourSum(all), len(rows)+1)
		}
		// A period filter on the local day: only 2025.
		y2025, err := db.HourWeekday(ctx, store.RegistrationFilter{From: "2025-01-01", To: "2025-12-31"}, ams)
		if err != nil {
			t.Fatal(err)
		}
		if hourSum(y2025) != 1 || y2025[2][0] != 1 {
			t.Errorf("2025: %d registrations, Wednesday 00:00 = %d, want 1 and 1", hourSum(y2025), y2025[2][0])
		}
		// An actor of another municipality sees nothing.
		amsterdamUser := baken.WithActor(context.Background(), baken.Actor{UserID: "u", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0363"}})
		none, err := db.HourWeekday(amsterdamUser, store.RegistrationFilter{}, ams)
		if err != nil {
			t.Fatal(err)
		}
		if hourSum(none) != 0 {
			t.Errorf("another municipality's actor counts %d registrations", hourSum(none))
		}
		if _, err := db.HourWeekday(context.Background(), store.RegistrationFilter{}, ams); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("without an actor: err = %v, want kind unauthenticated", err)
		}
	}},
}

func hourSum(m [7][24]int) int {
	n := 0
	for _, d := range m {
		for _, c := range d {
			n += c
		}
	}
	return n
}
