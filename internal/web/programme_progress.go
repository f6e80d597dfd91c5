package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/programme"
	"baken/internal/report"
	"baken/internal/store"
)

// The progress of a yearly programme (issue 6): the progress report as a page, the
// council letter and the progress report to download in every format, and, for a
// beleidsadviseur or beheerder, issuing them: an issued document is kept byte for byte,
// so that what went to the council can be shown again as it was.

// documentKind is a document of a programme as the pages name it.
type documentKind struct {
	slug    string // the page's name for it (URL segment and form value)
	kind    store.DocumentKind
	formats []report.Format
}

// documentKinds are the documents of a programme, with the formats each is written in.
func documentKinds() []documentKind {
	return []documentKind{
		{"raadsbrief", store.DocumentCouncilLetter, []report.Format{report.PDF, report.DOCX, report.HTML, report.Markdown}},
		{"voortgangsrapport", store.DocumentProgress, []report.Format{report.PDF, report.DOCX, report.XLSX, report.HTML, report.Markdown}},
	}
}

type progressPage struct {
	Page
	formErrors
	Programme    baken.Programme
	Suffix       string
	GemeenteName string
	Progress     programme.Progress
	Years        []int // the years of the indicator table
	AsOf         string
	Today        string
	Downloads    []downloadGroup
	Issued       []issuedView
	// The issue form.
	Kind, Format, IssueAsOf string
	Kinds, Formats          []formOption
}

type downloadGroup struct {
	Label string
	Links []formOption // Value: URL, Label: format
}

type issuedView struct {
	store.IssuedDocument
	Kind, Format, By, URL string
}

// Cells returns an indicator's values in the page's years.
func (p progressPage) Cells(in report.Indicator) []valueCell {
	cells := make([]valueCell, len(p.Years))
	for _, v := range in.Values {
		if i := slices.Index(p.Years, v.Period); i >= 0 {
			cells[i] = valueCell{Has: true, Value: v.Value, Count: in.Count, Provisional: v.Provisional}
		}
	}
	return cells
}

// IndicatorName names the indicator with a code, for an objective's main indicator.
func (p progressPage) IndicatorName(code string) string {
	for _, in := range p.Progress.Indicators {
		if in.Code == code {
			return in.Name
		}
	}
	return code
}

// AsOfText is the reference date as the page's language writes dates.
func (p progressPage) AsOfText() string {
	t, err := time.Parse(time.DateOnly, p.AsOf)
	if err != nil {
		return p.AsOf
	}
	return p.Day(&t)
}

// YearValue formats a baseline, target or actual value.
func (p progressPage) YearValue(v *report.YearValue) string {
	if v == nil {
		return "–"
	}
	s := strconv.Itoa(v.Year) + ": " + p.Number(v.Value)
	if v.Provisional {
		s += " " + p.T("programme.provisional.short")
	}
	return s
}

// ActionsDone says how many of the programme's actions are done.
func (p progressPage) ActionsDone() string {
	key := "progress.actions.other"
	if p.Progress.ActionsDone == 1 {
		key = "progress.actions.one"
	}
	return p.T(key, p.Progress.ActionsDone, p.Progress.ActionsTotal)
}

// Reason says in the page's language why the judgement of the objective at index i
// (of Progress.Objectives) is what it is.
func (p progressPage) Reason(i int) string {
	if i < 0 || i >= len(p.Progress.Verdicts) {
		return ""
	}
	v := p.Progress.Verdicts[i]
	r := v.Why
	key := "progress.reason." + string(r.Kind)
	switch r.Kind {
	case programme.NoIndicator, programme.NoBaseline, programme.NoDirection:
		return p.T(key)
	case programme.BaselineNotKnown, programme.NoTarget, programme.NoValue:
		return p.T(key, r.Year)
	}
	if !r.Compared() || v.Actual == nil || v.Target == nil {
		return ""
	}
	a, t := *v.Actual, *v.Target
	provisional := ""
	if a.Provisional {
		provisional = " (" + p.T("programme.provisional") + ")"
	}
	return p.T(key, p.Number(a.Value), a.Year, provisional, p.Number(r.Path), a.Year,
		p.Number(r.Baseline.Value), r.Baseline.Year, p.Number(t.Value), t.Year)
}

// Notes are the remarks under the page: what its figures are, and whether they come
// from generated demo data.
func (p progressPage) Notes() []string {
	out := []string{p.T("progress.note.asof", p.AsOfText())}
	switch p.Progress.Demo {
	case programme.AllDemo:
		out = append(out, p.T("progress.note.demo"))
	case programme.PartlyDemo:
		out = append(out, p.T("progress.note.demo.partly"))
	}
	return out
}

