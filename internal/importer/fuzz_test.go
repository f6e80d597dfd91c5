package importer_test

import (
	"os"
	"path/filepath"
	"testing"

	"baken/internal/importer"
	"baken/internal/reference"
)

// FuzzImportCSV feeds arbitrary files to the registrations import (a dry run without a
// store, so that the fuzzer exercises the reader, not SQLite): it must never panic, and every data row it reads is either accepted or rejected with a reason.
func FuzzImportCSV(f *testing.F) {
	for _, name := range []string{"generic_nl.csv", "bad.csv", "politie.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("datum;categorie;lat;lon\n01-03-2024;zwerfvuil;52,34;4,96\n"))
	f.Add([]byte("\xef\xbb\xbfdate,category,x,y\n2024-03-01,zwerfvuil,127500,484200\n\"unterminated"))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	dir := f.TempDir()
	tree, err := reference.Categories()
	if err != nil {
		f.Fatal(err)
	}
	cat, err := importer.NewCategorizer(tree, "", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := importer.New(nil, nil).Registrations(sys(), path, importer.Options{
			Source: "fuzz", DryRun: true, Categories: cat, RejectPath: filepath.Join(dir, "rejects.csv")})
		if err == nil && s.Read < s.Rejected {
			t.Errorf("read %d rows but rejected %d", s.Read, s.Rejected)
		}
		if s.Stored != 0 {
			t.Errorf("dry run stored %d rows", s.Stored)
		}
	})
}
