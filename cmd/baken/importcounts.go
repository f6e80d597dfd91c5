package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"baken/internal/baken"
	"baken/internal/importer"
	"baken/internal/reference"
)

func runImportCounts(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "import counts", "import counts [--source NAME] [--table 47018NED|47022NED|47024NED] [--db FILE|URL] FILE", &cfg, "db")
	source := fs.String("source", importer.DefaultCountsSource, "name of the counts in the rollups; not a source of registrations")
	table := fs.String("table", "", "the table, when neither the file nor its name says: 47018NED or 47022NED (misdrijven), 47024NED (overlast)")
	catMap := pairs{}
	fs.Var(catMap, "category-map", "VALUE=CATEGORY: map a SoortMisdrijf or Overlast key or title to a category (repeatable)")
	rejects := fs.String("rejects", "", "file for invalid rows (default: FILE.rejects.csv beside the input)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if *table != "" {
		if _, err := baken.KindOfTable(*table); err != nil {
			return baken.Errorf(baken.Invalid, "--table", "%q: want 47018NED or 47022NED (misdrijven) or 47024NED (overlast)", *table)
		}
	}
	if *source == "" {
		return baken.Errorf(baken.Invalid, "--source", "empty: name the source of the counts")
	}
	path := fs.Arg(0)
	logger := cfg.logger(e.stderr)
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := baken.WithActor(ctx, baken.System("import"))
	tree, err := reference.InForce(sys, db)
	if err != nil {
		return err
	}
	opts := importer.CountsOptions{Source: *source, Table: *table, Categories: tree, CategoryMap: catMap, RejectPath: *rejects}
	sum, err := importer.New(db, logger).Counts(sys, path, opts)
	printCountsSummary(e.stdout, sum)
	return err
}

func printCountsSummary(w io.Writer, s importer.CountsSummary) {
	table := s.Table
	if table == "" {
		table = "table unknown"
	}
	fmt.Fprintf(w, "%s (%s, %s): %d rows read, %d skipped (%d totals, %d secret or unknown, %d national), %d rejected\n",
		s.File, table, s.Kind, s.Read, s.Skipped, s.SkippedTotals, s.SkippedSecret, s.SkippedNational, s.Rejected)
	if s.BatchID != "" {
		fmt.Fprintf(w, "%s: %d counts stored, %d replaced, %d removed, %d unchanged (%s)\n",
			s.File, s.Stored, s.Replaced, s.Removed, s.Unchanged, s.Duration.Round(time.Millisecond))
	}
	if s.Partial {
		fmt.Fprintln(w, "Some rows could not be placed in an area and period: no stored count was removed.")
	}
	for _, p := range s.Problems {
		fmt.Fprintln(w, "  "+p)
	}
	if s.Rejected > len(s.Problems) {
		fmt.Fprintf(w, "  ... and %d more\n", s.Rejected-len(s.Problems))
	}
	if s.RejectFile != "" {
		fmt.Fprintf(w, "Invalid rows written to %s\n", s.RejectFile)
	}
}
