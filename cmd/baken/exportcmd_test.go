package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baken/internal/baken"
)

func TestExportRegistrations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "baken.db")
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "importer", "testdata", "politie.csv"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "politie.csv")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"import", "registrations", "--profile", "politie", "--db", db, in}, noenv, nil, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	export := func(args ...string) (stdout, stderr string, err error) {
		var o, e bytes.Buffer
		err = runExport(ctx, env{getenv: noenv, stdout: &o, stderr: &e}, append([]string{"registrations", "--db", db}, args...))
		return o.String(), e.String(), err
	}
	rows := func(csvText string) int {
		recs, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
		if err != nil {
			t.Fatalf("read export: %v", err)
		}
		return len(recs) - 1
	}

	// To a file, then back in: nothing changes.
	file := filepath.Join(dir, "export.csv")
	stdout, _, err := export("--source", "politie", "--output", file)
	if err != nil || !strings.Contains(stdout, "4 registrations exported") {
		t.Fatalf("export: %v %q", err, stdout)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("export file: %v, mode %v; want owner-only", err, st.Mode())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "registrations", "--source", "politie", "--db", db, file}, noenv, nil, &out, &out); err != nil {
		t.Fatalf("re-import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 stored, 0 updated, 4 unchanged") {
		t.Errorf("re-import: %s", out.String())
	}

	// Filters, to stdout, the summary on stderr.
	for _, c := range []struct {
		args []string
		want int
	}{
		{nil, 4},
		{[]string{"--theme", "1.3"}, 2},
		{[]string{"--category", "overlast-jeugd,verward-gedrag"}, 2},
		{[]string{"--category", "overlast-jeugd", "--theme", "1.3"}, 3},
		{[]string{"--from", "2024-01-16", "--to", "2024-01-16"}, 2},
		{[]string{"--source", "boa"}, 0},
	} {
		stdout, stderr, err := export(c.args...)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if got := rows(stdout); got != c.want {
			t.Errorf("%v: %d rows, want %d", c.args, got, c.want)
		}
		if !strings.Contains(stderr, "registrations exported") {
			t.Errorf("%v: no summary on stderr: %q", c.args, stderr)
		}
	}
	stdout, _, err = export("--no-personal")
	if err != nil || strings.Contains(strings.SplitN(stdout, "\n", 2)[0], "description") {
		t.Errorf("--no-personal: %v, header %q", err, strings.SplitN(stdout, "\n", 2)[0])
	}

	// Excel to a redirected stdout.
	stdout, _, err = export("--format", "xlsx")
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	x, err := excelize.OpenReader(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	if got := x.GetSheetList(); len(got) != 2 || got[0] != "Registraties" {
		t.Errorf("sheets %v", got)
	}
	x.Close()

	for _, args := range [][]string{
		{"--format", "pdf"},
		{"--from", "2024-13-01"},
		{"--from", "2024-02-01", "--to", "2024-01-01"},
		{"--theme", "9.9"},
		{"--category", "vliegende-schotels"},
		{"--buurt", "WK038401"},
	} {
		if _, _, err := export(args...); baken.KindOf(err) != baken.Invalid {
			t.Errorf("%v: err = %v, want Invalid", args, err)
		}
	}
}
