package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// getHX is get with the headers htmx sends on a swap request.
func getHX(t *testing.T, h http.Handler, path, role string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("X-Test-Role", role)
	req.Header.Set("HX-Request", "true")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

// TestRegistrationsPageLoadsHTMX checks that the list loads htmx with a configuration
// the Content-Security-Policy allows, and that the form and the pager work both as
// plain links and with htmx.
func TestRegistrationsPageLoadsHTMX(t *testing.T) {
	site := newSite(t)
	resp, body := get(t, site, "/registraties", "analist")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<meta name="htmx-config" content='{`,
		`"includeIndicatorStyles": false`,
		`"allowEval": false`,
		`"historyCacheSize": 0`, // no registrations in sessionStorage
		`<form method="get" action="/registraties"`,
		`hx-get="/registraties" hx-target="#resultaten" hx-push-url="true"`,
		`<div id="resultaten" class="registrations-results">`,
		`<table class="table registrations-table">`,
		`rel="next" hx-get="/registraties?pagina=2" hx-target="#resultaten" hx-push-url="true"`,
		`<a href="/registraties?pagina=2" rel="next"`, // still a link without JavaScript
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if !regexp.MustCompile(`<script src="/static/[0-9a-f]+/vendor/htmx/htmx\.min\.js" defer></script>`).MatchString(body) {
		t.Error("the page does not load the vendored htmx")
	}
	if strings.Contains(body, "autofocus") {
		t.Error("the whole page moves the focus to the results")
	}
	if !strings.Contains(resp.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary %q, want HX-Request", resp.Header.Get("Vary"))
	}
	// No inline script or style: the policy would block them.
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=`).MatchString(body) {
		t.Error("the page has an inline script or style")
	}
}

func TestRegistrationsPartForHTMX(t *testing.T) {
	s := newRegSite(t, true)
	resp, body := getHX(t, s.h, "/registraties?bron=politie", "analist", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<section aria-labelledby="results-h">`,
		`<h2 id="results-h" tabindex="-1" autofocus>1 registratie</h2>`, // the total, announced by the focus
		`<table class="table registrations-table">`,
		"<td>politie</td>",
		"/registraties/export?bron=politie&amp;format=csv",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the part lacks %s", want)
		}
	}
	for _, not := range []string{"<html", "<head", "<body", "<form", "<h1", "<main", "htmx-config"} {
		if strings.Contains(body, not) {
			t.Errorf("the part has %s", not)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(resp.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary %q, want HX-Request", resp.Header.Get("Vary"))
	}

	// Paging with htmx: the next page's part, with its own pager.
	resp, body = getHX(t, s.h, "/registraties?pagina=2", "analist", nil)
	if resp.StatusCode != 200 || strings.Contains(body, "<html") || !strings.Contains(body, `rel="prev" hx-get="/registraties?"`) {
		t.Errorf("page 2 with htmx: status %d, part %.300s", resp.StatusCode, body)
	}

	// Restoring the history needs the whole page.
	_, body = getHX(t, s.h, "/registraties?bron=politie", "analist", map[string]string{"HX-History-Restore-Request": "true"})
	if !strings.Contains(body, "<html") || !strings.Contains(body, "<form") {
		t.Error("a history restore got a part, not the whole page")
	}
}

func TestRegistrationsWholePageWithoutHTMX(t *testing.T) {
	s := newRegSite(t, true)
	resp, body := get(t, s.h, "/registraties?bron=politie", "analist")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<html", "<h1", "<form", `<div id="resultaten"`, `<h2 id="results-h">1 registratie</h2>`, "<td>politie</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// A form with errors changes more than the results: htmx is sent to the whole page,
// and the page with errors sends its form without htmx, so that the errors clear.
func TestRegistrationsErrorsWithHTMX(t *testing.T) {
	s := newRegSite(t, true)
	const path = "/registraties?van=2024-12-31&tot=2024-01-01"
	resp, body := getHX(t, s.h, path, "analist", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
	if got := resp.Header.Get("HX-Redirect"); got != path {
		t.Errorf("HX-Redirect %q, want %q", got, path)
	}
	if strings.Contains(body, "<table") {
		t.Error("results for a form with errors")
	}
	resp, body = get(t, s.h, path, "analist")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("the whole page: status %d, no error summary", resp.StatusCode)
	}
	if strings.Contains(body, `hx-get="/registraties"`) {
		t.Error("the form with errors is sent with htmx: the errors would stay")
	}
}
