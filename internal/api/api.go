// Package api provides Baken's JSON API under /api/v1, described by an OpenAPI 3.0
// document (openapi.yaml, served at /api/v1/openapi.yaml and /api/v1/openapi.json).
//
// Every endpoint but the OpenAPI document authenticates first and puts the actor in the
// request's context; the store decides what the actor may see and change. Failures are
// rendered in one place as application/problem+json (RFC 9457). Invalid input of any
// kind (query parameters and request bodies alike) is 400 Bad Request, with an errors
// member naming every invalid field: one kind, one status.
package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"baken/internal/baken"
	"baken/internal/importer"
	"baken/internal/store"
)

// Prefix is the path under which the API is served.
const Prefix = "/api/v1"

// Attribution is the credit the CBS area data needs wherever it is shown.
const Attribution = "Bron: CBS/Kadaster"

// DemoSource is the source of generated demo registrations; counts that include it are
// labelled as generated.
const DemoSource = "demo"

// Config holds the API's dependencies.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	// Categories is the category tree in force (reference.InForce).
	Categories baken.CategoryTree
	// Authenticate returns the actor for a request, or an error of kind Unauthenticated.
	// Without it every request is unauthenticated.
	Authenticate func(r *http.Request) (baken.Actor, error)
	// Location is the installation's time zone (Europe/Amsterdam), in which local days
	// are counted; nil means UTC.
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// API serves the JSON API.
type API struct {
	db     *store.DB
	logger *slog.Logger
	auth   func(r *http.Request) (baken.Actor, error)
	loc    *time.Location
	now    func() time.Time
	tree   treeIndex
	// categorizer resolves posted category values (codes, scheme codes, labels).
	categorizer *importer.Categorizer
}

// New returns the API.
func New(cfg Config) *API {
	a := &API{
		db:     cfg.DB,
		logger: cfg.Logger,
		auth:   cfg.Authenticate,
		loc:    cfg.Location,
		now:    cfg.Now,
		tree:   indexTree(cfg.Categories),
	}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	if a.loc == nil {
		a.loc = time.UTC
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.auth == nil {
		a.auth = func(*http.Request) (baken.Actor, error) {
			return baken.Actor{}, &baken.Error{Kind: baken.Unauthenticated, Message: "no authentication configured"}
		}
	}
	// Without a fixed category or a mapping, NewCategorizer cannot fail; should it ever,
	// posting registrations answers with an internal error and the reason is logged.
	c, err := importer.NewCategorizer(cfg.Categories, "", nil)
	if err != nil {
		a.logger.Error("api: category resolver", "err", err)
	}
	a.categorizer = c
	return a
}

// handler is an endpoint: it writes a response, or returns an error that fail renders.
type handler func(w http.ResponseWriter, r *http.Request) error

// Routes registers every endpoint under /api/v1/ on mux.
func (a *API) Routes(mux *http.ServeMux) {
	// The one chain every authenticated endpoint passes.
	authed := func(h handler) http.Handler { return noStore(a.authenticate(a.serve(h))) }

	mux.Handle("GET "+Prefix+"/registrations", authed(a.listRegistrations))
	mux.Handle("POST "+Prefix+"/registrations", authed(a.createRegistration))
	mux.Handle("GET "+Prefix+"/registrations/{id}", authed(a.getRegistration))
	mux.Handle("GET "+Prefix+"/areas", authed(a.listAreas))
	mux.Handle("GET "+Prefix+"/categories", authed(a.categories))
	mux.Handle("GET "+Prefix+"/stats/trend", authed(a.trend))
	// The programme: plans, programmes, objectives, actions, indicators, their history.
	a.programmeRoutes(mux, authed)
	// The programme's council letter and progress report, rendered or issued.
	a.documentRoutes(mux, authed)
	// Analyses of a selection of registrations: hotspots, hot times, near-repeat.
	a.analysisRoutes(mux, authed)
	// The contract is published without authentication (API design rule API-51): it
	// holds no data.
	mux.Handle("GET "+Prefix+"/openapi.json", a.serve(a.openAPIJSON))
	mux.Handle("GET "+Prefix+"/openapi.yaml", a.serve(a.openAPIYAML))
	// Anything else under the prefix is answered in problem+json too.
	mux.Handle(Prefix+"/", authed(a.notFound))
}

// serve adapts a handler to http.Handler, rendering its error.
func (a *API) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// authenticate puts the request's actor in its context, or answers 401.
func (a *API) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, err := a.auth(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(baken.WithActor(r.Context(), actor)))
	})
}

// noStore keeps API answers, which may hold personal data, out of caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func (a *API) notFound(w http.ResponseWriter, r *http.Request) error {
	return &baken.Error{Kind: baken.NotFound, Message: fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path)}
}

// actorOf returns the actor the authenticate middleware stored.
func actorOf(r *http.Request) (baken.Actor, error) {
	actor, ok := baken.ActorFrom(r.Context())
	if !ok {
		return baken.Actor{}, &baken.Error{Kind: baken.Unauthenticated, Message: "not signed in"}
	}
	return actor, nil
}

// writeJSON writes v as the response body. It encodes first, so that an encoding
// failure can still be answered as an error.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

const contentJSON = "application/json"
