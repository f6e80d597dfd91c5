package report

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needTool returns the path of a program the test needs. In CI (CI=true) a missing
// program fails the test; elsewhere the test logs it and the caller returns.
func needTool(t *testing.T, name string) (string, bool) {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path, true
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed for this test (scripts/test-deps installs it): %v", name, err)
	}
	t.Logf("%s not found: the rendering is not checked (scripts/test-deps installs it)", name)
	return "", false
}

// pdfPage renders page 1 of a PDF at 50 dpi with pdftoppm.
func pdfPage(t *testing.T, pdftoppm string, pdf []byte) image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	cmd := exec.CommandContext(t.Context(), pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode the page pdftoppm made: %v", err)
	}
	return img
}

// mmToPx is a distance on the page in pixels at 50 dpi.
func mmToPx(mm float64) int { return int(mm / 25.4 * 50) }

// inkIn counts the pixels in a rectangle (in millimetres) that are not white.
func inkIn(img image.Image, x0, y0, x1, y1 float64) int {
	n := 0
	for y := mmToPx(y0); y < mmToPx(y1); y++ {
		for x := mmToPx(x0); x < mmToPx(x1); x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || b < 0xf000 {
				n++
			}
		}
	}
	return n
}

// near reports whether the pixel at (x, y) is within 24 of colour c in each channel.
func near(img image.Image, x, y, c int) bool {
	got := rgbOf(img, x, y)
	for shift := 0; shift <= 16; shift += 8 {
		if d := (got>>shift)&0xff - (c>>shift)&0xff; d < -24 || d > 24 {
			return false
		}
	}
	return true
}

// solidBlock finds a square of size×size pixels all close to the colour c: a filled bar,
// not a stroke of text. It returns the square's top left corner.
func solidBlock(img image.Image, c, size int) (image.Point, bool) {
	b := img.Bounds()
	for y := b.Min.Y; y+size <= b.Max.Y; y++ {
	next:
		for x := b.Min.X; x+size <= b.Max.X; x++ {
			for dy := range size {
				for dx := range size {
					if !near(img, x+dx, y+dy, c) {
						continue next
					}
				}
			}
			return image.Pt(x, y), true
		}
	}
	return image.Point{}, false
}

// run is a horizontal stretch of non-white pixels and their mean brightness (0-255).
type run struct {
	x0, x1     int
	brightness int
}

// runsOnRow finds the stretches of non-white pixels at least minWidth wide on row y.
func runsOnRow(img image.Image, y, minWidth int) []run {
	var out []run
	b := img.Bounds()
	x := b.Min.X
	for x < b.Max.X {
		if rgbOf(img, x, y) == 0xffffff {
			x++
			continue
		}
		start, sum := x, 0
		for x < b.Max.X && rgbOf(img, x, y) != 0xffffff {
			c := rgbOf(img, x, y)
			sum += (c>>16 + c>>8&0xff + c&0xff) / 3
			x++
		}
		if x-start >= minWidth {
			out = append(out, run{start, x, sum / (x - start)})
		}
	}
	return out
}

