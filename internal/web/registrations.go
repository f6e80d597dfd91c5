package web

import (
	"cmp"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/export"
	"baken/internal/store"
)

// perPage is the number of rows on a page of registrations or of the access log.
const perPage = 50

// Purposes recorded in the access log.
const (
	purposeView   = "registratie bekijken"
	purposeExport = "registraties exporteren"
)

// Sort orders of the registrations list (?volgorde=).
const (
	sortNewest   = "nieuwste"
	sortOldest   = "oudste"
	sortCategory = "categorie"
)

// regQuery is the registrations form as read from the query string. The parameter
// names are Dutch, as the page URLs are.
type regQuery struct {
	Gemeente string // gemeente: kept only when given, so that links stay on it
	From     string // van: YYYY-MM-DD, inclusive
	To       string // tot: YYYY-MM-DD, inclusive
	Theme    string // thema
	Category string // categorie
	Area     string // gebied: a wijk or buurt code of the gemeente
	Source   string // bron
	Sort     string // volgorde
	Page     int    // pagina, from 1
}

// values returns the query without its empty fields and without the page; withSort
// keeps a sort order other than the default (an export has none).
func (q regQuery) values(withSort bool) url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"gemeente", q.Gemeente}, {"van", q.From}, {"tot", q.To}, {"thema", q.Theme},
		{"categorie", q.Category}, {"gebied", q.Area}, {"bron", q.Source}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if withSort && q.Sort != "" && q.Sort != sortNewest {
		v.Set("volgorde", q.Sort)
	}
	return v
}

// FormError is a problem with one form field, shown above the form and at the field.
type FormError struct {
	Field string // the input's id and name
	Key   string // catalogue key of the message
}

// areaIndex is a gemeente's wijken and buurten over every loaded vintage, named as in
// the latest.
type areaIndex struct {
	names  map[string]string
	wijken []AreaOption
}

// AreaOption is a wijk in the area select, with its buurten.
type AreaOption struct {
	Code, Name string
	Buurten    []AreaOption
}

func (w *Web) areasOf(r *http.Request, gm string) (areaIndex, error) {
	ix := areaIndex{names: map[string]string{}}
	as, err := w.cfg.DB.FindAreas(r.Context(), store.AreaFilter{Gemeente: &gm})
	if err != nil {
		return ix, err
	}
	// FindAreas orders by year, so a later vintage's name wins.
	for _, a := range as {
		ix.names[a.Code] = a.Name
	}
	buurten := map[string][]AreaOption{}
	var wijken []string
	for code, n := range ix.names {
		switch l, _ := baken.LevelOfCode(code); l {
		case baken.LevelWijk:
			wijken = append(wijken, code)
		case baken.LevelBuurt:
			wk := "WK" + code[2:8]
			buurten[wk] = append(buurten[wk], AreaOption{Code: code, Name: n})
		}
	}
	slices.Sort(wijken)
	for _, wk := range wijken {
		bs := buurten[wk]
		slices.SortFunc(bs, func(a, b AreaOption) int { return cmp.Compare(a.Code, b.Code) })
		ix.wijken = append(ix.wijken, AreaOption{Code: wk, Name: ix.names[wk], Buurten: bs})
	}
	return ix, nil
}

