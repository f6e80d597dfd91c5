package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormatDate(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 2, 6, 0, 0, 0, 0, time.UTC), "6 februari 2024"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "1 januari 2024"},
		{time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC), "31 december 2023"},
		// The day is the day in the time's own location.
		{time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC).In(ams), "1 januari 2024"},
		{time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "15 maart 2024"},
		{time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), "2 mei 2024"},
		{time.Time{}, "onbekende datum"},
	} {
		if got := formatDate(tc.in); got != tc.want {
			t.Errorf("formatDate(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 0, "0"},
		{98, 0, "98"},
		{999, 0, "999"},
		{1234, 0, "1.234"},
		{1234567, 0, "1.234.567"},
		{12.5, 1, "12,5"},
		{12, 1, "12,0"},
		{1234.5, 1, "1.234,5"},
		{0.25, 2, "0,25"},
		{2.346, 2, "2,35"},
		{-1234, 0, "-1.234"},
		{-0.04, 1, "0,0"}, // no minus sign on a value that rounds to zero
		{5.0, 9, "5,00"},  // at most two decimals
	} {
		if got := formatNumber(tc.v, tc.decimals); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
}

func TestShowValue(t *testing.T) {
	for _, tc := range []struct {
		name        string
		v           float64
		provisional bool
		count       bool
		decimals    int
		want        shown
	}{
		{"zero count stays 0", 0, false, true, 0, shown{Text: "0"}},
		{"count of 1", 1, false, true, 0, shown{Text: "<5", Suppressed: true}},
		{"count of 3", 3, false, true, 0, shown{Text: "<5", Suppressed: true}},
		{"count of 4", 4, false, true, 0, shown{Text: "<5", Suppressed: true}},
		{"count of 5 is published", 5, false, true, 0, shown{Text: "5"}},
		{"provisional count", 98, true, true, 0, shown{Text: "98*", Provisional: true}},
		{"provisional small count", 2, true, true, 0, shown{Text: "<5*", Suppressed: true, Provisional: true}},
		{"large count", 1234, false, true, 0, shown{Text: "1.234"}},
		{"a percentage of 3 is not a count", 3, false, false, 1, shown{Text: "3,0"}},
		{"percentage with decimals", 21.8, false, false, 1, shown{Text: "21,8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := showValue(tc.v, tc.provisional, tc.count, tc.decimals)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("showValue mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecimalsFor(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want int
	}{
		{nil, 0},
		{[]float64{258, 123}, 0},
		{[]float64{21.8, 24}, 1},
		{[]float64{0.25, 1.5}, 2},
		{[]float64{1.0 / 3}, 2},
	} {
		if got := decimalsFor(tc.in...); got != tc.want {
			t.Errorf("decimalsFor(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFormatShare(t *testing.T) {
	for _, tc := range []struct {
		done, total int
		want        string
	}{
		{7, 15, "47%"},
		{0, 15, "0%"},
		{15, 15, "100%"},
		{1, 3, "33%"},
		{2, 3, "67%"},
		{1, 8, "13%"}, // 12,5 rounds up
		{0, 0, "0%"},
	} {
		if got := formatShare(tc.done, tc.total); got != tc.want {
			t.Errorf("formatShare(%d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
}

func TestWithUnit(t *testing.T) {
	for _, tc := range []struct{ text, unit, want string }{
		{"21,8", "%", "21,8%"},
		{"98*", "registraties", "98* registraties"},
		{"5,9", "per 1.000 inwoners", "5,9 per 1.000 inwoners"},
		{"12", "", "12"},
	} {
		if got := withUnit(tc.text, tc.unit); got != tc.want {
			t.Errorf("withUnit(%q, %q) = %q, want %q", tc.text, tc.unit, got, tc.want)
		}
	}
}

func TestTextBlocks(t *testing.T) {
	in := "Eerste alinea,\nover twee regels.\n\n\nTweede alinea:\n• een punt\n- nog een punt\n\nSlot.  "
	want := []block{
		para("Eerste alinea, over twee regels."),
		para("Tweede alinea:"),
		{Kind: blockItem, Text: "een punt"},
		{Kind: blockItem, Text: "nog een punt"},
		para("Slot."),
	}
	if diff := cmp.Diff(want, textBlocks(in)); diff != "" {
		t.Errorf("textBlocks mismatch (-want +got):\n%s", diff)
	}
	if got := textBlocks("  \n\n"); len(got) != 0 {
		t.Errorf("textBlocks of white space = %v, want nothing", got)
	}
}

func TestMarkdownEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Gewoon een zin.", "Gewoon een zin."},
		{"* voorlopig", "\\* voorlopig"},
		{"# geen kop", "\\# geen kop"},
		{"- geen lijst", "\\- geen lijst"},
		{"2024. Een jaar", "2024\\. Een jaar"},
		{"a | b", "a \\| b"},
		{"<5 blijft leesbaar", "<5 blijft leesbaar"},
		{"<script>", "\\<script>"},
		{"AT&T en &amp;", "AT&T en \\&amp;"},
		{"thema_s [link](x)", "thema\\_s \\[link\\](x)"},
	} {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCP1252Safe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"één thema’s – “citaat” € 5", "één thema’s – “citaat” € 5"}, // all in cp1252
		{"258 → 90", "258 -> 90"},
		{"≥ 5 en ≤ 4", ">= 5 en <= 4"},
		{"−3", "-3"},
		{"ĳsbaan", "ijsbaan"},
		{"Łódź", "Lódz"},
		{"☃", "?"},
	} {
		if got := cp1252Safe(tc.in); got != tc.want {
			t.Errorf("cp1252Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