func TestPDFLetter(t *testing.T) {
	pdf := render(t, diemenLetter(t), PDF)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	// The file's dates are the reference date, so the same letter gives the same file.
	if !bytes.Contains(pdf, []byte("/CreationDate (D:20240206")) {
		t.Error("the PDF's creation date is not the reference date 6 February 2024")
	}

	pdftoppm, ok := needTool(t, "pdftoppm")
	if !ok {
		return
	}
	page := pdfPage(t, pdftoppm, pdf)
	if w, h := page.Bounds().Dx(), page.Bounds().Dy(); w < mmToPx(205) || w > mmToPx(215) || h < mmToPx(292) || h > mmToPx(302) {
		t.Errorf("page 1 is %d×%d px, want A4 (%d×%d) at 50 dpi", w, h, mmToPx(210), mmToPx(297))
	}
	// The title and the fields under it are printed at the top left, and the footer
	// with the page number at the bottom.
	if n := inkIn(page, 22, 18, 110, 30); n < 50 {
		t.Errorf("the title area holds %d dark pixels, want the title", n)
	}
	if n := inkIn(page, 22, 30, 150, 60); n < 100 {
		t.Errorf("the title block holds %d dark pixels, want gemeente, onderwerp and datum", n)
	}
	if n := inkIn(page, 22, 280, 188, 288); n < 20 {
		t.Errorf("the footer holds %d dark pixels, want the page number", n)
	}
	if n := inkIn(page, 0, 0, 15, 297); n != 0 {
		t.Errorf("the left margin holds %d dark pixels, want none", n)
	}

	pdftotext, ok := needTool(t, "pdftotext")
	if !ok {
		return
	}
	text := pdfText(t, pdftotext, pdf)
	// Accents, the typographic apostrophe and the dash come through the core font's
	// encoding; the figures and "<5" are printed as in the other formats.
	for _, want := range []string{
		"Raadsinformatiebrief", "Datum: 6 februari 2024", "Ja, op 6 februari 2024.",
		"thema’s", "één sluiting", "Diemen – 6 februari 2024", "Pagina 1 van ",
		"Aanleiding en voorgeschiedenis", "Collegebesluit", "Samenvatting", "Cijfers", "Vervolg",
		"98*", "<5", "21,8", "24,3", "Bron: CBS, Veiligheidsmonitor",
		"Cijfers zoals bekend op 6 februari 2024.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
}

// A letter with only figures has its chart on page 1: the bars are drawn, solid for
// final figures and light for a provisional one.
func TestPDFChart(t *testing.T) {
	l := diemenLetter(t)
	l.Background, l.Summary, l.FollowUp = "", "", ""
	l.Priorities, l.Themes = nil, nil
	l.Indicators = l.Indicators[:1]
	pdf := render(t, l, PDF)
	pdftoppm, ok := needTool(t, "pdftoppm")
	if !ok {
		return
	}
	page := pdfPage(t, pdftoppm, pdf)
	at, ok := solidBlock(page, colBar, 8)
	if !ok {
		t.Fatal("page 1 has no solid bar")
	}
	// Follow the bar down to the axis; just above it, every bar crosses the row.
	base := at.Y
	for near(page, at.X, base+1, colBar) {
		base++
	}
	bars := runsOnRow(page, base-2, mmToPx(5))
	if len(bars) != 4 {
		t.Fatalf("%d bars above the axis, want 4 (2020-2023): %v", len(bars), bars)
	}
	// 2023 is provisional: lighter than the final figures.
	if first, last := bars[0], bars[3]; last.brightness <= first.brightness+30 {
		t.Errorf("the provisional bar (brightness %d) is not lighter than a final one (%d)", last.brightness, first.brightness)
	}
	if l, r := bars[0].x1-bars[0].x0, bars[3].x1-bars[3].x0; l != r && l != r+1 && l != r-1 {
		t.Errorf("bars of %d and %d px, want the same width", l, r)
	}
}

func TestPDFProgress(t *testing.T) {
	pdf := render(t, diemenProgress(t), PDF)
	pdftotext, ok := needTool(t, "pdftotext")
	if !ok {
		return
	}
	text := pdfText(t, pdftotext, pdf)
	for _, want := range []string{
		"Stand op 30 september 2024.", "7 van 15 acties afgerond (47%).",
		"Doelstelling 1: Afname jeugdoverlast",
		// cp1252 has no arrow: it prints as "->".
		"258 registraties (2020) -> 90 registraties (2026) -> 98* registraties (2023)",
		"Oordeel: niet op koers.", "Jeugdboa’s op straat",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
}

// pdfText extracts the text of a PDF with pdftotext, with runs of white space as one
// space so that wrapped lines read as one.
func pdfText(t *testing.T, pdftotext string, pdf []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), pdftotext, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
