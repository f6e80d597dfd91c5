package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textChartWidth is the length in characters of the longest bar of a Markdown chart.
const textChartWidth = 40

// writeMarkdown writes a document as CommonMark with GitHub tables. A chart becomes a
// text chart in a code block, next to the table with the same figures.
func writeMarkdown(b *bytes.Buffer, d document) {
	for i, bl := range d.Blocks {
		switch bl.Kind {
		case blockTitle:
			b.WriteString("# " + mdInline(bl.Text) + "\n")
		case blockFields:
			for j, f := range bl.Fields {
				if j > 0 {
					b.WriteString("\\\n")
				}
				b.WriteString("**" + mdInline(f.Label) + ":** " + mdInline(f.Value))
			}
			b.WriteString("\n")
		case blockHeading:
			b.WriteString(strings.Repeat("#", bl.Level) + " " + mdInline(bl.Text) + "\n")
		case blockPara, blockNote:
			if bl.Label != "" {
				b.WriteString("**" + mdInline(bl.Label) + ":** " + mdInline(bl.Text) + "\n")
			} else {
				b.WriteString(mdEscape(bl.Text) + "\n")
			}
		case blockItem:
			b.WriteString("- " + mdEscape(bl.Text) + "\n")
			if i+1 < len(d.Blocks) && d.Blocks[i+1].Kind == blockItem {
				continue // no blank line inside a list
			}
		case blockTable:
			mdTable(b, bl.Table)
		case blockChart:
			mdChart(b, bl.Chart)
		}
		if i+1 < len(d.Blocks) {
			b.WriteString("\n")
		}
	}
}

func mdTable(b *bytes.Buffer, t *table) {
	b.WriteString("*" + mdInline(t.Caption) + "*\n\n")
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + mdInline(c) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for i := range t.Header {
		if i < len(t.Numeric) && t.Numeric[i] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
}

// mdChart draws the bars with block characters; a provisional bar is shaded lighter and
// a suppressed value has no bar, only its label "<5".
func mdChart(b *bytes.Buffer, c *chart) {
	title := "Grafiek: " + c.Title
	if c.Unit != "" {
		title += " (" + c.Unit + ")"
	}
	b.WriteString("*" + mdInline(title) + "*\n\n```text\n")
	labelWidth := 0
	for _, br := range c.Bars {
		labelWidth = max(labelWidth, utf8.RuneCountInString(br.Label))
	}
	for _, br := range c.Bars {
		n := int(math.Round((br.Hi - br.Lo) * textChartWidth))
		if br.Suppressed {
			n = 0
		}
		fill := "█"
		if br.Provisional {
			fill = "▒"
		}
		fmt.Fprintf(b, "%-*s %-*s %s\n", labelWidth, br.Label, textChartWidth, strings.Repeat(fill, n), br.ValueLabel)
	}
	b.WriteString("```\n")
}

// mdEscape escapes plain text that starts a line: mdInline, and a block marker at the
// start ("#", "-", "1.") that would make a heading or a list of it.
func mdEscape(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("#>+-=~", rune(s[0])) {
		return "\\" + mdInline(s)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 && i <= 9 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + "\\" + mdInline(s[i:])
	}
	return mdInline(s)
}

// mdInline escapes what CommonMark would read as inline markup in plain text: emphasis,
// code, links, table pipes, HTML tags and entities.
func mdInline(s string) string {
	var b strings.Builder
	for i, r := range s {
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case strings.ContainsRune("\\`*_[]|", r):
			b.WriteByte('\\')
		case r == '<' && (isASCIILetter(next) || next == '/' || next == '!' || next == '?'):
			b.WriteByte('\\')
		case r == '&' && isEntity(s[i+1:]):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isEntity reports whether s (what follows a "&") would make an HTML entity: a name or
// "#" and a number, then ";".
func isEntity(s string) bool {
	s = strings.TrimPrefix(s, "#")
	n := 0
	for n < len(s) && (isASCIILetter(s[n]) || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return n > 0 && n < len(s) && s[n] == ';'
}