// readRegQuery reads and checks the form. The filter it returns is limited to gm; none
// is true when the choices exclude each other (a category outside the chosen theme),
// so that nothing matches.
func (w *Web) readRegQuery(r *http.Request, gm string, areas areaIndex) (q regQuery, f store.RegistrationFilter, none bool, errs []FormError) {
	v := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	q = regQuery{Gemeente: get("gemeente"), From: get("van"), To: get("tot"), Theme: get("thema"),
		Category: get("categorie"), Area: strings.ToUpper(get("gebied")), Source: get("bron"), Sort: get("volgorde"), Page: 1}
	for _, d := range []struct {
		field string
		day   *string
	}{{"van", &q.From}, {"tot", &q.To}} {
		if *d.day == "" {
			continue
		}
		day, ok := parseDay(*d.day)
		if !ok {
			errs = append(errs, FormError{d.field, "registrations.error.date"})
			continue
		}
		*d.day = day
	}
	f = store.RegistrationFilter{Gemeenten: []string{gm}, From: q.From, To: q.To, Newest: true}
	if len(errs) == 0 && q.From != "" && q.To != "" && q.From > q.To {
		errs = append(errs, FormError{"tot", "registrations.error.period"})
	}
	if q.Theme != "" {
		if _, ok := w.tree.themes[q.Theme]; !ok {
			errs = append(errs, FormError{"thema", "registrations.error.theme"})
		}
	}
	switch c, ok := w.tree.categories[q.Category]; {
	case q.Category != "" && !ok:
		errs = append(errs, FormError{"categorie", "registrations.error.category"})
	case q.Category != "":
		f.Categories = []string{q.Category}
		none = q.Theme != "" && c.Theme != q.Theme
	case q.Theme != "":
		f.Categories = w.tree.byTheme[q.Theme]
		none = len(f.Categories) == 0
	}
	if q.Area != "" {
		l, err := baken.LevelOfCode(q.Area)
		_, known := areas.names[q.Area]
		switch {
		case err != nil || !known:
			errs = append(errs, FormError{"gebied", "registrations.error.area"})
		case l == baken.LevelWijk:
			f.Wijk = q.Area
		case l == baken.LevelBuurt:
			f.Buurt = q.Area
		default:
			errs = append(errs, FormError{"gebied", "registrations.error.area"})
		}
	}
	if q.Source != "" {
		if len(q.Source) > 100 {
			errs = append(errs, FormError{"bron", "registrations.error.source"})
		}
		f.Sources = []string{q.Source}
	}
	switch q.Sort {
	case "", sortNewest:
	case sortOldest:
		f.Newest = false
	case sortCategory:
		f.ByCategory = true
	default:
		errs = append(errs, FormError{"volgorde", "registrations.error.sort"})
	}
	if s := get("pagina"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, FormError{"pagina", "registrations.error.page"})
		} else {
			q.Page = n
		}
	}
	return q, f, none, errs
}

// parseDay reads a day as a date input sends it (2024-03-01) or as a Dutch user types
// it where the browser has no date picker (1-3-2024), and returns it as YYYY-MM-DD.
func parseDay(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// mayListRegistrations refuses councillors: they see aggregates only, never single
// registrations.
func mayListRegistrations(a baken.Actor) error {
	if a.AggregatesOnly() {
		return &baken.Error{Kind: baken.Forbidden, Field: "role"}
	}
	return nil
}

// RegistrationRow is one line of the registrations table.
type RegistrationRow struct {
	ID        baken.RegistrationID
	When      string
	Category  string
	Buurt     string
	Source    string
	Generated bool
}

// ThemeOption is a theme in the selects, with its categories.
type ThemeOption struct {
	Code, Name string
	Categories []Option
}

// Option is one choice of a select.
type Option struct{ Code, Name string }

// Pager is the position in a paged list.
type Pager struct {
	Page, Pages int
	Total       int
	First, Last int    // the rows shown, counted from 1
	Prev, Next  string // links to the neighbouring pages; "" at either end
	Beyond      bool   // the page lies after the last one
}

func pager(page, total int, link func(page int) string) Pager {
	p := Pager{Page: page, Total: total, Pages: max(1, (total+perPage-1)/perPage)}
	p.First = (page-1)*perPage + 1
	p.Last = min(page*perPage, total)
	if page > 1 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	p.Beyond = page > p.Pages
	return p
}

type registrationsPage struct {
	Page
	// List is the list's query (its filters, order and page), which a registration's
	// page links back to.
	List                   string
	Gemeente, GemeenteName string
	Query                  regQuery
	Errors                 []FormError
	Themes                 []ThemeOption
	Wijken                 []AreaOption
	Rows                   []RegistrationRow
	Pager                  Pager
	Personal               bool // exports include personal data
	ExportCSV, ExportXLSX  string
	// Fragment is set when only the results block is rendered, for htmx to swap in.
	Fragment bool
}

// FieldError returns the catalogue key of the problem with a field, or "".
func (p registrationsPage) FieldError(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Key
		}
	}
	return ""
}

// themeOptions lists the themes that have categories, each with its categories, by name.
func (w *Web) themeOptions(l Lang) []ThemeOption {
	var out []ThemeOption
	for _, th := range w.tree.tree.Themes {
		cats := w.tree.byTheme[th.Code]
		if len(cats) == 0 {
			continue
		}
		o := ThemeOption{Code: th.Code, Name: name(th.Name, l)}
		for _, c := range cats {
			o.Categories = append(o.Categories, Option{Code: c, Name: name(w.tree.categories[c].Name, l)})
		}
		slices.SortFunc(o.Categories, func(a, b Option) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, o)
	}
	return out
}

