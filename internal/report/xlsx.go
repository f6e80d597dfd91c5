package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the progress workbook.
const (
	SheetObjectives = "Doelstellingen"
	SheetActions    = "Acties"
	SheetValues     = "Indicatorwaarden"
	SheetAbout      = "Toelichting"
)

// xlsxColumn is a column: its header and width in characters.
type xlsxColumn struct {
	Header string
	Width  float64
}

var (
	objectiveColumns = [...]xlsxColumn{
		{"Nr", 5}, {"Doelstelling", 48}, {"Soort", 20}, {"Prioriteiten", 40}, {"Indicator", 32},
		{"Eenheid", 14}, {"Gewenste richting", 12}, {"Nulmeting jaar", 10}, {"Nulmeting", 11},
		{"Streefwaarde jaar", 10}, {"Streefwaarde", 12}, {"Actueel jaar", 10}, {"Actueel", 11},
		{"Actueel voorlopig", 10}, {"Oordeel", 14}, {"Toelichting oordeel", 48},
		{"Acties", 8}, {"Acties afgerond", 10},
	}
	actionColumns = [...]xlsxColumn{
		{"Nr doelstelling", 8}, {"Doelstelling", 40}, {"Actie", 48}, {"Eigenaar", 24}, {"Partners", 32},
		{"Status", 12}, {"RAG", 8}, {"Doorgeschoven uit vorig jaar", 12}, {"Toelichting", 48},
	}
	valueColumns = [...]xlsxColumn{
		{"Code", 18}, {"Indicator", 40}, {"Eenheid", 16}, {"Gebied", 20}, {"Jaar", 8}, {"Waarde", 11},
		{"Voorlopig", 10}, {"Definitie", 48}, {"Bron", 40}, {"Kanttekening", 48},
	}
)

// writeProgressXLSX writes the progress report as a workbook: a sheet of objectives,
// one of actions, one of indicator values and one that says what the workbook is.
// Values are numbers, except small counts, which are the text "<5" as in every other
// format.
func writeProgressXLSX(b *bytes.Buffer, p Progress) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetObjectives); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for _, name := range []string{SheetActions, SheetValues, SheetAbout} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx: add sheet %s: %w", name, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return fmt.Errorf("xlsx: header style: %w", err)
	}

	indicators := make(map[string]Indicator, len(p.Indicators))
	for _, ind := range p.Indicators {
		indicators[ind.Code] = ind
	}

	var objectives, actions [][]any
	for _, o := range p.Objectives {
		ind, ok := indicators[o.Indicator]
		count := ok && ind.Count
		unit := o.Unit
		if unit == "" {
			unit = ind.Unit
		}
		done := 0
		for _, a := range o.Actions {
			if a.Status == "afgerond" {
				done++
			}
			actions = append(actions, []any{
				o.Number, o.Title, a.Title, a.OwnerTeam, strings.Join(a.Partners, ", "),
				a.Status, a.RAG, yesNo(a.Carried), a.Notes,
			})
		}
		row := []any{o.Number, o.Title, kindText(o.Kind), strings.Join(o.Priorities, "; "), ind.Name,
			unit, directionText(o.Direction)}
		row = append(row, xlsxYearValue(o.Baseline, count)...)
		row = append(row, xlsxYearValue(o.Target, false)...)
		row = append(row, xlsxYearValue(o.Actual, count)...)
		provisional := ""
		if o.Actual != nil {
			provisional = yesNo(o.Actual.Provisional)
		}
		row = append(row, provisional, judgementText(o.Judgement), o.Reason, len(o.Actions), done)
		objectives = append(objectives, row)
	}
	var values [][]any
	for _, ind := range p.Indicators {
		for _, v := range ind.Values {
			values = append(values, []any{ind.Code, ind.Name, ind.Unit, ind.AreaName, v.Period,
				xlsxValue(v.Value, ind.Count), yesNo(v.Provisional), ind.Definition, ind.Source, ind.Caveat})
		}
	}

	for _, s := range []struct {
		name string
		cols []xlsxColumn
		rows [][]any
	}{
		{SheetObjectives, objectiveColumns[:], objectives},
		{SheetActions, actionColumns[:], actions},
		{SheetValues, valueColumns[:], values},
	} {
		if err := xlsxSheet(f, s.name, s.cols, s.rows, bold); err != nil {
			return err
		}
	}
	if err := xlsxAbout(f, p, bold); err != nil {
		return err
	}

	date := p.AsOf.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: p.Title, Creator: "Gemeente " + p.GemeenteName, Created: date, Modified: date, Language: "nl-NL",
	}); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(b); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// xlsxSheet fills a sheet: a frozen, filterable header row and the rows below it.
