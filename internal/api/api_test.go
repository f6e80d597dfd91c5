package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/go-cmp/cmp"
	yaml "github.com/oasdiff/yaml3"

	"baken/internal/api"
	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/server"
	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite openapi.json from openapi.yaml")

var pgsrv *pgtest.Server

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(pgtest.Main(m, &pgsrv))
}

func sys() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

// now is the API's and the stores' clock in these tests.
var now = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

// actors are the users the test tokens stand for: "Authorization: Bearer test-NAME".
// Real tokens come with the server's authentication.
var actors = map[string]baken.Actor{
	"beheerder": {UserID: "u-beheerder", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0384"}},
	"beleid":    {UserID: "u-beleid", Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{"GM0384"}},
	"analist":   {UserID: "u-analist", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}},
	"raadslid":  {UserID: "u-raadslid", Roles: []baken.Role{baken.RoleCouncillor}, Gemeenten: []string{"GM0384"}},
	"amsterdam": {UserID: "u-amsterdam", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0363"}},
	"system":    baken.System("test"),
}

func authenticate(r *http.Request) (baken.Actor, error) {
	name, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer test-")
	if a, found := actors[name]; ok && found {
		return a, nil
	}
	return baken.Actor{}, &baken.Error{Kind: baken.Unauthenticated, Message: "missing or unknown bearer token"}
}

// stores returns a fresh SQLite and a fresh PostgreSQL database with Diemen loaded.
func stores(t *testing.T) map[string]*store.DB {
	t.Helper()
	opts := store.Options{Now: func() time.Time { return now }}
	lite, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	dbs := map[string]*store.DB{"sqlite": lite}
	if s := pgtest.Require(t, pgsrv); s != nil {
		dbs["postgres"] = s.NewDB(t, opts)
	}
	for _, db := range dbs {
		if err := demo.LoadReference(sys(), db); err != nil {
			t.Fatal(err)
		}
		storeTestUsers(t, db)
	}
	return dbs
}

// userNames are the display names of the test actors that have an account, so that
// the history can name them; the others (analist, raadslid) have none.
var userNames = map[string]string{"beheerder": "Bert Beheerder", "beleid": "Bea Beleid", "amsterdam": "Ada Amsterdam"}

// storeTestUsers stores accounts under the fixed ids of the test actors, as the store
// never does (it makes its own ids).
func storeTestUsers(t *testing.T, db *store.DB) {
	t.Helper()
	q := `INSERT INTO users (id, name, display_name, roles, gemeenten, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	if db.Dialect() == "postgres" {
		q = `INSERT INTO users (id, name, display_name, roles, gemeenten, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	}
	for name, display := range userNames {
		a := actors[name]
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = string(r)
		}
		at := now.Format(time.RFC3339)
		if _, err := db.RawForTest().Exec(q, a.UserID, name, display, strings.Join(roles, ","), strings.Join(a.Gemeenten, ","), at, at); err != nil {
			t.Fatalf("store user %s: %v", name, err)
		}
	}
}

// spec is the OpenAPI document, loaded and checked once.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.yaml")
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is not valid OpenAPI: %w", err)
	}
	return doc, nil
})

