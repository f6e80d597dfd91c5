package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// rejectWriter writes invalid rows, with where and why, to a CSV file beside the input.
// The file is made at the first invalid row; a run without any removes the file an
// earlier run left, so that what lies there always belongs to the last run.
type rejectWriter struct {
	path   string
	header []string
	f      *os.File
	w      *csv.Writer
	n      int
	err    error
}

// rejectPath returns NAME.rejects.csv beside the input (without .gz), or in the working
// folder when the input's folder is not writable.
func defaultRejectPath(input string) string {
	base := strings.TrimSuffix(filepath.Base(input), ".gz")
	base = strings.TrimSuffix(base, filepath.Ext(base)) + ".rejects.csv"
	dir := filepath.Dir(input)
	probe, err := os.CreateTemp(dir, ".baken-probe-*")
	if err != nil {
		return base // not writable (for example shared, read-only data): the working folder
	}
	probe.Close()
	os.Remove(probe.Name())
	return filepath.Join(dir, base)
}

func newRejectWriter(input, path string, header []string) (*rejectWriter, error) {
	if path == "" {
		path = defaultRejectPath(input)
	}
	return &rejectWriter{path: path, header: header}, nil
}

func (r *rejectWriter) write(rej reject) {
	if r.err != nil {
		return
	}
	if r.f == nil {
		// The rows may hold personal data (addresses, descriptions): owner only, like exports.
		r.f, r.err = os.OpenFile(r.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if r.err == nil {
			r.err = r.f.Chmod(0o600)
		}
		if r.err != nil {
			r.err = fmt.Errorf("reject file: %w", r.err)
			return
		}
		r.w = csv.NewWriter(r.f)
		r.err = r.w.Write(append([]string{"line", "column", "field", "reason"}, r.header...))
	}
	col := ""
	if rej.column > 0 {
		col = strconv.Itoa(rej.column)
	}
	if err := r.w.Write(append([]string{strconv.Itoa(rej.line), col, rej.field, rej.reason}, rej.record...)); err != nil {
		r.err = fmt.Errorf("reject file: %w", err)
	}
	r.n++
}

// close finishes the file. Without rejects it removes a stale file and clears path.
func (r *rejectWriter) close() error {
	if r.f == nil {
		if r.n == 0 && r.path != "" {
			if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove old reject file: %w", err)
			}
			r.path = ""
		}
		return r.err
	}
	r.w.Flush()
	err := errors.Join(r.err, r.w.Error(), r.f.Close())
	r.f = nil
	return err
}
