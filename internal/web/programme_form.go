package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
)

// The programme's forms share one template and one flow. A form is described once per
// entity (programme_forms.go): its fields, how an entity becomes form values and back,
// and how the store is called. Editing starts from the stored entity and changes only
// what the form shows, so fields the form does not know are kept.
//
// Problems are shown the NL Design System way: a summary at the top linking to each
// field, and the message at the field itself (aria-describedby, aria-invalid). A change
// made meanwhile by someone else (the store's version check) is a message with a link
// to the current version; nothing is lost silently.

// formField is one input of a form as the template draws it; its texts are translated.
type formField struct {
	ID       string // the input's id and name
	Kind     string // text, number, date, textarea, select, radio, checkbox, checkboxes
	Label    string
	Optional string // "(optioneel)" for a field that may stay empty
	Hint     string
	Value    string
	Values   []string // the checked options of checkboxes
	Options  []formOption
	Error    string
}

type formOption struct{ Value, Label string }

// Anchor is the id the error summary links to: the field, or a group's first option.
func (f formField) Anchor() string {
	if f.Group() {
		return f.ID + "-0"
	}
	return f.ID
}

// Group reports whether the field is a group of options in a fieldset.
func (f formField) Group() bool { return f.Kind == "radio" || f.Kind == "checkboxes" }

// Has reports whether an option is chosen.
func (f formField) Has(v string) bool {
	if f.Kind == "checkboxes" {
		return slices.Contains(f.Values, v)
	}
	return f.Value == v
}

// Describedby lists the ids of the hint and the error, for aria-describedby.
func (f formField) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-fout")
	}
	return strings.Join(ids, " ")
}

// fieldSpec describes a field of an entity's form; texts are catalogue keys.
type fieldSpec struct {
	id       string
	kind     string
	label    string
	hint     string
	err      string   // the message when the value is wrong
	taken    string   // the message when the value is taken (a unique number or code)
	json     []string // the entity fields the store names in its errors
	optional bool
	newOnly  bool                      // shown when creating only (an immutable link)
	options  func(p Page) []formOption // fixed choices
	dynamic  bool                      // choices come from the setup
	choices  string                    // the setup's choices it uses, when not its own id's
	args     []any                     // arguments of the label
}

// formSetup is what a form page needs around its entity.
type formSetup struct {
	back     string // the page that shows the entity
	fragment string // the entity's anchor on that page
	context  string // what the entity belongs to, under the heading
	options  map[string][]formOption
}

// entityForm is how one kind of programme entity is edited.
type entityForm[T any] struct {
	name   string // catalogue segment: plan, priority, programme, objective, action, indicator
	entity string // the store's history entity
	specs  []fieldSpec
	encode func(T) url.Values
	decode func(*formReader, *T)
	audit  func(*T) *baken.Audit
	id     func(T) string
	title  func(T) string
	load   func(r *http.Request, a baken.Actor) (T, error)
	update func(ctx context.Context, v T) (T, error)
	create func(ctx context.Context, v T) (T, error)
	blank  func(r *http.Request, a baken.Actor) (T, error)
	setup  func(ctx context.Context, p Page, a baken.Actor, v T) (formSetup, error)
	// more returns the fields of a list whose length follows the values (a programme's
	// current themes: one group per theme and an empty one to add a theme).
	more    func(values url.Values) []fieldSpec
	edit    func(a baken.Actor, v T) string // the edit form of v
	history func(a baken.Actor, v T) string // the history page of v
}

// formReader reads form values into an entity, remembering the fields that are wrong.
type formReader struct {
	values url.Values
	bad    map[string]bool
}

func (f *formReader) fail(id string) { f.bad[id] = true }

// text returns a field's trimmed text, with line ends as \n.
func (f *formReader) text(id string) string {
	return strings.TrimSpace(strings.ReplaceAll(f.values.Get(id), "\r\n", "\n"))
}

// integer reads a whole number; empty or not a number is wrong.
func (f *formReader) integer(id string) int {
	n, err := strconv.Atoi(f.text(id))
	if err != nil {
		f.fail(id)
	}
	return n
}

// number reads a decimal number (comma or point); nil when empty.
func (f *formReader) number(id string) *float64 {
	s := f.text(id)
	if s == "" {
		return nil
	}
	v, ok := parseNumber(s)
	if !ok {
		f.fail(id)
		return nil
	}
	return &v
}

// date reads a date (YYYY-MM-DD, or DD-MM-YYYY as typed in Dutch); nil when empty.
func (f *formReader) date(id string) *time.Time {
	s := f.text(id)
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.DateOnly, "02-01-2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	f.fail(id)
	return nil
}

