package report

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
)

// htmlTemplate is one self-contained page: inline style, no script, no external
// resource, so the downloaded file shows the same anywhere. Every chart is an inline SVG
// whose accessible alternative is the table just above it.
const htmlTemplate = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{.Title}}</title>
<style>
body { font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.75rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; padding-bottom: 0.2rem; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 1.5rem; }
dl.fields dt { font-weight: bold; }
dl.fields dd { margin: 0; }
table { border-collapse: collapse; margin: 1rem 0; min-width: min(32rem, 100%); }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #b4b4b4; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .note { font-size: 0.875rem; color: #404040; }
@media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; } table, figure { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<article>
{{- range .Blocks}}
{{- if eq .Kind "title"}}
<h1>{{.Text}}</h1>
{{- else if eq .Kind "fields"}}
<dl class="fields">
{{- range .Fields}}
<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{- end}}
</dl>
{{- else if eq .Kind "h2"}}
<h2>{{.Text}}</h2>
{{- else if eq .Kind "h3"}}
<h3>{{.Text}}</h3>
{{- else if eq .Kind "p"}}
<p>{{if .Label}}<strong>{{.Label}}:</strong> {{end}}{{.Text}}</p>
{{- else if eq .Kind "note"}}
<p class="note">{{.Text}}</p>
{{- else if eq .Kind "list"}}
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- else if eq .Kind "table"}}
{{- with .Table}}
<table id="{{.ID}}">
<caption>{{.Caption}}</caption>
<thead>
<tr>{{range .Header}}<th scope="col"{{if .Numeric}} class="num"{{end}}>{{.Text}}</th>{{end}}</tr>
</thead>
<tbody>
{{- range .Rows}}
<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c.Text}}</th>{{else}}<td{{if $c.Numeric}} class="num"{{end}}>{{$c.Text}}</td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- else if eq .Kind "chart"}}
{{- with .Chart}}
<figure>
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{{.Alt}}" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}" font-size="13">
{{- if .Hatch}}
<defs><pattern id="{{.Hatch}}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#a9c1d9" /><line x1="0" y1="0" x2="0" y2="6" stroke="#1f4e79" stroke-width="2" /></pattern></defs>
{{- end}}
{{- range .Ticks}}
<line x1="{{.X1}}" y1="{{.Y}}" x2="{{.X2}}" y2="{{.Y}}" stroke="#d9d9d9" />
<text x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="end" fill="#404040">{{.Label}}</text>
{{- end}}
{{- range .Bars}}
{{- if .H}}
<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}" stroke="#1f4e79" />
{{- end}}
<text x="{{.CX}}" y="{{.ValueY}}" text-anchor="middle" fill="#1a1a1a">{{.Value}}</text>
<text x="{{.CX}}" y="{{.LabelY}}" text-anchor="middle" fill="#404040">{{.Label}}</text>
{{- end}}
<line x1="{{.AxisX1}}" y1="{{.AxisY}}" x2="{{.AxisX2}}" y2="{{.AxisY}}" stroke="#404040" />
</svg>
<figcaption>{{.Caption}}{{if .TableID}} De cijfers staan ook in <a href="#{{.TableID}}">de tabel hierboven</a>.{{end}}</figcaption>
</figure>
{{- end}}
{{- end}}
{{- end}}
</article>
</main>
</body>
</html>
`

type htmlPage struct {
	Title  string
	Blocks []htmlBlock
}

type htmlBlock struct {
	Kind   string // title, fields, h2, h3, p, note, list, table, chart
	Label  string
	Text   string
	Fields []field
	Items  []string
	Table  *htmlTable
	Chart  *svgChart
}

type htmlTable struct {
	ID      string
	Caption string
	Header  []htmlCell
	Rows    [][]htmlCell
}

type htmlCell struct {
	Text    string
	Numeric bool
}

// writeHTML writes a document as one HTML page.
func writeHTML(b *bytes.Buffer, d document) error {
	t, err := template.New("document").Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("parse html template: %w", err)
	}
	page := htmlPage{Title: d.Title}
	tables, charts := 0, 0
	lastTable := ""
	for _, bl := range d.Blocks {
		hb := htmlBlock{Label: bl.Label, Text: bl.Text, Fields: bl.Fields}
		switch bl.Kind {
		case blockTitle:
			hb.Kind = "title"
		case blockFields:
			hb.Kind = "fields"
		case blockHeading:
			hb.Kind = "h" + strconv.Itoa(min(max(bl.Level, 2), 6))
		case blockPara:
			hb.Kind = "p"
		case blockNote:
			hb.Kind = "note"
		case blockItem:
			if n := len(page.Blocks); n > 0 && page.Blocks[n-1].Kind == "list" {
				page.Blocks[n-1].Items = append(page.Blocks[n-1].Items, bl.Text)
				continue
			}
			hb.Kind = "list"
			hb.Items = []string{bl.Text}
		case blockTable:
			tables++
			lastTable = "tabel-" + strconv.Itoa(tables)
			hb.Kind = "table"
			hb.Table = newHTMLTable(bl.Table, lastTable)
		case blockChart:
			charts++
			hb.Kind = "chart"
			hb.Chart = newSVGChart(bl.Chart, charts, lastTable)
		}
		if bl.Kind != blockTable {
			lastTable = "" // a chart describes only the table right before it
		}
		page.Blocks = append(page.Blocks, hb)
	}
	if err := t.Execute(b, page); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	return nil
}

func newHTMLTable(t *table, id string) *htmlTable {
	numeric := func(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }
	ht := &htmlTable{ID: id, Caption: t.Caption}
	for i, h := range t.Header {
		ht.Header = append(ht.Header, htmlCell{h, numeric(i)})
	}
	for _, r := range t.Rows {
		cells := make([]htmlCell, len(r))
		for i, c := range r {
			cells[i] = htmlCell{c, numeric(i)}
		}
		ht.Rows = append(ht.Rows, cells)
	}
	return ht
}

// SVG chart size in user units (CSS pixels at 100%).
const (
	svgWidth, svgHeight                          = 600, 260
	svgLeft, svgRight, svgTop, svgBottom float64 = 64, 16, 28, 36
	barShare                                     = 0.6 // of a bar's slot
	maxBarWidth                                  = 72.0
)

type svgChart struct {
	W, H           int
	Alt, Caption   string
	TableID        string
	Hatch          string // id of the hatch pattern, when a bar is provisional
	Ticks          []svgTick
	Bars           []svgBar
	AxisX1, AxisX2 string
	AxisY          string
}

type svgTick struct {
	X1, X2, Y      string
	LabelX, LabelY string
	Label          string
}

type svgBar struct {
	X, Y, W, H     string // H is empty when there is no bar
	Fill           string
	CX             string
	ValueY, LabelY string
	Value, Label   string
}

// num writes a coordinate with one decimal, so the same chart gives the same text.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func newSVGChart(c *chart, n int, tableID string) *svgChart {
	plotW := svgWidth - svgLeft - svgRight
	plotH := svgHeight - svgTop - svgBottom
	y := func(frac float64) float64 { return svgTop + plotH*(1-frac) }
	caption := "Grafiek: " + c.Title
	if c.Unit != "" {
		caption += " (" + c.Unit + ")"
	}
	caption += "."
	s := &svgChart{
		W: svgWidth, H: svgHeight, Alt: c.Alt, Caption: caption, TableID: tableID,
		AxisX1: num(svgLeft), AxisX2: num(svgLeft + plotW), AxisY: num(y(c.Zero)),
	}
	for _, t := range c.Ticks {
		s.Ticks = append(s.Ticks, svgTick{
			X1: num(svgLeft), X2: num(svgLeft + plotW), Y: num(y(t.Frac)),
			LabelX: num(svgLeft - 8), LabelY: num(y(t.Frac) + 4), Label: t.Label,
		})
	}
	slot := plotW / float64(max(len(c.Bars), 1))
	w := min(slot*barShare, maxBarWidth)
	for i, b := range c.Bars {
		cx := svgLeft + slot*(float64(i)+0.5)
		sb := svgBar{
			CX: num(cx), Value: b.ValueLabel, Label: b.Label,
			ValueY: num(y(b.Hi) - 6), LabelY: num(svgTop + plotH + 22),
			Fill: "#1f4e79",
		}
		if h := (b.Hi - b.Lo) * plotH; !b.Suppressed && h > 0 {
			sb.X, sb.Y, sb.W, sb.H = num(cx-w/2), num(y(b.Hi)), num(w), num(h)
			if b.Provisional {
				s.Hatch = "arcering-" + strconv.Itoa(n)
				sb.Fill = "url(#" + s.Hatch + ")"
			}
		}
		s.Bars = append(s.Bars, sb)
	}
	return s
}
