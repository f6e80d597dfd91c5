package api

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"baken/internal/baken"
	"baken/internal/programme"
	"baken/internal/report"
	"baken/internal/store"
)

// The documents of a yearly programme (issue 6): the council letter and the progress
// report rendered from the live figures as known on a reference date, the documents
// issued of it (append-only, kept byte for byte), and issuing one. Any user of the
// gemeente reads them; the store lets a beleidsadviseur or beheerder issue (403 for
// others). Documents are served as their bytes with their own media type.

// documentFormats are the formats each kind of document is written in.
func documentFormats(kind store.DocumentKind) []report.Format {
	if kind == store.DocumentProgress {
		return []report.Format{report.Markdown, report.HTML, report.PDF, report.DOCX, report.XLSX}
	}
	return []report.Format{report.Markdown, report.HTML, report.PDF, report.DOCX}
}

// issuedJSON is an issued document without its body.
type issuedJSON struct {
	ID           string    `json:"id"`
	ProgrammeID  string    `json:"programme_id"`
	Gemeente     string    `json:"gemeente"`
	Kind         string    `json:"kind"`
	Format       string    `json:"format"`
	AsOf         string    `json:"as_of"`
	IssuedAt     time.Time `json:"issued_at"`
	IssuedBy     string    `json:"issued_by"`
	IssuedByName *string   `json:"issued_by_name"`
	SHA256       string    `json:"sha256"`
	Size         int       `json:"size"`
	URL          string    `json:"url"`
}

func issuedView(d store.IssuedDocument, names map[string]string) issuedJSON {
	v := issuedJSON{ID: d.ID, ProgrammeID: d.ProgrammeID, Gemeente: d.Gemeente, Kind: string(d.Kind), Format: d.Format,
		AsOf: d.AsOf.Format(time.DateOnly), IssuedAt: d.IssuedAt.UTC(), IssuedBy: d.IssuedBy, SHA256: d.SHA256, Size: d.Size,
		URL: Prefix + "/documents/" + d.ID}
	if name, ok := names[d.IssuedBy]; ok {
		v.IssuedByName = &name
	}
	return v
}

// today is the current calendar day where the installation is.
func (a *API) today() time.Time {
	n := a.now().In(a.loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// asOf reads a reference date (YYYY-MM-DD): today when empty; a day after today is
// invalid, as its figures are not known yet.
func (a *API) asOf(field, s string, fail func(field, format string, args ...any)) time.Time {
	today := a.today()
	if s == "" {
		return today
	}
	t, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		fail(field, "%q is not a date (YYYY-MM-DD)", s)
	case t.After(today):
		fail(field, "%s is after today (%s): its figures are not known yet", s, today.Format(time.DateOnly))
	default:
		return t
	}
	return today
}

// documentFormat reads the format of a kind of document.
func documentFormat(kind store.DocumentKind, s string, fail func(field, format string, args ...any)) report.Format {
	formats := documentFormats(kind)
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	if s == "" {
		fail("format", "missing: one of %v", names)
		return ""
	}
	f, err := report.ParseFormat(s)
	if err != nil || !slices.Contains(formats, f) {
		fail("format", "%q is not a format of a %s (one of %v)", s, kind, names)
		return ""
	}
	return f
}

// documentName is the file name of a document.
func documentName(kind store.DocumentKind, prog baken.Programme, asOf time.Time, f report.Format) string {
	return fmt.Sprintf("%s-%d-%s-%s%s", kind, prog.Year, prog.Gemeente, asOf.Format(time.DateOnly), report.Extension(f))
}

// writeFile answers with a document's bytes, to be saved under name.
func writeFile(w http.ResponseWriter, f report.Format, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", report.ContentType(f))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// renderDocument answers GET /programmes/{id}/council-letter and /progress: the
// document as known on ?as_of= (default today) in ?format=, not issued.
func (a *API) renderDocument(kind store.DocumentKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actorOf(r); err != nil {
			return err
		}
		q := parseQuery(r, "format", "as_of")
		f := documentFormat(kind, q.one("format"), q.fail)
		asOf := a.asOf("as_of", q.one("as_of"), q.fail)
		if err := q.err(); err != nil {
			return err
		}
		prog, err := a.db.FindProgramme(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := programme.Write(r.Context(), a.db, &b, kind, prog.Gemeente, prog.Year, asOf, f); err != nil {
			return fmt.Errorf("%s of programme %s: %w", kind, prog.ID, err)
		}
		writeFile(w, f, documentName(kind, prog, asOf, f), b.Bytes())
		return nil
	}
}

// listDocuments answers GET /programmes/{id}/documents: the documents issued of the
// programme, oldest first, without their bodies.
func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) error {
	if _, err := actorOf(r); err != nil {
		return err
	}
	if q := parseQuery(r); q.err() != nil {
		return q.err()
	}
	docs, err := a.db.FindIssuedDocuments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(docs))
	for _, d := range docs {
		ids = append(ids, d.IssuedBy)
	}
	names, err := a.db.FindUserNames(r.Context(), ids)
	if err != nil {
		return fmt.Errorf("documents of programme %s: %w", r.PathValue("id"), err)
	}
	out := programmeList[issuedJSON]{Items: make([]issuedJSON, 0, len(docs))}
	for _, d := range docs {
		out.Items = append(out.Items, issuedView(d, names))
	}
	return writeJSON(w, http.StatusOK, contentJSON, out)
}

