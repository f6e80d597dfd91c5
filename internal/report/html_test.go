package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// htmlElement is an element of the page as the tests see it.
type htmlElement struct {
	Name  string
	Attrs map[string]string
	Text  string // all text inside it
}

// parseHTML reads the page as XML: the renderer writes well-formed markup (void
// elements closed, only XML's entities), so a strict XML parser reads it completely, and
// any unbalanced tag fails the test.
func parseHTML(t *testing.T, page []byte) []htmlElement {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	var all []htmlElement
	var open []int // indexes into all
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := htmlElement{Name: tok.Name.Local, Attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			all = append(all, e)
			open = append(open, len(all)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			for _, i := range open {
				all[i].Text += string(tok)
			}
		}
	}
	if len(open) != 0 {
		t.Fatalf("%d elements are not closed", len(open))
	}
	return all
}

func elements(all []htmlElement, name string) []htmlElement {
	var out []htmlElement
	for _, e := range all {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

func TestHTMLLetter(t *testing.T) {
	page := render(t, diemenLetter(t), HTML)
	if !bytes.HasPrefix(page, []byte("<!doctype html>\n<html lang=\"nl\">")) {
		t.Errorf("the page does not start with a doctype and lang=\"nl\": %.60q", page)
	}
	all := parseHTML(t, page)

	if h1 := elements(all, "h1"); len(h1) != 1 || h1[0].Text != "Raadsinformatiebrief" {
		t.Errorf("h1 = %+v, want one: Raadsinformatiebrief", h1)
	}
	var h2 []string
	for _, e := range elements(all, "h2") {
		h2 = append(h2, e.Text)
	}
	if got, want := strings.Join(h2, " / "), "Aanleiding en voorgeschiedenis / Collegebesluit / Samenvatting / Cijfers / Vervolg"; got != want {
		t.Errorf("sections = %q, want %q", got, want)
	}

	// Every indicator has a table with a caption and headers with a scope.
	tables := elements(all, "table")
	captions := elements(all, "caption")
	if len(tables) != 3 || len(captions) != 3 {
		t.Fatalf("%d tables with %d captions, want 3 and 3", len(tables), len(captions))
	}
	for i, want := range []string{
		"Jeugdoverlast, gemeente Diemen, per jaar",
		"Sluitingen op grond van artikel 13b Opiumwet, gemeente Diemen, per jaar",
		"Inwoners die zich weleens onveilig voelen in de eigen buurt, gemeente Diemen, per jaar",
	} {
		if captions[i].Text != want {
			t.Errorf("caption %d = %q, want %q", i, captions[i].Text, want)
		}
	}
	for _, th := range elements(all, "th") {
		if s := th.Attrs["scope"]; s != "col" && s != "row" {
			t.Errorf("<th>%s</th> has scope %q, want col or row", th.Text, s)
		}
	}
	if !strings.Contains(tables[0].Text, "2023") || !strings.Contains(tables[0].Text, "98*") || !strings.Contains(tables[1].Text, "<5") {
		t.Errorf("the tables lack the figures: %q / %q", tables[0].Text, tables[1].Text)
	}

	// Every chart is an image with a text alternative that has the figures.
	svgs := elements(all, "svg")
	if len(svgs) != 3 {
		t.Fatalf("%d charts, want 3", len(svgs))
	}
	for _, s := range svgs {
		if s.Attrs["role"] != "img" || s.Attrs["aria-label"] == "" {
			t.Errorf("chart without role=img and aria-label: %v", s.Attrs)
		}
	}
	if !strings.Contains(svgs[1].Attrs["aria-label"], "2022: minder dan 5") {
		t.Errorf("the alternative of the closures chart does not say the count is under 5: %q", svgs[1].Attrs["aria-label"])
	}
	if got := len(elements(all, "rect")); got == 0 {
		t.Error("the charts have no bars")
	}

	// Self-contained: no script, no resource from elsewhere.
	if len(elements(all, "script")) > 0 {
		t.Error("the page has a script")
	}
	for _, e := range all {
		for _, a := range []string{"src", "href"} {
			if v, ok := e.Attrs[a]; ok && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q> loads or links outside the page", e.Name, a, v)
			}
		}
		if e.Name == "link" {
			t.Errorf("<link %v> loads a resource", e.Attrs)
		}
	}
	if bytes.Contains(page, []byte("url(http")) || bytes.Contains(page, []byte("@import")) {
		t.Error("the style loads a resource")
	}
}

func TestHTMLProgress(t *testing.T) {
	all := parseHTML(t, render(t, diemenProgress(t), HTML))
	var h3 []string
	for _, e := range elements(all, "h3") {
		h3 = append(h3, e.Text)
	}
	for _, want := range []string{"Doelstelling 1: Afname jeugdoverlast", "Doelstelling 4: Aanpak onbegrepen en onveilig gedrag"} {
		if !strings.Contains(strings.Join(h3, "\n"), want) {
			t.Errorf("no heading %q in %q", want, h3)
		}
	}
	var captions []string
	for _, e := range elements(all, "caption") {
		captions = append(captions, e.Text)
	}
	for _, want := range []string{"Acties per status", "Acties bij doelstelling 1", "Acties bij doelstelling 4", "Jeugdoverlast, gemeente Diemen, per jaar"} {
		if !strings.Contains(strings.Join(captions, "\n"), want) {
			t.Errorf("no table %q in %q", want, captions)
		}
	}
	var text strings.Builder
	for _, e := range elements(all, "article") {
		text.WriteString(e.Text)
	}
	for _, want := range []string{"Stand op 30 september 2024.", "7 van 15 acties afgerond (47%).", "niet op koers", "<5 sluitingen (2022)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the page does not say %q", want)
		}
	}
}

// Text from the data is text, never markup, in every format.
func TestEscaping(t *testing.T) {
	l := diemenLetter(t)
	l.Title = `Overlast <script>alert("x")</script> & meer`
	l.Priorities[0].Text = "*niet vet* en [geen link](https://example.org)"

	page := render(t, l, HTML)
	if bytes.Contains(page, []byte("<script>")) {
		t.Error("the title's <script> reached the HTML page unescaped")
	}
	all := parseHTML(t, page)
	if dd := elements(all, "dd"); len(dd) < 2 || dd[1].Text != l.Title {
		t.Errorf("onderwerp = %+v, want the title as text", dd)
	}

	md := string(render(t, l, Markdown))
	for _, want := range []string{`Overlast \<script>alert("x")\</script> & meer`, `\*niet vet\* en \[geen link\](https://example.org)`} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown does not hold %q", want)
		}
	}
}
