// Package demo provides Diemen (GM0384) as Baken's demo municipality: its CBS areas and
// population embedded in the binary ("Bron: CBS/Kadaster"), loaded into a fresh store.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"

	"baken/internal/geo"
	"baken/internal/importer"
	"baken/internal/store"
)

//go:embed data/*.geojson data/*.csv
var files embed.FS

// Gemeente is the demo municipality's CBS code.
const Gemeente = "GM0384"

// Credit is the attribution the area data needs wherever it is shown.
const Credit = "Bron: CBS/Kadaster"

// AreaYear is the vintage of the embedded areas.
const AreaYear = 2024

// LoadReference stores Diemen's areas and population. It is idempotent.
func LoadReference(ctx context.Context, db *store.DB) error {
	for _, name := range []string{"data/diemen_wijken_2024_rd.geojson", "data/diemen_buurten_2024_rd.geojson"} {
		b, err := files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("demo areas: %w", err)
		}
		in, err := importer.NewInput(bytes.NewReader(b), name)
		if err != nil {
			return err
		}
		areas, err := importer.ReadAreas(in, geo.CRSRD, AreaYear, map[string]string{Gemeente: "Diemen"})
		if err != nil {
			return fmt.Errorf("demo areas: %w", err)
		}
		if _, err := db.UpsertAreas(ctx, areas, Credit); err != nil {
			return fmt.Errorf("demo areas: %w", err)
		}
	}
	b, err := files.ReadFile("data/diemen_kwb2024.csv")
	if err != nil {
		return fmt.Errorf("demo population: %w", err)
	}
	in, err := importer.NewInput(bytes.NewReader(b), "diemen_kwb2024.csv")
	if err != nil {
		return err
	}
	pop, err := importer.ReadPopulation(in, 2024)
	if err != nil {
		return fmt.Errorf("demo population: %w", err)
	}
	if _, err := db.UpsertPopulation(ctx, pop, "CBS kerncijfers wijken en buurten 2024"); err != nil {
		return fmt.Errorf("demo population: %w", err)
	}
	return nil
}