func xlsxSheet(f *excelize.File, sheet string, cols []xlsxColumn, rows [][]any, headerStyle int) error {
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Header
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return fmt.Errorf("xlsx: %s: %w", sheet, err)
		}
		if err := f.SetColWidth(sheet, name, name, c.Width); err != nil {
			return fmt.Errorf("xlsx: %s: column width: %w", sheet, err)
		}
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return fmt.Errorf("xlsx: %s: header: %w", sheet, err)
	}
	last, err := excelize.CoordinatesToCellName(len(cols), 1)
	if err != nil {
		return fmt.Errorf("xlsx: %s: %w", sheet, err)
	}
	if err := f.SetCellStyle(sheet, "A1", last, headerStyle); err != nil {
		return fmt.Errorf("xlsx: %s: header style: %w", sheet, err)
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return fmt.Errorf("xlsx: %s: %w", sheet, err)
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return fmt.Errorf("xlsx: %s: row %d: %w", sheet, i+2, err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fmt.Errorf("xlsx: %s: freeze header: %w", sheet, err)
	}
	end, err := excelize.CoordinatesToCellName(len(cols), max(len(rows)+1, 2))
	if err != nil {
		return fmt.Errorf("xlsx: %s: %w", sheet, err)
	}
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return fmt.Errorf("xlsx: %s: filter: %w", sheet, err)
	}
	return nil
}

// xlsxAbout writes the explanation sheet: what the workbook is, its reference date, the
// share of actions done and the remarks.
func xlsxAbout(f *excelize.File, p Progress, labelStyle int) error {
	rows := [][2]any{
		{"Rapport", p.Title},
		{"Gemeente", p.GemeenteName},
		{"Stand op", formatDate(p.AsOf)},
		{"Acties afgerond", strconv.Itoa(p.ActionsDone) + " van " + strconv.Itoa(p.ActionsTotal) +
			" (" + formatShare(p.ActionsDone, p.ActionsTotal) + ")"},
		{"Kleine aantallen", suppressedNote},
	}
	for _, n := range p.Notes {
		rows = append(rows, [2]any{"Opmerking", n})
	}
	if err := f.SetColWidth(SheetAbout, "A", "A", 20); err != nil {
		return fmt.Errorf("xlsx: %s: column width: %w", SheetAbout, err)
	}
	if err := f.SetColWidth(SheetAbout, "B", "B", 90); err != nil {
		return fmt.Errorf("xlsx: %s: column width: %w", SheetAbout, err)
	}
	for i, r := range rows {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetSheetRow(SheetAbout, cell, &[]any{r[0], r[1]}); err != nil {
			return fmt.Errorf("xlsx: %s: row %d: %w", SheetAbout, i+1, err)
		}
		if err := f.SetCellStyle(SheetAbout, cell, cell, labelStyle); err != nil {
			return fmt.Errorf("xlsx: %s: style: %w", SheetAbout, err)
		}
	}
	return nil
}

// xlsxValue is a value for a cell: a number, or the text "<5" for a small count.
func xlsxValue(v float64, count bool) any {
	if suppressed(v, count) {
		return suppressedText
	}
	return v
}

// xlsxYearValue is a year and a value as two cells, both empty when unknown.
func xlsxYearValue(yv *YearValue, count bool) []any {
	if yv == nil {
		return []any{nil, nil}
	}
	return []any{yv.Year, xlsxValue(yv.Value, count)}
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}
