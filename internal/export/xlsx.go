package export

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"baken/internal/baken"
)

// Sheet names of the workbook.
const (
	SheetRegistrations = "Registraties"
	SheetExplanation   = "Toelichting"
)

// GeneratedWarning is the explanation sheet's note when any row is demo data.
const GeneratedWarning = "gegenereerde demodata, geen echte registraties"

// XLSX writes the rows as an Excel workbook to w. The sheet Registraties has the columns
// of the CSV, always with the id column, and occurred_at and reported_at as Excel
// date-times in opts.Location (formatted to the precision), each followed by a text
// column (occurred_at_text, reported_at_text) with the exact RFC 3339 text; coordinates
// and area_year are numbers. The sheet Toelichting says what the file is, the
// selection, the time of export, the number of rows and, when any row was generated,
// that those rows are demo data. The workbook is for reading, not for re-import: use the
// CSV for that.
//
// The rows are streamed to a temporary file (excelize's StreamWriter); nothing is
// written to w until they are all in, so a failure leaves w untouched. Excel holds at
// most 1,048,575 rows below the header; more is an Invalid error.
func XLSX(w io.Writer, rows Rows, opts Options) (Summary, error) {
	var sum Summary
	opts, err := opts.withDefaults()
	if err != nil {
		return sum, err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetRegistrations); err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.NewSheet(SheetExplanation); err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return sum, err
	}
	sw, err := f.NewStreamWriter(SheetRegistrations)
	if err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	cols := columns(true, opts.IncludePersonal, true)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(c)); err != nil {
			return sum, fmt.Errorf("xlsx: %w", err)
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	line := 1
	vals := make([]any, 0, len(cols))
	err = rows(func(r *baken.Registration) error {
		line++
		if line > excelize.TotalRows {
			return baken.Errorf(baken.Invalid, "rows", "more than %d registrations do not fit in an Excel sheet: narrow the selection or export CSV", excelize.TotalRows-1)
		}
		vals = xlsxRow(vals[:0], r, opts, st)
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("xlsx: row %d: %w", line, err)
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
	if err := sw.Flush(); err != nil {
		return sum, fmt.Errorf("xlsx: %w", err)
	}
	if err := explain(f, st, opts, sum); err != nil {
		return sum, err
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return sum, fmt.Errorf("write xlsx: %w", err)
	}
	return sum, nil
}

type styles struct {
	bold, minute, day, month int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	format := func(s string) *string { return &s }
	st.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true}})
	st.minute = mk(&excelize.Style{CustomNumFmt: format("yyyy-mm-dd hh:mm")})
	st.day = mk(&excelize.Style{CustomNumFmt: format("yyyy-mm-dd")})
	st.month = mk(&excelize.Style{CustomNumFmt: format("yyyy-mm")})
	if err != nil {
		return st, fmt.Errorf("xlsx style: %w", err)
	}
	return st, nil
}

func columnWidth(c string) float64 {
	switch c {
	case colOccurredAt, colReportedAt, colCategory:
		return 18
	case colOccurredAtText, colReportedAtText, colAddress, colRegistrationID:
		return 28
	case colDescription:
		return 50
	case colID, colBAGID, colBuurt, colLat, colLon:
		return 14
	}
	return 10
}

// excelTime is a registration's time as Excel shows it: the wall clock in loc, with a
// style for its precision. Day and month are the local day the registration counts on.
func excelTime(r *baken.Registration, loc *time.Location, st styles) excelize.Cell {
	if r.Precision == baken.PrecisionMinute {
		t := r.OccurredAt.In(loc)
		return excelize.Cell{StyleID: st.minute, Value: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)}
	}
	d, err := time.Parse(time.DateOnly, r.LocalDay)
	if err != nil {
		return excelize.Cell{Value: r.LocalDay}
	}
	if r.Precision == baken.PrecisionDay {
		return excelize.Cell{StyleID: st.day, Value: d}
	}
	return excelize.Cell{StyleID: st.month, Value: d}
}

func xlsxRow(vals []any, r *baken.Registration, opts Options, st styles) []any {
	text, _ := occurredText(r, opts.Location)
	num := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	vals = append(vals, r.SourceID, excelTime(r, opts.Location, st), text, string(r.Precision), r.Category,
		num(r.Lat), num(r.Lon), num(r.X), num(r.Y), r.Gemeente, r.Wijk, r.Buurt)
	if opts.IncludePersonal {
		vals = append(vals, r.Address, r.BAGID, r.Description)
	}
	if r.ReportedAt != nil {
		t := r.ReportedAt.In(opts.Location)
		vals = append(vals, excelize.Cell{StyleID: st.minute, Value: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)},
			timeText(r.ReportedAt, opts.Location))
	} else {
		vals = append(vals, nil, nil)
	}
	var area any
	if r.AreaYear != 0 {
		area = r.AreaYear
	}
	return append(vals, r.Source, yesNo(r.Generated), area, string(r.ID))
}

// explain fills the explanation sheet.
func explain(f *excelize.File, st styles, opts Options, sum Summary) error {
	now := opts.Now.In(opts.Location)
	selection := "alle registraties"
	if len(opts.Selection) > 0 {
		selection = opts.Selection[0]
	}
	personal := "opgenomen: adres (address), BAG-id (bag_id) en omschrijving (description); behandel dit bestand als vertrouwelijk"
	if !opts.IncludePersonal {
		personal = "weggelaten (geen adres, BAG-id of omschrijving)"
	}
	lines := [][2]any{
		{"Registraties uit Baken", nil},
		{"Wat", "Export van registraties (incidenten en meldingen) uit Baken, het informatiesysteem voor integrale veiligheid."},
		{"Selectie", selection},
	}
	for _, s := range opts.Selection[min(1, len(opts.Selection)):] {
		lines = append(lines, [2]any{nil, s})
	}
	lines = append(lines,
		[2]any{"Geëxporteerd op", now.Format("2006-01-02 15:04:05 (MST)")},
		[2]any{"Aantal registraties", sum.Rows},
		[2]any{"Persoonsgegevens", personal},
	)
	if sum.Generated > 0 {
		lines = append(lines, [2]any{"Let op", fmt.Sprintf("%d van de %d registraties zijn %s (kolom generated = ja).", sum.Generated, sum.Rows, GeneratedWarning)})
	}
	lines = append(lines,
		[2]any{"Tijden", fmt.Sprintf("occurred_at en reported_at zijn datum/tijd in %s, afgerond op de precisie (minute, day, month); occurred_at_text en reported_at_text geven de exacte tijd met UTC-verschil (RFC 3339).", opts.Location)},
		[2]any{"Locatie", "lat/lon in WGS84 (graden), x/y in RD New (meter); gemeente, wijk en buurt zijn CBS-codes, area_year het jaar van de gebiedsindeling waarmee ze bepaald zijn."},
		[2]any{"Opnieuw importeren", "Dit Excel-bestand is om te lezen, niet om opnieuw te importeren: gebruik daarvoor de CSV-export (baken export registrations --format csv)."},
	)
	for i, l := range lines {
		row := i + 1
		for j, v := range l {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, row)
			if err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
			if err := f.SetCellValue(SheetExplanation, cell, v); err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
			if j == 0 || row == 1 {
				if err := f.SetCellStyle(SheetExplanation, cell, cell, st.bold); err != nil {
					return fmt.Errorf("xlsx: %w", err)
				}
			}
		}
	}
	if err := f.SetColWidth(SheetExplanation, "A", "A", 22); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.SetColWidth(SheetExplanation, "B", "B", 110); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
