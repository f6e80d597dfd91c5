package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

// withActor stands in for the session middleware: the header X-Test-Role signs in a user
// of Diemen with that role.
func withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if role := r.Header.Get("X-Test-Role"); role != "" {
			a := baken.Actor{UserID: "u-" + role, Name: "Test " + role, Roles: []baken.Role{baken.Role(role)}, Gemeenten: []string{"GM0384"}}
			r = r.WithContext(baken.WithActor(r.Context(), a))
		}
		next.ServeHTTP(w, r)
	})
}

func newSite(t *testing.T) http.Handler {
	t.Helper()
	h, _ := newSiteWith(t, true)
	return h
}

// newSiteWith returns the pages over a fresh SQLite store with Diemen's areas, and with
// the demo's registrations when demoRows is set, and the store.
func newSiteWith(t *testing.T, demoRows bool) (http.Handler, *store.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sys := baken.WithActor(context.Background(), baken.System("test"))
	if err := demo.LoadReference(sys, db); err != nil {
		t.Fatal(err)
	}
	if demoRows {
		if _, err := demo.LoadRegistrations(sys, db, demo.DefaultSeed); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: ams})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	return withActor(mux), db
}

// checkBody reports what the page at path lacks of want and shows of not.
func checkBody(t *testing.T, path, body string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s lacks %q", path, w)
		}
	}
	for _, n := range not {
		if strings.Contains(body, n) {
			t.Errorf("GET %s shows %q", path, n)
		}
	}
}

func get(t *testing.T, h http.Handler, path, role string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

func TestPages(t *testing.T) {
	site := newSite(t)
	tests := []struct {
		name, path, role string
		status           int
		want             []string
	}{
		{"sign-in page", "/inloggen", "", 200, []string{`<html lang="nl">`, `<label class="utrecht-form-label" for="naam">Gebruikersnaam</label>`, `href="#inhoud"`}},
		{"sign-in in English", "/inloggen?taal=en", "", 200, []string{`<html lang="en">`, "User name"}},
		{"dashboard needs a session", "/", "", 303, nil},
		{"dashboard", "/", "beleidsadviseur", 200, []string{"Overzicht: Diemen", "2025 tegenover 2024", "gegenereerde demodata", "Jeugdoverlast", "per 1.000 inwoners"}},
		{"councillor sees small counts suppressed", "/", "raadslid", 200, []string{"Overzicht: Diemen"}},
		{"dashboard trend by year", "/?trend=jaar", "beleidsadviseur", 200, []string{"Registraties per jaar", `<th scope="row">2019</th>`, `<th scope="row">2025</th>`}},
		{"unknown page", "/bestaat-niet", "beleidsadviseur", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, site, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, nil)
			if strings.Contains(body, "{") && regexp.MustCompile(`\{[a-z]+\.[a-z.]+\}`).MatchString(body) {
				t.Errorf("GET %s shows a missing catalogue key: %s", tt.path, regexp.MustCompile(`\{[a-z]+\.[a-z.]+\}`).FindString(body))
			}
			if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
				t.Errorf("GET %s has inline style or script, which the CSP forbids", tt.path)
			}
		})
	}
	if resp, _ := get(t, site, "/", ""); resp.Header.Get("Location") != "/inloggen?terug=%2F" {
		t.Errorf("redirect to %q", resp.Header.Get("Location"))
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	site := newSite(t)
	_, body := get(t, site, "/inloggen", "")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}/css/baken\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no hashed stylesheet link in %s", body)
	}
	resp, css := get(t, site, m[1], "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(css, "--baken-color-primary") {
		t.Errorf("GET %s = %d %q", m[1], resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, site, "/static/000000000000/css/baken.css", ""); resp.StatusCode != 404 {
		t.Errorf("a stale hash is served: %d", resp.StatusCode)
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// TestErrorPages: an error page says in the page's language what went wrong, in the
// layout, whatever layer the error came from; a message written for users (a bad choice
// in a filter) is shown as it is.
func TestErrorPages(t *testing.T) {
	site := newSite(t)
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"a page that does not exist", "/bestaatniet", "analist", 404,
			[]string{`<html lang="nl">`, "<h1>Niet gevonden</h1>", "Wat u zocht bestaat niet", "Naar het overzicht"}, []string{"404 page not found"}},
		{"the same in English", "/bestaatniet?taal=en", "analist", 404,
			[]string{`<html lang="en">`, "<h1>Not found</h1>", "What you looked for does not exist", "Source: CBS/Kadaster"}, []string{"Bron:"}},
		{"a role without access", "/registraties", "raadslid", 403,
			[]string{"<h1>Geen toegang</h1>", "Uw rol geeft geen toegang tot deze pagina"}, nil},
		{"a registration that does not exist", "/registraties/abc", "analist", 404,
			[]string{"Wat u zocht bestaat niet"}, []string{"not found"}},
		{"a buurt of another municipality", "/buurten/BU03630000", "analist", 404,
			[]string{"Deze buurt bestaat niet, of hoort bij een gemeente"}, []string{"no such buurt"}},
		{"a year without data on the map", "/kaart?jaar=1999", "analist", 400,
			[]string{"Er zijn geen registraties in &#34;1999&#34;. Kies een jaar uit de lijst."}, []string{"choose a year"}},
		{"an unknown theme, in English", "/kaart?thema=9.9&taal=en", "analist", 400,
			[]string{"&#34;9.9&#34; is not a theme. Choose a theme from the list."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, site, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%.1500s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
		})
	}
}
