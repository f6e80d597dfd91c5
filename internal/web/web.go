// Package web is Baken's web application: server-rendered HTML pages in Dutch first
// (English by a switch), built from embedded templates, a message catalogue and static
// assets served under content-hashed names. It reads through the store on behalf of the
// signed-in actor, whom the server's session middleware puts in the request's context.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

//go:embed templates static messages
var files embed.FS

// Auth signs users in and out; the server implements it with sessions.
type Auth interface {
	// SignIn checks the name and password, starts a new session (a new cookie, whatever
	// the request carried) and returns the actor. A wrong password or a throttled
	// account is an Unauthenticated error whose message may be shown.
	SignIn(w http.ResponseWriter, r *http.Request, name, password string) (baken.Actor, error)
	// SignOut ends the request's session and clears the cookie.
	SignOut(w http.ResponseWriter, r *http.Request) error
}

// Config configures the web application.
type Config struct {
	DB         *store.DB
	Logger     *slog.Logger
	Categories baken.CategoryTree
	Auth       Auth
	// Location is the installation's time zone (Europe/Amsterdam).
	Location *time.Location
	// BaseMap is the map background: "" (none: buurt outlines on a plain background),
	// "pdok" (the PDOK BRT-Achtergrondkaart) or a tile URL template.
	BaseMap string
	Now     func() time.Time
	// UploadDir holds uploaded files for import, with their options and results
	// (default: baken-uploads in the system's temporary folder).
	UploadDir string
}

// Web serves the pages.
type Web struct {
	cfg       Config
	pages     map[string]*template.Template
	catalogue Catalogue
	assets    *assets
	tree      treeIndex
	// dashboards caches the dashboard's figures by gemeente and data version.
	dashboards *cache[dataKey, *dashboardData]
	// maps caches the map's figures, drawing and GeoJSON by query and data version.
	maps *cache[mapKey, *mapData]
	// imports are the uploads whose import runs in this server.
	imports *runningImports
}

// New parses the templates and the catalogue; an error here is a build defect.
func New(cfg Config) (*Web, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	cat, err := loadCatalogues(files, "messages")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	as, err := newAssets(static)
	if err != nil {
		return nil, err
	}
	w := &Web{cfg: cfg, catalogue: cat, assets: as, pages: map[string]*template.Template{}, tree: indexTree(cfg.Categories),
		dashboards: newCache[dataKey, *dashboardData](dataCacheSize), maps: newCache[mapKey, *mapData](mapCacheSize),
		imports: &runningImports{}}
	if err := w.parseTemplates(); err != nil {
		return nil, err
	}
	return w, nil
}

// parseTemplates builds one template set per page: the layout, the partials, the page.
func (w *Web) parseTemplates() error {
	base, err := template.New("layout.html").ParseFS(files, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return fmt.Errorf("web: templates: %w", err)
		}
		if _, err := t.ParseFS(files, p); err != nil {
			return fmt.Errorf("web: template %s: %w", p, err)
		}
		w.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return nil
}

// Page is what every page's data embeds: the language, the actor, the navigation, and
// helpers the templates call ({{.T "key"}}, {{.Int 1234}}, {{.Asset "css/baken.css"}}).
type Page struct {
	Title   string
	Nav     string // the navigation item to mark as current
	Lang    Lang
	Actor   *baken.Actor
	Path    string // the request's path and query, for the language switch
	Notice  string // a message shown once above the content
	w       *Web
	request *http.Request
}

// T returns the catalogue text for key.
func (p Page) T(key string, args ...any) string { return p.w.catalogue.T(p.Lang, key, args...) }

// Int formats a whole number in the page's language.
func (p Page) Int(n int) string { return formatInt(p.Lang, n) }

// Float formats a number with decimals in the page's language.
func (p Page) Float(f float64, decimals int) string { return formatFloat(p.Lang, f, decimals) }

// Count formats a count, as "<5" for small counts where the actor sees aggregates only.
func (p Page) Count(n int) string {
	return formatCount(p.Lang, n, p.Actor != nil && p.Actor.AggregatesOnly())
}

