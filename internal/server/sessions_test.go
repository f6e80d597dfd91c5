package server_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/password"
	"baken/internal/reference"
	"baken/internal/server"
	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

var pgsrv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pgsrv)) }

const (
	testName     = "analist"
	testPassword = "correct-paard-batterij"
)

// clock is the store's clock, moved by the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// site is the full server handler with sessions and the web pages, on one store.
type site struct {
	db       *store.DB
	sessions *server.Sessions
	handler  http.Handler
	clock    *clock
}

// eachStore runs fn on a fresh site on SQLite and on PostgreSQL, with one user
// (testName, testPassword, an analyst of Diemen).
func eachStore(t *testing.T, fn func(t *testing.T, s *site)) {
	t.Helper()
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	hasher := password.NewHasher(2)
	hash, err := hasher.Hash(context.Background(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	open := map[string]func(t *testing.T, opts store.Options) *store.DB{
		"sqlite": func(t *testing.T, opts store.Options) *store.DB {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "baken.db"), opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(t *testing.T, opts store.Options) *store.DB {
			return pgtest.Require(t, pgsrv).NewDB(t, opts)
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			c := &clock{t: time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC)}
			db := open[name](t, store.Options{Now: c.Now})
			sys := baken.WithActor(context.Background(), baken.System("test"))
			if err := demo.LoadReference(sys, db); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateUser(sys, baken.User{Name: testName, Roles: []baken.Role{baken.RoleAnalyst},
				Gemeenten: []string{demo.Gemeente}, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
			sessions := server.NewSessions(db, hasher, server.SessionOptions{})
			w, err := web.New(web.Config{DB: db, Categories: tree, Auth: sessions, Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			srv := server.New(server.Config{DB: db, Mount: []func(*http.ServeMux){w.Routes},
				Middleware: []func(http.Handler) http.Handler{sessions.Middleware}})
			fn(t, &site{db: db, sessions: sessions, handler: srv.Handler(), clock: c})
		})
	}
}

// request is one request through the full handler.
type request struct {
	method, path string
	form         url.Values
	cookie       *http.Cookie
	tls          bool
	remote       string
	header       map[string]string
}

func (s *site) do(t *testing.T, rq request) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if rq.form != nil {
		body = strings.NewReader(rq.form.Encode())
	}
	if rq.method == "" {
		rq.method = "GET"
	}
	req := httptest.NewRequest(rq.method, rq.path, body)
	if rq.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if rq.cookie != nil {
		req.AddCookie(&http.Cookie{Name: rq.cookie.Name, Value: rq.cookie.Value})
	}
	if rq.tls {
		req.TLS = &tls.ConnectionState{}
	}
	if rq.remote != "" {
		req.RemoteAddr = rq.remote
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// signIn posts the sign-in form, carrying cookie if given.
func (s *site) signIn(t *testing.T, name, pw string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	return s.do(t, request{method: "POST", path: "/inloggen", form: url.Values{"naam": {name}, "wachtwoord": {pw}, "terug": {"/"}}, cookie: cookie})
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie {
			return c
		}
	}
	return nil
}

// mustSignIn signs in as the test user and returns the session cookie.
func (s *site) mustSignIn(t *testing.T) *http.Cookie {
	t.Helper()
	resp, body := s.signIn(t, testName, testPassword, nil)
	c := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || c == nil || c.Value == "" {
		t.Fatalf("sign in: %d, cookie %v\n%s", resp.StatusCode, c, body)
	}
	return c
}

// signedIn reports whether the dashboard shows with cookie, or sends to the sign-in page.
func (s *site) signedIn(t *testing.T, cookie *http.Cookie) bool {
	t.Helper()
	resp, body := s.do(t, request{path: "/", cookie: cookie})
	switch {
	case resp.StatusCode == http.StatusOK && strings.Contains(body, "<h1>Overzicht"):
		return true
	case resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/inloggen?terug=%2F":
		return false
	}
	t.Fatalf("GET /: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	return false
}

func TestPagesNeedASession(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		if s.signedIn(t, nil) {
			t.Error("dashboard without a session")
		}
		if s.signedIn(t, &http.Cookie{Name: server.SessionCookie, Value: strings.Repeat("A", 43)}) {
			t.Error("dashboard with a made-up session cookie")
		}
		c := s.mustSignIn(t)
		if !s.signedIn(t, c) {
			t.Error("no dashboard with a session")
		}
		// A request with an Authorization header is the API's: the cookie does not count.
		resp, _ := s.do(t, request{path: "/", cookie: c, header: map[string]string{"Authorization": "Bearer bkn_x"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("GET / with a cookie and an Authorization header: %d, want 303", resp.StatusCode)
		}
	})
}

func TestSignInCookie(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		for _, overTLS := range []bool{false, true} {
			resp, body := s.do(t, request{method: "POST", path: "/inloggen", tls: overTLS,
				form: url.Values{"naam": {" Analist "}, "wachtwoord": {testPassword}, "terug": {"/"}}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
				t.Fatalf("sign in (TLS %v): %d %s\n%s", overTLS, resp.StatusCode, resp.Header.Get("Location"), body)
			}
			c := sessionCookie(resp)
			if c == nil {
				t.Fatalf("sign in (TLS %v): no %s cookie in %v", overTLS, server.SessionCookie, resp.Header["Set-Cookie"])
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != overTLS || c.Path != "/" ||
				!c.Expires.IsZero() || c.MaxAge != 0 || len(c.Value) < 43 {
				t.Errorf("sign in (TLS %v): cookie %q, want HttpOnly; SameSite=Lax; Path=/; Secure only over TLS; no expiry; a 32-byte token",
					overTLS, resp.Header.Get("Set-Cookie"))
			}
			if !s.signedIn(t, c) {
				t.Errorf("sign in (TLS %v): the new cookie shows no dashboard", overTLS)
			}
		}
	})
}

func TestSignInRotatesTheSession(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		first := s.mustSignIn(t)
		resp, body := s.signIn(t, testName, testPassword, first)
		second := sessionCookie(resp)
		if resp.StatusCode != http.StatusSeeOther || second == nil {
			t.Fatalf("second sign in: %d\n%s", resp.StatusCode, body)
		}
		if second.Value == first.Value {
			t.Fatal("sign-in kept the session cookie it came with")
		}
		if s.signedIn(t, first) {
			t.Error("the cookie from before sign-in is still valid")
		}
		if !s.signedIn(t, second) {
			t.Error("the new cookie is not valid")
		}
		// A cookie planted before sign-in (session fixation) is replaced, not adopted.
		planted := &http.Cookie{Name: server.SessionCookie, Value: strings.Repeat("B", 43)}
		resp, _ = s.signIn(t, testName, testPassword, planted)
		if c := sessionCookie(resp); c == nil || c.Value == planted.Value {
			t.Errorf("sign-in with a planted cookie: new cookie %v", c)
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		for i := 1; i <= 4; i++ {
			resp, body := s.signIn(t, testName, "wrong-password-"+fmt.Sprint(i), nil)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Gebruikersnaam of wachtwoord onjuist") || sessionCookie(resp) != nil {
				t.Fatalf("wrong password %d: %d, cookie %v\n%s", i, resp.StatusCode, sessionCookie(resp), body)
			}
		}
		resp, body := s.signIn(t, testName, "wrong-password-5", nil)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Te veel mislukte pogingen") {
			t.Fatalf("wrong password 5: %d\n%s", resp.StatusCode, body)
		}
		resp, body = s.signIn(t, testName, testPassword, nil)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Te veel mislukte pogingen") || sessionCookie(resp) != nil {
			t.Fatalf("right password while throttled: %d, cookie %v\n%s", resp.StatusCode, sessionCookie(resp), body)
		}
		// The error the web package sees.
		rec := httptest.NewRecorder()
		_, err := s.sessions.SignIn(rec, httptest.NewRequest("POST", "/inloggen", nil), testName, testPassword)
		var be *baken.Error
		if !errors.As(err, &be) || be.Kind != baken.Unauthenticated || be.Field != "throttle" {
			t.Errorf("SignIn while throttled: err = %#v, want unauthenticated with field throttle", err)
		}
		s.clock.Advance(14 * time.Minute)
		if resp, _ := s.signIn(t, testName, testPassword, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("right password a minute before the lockout ends: %d, want 401", resp.StatusCode)
		}
		s.clock.Advance(time.Minute)
		c := s.mustSignIn(t)
		if !s.signedIn(t, c) {
			t.Error("no dashboard after the lockout")
		}
	})
}

func TestSignInThrottlePerAddress(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		try := func(name, pw, remote string) *http.Response {
			t.Helper()
			resp, _ := s.do(t, request{method: "POST", path: "/inloggen", remote: remote,
				form: url.Values{"naam": {name}, "wachtwoord": {pw}}})
			return resp
		}
		// Guessing at names that do not exist, from addresses in one IPv6 /64. An address
		// is locked after ten times the per-name limit, since colleagues share an
		// office's address.
		for i := range 50 {
			if resp := try(fmt.Sprintf("gok%d", i), "raden-is-vergeefs", fmt.Sprintf("[2001:db8:1:2::%d]:4000", i+1)); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i, resp.StatusCode)
			}
		}
		if resp := try(testName, testPassword, "[2001:db8:1:2::99]:4000"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("right password from the throttled /64: %d, want 401", resp.StatusCode)
		}
		if resp := try(testName, testPassword, "[2001:db8:1:3::1]:4000"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("right password from another /64: %d, want 303", resp.StatusCode)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		// Idle: 30 minutes after the last request.
		c := s.mustSignIn(t)
		s.clock.Advance(29 * time.Minute)
		if !s.signedIn(t, c) {
			t.Fatal("session ended after 29 idle minutes")
		}
		s.clock.Advance(29 * time.Minute)
		if !s.signedIn(t, c) {
			t.Fatal("session ended 58 minutes after sign-in, 29 after the last request")
		}
		s.clock.Advance(30 * time.Minute)
		if s.signedIn(t, c) {
			t.Error("session alive after 30 idle minutes")
		}

		// Absolute: 10 hours after sign-in, however active.
		c = s.mustSignIn(t)
		for range 29 { // 29 x 20 minutes = 9 h 40 min
			s.clock.Advance(20 * time.Minute)
			if !s.signedIn(t, c) {
				t.Fatal("active session ended before 10 hours")
			}
		}
		s.clock.Advance(20 * time.Minute)
		if s.signedIn(t, c) {
			t.Error("session alive 10 hours after sign-in")
		}
	})
}

