package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Page layout of the PDF, in millimetres (A4: 210 × 297).
const (
	pdfMarginLeft   = 22.0
	pdfMarginRight  = 22.0
	pdfMarginTop    = 20.0
	pdfMarginBottom = 22.0
	pdfLine         = 5.2 // line height of body text
	pdfTableLine    = 4.6
	pdfChartHeight  = 62.0
	pdfChartMaxW    = 150.0
	pdfChartSpace   = pdfChartHeight + 8 // with its caption
)

// Colours as RGB.
const (
	colInk      = 0x1a1a1a
	colMuted    = 0x505050
	colHeading  = 0x1f4e79
	colRule     = 0xb4b4b4
	colGrid     = 0xd9d9d9
	colHeaderBg = 0xe8eef4
	colBar      = 0x1f4e79
	colBarLight = 0xa9c1d9
)

// pdfDoc draws a document with fpdf. All text goes through text(), which maps it to
// the cp1252 encoding of the core font Helvetica.
type pdfDoc struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

// writePDF writes a document as an A4 PDF in Helvetica, with bookmarks for the
// headings and page numbers. The file's dates are the document's reference date and the
// catalogue is sorted, so the same document gives the same bytes.
func writePDF(b *bytes.Buffer, d document) error {
	f := fpdf.New("P", "mm", "A4", "")
	date := d.Date
	if date.IsZero() {
		date = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCatalogSort(true)
	f.SetTitle(d.Title, true)
	f.SetSubject(d.Subject, true)
	f.SetAuthor(d.Author, true)
	f.SetCreator("Baken", true)
	f.SetProducer("Baken", true)
	f.SetLang("nl-NL")
	f.SetMargins(pdfMarginLeft, pdfMarginTop, pdfMarginRight)
	f.SetAutoPageBreak(true, pdfMarginBottom)
	f.AliasNbPages("{nb}")
	p := &pdfDoc{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	footer := d.Footer
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetFont("Helvetica", "", 8)
		p.textColor(colMuted)
		f.CellFormat(0, 5, p.text(footer), "", 0, "L", false, 0, "")
		f.SetX(pdfMarginLeft)
		f.CellFormat(0, 5, p.text(fmt.Sprintf("Pagina %d van {nb}", f.PageNo())), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	for i, bl := range d.Blocks {
		switch bl.Kind {
		case blockTitle:
			p.title(bl.Text)
		case blockFields:
			p.fields(bl.Fields)
		case blockHeading:
			p.heading(bl.Level, bl.Text, p.keepHeight(d.Blocks[i+1:]))
		case blockPara:
			p.para(bl.Label, bl.Text)
		case blockItem:
			p.item(bl.Text, i+1 < len(d.Blocks) && d.Blocks[i+1].Kind == blockItem)
		case blockNote:
			p.note(bl.Text)
		case blockTable:
			keep := 0.0
			if i+1 < len(d.Blocks) && d.Blocks[i+1].Kind == blockChart {
				keep = pdfChartSpace
			}
			p.table(p.layoutTable(bl.Table), keep)
		case blockChart:
			p.chart(bl.Chart)
		}
	}
	if err := f.Output(b); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return nil
}

func (p *pdfDoc) text(s string) string { return p.tr(cp1252Safe(s)) }

func (p *pdfDoc) textColor(c int) { p.f.SetTextColor(c>>16, c>>8&0xff, c&0xff) }
func (p *pdfDoc) fillColor(c int) { p.f.SetFillColor(c>>16, c>>8&0xff, c&0xff) }
func (p *pdfDoc) drawColor(c int) { p.f.SetDrawColor(c>>16, c>>8&0xff, c&0xff) }
func (p *pdfDoc) width() float64 {
	w, _ := p.f.GetPageSize()
	return w - pdfMarginLeft - pdfMarginRight
}
func (p *pdfDoc) bottom() float64   { _, h := p.f.GetPageSize(); return h - pdfMarginBottom }
func (p *pdfDoc) space(h float64)   { p.f.SetY(p.f.GetY() + h) }
func (p *pdfDoc) body(style string) { p.f.SetFont("Helvetica", style, 10.5); p.textColor(colInk) }

// need starts a new page unless h millimetres are left on this one.
func (p *pdfDoc) need(h float64) {
	if p.f.GetY()+h > p.bottom() {
		p.f.AddPage()
	}
}

func (p *pdfDoc) title(s string) {
	p.f.SetFont("Helvetica", "B", 20)
	p.textColor(colHeading)
	p.f.MultiCell(0, 9, p.text(s), "", "L", false)
	p.space(3)
}

func (p *pdfDoc) fields(fs []field) {
	labelW := 0.0
	p.f.SetFont("Helvetica", "B", 10.5)
	for _, fl := range fs {
		labelW = max(labelW, p.f.GetStringWidth(p.text(fl.Label+":")))
	}
	labelW += 4
	for _, fl := range fs {
		p.body("B")
		p.f.CellFormat(labelW, pdfLine+0.4, p.text(fl.Label+":"), "", 0, "L", false, 0, "")
		p.body("")
		p.f.MultiCell(0, pdfLine+0.4, p.text(fl.Value), "", "L", false)
	}
	p.space(2)
	p.drawColor(colRule)
	p.f.SetLineWidth(0.3)
	p.f.Line(pdfMarginLeft, p.f.GetY(), pdfMarginLeft+p.width(), p.f.GetY())
	p.space(2)
}

// keepHeight is how much of what follows a heading must be on the heading's page.
func (p *pdfDoc) keepHeight(next []block) float64 {
	if len(next) == 0 {
		return 0
	}
	switch next[0].Kind {
	case blockTable:
		h := p.layoutTable(next[0].Table).keepHeight()
		if len(next) > 1 && next[1].Kind == blockChart {
			h += pdfChartSpace
		}
		return h
	case blockChart:
		return pdfChartSpace
	case blockHeading:
		return 8 + p.keepHeight(next[1:])
	default:
		return 2 * pdfLine
	}
}

// heading writes a heading with a bookmark, on a new page unless keep millimetres of
// what follows fit under it.
func (p *pdfDoc) heading(level int, s string, keep float64) {
	if level <= 2 {
		p.space(5)
		p.need(9 + keep)
		p.f.Bookmark(p.text(s), 0, -1)
		p.f.SetFont("Helvetica", "B", 14)
		p.textColor(colHeading)
		p.f.MultiCell(0, 7, p.text(s), "", "L", false)
	} else {
		p.space(3)
		p.need(8 + keep)
		p.f.Bookmark(p.text(s), 1, -1)
		p.f.SetFont("Helvetica", "B", 11.5)
		p.textColor(colInk)
		p.f.MultiCell(0, 6, p.text(s), "", "L", false)
	}
	p.space(1)
}

func (p *pdfDoc) para(label, s string) {
	p.f.SetX(pdfMarginLeft)
	if label != "" {
		p.body("B")
		p.f.Write(pdfLine, p.text(label+": "))
	}
	p.body("")
	p.f.Write(pdfLine, p.text(s))
	p.f.Ln(pdfLine)
	p.space(2)
}

func (p *pdfDoc) item(s string, more bool) {
	p.body("")
	p.f.SetX(pdfMarginLeft + 2)
	p.f.CellFormat(5, pdfLine, p.text("•"), "", 0, "L", false, 0, "")
	p.f.MultiCell(0, pdfLine, p.text(s), "", "L", false)
	if more {
		p.space(1)
	} else {
		p.space(2)
	}
}

func (p *pdfDoc) note(s string) {
	p.f.SetFont("Helvetica", "", 8.5)
	p.textColor(colMuted)
	p.f.MultiCell(0, 4.2, p.text(s), "", "L", false)
	p.space(1.5)
}

// pdfTable is a table laid out for the page: its cells split into lines that fit
// their column, and the height of each row (the header first).
type pdfTable struct {
	t       *table
	widths  []float64
	lines   [][][][]byte // row, column, line
	heights []float64
}

const (
	pdfTableFont    = 9.5
	pdfCaptionSpace = pdfTableLine + 1.4 // a caption line and the gap under it
	pdfKeepRows     = 3                  // rows of a long table kept with its heading
	pdfShortTable   = 10                 // a table of at most this many rows is not split
)

// layoutTable gives columns their natural width; when the table is too wide, the
// widest columns are narrowed to the same cap and their text wraps.
func (p *pdfDoc) layoutTable(t *table) *pdfTable {
	f := p.f
	cols := len(t.Header)
	cell := func(r []string, i int) string {
		if i < len(r) {
			return p.text(r[i])
		}
		return ""
	}
	rows := append([][]string{t.Header}, t.Rows...)
	natural := make([]float64, cols)
	for k, r := range rows {
		p.tableFont(k == 0)
		for i := range cols {
			natural[i] = max(natural[i], f.GetStringWidth(cell(r, i))+2*f.GetCellMargin()+0.5)
		}
	}
	pt := &pdfTable{t: t, widths: fitColumns(natural, p.width())}
	for k, r := range rows {
		p.tableFont(k == 0)
		lines := make([][][]byte, cols)
		n := 1
		for i := range cols {
			lines[i] = f.SplitLines([]byte(cell(r, i)), pt.widths[i])
			n = max(n, len(lines[i]))
		}
		pt.lines = append(pt.lines, lines)
		pt.heights = append(pt.heights, float64(n)*pdfTableLine+1.6)
	}
	return pt
}

func (p *pdfDoc) tableFont(header bool) {
	if header {
		p.f.SetFont("Helvetica", "B", pdfTableFont)
	} else {
		p.f.SetFont("Helvetica", "", pdfTableFont)
	}
}

// keepHeight is how much of the table must be on the page where it starts: all of a
// short table, else its caption, header and first rows.
func (pt *pdfTable) keepHeight() float64 {
	rows := len(pt.heights)
	if rows-1 > pdfShortTable {
		rows = 1 + pdfKeepRows
	}
	h := pdfCaptionSpace
	for _, rh := range pt.heights[:rows] {
		h += rh
	}
	return h
}

// table draws a captioned table with a shaded header row that is repeated on a new
// page. keep is the height of what must follow the table on the same page (its chart).
func (p *pdfDoc) table(pt *pdfTable, keep float64) {
	f := p.f
	t := pt.t
	if len(t.Header) == 0 {
		return
	}
	p.need(pt.keepHeight() + keep)
	f.SetFont("Helvetica", "B", pdfTableFont)
	p.textColor(colInk)
	f.MultiCell(0, pdfTableLine+0.6, p.text(t.Caption), "", "L", false)
	p.space(0.8)
	for k := range pt.heights {
		if k > 0 && f.GetY()+pt.heights[k] > p.bottom() {
			f.AddPage()
			p.tableRow(pt, 0)
		}
		p.tableRow(pt, k)
	}
	p.space(3)
}

// tableRow draws row k of a table (0 is the header) at the current position.
func (p *pdfDoc) tableRow(pt *pdfTable, k int) {
	f := p.f
	header := k == 0
	p.tableFont(header)
	x, y, h := pdfMarginLeft, f.GetY(), pt.heights[k]
	p.drawColor(colRule)
	f.SetLineWidth(0.2)
	p.fillColor(colHeaderBg)
	p.textColor(colInk)
	for i, w := range pt.widths {
		style := "D"
		if header {
			style = "FD"
		}
		f.Rect(x, y, w, h, style)
		align := "L"
		if i < len(pt.t.Numeric) && pt.t.Numeric[i] {
			align = "R"
		}
		for n, line := range pt.lines[k][i] {
			f.SetXY(x, y+0.8+float64(n)*pdfTableLine)
			f.CellFormat(w, pdfTableLine, string(line), "", 0, align, false, 0, "")
		}
		x += w
	}
	f.SetXY(pdfMarginLeft, y+h)
}

// fitColumns narrows the widest columns to one cap so that the widths sum to at most
// avail; columns narrower than the cap keep their natural width.
func fitColumns(natural []float64, avail float64) []float64 {
	widths := append([]float64(nil), natural...)
	sum := 0.0
	for _, w := range natural {
		sum += w
	}
	if sum <= avail {
		return widths
	}
	lo, hi := 0.0, avail
	for range 50 {
		c := (lo + hi) / 2
		s := 0.0
		for _, w := range natural {
			s += math.Min(w, c)
		}
		if s > avail {
			hi = c
		} else {
			lo = c
		}
	}
	for i, w := range natural {
		widths[i] = math.Min(w, lo)
	}
	return widths
}

// chart draws the bar chart with fpdf's rectangles and lines: grid lines at the ticks,
// a value above each bar, the period below it; a provisional bar is lighter and hatched,
// a suppressed value has no bar, only "<5".
func (p *pdfDoc) chart(c *chart) {
	f := p.f
	p.need(pdfChartSpace)
	w := math.Min(p.width(), pdfChartMaxW)
	x0, y0 := pdfMarginLeft, f.GetY()
	const left, right, top, bottom = 16.0, 2.0, 7.0, 8.0
	plotW, plotH := w-left-right, pdfChartHeight-top-bottom
	px := x0 + left
	y := func(frac float64) float64 { return y0 + top + plotH*(1-frac) }

	f.SetFont("Helvetica", "", 8)
	f.SetLineWidth(0.2)
	p.drawColor(colGrid)
	p.textColor(colMuted)
	for _, t := range c.Ticks {
		ty := y(t.Frac)
		f.Line(px, ty, px+plotW, ty)
		label := p.text(t.Label)
		f.Text(px-2-f.GetStringWidth(label), ty+1.1, label)
	}
	slot := plotW / float64(max(len(c.Bars), 1))
	bw := math.Min(slot*barShare, 22)
	for i, b := range c.Bars {
		cx := px + slot*(float64(i)+0.5)
		if h := (b.Hi - b.Lo) * plotH; !b.Suppressed && h > 0 {
			bx, by := cx-bw/2, y(b.Hi)
			p.drawColor(colBar)
			f.SetLineWidth(0.3)
			if b.Provisional {
				p.fillColor(colBarLight)
				f.Rect(bx, by, bw, h, "F")
				f.ClipRect(bx, by, bw, h, false)
				f.SetLineWidth(0.35)
				for d := -h; d < bw; d += 1.8 {
					f.Line(bx+d, by+h, bx+d+h, by)
				}
				f.ClipEnd()
				f.Rect(bx, by, bw, h, "D")
			} else {
				p.fillColor(colBar)
				f.Rect(bx, by, bw, h, "FD")
			}
		}
		f.SetFont("Helvetica", "B", 8.5)
		p.textColor(colInk)
		v := p.text(b.ValueLabel)
		f.Text(cx-f.GetStringWidth(v)/2, y(b.Hi)-1.5, v)
		f.SetFont("Helvetica", "", 8.5)
		p.textColor(colMuted)
		l := p.text(b.Label)
		f.Text(cx-f.GetStringWidth(l)/2, y0+top+plotH+5, l)
	}
	p.drawColor(colMuted)
	f.SetLineWidth(0.3)
	f.Line(px, y(c.Zero), px+plotW, y(c.Zero))

	f.SetXY(x0, y0+pdfChartHeight)
	caption := "Grafiek: " + c.Title
	if c.Unit != "" {
		caption += " (" + c.Unit + ")"
	}
	f.SetFont("Helvetica", "", 8.5)
	p.textColor(colMuted)
	f.MultiCell(0, 4.2, p.text(caption+"."), "", "L", false)
	p.space(2)
}

// cp1252Safe replaces the characters that the core fonts' encoding (cp1252) lacks by
// close ones, so that nothing prints as a dot.
func cp1252Safe(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return !inCP1252(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if inCP1252(r) {
			b.WriteRune(r)
			continue
		}
		b.WriteString(closeCP1252(r))
	}
	return b.String()
}

func inCP1252(r rune) bool {
	switch {
	case r == '\n' || r == '\t' || r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xff:
		return true
	}
	return strings.ContainsRune("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ", r)
}

// closeCP1252 is the nearest cp1252 text for a character outside it.
func closeCP1252(r rune) string {
	switch r {
	case '→', '⇒', '⟶', '➔':
		return "->"
	case '←', '⇐':
		return "<-"
	case '≤':
		return "<="
	case '≥':
		return ">="
	case '≠':
		return "<>"
	case '≈', '∼':
		return "~"
	case '−', '‐', '‑', '‒', '―', '⁃':
		return "-"
	case '′', '‛':
		return "'"
	case '″', '‟':
		return "\""
	case '\u2002', '\u2003', '\u2007', '\u2009', '\u200a', '\u202f':
		return " "
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return ""
	case '✓', '✔':
		return "v"
	case 'ĳ':
		return "ij"
	case 'Ĳ':
		return "IJ"
	case 'ı', 'ī', 'ĭ', 'į':
		return "i"
	case 'İ', 'Ī':
		return "I"
	case 'ā', 'ă', 'ą':
		return "a"
	case 'Ā', 'Ă', 'Ą':
		return "A"
	case 'ć', 'č', 'ĉ', 'ċ':
		return "c"
	case 'Ć', 'Č':
		return "C"
	case 'ď', 'đ':
		return "d"
	case 'ē', 'ė', 'ę', 'ě':
		return "e"
	case 'Ē', 'Ė', 'Ę', 'Ě':
		return "E"
	case 'ğ', 'ģ':
		return "g"
	case 'ķ':
		return "k"
	case 'ł', 'ľ', 'ļ':
		return "l"
	case 'Ł', 'Ľ':
		return "L"
	case 'ń', 'ň', 'ņ':
		return "n"
	case 'ō', 'ő':
		return "o"
	case 'Ő', 'Ō':
		return "O"
	case 'ř', 'ŕ':
		return "r"
	case 'ś', 'ş', 'ș':
		return "s"
	case 'Ś', 'Ş', 'Ș':
		return "S"
	case 'ť', 'ţ', 'ț':
		return "t"
	case 'ū', 'ů', 'ű', 'ų':
		return "u"
	case 'Ū', 'Ů', 'Ű':
		return "U"
	case 'ź', 'ż':
		return "z"
	case 'Ź', 'Ż':
		return "Z"
	}
	return "?"
}
