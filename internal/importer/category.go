package importer

import (
	"fmt"
	"slices"
	"strings"

	"baken/internal/baken"
)

// Categorizer turns a source's value (a code, a label, a police class) into a category
// of the tree.
type Categorizer struct {
	fixed    string
	mapping  map[string]string
	known    map[string]baken.Category
	byLabel  map[string]string
	byScheme map[string]string // scheme codes (1.1.1, E33) to category codes
	version  string            // the tree's version
}

func normLabel(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// NewCategorizer builds a categorizer over tree. fixed, when set, is the category of
// every row. mapping maps source values to category codes and wins over the tree's own
// codes and labels.
func NewCategorizer(tree baken.CategoryTree, fixed string, mapping map[string]string) (*Categorizer, error) {
	c := &Categorizer{fixed: fixed, mapping: map[string]string{}, known: map[string]baken.Category{},
		byLabel: map[string]string{}, byScheme: map[string]string{}, version: tree.Version}
	for _, cat := range tree.Categories {
		c.known[cat.Code] = cat
	}
	if fixed != "" {
		if _, ok := c.known[fixed]; !ok {
			return nil, baken.Errorf(baken.Invalid, "--category", "unknown category %q", fixed)
		}
	}
	for _, cat := range tree.Categories {
		for _, l := range append([]string{cat.Name.NL, cat.Name.EN, cat.SchemeCode}, cat.Labels...) {
			if l != "" {
				if _, dup := c.byLabel[normLabel(l)]; !dup {
					c.byLabel[normLabel(l)] = cat.Code
				}
			}
		}
		if k := normLabel(cat.SchemeCode); k != "" {
			if _, dup := c.byScheme[k]; !dup {
				c.byScheme[k] = cat.Code
			}
		}
	}
	for from, to := range mapping {
		if _, ok := c.known[to]; !ok {
			return nil, baken.Errorf(baken.Invalid, "--category-map", "%q maps to unknown category %q", from, to)
		}
		c.mapping[normLabel(from)] = to
	}
	return c, nil
}

// fingerprint identifies what the categorizer does with a value: the fixed category, the
// tree's version and the map, so that an import resumes only under the same rules.
func (c *Categorizer) fingerprint() string {
	if c == nil {
		return ""
	}
	pairs := make([]string, 0, len(c.mapping))
	for from, to := range c.mapping {
		pairs = append(pairs, from+"="+to)
	}
	slices.Sort(pairs)
	return c.fixed + "|" + c.version + "|" + strings.Join(pairs, "\x00")
}

// Known returns the tree's categories by code.
func (c *Categorizer) Known() map[string]baken.Category { return c.known }

// Resolve returns the category for a source value, trying in turn: the fixed category;
// an explicit mapping of the whole value or of a code leading it; a category code; a
// label or name; a scheme code (1.1.1, E33) alone or leading a label ("E33 Overlast
// door verward persoon"). Only codes match as a leading word: "Afval naast container"
// is not the label "Afval".
func (c *Categorizer) Resolve(value string) (string, error) {
	if c.fixed != "" {
		return c.fixed, nil
	}
	v := normLabel(value)
	if v == "" {
		return "", fmt.Errorf("no category")
	}
	first, _, _ := strings.Cut(v, " ")
	lead := first != v && c.isCode(first)
	if code, ok := c.mapping[v]; ok {
		return code, nil
	}
	if code, ok := c.mapping[first]; ok && lead {
		return code, nil
	}
	if _, ok := c.known[v]; ok {
		return v, nil
	}
	if code, ok := c.byLabel[v]; ok {
		return code, nil
	}
	if code, ok := c.byScheme[first]; ok && lead {
		return code, nil
	}
	return "", fmt.Errorf("%q is no known category: map it with --category-map %q=CATEGORY", value, strings.TrimSpace(value))
}

// isCode reports whether a normalized word is a code rather than an ordinary word: a
// scheme code of the tree, or a word with a digit in it (E33, 1.1.1, a source's own code).
func (c *Categorizer) isCode(word string) bool {
	if _, ok := c.byScheme[word]; ok {
		return true
	}
	return strings.ContainsAny(word, "0123456789")
}
