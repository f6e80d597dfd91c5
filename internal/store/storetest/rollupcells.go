package storetest

import (
	"fmt"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// rollupCellTests cover the rollup cells a stream of chunks writes as new (see
// store.ImportChunks): rows listed by time, a later file of the same source over the same
// days (the cells exist, the guess fails), and a file listed backwards.
var rollupCellTests = []Test{
	{"ImportChunksKeepsRollupsRightWhateverTheOrder", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		cats := []string{"overlast-jeugd", "woninginbraak", "straatroof"}
		// 60 rows a day over 30 days in 3 categories and 10 buurten: 30 cells a day, a
		// chunk of 470 rows (about 8 days, ending within a day) has over 200.
		rows := func(prefix string, reverse bool) []baken.Registration {
			var out []baken.Registration
			for i := range 1800 {
				day := i / 60
				if reverse {
					day = 29 - day
				}
				at := time.Date(2024, 3, 20, 9, 0, 0, 0, time.UTC).AddDate(0, 0, day) // over the change to summer time
				lon, lat := 4.96, 52.34
				key := fmt.Sprintf("%s%d", prefix, i)
				out = append(out, baken.Registration{
					Gemeente: "GM0384", SourceKey: key, SourceID: key, OccurredAt: at, Precision: baken.PrecisionMinute,
					LocalDay: at.In(amsterdam()).Format(time.DateOnly), Category: cats[i%3],
					Lon: &lon, Lat: &lat, Wijk: "WK038401", Buurt: fmt.Sprintf("BU038401%02d", (i/3)%10), AreaYear: 2024,
					ContentHash: "h" + key,
				})
			}
			return out
		}
		stream := func(batch string, all []baken.Registration) {
			t.Helper()
			if err := db.StartImportBatch(ctx, store.ImportBatch{ID: batch, Kind: "registrations", Source: "politie", FileName: batch + ".csv", FileHash: batch}); err != nil {
				t.Fatal(err)
			}
			done := 0
			next := func() (store.ImportChunk, bool) {
				if done == len(all) {
					return store.ImportChunk{}, false
				}
				end := min(done+470, len(all))
				c := store.ImportChunk{BatchID: batch, Source: "politie", Rows: all[done:end], LinesDone: end, Read: end}
				done = end
				return c, true
			}
			stored := 0
			if err := db.ImportChunks(ctx, next, func(_ store.ImportChunk, res store.ChunkResult) error {
				stored += res.Stored
				return nil
			}); err != nil {
				t.Fatalf("%s: %v", batch, err)
			}
			if stored != len(all) {
				t.Errorf("%s: stored %d, want %d", batch, stored, len(all))
			}
			checkRollups(t, db)
		}
		stream("in-order", rows("a", false))
		stream("same-days", rows("b", false)) // every cell is stored already
		stream("backwards", rows("c", true))
		// A re-import changes nothing, rollups included.
		stream("again", nil)
		if _, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{}); err != nil || total != 3*1800 {
			t.Errorf("stored %d registrations (%v), want %d", total, err, 3*1800)
		}
	}},
}