func loadSpec(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// TestOpenAPIDocument checks that the document is valid OpenAPI and that openapi.json is
// openapi.yaml as JSON (go test -update rewrites it).
func TestOpenAPIDocument(t *testing.T) {
	loadSpec(t)
	src, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, &doc); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Indent(&want, buf.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	if *update {
		if err := os.WriteFile("openapi.json", want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("openapi.json is not openapi.yaml as JSON: run go test ./internal/api -run TestOpenAPIDocument -update")
	}
}

// writeJSON writes a YAML node as JSON, keeping the order of mapping keys, so that
// openapi.json reads like openapi.yaml.
func writeJSON(w *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		return writeJSON(w, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(w, n.Alias)
	case yaml.MappingNode:
		w.WriteByte('{')
		for i := 0; i < len(n.Content); i += 2 {
			if i > 0 {
				w.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			w.Write(k)
			w.WriteByte(':')
			if err := writeJSON(w, n.Content[i+1]); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case yaml.SequenceNode:
		w.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSON(w, c); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		w.Write(b)
	}
	return nil
}

// harness runs requests against the full handler (the server's middleware with the API
// mounted) and checks every request and response against the OpenAPI document.
type harness struct {
	db      *store.DB
	handler http.Handler
	doc     *openapi3.T
	router  routers.Router
	logs    *bytes.Buffer
	// seen records "operationId status" of every answered call.
	seen map[string]bool
}

func newHarness(t *testing.T, db *store.DB) *harness {
	t.Helper()
	doc, router := loadSpec(t)
	tree, err := reference.InForce(sys(), db)
	if err != nil {
		t.Fatal(err)
	}
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	a := api.New(api.Config{
		DB: db, Logger: logger, Categories: tree, Authenticate: authenticate, Location: ams,
		Now: func() time.Time { return now },
	})
	srv := server.New(server.Config{DB: db, Logger: logger, Mount: []func(*http.ServeMux){a.Routes}})
	return &harness{db: db, handler: srv.Handler(), doc: doc, router: router, logs: logs, seen: map[string]bool{}}
}

// call is one request and what must come back.
type call struct {
	name   string
	method string // default GET
	target string // path and query under /api/v1
	as     string // actor name; "" sends no Authorization header
	body   string
	// contentType of the body; default application/json.
	contentType string
	// invalid marks a request that breaks the contract on purpose: it is not validated
	// against the document (its answer is).
	invalid bool
	status  int
	check   func(t *testing.T, r result)
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r result) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

func (c call) request() *http.Request {
	method := cmpOr(c.method, http.MethodGet)
	var body *strings.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, api.Prefix+c.target, body)
	if c.body != "" {
		req.Header.Set("Content-Type", cmpOr(c.contentType, "application/json"))
	}
	if c.as != "" {
		req.Header.Set("Authorization", "Bearer test-"+c.as)
	}
	return req
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (h *harness) run(t *testing.T, c call) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, c.request())
	res := result{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if res.status != c.status {
		t.Fatalf("%s %s: status %d, want %d\n%s", cmpOr(c.method, "GET"), c.target, res.status, c.status, res.body)
	}
	h.validate(t, c, res)
	if c.check != nil {
		c.check(t, res)
	}
	return res
}

// validate checks the request (unless it is invalid on purpose) and the response
// against the OpenAPI document.
func (h *harness) validate(t *testing.T, c call, res result) {
	t.Helper()
	ctx := context.Background()
	req := c.request()
	// The legacy router matches the document's relative server URL against the path.
	req.URL.Scheme, req.URL.Host = "", ""
	route, params, err := h.router.FindRoute(req)
	if err != nil {
		// Not in the document: only the catch-all's problem answer may come back.
		if res.status != http.StatusNotFound {
			t.Fatalf("%s %s: no route in openapi.yaml: %v", req.Method, req.URL, err)
		}
		h.validateProblem(t, res)
		return
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
				return fmt.Errorf("no bearer token")
			}
			return nil
		},
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if !c.invalid {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%s %s: request does not match openapi.yaml: %v", req.Method, req.URL, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.status, Header: res.header, Options: opts}
	out.SetBodyBytes(res.body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s %s: response %d does not match openapi.yaml: %v\n%s", req.Method, req.URL, res.status, err, res.body)
	}
	h.seen[fmt.Sprintf("%s %d", route.Operation.OperationID, res.status)] = true
}

func (h *harness) validateProblem(t *testing.T, res result) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var v any
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("problem is not JSON: %v", err)
	}
	if err := h.doc.Components.Schemas["Problem"].Value.VisitJSON(v); err != nil {
		t.Errorf("problem does not match the Problem schema: %v\n%s", err, res.body)
	}
}

// operationsNotCalled returns the operations of the document that no call reached.
func (h *harness) operationsNotCalled() []string {
	var missing []string
	for path, item := range h.doc.Paths.Map() {
		for method, op := range item.Operations() {
			called := false
			for k := range h.seen {
				if strings.HasPrefix(k, op.OperationID+" ") {
					called = true
				}
			}
			if !called {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// problem is what the tests read of a problem answer.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// fields returns the fields a problem names, sorted.
func fields(t *testing.T, r result) []string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	r.decode(t, &p)
	var out []string
	for _, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("field %s: no message", e.Field)
		}
		out = append(out, e.Field)
	}
	sort.Strings(out)
	return out
}

func wantFields(want ...string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		sort.Strings(want)
		if diff := cmp.Diff(want, fields(t, r)); diff != "" {
			t.Errorf("invalid fields mismatch (-want +got):\n%s", diff)
		}
	}
}

// page is a list of registrations as the tests read it.
type page struct {
	Items  []map[string]any `json:"items"`
	Total  int              `json:"total"`
	Limit  int              `json:"limit"`
	Offset int              `json:"offset"`
}

func wantPage(total int, sourceIDs ...string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		var p page
		r.decode(t, &p)
		if p.Total != total {
			t.Errorf("total %d, want %d", p.Total, total)
		}
		var got []string
		for _, it := range p.Items {
			got = append(got, fmt.Sprint(it["source_id"]))
		}
		if diff := cmp.Diff(sourceIDs, got); diff != "" {
			t.Errorf("items mismatch (-want +got):\n%s", diff)
		}
	}
}

