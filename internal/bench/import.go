package bench

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/geo"
	"baken/internal/importer"
	"baken/internal/reference"
	"baken/internal/store"
)

// ImportResult compares the real import with plain bulk loads of the same rows.
type ImportResult struct {
	Rows    int
	Dialect string
	Import  time.Duration
	// Plain is the ceiling: the rows loaded into a copy of the registrations table,
	// with its keys and indexes (store.PlainKeyed).
	Plain time.Duration
	// PlainHeap is the same load into a table without keys or indexes (store.PlainHeap).
	PlainHeap     time.Duration
	Summary       importer.Summary
	PeakHeapBytes uint64
}

// Ratio is how many times longer the import took than the plain load (the ceiling).
func (r ImportResult) Ratio() float64 { return r.Import.Seconds() / r.Plain.Seconds() }

// HeapRatio is how many times longer the import took than a load without keys.
func (r ImportResult) HeapRatio() float64 { return r.Import.Seconds() / r.PlainHeap.Seconds() }

func perSecond(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// Print writes the result as a small table.
func (r ImportResult) Print(w io.Writer) {
	fmt.Fprintf(w, "bench import: %d rows on %s (%d cores)\n", r.Rows, r.Dialect, runtime.NumCPU())
	fmt.Fprintf(w, "  import (parse, check, place, key, store, rollups): %8.2f s  %10.0f rows/s\n", r.Import.Seconds(), perSecond(r.Rows, r.Import))
	fmt.Fprintf(w, "  plain bulk load, same keys and indexes (ceiling):   %8.2f s  %10.0f rows/s\n", r.Plain.Seconds(), perSecond(r.Rows, r.Plain))
	fmt.Fprintf(w, "  plain bulk load, no keys or indexes:                %8.2f s  %10.0f rows/s\n", r.PlainHeap.Seconds(), perSecond(r.Rows, r.PlainHeap))
	fmt.Fprintf(w, "  import / plain load: %.2fx   (without keys: %.2fx; stored %d, rejected %d; peak heap %d MiB)\n",
		r.Ratio(), r.HeapRatio(), r.Summary.Stored, r.Summary.Rejected, r.PeakHeapBytes>>20)
}

// Import generates n registrations as a CSV file in dir, imports it into db with the real
// importer (Diemen's areas are loaded first so that every row is placed), and loads the
// same rows into a copy of the registrations table (the ceiling) and into a table without
// keys. When profile is not nil, a CPU profile of
// the import is written to it.
func Import(ctx context.Context, db *store.DB, n int, dir string, profile io.Writer) (ImportResult, error) {
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
	source := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	stopHeap := watchHeap(&res.PeakHeapBytes)
	if profile != nil {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return res, fmt.Errorf("bench import: %w", err)
		}
	}
	start := time.Now()
	sum, err := importer.New(db, nil).Registrations(ctx, path, importer.Options{
		Source: source, IDColumn: "id", Categories: cats,
		RejectPath: filepath.Join(dir, "bench.rejects.csv"), ChunkSize: importer.DefaultChunkSize,
	})
	res.Import = time.Since(start)
	if profile != nil {
		pprof.StopCPUProfile()
	}
	stopHeap()
	res.Summary = sum
	if err != nil {
		return res, err
	}
	plain, err := storedRows(n, source, sum.BatchID)
	if err != nil {
		return res, err
	}
	if res.Plain, err = db.PlainLoad(ctx, store.PlainKeyed, n, plain); err != nil {
		return res, err
	}
	res.PlainHeap, err = db.PlainLoad(ctx, store.PlainHeap, n, plain)
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

// storedRows returns a generator of the rows as the import stores them: placed in their
// wijk and buurt, with RD coordinates, the import's source and batch, a content hash of
// the same length, and ids drawn as the store draws them (UUIDv7, in order), so that the
// plain load writes rows as wide as the import's into indexes that grow the same way.
func storedRows(n int, source, batch string) (func(i int, r *baken.Registration), error) {
	areas, err := demo.Areas()
	if err != nil {
		return nil, err
	}
	ix := geo.NewIndex(areas)
	gen := Rows(n)
	ids := rand.NewChaCha8([32]byte{'b', 'a', 'k', 'e', 'n'})
	return func(i int, r *baken.Registration) {
		gen(i, r)
		if id, err := uuid.NewV7FromReader(ids); err == nil {
			r.ID = baken.RegistrationID(id.String())
		}
		r.Source, r.BatchID = source, batch
		if p, ok := ix.Locate(*r.Lon, *r.Lat); ok {
			r.Wijk, r.Buurt, r.AreaYear = p.Wijk, p.Buurt, p.Year
		} else {
			r.Gemeente, r.Outside = "", true
		}
		x, y := geo.WGS84ToRD(*r.Lon, *r.Lat)
		x, y = math.Round(x*100)/100, math.Round(y*100)/100
		r.X, r.Y = &x, &y
		var h [16]byte
		binary.BigEndian.PutUint64(h[8:], uint64(i))
		r.ContentHash = hex.EncodeToString(h[:])
	}, nil
}
