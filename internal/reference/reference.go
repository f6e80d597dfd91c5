// Package reference provides the reference data that ships with Baken: the category tree
// of KBV safety fields, themes, categories (CBS/politie crime types, police nuisance classes,
// public-space reports and the municipality's own) and versioned groups such as High Impact
// Crime. It also reads a municipality's own extension file in the same format and merges it
// onto the shipped tree.
package reference

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"baken/internal/baken"
)

// categoriesJSON is a string, not a []byte, so that nothing can change it.
//
//go:embed categories.json
var categoriesJSON string

// maxFileSize bounds what ParseCategories reads; the shipped tree is about 30 kB.
const maxFileSize = 8 << 20

// categoryCode is the shape of a category code: stable, lowercase, hyphenated.
var categoryCode = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Categories returns the category tree that ships with Baken, parsed and validated. An
// error means the embedded file is broken, which the tests rule out.
func Categories() (baken.CategoryTree, error) {
	const name = "categories.json"
	t, err := ParseCategories(strings.NewReader(categoriesJSON), name)
	if err != nil {
		return baken.CategoryTree{}, err
	}
	if err := t.Validate(); err != nil {
		return baken.CategoryTree{}, inFile(name, err)
	}
	if errs := checkLabels(t); len(errs) > 0 {
		return baken.CategoryTree{}, inFile(name, errs.Err())
	}
	return t, nil
}

// CategoriesJSON returns the shipped category file as it is embedded, for keeping on record
// with its version. It is a fresh copy; the error is that of Categories, so that a broken
// file is never stored.
func CategoriesJSON() ([]byte, error) {
	if _, err := Categories(); err != nil {
		return nil, err
	}
	return []byte(categoriesJSON), nil
}