// The registrations every store test starts with. Posted ones go through the API.
var seedPosts = []struct{ name, body string }{
	{"b-1", `{"source":"boa","source_id":"b-1","occurred_at":"2024-03-05T21:30:00+01:00","category":"overlast-jeugd",
		"lon":4.972161,"lat":52.3492,"address":"Kerkstraat 1","description":"groep jongeren bij de bushalte"}`},
	{"b-2", `{"source":"boa","source_id":"b-2","occurred_at":"2024-03-20","category":"woninginbraak",
		"x":125754.6,"y":483721.3,"bag_id":"0384010000012345"}`},
	{"melder", `{"source":"melder","occurred_at":"2024-07-14T02:10:00Z","category":"zwerfvuil","buurt":"BU03840601",
		"reported_at":"2024-07-14T08:00:00+02:00"}`},
	{"b-3", `{"source":"boa","source_id":"b-3","occurred_at":"2023-11-02T14:00:00+01:00","category":"1.4.5",
		"lon":4.96326,"lat":52.336426}`},
}

// seed stores the registrations and returns their ids by name.
func seed(t *testing.T, h *harness) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, p := range seedPosts {
		res := h.run(t, call{method: "POST", target: "/registrations", as: "beheerder", body: p.body, status: http.StatusCreated})
		var item map[string]any
		res.decode(t, &item)
		id, _ := item["id"].(string)
		if loc := res.header.Get("Location"); loc != api.Prefix+"/registrations/"+id {
			t.Errorf("%s: Location %q, want %s/registrations/%s", p.name, loc, api.Prefix, id)
		}
		ids[p.name] = id
	}
	// A generated demo registration and one of Amsterdam, stored as an import would.
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(-time.Hour) }
	rows := []struct {
		source string
		reg    baken.Registration
	}{
		{"demo", baken.Registration{SourceID: "demo-2024-000001", SourceKey: "demo-2024-000001", OccurredAt: day("2024-03-10"),
			Precision: baken.PrecisionDay, LocalDay: "2024-03-10", Category: "overlast-jeugd", Gemeente: "GM0384",
			Wijk: "WK038401", Buurt: "BU03840101", AreaYear: 2024, Generated: true, ContentHash: "d1"}},
		{"politie", baken.Registration{SourceID: "p-1", SourceKey: "p-1", OccurredAt: day("2024-03-12"),
			Precision: baken.PrecisionDay, LocalDay: "2024-03-12", Category: "woninginbraak", Gemeente: "GM0363",
			Address: "Dam 1", ContentHash: "p1"}},
	}
	for _, r := range rows {
		if _, err := h.db.ImportChunk(sys(), store.ImportChunk{Source: r.source, Rows: []baken.Registration{r.reg}}); err != nil {
			t.Fatal(err)
		}
	}
	regs, _, err := h.db.FindRegistrations(sys(), store.RegistrationFilter{Sources: []string{"demo", "politie"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regs {
		ids[r.SourceID] = string(r.ID)
	}
	return ids
}

func TestAPI(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, db)
			ids := seed(t, h)
			for _, c := range calls(ids) {
				t.Run(c.name, func(t *testing.T) { h.run(t, c) })
			}
			t.Run("programme", func(t *testing.T) { runProgrammeCalls(t, h) })
			t.Run("analysis", func(t *testing.T) { runAnalysisCalls(t, h) })
			if missing := h.operationsNotCalled(); len(missing) > 0 {
				t.Errorf("operations of openapi.yaml no test calls: %v", missing)
			}
		})
	}
}

