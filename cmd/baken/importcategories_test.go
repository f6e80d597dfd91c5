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

// A municipality adds a category of its own; registrations can use it at once, and a
// conflicting redefinition of a shipped code is refused with the code named.
func TestImportCategoriesExtension(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "baken.db")
	ext := filepath.Join(dir, "diemen.json")
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(ext, `{"version": "diemen-1", "fields": [], "themes": [], "groups": [], "categories": [
		{"code": "overlast-scooters", "theme": "1.1", "name": {"nl": "Overlast door scooters", "en": "Nuisance by scooters"}, "scheme": "own"}]}`)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "categories", "--db", db, ext}, noenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("import categories: %v", err)
	}
	rows := filepath.Join(dir, "rows.csv")
	write(rows, "datum,categorie,lat,lon\n2024-03-01,Overlast door scooters,52.3391,4.9612\n")
	if err := run(context.Background(), []string{"import", "registrations", "--db", db, "--source", "meldingen", rows}, noenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("import registrations: %v", err)
	}
	if !strings.Contains(out.String(), "1 stored") {
		t.Errorf("the new category was not usable:\n%s", out.String())
	}
	bad := filepath.Join(dir, "bad.json")
	write(bad, `{"version": "diemen-2", "fields": [], "themes": [], "groups": [], "categories": [
		{"code": "woninginbraak", "theme": "1.1", "name": {"nl": "Iets anders", "en": "Something else"}, "scheme": "own"}]}`)
	err := run(context.Background(), []string{"import", "categories", "--db", db, bad}, noenv, nil, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "woninginbraak") {
		t.Errorf("redefining a shipped category: err = %v, want a message naming woninginbraak", err)
	}
}
