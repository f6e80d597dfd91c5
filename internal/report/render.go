package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"baken/internal/baken"
)

// WriteLetter writes a council letter to w in format f: Markdown, HTML, PDF or DOCX.
// The document is rendered in full before anything is written, so a failure leaves w
// untouched. The same letter always gives the same bytes. A format the letter has no
// rendering for (XLSX, or an unknown one) is an Invalid error naming it.
func WriteLetter(w io.Writer, l Letter, f Format) error {
	if f == XLSX {
		return baken.Errorf(baken.Invalid, "format", "a council letter cannot be written as %s: use md, html, pdf or docx", f)
	}
	if err := writeDocument(w, letterDocument(l), f); err != nil {
		return fmt.Errorf("council letter: %w", err)
	}
	return nil
}

// WriteProgress writes a progress report to w in format f: Markdown, HTML, PDF, DOCX or
// an Excel workbook of its objectives, actions and indicator values. As WriteLetter,
// it writes nothing on failure and the same report always gives the same bytes.
func WriteProgress(w io.Writer, p Progress, f Format) error {
	var err error
	if f == XLSX {
		var b bytes.Buffer
		if err = writeProgressXLSX(&b, p); err == nil {
			_, err = w.Write(b.Bytes())
		}
	} else {
		err = writeDocument(w, progressDocument(p), f)
	}
	if err != nil {
		return fmt.Errorf("progress report: %w", err)
	}
	return nil
}

func writeDocument(w io.Writer, d document, f Format) error {
	var b bytes.Buffer
	var err error
	switch f {
	case Markdown:
		writeMarkdown(&b, d)
	case HTML:
		err = writeHTML(&b, d)
	case PDF:
		err = writePDF(&b, d)
	case DOCX:
		err = writeDOCX(&b, d)
	default:
		return unknownFormat(string(f))
	}
	if err != nil {
		return err
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", f, err)
	}
	return nil
}

func unknownFormat(s string) error {
	return baken.Errorf(baken.Invalid, "format", "unknown document format %q: use md, html, pdf, docx or xlsx", s)
}

// ParseFormat reads a format as given on the command line or in a URL: md (or
// markdown), html, pdf, docx or xlsx, in any case. Anything else is an Invalid error
// naming it.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md", "markdown":
		return Markdown, nil
	case "html":
		return HTML, nil
	case "pdf":
		return PDF, nil
	case "docx":
		return DOCX, nil
	case "xlsx":
		return XLSX, nil
	}
	return "", unknownFormat(s)
}

// ContentType is the media type to serve a document of format f with;
// application/octet-stream for an unknown format.
func ContentType(f Format) string {
	switch f {
	case Markdown:
		return "text/markdown; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// Extension is the file name extension of format f, with its dot (".md"); empty for an
// unknown format.
func Extension(f Format) string {
	switch f {
	case Markdown, HTML, PDF, DOCX, XLSX:
		return "." + string(f)
	}
	return ""
}