// calls are the request table, in order: reads first, then writes.
func calls(ids map[string]string) []call {
	b1 := ids["b-1"]
	return []call{
		// Registrations: lists, filters, paging.
		{name: "list all", target: "/registrations", as: "beheerder", status: 200,
			check: wantPage(5, "<nil>", "b-2", "demo-2024-000001", "b-1", "b-3")},
		{name: "list page", target: "/registrations?from=2024-01-01&to=2024-12-31&limit=2&offset=1", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				wantPage(4, "b-2", "demo-2024-000001")(t, r)
				var p page
				r.decode(t, &p)
				if p.Limit != 2 || p.Offset != 1 {
					t.Errorf("limit %d offset %d, want 2 and 1", p.Limit, p.Offset)
				}
			}},
		{name: "list categories", target: "/registrations?category=overlast-jeugd,woninginbraak", as: "beheerder", status: 200,
			check: wantPage(3, "b-2", "demo-2024-000001", "b-1")},
		{name: "list category repeated", target: "/registrations?category=overlast-jeugd&category=zwerfvuil", as: "beheerder", status: 200,
			check: wantPage(3, "<nil>", "demo-2024-000001", "b-1")},
		{name: "list theme", target: "/registrations?theme=1.3", as: "beheerder", status: 200,
			check: wantPage(2, "b-2", "b-3")},
		{name: "list theme and category", target: "/registrations?theme=1.3&category=overlast-jeugd", as: "beheerder", status: 200,
			check: wantPage(0)},
		{name: "list wijk", target: "/registrations?area=WK038401", as: "beheerder", status: 200,
			check: wantPage(2, "demo-2024-000001", "b-1")},
		{name: "list buurt", target: "/registrations?area=BU03840201", as: "beheerder", status: 200,
			check: wantPage(1, "b-2")},
		{name: "list source", target: "/registrations?source=boa", as: "beheerder", status: 200,
			check: wantPage(3, "b-2", "b-1", "b-3")},
		{name: "list generated", target: "/registrations?source=demo", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				var p page
				r.decode(t, &p)
				if len(p.Items) != 1 || p.Items[0]["generated"] != true {
					t.Errorf("demo registration not labelled generated: %s", r.body)
				}
			}},
		{name: "list personal fields for beleidsadviseur", target: "/registrations?source=boa", as: "beleid", status: 200,
			check: func(t *testing.T, r result) {
				var p page
				r.decode(t, &p)
				for _, it := range p.Items {
					for _, k := range []string{"address", "bag_id", "description"} {
						if _, ok := it[k]; !ok {
							t.Errorf("%v: %s missing for a beleidsadviseur", it["source_id"], k)
						}
					}
				}
				if got := p.Items[1]["address"]; got != "Kerkstraat 1" {
					t.Errorf("address %v, want Kerkstraat 1", got)
				}
			}},
		{name: "list hides personal fields from analist", target: "/registrations", as: "analist", status: 200,
			check: func(t *testing.T, r result) {
				var p page
				r.decode(t, &p)
				if p.Total != 5 {
					t.Errorf("total %d, want 5", p.Total)
				}
				for _, it := range p.Items {
					for _, k := range []string{"address", "bag_id", "description"} {
						if _, ok := it[k]; ok {
							t.Errorf("%v: analist sees %s", it["source_id"], k)
						}
					}
				}
			}},
		{name: "list other municipality", target: "/registrations", as: "amsterdam", status: 200,
			check: wantPage(1, "p-1")},
		{name: "list every municipality", target: "/registrations?source=politie", as: "system", status: 200,
			check: wantPage(1, "p-1")},
		{name: "list area of other municipality", target: "/registrations?area=GM0363", as: "beheerder", status: 404,
			check: wantFields("area")},
		{name: "list invalid parameters", target: "/registrations?from=2024-13-01&to=2023-01-01&limit=0&colour=red&theme=9.9",
			as: "beheerder", status: 400, invalid: true, check: wantFields("colour", "from", "limit", "theme")},
		{name: "list period reversed", target: "/registrations?from=2024-02-01&to=2024-01-01", as: "beheerder", status: 400,
			check: wantFields("to")},
		{name: "list limit too large", target: "/registrations?limit=501", as: "beheerder", status: 400, invalid: true,
			check: wantFields("limit")},
		{name: "list raadslid", target: "/registrations", as: "raadslid", status: 403},
		{name: "list unauthenticated", target: "/registrations", status: 401, invalid: true,
			check: func(t *testing.T, r result) {
				if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("WWW-Authenticate %q", got)
				}
				var p problem
				r.decode(t, &p)
				if p.Status != 401 || p.Title != "Unauthorized" || p.Type != "about:blank" || p.Instance != "/api/v1/registrations" || p.RequestID == "" {
					t.Errorf("problem %+v", p)
				}
			}},
		{name: "list unknown token", target: "/registrations", as: "nobody", status: 401},

		// One registration.
		{name: "get", target: "/registrations/" + b1, as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				got := r.object(t)
				want := map[string]any{
					"id": b1, "gemeente": "GM0384", "source": "boa", "source_id": "b-1",
					"occurred_at": "2024-03-05T20:30:00Z", "precision": "minute", "local_day": "2024-03-05",
					"reported_at": nil, "category": "overlast-jeugd", "theme": "3.1", "field": "3",
					"lon": 4.972161, "lat": 52.3492, "x": got["x"], "y": got["y"],
					"wijk": "WK038401", "buurt": "BU03840102", "area_year": 2024.0, "outside": false,
					"address": "Kerkstraat 1", "bag_id": nil, "description": "groep jongeren bij de bushalte",
					"generated": false, "version": 1.0,
					"created_at": "2025-06-01T10:00:00Z", "updated_at": "2025-06-01T10:00:00Z",
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("registration mismatch (-want +got):\n%s", diff)
				}
				if x, _ := got["x"].(float64); x < 126700 || x > 126740 {
					t.Errorf("x %v: want the RD x of the point, about 126720", got["x"])
				}
			}},
		{name: "get RD and day precision", target: "/registrations/" + ids["b-2"], as: "analist", status: 200,
			check: func(t *testing.T, r result) {
				got := r.object(t)
				if got["buurt"] != "BU03840201" || got["precision"] != "day" || got["local_day"] != "2024-03-20" ||
					got["occurred_at"] != "2024-03-19T23:00:00Z" || got["category"] != "woninginbraak" {
					t.Errorf("registration %s", r.body)
				}
				if _, ok := got["bag_id"]; ok {
					t.Errorf("analist sees bag_id")
				}
			}},
		{name: "get located by buurt", target: "/registrations/" + ids["melder"], as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				got := r.object(t)
				if got["wijk"] != "WK038406" || got["lon"] != nil || got["reported_at"] != "2024-07-14T06:00:00Z" || got["source_id"] != nil {
					t.Errorf("registration %s", r.body)
				}
			}},
		{name: "get other municipality", target: "/registrations/" + b1, as: "amsterdam", status: 404},
		{name: "get unknown", target: "/registrations/0190d0b4-0000-7000-8000-000000000000", as: "beheerder", status: 404},
		{name: "get raadslid", target: "/registrations/" + b1, as: "raadslid", status: 403},

		// Areas.
		{name: "areas", target: "/areas", as: "raadslid", status: 200,
			check: func(t *testing.T, r result) {
				var l struct {
					Year        int              `json:"year"`
					Attribution string           `json:"attribution"`
					Items       []map[string]any `json:"items"`
				}
				r.decode(t, &l)
				if l.Year != 2024 || l.Attribution != "Bron: CBS/Kadaster" || len(l.Items) != 46 {
					t.Errorf("year %d, attribution %q, %d areas; want 2024, Bron: CBS/Kadaster, 46", l.Year, l.Attribution, len(l.Items))
				}
				for _, it := range l.Items {
					if _, ok := it["geometry"]; ok {
						t.Errorf("%v: geometry without geometry=true", it["code"])
					}
					if it["code"] == "GM0384" {
						want := map[string]any{"year": 2024.0, "inhabitants": 32977.0}
						if diff := cmp.Diff(want, it["population"]); diff != "" {
							t.Errorf("GM0384 population mismatch (-want +got):\n%s", diff)
						}
					}
				}
			}},
		{name: "areas wijken", target: "/areas?level=wijk&gemeente=GM0384&year=2024", as: "analist", status: 200,
			check: func(t *testing.T, r result) {
				var l struct {
					Items []struct {
						Code       string `json:"code"`
						Parent     string `json:"parent"`
						Population *struct {
							Inhabitants int `json:"inhabitants"`
						} `json:"population"`
					} `json:"items"`
				}
				r.decode(t, &l)
				if len(l.Items) != 8 || l.Items[5].Code != "WK038406" || l.Items[5].Population == nil ||
					l.Items[5].Population.Inhabitants != 45 || l.Items[5].Parent != "GM0384" {
					t.Errorf("wijken %s", r.body)
				}
			}},
		{name: "areas with geometry", target: "/areas?level=buurt&parent=WK038401&geometry=true", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				var l struct {
					Items []struct {
						Code       string          `json:"code"`
						Geometry   json.RawMessage `json:"geometry"`
						Population any             `json:"population"`
					} `json:"items"`
				}
				r.decode(t, &l)
				if len(l.Items) != 6 {
					t.Fatalf("%d buurten of WK038401, want 6", len(l.Items))
				}
				for _, it := range l.Items {
					if !bytes.Contains(it.Geometry, []byte(`"MultiPolygon"`)) || it.Population != nil {
						t.Errorf("%s: geometry %.40s, population %v", it.Code, it.Geometry, it.Population)
					}
				}
			}},
		{name: "areas as GeoJSON", target: "/areas?level=wijk&format=geojson", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
					t.Errorf("Content-Type %q", ct)
				}
				var fc struct {
					Type        string `json:"type"`
					Attribution string `json:"attribution"`
					Features    []struct {
						Type     string `json:"type"`
						ID       string `json:"id"`
						Geometry struct {
							Type string `json:"type"`
						} `json:"geometry"`
						Properties struct {
							Code string `json:"code"`
						} `json:"properties"`
					} `json:"features"`
				}
				r.decode(t, &fc)
				if fc.Type != "FeatureCollection" || fc.Attribution != "Bron: CBS/Kadaster" || len(fc.Features) != 8 {
					t.Fatalf("collection %.200s", r.body)
				}
				if f := fc.Features[0]; f.Type != "Feature" || f.ID != "WK038401" || f.Geometry.Type != "MultiPolygon" || f.Properties.Code != "WK038401" {
					t.Errorf("feature %+v", f)
				}
			}},
		{name: "areas as GeoJSON without geometry", target: "/areas?level=gemeente&format=geojson&geometry=false", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				if !bytes.Contains(r.body, []byte(`"geometry":null`)) {
					t.Errorf("want null geometry: %.300s", r.body)
				}
			}},
		{name: "areas of a year not loaded", target: "/areas?year=2019", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				if got := r.object(t)["items"]; len(got.([]any)) != 0 {
					t.Errorf("items %v", got)
				}
			}},
		{name: "areas invalid", target: "/areas?level=dorp&format=kml&geometry=ja", as: "beheerder", status: 400, invalid: true,
			check: wantFields("format", "geometry", "level")},

		// Categories.
		{name: "categories", target: "/categories", as: "raadslid", status: 200,
			check: func(t *testing.T, r result) {
				var tree struct {
					Version    string `json:"version"`
					Fields     []any  `json:"fields"`
					Themes     []any  `json:"themes"`
					Categories []struct {
						Code       string   `json:"code"`
						Field      string   `json:"field"`
						Scheme     string   `json:"scheme"`
						SchemeCode *string  `json:"scheme_code"`
						Groups     []string `json:"groups"`
					} `json:"categories"`
					Groups []struct {
						Code string `json:"code"`
					} `json:"groups"`
				}
				r.decode(t, &tree)
				if tree.Version == "" || len(tree.Fields) != 5 || len(tree.Themes) != 20 || len(tree.Groups) != 1 || tree.Groups[0].Code != "HIC" {
					t.Errorf("tree %.300s", r.body)
				}
				i := slices.IndexFunc(tree.Categories, func(c struct {
					Code       string   `json:"code"`
					Field      string   `json:"field"`
					Scheme     string   `json:"scheme"`
					SchemeCode *string  `json:"scheme_code"`
					Groups     []string `json:"groups"`
				}) bool {
					return c.Code == "woninginbraak"
				})
				if i < 0 {
					t.Fatal("no woninginbraak")
				}
				if c := tree.Categories[i]; c.Field != "1" || c.Scheme != "cbs" || c.SchemeCode == nil || *c.SchemeCode != "1.1.1" || !slices.Equal(c.Groups, []string{"HIC"}) {
					t.Errorf("woninginbraak %+v", c)
				}
			}},
		{name: "categories unknown parameter", target: "/categories?lang=en", as: "beheerder", status: 400, invalid: true,
			check: wantFields("lang")},

		// Trends: rollups only; rates per 1,000 inhabitants.
		{name: "trend by year", target: "/stats/trend?interval=year", as: "beheerder", status: 200,
			check: wantTrend(`{"interval":"year","area":"GM0384","categories":null,"sources":null,"from":null,"to":null,
				"points":[{"period":"2023","start":"2023-01-01","count":1,"coarse":0,"rate_per_1000":0.03},
				          {"period":"2024","start":"2024-01-01","count":4,"coarse":0,"rate_per_1000":0.12}],
				"population":{"code":"GM0384","year":2024,"inhabitants":32977},"generated":true}`)},
		{name: "trend of HIC by month", target: "/stats/trend?group=HIC&from=2023-01-01&to=2024-12-31", as: "raadslid", status: 200,
			check: wantTrend(`{"interval":"month","area":"GM0384","categories":["bedreiging","mishandeling","moord-doodslag",
				"openlijk-geweld","overval","straatroof","woninginbraak","zedenmisdrijf"],"sources":null,"from":"2023-01-01","to":"2024-12-31",
				"points":[{"period":"2023-11","start":"2023-11-01","count":1,"coarse":0,"rate_per_1000":0.03},
				          {"period":"2023-12","start":"2023-12-01","count":0,"coarse":0,"rate_per_1000":0},
				          {"period":"2024-01","start":"2024-01-01","count":0,"coarse":0,"rate_per_1000":0},
				          {"period":"2024-02","start":"2024-02-01","count":0,"coarse":0,"rate_per_1000":0},
				          {"period":"2024-03","start":"2024-03-01","count":1,"coarse":0,"rate_per_1000":0.03}],
				"population":{"code":"GM0384","year":2024,"inhabitants":32977},"generated":false}`)},
		{name: "trend of a theme by week in a small wijk", target: "/stats/trend?interval=week&area=WK038406&theme=1.2", as: "analist", status: 200,
			check: wantTrend(`{"interval":"week","area":"WK038406","categories":` + theme12 + `,"sources":null,"from":null,"to":null,
				"points":[{"period":"2024-W28","start":"2024-07-08","count":1,"coarse":0,"rate_per_1000":null,"rate_note":"fewer than 500 inhabitants"}],
				"population":{"code":"WK038406","year":2024,"inhabitants":45},"generated":false}`)},
		{name: "trend of a buurt", target: "/stats/trend?interval=year&area=BU03840601", as: "beheerder", status: 200,
			check: wantTrend(`{"interval":"year","area":"BU03840601","categories":null,"sources":null,"from":null,"to":null,
				"points":[{"period":"2024","start":"2024-01-01","count":1,"coarse":0,"rate_per_1000":null,"rate_note":"population unknown"}],
				"population":null,"generated":false}`)},
		{name: "trend of a source and category", target: "/stats/trend?interval=year&source=boa&category=overlast-jeugd", as: "beheerder", status: 200,
			check: wantTrend(`{"interval":"year","area":"GM0384","categories":["overlast-jeugd"],"sources":["boa"],"from":null,"to":null,
				"points":[{"period":"2024","start":"2024-01-01","count":1,"coarse":0,"rate_per_1000":0.03}],
				"population":{"code":"GM0384","year":2024,"inhabitants":32977},"generated":false}`)},
		{name: "trend of every municipality", target: "/stats/trend?interval=year&from=2024-01-01", as: "system", status: 200,
			check: wantTrend(`{"interval":"year","area":null,"categories":null,"sources":null,"from":"2024-01-01","to":null,
				"points":[{"period":"2024","start":"2024-01-01","count":5,"coarse":0,"rate_per_1000":null,
				"rate_note":"no area: rates are given for one gemeente, wijk or buurt"}],"population":null,"generated":true}`)},
		{name: "trend without matching categories", target: "/stats/trend?theme=1.3&category=zwerfvuil", as: "beheerder", status: 200,
			check: wantTrend(`{"interval":"month","area":"GM0384","categories":[],"sources":null,"from":null,"to":null,
				"points":[],"population":{"code":"GM0384","year":2024,"inhabitants":32977},"generated":false}`)},
		{name: "trend of another municipality", target: "/stats/trend?area=GM0384", as: "amsterdam", status: 404, check: wantFields("area")},
		{name: "trend invalid", target: "/stats/trend?interval=day&group=XYZ&area=Diemen&from=gisteren", as: "beheerder", status: 400,
			invalid: true, check: wantFields("area", "from", "group", "interval")},
		{name: "trend unauthenticated", target: "/stats/trend", status: 401, invalid: true},

		// The document itself, without authentication.
		{name: "openapi.json", target: "/openapi.json", status: 200,
			check: func(t *testing.T, r result) {
				want, _ := os.ReadFile("openapi.json")
				if !bytes.Equal(r.body, want) || r.header.Get("Content-Type") != "application/json" {
					t.Errorf("openapi.json served differs from the file")
				}
			}},
		{name: "openapi.yaml", target: "/openapi.yaml", status: 200,
			check: func(t *testing.T, r result) {
				want, _ := os.ReadFile("openapi.yaml")
				if !bytes.Equal(r.body, want) {
					t.Errorf("openapi.yaml served differs from the file")
				}
			}},
		{name: "openapi.json with a parameter", target: "/openapi.json?x=1", status: 400, invalid: true},
		{name: "no such endpoint", target: "/registraties", as: "beheerder", status: 404},

		// Writes.
		{name: "post invalid fields", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body:  `{"occurred_at":"2024-13-45","category":"nope","lon":4.97,"lat":123,"bag_id":"12"}`,
			check: wantFields("bag_id", "category", "lat", "occurred_at", "source")},
		{name: "post wrong types and missing location", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body:  `{"source":"demo","occurred_at":"2024-03-01","precision":"minute","category":"zwerfvuil","x":"125000"}`,
			check: wantFields("precision", "source", "x")},
		{name: "post nothing located", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body:  `{"source":"boa","occurred_at":"2030-01-01","category":"zwerfvuil"}`,
			check: wantFields("location", "occurred_at")},
		{name: "post unknown field", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body:  `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101","colour":"red"}`,
			check: wantFields("colour")},
		{name: "post unknown buurt", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body:  `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03849999"}`,
			check: wantFields("buurt")},
		{name: "post not JSON", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			body: `{"source":`, check: wantFields("body")},
		{name: "post as text", method: "POST", target: "/registrations", as: "beheerder", invalid: true, status: 400,
			contentType: "text/plain", body: `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101"}`,
			check: wantFields("Content-Type")},
		{name: "post outside every area", method: "POST", target: "/registrations", as: "beheerder", status: 400,
			body:  `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","lon":4.9,"lat":52.37}`,
			check: wantFields("location")},
		{name: "post same again", method: "POST", target: "/registrations", as: "beheerder", status: 200, body: seedPosts[0].body,
			check: wantRegistration(b1, 1, "groep jongeren bij de bushalte")},
		{name: "post changed", method: "POST", target: "/registrations", as: "beheerder", status: 200,
			body:  strings.Replace(seedPosts[0].body, "bij de bushalte", "bij het winkelcentrum", 1),
			check: wantRegistration(b1, 2, "groep jongeren bij het winkelcentrum")},
		{name: "post changed once more unchanged", method: "POST", target: "/registrations", as: "beheerder", status: 200,
			body:  strings.Replace(seedPosts[0].body, "bij de bushalte", "bij het winkelcentrum", 1),
			check: wantRegistration(b1, 2, "groep jongeren bij het winkelcentrum")},
		{name: "post by analist", method: "POST", target: "/registrations", as: "analist", status: 201,
			body: `{"source":"analyse","source_id":"a-1","occurred_at":"2024-05-01T12:00:00+02:00","precision":"day",
				"category":"E33","lon":4.963260,"lat":52.336426,"description":"verward gedrag"}`,
			check: func(t *testing.T, r result) {
				got := r.object(t)
				if got["category"] != "verward-gedrag" || got["precision"] != "day" || got["buurt"] != "BU03840304" {
					t.Errorf("registration %s", r.body)
				}
				if _, ok := got["description"]; ok {
					t.Errorf("analist sees description")
				}
			}},
		{name: "post by beleidsadviseur", method: "POST", target: "/registrations", as: "beleid", status: 403,
			body: `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101"}`},
		{name: "post by raadslid", method: "POST", target: "/registrations", as: "raadslid", status: 403,
			body: `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101"}`},
		{name: "post in another municipality", method: "POST", target: "/registrations", as: "amsterdam", status: 403,
			body:  `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101"}`,
			check: wantFields("gemeente")},
		{name: "post unauthenticated", method: "POST", target: "/registrations", status: 401, invalid: true,
			body: `{"source":"boa","occurred_at":"2024-03-01","category":"zwerfvuil","buurt":"BU03840101"}`},
		{name: "trend after writes", target: "/stats/trend?interval=year&from=2024-01-01", as: "beheerder", status: 200,
			check: func(t *testing.T, r result) {
				var tr struct {
					Points []struct {
						Count int `json:"count"`
					} `json:"points"`
				}
				r.decode(t, &tr)
				// b-1 changed in place; the analist's registration was added.
				if len(tr.Points) != 1 || tr.Points[0].Count != 5 {
					t.Errorf("trend %s", r.body)
				}
			}},
	}
}

