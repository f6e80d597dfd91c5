package baken

import (
	"fmt"
	"slices"
)

// Text is user-facing text, Dutch first.
type Text struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// SafetyField is one of the five KBV veiligheidsvelden.
type SafetyField struct {
	Code string `json:"code"`
	Name Text   `json:"name"`
}

// Theme is a KBV theme within a safety field.
type Theme struct {
	Code  string `json:"code"`
	Field string `json:"field"`
	Name  Text   `json:"name"`
}

// Scheme is the classification a category's source code belongs to.
type Scheme string

const (
	SchemeCBS Scheme = "cbs" // CBS/politie SoortMisdrijf (1.1.1 ...)
	SchemeBVH Scheme = "bvh" // police maatschappelijke klasse / nuisance class (E33 ...)
	SchemeMOR Scheme = "mor" // melding openbare ruimte
	SchemeOwn Scheme = "own" // the municipality's own
)

// Category is what a registration is about; through its theme it belongs to a safety field.
type Category struct {
	Code       string `json:"code"`
	Theme      string `json:"theme"`
	Name       Text   `json:"name"`
	Scheme     Scheme `json:"scheme"`
	SchemeCode string `json:"scheme_code,omitempty"`
	// Labels are the source values that mean this category (for example the Overlast
	// label of police open data), matched case-insensitively.
	Labels []string `json:"labels,omitempty"`
	// Unverified marks a code not confirmed in a public source.
	Unverified bool     `json:"unverified,omitempty"`
	Groups     []string `json:"groups,omitempty"`
}

// Group is a named set of categories, versioned, such as High Impact Crime.
type Group struct {
	Code    string `json:"code"`
	Name    Text   `json:"name"`
	Version string `json:"version"`
	Note    string `json:"note,omitempty"`
}

// CategoryTree is the versioned reference data: fields -> themes -> categories, and groups.
type CategoryTree struct {
	Version    string        `json:"version"`
	Fields     []SafetyField `json:"fields"`
	Themes     []Theme       `json:"themes"`
	Categories []Category    `json:"categories"`
	Groups     []Group       `json:"groups"`
}

// Validate checks that codes are unique and every reference resolves.
func (t CategoryTree) Validate() error {
	var errs FieldErrors
	if t.Version == "" {
		errs = append(errs, Errorf(Invalid, "version", "missing"))
	}
	fields := map[string]bool{}
	for i, f := range t.Fields {
		if f.Code == "" || fields[f.Code] {
			errs = append(errs, Errorf(Invalid, fmt.Sprintf("fields[%d].code", i), "%q missing or duplicate", f.Code))
		}
		fields[f.Code] = true
	}
	themes := map[string]bool{}
	for i, th := range t.Themes {
		if th.Code == "" || themes[th.Code] {
			errs = append(errs, Errorf(Invalid, fmt.Sprintf("themes[%d].code", i), "%q missing or duplicate", th.Code))
		}
		themes[th.Code] = true
		if !fields[th.Field] {
			errs = append(errs, Errorf(Invalid, fmt.Sprintf("themes[%d].field", i), "unknown field %q", th.Field))
		}
		if th.Name.NL == "" {
			errs = append(errs, Errorf(Invalid, fmt.Sprintf("themes[%d].name.nl", i), "missing"))
		}
	}
	groups := map[string]bool{}
	for i, g := range t.Groups {
		if g.Code == "" || groups[g.Code] {
			errs = append(errs, Errorf(Invalid, fmt.Sprintf("groups[%d].code", i), "%q missing or duplicate", g.Code))
		}
		groups[g.Code] = true
	}
	cats := map[string]bool{}
	schemeCodes := map[string]string{}
	for i, c := range t.Categories {
		at := fmt.Sprintf("categories[%d]", i)
		if c.Code == "" || cats[c.Code] {
			errs = append(errs, Errorf(Invalid, at+".code", "%q missing or duplicate", c.Code))
		}
		cats[c.Code] = true
		if !themes[c.Theme] {
			errs = append(errs, Errorf(Invalid, at+".theme", "unknown theme %q", c.Theme))
		}
		if c.Name.NL == "" {
			errs = append(errs, Errorf(Invalid, at+".name.nl", "missing"))
		}
		if !slices.Contains([]Scheme{SchemeCBS, SchemeBVH, SchemeMOR, SchemeOwn}, c.Scheme) {
			errs = append(errs, Errorf(Invalid, at+".scheme", "unknown scheme %q", c.Scheme))
		}
		if c.SchemeCode != "" {
			k := string(c.Scheme) + ":" + c.SchemeCode
			if other, dup := schemeCodes[k]; dup {
				errs = append(errs, Errorf(Invalid, at+".scheme_code", "%s also used by %s", k, other))
			}
			schemeCodes[k] = c.Code
		}
		for _, g := range c.Groups {
			if !groups[g] {
				errs = append(errs, Errorf(Invalid, at+".groups", "unknown group %q", g))
			}
		}
	}
	return errs.Err()
}
