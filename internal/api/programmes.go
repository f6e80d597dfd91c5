package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// The programme (issue 6) as resources: plans and their priorities, yearly programmes,
// their objectives and actions, indicators and their measurements, and the history of
// every change. Any user of a gemeente reads them; the store lets a beleidsadviseur or
// beheerder change them (403 for others) and hides other gemeenten (404). An update
// is a PUT of the resource's writable members with the version it changes: 409 when
// someone changed it meanwhile. Members the API does not show are kept as they are.

// programmeList is a list of programme resources.
type programmeList[T any] struct {
	Items []T `json:"items"`
}

// auditJSON is what every programme resource says about its version.
type auditJSON struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
	// UpdatedByName is the display name of UpdatedBy when the caller may know it (a user
	// who shares a gemeente with the caller); null otherwise.
	UpdatedByName *string `json:"updated_by_name"`
}

// nameUpdater fills in UpdatedByName from names (user id -> name).
func (a *auditJSON) nameUpdater(names map[string]string) {
	if name, ok := names[a.UpdatedBy]; ok {
		a.UpdatedByName = &name
	}
}

func auditOf(a baken.Audit) auditJSON {
	return auditJSON{Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), UpdatedBy: a.UpdatedBy}
}

// dayJSON writes a calendar date as YYYY-MM-DD, or null.
func dayJSON(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func momentJSON(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type planJSON struct {
	ID           string  `json:"id"`
	Gemeente     string  `json:"gemeente"`
	Title        string  `json:"title"`
	PeriodFrom   int     `json:"period_from"`
	PeriodTo     int     `json:"period_to"`
	Vision       string  `json:"vision"`
	AdoptedBy    string  `json:"adopted_by"`
	DecisionDate *string `json:"decision_date"`
	Status       string  `json:"status"`
	auditJSON
}

func planView(p baken.Plan) any {
	return &planJSON{ID: p.ID, Gemeente: p.Gemeente, Title: p.Title, PeriodFrom: p.PeriodFrom, PeriodTo: p.PeriodTo, Vision: p.Vision,
		AdoptedBy: p.AdoptedBy, DecisionDate: dayJSON(p.DecisionDate), Status: string(p.Status), auditJSON: auditOf(p.Audit)}
}

type priorityJSON struct {
	ID      string   `json:"id"`
	PlanID  string   `json:"plan_id"`
	Rank    int      `json:"rank"`
	Title   string   `json:"title"`
	Themes  []string `json:"themes"`
	Summary string   `json:"summary"`
	auditJSON
}

func priorityView(p baken.Priority) any {
	return &priorityJSON{ID: p.ID, PlanID: p.PlanID, Rank: p.Rank, Title: p.Title, Themes: nonNil(p.Themes), Summary: p.Summary,
		auditJSON: auditOf(p.Audit)}
}

type programmeJSON struct {
	ID           string             `json:"id"`
	PlanID       string             `json:"plan_id"`
	Gemeente     string             `json:"gemeente"`
	Year         int                `json:"year"`
	AdoptedAt    *time.Time         `json:"adopted_at"`
	DecisionDate *string            `json:"decision_date"`
	Status       string             `json:"status"`
	Summary      string             `json:"summary"`
	Themes       []currentThemeJSON `json:"themes"`
	FollowUp     string             `json:"follow_up"`
	auditJSON
}

// currentThemeJSON is a current theme of a programme, as shown and as given.
type currentThemeJSON struct {
	Title        string   `json:"title"`
	Text         string   `json:"text"`
	IndicatorIDs []string `json:"indicator_ids"`
}

func programmeView(p baken.Programme) any {
	v := programmeJSON{ID: p.ID, PlanID: p.PlanID, Gemeente: p.Gemeente, Year: p.Year, AdoptedAt: momentJSON(p.AdoptedAt),
		DecisionDate: dayJSON(p.DecisionDate), Status: string(p.Status), Summary: p.Summary, Themes: []currentThemeJSON{}, FollowUp: p.FollowUp,
		auditJSON: auditOf(p.Audit)}
	for _, th := range p.Themes {
		v.Themes = append(v.Themes, currentThemeJSON{Title: th.Title, Text: th.Text, IndicatorIDs: nonNil(th.IndicatorIDs)})
	}
	return &v
}

type yearValueJSON struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

type objectiveJSON struct {
	ID           string          `json:"id"`
	ProgrammeID  string          `json:"programme_id"`
	Number       int             `json:"number"`
	Title        string          `json:"title"`
	Kind         string          `json:"kind"`
	PriorityIDs  []string        `json:"priority_ids"`
	IndicatorIDs []string        `json:"indicator_ids"`
	Baseline     *yearValueJSON  `json:"baseline"`
	Targets      []yearValueJSON `json:"targets"`
	Direction    *string         `json:"direction"`
	auditJSON
}

func objectiveView(o baken.Objective) any {
	v := objectiveJSON{ID: o.ID, ProgrammeID: o.ProgrammeID, Number: o.Number, Title: o.Title, Kind: string(o.Kind),
		PriorityIDs: nonNil(o.PriorityIDs), IndicatorIDs: nonNil(o.IndicatorIDs), Targets: []yearValueJSON{}, Direction: nullable(string(o.Direction)), auditJSON: auditOf(o.Audit)}
	if o.Baseline != nil {
		v.Baseline = &yearValueJSON{Year: o.Baseline.Year, Value: o.Baseline.Value}
	}
	for _, t := range o.Targets {
		v.Targets = append(v.Targets, yearValueJSON{Year: t.Year, Value: t.Value})
	}
	return &v
}

type actionJSON struct {
	ID              string   `json:"id"`
	ObjectiveID     string   `json:"objective_id"`
	Title           string   `json:"title"`
	OwnerTeam       string   `json:"owner_team"`
	Partners        []string `json:"partners"`
	PeriodFrom      *string  `json:"period_from"`
	PeriodTo        *string  `json:"period_to"`
	Status          string   `json:"status"`
	RAG             *string  `json:"rag"`
	ProgressNotes   string   `json:"progress_notes"`
	CarriedOverFrom *string  `json:"carried_over_from"`
	auditJSON
}

func actionView(a baken.Action) any {
	return &actionJSON{ID: a.ID, ObjectiveID: a.ObjectiveID, Title: a.Title, OwnerTeam: a.OwnerTeam, Partners: nonNil(a.Partners),
		PeriodFrom: dayJSON(a.PeriodFrom), PeriodTo: dayJSON(a.PeriodTo), Status: string(a.Status), RAG: nullable(string(a.RAG)),
		ProgressNotes: a.ProgressNotes, CarriedOverFrom: nullable(a.CarriedOverFrom), auditJSON: auditOf(a.Audit)}
}

type indicatorJSON struct {
	ID          string   `json:"id"`
	Gemeente    string   `json:"gemeente"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Definition  string   `json:"definition"`
	Unit        string   `json:"unit"`
	Source      string   `json:"source"`
	Caveat      string   `json:"caveat"`
	Computed    bool     `json:"computed"`
	Categories  []string `json:"categories"`
	Area        *string  `json:"area"`
	PerThousand bool     `json:"per_thousand"`
	auditJSON
}

func indicatorView(in baken.Indicator) any {
	return &indicatorJSON{ID: in.ID, Gemeente: in.Gemeente, Code: in.Code, Name: in.Name, Definition: in.Definition, Unit: in.Unit,
		Source: in.Source, Caveat: in.Caveat, Computed: in.Computed, Categories: nonNil(in.Categories), Area: nullable(in.Area),
		PerThousand: in.PerThousand, auditJSON: auditOf(in.Audit)}
}

type measurementJSON struct {
	IndicatorID string  `json:"indicator_id"`
	Area        string  `json:"area"`
	Period      int     `json:"period"`
	Value       float64 `json:"value"`
	Status      string  `json:"status"`
	auditJSON
}

func measurementView(m baken.Measurement) any {
	return &measurementJSON{IndicatorID: m.IndicatorID, Area: m.Area, Period: m.Period, Value: m.Value, Status: string(m.Status),
		auditJSON: auditOf(m.Audit)}
}

// historyJSON is a version an update replaced, as the resource looked then.
type historyJSON struct {
	Entity    string    `json:"entity"`
	ID        string    `json:"id"`
	Version   int       `json:"version"`
	ChangedAt time.Time `json:"changed_at"`
	ChangedBy string    `json:"changed_by"`
	// ChangedByName is the display name of ChangedBy when the caller may know it (a
	// user who shares a gemeente with the caller); null otherwise.
	ChangedByName *string `json:"changed_by_name"`
	Body          any     `json:"body"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ---- reading the members of a posted or put resource

// allow reports every member not in names as unknown.
func (m *members) allow(names ...string) {
	var unknown []string
	for name := range m.raw {
		if !slices.Contains(names, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		m.fail(name, "unknown field (known: %s)", strings.Join(names, ", "))
	}
}

// into decodes a member into dst; false when it is absent or null. A missing required
// member and a member of the wrong type are field errors.
func (m *members) into(name string, required bool, want string, dst any) bool {
	if !m.has(name) {
		if required {
			m.fail(name, "missing")
		}
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(m.raw[name]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		m.fail(name, "want %s, found %s", want, jsonKind(m.raw[name]))
		return false
	}
	return true
}

// text returns a string member, trimmed; "" when absent.
func (m *members) text(name string, required bool) string {
	var s string
	m.into(name, required, "a string", &s)
	return strings.TrimSpace(s)
}

// integer returns a whole-number member; 0 when absent.
func (m *members) integer(name string, required bool) int {
	var f float64
	if !m.into(name, required, "a whole number", &f) {
		return 0
	}
	if f != float64(int(f)) {
		m.fail(name, "want a whole number, found %v", f)
		return 0
	}
	return int(f)
}

// number returns a number member; 0 when absent.
func (m *members) number(name string, required bool) float64 {
	var f float64
	m.into(name, required, "a number", &f)
	return f
}

// flag returns a boolean member; false when absent.
func (m *members) flag(name string) bool {
	var b bool
	m.into(name, false, "true or false", &b)
	return b
}

// texts returns a list of strings; empty when absent.
func (m *members) texts(name string) []string {
	out := []string{}
	m.into(name, false, "an array of strings", &out)
	if out == nil {
		out = []string{}
	}
	return out
}

// day returns a date member (YYYY-MM-DD); nil when absent or null.
func (m *members) day(name string) *time.Time {
	var s string
	if !m.into(name, false, "a date (YYYY-MM-DD)", &s) {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		m.fail(name, "%q is not a date (YYYY-MM-DD)", s)
		return nil
	}
	return &t
}

// moment returns a date-time member (RFC 3339); nil when absent or null.
func (m *members) moment(name string) *time.Time {
	var s string
	if !m.into(name, false, "a date-time (RFC 3339)", &s) {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		m.fail(name, "%q is not a date-time with offset (2024-02-06T10:00:00+01:00)", s)
		return nil
	}
	t = t.UTC()
	return &t
}

// yearValue returns a {year, value} member; nil when absent or null.
func (m *members) yearValue(name string) *baken.YearValue {
	var v yearValueJSON
	if !m.into(name, false, `an object {"year": 2023, "value": 98}`, &v) {
		return nil
	}
	return &baken.YearValue{Year: v.Year, Value: v.Value}
}

// yearValues returns a list of {year, value}; empty when absent.
func (m *members) yearValues(name string) []baken.YearValue {
	var vs []yearValueJSON
	m.into(name, false, `an array of objects {"year": 2026, "value": 80}`, &vs)
	out := make([]baken.YearValue, 0, len(vs))
	for _, v := range vs {
		out = append(out, baken.YearValue{Year: v.Year, Value: v.Value})
	}
	return out
}

// themes returns a programme's current themes; empty when absent.
func (m *members) themes(name string) []baken.CurrentTheme {
	var ths []currentThemeJSON
	m.into(name, false, `an array of objects {"title": "...", "text": "...", "indicator_ids": []}`, &ths)
	out := make([]baken.CurrentTheme, 0, len(ths))
	for _, th := range ths {
		out = append(out, baken.CurrentTheme{Title: strings.TrimSpace(th.Title), Text: strings.TrimSpace(th.Text), IndicatorIDs: nonNil(th.IndicatorIDs)})
	}
	return out
}

// ---- resources

// resource is how one kind of programme entity is served.
type resource[T any] struct {
	entity   string // the store's history entity
	find     func(r *http.Request) (T, error)
	create   func(ctx context.Context, v T) (T, error)
	update   func(ctx context.Context, v T) (T, error)
	view     func(T) any // a pointer to a struct that embeds auditJSON
	users    func(ctx context.Context, ids []string) (map[string]string, error)
	location func(T) string // the resource's path under the prefix
	key      func(T) string // its id in the history
	// members are the writable members; decode reads them into v.
	members []string
	decode  func(m *members, v *T)
	// validate is the domain's check, run here only to report its problems together
	// with those of the members (the store runs it anyway).
	validate func(*T) error
	audit    func(*T) *baken.Audit
}

// views returns the views of items with the names of the users who last changed them.
func (res *resource[T]) views(ctx context.Context, items ...T) ([]any, error) {
	ids := make([]string, 0, len(items))
	for i := range items {
		ids = append(ids, res.audit(&items[i]).UpdatedBy)
	}
	names, err := res.users(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("names of the users who changed %s: %w", res.entity, err)
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, named(res.view(it), names))
	}
	return out, nil
}

// named fills in the name of the user who last changed the view v (user id -> name).
func named(v any, names map[string]string) any {
	if n, ok := v.(interface{ nameUpdater(map[string]string) }); ok {
		n.nameUpdater(names)
	}
	return v
}

// view1 is views of one item.
func (res *resource[T]) view1(ctx context.Context, v T) (any, error) {
	vs, err := res.views(ctx, v)
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// invalid returns the problems of the members together with those the domain finds in
// the other members the request may give (allowed).
func invalid[T any](res *resource[T], m *members, v *T, allowed []string) error {
	var fe baken.FieldErrors
	if err := res.validate(v); errors.As(err, &fe) {
		for _, e := range fe {
			name, _, _ := strings.Cut(e.Field, ".")
			name, _, _ = strings.Cut(name, "[")
			if slices.Contains(allowed, name) && !m.failed(name) && !m.failed(e.Field) {
				m.errs = append(m.errs, e)
			}
		}
	}
	slices.SortStableFunc(m.errs, func(a, b *baken.Error) int { return strings.Compare(a.Field, b.Field) })
	return m.errs.Err()
}

// byID finds an entity by the {id} of the path.
func byID[T any](find func(ctx context.Context, id string) (T, error)) func(r *http.Request) (T, error) {
	return func(r *http.Request) (T, error) { return find(r.Context(), r.PathValue("id")) }
}

// getResource answers GET of one resource.
func getResource[T any](res *resource[T]) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actorOf(r); err != nil {
			return err
		}
		if q := parseQuery(r); q.err() != nil {
			return q.err()
		}
		v, err := res.find(r)
		if err != nil {
			return err
		}
		out, err := res.view1(r.Context(), v)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, contentJSON, out)
	}
}

// putResource answers PUT of one resource: the writable members replace the stored
// ones (an absent optional member is emptied); version names the version it changes.
func putResource[T any](res *resource[T]) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
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
		stored, err := res.find(r)
		if err != nil {
			return err
		}
		m := &members{raw: raw}
		allowed := append(slices.Clone(res.members), "version")
		m.allow(allowed...)
		next := stored
		res.decode(m, &next)
		version := m.integer("version", true)
		if !m.failed("version") && version < 1 {
			m.fail("version", "%d: versions start at 1", version)
		}
		if len(m.errs) > 0 {
			return invalid(res, m, &next, allowed)
		}
		res.audit(&next).Version = version
		saved, err := res.update(r.Context(), next)
		if err != nil {
			return err
		}
		out, err := res.view1(r.Context(), saved)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, contentJSON, out)
	}
}

