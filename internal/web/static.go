package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// assets serves the embedded static files under content-hashed names
// (/static/<hash>/css/baken.css), so that they can be cached for a year and a new build
// is never served stale.
type assets struct {
	fsys   fs.FS
	hashed map[string]string // "css/baken.css" -> "/static/1a2b3c4d5e6f/css/baken.css"
	byHash map[string]string // "1a2b3c4d5e6f/css/baken.css" -> "css/baken.css"
}

func newAssets(fsys fs.FS) (*assets, error) {
	a := &assets{fsys: fsys, hashed: map[string]string{}, byHash: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:6])
		a.hashed[p] = "/static/" + h + "/" + p
		a.byHash[h+"/"+p] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of an asset; an unknown name is a programming error that
// the page-rendering test catches.
func (a *assets) url(name string) (string, error) {
	u, ok := a.hashed[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return u, nil
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	name, ok := a.byHash[rest]
	if !ok {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(a.fsys, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	case ".png":
		w.Header().Set("Content-Type", "image/png")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