// issueDocument answers POST /programmes/{id}/documents: it renders the document as
// known on as_of (default today) and stores it as issued.
func (a *API) issueDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := actorOf(r); err != nil {
		return err
	}
	if q := parseQuery(r); q.err() != nil {
		return q.err()
	}
	raw, err := readObject(w, r)
	if err != nil {
		return err
	}
	m := &members{raw: raw}
	m.allow("kind", "format", "as_of")
	kindText := m.text("kind", true)
	var kind store.DocumentKind
	if kindText != "" {
		if k, err := store.ParseDocumentKind(kindText); err != nil {
			m.fail("kind", "%q: want council-letter or progress", kindText)
		} else {
			kind = k
		}
	}
	var f report.Format
	if formatText := m.text("format", true); kind != "" && formatText != "" {
		f = documentFormat(kind, formatText, m.fail)
	}
	var asOfText string
	if m.has("as_of") {
		asOfText = m.text("as_of", false)
		if asOfText == "" && !m.failed("as_of") {
			m.fail("as_of", "an empty date: leave it out for today")
		}
	}
	asOf := a.asOf("as_of", asOfText, m.fail)
	if len(m.errs) > 0 {
		return m.errs.Err()
	}
	prog, err := a.db.FindProgramme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := programme.Issue(r.Context(), a.db, kind, prog.Gemeente, prog.Year, asOf, f)
	if err != nil {
		return err
	}
	names, err := a.db.FindUserNames(r.Context(), []string{d.IssuedBy})
	if err != nil {
		return fmt.Errorf("issue %s of programme %s: %w", kind, prog.ID, err)
	}
	w.Header().Set("Location", Prefix+"/documents/"+d.ID)
	return writeJSON(w, http.StatusCreated, contentJSON, issuedView(d, names))
}

// getDocument answers GET /documents/{id}: an issued document as it was issued.
func (a *API) getDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := actorOf(r); err != nil {
		return err
	}
	if q := parseQuery(r); q.err() != nil {
		return q.err()
	}
	d, err := a.db.FindIssuedDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(d.Format)
	if err != nil {
		return fmt.Errorf("issued document %s: %w", d.ID, err)
	}
	name := fmt.Sprintf("%s-%s-issued-%s%s", d.Kind, d.AsOf.Format(time.DateOnly), d.IssuedAt.UTC().Format("20060102T150405Z"), report.Extension(f))
	w.Header().Set("ETag", `"`+d.SHA256+`"`)
	writeFile(w, f, name, d.Body)
	return nil
}

// documentRoutes registers the programme's documents.
func (a *API) documentRoutes(mux *http.ServeMux, authed func(handler) http.Handler) {
	mux.Handle("GET "+Prefix+"/programmes/{id}/documents", authed(a.listDocuments))
	mux.Handle("POST "+Prefix+"/programmes/{id}/documents", authed(a.issueDocument))
	mux.Handle("GET "+Prefix+"/programmes/{id}/council-letter", authed(a.renderDocument(store.DocumentCouncilLetter)))
	mux.Handle("GET "+Prefix+"/programmes/{id}/progress", authed(a.renderDocument(store.DocumentProgress)))
	mux.Handle("GET "+Prefix+"/documents/{id}", authed(a.getDocument))
}
