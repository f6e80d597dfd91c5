package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"

	"baken/internal/baken"
)

// PreviewResult is the start of a registrations file as the importer reads it.
type PreviewResult struct {
	Header    []string
	Rows      [][]string // the first data rows, as read
	Delimiter rune
	// Guess is, per column, the field the profile maps it to ("" for none).
	Guess []Field
}

// Preview reads the header and the first n data rows of the CSV file at path (plain or
// gzipped) and guesses, as an import with profile would, which field each column
// carries. A file that is not CSV text, or has no header, is an Invalid error.
func Preview(path, profile string, n int) (PreviewResult, error) {
	prof, ok := Profiles()[cmpOr(profile, "generic")]
	if !ok {
		return PreviewResult{}, baken.Errorf(baken.Invalid, "profile", "unknown profile %q (generic, politie, boa)", profile)
	}
	in, err := Open(path)
	if err != nil {
		return PreviewResult{}, err
	}
	defer in.Close()
	// Binary files (spreadsheets, images) are not CSV: say so rather than show noise.
	if head, _ := in.r.Peek(4096); bytes.IndexByte(head, 0) >= 0 {
		return PreviewResult{}, baken.Errorf(baken.Invalid, path, "not a CSV text file (an Excel file? save it as CSV)")
	}
	cr := in.CSV()
	header, err := cr.Read()
	if err != nil {
		return PreviewResult{}, baken.Errorf(baken.Invalid, path+":1", "no header line: %v", err)
	}
	res := PreviewResult{Header: slices.Clone(header), Delimiter: cr.Comma, Guess: guessFields(header, prof)}
	for len(res.Rows) < n {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// After a parse error the reader has no field positions; the error has the line.
			line := len(res.Rows) + 2
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line = pe.StartLine
			}
			return res, baken.Errorf(baken.Invalid, path, "line %d cannot be read: %v", line, err)
		}
		res.Rows = append(res.Rows, slices.Clone(rec))
	}
	return res, nil
}

// guessFields maps columns to fields as resolveColumns does before --map: the profile's
// names first, then (for the politie and boa profiles) the generic ones.
func guessFields(header []string, prof Profile) []Field {
	guess := make([]Field, len(header))
	taken := map[Field]bool{}
	pass := func(names map[string]Field) {
		for i, h := range header {
			if f, ok := names[normHeader(h)]; ok && guess[i] == "" && !taken[f] {
				guess[i], taken[f] = f, true
			}
		}
	}
	pass(prof.Columns)
	if prof.Name != "generic" {
		pass(genericColumns)
	}
	return guess
}
