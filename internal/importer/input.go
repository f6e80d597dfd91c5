package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

// Input is an opened input file: decompressed when gzipped, BOM removed.
type Input struct {
	Name string
	r    *bufio.Reader
	c    []io.Closer
}

// Open opens a file for reading, transparently gunzipping it (detected by its magic
// bytes, not its name).
func Open(path string) (*Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	in, err := NewInput(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	in.c = append(in.c, f)
	return in, nil
}

// NewInput wraps r (plain or gzip) as an Input named name.
func NewInput(r io.Reader, name string) (*Input, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	in := &Input{Name: name, r: br}
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		in.c = append(in.c, zr)
		in.r = bufio.NewReaderSize(zr, 1<<16)
	}
	if bom, _ := in.r.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		in.r.Discard(3)
	}
	return in, nil
}

// Read implements io.Reader.
func (in *Input) Read(p []byte) (int, error) { return in.r.Read(p) }

// Close closes the file.
func (in *Input) Close() error {
	var first error
	for i := len(in.c) - 1; i >= 0; i-- {
		if err := in.c[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// sniffDelimiter returns ';' when the first line has more semicolons than commas (Dutch
// spreadsheets), else ','. Delimiters inside quotes are not counted.
func (in *Input) sniffDelimiter() rune {
	line, _ := in.r.Peek(in.r.Size())
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	var commas, semis int
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			commas++
		case c == ';' && !quoted:
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// CSV returns a CSV reader over the input with the delimiter sniffed from the header.
// Rows may have differing field counts: the caller checks them, so that the message can
// name the line.
func (in *Input) CSV() *csv.Reader {
	cr := csv.NewReader(in)
	cr.Comma = in.sniffDelimiter()
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}
