package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WordprocessingML namespaces and relationship types.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsWP      = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA       = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic     = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"
	relDoc    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore   = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relApp    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
	relStyles = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	relFooter = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
	relImage  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// Page geometry in twentieths of a point (A4, 2.2 cm margins) and the chart's size in
// EMU (16 cm wide, the SVG's aspect ratio).
const (
	docxPageW    = 11906
	docxPageH    = 16838
	docxMargin   = 1247
	docxTextW    = docxPageW - 2*docxMargin
	emuPerCm     = 360000
	docxChartCX  = 16 * emuPerCm
	docxChartCY  = docxChartCX * svgHeight / svgWidth
	docxCellPadW = 2 * 108
)

// writeDOCX writes a document as a minimal WordprocessingML package: document, styles,
// a footer with the page number, the charts as PNG images and the core and app
// properties. Every zip entry carries the document's date, so the same document gives
// the same bytes.
func writeDOCX(b *bytes.Buffer, d document) error {
	var body strings.Builder
	var images [][]byte
	for i, bl := range d.Blocks {
		switch bl.Kind {
		case blockTitle:
			docxPara(&body, "Title", "", bl.Text)
		case blockFields:
			for j, f := range bl.Fields {
				style := "Fields"
				if j == len(bl.Fields)-1 {
					style = "FieldsLast"
				}
				docxPara(&body, style, f.Label+": ", f.Value)
			}
		case blockHeading:
			style := "Heading1"
			if bl.Level > 2 {
				style = "Heading2"
			}
			docxPara(&body, style, "", bl.Text)
		case blockPara:
			label := ""
			if bl.Label != "" {
				label = bl.Label + ": "
			}
			docxPara(&body, "", label, bl.Text)
		case blockItem:
			style := "ListItem"
			if i+1 >= len(d.Blocks) || d.Blocks[i+1].Kind != blockItem {
				style = "ListItemLast"
			}
			body.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
			body.WriteString(`<w:r><w:t>•</w:t></w:r><w:r><w:tab/></w:r>`)
			docxRun(&body, false, bl.Text)
			body.WriteString(`</w:p>`)
		case blockNote:
			docxPara(&body, "Note", "", bl.Text)
		case blockTable:
			docxTable(&body, bl.Table)
		case blockChart:
			img, err := chartPNG(bl.Chart)
			if err != nil {
				return err
			}
			images = append(images, img)
			docxChart(&body, bl.Chart, len(images))
		}
	}

	date := d.Date.UTC()
	if date.Year() < 1980 {
		date = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) // the earliest a zip entry holds
	}
	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(docxContentTypes)},
		{"_rels/.rels", []byte(docxPackageRels)},
		{"docProps/core.xml", []byte(docxCore(d, date))},
		{"docProps/app.xml", []byte(docxApp)},
		{"word/document.xml", []byte(docxDocument(body.String()))},
		{"word/styles.xml", []byte(docxStyles)},
		{"word/footer1.xml", []byte(docxFooter(d.Footer))},
		{"word/_rels/document.xml.rels", []byte(docxDocumentRels(len(images)))},
	}
	for i, img := range images {
		parts = append(parts, struct {
			name string
			data []byte
		}{"word/media/chart" + strconv.Itoa(i+1) + ".png", img})
	}

	zw := zip.NewWriter(b)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: date})
		if err != nil {
			return fmt.Errorf("docx: add %s: %w", p.name, err)
		}
		if _, err := w.Write(p.data); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: close zip: %w", err)
	}
	return nil
}

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