// categoryName names a category code in the language; an unknown code shows itself.
func (w *Web) categoryName(code string, l Lang) string {
	if c, ok := w.tree.categories[code]; ok {
		return name(c.Name, l)
	}
	return code
}

// when writes a registration's time as exactly as it is known: date and time, the
// date, or the month.
func (p Page) when(r *baken.Registration) string {
	switch r.Precision {
	case baken.PrecisionMinute:
		return p.DateTime(r.OccurredAt)
	case baken.PrecisionMonth, baken.PrecisionYear:
		t, err := time.Parse(time.DateOnly, r.LocalDay)
		if err != nil {
			return r.LocalDay
		}
		if p.Lang == EN {
			return t.Format("2006-01")
		}
		return t.Format("01-2006")
	}
	t, err := time.Parse(time.DateOnly, r.LocalDay)
	if err != nil {
		return r.LocalDay
	}
	return formatDate(p.Lang, t)
}

func (w *Web) registrations(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if err := mayListRegistrations(a); err != nil {
		return err
	}
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	areas, err := w.areasOf(r, gm)
	if err != nil {
		return err
	}
	p := registrationsPage{Page: w.page(r, "", "registraties"), List: r.URL.Query().Encode(), Gemeente: gm, GemeenteName: gm, Wijken: areas.wijken,
		Personal: a.SeesPersonalData()}
	p.Title = p.T("registrations.title")
	if n, ok := areas.names[gm]; ok {
		p.GemeenteName = n
	}
	p.Themes = w.themeOptions(p.Lang)
	q, f, none, errs := w.readRegQuery(r, gm, areas)
	p.Query, p.Errors = q, errs
	p.Fragment = partOnly(r)
	if len(errs) > 0 {
		if p.Fragment {
			// The errors show above and in the form, outside the results: the whole
			// page is loaded instead (it sends the form without htmx).
			redirectWhole(rw, http.StatusBadRequest, r.URL.RequestURI())
			return nil
		}
		rw.Header().Add("Vary", "HX-Request")
		return w.render(rw, r, http.StatusBadRequest, "registrations", p)
	}
	var regs []baken.Registration
	total := 0
	if !none {
		f.Limit, f.Offset = perPage, (q.Page-1)*perPage
		regs, total, err = w.cfg.DB.FindRegistrations(r.Context(), f)
		if err != nil {
			return err
		}
	}
	p.Pager = pager(q.Page, total, func(page int) string {
		v := q.values(true)
		if page > 1 {
			v.Set("pagina", strconv.Itoa(page))
		}
		return "/registraties?" + v.Encode()
	})
	for i := range regs {
		reg := &regs[i]
		buurt := areas.names[reg.Buurt]
		if buurt == "" {
			buurt = reg.Buurt
		}
		p.Rows = append(p.Rows, RegistrationRow{ID: reg.ID, When: p.when(reg), Category: w.categoryName(reg.Category, p.Lang),
			Buurt: buurt, Source: reg.Source, Generated: reg.Generated})
	}
	ev := q.values(false)
	ev.Set("format", "csv")
	p.ExportCSV = "/registraties/export?" + ev.Encode()
	ev.Set("format", "xlsx")
	p.ExportXLSX = "/registraties/export?" + ev.Encode()
	if p.Fragment {
		return w.renderPart(rw, http.StatusOK, "registrations", "results", p)
	}
	rw.Header().Add("Vary", "HX-Request")
	return w.render(rw, r, http.StatusOK, "registrations", p)
}

type registrationPage struct {
	Page
	Back        string // the list this registration was opened from
	R           baken.Registration
	When        string
	Reported    string
	Category    string
	Theme       string
	Buurt, Wijk string
	// ShowPersonal is set when the free text and address are shown (and the view was
	// logged); Withheld when the actor's role may not see them.
	ShowPersonal bool
	Withheld     bool
}

