package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
)

func TestPreview(t *testing.T) {
	p, err := Preview("testdata/politie.csv", "politie", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{FieldSourceID, FieldDate, FieldTime, FieldCategory, FieldX, FieldY, FieldDescription}
	if diff := cmp.Diff(want, p.Guess); diff != "" {
		t.Errorf("guess mismatch (-want +got):\n%s", diff)
	}
	if len(p.Rows) != 2 || p.Rows[0][0] != "PL1300-2024001" || p.Delimiter != ',' || len(p.Header) != 7 {
		t.Errorf("preview = %+v", p)
	}
	if _, err := Preview("testdata/politie.csv", "nope", 2); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("unknown profile: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "x.xlsx")
	if err := os.WriteFile(bin, []byte("PK\x03\x04\x00\x00binary"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Preview(bin, "generic", 2); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("binary file: %v", err)
	}
	// A stray quote in a data line is a message with its line, not a panic.
	quote := filepath.Join(t.TempDir(), "q.csv")
	if err := os.WriteFile(quote, []byte("datum,categorie\n2024-03-01,zwerfvuil\nx\"y,z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Preview(quote, "generic", 5); !baken.IsKind(err, baken.Invalid) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("stray quote: %v, want invalid naming line 3", err)
	}
}
