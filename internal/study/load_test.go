package study_test

import (
	"context"
	"path/filepath"
	"testing"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/geo"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/store/storetest"
	"baken/internal/study"
)

func TestLoadFromStore(t *testing.T) {
	ctx := baken.WithActor(context.Background(), baken.System("test"))
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "baken.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := demo.LoadReference(ctx, db); err != nil {
		t.Fatal(err)
	}
	var rows []baken.Registration
	for i, p := range []baken.Precision{baken.PrecisionMinute, baken.PrecisionMinute, baken.PrecisionDay, baken.PrecisionMonth} {
		r := storetest.Reg("r"+string(rune('a'+i)), i)
		r.Precision = p
		x, y := geo.WGS84ToRD(*r.Lon, *r.Lat)
		r.X, r.Y = &x, &y
		rows = append(rows, r)
	}
	if _, err := db.ImportChunk(ctx, store.ImportChunk{Source: "politie", Rows: rows}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name                string
		sel                 study.Selection
		events, timed, days int
		area                string
	}{
		{"gemeente", study.Selection{Gemeente: "GM0384"}, 4, 2, 3, "GM0384"},
		{"wijk", study.Selection{Gemeente: "GM0384", Wijk: "WK038401"}, 4, 2, 3, "WK038401"},
		{"other category", study.Selection{Gemeente: "GM0384", Categories: []string{"woninginbraak"}}, 0, 0, 0, "GM0384"},
		{"period", study.Selection{Gemeente: "GM0384", From: "2024-03-02", To: "2024-03-03"}, 2, 1, 2, "GM0384"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := study.Load(ctx, db, tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Events) != tt.events || len(d.Timed) != tt.timed || len(d.Dated) != tt.days {
				t.Errorf("%d events, %d timed, %d dated; want %d, %d, %d", len(d.Events), len(d.Timed), len(d.Dated), tt.events, tt.timed, tt.days)
			}
			if d.Area == nil || d.Area.Name != tt.area {
				t.Fatalf("study area %+v, want the outline of %s", d.Area, tt.area)
			}
			// Diemen's town hall is inside; Amsterdam's Dam is not.
			if x, y := geo.WGS84ToRD(4.9622, 52.3390); !d.Area.Contains(x, y) && tt.area == "GM0384" {
				t.Errorf("Diemen's centre outside the study area")
			}
			if x, y := geo.WGS84ToRD(4.8924, 52.3731); d.Area.Contains(x, y) {
				t.Errorf("the Dam inside the study area")
			}
			m, err := study.Hotspots(d.Events, d.Area, study.HotspotOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if m.StudyCells < 100 && tt.area == "GM0384" || m.Verdict.OK() {
				t.Errorf("hotspots: %d study cells, verdict %+v; want Diemen's cells and too few events", m.StudyCells, m.Verdict)
			}
		})
	}
	if _, err := study.Load(ctx, db, study.Selection{Gemeente: "GM0384", To: "2024-13-01"}); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("invalid day: %v", err)
	}
}