// theme12 are the categories of theme 1.2 (physical quality of the living environment).
var theme12 = func() string {
	tree, err := reference.Categories()
	if err != nil {
		panic(err)
	}
	var codes []string
	for _, c := range tree.Categories {
		if c.Theme == "1.2" {
			codes = append(codes, c.Code)
		}
	}
	slices.Sort(codes)
	b, _ := json.Marshal(codes)
	return string(b)
}()

func wantTrend(want string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		var w, g any
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatalf("bad want: %v", err)
		}
		r.decode(t, &g)
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("trend mismatch (-want +got):\n%s", diff)
		}
	}
}

func wantRegistration(id string, version int, description string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		got := r.object(t)
		if got["id"] != id || got["version"] != float64(version) || got["description"] != description {
			t.Errorf("got id %v version %v description %v, want %s %d %q", got["id"], got["version"], got["description"], id, version, description)
		}
		if loc := r.header.Get("Location"); loc != "" {
			t.Errorf("Location %q on an existing registration", loc)
		}
	}
}

// TestInternalError checks that an internal failure is logged with the request ID and
// shown without its cause.
func TestInternalError(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db)
	db.Close()
	res := h.run(t, call{name: "closed store", target: "/registrations", as: "beheerder", status: 500})
	var p problem
	res.decode(t, &p)
	if p.RequestID == "" || p.RequestID != res.header.Get("X-Request-Id") {
		t.Errorf("request_id %q, X-Request-Id %q", p.RequestID, res.header.Get("X-Request-Id"))
	}
	if strings.Contains(strings.ToLower(p.Detail), "closed") || strings.Contains(p.Detail, "sql") {
		t.Errorf("detail shows the cause: %q", p.Detail)
	}
	logged := h.logs.String()
	if !strings.Contains(logged, "request_id="+p.RequestID) || !strings.Contains(logged, "closed") {
		t.Errorf("log lacks the request ID or the cause:\n%s", logged)
	}
}
