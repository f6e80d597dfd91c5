package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/geo"
	"baken/internal/store"
)

// Load stores n generated registrations through the store's import path (rollups
// included) without reading a file, for workloads that need a large store quickly. It
// reports progress to w every million rows.
func Load(ctx context.Context, db *store.DB, n int, w io.Writer) error {
	ctx = baken.WithActor(ctx, baken.System("bench"))
	areas, err := demo.Areas()
	if err != nil {
		return err
	}
	ix := geo.NewIndex(areas)
	gen := Rows(n)
	const chunk = 20000
	start := time.Now()
	rows := make([]baken.Registration, 0, chunk)
	for i := 0; i < n; i += chunk {
		rows = rows[:0]
		for j := i; j < min(i+chunk, n); j++ {
			var r baken.Registration
			gen(j, &r)
			r.ID, r.ContentHash = "", r.SourceID
			if p, ok := ix.Locate(*r.Lon, *r.Lat); ok {
				r.Wijk, r.Buurt, r.AreaYear = p.Wijk, p.Buurt, p.Year
			}
			rows = append(rows, r)
		}
		if _, err := db.ImportChunk(ctx, store.ImportChunk{Source: "bench", Rows: rows}); err != nil {
			return fmt.Errorf("load bench data: %w", err)
		}
		if done := i + len(rows); w != nil && (done%1_000_000 == 0 || done == n) {
			fmt.Fprintf(w, "  loaded %d rows (%.0f rows/s)\n", done, float64(done)/time.Since(start).Seconds())
		}
		if (i/chunk)&(i/chunk+1) == 0 {
			if err := db.Analyze(ctx); err != nil {
				return err
			}
		}
	}
	return db.Analyze(ctx)
}