// ParseCategories reads one category file (the format of the shipped categories.json),
// for example a municipality's extension. It rejects unknown fields and checks what can be
// checked within the file: codes present, unique and well formed, Dutch names, schemes,
// versions. References to fields, themes and groups that the file does not define itself
// are checked by Merge. Errors are of kind Invalid and name the file (name) and the line
// and field, or the path of the field in the tree.
func ParseCategories(r io.Reader, name string) (baken.CategoryTree, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return baken.CategoryTree{}, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return baken.CategoryTree{}, baken.Errorf(baken.Invalid, name, "larger than %d bytes", maxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // saved by Windows editors

	var t baken.CategoryTree
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return baken.CategoryTree{}, decodeError(data, name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return baken.CategoryTree{}, baken.Errorf(baken.Invalid, position(data, name, dec.InputOffset()), "unexpected data after the category tree")
	}
	if errs := checkShape(t); len(errs) > 0 {
		return baken.CategoryTree{}, inFile(name, errs.Err())
	}
	return t, nil
}

// Merge returns base with the fields, themes, groups and categories of ext added: an
// extension may add categories to existing themes and add new fields, themes and groups.
// Defining a code again with the same content is allowed (a file can be imported twice);
// with different content it is an error naming the code. A new category may not join a group
// of base, because base groups are versioned definitions (such as HIC) that must stay
// comparable between municipalities: an extension defines its own group instead. The result
// has version base.Version+"+"+ext.Version and is validated. Neither argument is changed.
// Errors are of kind Invalid; positions such as categories[2] refer to ext.
func Merge(base, ext baken.CategoryTree) (baken.CategoryTree, error) {
	if errs := checkShape(ext); len(errs) > 0 {
		return baken.CategoryTree{}, errs.Err()
	}
	out := baken.CategoryTree{
		Version:    base.Version + "+" + ext.Version,
		Fields:     slices.Clone(base.Fields),
		Themes:     slices.Clone(base.Themes),
		Categories: slices.Clone(base.Categories),
		Groups:     slices.Clone(base.Groups),
	}
	var errs baken.FieldErrors
	conflict := func(at, what, code string, diff []string) {
		errs = append(errs, baken.Errorf(baken.Conflict, at, "%s %q is already defined differently (%s)", what, code, strings.Join(diff, ", ")))
	}

	fields := index(base.Fields, func(f baken.SafetyField) string { return f.Code })
	for i, f := range ext.Fields {
		if j, ok := fields[f.Code]; ok {
			if d := differences(base.Fields[j], f); len(d) > 0 {
				conflict(fmt.Sprintf("fields[%d]", i), "field", f.Code, d)
			}
			continue
		}
		out.Fields = append(out.Fields, f)
	}
	themes := index(base.Themes, func(t baken.Theme) string { return t.Code })
	for i, th := range ext.Themes {
		if j, ok := themes[th.Code]; ok {
			if d := differences(base.Themes[j], th); len(d) > 0 {
				conflict(fmt.Sprintf("themes[%d]", i), "theme", th.Code, d)
			}
			continue
		}
		out.Themes = append(out.Themes, th)
	}
	groups := index(base.Groups, func(g baken.Group) string { return g.Code })
	for i, g := range ext.Groups {
		if j, ok := groups[g.Code]; ok {
			if d := differences(base.Groups[j], g); len(d) > 0 {
				conflict(fmt.Sprintf("groups[%d]", i), "group", g.Code, d)
			}
			continue
		}
		out.Groups = append(out.Groups, g)
	}
	cats := index(base.Categories, func(c baken.Category) string { return c.Code })
	for i, c := range ext.Categories {
		at := fmt.Sprintf("categories[%d]", i)
		if j, ok := cats[c.Code]; ok {
			if d := differences(base.Categories[j], c); len(d) > 0 {
				conflict(at, "category", c.Code, d)
			}
			continue
		}
		for _, g := range c.Groups {
			if _, ok := groups[g]; ok {
				errs = append(errs, baken.Errorf(baken.Invalid, at+".groups", "category %q may not join the shipped group %q: define a group of your own", c.Code, g))
			}
		}
		out.Categories = append(out.Categories, c)
	}
	errs = append(errs, checkReferences(out, ext)...)
	if len(errs) > 0 {
		return baken.CategoryTree{}, errs.Err()
	}
	if errs := checkLabels(out); len(errs) > 0 {
		return baken.CategoryTree{}, errs.Err()
	}
	if err := out.Validate(); err != nil {
		return baken.CategoryTree{}, fmt.Errorf("merged category tree: %w", err)
	}
	return out, nil
}

// checkReferences reports, by ext position and code, what ext refers to that the merged
// tree does not have, and scheme codes ext takes from another category. Validate would
// find the same, but by position in the merged tree, which the user never sees.
func checkReferences(merged, ext baken.CategoryTree) baken.FieldErrors {
	var errs baken.FieldErrors
	fields := index(merged.Fields, func(f baken.SafetyField) string { return f.Code })
	themes := index(merged.Themes, func(t baken.Theme) string { return t.Code })
	groups := index(merged.Groups, func(g baken.Group) string { return g.Code })
	schemeCodes := map[string]string{}
	for _, c := range merged.Categories {
		if c.SchemeCode != "" {
			k := string(c.Scheme) + ":" + c.SchemeCode
			if _, ok := schemeCodes[k]; !ok {
				schemeCodes[k] = c.Code
			}
		}
	}
	for i, th := range ext.Themes {
		if _, ok := fields[th.Field]; !ok {
			errs = append(errs, baken.Errorf(baken.Invalid, fmt.Sprintf("themes[%d].field", i), "theme %q: unknown field %q", th.Code, th.Field))
		}
	}
	for i, c := range ext.Categories {
		at := fmt.Sprintf("categories[%d]", i)
		if _, ok := themes[c.Theme]; !ok {
			errs = append(errs, baken.Errorf(baken.Invalid, at+".theme", "category %q: unknown theme %q", c.Code, c.Theme))
		}
		for _, g := range c.Groups {
			if _, ok := groups[g]; !ok {
				errs = append(errs, baken.Errorf(baken.Invalid, at+".groups", "category %q: unknown group %q", c.Code, g))
			}
		}
		if c.SchemeCode != "" {
			k := string(c.Scheme) + ":" + c.SchemeCode
			if other := schemeCodes[k]; other != c.Code {
				errs = append(errs, baken.Errorf(baken.Invalid, at+".scheme_code", "category %q: %s already belongs to category %q", c.Code, k, other))
			}
		}
	}
	return errs
}

// checkShape checks what one file can be checked for on its own.
func checkShape(t baken.CategoryTree) baken.FieldErrors {
	var errs baken.FieldErrors
	add := func(field, format string, args ...any) {
		errs = append(errs, baken.Errorf(baken.Invalid, field, format, args...))
	}
	if strings.TrimSpace(t.Version) == "" {
		add("version", "missing")
	}
	seen := map[string]bool{}
	for i, f := range t.Fields {
		at := fmt.Sprintf("fields[%d]", i)
		checkCode(add, at+".code", f.Code, seen)
		if strings.TrimSpace(f.Name.NL) == "" {
			add(at+".name.nl", "missing")
		}
	}
	seen = map[string]bool{}
	for i, th := range t.Themes {
		at := fmt.Sprintf("themes[%d]", i)
		checkCode(add, at+".code", th.Code, seen)
		if th.Field == "" {
			add(at+".field", "missing")
		}
		if strings.TrimSpace(th.Name.NL) == "" {
			add(at+".name.nl", "missing")
		}
	}
	seen = map[string]bool{}
	for i, g := range t.Groups {
		at := fmt.Sprintf("groups[%d]", i)
		checkCode(add, at+".code", g.Code, seen)
		if strings.TrimSpace(g.Name.NL) == "" {
			add(at+".name.nl", "missing")
		}
		if strings.TrimSpace(g.Version) == "" {
			add(at+".version", "missing: a group is a versioned definition")
		}
	}
	seen = map[string]bool{}
	for i, c := range t.Categories {
		at := fmt.Sprintf("categories[%d]", i)
		checkCode(add, at+".code", c.Code, seen)
		if c.Code != "" && !categoryCode.MatchString(c.Code) {
			add(at+".code", "%q is not lowercase letters and digits joined by hyphens", c.Code)
		}
		if c.Theme == "" {
			add(at+".theme", "missing")
		}
		if strings.TrimSpace(c.Name.NL) == "" {
			add(at+".name.nl", "missing")
		}
		switch c.Scheme {
		case baken.SchemeCBS, baken.SchemeBVH, baken.SchemeMOR, baken.SchemeOwn:
		default:
			add(at+".scheme", "%q is not one of cbs, bvh, mor, own", c.Scheme)
		}
		if c.SchemeCode != strings.TrimSpace(c.SchemeCode) {
			add(at+".scheme_code", "%q has surrounding spaces", c.SchemeCode)
		}
		labels := map[string]bool{}
		for j, l := range c.Labels {
			k := strings.ToLower(strings.TrimSpace(l))
			switch {
			case k == "":
				add(fmt.Sprintf("%s.labels[%d]", at, j), "empty")
			case labels[k]:
				add(fmt.Sprintf("%s.labels[%d]", at, j), "%q is listed twice", l)
			}
			labels[k] = true
		}
		for j, g := range c.Groups {
			if g == "" {
				add(fmt.Sprintf("%s.groups[%d]", at, j), "empty")
			}
		}
	}
	return errs
}

func checkCode(add func(string, string, ...any), at, code string, seen map[string]bool) {
	switch {
	case strings.TrimSpace(code) == "":
		add(at, "missing")
	case code != strings.TrimSpace(code):
		add(at, "%q has surrounding spaces", code)
	case seen[code]:
		add(at, "%q is defined twice", code)
	}
	seen[code] = true
}

// checkLabels reports a label that two categories of one scheme share: the import maps a
// source label to exactly one category of the scheme it reads (labels match case-insensitively).
func checkLabels(t baken.CategoryTree) baken.FieldErrors {
	var errs baken.FieldErrors
	owner := map[string]string{}
	for i, c := range t.Categories {
		for j, l := range c.Labels {
			k := string(c.Scheme) + ":" + strings.ToLower(strings.TrimSpace(l))
			if other, ok := owner[k]; ok && other != c.Code {
				errs = append(errs, baken.Errorf(baken.Invalid, fmt.Sprintf("categories[%d].labels[%d]", i, j), "category %q: label %q already means category %q", c.Code, l, other))
				continue
			}
			owner[k] = c.Code
		}
	}
	return errs
}

// differences names the JSON fields in which a and b differ (nil and empty lists are equal).
func differences[T any](a, b T) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var diff []string
	for i := range va.NumField() {
		x, y := va.Field(i), vb.Field(i)
		same := reflect.DeepEqual(x.Interface(), y.Interface())
		if x.Kind() == reflect.Slice && x.Len() == 0 && y.Len() == 0 {
			same = true
		}
		if !same {
			diff = append(diff, jsonName(va.Type().Field(i)))
		}
	}
	return diff
}