func (w *Web) registration(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if err := mayListRegistrations(a); err != nil {
		return err
	}
	ctx := r.Context()
	id := baken.RegistrationID(r.PathValue("id"))
	reg, err := w.cfg.DB.FindRegistration(ctx, id)
	if err != nil {
		return err
	}
	p := registrationPage{Page: w.page(r, "", "registraties"), R: reg, Back: "/registraties"}
	// Back to the list as it was: its query, read as a query and written again, so that
	// nothing but a query of /registraties can come of it.
	if q, err := url.ParseQuery(r.URL.Query().Get("lijst")); err == nil && len(q) > 0 {
		p.Back += "?" + q.Encode()
	}
	p.Title = p.T("registration.title")
	p.When = p.when(&reg)
	if reg.ReportedAt != nil {
		p.Reported = p.DateTime(*reg.ReportedAt)
	}
	p.Category = w.categoryName(reg.Category, p.Lang)
	if c, ok := w.tree.categories[reg.Category]; ok {
		if th, ok := w.tree.themes[c.Theme]; ok {
			p.Theme = name(th.Name, p.Lang)
		}
	}
	p.Buurt, p.Wijk = reg.Buurt, reg.Wijk
	if reg.Gemeente != "" {
		areas, err := w.areasOf(r, reg.Gemeente)
		if err != nil {
			return err
		}
		p.Buurt, p.Wijk = cmp.Or(areas.names[reg.Buurt], reg.Buurt), cmp.Or(areas.names[reg.Wijk], reg.Wijk)
	}
	p.Withheld = !a.SeesPersonalData()
	p.ShowPersonal = !p.Withheld && (reg.Description != "" || reg.Address != "" || reg.BAGID != "")
	if p.ShowPersonal {
		// The view is logged before the text is shown; without the entry, no text.
		if err := w.cfg.DB.LogAccess(ctx, store.AccessEntry{Gemeente: reg.Gemeente, Action: store.AccessViewText,
			ObjectType: "registration", ObjectID: string(reg.ID), Purpose: purposeView}); err != nil {
			return fmt.Errorf("log view of registration %s: %w", reg.ID, err)
		}
	} else {
		p.R.Description, p.R.Address, p.R.BAGID = "", "", ""
	}
	return w.render(rw, r, http.StatusOK, "registration", p)
}

// exportName is the download's file name: registraties-2024-01-01-2024-12-31.csv.
func exportName(q regQuery, format string) string {
	n := "registraties"
	switch {
	case q.From != "" && q.To != "":
		n += "-" + q.From + "-" + q.To
	case q.From != "":
		n += "-vanaf-" + q.From
	case q.To != "":
		n += "-tot-en-met-" + q.To
	}
	return n + "." + format
}