// createResource answers POST to a collection. blank makes the new entity from the path
// and the members only a new one has (createOnly: its gemeente or parent); then the
// writable members are read.
func createResource[T any](res *resource[T], createOnly []string, blank func(r *http.Request, actor baken.Actor, m *members) (T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		actor, err := actorOf(r)
		if err != nil {
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
		allowed := append(slices.Clone(createOnly), res.members...)
		m.allow(allowed...)
		v, err := blank(r, actor, m)
		if err != nil {
			return err
		}
		res.decode(m, &v)
		if len(m.errs) > 0 {
			return invalid(res, m, &v, allowed)
		}
		saved, err := res.create(r.Context(), v)
		if err != nil {
			return err
		}
		out, err := res.view1(r.Context(), saved)
		if err != nil {
			return err
		}
		w.Header().Set("Location", Prefix+res.location(saved))
		return writeJSON(w, http.StatusCreated, contentJSON, out)
	}
}

// listOf answers GET of a collection under its parent ({id} in the path).
func listOf[T any](res *resource[T], list func(ctx context.Context, parentID string) ([]T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actorOf(r); err != nil {
			return err
		}
		if q := parseQuery(r); q.err() != nil {
			return q.err()
		}
		items, err := list(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeList(r.Context(), w, res, items)
	}
}

func writeList[T any](ctx context.Context, w http.ResponseWriter, res *resource[T], items []T) error {
	vs, err := res.views(ctx, items...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, contentJSON, programmeList[any]{Items: vs})
}

// historyOf answers GET of a resource's history: the versions updates replaced, oldest
// first, each as the resource was then.
func historyOf[T any](db *store.DB, res *resource[T]) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actorOf(r); err != nil {
			return err
		}
		if q := parseQuery(r); q.err() != nil {
			return q.err()
		}
		v, err := res.find(r)
		if err != nil {
			return err
		}
		entries, err := db.ProgrammeHistory(r.Context(), res.entity, res.key(v))
		if err != nil {
			return err
		}
		olds := make([]T, len(entries))
		ids := make([]string, 0, 2*len(entries))
		for i, e := range entries {
			if err := json.Unmarshal(e.Body, &olds[i]); err != nil {
				return fmt.Errorf("history of %s %s version %d: %w", e.Entity, e.ID, e.Version, err)
			}
			ids = append(ids, e.ChangedBy, res.audit(&olds[i]).UpdatedBy)
		}
		names, err := db.FindUserNames(r.Context(), ids)
		if err != nil {
			return fmt.Errorf("history of %s %s: %w", res.entity, res.key(v), err)
		}
		out := programmeList[historyJSON]{Items: make([]historyJSON, 0, len(entries))}
		for i, e := range entries {
			body := named(res.view(olds[i]), names)
			h := historyJSON{Entity: e.Entity, ID: e.ID, Version: e.Version, ChangedAt: e.ChangedAt.UTC(),
				ChangedBy: e.ChangedBy, Body: body}
			if name, ok := names[e.ChangedBy]; ok {
				h.ChangedByName = &name
			}
			out.Items = append(out.Items, h)
		}
		return writeJSON(w, http.StatusOK, contentJSON, out)
	}
}

