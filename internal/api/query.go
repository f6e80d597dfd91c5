package api

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
)

// query reads a request's query parameters and collects every problem with them, so
// that one answer names all invalid parameters.
type query struct {
	values url.Values
	errs   baken.FieldErrors
}

// parseQuery reads r's query; parameters not in allowed are errors (a misspelt filter
// would otherwise silently widen the result).
func parseQuery(r *http.Request, allowed ...string) *query {
	q := &query{}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		q.fail("query", "cannot be parsed: %v", err)
	}
	q.values = v
	var unknown []string
	for name := range v {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		q.fail(name, "unknown parameter (known: %s)", strings.Join(allowed, ", "))
	}
	return q
}

func (q *query) fail(field, format string, args ...any) {
	q.errs = append(q.errs, baken.Errorf(baken.Invalid, field, format, args...))
}

// err returns the collected problems as one Invalid error, or nil.
func (q *query) err() error { return q.errs.Err() }

// one returns a parameter given at most once, or "".
func (q *query) one(name string) string {
	vs := q.values[name]
	if len(vs) > 1 {
		q.fail(name, "given %d times; give it once", len(vs))
	}
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// list returns a repeatable parameter, each value also split on commas.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.values[name] {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// day returns a local calendar day (YYYY-MM-DD), or "".
func (q *query) day(name string) string {
	v := q.one(name)
	if v == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		q.fail(name, "%q is not a date (YYYY-MM-DD)", v)
		return ""
	}
	return v
}

// period returns from and to, checking their order.
func (q *query) period() (from, to string) {
	from, to = q.day("from"), q.day("to")
	if from != "" && to != "" && from > to {
		q.fail("to", "%s is before from (%s)", to, from)
	}
	return from, to
}

// int returns an integer parameter within [lo, hi], or def when absent.
func (q *query) int(name string, def, lo, hi int) int {
	v := q.one(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		q.fail(name, "%q: want a whole number from %d to %d", v, lo, hi)
		return def
	}
	return n
}

// bool returns a boolean parameter (true or false), or false when absent.
func (q *query) bool(name string) (value, given bool) {
	switch v := q.one(name); v {
	case "":
		return false, false
	case "true":
		return true, true
	case "false":
		return false, true
	default:
		q.fail(name, "%q: want true or false", v)
		return false, false
	}
}

// area returns a CBS area code (gemeente, wijk or buurt), or "".
func (q *query) area(name string) string {
	v := strings.ToUpper(q.one(name))
	if v == "" {
		return ""
	}
	if !baken.ValidAreaCode(v) {
		q.fail(name, "%q is not a CBS area code (GM0384, WK038401, BU03840101)", v)
		return ""
	}
	return v
}
