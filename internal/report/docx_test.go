package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// unzipDOCX reads every part of a DOCX package.
func unzipDOCX(t *testing.T, data []byte) (map[string][]byte, []*zip.File) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the docx is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts, zr.File
}

// wordParagraph is a paragraph of word/document.xml: its style and its text.
type wordParagraph struct {
	Style string
	Text  string
}

// wordDocument reads the paragraphs (table cells included) and the embedded image
// relationship ids of word/document.xml, failing on XML that does not parse.
func wordDocument(t *testing.T, doc []byte) (paras []wordParagraph, embeds []string, headerRows int) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var cur *wordParagraph
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("word/document.xml does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "p":
				cur = &wordParagraph{}
			case "pStyle":
				if cur != nil {
					cur.Style = attr(tok, "val")
				}
			case "t":
				inText = true
			case "tab":
				if cur != nil {
					cur.Text += "\t"
				}
			case "blip":
				embeds = append(embeds, attr(tok, "embed"))
			case "tblHeader":
				headerRows++
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "p":
				if cur != nil {
					paras = append(paras, *cur)
				}
				cur = nil
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText && cur != nil {
				cur.Text += string(tok)
			}
		}
	}
	return paras, embeds, headerRows
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func TestDOCXLetter(t *testing.T) {
	data := render(t, diemenLetter(t), DOCX)
	parts, files := unzipDOCX(t, data)

	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("the docx has no %s", name)
		}
	}
	// Every XML part parses.
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := xmlWellFormed(b); err != nil {
				t.Errorf("%s does not parse: %v", name, err)
			}
		}
	}
	// The entries carry the reference date, not the time of rendering.
	for _, f := range files {
		if got := f.Modified.UTC(); !got.Equal(time.Date(2024, 2, 6, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s is dated %v, want 2024-02-06", f.Name, got)
		}
	}

	paras, embeds, headerRows := wordDocument(t, parts["word/document.xml"])
	var text strings.Builder
	styles := map[string]bool{}
	for _, p := range paras {
		text.WriteString(p.Text + "\n")
		styles[p.Style] = true
	}
	inOrder(t, text.String(),
		"Raadsinformatiebrief\n",
		"Datum: 6 februari 2024\n",
		"Aanleiding en voorgeschiedenis\n",
		"Collegebesluit\n", "Ja, op 6 februari 2024.\n",
		"Samenvatting\n",
		"1. Verder versterken van de aanpak van ondermijnende criminaliteit\n",
		"•\tsamenwerking in de regio;\n",
		"Cijfers\n",
		"Jeugdoverlast, gemeente Diemen, per jaar\n",
		"Jaar\nWaarde (registraties)\nStatus\n",
		"2020\n258\ndefinitief\n",
		"2023\n98*\nvoorlopig\n",
		"Grafiek: Jeugdoverlast per jaar (registraties).\n",
		"2022\n<5\n",
		"2023\n24,3\n",
		"Vervolg\n",
		"Cijfers zoals bekend op 6 februari 2024.\n",
	)
	// Headings and tables use styles that styles.xml defines.
	for _, want := range []string{"Title", "Heading1", "Heading2", "Caption"} {
		if !styles[want] {
			t.Errorf("no paragraph in style %s", want)
		}
	}
	for style := range styles {
		if style != "" && !bytes.Contains(parts["word/styles.xml"], []byte(`w:styleId="`+style+`"`)) {
			t.Errorf("style %s is used but not defined", style)
		}
	}
	if !bytes.Contains(parts["word/styles.xml"], []byte(`w:styleId="TableGrid"`)) {
		t.Error("styles.xml has no table style")
	}
	if headerRows != 3 {
		t.Errorf("%d tables with a header row, want 3", headerRows)
	}

	// Each chart is a picture whose relationship leads to a PNG in word/media.
	if len(embeds) != 3 {
		t.Fatalf("%d pictures, want a chart per indicator (3)", len(embeds))
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["word/_rels/document.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/image") {
			targets[r.ID] = path.Join("word", r.Target)
		}
	}
	for _, id := range embeds {
		target, ok := targets[id]
		if !ok {
			t.Errorf("picture %s has no image relationship", id)
			continue
		}
		if !strings.HasPrefix(target, "word/media/") {
			t.Errorf("picture %s is %s, want it in word/media", id, target)
		}
		if _, err := png.Decode(bytes.NewReader(parts[target])); err != nil {
			t.Errorf("picture %s (%s) is not a PNG: %v", id, target, err)
		}
	}
	if !bytes.Contains(parts["[Content_Types].xml"], []byte(`Extension="png" ContentType="image/png"`)) {
		t.Error("[Content_Types].xml does not declare PNG")
	}
	if !bytes.Contains(parts["docProps/core.xml"], []byte("2024-02-06T00:00:00Z")) {
		t.Error("docProps/core.xml does not carry the reference date")
	}

	// Optional: LibreOffice opens the file and converts it to PDF.
	if soffice, err := exec.LookPath("soffice"); err == nil {
		convertWithLibreOffice(t, soffice, data)
	}
}

func TestDOCXProgress(t *testing.T) {
	parts, _ := unzipDOCX(t, render(t, diemenProgress(t), DOCX))
	paras, _, _ := wordDocument(t, parts["word/document.xml"])
	var text strings.Builder
	for _, p := range paras {
		text.WriteString(p.Text + "\n")
	}
	inOrder(t, text.String(),
		"Stand op 30 september 2024.\n",
		"7 van 15 acties afgerond (47%).\n",
		"Doelstelling 1: Afname jeugdoverlast\n",
		"Nulmeting → streefwaarde → actueel: 258 registraties (2020) → 90 registraties (2026) → 98* registraties (2023)\n",
		"Oordeel: op koers.",
		"Actie\nEigenaar\nPartners\nStatus\nRAG\n",
		"Doelstelling 2:",
		"<5 sluitingen (2022)",
	)
}

func xmlWellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// convertWithLibreOffice converts the DOCX to PDF with LibreOffice, as a council
// member's word processor would open it, and checks that the text survives.
func convertWithLibreOffice(t *testing.T, soffice string, docx []byte) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "brief.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice conversion: %v\n%s", err, msg)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "brief.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice made no PDF: %v", err)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		text := pdfText(t, pdftotext, pdf)
		for _, want := range []string{"Raadsinformatiebrief", "6 februari 2024", "258", "98*", "<5", "pagina 1 van"} {
			if !strings.Contains(text, want) {
				t.Errorf("the DOCX converted by LibreOffice does not say %q", want)
			}
		}
	}
}
