package web

import (
	"net/http"
	"strings"

	"baken/internal/baken"
)

type signInPage struct {
	Page
	Name   string
	Return string
	Error  string
}

// safeReturn keeps a return path on this site: a path, never a URL elsewhere.
func safeReturn(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	return s
}

func (w *Web) signInForm(rw http.ResponseWriter, r *http.Request) error {
	p := signInPage{Page: w.page(r, "", "inloggen"), Return: safeReturn(r.URL.Query().Get("terug"))}
	p.Title = p.T("signin.title")
	return w.render(rw, r, http.StatusOK, "signin", p)
}

func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return w.fail(r, baken.Invalid, "form", "error.form")
	}
	name, pw := strings.TrimSpace(r.PostForm.Get("naam")), r.PostForm.Get("wachtwoord")
	p := signInPage{Page: w.page(r, "", "inloggen"), Name: name, Return: safeReturn(r.PostForm.Get("terug"))}
	p.Title = p.T("signin.title")
	if w.cfg.Auth == nil {
		return &baken.Error{Kind: baken.Internal, Message: "no sign-in configured"}
	}
	if _, err := w.cfg.Auth.SignIn(rw, r, name, pw); err != nil {
		if !baken.IsKind(err, baken.Unauthenticated) {
			return err
		}
		p.Error = p.T("signin.failed")
		var be *baken.Error
		if strings.Contains(err.Error(), "throttled") || (errorsAs(err, &be) && be.Field == "throttle") {
			p.Error = p.T("signin.throttled")
		}
		return w.render(rw, r, http.StatusUnauthorized, "signin", p)
	}
	http.Redirect(rw, r, p.Return, http.StatusSeeOther)
	return nil
}

func (w *Web) signOut(rw http.ResponseWriter, r *http.Request) error {
	if w.cfg.Auth != nil {
		if err := w.cfg.Auth.SignOut(rw, r); err != nil {
			return err
		}
	}
	http.Redirect(rw, r, "/inloggen", http.StatusSeeOther)
	return nil
}
