package api

import (
	"errors"
	"fmt"
	"net/http"

	"baken/internal/baken"
	"baken/internal/server"
)

// problem is an RFC 9457 problem detail, with two extension members: errors, naming
// every invalid field, and request_id, to quote when reporting a failure.
type problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []fieldError `json:"errors,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

const contentProblem = "application/problem+json"

// statusOf maps an error kind to its HTTP status.
func statusOf(k baken.Kind) int {
	switch k {
	case baken.Invalid:
		return http.StatusBadRequest
	case baken.NotFound:
		return http.StatusNotFound
	case baken.Conflict:
		return http.StatusConflict
	case baken.Unauthenticated:
		return http.StatusUnauthorized
	case baken.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// fail renders err as problem+json. It is the one place where errors become responses:
// internal errors are logged with the request ID and shown without their text; the
// messages of other kinds are written for users and shown.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	kind := baken.KindOf(err)
	status := statusOf(kind)
	reqID := server.RequestID(r.Context())
	p := problem{
		// The status says all there is to say, so the type is about:blank and the
		// title the status phrase (RFC 9457, section 4.2.1).
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Instance:  r.URL.Path,
		RequestID: reqID,
	}
	if status == http.StatusInternalServerError {
		a.logger.Error("api request failed", "request_id", reqID, "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = "An internal error occurred. Quote the request ID when you report it."
	} else {
		p.Detail, p.Errors = describe(err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="baken"`)
	}
	if err := writeJSON(w, status, contentProblem, p); err != nil {
		a.logger.Error("api: write problem", "request_id", reqID, "err", err)
	}
}

// describe returns the user-facing message of a domain error and the fields it names.
func describe(err error) (string, []fieldError) {
	var e *baken.Error
	if !errors.As(err, &e) {
		return "", nil
	}
	var fe baken.FieldErrors
	if errors.As(err, &fe) && len(fe) > 0 {
		out := make([]fieldError, 0, len(fe))
		for _, f := range fe {
			out = append(out, fieldError{Field: f.Field, Message: f.Message})
		}
		if len(fe) == 1 {
			return "1 field is invalid: see errors", out
		}
		return fmt.Sprintf("%d fields are invalid: see errors", len(fe)), out
	}
	if e.Field != "" {
		return e.Message, []fieldError{{Field: e.Field, Message: e.Message}}
	}
	return e.Message, nil
}
