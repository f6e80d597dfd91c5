package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/store"
	"baken/internal/store/sqlite"
)

// demoDB writes the whole demo (areas, generated registrations, programme) into a
// SQLite file and returns its path.
func demoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	db, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := baken.WithActor(context.Background(), baken.System("test"))
	if err := demo.LoadReference(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadRegistrations(ctx, db, demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadProgramme(ctx, db); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReport(t *testing.T) {
	path := demoDB(t)
	ctx := context.Background()
	report := func(args ...string) (stdout, stderr string, err error) {
		var o, e bytes.Buffer
		err = run(ctx, append([]string{"report"}, append(args, "--db", path)...), noenv, nil, &o, &e)
		return o.String(), e.String(), err
	}
	golden := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "..", "internal", "programme", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// To stdout: the letter, byte for byte the golden one; what was written on stderr.
	stdout, stderr, err := report("council-letter", "--programme", "2024", "--format", "md", "--as-of", "2024-02-06")
	if err != nil {
		t.Fatalf("council-letter: %v\n%s", err, stderr)
	}
	if stdout != golden("raadsinformatiebrief-2024-demo.md") {
		t.Errorf("the council letter on stdout is not testdata/raadsinformatiebrief-2024-demo.md:\n%s", stdout)
	}
	if !strings.Contains(stderr, "council-letter GM0384 2024 (md), figures as of 2024-02-06") {
		t.Errorf("stderr = %q", stderr)
	}

	// To a file, with the gemeente named.
	html := filepath.Join(t.TempDir(), "brief.html")
	if stdout, stderr, err := report("council-letter", "--programme", "2024", "--format", "html", "--as-of", "2024-02-06",
		"--gemeente", "gm0384", "--out", html); err != nil || !strings.Contains(stdout, html) {
		t.Fatalf("council-letter --out: %v %q %q", err, stdout, stderr)
	}
	if b, err := os.ReadFile(html); err != nil || string(b) != golden("raadsinformatiebrief-2024-demo.html") {
		t.Errorf("%s is not testdata/raadsinformatiebrief-2024-demo.html: %v", html, err)
	}

	// Issued twice: two documents, each with its id and checksum.
	issued := regexp.MustCompile(`(?m)^issued (\S+)\nsha256 ([0-9a-f]{64})$`)
	var ids []string
	for range 2 {
		stdout, stderr, err := report("council-letter", "--programme", "2024", "--format", "md", "--as-of", "2024-02-06", "--issue",
			"--out", filepath.Join(t.TempDir(), "brief.md"))
		m := issued.FindStringSubmatch(stdout)
		if err != nil || m == nil {
			t.Fatalf("--issue: %v %q %q", err, stdout, stderr)
		}
		ids = append(ids, m[1])
	}
	if ids[0] == ids[1] {
		t.Errorf("issuing twice gave one id %s", ids[0])
	}
	db, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sys := baken.WithActor(ctx, baken.System("test"))
	first, err := db.FindIssuedDocument(sys, ids[0])
	db.Close()
	if err != nil || string(first.Body) != golden("raadsinformatiebrief-2024-demo.md") || first.IssuedBy != "system:report" {
		t.Errorf("the first issued letter: %+v, %v", first, err)
	}
	// Issued to stdout: the document stays clean, the id goes to stderr.
	stdout, stderr, err = report("progress", "--programme", "2024", "--format", "md", "--as-of", "2025-03-01", "--issue")
	if err != nil || !issued.MatchString(stderr) || stdout != golden("voortgang-2024-demo.md") {
		t.Errorf("progress --issue to stdout: %v, stderr %q", err, stderr)
	}

	// The progress workbook, to a file; today as reference date.
	xlsx := filepath.Join(t.TempDir(), "voortgang.xlsx")
	if _, stderr, err := report("progress", "--programme", "2024", "--format", "xlsx", "--out", xlsx); err != nil {
		t.Fatalf("progress xlsx: %v %s", err, stderr)
	}
	if b, err := os.ReadFile(xlsx); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("%s is not a workbook: %v", xlsx, err)
	}

	// The paged formats, to files.
	for _, f := range []struct{ format, magic string }{{"pdf", "%PDF-"}, {"docx", "PK"}} {
		file := filepath.Join(t.TempDir(), "brief."+f.format)
		if _, stderr, err := report("council-letter", "--programme", "2024", "--format", f.format, "--as-of", "2024-02-06", "--out", file); err != nil {
			t.Fatalf("council-letter %s: %v %s", f.format, err, stderr)
		}
		if b, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(b, []byte(f.magic)) {
			t.Errorf("%s does not start with %q: %v", file, f.magic, err)
		}
	}

	// Mistakes name the flag.
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	for _, tc := range []struct {
		args  []string
		kind  baken.Kind
		field string
	}{
		{[]string{"council-letter", "--format", "md"}, baken.Invalid, "--programme"},
		{[]string{"council-letter", "--programme", "2024"}, baken.Invalid, "--format"},
		{[]string{"council-letter", "--programme", "2024", "--format", "xlsx"}, baken.Invalid, "--format"},
		{[]string{"progress", "--programme", "2024", "--format", "odt"}, baken.Invalid, "--format"},
		{[]string{"council-letter", "--programme", "2024", "--format", "md", "--as-of", "6-2-2024"}, baken.Invalid, "--as-of"},
		{[]string{"council-letter", "--programme", "2024", "--format", "md", "--as-of", tomorrow}, baken.Invalid, "--as-of"},
		{[]string{"council-letter", "--programme", "2025", "--format", "md"}, baken.NotFound, "year"},
		{[]string{"council-letter", "--programme", "2024", "--format", "md", "--gemeente", "GM0363"}, baken.NotFound, "year"},
	} {
		_, _, err := report(tc.args...)
		if baken.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%v: err = %v, want %s naming %s", tc.args, err, tc.kind, tc.field)
		}
	}
	if _, _, err := report("brief", "--programme", "2024"); err != errUsage {
		t.Errorf("unknown kind: err = %v, want usage", err)
	}
}

// Without --gemeente a store of no or several gemeenten needs one.
func TestReportNeedsGemeente(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	var o, e bytes.Buffer
	err := run(context.Background(), []string{"report", "council-letter", "--programme", "2024", "--format", "md", "--db", path}, noenv, nil, &o, &e)
	if !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), "--gemeente") {
		t.Errorf("empty store: err = %v, want invalid naming --gemeente", err)
	}
}