// gemeenteParam returns the gemeente a list is of: ?gemeente=, else the actor's first.
// One the actor may not see is NotFound, as its data would be.
func gemeenteParam(q *query, actor baken.Actor) (string, error) {
	gm := strings.ToUpper(q.one("gemeente"))
	if gm != "" {
		if l, err := baken.LevelOfCode(gm); err != nil || l != baken.LevelGemeente {
			q.fail("gemeente", "%q is not a CBS gemeente code (GM0384)", gm)
		}
	}
	if err := q.err(); err != nil {
		return "", err
	}
	if gm == "" {
		if len(actor.Gemeenten) == 0 {
			return "", baken.FieldErrors{baken.Errorf(baken.Invalid, "gemeente", "missing: name the municipality (GM0384)")}.Err()
		}
		gm = actor.Gemeenten[0]
	}
	if !actor.MaySee(gm) {
		return "", baken.Errorf(baken.NotFound, "gemeente", "no municipality %s", gm)
	}
	return gm, nil
}

// listByGemeente answers GET of a gemeente's plans, programmes or indicators; extra
// names further query parameters and returns a filter built from them.
func listByGemeente[T any](res *resource[T], list func(ctx context.Context, gm string) ([]T, error),
	extra []string, filter func(q *query) func(T) bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		actor, err := actorOf(r)
		if err != nil {
			return err
		}
		q := parseQuery(r, append([]string{"gemeente"}, extra...)...)
		var keep func(T) bool
		if filter != nil {
			keep = filter(q)
		}
		gm, err := gemeenteParam(q, actor)
		if err != nil {
			return err
		}
		items, err := list(r.Context(), gm)
		if err != nil {
			return err
		}
		if keep != nil {
			items = slices.DeleteFunc(items, func(v T) bool { return !keep(v) })
		}
		return writeList(r.Context(), w, res, items)
	}
}

