package web

import (
	"bytes"
	"fmt"
	"net/http"
)

// Pages that swap a part of themselves with htmx (issue 5) answer an htmx request
// with that part only. htmx sends HX-Request: true on its requests; a page without
// JavaScript, a reload and the back button (htmx is configured to reload on a history
// miss, see the htmx-config meta) ask for the whole page.

// partOnly reports whether the request asks for the swapped part alone: an htmx
// request that is not one restoring the history, which needs the whole page.
func partOnly(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// renderPart executes only the named template block of a page, for htmx to swap in.
// Like render it renders into a buffer first. The answer varies with HX-Request, and
// says so for any cache in between (the pages are no-store as well).
func (w *Web) renderPart(rw http.ResponseWriter, status int, name, block string, data any) error {
	t, ok := w.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("web: render %s %s: %w", name, block, err)
	}
	h := rw.Header()
	h.Add("Vary", "HX-Request")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, err := buf.WriteTo(rw)
	return err
}

// redirectWhole tells htmx to load url as a whole page instead of swapping a part:
// for answers that change more than the part, such as a form with errors.
func redirectWhole(rw http.ResponseWriter, status int, url string) {
	h := rw.Header()
	h.Add("Vary", "HX-Request")
	h.Set("HX-Redirect", url)
	h.Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
}
