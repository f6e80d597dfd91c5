package bench_test

import (
	"context"
	"path/filepath"
	"testing"

	"baken/internal/bench"
	"baken/internal/store"
	"baken/internal/store/sqlite"
)

// BenchmarkImportSQLite imports 100,000 generated registrations into a fresh SQLite store
// per iteration and reports the ratios to plain bulk loads of the same rows (into a copy
// of the registrations table, and into a table without keys).
func BenchmarkImportSQLite(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "b.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := bench.Import(context.Background(), db, 100_000, dir, nil)
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Ratio(), "import/plain")
		b.ReportMetric(res.HeapRatio(), "import/heap")
		b.ReportMetric(float64(res.Rows)/res.Import.Seconds(), "rows/s")
	}
}