// Date formats a time's local date.
func (p Page) Date(t time.Time) string { return formatDate(p.Lang, t.In(p.w.cfg.Location)) }

// DateTime formats a time's local date and time.
func (p Page) DateTime(t time.Time) string { return formatDateTime(p.Lang, t.In(p.w.cfg.Location)) }

// Asset returns the hashed URL of a static file.
func (p Page) Asset(name string) (string, error) { return p.w.assets.url(name) }

// LangURL returns the current page in another language.
func (p Page) LangURL(l Lang) string {
	u := *p.request.URL
	q := u.Query()
	q.Set("taal", string(l))
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// MayReadAccessLog reports whether the actor may read the access log (beheerder, privacy
// officer, auditor), to show the link.
func (p Page) MayReadAccessLog() bool {
	a := p.Actor
	return a != nil && (a.HasRole(baken.RoleAdmin) || a.HasRole(baken.RolePrivacy) || a.HasRole(baken.RoleAuditor))
}

// Analyst reports whether the signed-in user works with the data itself (analist or
// beheerder): the pages show them the command lines that others cannot run.
func (p Page) Analyst() bool {
	return p.Actor != nil && (p.Actor.HasRole(baken.RoleAnalyst) || p.Actor.HasRole(baken.RoleAdmin))
}

// Credit is the attribution the area data needs.
func (p Page) Credit() string { return p.T("credit.areas") }

func (w *Web) page(r *http.Request, title, nav string) Page {
	p := Page{Title: title, Nav: nav, Lang: langOf(r), Path: r.URL.RequestURI(), w: w, request: r}
	if a, ok := baken.ActorFrom(r.Context()); ok {
		p.Actor = &a
	}
	return p
}

// render executes a page into a buffer first, so that a template error becomes a clean
// error page rather than half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := w.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	if l := Lang(r.URL.Query().Get("taal")); l == NL || l == EN {
		http.SetCookie(rw, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, err := buf.WriteTo(rw)
	return err
}

// handler adapts a page handler that returns an error; one place renders failures.
type handler func(w http.ResponseWriter, r *http.Request) error

// errorPage is the data of the error page.
type errorPage struct {
	Page
	Status  int
	Message string
}

// pageError is an error whose message is written for the user of the page, in the
// page's language (see Web.fail).
type pageError struct{ err *baken.Error }

func (e *pageError) Error() string { return e.err.Error() }
func (e *pageError) Unwrap() error { return e.err }

// fail returns an error of kind about field whose message is key of the catalogue in the
// request's language: what the error page shows.
func (w *Web) fail(r *http.Request, kind baken.Kind, field, key string, args ...any) error {
	return &pageError{err: baken.Errorf(kind, field, "%s", w.catalogue.T(langOf(r), key, args...))}
}

func (w *Web) handle(h handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		err := h(rw, r)
		if err == nil {
			return
		}
		status, key := http.StatusInternalServerError, "error.internal"
		switch baken.KindOf(err) {
		case baken.Invalid:
			status, key = http.StatusBadRequest, "error.invalid"
		case baken.NotFound:
			status, key = http.StatusNotFound, "error.notfound"
		case baken.Forbidden:
			status, key = http.StatusForbidden, "error.forbidden"
		case baken.Unauthenticated:
			http.Redirect(rw, r, "/inloggen?terug="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if status == http.StatusInternalServerError {
			w.cfg.Logger.Error("page", "path", r.URL.Path, "err", err)
		}
		p := errorPage{Page: w.page(r, "", ""), Status: status}
		p.Title = p.T(key)
		// A message the web layer wrote for users is shown as it is; one from deeper
		// down (the store's, in English) only on the English page; otherwise the page
		// says in its language what the kind of error means.
		var le *pageError
		var be *baken.Error
		switch {
		case status == http.StatusInternalServerError:
		case errors.As(err, &le):
			p.Message = le.err.Message
		case p.Lang == EN && errors.As(err, &be) && be.Message != "":
			p.Message = be.Message
		default:
			p.Message = p.T(key + ".text")
		}
		if rerr := w.render(rw, r, status, "error", p); rerr != nil {
			w.cfg.Logger.Error("error page", "err", rerr)
			http.Error(rw, http.StatusText(status), status)
		}
	})
}

// requireActor returns the signed-in actor, or an Unauthenticated error (a redirect to
// the sign-in page).
func requireActor(r *http.Request) (baken.Actor, error) {
	a, ok := baken.ActorFrom(r.Context())
	if !ok {
		return a, &baken.Error{Kind: baken.Unauthenticated, Message: "sign in"}
	}
	return a, nil
}

// Routes registers the pages. Page URLs are Dutch, as users see them.
func (w *Web) Routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", w.assets)
	mux.Handle("GET /inloggen", w.handle(w.signInForm))
	mux.Handle("POST /inloggen", w.handle(w.signIn))
	mux.Handle("POST /uitloggen", w.handle(w.signOut))
	mux.Handle("GET /{$}", w.handle(w.dashboard))
	// Every other path is a page that does not exist: the error page, in the layout
	// and the user's language, rather than the server's bare text.
	mux.Handle("/", w.handle(func(http.ResponseWriter, *http.Request) error {
		return &baken.Error{Kind: baken.NotFound}
	}))
	mux.Handle("GET /kaart", w.handle(w.mapView))
	mux.Handle("GET /kaart/gegevens.json", w.handle(w.mapData))
	mux.Handle("GET /analyse", w.handle(w.analysisView))
	mux.Handle("GET /analyse/cellen.json", w.handle(w.analysisCells))
	mux.Handle("GET /buurten", w.handle(w.buurten))
	mux.Handle("GET /buurten/{code}", w.handle(w.buurtProfile))
	mux.Handle("GET /registraties", w.handle(w.registrations))
	mux.Handle("GET /registraties/export", w.handle(w.exportRegistrations))
	mux.Handle("GET /registraties/{id}", w.handle(w.registration))
	mux.Handle("GET /beheer/toegangslog", w.handle(w.accessLog))
	mux.Handle("GET /importeren", w.handle(w.uploadForm))
	mux.Handle("POST /importeren", w.handle(w.uploadFile))
	mux.Handle("GET /importeren/{id}", w.handle(w.uploadPreview))
	mux.Handle("POST /importeren/{id}/controle", w.handle(w.uploadCheck))
	mux.Handle("POST /importeren/{id}/start", w.handle(w.uploadStart))
	mux.Handle("GET /importeren/{id}/status", w.handle(w.uploadStatus))
	mux.Handle("POST /importeren/{id}/hervatten", w.handle(w.uploadResume))
	mux.Handle("GET /importeren/{id}/afgekeurd.csv", w.handle(w.uploadRejects))

	// The programme (issue 6): plans, yearly programmes, objectives, actions and
	// indicators; their forms and the history of their changes.
	pf := w.programmeForms()
	mux.Handle("GET /programma", w.handle(w.programmes))
	mux.Handle("GET /programma/nieuw", w.handle(newForm(w, pf.programme)))
	mux.Handle("POST /programma/nieuw", w.handle(saveForm(w, pf.programme, true)))
	mux.Handle("GET /programma/{jaar}", w.handle(w.programme))
	mux.Handle("GET /programma/{jaar}/bewerken", w.handle(editForm(w, pf.programme)))
	mux.Handle("POST /programma/{jaar}/bewerken", w.handle(saveForm(w, pf.programme, false)))
	mux.Handle("GET /programma/{jaar}/geschiedenis", w.handle(historyHandler(w, pf.programme)))
	mux.Handle("GET /programma/{jaar}/voortgang", w.handle(w.progress))
	mux.Handle("GET /programma/{jaar}/raadsbrief", w.handle(w.download("raadsbrief")))
	mux.Handle("GET /programma/{jaar}/voortgangsrapport", w.handle(w.download("voortgangsrapport")))
	mux.Handle("POST /programma/{jaar}/uitgeven", w.handle(w.issue))
	mux.Handle("GET /programma/uitgegeven/{id}/bestand", w.handle(w.issued))
	mux.Handle("GET /programma/{jaar}/doelstelling/nieuw", w.handle(newForm(w, pf.objective)))
	mux.Handle("POST /programma/{jaar}/doelstelling/nieuw", w.handle(saveForm(w, pf.objective, true)))
	mux.Handle("GET /programma/plan/nieuw", w.handle(newForm(w, pf.plan)))
	mux.Handle("POST /programma/plan/nieuw", w.handle(saveForm(w, pf.plan, true)))
	mux.Handle("GET /programma/plan/{id}/prioriteit/nieuw", w.handle(newForm(w, pf.priority)))
	mux.Handle("POST /programma/plan/{id}/prioriteit/nieuw", w.handle(saveForm(w, pf.priority, true)))
	mux.Handle("GET /programma/doelstelling/{id}/actie/nieuw", w.handle(newForm(w, pf.action)))
	mux.Handle("POST /programma/doelstelling/{id}/actie/nieuw", w.handle(saveForm(w, pf.action, true)))
	mux.Handle("GET /programma/indicator/nieuw", w.handle(newForm(w, pf.indicator)))
	mux.Handle("POST /programma/indicator/nieuw", w.handle(saveForm(w, pf.indicator, true)))
	mux.Handle("GET /programma/plan/{id}/bewerken", w.handle(editForm(w, pf.plan)))
	mux.Handle("POST /programma/plan/{id}/bewerken", w.handle(saveForm(w, pf.plan, false)))
	mux.Handle("GET /programma/plan/{id}/geschiedenis", w.handle(historyHandler(w, pf.plan)))
	mux.Handle("GET /programma/prioriteit/{id}/bewerken", w.handle(editForm(w, pf.priority)))
	mux.Handle("POST /programma/prioriteit/{id}/bewerken", w.handle(saveForm(w, pf.priority, false)))
	mux.Handle("GET /programma/prioriteit/{id}/geschiedenis", w.handle(historyHandler(w, pf.priority)))
	mux.Handle("GET /programma/doelstelling/{id}/bewerken", w.handle(editForm(w, pf.objective)))
	mux.Handle("POST /programma/doelstelling/{id}/bewerken", w.handle(saveForm(w, pf.objective, false)))
	mux.Handle("GET /programma/doelstelling/{id}/geschiedenis", w.handle(historyHandler(w, pf.objective)))
	mux.Handle("GET /programma/actie/{id}/bewerken", w.handle(editForm(w, pf.action)))
	mux.Handle("POST /programma/actie/{id}/bewerken", w.handle(saveForm(w, pf.action, false)))
	mux.Handle("GET /programma/actie/{id}/geschiedenis", w.handle(historyHandler(w, pf.action)))
	mux.Handle("GET /programma/indicator/{id}/bewerken", w.handle(editForm(w, pf.indicator)))
	mux.Handle("POST /programma/indicator/{id}/bewerken", w.handle(saveForm(w, pf.indicator, false)))
	mux.Handle("GET /programma/indicator/{id}/geschiedenis", w.handle(historyHandler(w, pf.indicator)))
	mux.Handle("GET /programma/indicator/{id}/metingen", w.handle(w.measurements))
	mux.Handle("GET /programma/indicator/{id}/meting/nieuw", w.handle(newForm(w, pf.measurement)))
	mux.Handle("POST /programma/indicator/{id}/meting/nieuw", w.handle(saveForm(w, pf.measurement, true)))
	mux.Handle("GET /programma/indicator/{id}/meting/{gebied}/{jaar}/bewerken", w.handle(editForm(w, pf.measurement)))
	mux.Handle("POST /programma/indicator/{id}/meting/{gebied}/{jaar}/bewerken", w.handle(saveForm(w, pf.measurement, false)))
	mux.Handle("GET /programma/indicator/{id}/meting/{gebied}/{jaar}/geschiedenis", w.handle(historyHandler(w, pf.measurement)))
}