func index[T any](items []T, code func(T) string) map[string]int {
	m := make(map[string]int, len(items))
	for i, it := range items {
		if _, dup := m[code(it)]; !dup {
			m[code(it)] = i
		}
	}
	return m
}

// inFile puts the file name in front of the position of every error in err.
func inFile(name string, err error) error {
	var e *baken.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", name, err)
	}
	var fe baken.FieldErrors
	if !errors.As(e.Err, &fe) {
		return &baken.Error{Kind: e.Kind, Field: join(name, e.Field), Message: e.Message, Err: e.Err}
	}
	out := make(baken.FieldErrors, len(fe))
	for i, f := range fe {
		out[i] = &baken.Error{Kind: f.Kind, Field: join(name, f.Field), Message: f.Message, Err: f.Err}
	}
	return &baken.Error{Kind: e.Kind, Message: e.Message, Err: out}
}

func join(name, field string) string {
	if field == "" {
		return name
	}
	return name + ": " + field
}

// decodeError turns a decoding error into an Invalid error at file:line:column, naming the
// field by its path in the tree where the decoder does not (unknown fields, wrong types).
func decodeError(data []byte, name string, err error) error {
	if errors.Is(err, io.EOF) {
		return baken.Errorf(baken.Invalid, name, "empty file: expected a category tree")
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return baken.Errorf(baken.Invalid, position(data, name, syn.Offset), "%s", strings.TrimPrefix(syn.Error(), "json: "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return baken.Errorf(baken.Invalid, position(data, name, int64(len(data))), "the file ends in the middle of the category tree")
	}
	if p, ok := locate(data); ok {
		if p.path == "" {
			return baken.Errorf(baken.Invalid, position(data, name, p.offset), "%s", p.problem)
		}
		return baken.Errorf(baken.Invalid, position(data, name, p.offset), "%s: %s", p.path, p.problem)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return baken.Errorf(baken.Invalid, position(data, name, typ.Offset), "%s: expected %s, found %s", typ.Field, typ.Type, typ.Value)
	}
	return baken.Errorf(baken.Invalid, name, "%s", strings.TrimPrefix(err.Error(), "json: "))
}

// position renders a byte offset in data as name:line:column (both from 1).
func position(data []byte, name string, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

type problem struct {
	path    string
	offset  int64
	problem string
}

// locate walks data against the CategoryTree type and returns the first unknown field or
// value of the wrong kind, with its path (categories[3].name.fr) and offset. encoding/json
// reports neither the path of an unknown field nor the index of a list element.
func locate(data []byte) (problem, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	w := walker{data: data, dec: dec}
	w.value(reflect.TypeFor[baken.CategoryTree](), "")
	return w.found, w.found.problem != ""
}

type walker struct {
	data  []byte
	dec   *json.Decoder
	found problem
	stop  bool // a problem was found or the input is unreadable
}

// start returns the offset of the next token: past the previous one and any white space,
// commas and colons.
func (w *walker) start() int64 {
	o := w.dec.InputOffset()
	for o < int64(len(w.data)) && strings.IndexByte(" \t\r\n,:", w.data[o]) >= 0 {
		o++
	}
	return o
}

func (w *walker) fail(path string, offset int64, format string, args ...any) {
	w.found = problem{path: path, offset: offset, problem: fmt.Sprintf(format, args...)}
	w.stop = true
}

func (w *walker) value(t reflect.Type, path string) {
	if w.stop {
		return
	}
	at := w.start()
	tok, err := w.dec.Token()
	if err != nil {
		w.stop = true
		return
	}
	if tok == nil { // null leaves the zero value, as encoding/json does
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			w.fail(path, at, "expected an object, found %s", describe(tok))
			w.skip(tok)
			return
		}
		for w.dec.More() && !w.stop {
			kat := w.start()
			k, err := w.dec.Token()
			if err != nil {
				w.stop = true
				return
			}
			key, _ := k.(string)
			f, ok := fieldByJSONName(t, key)
			if !ok {
				w.fail(path, kat, "unknown field %q", key)
				return
			}
			w.value(f.Type, joinPath(path, key))
		}
		if !w.stop {
			w.dec.Token() // }
		}
	case reflect.Slice:
		if tok != json.Delim('[') {
			w.fail(path, at, "expected a list, found %s", describe(tok))
			w.skip(tok)
			return
		}
		for i := 0; w.dec.More() && !w.stop; i++ {
			w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
		if !w.stop {
			w.dec.Token() // ]
		}
	case reflect.String:
		if _, ok := tok.(string); !ok {
			w.fail(path, at, "expected text, found %s", describe(tok))
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			w.fail(path, at, "expected true or false, found %s", describe(tok))
		}
	default:
		w.skip(tok)
	}
}

// skip consumes the rest of a value whose first token was tok.
func (w *walker) skip(tok json.Token) {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return
	}
	for depth := 1; depth > 0; {
		t, err := w.dec.Token()
		if err != nil {
			w.stop = true
			return
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "a list"
	case string:
		return "text"
	case bool:
		return "true or false"
	case float64, json.Number:
		return "a number"
	}
	return "null"
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldByJSONName finds the struct field for a JSON key the way encoding/json does:
// exact tag name first, else case-insensitively.
func fieldByJSONName(t reflect.Type, key string) (reflect.StructField, bool) {
	var fold reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		n := jsonName(f)
		if n == key {
			return f, true
		}
		if !found && strings.EqualFold(n, key) {
			fold, found = f, true
		}
	}
	return fold, found
}

func jsonName(f reflect.StructField) string {
	n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if n == "" {
		return f.Name
	}
	return n
}
