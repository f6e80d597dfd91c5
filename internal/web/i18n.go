package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
)

// Lang is a user-interface language; Dutch is the default.
type Lang string

const (
	NL Lang = "nl"
	EN Lang = "en"
)

// langCookie remembers the language a user chose.
const langCookie = "baken_taal"

// Catalogue holds every user-facing text by key, Dutch first, with English.
type Catalogue map[string]map[Lang]string

// loadCatalogues merges every messages/*.json file; a key in two files is an error.
func loadCatalogues(fsys fs.FS, dir string) (Catalogue, error) {
	names, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	all := Catalogue{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		c, err := loadCatalogue(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for k, v := range c {
			if _, dup := all[k]; dup {
				return nil, fmt.Errorf("%s: key %q is defined twice", n, k)
			}
			all[k] = v
		}
	}
	return all, nil
}

// loadCatalogue reads the embedded messages and checks that every key has both languages.
func loadCatalogue(b []byte) (Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	for k, m := range c {
		if m[NL] == "" || m[EN] == "" {
			return nil, fmt.Errorf("messages: %q lacks Dutch or English", k)
		}
	}
	return c, nil
}

// T returns the text for key in lang, formatted with args. A missing key shows itself,
// so that it is seen and fixed (a test checks that templates use only known keys).
func (c Catalogue) T(lang Lang, key string, args ...any) string {
	m, ok := c[key]
	if !ok {
		return "{" + key + "}"
	}
	s := m[lang]
	if s == "" {
		s = m[NL]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// langOf returns the language of a request: ?taal=, then the cookie, then Dutch.
func langOf(r *http.Request) Lang {
	if l := Lang(r.URL.Query().Get("taal")); slices.Contains([]Lang{NL, EN}, l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains([]Lang{NL, EN}, Lang(c.Value)) {
		return Lang(c.Value)
	}
	return NL
}
