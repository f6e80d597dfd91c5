package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/importer"
	"baken/internal/reference"
	"baken/internal/store"
)

// ImportResult compares the real import with a plain bulk load of the same rows.
type ImportResult struct {
	Rows          int
	Dialect       string
	Import        time.Duration
	Plain         time.Duration
	Summary       importer.Summary
	PeakHeapBytes uint64
}

// Ratio is how many times longer the import took than the plain load.
func (r ImportResult) Ratio() float64 { return r.Import.Seconds() / r.Plain.Seconds() }

func perSecond(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// Print writes the result as a small table.
func (r ImportResult) Print(w io.Writer) {
	fmt.Fprintf(w, "bench import: %d rows on %s (%d cores)\n", r.Rows, r.Dialect, runtime.NumCPU())
	fmt.Fprintf(w, "  import (parse, check, place, key, store, rollups): %8.2f s  %10.0f rows/s\n", r.Import.Seconds(), perSecond(r.Rows, r.Import))
	fmt.Fprintf(w, "  plain bulk load of the same rows (ceiling):         %8.2f s  %10.0f rows/s\n", r.Plain.Seconds(), perSecond(r.Rows, r.Plain))
	fmt.Fprintf(w, "  import / plain load: %.2fx   (stored %d, rejected %d; peak heap %d MiB)\n",
		r.Ratio(), r.Summary.Stored, r.Summary.Rejected, r.PeakHeapBytes>>20)
}

// Import generates n registrations as a CSV file in dir, imports it into db with the real
// importer (Diemen's areas are loaded first so that every row is placed), and loads the
// same rows into a plain table as the ceiling.
func Import(ctx context.Context, db *store.DB, n int, dir string) (ImportResult, error) {
	ctx = baken.WithActor(ctx, baken.System("bench"))
	res := ImportResult{Rows: n, Dialect: db.Dialect()}
	if err := demo.LoadReference(ctx, db); err != nil {
		return res, err
	}
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.csv", n))
	if err := WriteCSV(path, n); err != nil {
		return res, err
	}
	defer os.Remove(path)
	tree, err := reference.InForce(ctx, db)
	if err != nil {
		return res, err
	}
	cats, err := importer.NewCategorizer(tree, "", nil)
	if err != nil {
		return res, err
	}
	stopHeap := watchHeap(&res.PeakHeapBytes)
	start := time.Now()
	sum, err := importer.New(db, nil).Registrations(ctx, path, importer.Options{
		Source: fmt.Sprintf("bench-%d", time.Now().UnixNano()), IDColumn: "id", Categories: cats,
		RejectPath: filepath.Join(dir, "bench.rejects.csv"), ChunkSize: 10000,
	})
	res.Import = time.Since(start)
	stopHeap()
	res.Summary = sum
	if err != nil {
		return res, err
	}
	res.Plain, err = db.PlainLoad(ctx, n, Rows(n))
	return res, err
}

// watchHeap samples the heap in use until the returned function is called.
func watchHeap(peak *uint64) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-stopped }
}