func TestSignOut(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		c := s.mustSignIn(t)
		resp, body := s.do(t, request{method: "POST", path: "/uitloggen", cookie: c})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inloggen" {
			t.Fatalf("sign out: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if cleared := sessionCookie(resp); cleared == nil || cleared.MaxAge >= 0 || cleared.Value != "" {
			t.Errorf("sign out does not clear the cookie: %v", resp.Header["Set-Cookie"])
		}
		if s.signedIn(t, c) {
			t.Error("the cookie still works after signing out")
		}
	})
}

func TestDisabledUserSessionEnds(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		c := s.mustSignIn(t)
		sys := baken.WithActor(context.Background(), baken.System("test"))
		if err := s.db.SetUserDisabled(sys, testName, true); err != nil {
			t.Fatal(err)
		}
		if s.signedIn(t, c) {
			t.Error("a disabled user's session still works")
		}
		if resp, _ := s.signIn(t, testName, testPassword, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled user signs in: %d, want 401", resp.StatusCode)
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		form := url.Values{"naam": {testName}, "wachtwoord": {testPassword}}
		for _, h := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://aanvaller.example"},
		} {
			resp, _ := s.do(t, request{method: "POST", path: "/inloggen", form: form, header: h})
			if resp.StatusCode != http.StatusForbidden || sessionCookie(resp) != nil {
				t.Errorf("POST /inloggen with %v: %d, want 403 and no cookie", h, resp.StatusCode)
			}
		}
		c := s.mustSignIn(t)
		resp, _ := s.do(t, request{method: "POST", path: "/uitloggen", cookie: c, header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
		if resp.StatusCode != http.StatusForbidden || !s.signedIn(t, c) {
			t.Errorf("cross-site sign-out: %d; the session must stay", resp.StatusCode)
		}
		resp, _ = s.do(t, request{method: "POST", path: "/inloggen", form: form, header: map[string]string{"Sec-Fetch-Site": "same-origin"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("same-origin sign-in: %d, want 303", resp.StatusCode)
		}
	})
}

func TestUnknownUserFailsLikeAWrongPassword(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		_, wrongPassword := s.signIn(t, testName, "niet-het-wachtwoord", nil)
		resp, unknownUser := s.signIn(t, "niemand", "niet-het-wachtwoord", nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unknown user: %d", resp.StatusCode)
		}
		// The pages differ only in the name typed.
		if strings.ReplaceAll(unknownUser, "niemand", testName) != wrongPassword {
			t.Error("an unknown user's answer differs from a wrong password's")
		}
	})
}

// The CSP allows images from a configured base map's tile server and nowhere else.
func TestContentSecurityPolicyImageOrigins(t *testing.T) {
	for _, tt := range []struct {
		origins []string
		want    string
	}{
		{nil, "img-src 'self' data:;"},
		{[]string{"https://service.pdok.nl"}, "img-src 'self' data: https://service.pdok.nl;"},
	} {
		srv := server.New(server.Config{ImageOrigins: tt.origins})
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/bestaat-niet", nil))
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, tt.want) || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP with %v = %q, want %q", tt.origins, csp, tt.want)
		}
	}
}
