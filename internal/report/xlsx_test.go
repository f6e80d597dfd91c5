package report

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestXLSXProgress(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(render(t, diemenProgress(t), XLSX)))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()

	if diff := cmp.Diff([]string{"Doelstellingen", "Acties", "Indicatorwaarden", "Toelichting"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets mismatch (-want +got):\n%s", diff)
	}

	rows := func(sheet string) [][]string {
		t.Helper()
		r, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("read %s: %v", sheet, err)
		}
		return r
	}
	objectives, actions, values := rows("Doelstellingen"), rows("Acties"), rows("Indicatorwaarden")
	for _, tc := range []struct {
		sheet  string
		rows   [][]string
		header []string
		n      int
	}{
		{"Doelstellingen", objectives, []string{"Nr", "Doelstelling", "Soort", "Prioriteiten", "Indicator", "Eenheid", "Gewenste richting",
			"Nulmeting jaar", "Nulmeting", "Streefwaarde jaar", "Streefwaarde", "Actueel jaar", "Actueel", "Actueel voorlopig",
			"Oordeel", "Toelichting oordeel", "Acties", "Acties afgerond"}, 4},
		{"Acties", actions, []string{"Nr doelstelling", "Doelstelling", "Actie", "Eigenaar", "Partners", "Status", "RAG",
			"Doorgeschoven uit vorig jaar", "Toelichting"}, 15},
		{"Indicatorwaarden", values, []string{"Code", "Indicator", "Eenheid", "Gebied", "Jaar", "Waarde", "Voorlopig",
			"Definitie", "Bron", "Kanttekening"}, 9},
	} {
		if len(tc.rows) == 0 {
			t.Errorf("%s is empty", tc.sheet)
			continue
		}
		if diff := cmp.Diff(tc.header, tc.rows[0]); diff != "" {
			t.Errorf("%s header mismatch (-want +got):\n%s", tc.sheet, diff)
		}
		if got := len(tc.rows) - 1; got != tc.n {
			t.Errorf("%s has %d rows, want %d", tc.sheet, got, tc.n)
		}
		panes, err := f.GetPanes(tc.sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v, %v", tc.sheet, panes, err)
		}
	}

	// Figures are numbers a policy adviser can compute with; a small count is "<5".
	cell := func(sheet, ref string) (string, excelize.CellType) {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		typ, err := f.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v, typ
	}
	for _, tc := range []struct {
		sheet, ref, want string
		number           bool
	}{
		{"Indicatorwaarden", "E2", "2020", true},
		{"Indicatorwaarden", "F2", "258", true},
		{"Indicatorwaarden", "F5", "98", true},
		{"Indicatorwaarden", "G5", "ja", false},
		{"Indicatorwaarden", "F7", "<5", false}, // closures 2022: 3
		{"Indicatorwaarden", "F6", "0", true},   // closures 2021: 0 is published
		{"Indicatorwaarden", "F9", "21.8", true},
		{"Doelstellingen", "I3", "<5", false}, // baseline of objective 2
		{"Doelstellingen", "K3", "4", true},   // its target is not suppressed
		{"Doelstellingen", "M3", "7", true},
		{"Doelstellingen", "O4", "niet op koers", false},
		{"Doelstellingen", "Q2", "4", true},
		{"Doelstellingen", "R2", "2", true},
		{"Acties", "H5", "ja", false}, // carried over
	} {
		v, typ := cell(tc.sheet, tc.ref)
		if v != tc.want {
			t.Errorf("%s!%s = %q, want %q", tc.sheet, tc.ref, v, tc.want)
		}
		if isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && v != ""; isNumber != tc.number {
			t.Errorf("%s!%s is of type %v, want a number: %v", tc.sheet, tc.ref, typ, tc.number)
		}
	}

	about := rows("Toelichting")
	want := map[string]string{"Stand op": "30 september 2024", "Acties afgerond": "7 van 15 (47%)"}
	for _, r := range about {
		if len(r) == 2 && want[r[0]] != "" {
			if r[1] != want[r[0]] {
				t.Errorf("Toelichting %s = %q, want %q", r[0], r[1], want[r[0]])
			}
			delete(want, r[0])
		}
	}
	if len(want) > 0 {
		t.Errorf("Toelichting lacks %v", want)
	}
}
