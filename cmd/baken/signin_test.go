package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"baken/internal/demo"
	"baken/internal/server"
)

// The README's first command, in a browser's place: sign in with a demo account and see
// the dashboard; sign out and be sent back.
func TestDemoSignIn(t *testing.T) {
	addr := startServe(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "demo.db"), "--log-level", "warn")
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Jar: jar}
	base := "http://" + addr
	do := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == "POST" {
			resp, err = client.PostForm(base+path, form)
		} else {
			resp, err = client.Get(base + path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := do("GET", "/", nil)
	if resp.Request.URL.Path != "/inloggen" || !strings.Contains(body, `name="wachtwoord"`) {
		t.Fatalf("GET / without a session ended at %s (%d), want the sign-in form", resp.Request.URL, resp.StatusCode)
	}
	resp, body = do("POST", "/inloggen", url.Values{"naam": {"beleid"}, "wachtwoord": {"niet-het-wachtwoord"}, "terug": {"/"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "onjuist") {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
	resp, body = do("POST", "/inloggen", url.Values{"naam": {"beleid"}, "wachtwoord": {demo.Password}, "terug": {"/"}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || !strings.Contains(body, "<h1>Overzicht: Diemen") {
		t.Fatalf("sign in with the demo password: %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	var session *http.Cookie
	for _, c := range jar.Cookies(&url.URL{Scheme: "http", Host: addr, Path: "/"}) {
		if c.Name == server.SessionCookie {
			session = c
		}
	}
	if session == nil {
		t.Fatalf("no %s cookie after sign-in", server.SessionCookie)
	}
	resp, body = do("POST", "/uitloggen", url.Values{})
	if resp.Request.URL.Path != "/inloggen" || !strings.Contains(body, `name="wachtwoord"`) {
		t.Errorf("sign out ended at %s (%d), want the sign-in form", resp.Request.URL, resp.StatusCode)
	}
	if resp, _ := do("GET", "/", nil); resp.Request.URL.Path != "/inloggen" {
		t.Errorf("after signing out GET / ended at %s, want the sign-in form", resp.Request.URL)
	}
}