// today is the current day where the installation is, as a calendar date.
func (w *Web) today() time.Time {
	n := w.cfg.Now().In(w.cfg.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// asOfParam reads a reference date (peildatum): today when empty; false when it is not
// a date or lies after today.
func (w *Web) asOfParam(s string) (time.Time, bool) {
	today := w.today()
	if s = strings.TrimSpace(s); s == "" {
		return today, true
	}
	for _, layout := range []string{time.DateOnly, "02-01-2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, !t.After(today)
		}
	}
	return today, false
}

func (w *Web) newProgressPage(r *http.Request, a baken.Actor, prog baken.Programme, asOf time.Time) (progressPage, error) {
	ctx := r.Context()
	p := progressPage{Page: w.page(r, "", "programma"), Programme: prog, Suffix: gemeenteSuffix(a, prog.Gemeente),
		AsOf: asOf.Format(time.DateOnly), Today: w.today().Format(time.DateOnly), IssueAsOf: asOf.Format(time.DateOnly),
		Kind: documentKinds()[0].slug, Format: string(report.PDF)}
	p.Title = p.T("progress.title", prog.Year)
	var err error
	if p.Progress, err = programme.BuildProgress(ctx, w.cfg.DB, prog.Gemeente, prog.Year, asOf); err != nil {
		return p, err
	}
	p.GemeenteName = p.Progress.GemeenteName
	for _, in := range p.Progress.Indicators {
		for _, v := range in.Values {
			if !slices.Contains(p.Years, v.Period) {
				p.Years = append(p.Years, v.Period)
			}
		}
	}
	slices.Sort(p.Years)
	seen := map[string]bool{}
	for _, d := range documentKinds() {
		g := downloadGroup{Label: p.T("progress.kind." + d.slug)}
		p.Kinds = append(p.Kinds, formOption{Value: d.slug, Label: g.Label})
		for _, f := range d.formats {
			q := url.Values{"formaat": {string(f)}, "peildatum": {p.AsOf}}
			if s := p.Suffix; s != "" {
				q.Set("gemeente", prog.Gemeente)
			}
			g.Links = append(g.Links, formOption{Value: "/programma/" + strconv.Itoa(prog.Year) + "/" + d.slug + "?" + q.Encode(),
				Label: p.T("progress.format." + string(f))})
			if !seen[string(f)] {
				seen[string(f)] = true
				p.Formats = append(p.Formats, formOption{Value: string(f), Label: p.T("progress.format." + string(f))})
			}
		}
		p.Downloads = append(p.Downloads, g)
	}
	docs, err := w.cfg.DB.FindIssuedDocuments(ctx, prog.ID)
	if err != nil {
		return p, err
	}
	ids := make([]string, 0, len(docs))
	for _, d := range docs {
		ids = append(ids, d.IssuedBy)
	}
	names, err := w.cfg.DB.FindUserNames(ctx, ids)
	if err != nil {
		return p, fmt.Errorf("progress page: issuers: %w", err)
	}
	for i := len(docs) - 1; i >= 0; i-- {
		d := docs[i]
		v := issuedView{IssuedDocument: d, Format: p.T("progress.format." + d.Format), By: whoName(p.Page, a, names, d.IssuedBy),
			URL: "/programma/uitgegeven/" + d.ID + "/bestand"}
		for _, k := range documentKinds() {
			if k.kind == d.Kind {
				v.Kind = p.T("progress.kind." + k.slug)
			}
		}
		p.Issued = append(p.Issued, v)
	}
	return p, nil
}

func (w *Web) progress(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	prog, err := w.programmeOfYear(r, a)
	if err != nil {
		return err
	}
	asOf, ok := w.asOfParam(r.URL.Query().Get("peildatum"))
	p, err := w.newProgressPage(r, a, prog, asOf)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !ok {
		p.Errors = append(p.Errors, FormError{Field: "peildatum", Key: "progress.error.asof"})
		p.AsOf = r.URL.Query().Get("peildatum")
		status = http.StatusBadRequest
	}
	switch {
	case r.URL.Query().Get("uitgegeven") == "1":
		p.Notice = p.T("progress.issued.notice")
	}
	return w.render(rw, r, status, "programme_progress", p)
}

// documentOf finds a document kind by the page's name for it.
func documentOf(slug string) (store.DocumentKind, []report.Format, bool) {
	for _, d := range documentKinds() {
		if d.slug == slug {
			return d.kind, d.formats, true
		}
	}
	return "", nil, false
}

// download answers GET /programma/{jaar}/raadsbrief and /voortgangsrapport: the document
// as known on ?peildatum= (default today) in ?formaat=.
func (w *Web) download(slug string) handler {
	return func(rw http.ResponseWriter, r *http.Request) error {
		a, err := requireActor(r)
		if err != nil {
			return err
		}
		prog, err := w.programmeOfYear(r, a)
		if err != nil {
			return err
		}
		kind, formats, _ := documentOf(slug)
		f, err := report.ParseFormat(r.URL.Query().Get("formaat"))
		if err != nil || !slices.Contains(formats, f) {
			return baken.Errorf(baken.Invalid, "formaat", "%q is not a format of this document", r.URL.Query().Get("formaat"))
		}
		asOf, ok := w.asOfParam(r.URL.Query().Get("peildatum"))
		if !ok {
			return baken.Errorf(baken.Invalid, "peildatum", "%q is not a day up to today", r.URL.Query().Get("peildatum"))
		}
		var b bytes.Buffer
		if err := programme.Write(r.Context(), w.cfg.DB, &b, kind, prog.Gemeente, prog.Year, asOf, f); err != nil {
			return err
		}
		name := fmt.Sprintf("%s-%d-%s-%s%s", slug, prog.Year, prog.Gemeente, asOf.Format(time.DateOnly), report.Extension(f))
		serveDocument(rw, f, name, b.Bytes())
		return nil
	}
}

func serveDocument(rw http.ResponseWriter, f report.Format, name string, body []byte) {
	h := rw.Header()
	h.Set("Content-Type", report.ContentType(f))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(http.StatusOK)
	rw.Write(body)
}

// issue answers POST /programma/{jaar}/uitgeven: it issues the chosen document.
func (w *Web) issue(rw http.ResponseWriter, r *http.Request) error {
	a, err := programmeEditor(r)
	if err != nil {
		return err
	}
	prog, err := w.programmeOfYear(r, a)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return baken.Errorf(baken.Invalid, "form", "the form could not be read")
	}
	slug, format, asOfText := r.PostForm.Get("soort"), r.PostForm.Get("formaat"), r.PostForm.Get("peildatum")
	var problems []FormError
	kind, formats, ok := documentOf(slug)
	if !ok {
		problems = append(problems, FormError{Field: "soort", Key: "progress.error.kind"})
	}
	f, err := report.ParseFormat(format)
	if err != nil || (ok && !slices.Contains(formats, f)) {
		problems = append(problems, FormError{Field: "formaat", Key: "progress.error.format"})
	}
	asOf, asOfOK := w.asOfParam(asOfText)
	if !asOfOK || strings.TrimSpace(asOfText) == "" {
		problems = append(problems, FormError{Field: "uitgifte-peildatum", Key: "progress.error.asof"})
	}
	if len(problems) == 0 {
		_, err := programme.Issue(r.Context(), w.cfg.DB, kind, prog.Gemeente, prog.Year, asOf, f)
		switch {
		case err == nil:
			u := "/programma/" + strconv.Itoa(prog.Year) + "/voortgang" + gemeenteSuffix(a, prog.Gemeente)
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			http.Redirect(rw, r, u+sep+"uitgegeven=1#uitgegeven", http.StatusSeeOther)
			return nil
		case baken.IsKind(err, baken.Invalid):
			problems = append(problems, issueProblems(err)...)
		default:
			return err
		}
	}
	p, err := w.newProgressPage(r, a, prog, w.today())
	if err != nil {
		return err
	}
	p.Errors, p.Kind, p.Format, p.IssueAsOf = problems, slug, format, asOfText
	return w.render(rw, r, http.StatusBadRequest, "programme_progress", p)
}

