package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCounts(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "importer", "testdata", "counts", "47022NED_diemen.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "download.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "baken.db")
	var out bytes.Buffer
	e := env{getenv: noenv, stdout: &out, stderr: io.Discard}
	if err := runImportCounts(context.Background(), e, []string{"--db", db, path}); err != nil {
		t.Fatalf("import counts: %v\n%s", err, out.String())
	}
	if err := runImportCounts(context.Background(), e, []string{path, "--db", db}); err != nil {
		t.Fatalf("import counts again: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"(47022NED, misdrijven): 76 rows read, 29 skipped (16 totals, 1 secret or unknown, 12 national), 0 rejected",
		"47 counts stored, 0 replaced, 0 removed, 0 unchanged",
		"0 counts stored, 0 replaced, 0 removed, 47 unchanged",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	err = runImportCounts(context.Background(), e, []string{"--db", db, "--table", "83648NED", path})
	if err == nil || !strings.Contains(err.Error(), "--table") {
		t.Errorf("unknown --table: err = %v", err)
	}
}
