package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/programme"
	"baken/internal/report"
	"baken/internal/store"
)

const reportHelp = `
The figures are what was known on the reference date (--as-of, default today):
registrations that occurred on or before it and were in Baken by the end of that day,
and the police figures known then. The same store and reference date give the same
document (Markdown and HTML byte for byte). --issue stores the document as issued,
append-only: it never changes afterwards, and issuing again adds a new one.
`

func runReport(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken report KIND --programme YEAR --format FORMAT [flags]

Kinds:
  council-letter  the raadsinformatiebrief on a yearly programme (md, html, pdf, docx)
  progress        the progress report on a yearly programme (md, html, pdf, docx, xlsx)
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case string(store.DocumentCouncilLetter), string(store.DocumentProgress):
		return runReportKind(ctx, e, store.DocumentKind(args[0]), args[1:])
	case "-h", "--help", "-help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken report: unknown kind %q\n\n", args[0])
	return usage()
}

func runReportKind(ctx context.Context, e env, kind store.DocumentKind, args []string) error {
	formats := "md|html|pdf|docx"
	if kind == store.DocumentProgress {
		formats += "|xlsx"
	}
	var cfg config
	fs := newFlags(e, "report "+string(kind), "report "+string(kind)+" --programme YEAR --format "+formats+
		" [--as-of DAY] [--gemeente CODE] [--out FILE] [--issue] [--db FILE|URL]", &cfg, "db")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), reportHelp)
	}
	year := fs.Int("programme", 0, "the year of the programme, e.g. 2024")
	formatFlag := fs.String("format", "", "document format: "+strings.ReplaceAll(formats, "|", ", "))
	asOfFlag := fs.String("as-of", "", "reference date YYYY-MM-DD: the figures as known on that day (default: today)")
	gemeente := fs.String("gemeente", "", "CBS gemeente code, GM0384 (default: the only gemeente in the store)")
	out := fs.String("out", "", "file to write; - or none: stdout")
	issue := fs.Bool("issue", false, "store the document as issued and print its id and sha256")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	if *year == 0 {
		return baken.Errorf(baken.Invalid, "--programme", "required: the year of the programme, e.g. --programme 2024")
	}
	if *formatFlag == "" {
		return baken.Errorf(baken.Invalid, "--format", "required: %s", strings.ReplaceAll(formats, "|", ", "))
	}
	format, err := report.ParseFormat(*formatFlag)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--format", "%q: want %s", *formatFlag, strings.ReplaceAll(formats, "|", ", "))
	}
	if kind == store.DocumentCouncilLetter && format == report.XLSX {
		return baken.Errorf(baken.Invalid, "--format", "a council letter is md, html, pdf or docx; only the progress report is xlsx")
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	asOf := today
	if *asOfFlag != "" {
		if asOf, err = time.Parse(time.DateOnly, *asOfFlag); err != nil {
			return baken.Errorf(baken.Invalid, "--as-of", "%q is not a day (YYYY-MM-DD)", *asOfFlag)
		}
		if asOf.After(today) {
			return baken.Errorf(baken.Invalid, "--as-of", "%s is after today: its figures are not known yet", *asOfFlag)
		}
	}
	toStdout := *out == "" || *out == "-"
	if toStdout && format != report.Markdown && format != report.HTML && isTerminal(e.stdout) {
		return baken.Errorf(baken.Invalid, "--out", "a %s file is not for a terminal: give --out FILE%s or redirect stdout", format, report.Extension(format))
	}

	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	sys := baken.WithActor(ctx, baken.System("report"))
	gm := strings.ToUpper(*gemeente)
	if gm == "" {
		if gm, err = onlyGemeente(sys, db); err != nil {
			return err
		}
	}

	var body []byte
	var issued store.IssuedDocument
	if *issue {
		if issued, err = programme.Issue(sys, db, kind, gm, *year, asOf, format); err != nil {
			return err
		}
		body = issued.Body
	} else {
		var b bytes.Buffer
		if err := programme.Write(sys, db, &b, kind, gm, *year, asOf, format); err != nil {
			return err
		}
		body = b.Bytes()
	}
	name, msgs := "stdout", e.stderr
	if toStdout {
		if _, err := e.stdout.Write(body); err != nil {
			return fmt.Errorf("write %s: %w", kind, err)
		}
	} else {
		name, msgs = *out, e.stdout
		if err := writeFileAtomic(*out, func(w io.Writer) error {
			_, err := w.Write(body)
			return err
		}); err != nil {
			return err
		}
	}
	fmt.Fprintf(msgs, "%s: %s %s %d (%s), figures as of %s\n", name, kind, gm, *year, format, asOf.Format(time.DateOnly))
	if *issue {
		fmt.Fprintf(msgs, "issued %s\nsha256 %s\n", issued.ID, issued.SHA256)
	}
	return nil
}

// onlyGemeente returns the one gemeente the store has areas of; Invalid naming
// --gemeente when it has none or several.
func onlyGemeente(ctx context.Context, db *store.DB) (string, error) {
	areas, err := db.FindAreas(ctx, store.AreaFilter{})
	if err != nil {
		return "", err
	}
	var gms []string
	for _, a := range areas {
		if gm := baken.GemeenteOfCode(a.Code); gm != "" && !slices.Contains(gms, gm) {
			gms = append(gms, gm)
		}
	}
	switch len(gms) {
	case 0:
		return "", baken.Errorf(baken.Invalid, "--gemeente", "the store has no areas to take the gemeente from: give --gemeente")
	case 1:
		return gms[0], nil
	}
	slices.Sort(gms)
	return "", baken.Errorf(baken.Invalid, "--gemeente", "the store has %d gemeenten (%s): give --gemeente", len(gms), strings.Join(gms, ", "))
}
