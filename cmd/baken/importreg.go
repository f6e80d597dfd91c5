package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/importer"
	"baken/internal/reference"
)

// pairs is a repeatable KEY=VALUE flag.
type pairs map[string]string

func (p pairs) String() string { return fmt.Sprint(map[string]string(p)) }

func (p pairs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q: want KEY=VALUE", s)
	}
	p[strings.TrimSpace(k)] = strings.TrimSpace(v)
	return nil
}

func runImportRegistrations(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "import registrations", "import registrations [flags] FILE", &cfg, "db")
	source := fs.String("source", "", "name of the source (default: the profile name, for politie and boa)")
	profile := fs.String("profile", "generic", "column profile: generic (by header names), politie, boa")
	maps := pairs{}
	fs.Var(maps, "map", "COLUMN=FIELD: read FIELD from COLUMN (repeatable); fields: "+fieldNames())
	idCol := fs.String("id-col", "", "column with the source's own id (re-imports update by it)")
	category := fs.String("category", "", "category code of every row")
	categoryCol := fs.String("category-col", "", "column with the category")
	catMap := pairs{}
	fs.Var(catMap, "category-map", "VALUE=CATEGORY: map a source value to a category (repeatable)")
	catMapFile := fs.String("category-map-file", "", "CSV file of value,category pairs")
	tz := fs.String("tz", "Europe/Amsterdam", "time zone of times without an offset")
	precision := fs.String("precision", "", "precision of the times: minute, day or month (default: from the text)")
	strict := fs.Bool("strict", false, "store nothing when any row is invalid")
	dryRun := fs.Bool("dry-run", false, "check every row and write the reject file, store nothing")
	rejects := fs.String("rejects", "", "file for invalid rows (default: FILE.rejects.csv beside the input)")
	chunk := fs.Int("chunk", importer.DefaultChunkSize, "rows committed together")
	progress := fs.String("progress", "auto", "progress: auto (a bar on a terminal), lines (one line per chunk), none")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	opts := importer.Options{Source: *source, Profile: *profile, IDColumn: *idCol, CategoryColumn: *categoryCol,
		Strict: *strict, DryRun: *dryRun, RejectPath: *rejects, ChunkSize: *chunk, Map: map[string]importer.Field{}}
	if opts.Source == "" && (*profile == "politie" || *profile == "boa") {
		opts.Source = *profile
	}
	for col, f := range maps {
		field, err := importer.ParseField(f)
		if err != nil {
			return baken.Errorf(baken.Invalid, "--map", "%v", err)
		}
		opts.Map[col] = field
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--tz", "unknown time zone %q", *tz)
	}
	opts.TZ = loc
	if *precision != "" {
		p, err := baken.ParsePrecision(*precision)
		if err != nil || p == baken.PrecisionYear {
			return baken.Errorf(baken.Invalid, "--precision", "%q: want minute, day or month", *precision)
		}
		opts.Precision = p
	}
	if *catMapFile != "" {
		if err := readCategoryMap(*catMapFile, catMap); err != nil {
			return err
		}
	}
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
	opts.Categories, err = importer.NewCategorizer(tree, *category, catMap)
	if err != nil {
		return err
	}
	bar := newProgressBar(e.stderr, *progress)
	opts.Progress = bar.update
	sum, err := importer.New(db, logger).Registrations(sys, path, opts)
	bar.done()
	printSummary(e.stdout, sum, opts.DryRun)
	if err != nil {
		return err
	}
	return nil
}

func fieldNames() string {
	var s []string
	for _, f := range importer.Fields() {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

func readCategoryMap(path string, into pairs) error {
	f, err := os.Open(path)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--category-map-file", "%v", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return baken.Errorf(baken.Invalid, fmt.Sprintf("%s:%d", path, line), "%v", err)
		}
		if len(rec) != 2 {
			return baken.Errorf(baken.Invalid, fmt.Sprintf("%s:%d", path, line), "want 2 fields (value,category), got %d", len(rec))
		}
		if line == 1 && strings.EqualFold(rec[1], "category") {
			continue
		}
		into[rec[0]] = rec[1]
	}
}

func printSummary(w io.Writer, s importer.Summary, dry bool) {
	if s.ResumedAfter > 0 {
		fmt.Fprintf(w, "%s: resumed an interrupted import after line %d (%d rows were stored then)\n", s.File, s.ResumedAfter, s.Resumed)
	}
	verb := "stored"
	if dry {
		verb = "would be checked (dry run; nothing stored)"
	}
	fmt.Fprintf(w, "%s: %d rows read, %d %s, %d updated, %d unchanged, %d outside every loaded area, %d rejected (%s)\n",
		s.File, s.Read, s.Stored, verb, s.Updated, s.Unchanged, s.Outside, s.Rejected, s.Duration.Round(time.Millisecond))
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

// progressBar shows rows and rows per second on a terminal; "lines" mode prints one
// line per committed chunk (for scripts and tests); otherwise it is quiet.
type progressBar struct {
	w     io.Writer
	mode  string
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, mode string) *progressBar {
	if mode == "auto" {
		mode = "none"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				mode = "bar"
			}
		}
	}
	return &progressBar{w: w, mode: mode}
}

func (b *progressBar) update(p importer.Progress) {
	switch b.mode {
	case "lines":
		fmt.Fprintf(b.w, "progress lines=%d read=%d stored=%d\n", p.Lines, p.Read, p.Stored)
	case "bar":
		if time.Since(b.last) < 200*time.Millisecond {
			return
		}
		b.last = time.Now()
		rate := float64(p.Read) / max(p.Elapsed.Seconds(), 0.001)
		fmt.Fprintf(b.w, "\r%12d rijen/rows  %10.0f rijen/s  %12d opgeslagen/stored", p.Read, rate, p.Stored)
		b.drawn = true
	}
}

func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

var _ flag.Value = pairs{}
