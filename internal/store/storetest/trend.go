package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

func trendCounts(t *testing.T, db *store.DB, ctx context.Context, f store.RollupFilter, iv store.Interval) map[string][2]int {
	t.Helper()
	pts, err := db.Trend(ctx, f, iv)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]int{}
	for _, p := range pts {
		out[p.Period] = [2]int{p.Count, p.Coarse}
	}
	return out
}

var trendTests = []Test{
	{"TrendFromRollups", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		a, b, c := Reg("a", 1), Reg("b", 2), Reg("c", 3) // March 2024, BU03840101
		c.Buurt, c.Wijk = "BU03840201", "WK038402"
		d := Reg("d", 4)
		d.OccurredAt, d.LocalDay = d.OccurredAt.AddDate(0, 2, 0), "2024-05-05"
		importRows(t, db, ctx, "politie", a, b, c, d)
		// Police open data for March 2024: the gemeente, a wijk and a buurt side by side.
		cnt := func(wijk, buurt string, n int) baken.Count {
			return baken.Count{Gemeente: "GM0384", Wijk: wijk, Buurt: buurt, Category: "overlast-jeugd",
				Day: "2024-03-01", Precision: baken.PrecisionMonth, N: n}
		}
		counts := []baken.Count{cnt("", "", 10), cnt("WK038401", "", 7), cnt("WK038401", "BU03840101", 4)}
		var scope []store.CountScope
		for _, x := range counts {
			scope = append(scope, store.ScopeOf(x))
		}
		if _, err := db.ReplaceCounts(ctx, store.CountsImport{Source: "politie-opendata", Table: "47024NED", Counts: counts, Scope: scope}); err != nil {
			t.Fatal(err)
		}
		checkRollups(t, db)
		gm := store.RollupFilter{Gemeenten: []string{"GM0384"}, Categories: []string{"overlast-jeugd"}}
		got := trendCounts(t, db, ctx, gm, store.IntervalMonth)
		want := map[string][2]int{"2024-03": {3 + 10, 0}, "2024-04": {0, 0}, "2024-05": {1, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("monthly trend of the gemeente (-want +got):\n%s", diff)
		}
		wijk := gm
		wijk.Area = "WK038401"
		if got := trendCounts(t, db, ctx, wijk, store.IntervalYear); got["2024"] != [2]int{3 + 7, 0} {
			t.Errorf("yearly trend of WK038401 = %v, want 3 registrations + 7 counted", got)
		}
		// Weeks are finer than the counts' month: those are kept apart as coarse.
		weeks := trendCounts(t, db, ctx, gm, store.IntervalWeek)
		var sum, coarse int
		for _, p := range weeks {
			sum, coarse = sum+p[0], coarse+p[1]
		}
		if sum != 4 || coarse != 10 {
			t.Errorf("weekly: %d registrations and %d coarse, want 4 and 10", sum, coarse)
		}
		byBuurt, err := db.CountsByArea(ctx, gm, baken.LevelBuurt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]store.AreaCount{{Area: "BU03840101", Count: 3 + 4}, {Area: "BU03840201", Count: 1}}, byBuurt); diff != "" {
			t.Errorf("counts by buurt (-want +got):\n%s", diff)
		}
		byWijk, _ := db.CountsByArea(ctx, gm, baken.LevelWijk)
		if diff := cmp.Diff([]store.AreaCount{{Area: "WK038401", Count: 3 + 7}, {Area: "WK038402", Count: 1}}, byWijk); diff != "" {
			t.Errorf("counts by wijk (-want +got):\n%s", diff)
		}
		scan, err := db.TrendByScan(ctx, gm, store.IntervalMonth)
		if err != nil || len(scan) != 3 || scan[0].Count != 3 {
			t.Errorf("trend by scan = %+v, %v", scan, err)
		}
		amsterdam := baken.WithActor(context.Background(), baken.Actor{UserID: "x", Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{"GM0363"}})
		if got := trendCounts(t, db, amsterdam, store.RollupFilter{}, store.IntervalYear); len(got) != 0 {
			t.Errorf("another municipality's user sees %v", got)
		}
	}},
}
