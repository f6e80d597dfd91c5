package report

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestNiceAxis(t *testing.T) {
	for _, tc := range []struct {
		name         string
		lo, hi, min  float64
		wantMin      float64
		wantMax      float64
		wantTickText []string
	}{
		{"youth nuisance", 0, 258, 1, 0, 300, []string{"0", "100", "200", "300"}},
		{"small counts step by whole numbers", 0, 7, 1, 0, 8, []string{"0", "2", "4", "6", "8"}},
		{"percentages", 0, 24.3, 0, 0, 25, []string{"0", "5", "10", "15", "20", "25"}},
		{"fractions", 0, 0.9, 0, 0, 1, []string{"0,0", "0,2", "0,4", "0,6", "0,8", "1,0"}},
		{"thousands", 0, 1742, 1, 0, 2000, []string{"0", "500", "1.000", "1.500", "2.000"}},
		{"below zero", -12, 30, 0, -20, 30, []string{"-20", "-10", "0", "10", "20", "30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ticks := niceAxis(tc.lo, tc.hi, tc.min)
			if lo != tc.wantMin || hi != tc.wantMax {
				t.Errorf("axis = %v..%v, want %v..%v", lo, hi, tc.wantMin, tc.wantMax)
			}
			var labels []string
			for _, tk := range ticks {
				labels = append(labels, tk.Label)
			}
			if diff := cmp.Diff(tc.wantTickText, labels); diff != "" {
				t.Errorf("tick labels mismatch (-want +got):\n%s", diff)
			}
			if ticks[0].Frac != 0 || ticks[len(ticks)-1].Frac != 1 {
				t.Errorf("ticks run from %v to %v, want 0 to 1", ticks[0].Frac, ticks[len(ticks)-1].Frac)
			}
		})
	}
}

func TestChartBars(t *testing.T) {
	inds := diemenIndicators()
	youth := newChart(inds[0])
	want := []bar{
		{Label: "2020", ValueLabel: "258", Lo: 0, Hi: 258.0 / 300},
		{Label: "2021", ValueLabel: "123", Lo: 0, Hi: 123.0 / 300},
		{Label: "2022", ValueLabel: "104", Lo: 0, Hi: 104.0 / 300},
		{Label: "2023", ValueLabel: "98*", Lo: 0, Hi: 98.0 / 300, Provisional: true},
	}
	if diff := cmp.Diff(want, youth.Bars, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("youth nuisance bars mismatch (-want +got):\n%s", diff)
	}
	if youth.Alt != "Staafdiagram van jeugdoverlast per jaar (registraties). 2020: 258; 2021: 123; 2022: 104; 2023: 98 (voorlopig). Dezelfde cijfers staan in de tabel." {
		t.Errorf("alt text = %q", youth.Alt)
	}

	// The count of 3 has no bar, only the label "<5", and does not set the axis.
	closures := newChart(inds[1])
	got := closures.Bars[1]
	if !got.Suppressed || got.ValueLabel != "<5" || got.Hi != got.Lo {
		t.Errorf("suppressed bar = %+v, want no bar labelled <5", got)
	}
	if closures.Bars[0].ValueLabel != "0" || closures.Bars[0].Suppressed {
		t.Errorf("zero bar = %+v, want the label 0, not suppressed", closures.Bars[0])
	}
	if closures.Max != 8 {
		t.Errorf("closures axis max = %v, want 8", closures.Max)
	}

	// Only small counts: still an axis a bar of 5 would fit under, and no bars.
	only := newChart(Indicator{Name: "Straatroven", Count: true, Values: []Value{{Period: 2023, Value: 2}, {Period: 2024, Value: 4}}})
	if only.Max != SmallCount {
		t.Errorf("axis max of only suppressed values = %v, want %d", only.Max, SmallCount)
	}
	for _, b := range only.Bars {
		if !b.Suppressed || b.Hi != b.Lo {
			t.Errorf("bar %+v, want suppressed without height", b)
		}
	}
}

// The PNG for the word processor shows the same bars: solid for final figures, lighter
// and hatched for provisional ones, none for a suppressed count.
func TestChartPNG(t *testing.T) {
	c := newChart(diemenIndicators()[0])
	data, err := chartPNG(&c)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode chart png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != svgWidth*pngScale || b.Dy() != svgHeight*pngScale {
		t.Errorf("chart is %v, want %dx%d", b, svgWidth*pngScale, svgHeight*pngScale)
	}
	// Sample the middle of each bar, halfway up.
	plotW := float64(svgWidth-int(svgLeft)-int(svgRight)) * pngScale
	plotH := float64(svgHeight-int(svgTop)-int(svgBottom)) * pngScale
	slot := plotW / float64(len(c.Bars))
	for i, b := range c.Bars {
		x := int(svgLeft*pngScale + slot*(float64(i)+0.5))
		y := int(svgTop*pngScale + plotH*(1-b.Hi/2))
		colours := map[int]int{}
		for dx := -6; dx <= 6; dx++ {
			for dy := -6; dy <= 6; dy++ {
				colours[rgbOf(img, x+dx, y+dy)]++
			}
		}
		switch {
		case b.Provisional:
			if colours[colBarLight] == 0 || colours[colBar] == 0 {
				t.Errorf("bar %s: colours %v, want light with dark hatching", b.Label, colours)
			}
		default:
			if colours[colBar] != 13*13 {
				t.Errorf("bar %s: colours %v, want solid %06x", b.Label, colours, colBar)
			}
		}
	}
}

func rgbOf(img image.Image, x, y int) int {
	r, g, b, _ := img.At(x, y).RGBA()
	return int(r>>8)<<16 | int(g>>8)<<8 | int(b>>8)
}

func TestFitColumns(t *testing.T) {
	got := fitColumns([]float64{20, 80, 30, 10}, 100)
	sum := 0.0
	for _, w := range got {
		sum += w
	}
	if math.Abs(sum-100) > 0.01 {
		t.Errorf("widths %v sum to %v, want 100", got, sum)
	}
	if got[0] != 20 || got[3] != 10 {
		t.Errorf("narrow columns changed: %v", got)
	}
	if same := fitColumns([]float64{20, 30}, 100); same[0] != 20 || same[1] != 30 {
		t.Errorf("a table that fits was changed: %v", same)
	}
}
