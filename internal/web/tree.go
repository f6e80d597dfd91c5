package web

import "baken/internal/baken"

// treeIndex looks up the category tree by code.
type treeIndex struct {
	tree       baken.CategoryTree
	categories map[string]baken.Category
	themes     map[string]baken.Theme
	byTheme    map[string][]string // theme code -> category codes
}

func indexTree(t baken.CategoryTree) treeIndex {
	ix := treeIndex{tree: t, categories: map[string]baken.Category{}, themes: map[string]baken.Theme{}, byTheme: map[string][]string{}}
	for _, th := range t.Themes {
		ix.themes[th.Code] = th
	}
	for _, c := range t.Categories {
		ix.categories[c.Code] = c
		ix.byTheme[c.Theme] = append(ix.byTheme[c.Theme], c.Code)
	}
	return ix
}

// name returns text in the language.
func name(t baken.Text, l Lang) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.NL
}