// gemeenteMember reads the gemeente of a new plan or indicator: the member, else the
// actor's first.
func gemeenteMember(m *members, actor baken.Actor) string {
	if gm := strings.ToUpper(m.text("gemeente", false)); gm != "" || m.failed("gemeente") {
		return gm
	}
	if len(actor.Gemeenten) > 0 {
		return actor.Gemeenten[0]
	}
	m.fail("gemeente", "missing: name the municipality (GM0384)")
	return ""
}

// ---- the resources of the programme

type programmeResources struct {
	plan        *resource[baken.Plan]
	priority    *resource[baken.Priority]
	programme   *resource[baken.Programme]
	objective   *resource[baken.Objective]
	action      *resource[baken.Action]
	indicator   *resource[baken.Indicator]
	measurement *resource[baken.Measurement]
}

func (a *API) programmeResources() programmeResources {
	db := a.db
	return programmeResources{
		plan: &resource[baken.Plan]{
			entity: store.EntityPlan, find: byID(db.FindPlan), create: db.CreatePlan, update: db.UpdatePlan, view: planView, users: db.FindUserNames,
			location: func(p baken.Plan) string { return "/plans/" + p.ID },
			key:      func(p baken.Plan) string { return p.ID },
			validate: (*baken.Plan).Validate,
			audit:    func(p *baken.Plan) *baken.Audit { return &p.Audit },
			members:  []string{"title", "period_from", "period_to", "vision", "adopted_by", "decision_date", "status"},
			decode: func(m *members, p *baken.Plan) {
				p.Title, p.PeriodFrom, p.PeriodTo = m.text("title", true), m.integer("period_from", true), m.integer("period_to", true)
				p.Vision, p.AdoptedBy, p.DecisionDate = m.text("vision", false), m.text("adopted_by", false), m.day("decision_date")
				p.Status = baken.PlanStatus(m.text("status", true))
			},
		},
		priority: &resource[baken.Priority]{
			entity: store.EntityPriority, find: byID(db.FindPriority), create: db.CreatePriority, update: db.UpdatePriority, view: priorityView, users: db.FindUserNames,
			location: func(p baken.Priority) string { return "/priorities/" + p.ID },
			key:      func(p baken.Priority) string { return p.ID },
			validate: (*baken.Priority).Validate,
			audit:    func(p *baken.Priority) *baken.Audit { return &p.Audit },
			members:  []string{"rank", "title", "themes", "summary"},
			decode: func(m *members, p *baken.Priority) {
				p.Rank, p.Title, p.Themes, p.Summary = m.integer("rank", true), m.text("title", true), m.texts("themes"), m.text("summary", false)
			},
		},
		programme: &resource[baken.Programme]{
			entity: store.EntityProgramme, find: byID(db.FindProgramme), create: db.CreateProgramme, update: db.UpdateProgramme, view: programmeView, users: db.FindUserNames,
			location: func(p baken.Programme) string { return "/programmes/" + p.ID },
			key:      func(p baken.Programme) string { return p.ID },
			validate: (*baken.Programme).Validate,
			audit:    func(p *baken.Programme) *baken.Audit { return &p.Audit },
			members:  []string{"year", "status", "adopted_at", "decision_date", "summary", "themes", "follow_up"},
			decode: func(m *members, p *baken.Programme) {
				p.Year, p.Status = m.integer("year", true), baken.ProgrammeStatus(m.text("status", true))
				p.AdoptedAt, p.DecisionDate = m.moment("adopted_at"), m.day("decision_date")
				p.Summary, p.Themes, p.FollowUp = m.text("summary", false), m.themes("themes"), m.text("follow_up", false)
			},
		},
		objective: &resource[baken.Objective]{
			entity: store.EntityObjective, find: byID(db.FindObjective), create: db.CreateObjective, update: db.UpdateObjective, view: objectiveView, users: db.FindUserNames,
			location: func(o baken.Objective) string { return "/objectives/" + o.ID },
			key:      func(o baken.Objective) string { return o.ID },
			validate: (*baken.Objective).Validate,
			audit:    func(o *baken.Objective) *baken.Audit { return &o.Audit },
			members:  []string{"number", "title", "kind", "priority_ids", "indicator_ids", "baseline", "targets", "direction"},
			decode: func(m *members, o *baken.Objective) {
				o.Number, o.Title, o.Kind = m.integer("number", true), m.text("title", true), baken.ObjectiveKind(m.text("kind", true))
				o.PriorityIDs, o.Baseline, o.Targets = m.texts("priority_ids"), m.yearValue("baseline"), m.yearValues("targets")
				o.IndicatorIDs = m.texts("indicator_ids")
				o.Direction = baken.Direction(m.text("direction", false))
			},
		},
		action: &resource[baken.Action]{
			entity: store.EntityAction, find: byID(db.FindAction), create: db.CreateAction, update: db.UpdateAction, view: actionView, users: db.FindUserNames,
			location: func(a baken.Action) string { return "/actions/" + a.ID },
			key:      func(a baken.Action) string { return a.ID },
			validate: (*baken.Action).Validate,
			audit:    func(a *baken.Action) *baken.Audit { return &a.Audit },
			members: []string{"title", "owner_team", "partners", "period_from", "period_to", "status", "rag", "progress_notes",
				"carried_over_from"},
			decode: func(m *members, a *baken.Action) {
				a.Title, a.OwnerTeam, a.Partners = m.text("title", true), m.text("owner_team", false), m.texts("partners")
				a.PeriodFrom, a.PeriodTo, a.Status = m.day("period_from"), m.day("period_to"), baken.ActionStatus(m.text("status", true))
				a.RAG, a.ProgressNotes = baken.RAG(m.text("rag", false)), m.text("progress_notes", false)
				a.CarriedOverFrom = m.text("carried_over_from", false)
			},
		},
		indicator: &resource[baken.Indicator]{
			entity: store.EntityIndicator, find: byID(db.FindIndicator), create: db.CreateIndicator, update: db.UpdateIndicator, view: indicatorView, users: db.FindUserNames,
			location: func(in baken.Indicator) string { return "/indicators/" + in.ID },
			key:      func(in baken.Indicator) string { return in.ID },
			validate: (*baken.Indicator).Validate,
			audit:    func(in *baken.Indicator) *baken.Audit { return &in.Audit },
			members:  []string{"code", "name", "definition", "unit", "source", "caveat", "computed", "categories", "area", "per_thousand"},
			decode: func(m *members, in *baken.Indicator) {
				in.Code, in.Name, in.Definition = m.text("code", true), m.text("name", true), m.text("definition", false)
				in.Unit, in.Source, in.Caveat = m.text("unit", true), m.text("source", true), m.text("caveat", false)
				in.Computed, in.Categories = m.flag("computed"), m.texts("categories")
				in.Area, in.PerThousand = strings.ToUpper(m.text("area", false)), m.flag("per_thousand")
			},
		},
		measurement: &resource[baken.Measurement]{
			entity: store.EntityMeasurement, find: a.findMeasurement, create: db.CreateMeasurement, update: db.UpdateMeasurement,
			view:     measurementView,
			users:    db.FindUserNames,
			location: func(m baken.Measurement) string { return "/indicators/" + measurementKey(m) },
			key:      func(m baken.Measurement) string { return m.IndicatorID + "/" + m.Area + "/" + strconv.Itoa(m.Period) },
			validate: (*baken.Measurement).Validate,
			audit:    func(m *baken.Measurement) *baken.Audit { return &m.Audit },
			members:  []string{"value", "status"},
			decode: func(m *members, v *baken.Measurement) {
				v.Value, v.Status = m.number("value", true), baken.MeasurementStatus(m.text("status", true))
			},
		},
	}
}

