package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/export"
	"baken/internal/reference"
	"baken/internal/store"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(*l, v) {
			*l = append(*l, v)
		}
	}
	return nil
}

func runExport(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken export KIND [flags]

Kinds:
  registrations  incidents and reports as CSV (the re-import format) or Excel
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "registrations":
		return runExportRegistrations(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken export: unknown kind %q\n\n", args[0])
	return usage()
}

const exportRegistrationsHelp = `
CSV (the default) is the re-import format: "baken import registrations FILE --source NAME"
with the same source name gives back the same registrations, and importing it into the
database it came from changes nothing. Export one source at a time for that (--source),
and import without --map, --tz or --precision. Rows that cannot come back exactly are
counted in the summary. The CSV holds the values as stored: read it in a spreadsheet
through --format xlsx, where a description starting with "=" is text, not a formula.
A file without personal data (--no-personal) must not be imported back into the database
it came from: that would erase the addresses, BAG ids and descriptions there.
Excel (--format xlsx) is for reading: date-times, numbers and an explanation sheet
(Toelichting); it cannot be imported. It needs --output unless stdout is redirected.
`

func runExportRegistrations(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "export registrations",
		"export registrations [--format csv|xlsx] [--from DAY] [--to DAY] [--category CODE,...] [--theme CODE,...]\n"+
			"       [--gemeente CODE,...] [--wijk CODE] [--buurt CODE] [--source NAME,...] [--no-personal] [--output FILE] [--db FILE|URL]", &cfg, "db")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), exportRegistrationsHelp)
	}
	format := fs.String("format", "", "csv or xlsx (default: xlsx when --output ends in .xlsx, else csv)")
	output := fs.String("output", "", "file to write (default: stdout)")
	from := fs.String("from", "", "first local day, YYYY-MM-DD (inclusive)")
	to := fs.String("to", "", "last local day, YYYY-MM-DD (inclusive)")
	var categories, themes, gemeenten, sources listFlag
	fs.Var(&categories, "category", "category code (repeatable or comma-separated)")
	fs.Var(&themes, "theme", "theme code: its categories (repeatable or comma-separated)")
	fs.Var(&gemeenten, "gemeente", "CBS gemeente code, GM0384 (repeatable or comma-separated)")
	wijk := fs.String("wijk", "", "CBS wijk code, WK038401")
	buurt := fs.String("buurt", "", "CBS buurt code, BU03840101")
	fs.Var(&sources, "source", "source name (repeatable or comma-separated)")
	outside := fs.Bool("outside", true, "include registrations outside every loaded area (never with --gemeente, --wijk or --buurt)")
	noPersonal := fs.Bool("no-personal", false, "leave out address, bag_id and description")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	if *format == "" {
		*format = "csv"
		if strings.EqualFold(filepath.Ext(*output), ".xlsx") {
			*format = "xlsx"
		}
	}
	if *format != "csv" && *format != "xlsx" {
		return baken.Errorf(baken.Invalid, "--format", "%q: want csv or xlsx", *format)
	}
	toStdout := *output == "" || *output == "-"
	if *format == "xlsx" && toStdout && isTerminal(e.stdout) {
		return baken.Errorf(baken.Invalid, "--output", "an Excel file is not for a terminal: give --output FILE.xlsx or redirect stdout")
	}
	f := store.RegistrationFilter{From: *from, To: *to, Sources: sources, Wijk: strings.ToUpper(*wijk), Buurt: strings.ToUpper(*buurt)}
	for _, d := range []struct{ flag, day string }{{"--from", f.From}, {"--to", f.To}} {
		if _, err := time.Parse(time.DateOnly, d.day); d.day != "" && err != nil {
			return baken.Errorf(baken.Invalid, d.flag, "%q is not a day (YYYY-MM-DD)", d.day)
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return baken.Errorf(baken.Invalid, "--to", "%s is before --from %s", f.To, f.From)
	}
	for _, c := range []struct {
		flag  string
		codes []string
		level baken.AreaLevel
	}{{"--gemeente", gemeenten, baken.LevelGemeente}, {"--wijk", nonEmpty(f.Wijk), baken.LevelWijk}, {"--buurt", nonEmpty(f.Buurt), baken.LevelBuurt}} {
		for _, code := range c.codes {
			if l, err := baken.LevelOfCode(strings.ToUpper(code)); err != nil || l != c.level {
				return baken.Errorf(baken.Invalid, c.flag, "%q is not a CBS %s code", code, c.level)
			}
			f.Gemeenten = appendUpperIf(f.Gemeenten, code, c.level == baken.LevelGemeente)
		}
	}
	f.Outside = *outside && len(f.Gemeenten) == 0 && f.Wijk == "" && f.Buurt == ""

	logger := cfg.logger(e.stderr)
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := baken.WithActor(ctx, baken.System("export"))
	var selection []string
	if len(categories) > 0 || len(themes) > 0 {
		tree, err := reference.InForce(sys, db)
		if err != nil {
			return err
		}
		f.Categories, err = expandCategories(tree, categories, themes)
		if err != nil {
			return err
		}
		if len(themes) > 0 {
			selection = append(selection, "thema: "+strings.Join(themes, ", "))
		}
	}
	opts := export.Options{IncludePersonal: !*noPersonal, Selection: append(selection, export.DescribeFilter(f)...)}
	write := export.CSV
	if *format == "xlsx" {
		write = export.XLSX
	}
	rows := export.FromStore(sys, db, f)
	var sum export.Summary
	name, report := "stdout", e.stderr
	if toStdout {
		sum, err = write(e.stdout, rows, opts)
	} else {
		name, report = *output, e.stdout
		err = writeFileAtomic(*output, func(w io.Writer) error {
			var werr error
			sum, werr = write(w, rows, opts)
			return werr
		})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(report, "%s: %d registrations exported (%s)\n", name, sum.Rows, *format)
	if sum.Generated > 0 {
		fmt.Fprintf(report, "  %d of them are generated demo data, not real registrations (column generated = ja)\n", sum.Generated)
	}
	if sum.Inexact > 0 {
		fmt.Fprintf(report, "  %d would not come back exactly when this file is imported again; the first: %s\n", sum.Inexact, sum.FirstInexact)
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func appendUpperIf(ss []string, s string, ok bool) []string {
	if !ok {
		return ss
	}
	return append(ss, strings.ToUpper(s))
}

// expandCategories checks category codes and adds the categories of the themes.
func expandCategories(tree baken.CategoryTree, categories, themes []string) ([]string, error) {
	known := map[string]bool{}
	for _, c := range tree.Categories {
		known[c.Code] = true
	}
	out := slices.Clone(categories)
	for _, c := range categories {
		if !known[c] {
			return nil, baken.Errorf(baken.Invalid, "--category", "unknown category %q", c)
		}
	}
	for _, th := range themes {
		if !slices.ContainsFunc(tree.Themes, func(t baken.Theme) bool { return t.Code == th }) {
			return nil, baken.Errorf(baken.Invalid, "--theme", "unknown theme %q", th)
		}
		n := 0
		for _, c := range tree.Categories {
			if c.Theme == th {
				n++
				if !slices.Contains(out, c.Code) {
					out = append(out, c.Code)
				}
			}
		}
		// An empty list would not filter at all.
		if n == 0 {
			return nil, baken.Errorf(baken.Invalid, "--theme", "theme %q has no categories", th)
		}
	}
	return out, nil
}

// writeFileAtomic writes a file through a temporary file in the same folder, readable
// by the owner only (exports may hold personal data), and renames it into place only
// when write succeeded, so that a failed export leaves no partial file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return baken.Errorf(baken.Invalid, "--output", "%v", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
