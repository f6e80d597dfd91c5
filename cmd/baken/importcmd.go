package main

import (
	"context"
	"fmt"
	"path/filepath"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/importer"
)

func runImport(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken import KIND [flags] FILE

Kinds:
  areas         CBS wijk- en buurtkaart: GeoJSON (RD New or WGS84) or TopoJSON, plain or gzipped
  population    CBS kerncijfers wijken en buurten (CSV): inhabitants per gemeente, wijk, buurt
  registrations incidents and reports (CSV): police exports, boa registrations, open data
  categories    the municipality's own categories, extending the tree that ships (JSON)
  counts        police open-data counts (47018NED, 47022NED, 47024NED): OData JSON or CSV, plain or gzipped
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "areas":
		return runImportAreas(ctx, e, args[1:])
	case "population":
		return runImportPopulation(ctx, e, args[1:])
	case "registrations":
		return runImportRegistrations(ctx, e, args[1:])
	case "counts":
		return runImportCounts(ctx, e, args[1:])
	case "categories":
		return runImportCategories(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken import: unknown kind %q\n\n", args[0])
	return usage()
}

func runImportAreas(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "import areas", "import areas [--crs EPSG:28992|EPSG:4326] [--year YYYY] [--db FILE|URL] FILE", &cfg, "db")
	crsFlag := fs.String("crs", "", "coordinate system of the file: EPSG:28992 (RD New) or EPSG:4326 (WGS84); default: detected")
	year := fs.Int("year", 0, "vintage year, when the features carry none (default: from the data or the file name)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	crs, err := geo.ParseCRS(*crsFlag)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--crs", "%v", err)
	}
	path := fs.Arg(0)
	in, err := importer.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	areas, err := importer.ReadAreas(in, crs, *year, nil)
	if err != nil {
		return err
	}
	logger := cfg.logger(e.stderr)
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.UpsertAreas(baken.WithActor(ctx, baken.System("import")), areas, filepath.Base(path))
	if err != nil {
		return err
	}
	counts := map[baken.AreaLevel]int{}
	years := map[int]bool{}
	for _, a := range areas {
		counts[a.Level]++
		years[a.Year] = true
	}
	fmt.Fprintf(e.stdout, "%s: %d areas stored (%d gemeenten, %d wijken, %d buurten), vintage %v\n",
		path, n, counts[baken.LevelGemeente], counts[baken.LevelWijk], counts[baken.LevelBuurt], keys(years))
	return nil
}

func runImportPopulation(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "import population", "import population [--year YYYY] [--db FILE|URL] FILE", &cfg, "db")
	year := fs.Int("year", 0, "reference year (1 January); default: from the file name")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	in, err := importer.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	pop, err := importer.ReadPopulation(in, *year)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.UpsertPopulation(baken.WithActor(ctx, baken.System("import")), pop, filepath.Base(path))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: population of %d areas stored (reference year %d)\n", path, n, pop[0].Year)
	return nil
}

func keys[K comparable](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