// issued answers GET /programma/uitgegeven/{id}/bestand: an issued document as it was
// issued.
func (w *Web) issued(rw http.ResponseWriter, r *http.Request) error {
	if _, err := requireActor(r); err != nil {
		return err
	}
	d, err := w.cfg.DB.FindIssuedDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(d.Format)
	if err != nil {
		return fmt.Errorf("issued document %s: %w", d.ID, err)
	}
	slug := string(d.Kind)
	for _, k := range documentKinds() {
		if k.kind == d.Kind {
			slug = k.slug
		}
	}
	name := fmt.Sprintf("%s-%s-uitgegeven-%s%s", slug, d.AsOf.Format(time.DateOnly), d.IssuedAt.UTC().Format("20060102T150405Z"), report.Extension(f))
	serveDocument(rw, f, name, d.Body)
	return nil
}

// issueProblems maps the fields of an Invalid error of issuing onto the issue form.
func issueProblems(err error) []FormError {
	fields := map[string]FormError{
		"kind":   {Field: "soort", Key: "progress.error.kind"},
		"format": {Field: "formaat", Key: "progress.error.format"},
	}
	var out []FormError
	var fe baken.FieldErrors
	if errors.As(err, &fe) {
		for _, e := range fe {
			if f, ok := fields[e.Field]; ok {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, FormError{Field: "uitgifte-peildatum", Key: "progress.error.asof"})
	}
	return out
}
