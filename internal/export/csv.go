package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"baken/internal/baken"
)

// CSV writes the rows as CSV: UTF-8 without a byte order mark, comma-separated, quoted
// as RFC 4180 says, lines ended by a line feed (so that a carriage return in a
// description comes back unchanged). The columns are, in this order:
//
//	id                source's own id; left out when any row has none (see below)
//	occurred_at       2024-03-01T21:30:00+01:00 (minute), 2024-03-02 (day), 2024-03 (month)
//	precision         minute, day or month (informative: occurred_at carries it)
//	category          category code
//	lat, lon          WGS84; empty when they were derived from x/y (see below)
//	x, y              RD New
//	gemeente, wijk, buurt   CBS codes
//	address, bag_id, description   personal data; only with IncludePersonal
//	reported_at       date-time with offset, or empty
//	source, generated (ja/nee), area_year, registration_id   informative
//
// Importing the file with the generic profile and the same source name gives back the
// same registrations: the importer keys a row by its source id, or else by a hash of
// the fields it parsed plus the occurrence number of identical rows; since every field
// is written so that it parses to the value stored (times with their offset, numbers in
// full precision, dates for dates), the keys and hashes come out the same. Two things
// follow from how the importer reads a file:
//   - it rejects a row with an empty id when the file has an id column, so the id column
//     is there only when every row has an id. CSV therefore reads the rows twice: once
//     to find out (stopping at the first row without an id), once to write them.
//   - it derives x/y from lon/lat, and lon/lat from x/y only when lon/lat are empty.
//     Where lon/lat were derived from x/y and do not give them back to the centimetre,
//     lon/lat are left empty.
//
// Rows that cannot come back exactly (a file mixing rows with and without an id, times
// read in another zone, personal data left out) are written all the same and counted
// in the summary.
func CSV(w io.Writer, rows Rows, opts Options) (Summary, error) {
	var sum Summary
	opts, err := opts.withDefaults()
	if err != nil {
		return sum, err
	}
	withID, err := allHaveSourceID(rows)
	if err != nil {
		return sum, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(columns(withID, opts.IncludePersonal, false)); err != nil {
		return sum, fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, 0, 20)
	err = rows(func(r *baken.Registration) error {
		rec = csvRecord(rec[:0], r, withID, opts, &sum)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		sum.Rows++
		if r.Generated {
			sum.Generated++
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return sum, fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("write csv: %w", err)
	}
	return sum, nil
}

func csvRecord(rec []string, r *baken.Registration, withID bool, opts Options, sum *Summary) []string {
	why := ""
	note := func(s string) {
		if why == "" {
			why = s
		}
	}
	if withID {
		rec = append(rec, r.SourceID)
		if r.SourceID == "" {
			note("it has no id, but the file has an id column")
		}
	} else if r.SourceID != "" {
		note("it has an id, but other rows have none, so the file has no id column")
	}
	occurred, inexact := occurredText(r, opts.Location)
	note(inexact)
	lon, lat, x, y, inexact := coordinates(r)
	note(inexact)
	note(areaInexact(r))
	rec = append(rec, occurred, string(r.Precision), r.Category, lat, lon, x, y, r.Gemeente, r.Wijk, r.Buurt)
	if opts.IncludePersonal {
		rec = append(rec, r.Address, r.BAGID, r.Description)
	} else if r.Address != "" || r.BAGID != "" || r.Description != "" {
		note("its personal data are left out")
	}
	area := ""
	if r.AreaYear != 0 {
		area = fmt.Sprint(r.AreaYear)
	}
	rec = append(rec, timeText(r.ReportedAt, opts.Location), r.Source, yesNo(r.Generated), area, string(r.ID))
	if why != "" {
		sum.inexact(r, why)
	}
	return rec
}