func docxRun(b *strings.Builder, bold bool, text string) {
	b.WriteString(`<w:r>`)
	if bold {
		b.WriteString(`<w:rPr><w:b/></w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
}

// docxPara writes a paragraph in a style ("" is Normal) with an optional bold label.
func docxPara(b *strings.Builder, style, label, text string) {
	b.WriteString(`<w:p>`)
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	if label != "" {
		docxRun(b, true, label)
	}
	docxRun(b, false, text)
	b.WriteString(`</w:p>`)
}

// docxTable writes a captioned table whose header row repeats on every page. Column
// widths follow the longest text in each column.
func docxTable(b *strings.Builder, t *table) {
	docxPara(b, "Caption", "", t.Caption)
	cols := len(t.Header)
	chars := make([]int, cols)
	for _, r := range append([][]string{t.Header}, t.Rows...) {
		for i := range min(cols, len(r)) {
			chars[i] = max(chars[i], utf8.RuneCountInString(r[i]))
		}
	}
	// About 130 twips per character of 9.5 pt text (Calibri needs less, the wider
	// fonts that stand in for it elsewhere more), but no column wider than the page allows.
	natural := make([]float64, cols)
	for i, n := range chars {
		natural[i] = float64(max(n, 4)*130 + docxCellPadW + 60)
	}
	fitted := fitColumns(natural, docxTextW)
	widths := make([]int, cols)
	total := 0
	for i, w := range fitted {
		widths[i] = int(w)
		total += widths[i]
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="` + strconv.Itoa(total) + `" w:type="dxa"/>`)
	b.WriteString(`<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i := range cols {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(widths[i]) + `" w:type="dxa"/>`)
			if header {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="E8EEF4"/>`)
			}
			b.WriteString(`</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`)
			if i < len(t.Numeric) && t.Numeric[i] {
				b.WriteString(`<w:jc w:val="right"/>`)
			}
			b.WriteString(`</w:pPr>`)
			docxRun(b, header, text)
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p>`)
}

// docxChart writes the n-th chart as an inline picture with its description as alt
// text, followed by its caption.
func docxChart(b *strings.Builder, c *chart, n int) {
	id := strconv.Itoa(n)
	cx, cy := strconv.Itoa(docxChartCX), strconv.Itoa(docxChartCY)
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr><w:r><w:drawing>`)
	b.WriteString(`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="` + cx + `" cy="` + cy + `"/>`)
	b.WriteString(`<wp:effectExtent l="0" t="0" r="0" b="0"/>`)
	b.WriteString(`<wp:docPr id="` + id + `" name="Grafiek ` + id + `" descr="` + esc(c.Alt) + `"/>`)
	b.WriteString(`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
	b.WriteString(`<a:graphic><a:graphicData uri="` + nsPic + `"><pic:pic>`)
	b.WriteString(`<pic:nvPicPr><pic:cNvPr id="` + id + `" name="chart` + id + `.png" descr="` + esc(c.Alt) + `"/><pic:cNvPicPr/></pic:nvPicPr>`)
	b.WriteString(`<pic:blipFill><a:blip r:embed="` + imageRelID(n) + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`)
	b.WriteString(`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="` + cx + `" cy="` + cy + `"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`)
	b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	caption := "Grafiek: " + c.Title
	if c.Unit != "" {
		caption += " (" + c.Unit + ")"
	}
	docxPara(b, "Note", "", caption+".")
}

func imageRelID(n int) string { return "rIdChart" + strconv.Itoa(n) }

func docxDocument(body string) string {
	return xmlHeader + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="` + nsWP +
		`" xmlns:a="` + nsA + `" xmlns:pic="` + nsPic + `"><w:body>` + body +
		`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(docxPageW) + `" w:h="` + strconv.Itoa(docxPageH) + `"/>` +
		`<w:pgMar w:top="1134" w:right="` + strconv.Itoa(docxMargin) + `" w:bottom="1134" w:left="` + strconv.Itoa(docxMargin) +
		`" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
}

func docxFooter(text string) string {
	return xmlHeader + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
		`<w:r><w:t xml:space="preserve">` + esc(text) + ` – pagina </w:t></w:r>` +
		`<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` +
		`<w:r><w:t xml:space="preserve"> van </w:t></w:r>` +
		`<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`
}

func docxDocumentRels(images int) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="` + relStyles + `" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdFooter" Type="` + relFooter + `" Target="footer1.xml"/>`)
	for i := 1; i <= images; i++ {
		b.WriteString(`<Relationship Id="` + imageRelID(i) + `" Type="` + relImage + `" Target="media/chart` + strconv.Itoa(i) + `.png"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func docxCore(d document, date time.Time) string {
	when := date.Format(time.RFC3339)
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:subject>` + esc(d.Subject) + `</dc:subject>` +
		`<dc:creator>` + esc(d.Author) + `</dc:creator><dc:language>nl-NL</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + when + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + when + `</dcterms:modified></cp:coreProperties>`
}

const docxContentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxPackageRels = xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">` +
	`<Relationship Id="rId1" Type="` + relDoc + `" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="` + relCore + `" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relApp + `" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxApp = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"` +
	` xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Baken</Application></Properties>`

// docxStyles holds the styles the document uses: Calibri 10.5 pt, Dutch as the
// language for spelling, headings in blue, tables with thin grey borders.
const docxStyles = xmlHeader + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>` +
	`<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="nl-NL" w:eastAsia="nl-NL" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:b/><w:color w:val="1F4E79"/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr><w:b/><w:color w:val="1F4E79"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr><w:b/><w:sz w:val="23"/><w:szCs w:val="23"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Fields"><w:name w:val="Fields"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="FieldsLast"><w:name w:val="Fields Last"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="B4B4B4"/></w:pBdr><w:spacing w:after="240"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListItem"><w:name w:val="List Item"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:tabs><w:tab w:val="left" w:pos="340"/></w:tabs><w:spacing w:after="40"/><w:ind w:left="340" w:hanging="283"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListItemLast"><w:name w:val="List Item Last"/><w:basedOn w:val="ListItem"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:after="40"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="AfterTable"><w:name w:val="After Table"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="80"/></w:pPr><w:rPr><w:color w:val="505050"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="505050"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
	`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/><w:left w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/><w:right w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="B4B4B4"/>` +
	`</w:tblBorders></w:tblPr></w:style>` +
	`</w:styles>`