// measurementKey is a measurement's path under its indicator.
func measurementKey(m baken.Measurement) string {
	return m.IndicatorID + "/measurements/" + m.Area + "/" + strconv.Itoa(m.Period)
}

// findMeasurement finds the measurement of the path's indicator, area and period.
func (a *API) findMeasurement(r *http.Request) (baken.Measurement, error) {
	area, period := strings.ToUpper(r.PathValue("area")), r.PathValue("period")
	ms, err := a.db.FindMeasurements(r.Context(), r.PathValue("id"))
	if err != nil {
		return baken.Measurement{}, err
	}
	for _, m := range ms {
		if m.Area == area && strconv.Itoa(m.Period) == period {
			return m, nil
		}
	}
	return baken.Measurement{}, baken.Errorf(baken.NotFound, "measurement", "no value for %s in %s", area, period)
}

// itemRoutes registers reading, replacing and the history of one resource at path.
func itemRoutes[T any](mux *http.ServeMux, authed func(handler) http.Handler, db *store.DB, path string, res *resource[T]) {
	mux.Handle("GET "+Prefix+path, authed(getResource(res)))
	mux.Handle("PUT "+Prefix+path, authed(putResource(res)))
	mux.Handle("GET "+Prefix+path+"/history", authed(historyOf(db, res)))
}