func (w *Web) exportRegistrations(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if err := mayListRegistrations(a); err != nil {
		return err
	}
	ctx := r.Context()
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	areas, err := w.areasOf(r, gm)
	if err != nil {
		return err
	}
	format := cmp.Or(r.URL.Query().Get("format"), "csv")
	write, contentType := export.CSV, "text/csv; charset=utf-8"
	switch format {
	case "csv":
	case "xlsx":
		write, contentType = export.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return w.fail(r, baken.Invalid, "format", "registrations.error.format")
	}
	q, f, none, errs := w.readRegQuery(r, gm, areas)
	if len(errs) > 0 {
		return w.fail(r, baken.Invalid, errs[0].Field, errs[0].Key)
	}
	// The export is in order of occurrence, whatever the list's order.
	f.Newest, f.ByCategory = false, false
	var selection []string
	if q.Theme != "" {
		selection = append(selection, "thema: "+q.Theme)
	}
	selection = append(selection, export.DescribeFilter(f)...)
	personal := a.SeesPersonalData()
	rows := export.FromStore(ctx, w.cfg.DB, f)
	if none {
		rows = func(func(*baken.Registration) error) error { return nil }
	}
	// Written to a temporary file first: the access log gets the row count before a
	// byte leaves, and a failure halfway sends an error page rather than half a file.
	tmp, err := os.CreateTemp("", "baken-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	sum, err := write(tmp, rows, export.Options{IncludePersonal: personal, Selection: selection, Now: w.cfg.Now(), Location: w.cfg.Location})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	detail := fmt.Sprintf("registraties: %d, formaat: %s, persoonsgegevens: nee", sum.Rows, format)
	if personal {
		detail = fmt.Sprintf("registraties: %d, formaat: %s, persoonsgegevens: ja", sum.Rows, format)
	}
	if err := w.cfg.DB.LogAccess(ctx, store.AccessEntry{Gemeente: gm, Action: store.AccessExport, ObjectType: "registrations",
		ObjectID: strings.Join(selection, "; "), Purpose: purposeExport, Detail: detail}); err != nil {
		return fmt.Errorf("log export: %w", err)
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	h := rw.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": exportName(q, format)}))
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(rw, tmp); err != nil {
		// The headers are out: nothing to render; the client sees a short file.
		w.cfg.Logger.Error("export", "path", r.URL.Path, "err", err)
	}
	return nil
}

// accessActions returns the actions the access log can be filtered on.
func accessActions() []string { return []string{store.AccessViewText, store.AccessExport} }

// AccessRow is one line of the access log.
type AccessRow struct {
	At, User, Roles, Organisation string
	Action, Object, Purpose       string
	Detail, Result                string
	// ObjectID is the object's full id; ObjectURL, when set, its page (a registration).
	ObjectID, ObjectURL string
}

type accessLogPage struct {
	Page
	Action  string
	Actions []Option
	Invalid bool
	Rows    []AccessRow
	Pager   Pager
}

func (w *Web) accessLog(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	// Only those who review the log may read it; the store says so too.
	if !(a.HasRole(baken.RoleAdmin) || a.HasRole(baken.RolePrivacy) || a.HasRole(baken.RoleAuditor)) {
		return &baken.Error{Kind: baken.Forbidden, Field: "role"}
	}
	p := accessLogPage{Page: w.page(r, "", "toegangslog")}
	p.Title = p.T("accesslog.title")
	for _, act := range accessActions() {
		p.Actions = append(p.Actions, Option{Code: act, Name: p.actionName(act)})
	}
	page := 1
	v := r.URL.Query()
	p.Action = v.Get("actie")
	if p.Action != "" && !slices.Contains(accessActions(), p.Action) {
		p.Invalid = true
	}
	if s := v.Get("pagina"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			p.Invalid = true
		}
		page = n
	}
	if p.Invalid {
		return w.render(rw, r, http.StatusBadRequest, "accesslog", p)
	}
	entries, total, err := w.cfg.DB.FindAccessLog(r.Context(), store.AccessFilter{Action: p.Action, Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	p.Pager = pager(page, total, func(n int) string {
		q := url.Values{}
		if p.Action != "" {
			q.Set("actie", p.Action)
		}
		if n > 1 {
			q.Set("pagina", strconv.Itoa(n))
		}
		return "/beheer/toegangslog?" + q.Encode()
	})
	for _, e := range entries {
		result := e.Result
		if k := "accesslog.result." + e.Result; w.catalogue[k] != nil {
			result = p.T(k)
		}
		p.Rows = append(p.Rows, AccessRow{At: formatDateTimeSeconds(p.Lang, e.At.In(w.cfg.Location)), User: e.UserName + " (" + e.UserID + ")",
			Roles: e.Roles, Organisation: e.Organisation, Action: p.actionName(e.Action), Object: p.objectName(e.ObjectType, e.ObjectID),
			ObjectID: e.ObjectID, Purpose: e.Purpose, Detail: e.Detail, Result: result})
		if e.ObjectType == "registration" && e.ObjectID != "" {
			p.Rows[len(p.Rows)-1].ObjectURL = "/registraties/" + url.PathEscape(e.ObjectID)
		}
	}
	return w.render(rw, r, http.StatusOK, "accesslog", p)
}

// objectName names an access-log object in the page's language, with the start of its
// id (the whole id is the cell's title): "registratie 01a2045b…".
func (p Page) objectName(typ, id string) string {
	name := typ
	if k := "accesslog.object." + typ; p.w.catalogue[k] != nil {
		name = p.T(k)
	}
	if len(id) > 8 {
		id = id[:8] + "…"
	}
	return strings.TrimSpace(name + " " + id)
}

// actionName names an access-log action; an action without a text shows itself.
func (p Page) actionName(action string) string {
	if k := "accesslog.action." + action; p.w.catalogue[k] != nil {
		return p.T(k)
	}
	return action
}

// formatDateTimeSeconds is formatDateTime to the second, as an audit trail needs.
func formatDateTimeSeconds(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(lang, t) + " " + t.Format("15:04:05")
}
