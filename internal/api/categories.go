package api

import (
	"net/http"
	"slices"

	"baken/internal/baken"
)

// treeIndex is the category tree in force, indexed for filters and for filling in a
// registration's theme and safety field.
type treeIndex struct {
	tree       baken.CategoryTree
	categories map[string]baken.Category
	themes     map[string]baken.Theme
	byTheme    map[string][]string // theme code -> category codes
	byGroup    map[string][]string // group code -> category codes
}

func indexTree(t baken.CategoryTree) treeIndex {
	ix := treeIndex{
		tree:       t,
		categories: map[string]baken.Category{},
		themes:     map[string]baken.Theme{},
		byTheme:    map[string][]string{},
		byGroup:    map[string][]string{},
	}
	for _, th := range t.Themes {
		ix.themes[th.Code] = th
	}
	for _, g := range t.Groups {
		ix.byGroup[g.Code] = nil
	}
	for _, c := range t.Categories {
		ix.categories[c.Code] = c
		ix.byTheme[c.Theme] = append(ix.byTheme[c.Theme], c.Code)
		for _, g := range c.Groups {
			ix.byGroup[g] = append(ix.byGroup[g], c.Code)
		}
	}
	return ix
}

// themeAndField returns the theme and safety field codes of a category, or "" when the
// category is not in the tree (any more).
func (ix treeIndex) themeAndField(category string) (theme, field string) {
	c, ok := ix.categories[category]
	if !ok {
		return "", ""
	}
	return c.Theme, ix.themes[c.Theme].Field
}

// categoryFilter reads the category parameters: category (codes), theme and, where
// allowed, group. Values of one parameter widen the selection, different parameters
// narrow it. filtered is false when no parameter was given (every category); a given
// combination that no category satisfies is filtered with an empty list.
func (ix treeIndex) categoryFilter(q *query, groups bool) (codes []string, filtered bool) {
	var sets [][]string
	if cs := q.list("category"); len(cs) > 0 {
		for _, c := range cs {
			if _, ok := ix.categories[c]; !ok {
				q.fail("category", "unknown category %q (see /api/v1/categories)", c)
			}
		}
		sets = append(sets, cs)
	}
	if ths := q.list("theme"); len(ths) > 0 {
		var cs []string
		for _, th := range ths {
			if _, ok := ix.themes[th]; !ok {
				q.fail("theme", "unknown theme %q (see /api/v1/categories)", th)
			}
			cs = append(cs, ix.byTheme[th]...)
		}
		sets = append(sets, cs)
	}
	if groups {
		if gs := q.list("group"); len(gs) > 0 {
			var cs []string
			for _, g := range gs {
				if _, ok := ix.byGroup[g]; !ok {
					q.fail("group", "unknown group %q (see /api/v1/categories)", g)
				}
				cs = append(cs, ix.byGroup[g]...)
			}
			sets = append(sets, cs)
		}
	}
	if len(sets) == 0 {
		return nil, false
	}
	codes = []string{}
	for _, c := range sets[0] {
		keep := !slices.Contains(codes, c)
		for _, s := range sets[1:] {
			keep = keep && slices.Contains(s, c)
		}
		if keep {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return codes, true
}

// The category tree as the API shows it: its own types, so that the contract does not
// follow changes to the domain's JSON tags.
type (
	textJSON struct {
		NL string `json:"nl"`
		EN string `json:"en"`
	}
	fieldJSON struct {
		Code string   `json:"code"`
		Name textJSON `json:"name"`
	}
	themeJSON struct {
		Code  string   `json:"code"`
		Field string   `json:"field"`
		Name  textJSON `json:"name"`
	}
	categoryJSON struct {
		Code       string   `json:"code"`
		Theme      string   `json:"theme"`
		Field      string   `json:"field"`
		Name       textJSON `json:"name"`
		Scheme     string   `json:"scheme"`
		SchemeCode *string  `json:"scheme_code"`
		Labels     []string `json:"labels"`
		Unverified bool     `json:"unverified"`
		Groups     []string `json:"groups"`
	}
	groupJSON struct {
		Code    string   `json:"code"`
		Name    textJSON `json:"name"`
		Version string   `json:"version"`
		Note    *string  `json:"note"`
	}
	treeJSON struct {
		Version    string         `json:"version"`
		Fields     []fieldJSON    `json:"fields"`
		Themes     []themeJSON    `json:"themes"`
		Categories []categoryJSON `json:"categories"`
		Groups     []groupJSON    `json:"groups"`
	}
)

func text(t baken.Text) textJSON { return textJSON{NL: t.NL, EN: t.EN} }

// nullable returns nil for "", so that absent values are null in JSON.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// categories answers GET /api/v1/categories: the tree in force. Any signed-in actor may
// read it.
func (a *API) categories(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r)
	if err := q.err(); err != nil {
		return err
	}
	t := a.tree.tree
	out := treeJSON{
		Version:    t.Version,
		Fields:     make([]fieldJSON, 0, len(t.Fields)),
		Themes:     make([]themeJSON, 0, len(t.Themes)),
		Categories: make([]categoryJSON, 0, len(t.Categories)),
		Groups:     make([]groupJSON, 0, len(t.Groups)),
	}
	for _, f := range t.Fields {
		out.Fields = append(out.Fields, fieldJSON{Code: f.Code, Name: text(f.Name)})
	}
	for _, th := range t.Themes {
		out.Themes = append(out.Themes, themeJSON{Code: th.Code, Field: th.Field, Name: text(th.Name)})
	}
	for _, c := range t.Categories {
		_, field := a.tree.themeAndField(c.Code)
		out.Categories = append(out.Categories, categoryJSON{
			Code: c.Code, Theme: c.Theme, Field: field, Name: text(c.Name), Scheme: string(c.Scheme),
			SchemeCode: nullable(c.SchemeCode), Labels: orEmpty(c.Labels), Unverified: c.Unverified,
			Groups: orEmpty(c.Groups),
		})
	}
	for _, g := range t.Groups {
		out.Groups = append(out.Groups, groupJSON{Code: g.Code, Name: text(g.Name), Version: g.Version, Note: nullable(g.Note)})
	}
	return writeJSON(w, http.StatusOK, contentJSON, out)
}

// orEmpty returns s, or an empty list for nil, so that lists are never null in JSON.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