// programmeRoutes registers the programme's resources.
func (a *API) programmeRoutes(mux *http.ServeMux, authed func(handler) http.Handler) {
	res := a.programmeResources()
	db := a.db

	mux.Handle("GET "+Prefix+"/plans", authed(listByGemeente(res.plan, db.FindPlans, nil, nil)))
	mux.Handle("POST "+Prefix+"/plans", authed(createResource(res.plan, []string{"gemeente"},
		func(_ *http.Request, actor baken.Actor, m *members) (baken.Plan, error) {
			return baken.Plan{Gemeente: gemeenteMember(m, actor)}, nil
		})))
	itemRoutes(mux, authed, db, "/plans/{id}", res.plan)
	mux.Handle("GET "+Prefix+"/plans/{id}/priorities", authed(listOf(res.priority, db.FindPriorities)))
	mux.Handle("POST "+Prefix+"/plans/{id}/priorities", authed(createResource(res.priority, nil,
		func(r *http.Request, _ baken.Actor, _ *members) (baken.Priority, error) {
			return baken.Priority{PlanID: r.PathValue("id")}, nil
		})))
	itemRoutes(mux, authed, db, "/priorities/{id}", res.priority)

	mux.Handle("GET "+Prefix+"/programmes", authed(listByGemeente(res.programme, db.FindProgrammes, []string{"year"},
		func(q *query) func(baken.Programme) bool {
			year := q.int("year", 0, 2000, 2100)
			return func(p baken.Programme) bool { return year == 0 || p.Year == year }
		})))
	mux.Handle("POST "+Prefix+"/programmes", authed(createResource(res.programme, []string{"plan_id"},
		func(r *http.Request, _ baken.Actor, m *members) (baken.Programme, error) {
			planID := m.text("plan_id", true)
			if planID == "" {
				return baken.Programme{}, nil
			}
			plan, err := db.FindPlan(r.Context(), planID)
			if baken.IsKind(err, baken.NotFound) {
				m.fail("plan_id", "no plan %q", planID)
				return baken.Programme{}, nil
			}
			return baken.Programme{PlanID: plan.ID, Gemeente: plan.Gemeente}, err
		})))
	itemRoutes(mux, authed, db, "/programmes/{id}", res.programme)
	mux.Handle("GET "+Prefix+"/programmes/{id}/objectives", authed(listOf(res.objective, db.FindObjectives)))
	mux.Handle("POST "+Prefix+"/programmes/{id}/objectives", authed(createResource(res.objective, nil,
		func(r *http.Request, _ baken.Actor, _ *members) (baken.Objective, error) {
			return baken.Objective{ProgrammeID: r.PathValue("id")}, nil
		})))
	itemRoutes(mux, authed, db, "/objectives/{id}", res.objective)
	mux.Handle("GET "+Prefix+"/objectives/{id}/actions", authed(listOf(res.action, db.FindActions)))
	mux.Handle("POST "+Prefix+"/objectives/{id}/actions", authed(createResource(res.action, nil,
		func(r *http.Request, _ baken.Actor, _ *members) (baken.Action, error) {
			return baken.Action{ObjectiveID: r.PathValue("id")}, nil
		})))
	itemRoutes(mux, authed, db, "/actions/{id}", res.action)

	mux.Handle("GET "+Prefix+"/indicators", authed(listByGemeente(res.indicator, db.FindIndicators, nil, nil)))
	mux.Handle("POST "+Prefix+"/indicators", authed(createResource(res.indicator, []string{"gemeente"},
		func(_ *http.Request, actor baken.Actor, m *members) (baken.Indicator, error) {
			return baken.Indicator{Gemeente: gemeenteMember(m, actor)}, nil
		})))
	itemRoutes(mux, authed, db, "/indicators/{id}", res.indicator)
	mux.Handle("GET "+Prefix+"/indicators/{id}/measurements", authed(listOf(res.measurement, db.FindMeasurements)))
	mux.Handle("POST "+Prefix+"/indicators/{id}/measurements", authed(createResource(res.measurement, []string{"area", "period"},
		func(r *http.Request, _ baken.Actor, m *members) (baken.Measurement, error) {
			return baken.Measurement{IndicatorID: r.PathValue("id"), Area: strings.ToUpper(m.text("area", true)), Period: m.integer("period", true)}, nil
		})))
	itemRoutes(mux, authed, db, "/indicators/{id}/measurements/{area}/{period}", res.measurement)
}
