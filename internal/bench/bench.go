// Package bench holds Baken's whole-workload benchmarks (baken bench): each generates its
// data deterministically, runs the real code path, and measures a plain baseline in the
// same run, so that results are ratios on one machine rather than absolute times.
package bench

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"baken/internal/baken"
)

// Diemen's extent (WGS84), where generated registrations fall.
const (
	minLon, maxLon = 4.935, 5.025
	minLat, maxLat = 52.322, 52.362
)

var categories = []string{
	"overlast-jeugd", "verward-gedrag", "zwerfvuil", "afval-verkeerd-aangeboden", "woninginbraak",
	"fietsendiefstal", "mishandeling", "bedreiging", "vernieling", "winkeldiefstal", "geluidshinder",
	"drugs-drankoverlast", "straatroof", "cybercrime", "horizontale-fraude",
}

var epoch = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

const span = 7 * 365 * 24 * 60 // minutes in 2019-2025

// Rows returns a generator of n registrations: Row(i, r) fills r with the i-th. The same
// i always gives the same row, so an import and its baseline load the same data. Rows
// come in time order over 2019-2025, as a police export lists them.
func Rows(n int) func(i int, r *baken.Registration) {
	step := float64(span) / float64(max(n, 1))
	return func(i int, r *baken.Registration) { row(i, step, r) }
}

func row(i int, step float64, r *baken.Registration) {
	rng := rand.New(rand.NewPCG(20261122, uint64(i)))
	lon := minLon + rng.Float64()*(maxLon-minLon)
	lat := minLat + rng.Float64()*(maxLat-minLat)
	at := epoch.Add(time.Duration(float64(i)*step) * time.Minute)
	*r = baken.Registration{
		Gemeente: "GM0384", Source: "bench", SourceID: fmt.Sprintf("B%09d", i), SourceKey: fmt.Sprintf("B%09d", i),
		OccurredAt: at, Precision: baken.PrecisionMinute, LocalDay: at.Format(time.DateOnly),
		Category: categories[rng.IntN(len(categories))], Lon: &lon, Lat: &lat,
		Description: "gegenereerd", ContentHash: "bench", BatchID: "bench", Version: 1, CreatedAt: at, UpdatedAt: at,
		ID: baken.RegistrationID(fmt.Sprintf("00000000-0000-7000-8000-%012d", i)),
	}
}

// WriteCSV writes n generated registrations as a CSV file the generic profile reads.
func WriteCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write bench data: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,occurred_at,category,lat,lon,description")
	var r baken.Registration
	gen := Rows(n)
	for i := range n {
		gen(i, &r)
		fmt.Fprintf(w, "%s,%s,%s,%.6f,%.6f,%s\n", r.SourceID, r.OccurredAt.Format(time.RFC3339), r.Category, *r.Lat, *r.Lon, r.Description)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write bench data: %w", err)
	}
	return f.Close()
}
