package api

import (
	_ "embed"
	"net/http"
)

// specYAML is the hand-written contract. specJSON is the same document as JSON,
// generated from it by the tests (go test ./internal/api -update), which fail when the
// two differ.
var (
	//go:embed openapi.yaml
	specYAML []byte
	//go:embed openapi.json
	specJSON []byte
)

func (a *API) openAPIJSON(w http.ResponseWriter, r *http.Request) error {
	return writeDocument(w, r, "application/json", specJSON)
}

func (a *API) openAPIYAML(w http.ResponseWriter, r *http.Request) error {
	return writeDocument(w, r, "application/yaml", specYAML)
}

func writeDocument(w http.ResponseWriter, r *http.Request, contentType string, doc []byte) error {
	if q := parseQuery(r); q.err() != nil {
		return q.err()
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(doc)
	return nil
}