// lines reads one item per line (or separated by semicolons), leaving out empty ones.
func (f *formReader) lines(id string) []string {
	out := []string{}
	for _, s := range strings.FieldsFunc(f.text(id), func(r rune) bool { return r == '\n' || r == ';' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// codes reads codes separated by commas, spaces or lines.
func (f *formReader) codes(id string) []string {
	out := []string{}
	for _, s := range strings.FieldsFunc(f.text(id), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		out = append(out, s)
	}
	return out
}

// checked reads the chosen options of a group of checkboxes.
func (f *formReader) checked(id string) []string {
	out := []string{}
	for _, s := range f.values[id] {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// flag reads a checkbox.
func (f *formReader) flag(id string) bool { return f.values.Get(id) != "" }

func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(v) {
		return 0, false
	}
	return v, true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// number writes a value as a form shows it, with a decimal comma.
func numberValue(f float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(f, 'f', -1, 64), ".", ",")
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// programmeFormPage is the data of the form template.
type programmeFormPage struct {
	Page
	Heading  string
	Context  string
	Action   string
	Cancel   string
	History  string
	Version  int
	Fields   []formField
	Other    []string // problems the store names without a field of the form
	Conflict bool
	Current  int    // the version stored now, on a conflict
	Reload   string // the form with the stored version
}

// Invalid returns the fields with a problem, in form order.
func (p programmeFormPage) Invalid() []formField {
	var out []formField
	for _, f := range p.Fields {
		if f.Error != "" {
			out = append(out, f)
		}
	}
	return out
}

// specsOf returns the fields of the form for values.
func (f *entityForm[T]) specsOf(values url.Values) []fieldSpec {
	if f.more == nil {
		return f.specs
	}
	return append(slices.Clone(f.specs), f.more(values)...)
}

// fields builds the form's fields from values and the problems found.
func (f *entityForm[T]) fields(p Page, s formSetup, values url.Values, creating bool, problems map[string]string) []formField {
	var out []formField
	for _, sp := range f.specsOf(values) {
		if sp.newOnly && !creating {
			continue
		}
		ff := formField{ID: sp.id, Kind: sp.kind, Label: p.T(sp.label, sp.args...), Value: values.Get(sp.id), Values: values[sp.id]}
		if sp.optional {
			ff.Optional = p.T("programme.optional")
		}
		if sp.hint != "" {
			ff.Hint = p.T(sp.hint)
		}
		switch {
		case sp.options != nil:
			ff.Options = sp.options(p)
		case sp.dynamic && sp.choices != "":
			ff.Options = s.options[sp.choices]
		case sp.dynamic:
			ff.Options = s.options[sp.id]
		}
		if key, ok := problems[sp.id]; ok {
			ff.Error = p.T(key)
		}
		out = append(out, ff)
	}
	return out
}

// storeProblems maps the store's field errors onto the form's fields: the message of a
// field is the form's own (in the page's language). What fits no field is returned apart.
func (f *entityForm[T]) storeProblems(err error, values url.Values, problems map[string]string) []string {
	var list []*baken.Error
	var fe baken.FieldErrors
	var one *baken.Error
	switch {
	case errors.As(err, &fe):
		list = fe
	case errors.As(err, &one):
		list = []*baken.Error{one}
	}
	var other []string
	for _, e := range list {
		sp, ok := f.specFor(values, e.Field)
		switch {
		case !ok:
			other = append(other, e.Message)
		case e.Kind == baken.Conflict && sp.taken != "":
			problems[sp.id] = sp.taken
		case problems[sp.id] == "":
			problems[sp.id] = sp.err
		}
	}
	return other
}

// specFor finds the field the store means: the JSON field, or a member or element of it.
func (f *entityForm[T]) specFor(values url.Values, field string) (fieldSpec, bool) {
	for _, sp := range f.specsOf(values) {
		for _, j := range sp.json {
			if field == j || strings.HasPrefix(field, j+"[") || strings.HasPrefix(field, j+".") {
				return sp, true
			}
		}
	}
	return fieldSpec{}, false
}

// page builds the form page.
func (f *entityForm[T]) page(w *Web, r *http.Request, a baken.Actor, v T, creating bool, values url.Values,
	problems map[string]string) (programmeFormPage, error) {
	p := programmeFormPage{Page: w.page(r, "", "programma"), Action: r.URL.RequestURI()}
	s, err := f.setup(r.Context(), p.Page, a, v)
	if err != nil {
		return p, err
	}
	if creating {
		p.Heading = p.T("programme.form." + f.name + ".new")
	} else {
		p.Heading = p.T("programme.form."+f.name+".edit", f.title(v))
		p.Version = f.audit(&v).Version
		p.History = f.history(a, v)
	}
	p.Title, p.Context = p.Heading, s.context
	p.Cancel = s.back
	if s.fragment != "" {
		p.Cancel += "#" + s.fragment
	}
	p.Fields = f.fields(p.Page, s, values, creating, problems)
	return p, nil
}

// editForm answers GET of an edit form: the stored entity in the form.
func editForm[T any](w *Web, f *entityForm[T]) handler {
	return func(rw http.ResponseWriter, r *http.Request) error {
		a, err := programmeEditor(r)
		if err != nil {
			return err
		}
		v, err := f.load(r, a)
		if err != nil {
			return err
		}
		p, err := f.page(w, r, a, v, false, f.encode(v), nil)
		if err != nil {
			return err
		}
		return w.render(rw, r, http.StatusOK, "programme_form", p)
	}
}

// newForm answers GET of a form for a new entity.
func newForm[T any](w *Web, f *entityForm[T]) handler {
	return func(rw http.ResponseWriter, r *http.Request) error {
		a, err := programmeEditor(r)
		if err != nil {
			return err
		}
		v, err := f.blank(r, a)
		if err != nil {
			return err
		}
		p, err := f.page(w, r, a, v, true, f.encode(v), nil)
		if err != nil {
			return err
		}
		return w.render(rw, r, http.StatusOK, "programme_form", p)
	}
}

// saveForm answers POST of an edit form (creating false) or of a form for a new entity.
func saveForm[T any](w *Web, f *entityForm[T], creating bool) handler {
	return func(rw http.ResponseWriter, r *http.Request) error {
		a, err := programmeEditor(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return baken.Errorf(baken.Invalid, "form", "the form could not be read")
		}
		var stored T
		if creating {
			stored, err = f.blank(r, a)
		} else {
			stored, err = f.load(r, a)
		}
		if err != nil {
			return err
		}
		next := stored
		fr := &formReader{values: r.PostForm, bad: map[string]bool{}}
		f.decode(fr, &next)
		if !creating {
			version, err := strconv.Atoi(r.PostForm.Get("versie"))
			if err != nil || version < 1 {
				return baken.Errorf(baken.Invalid, "versie", "the form lacks the version it changes")
			}
			f.audit(&next).Version = version
		}
		problems := map[string]string{}
		for _, sp := range f.specsOf(r.PostForm) {
			if fr.bad[sp.id] {
				problems[sp.id] = sp.err
			}
		}
		var other []string
		conflict := false
		if len(problems) == 0 {
			var saved T
			if creating {
				saved, err = f.create(r.Context(), next)
			} else {
				saved, err = f.update(r.Context(), next)
			}
			switch {
			case err == nil:
				s, err := f.setup(r.Context(), w.page(r, "", "programma"), a, saved)
				if err != nil {
					return err
				}
				http.Redirect(rw, r, withSaved(s.back, s.fragment), http.StatusSeeOther)
				return nil
			case baken.IsKind(err, baken.Conflict) && isVersionConflict(err):
				conflict = true
			case baken.IsKind(err, baken.Invalid) || baken.IsKind(err, baken.Conflict):
				other = f.storeProblems(err, r.PostForm, problems)
			default:
				return err
			}
		}
		p, err := f.page(w, r, a, stored, creating, r.PostForm, problems)
		if err != nil {
			return err
		}
		p.Other = other
		if !creating {
			// The form keeps the version it was based on, not the one stored now: sending
			// it again must not overwrite a change made meanwhile.
			p.Version = f.audit(&next).Version
		}
		status := http.StatusBadRequest
		if conflict || len(problems) > 0 && anyTaken(f.specsOf(r.PostForm), problems) {
			status = http.StatusConflict
		}
		if conflict {
			p.Conflict, p.Current, p.Reload = true, f.audit(&stored).Version, r.URL.RequestURI()
			// The stored entity read above may itself be older than the one that won.
			if cur, err := f.load(r, a); err == nil {
				p.Current = f.audit(&cur).Version
			}
		}
		return w.render(rw, r, status, "programme_form", p)
	}
}

// anyTaken reports whether a problem is a value taken by another entity.
func anyTaken(specs []fieldSpec, problems map[string]string) bool {
	for _, sp := range specs {
		if sp.taken != "" && problems[sp.id] == sp.taken {
			return true
		}
	}
	return false
}

// isVersionConflict reports whether err is the store's stale-version conflict.
func isVersionConflict(err error) bool {
	var e *baken.Error
	return errors.As(err, &e) && e.Kind == baken.Conflict && e.Field == "version"
}
