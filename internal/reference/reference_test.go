package reference

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
)

func mustCategories(tb testing.TB) baken.CategoryTree {
	tb.Helper()
	t, err := Categories()
	if err != nil {
		tb.Fatalf("Categories: %v", err)
	}
	return t
}

func TestCategoriesValidate(t *testing.T) {
	tree := mustCategories(t)
	if tree.Version != "2026.1" {
		t.Errorf("version = %q, want 2026.1", tree.Version)
	}
	if err := tree.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	var fields []string
	for _, f := range tree.Fields {
		fields = append(fields, f.Code)
		if f.Name.EN == "" {
			t.Errorf("field %s has no English name", f.Code)
		}
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4", "5"}, fields); diff != "" {
		t.Errorf("safety fields mismatch (-want +got):\n%s", diff)
	}
	for _, c := range tree.Categories {
		if c.Name.EN == "" {
			t.Errorf("category %s has no English name", c.Code)
		}
	}
}

func TestCategoriesJSON(t *testing.T) {
	b, err := CategoriesJSON()
	if err != nil {
		t.Fatalf("CategoriesJSON: %v", err)
	}
	tree, err := ParseCategories(bytes.NewReader(b), "stored")
	if err != nil {
		t.Fatalf("ParseCategories: %v", err)
	}
	if diff := cmp.Diff(mustCategories(t), tree); diff != "" {
		t.Errorf("stored file mismatch (-want +got):\n%s", diff)
	}
	b[0] = 'x' // a copy: the next call is unaffected
	if again, _ := CategoriesJSON(); again[0] != '{' {
		t.Error("CategoriesJSON shares its bytes between calls")
	}
}

func TestEveryThemeAndFieldExists(t *testing.T) {
	tree := mustCategories(t)
	fields := map[string]bool{}
	for _, f := range tree.Fields {
		fields[f.Code] = true
	}
	themes := map[string]bool{}
	for _, th := range tree.Themes {
		themes[th.Code] = true
		if !fields[th.Field] {
			t.Errorf("theme %s: field %q does not exist", th.Code, th.Field)
		}
		if !strings.HasPrefix(th.Code, th.Field+".") {
			t.Errorf("theme %s is numbered outside its field %s", th.Code, th.Field)
		}
	}
	for _, c := range tree.Categories {
		if !themes[c.Theme] {
			t.Errorf("category %s: theme %q does not exist", c.Code, c.Theme)
		}
	}
}

// cbsCodes is every SoortMisdrijf code of 47018NED/47022NED except the total 0.0.0
// (DOMAIN.md §2.2), with the category it maps to.
var cbsCodes = map[string]string{
	"1.1.1": "woninginbraak", "1.1.2": "inbraak-box-garage-schuur",
	"1.2.1": "diefstal-uit-motorvoertuig", "1.2.2": "diefstal-motorvoertuig", "1.2.3": "fietsendiefstal",
	"1.2.4": "zakkenrollerij", "1.2.5": "diefstal-overige-voertuigen",
	"1.3.1": "verkeersongeval",
	"1.4.1": "zedenmisdrijf", "1.4.2": "moord-doodslag", "1.4.3": "openlijk-geweld", "1.4.4": "bedreiging",
	"1.4.5": "mishandeling", "1.4.6": "straatroof", "1.4.7": "overval",
	"1.5.2": "diefstal-water", "1.6.1": "brand-ontploffing", "1.6.2": "overige-vermogensdelicten", "1.6.3": "mensenhandel",
	"2.1.1": "drugs-drankoverlast", "2.2.1": "vernieling",
	"2.4.1": "burengerucht-relatieproblemen", "2.4.2": "huisvredebreuk",
	"2.5.1": "inbraak-bedrijf", "2.5.2": "winkeldiefstal",
	"2.6.1": "milieu-inrichting", "2.6.2": "milieu-bodem", "2.6.3": "milieu-water", "2.6.4": "milieu-afval",
	"2.6.5": "milieu-bouwstoffen", "2.6.7": "milieu-mest", "2.6.8": "milieu-transport-gevaarlijke-stoffen",
	"2.6.9": "milieu-vuurwerk", "2.6.10": "milieu-bestrijdingsmiddelen", "2.6.11": "milieu-natuur-landschap",
	"2.6.12": "milieu-ruimtelijke-ordening", "2.6.13": "milieu-dieren", "2.6.14": "milieu-voedselveiligheid",
	"2.7.2": "bijzondere-wetten", "2.7.3": "leefbaarheid-overig",
	"3.1.1": "drugshandel", "3.1.2": "mensensmokkel", "3.1.3": "wapenhandel",
	"3.2.1": "kinderporno", "3.2.2": "kinderprostitutie",
	"3.3.2": "onder-invloed-lucht", "3.3.5": "luchtvaart-overig", "3.4.2": "onder-invloed-water",
	"3.5.2": "onder-invloed-weg", "3.5.5": "verkeersmisdrijf-overig",
	"3.6.4": "aantasting-openbare-orde",
	"3.7.1": "discriminatie", "3.7.2": "vreemdelingenzorg", "3.7.3": "maatschappelijke-integriteit-overig", "3.7.4": "cybercrime",
	"3.9.1": "horizontale-fraude", "3.9.2": "verticale-fraude", "3.9.3": "fraude-overig",
}

func TestCBSCodes(t *testing.T) {
	tree := mustCategories(t)
	got := map[string][]string{}
	for _, c := range tree.Categories {
		if c.Scheme != baken.SchemeCBS {
			continue
		}
		got[c.SchemeCode] = append(got[c.SchemeCode], c.Code)
		if c.Unverified {
			t.Errorf("%s (%s) is marked unverified; the SoortMisdrijf codes are published", c.Code, c.SchemeCode)
		}
		// The published label must be among the labels, bare and with its code in front,
		// so that the open-data import maps SoortMisdrijf titles.
		for _, l := range []string{c.Name.NL, c.SchemeCode + " " + c.Name.NL} {
			if !slices.Contains(c.Labels, l) {
				t.Errorf("%s: labels %q lack %q", c.Code, c.Labels, l)
			}
		}
	}
	want := map[string][]string{}
	for code, cat := range cbsCodes {
		want[code] = []string{cat}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CBS codes mismatch (-want +got):\n%s", diff)
	}
	if _, ok := got["0.0.0"]; ok {
		t.Error("the total 0.0.0 is a category")
	}
}

func TestPublishedLabels(t *testing.T) {
	// A sample of labels as published in 47018NED/47022NED (DOMAIN.md §2.2), including
	// the ones some repositories pair with the wrong code.
	tests := []struct{ code, label string }{
		{"1.1.1", "Diefstal/inbraak woning"},
		{"1.2.3", "Diefstal van brom-, snor-, fietsen"},
		{"1.4.5", "Mishandeling"},
		{"1.4.6", "Straatroof"},
		{"1.4.7", "Overval"},
		{"2.1.1", "Drugs/drankoverlast"},
		{"2.2.1", "Vernieling cq. zaakbeschadiging"},
		{"2.5.2", "Winkeldiefstal"},
		{"3.7.4", "Cybercrime"},
		{"3.9.1", "Horizontale fraude"},
	}
	tree := mustCategories(t)
	for _, tt := range tests {
		c, ok := bySchemeCode(tree, baken.SchemeCBS, tt.code)
		if !ok {
			t.Errorf("no category for cbs %s", tt.code)
			continue
		}
		if c.Name.NL != tt.label {
			t.Errorf("cbs %s: name %q, want the published label %q", tt.code, c.Name.NL, tt.label)
		}
	}
}

func bySchemeCode(tree baken.CategoryTree, s baken.Scheme, code string) (baken.Category, bool) {
	for _, c := range tree.Categories {
		if c.Scheme == s && c.SchemeCode == code {
			return c, true
		}
	}
	return baken.Category{}, false
}

func byCode(tree baken.CategoryTree, code string) (baken.Category, bool) {
	i := slices.IndexFunc(tree.Categories, func(c baken.Category) bool { return c.Code == code })
	if i < 0 {
		return baken.Category{}, false
	}
	return tree.Categories[i], true
}

func TestHIC(t *testing.T) {
	tree := mustCategories(t)
	i := slices.IndexFunc(tree.Groups, func(g baken.Group) bool { return g.Code == "HIC" })
	if i < 0 {
		t.Fatal("no group HIC")
	}
	g := tree.Groups[i]
	if g.Version != "2026.1" || g.Note == "" {
		t.Errorf("HIC version %q note %q: want version 2026.1 and a note with the definition", g.Version, g.Note)
	}
	// DOMAIN.md §2.3: woninginbraak 1.1.1, straatroof 1.4.6, overval 1.4.7 and geweld 1.4.1-1.4.5.
	want := []string{"1.1.1", "1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.4.5", "1.4.6", "1.4.7"}
	var got []string
	for _, c := range tree.Categories {
		if slices.Contains(c.Groups, "HIC") {
			if c.Scheme != baken.SchemeCBS {
				t.Errorf("HIC member %s is not a CBS category", c.Code)
			}
			got = append(got, c.SchemeCode)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HIC members mismatch (-want +got):\n%s", diff)
	}
}

// TestConceptCodes pins the category codes other code depends on.
func TestConceptCodes(t *testing.T) {
	tests := []struct {
		concept    string
		code       string
		scheme     baken.Scheme
		schemeCode string
		unverified bool
		label      string // a label the import must map, if any
	}{
		{"youth nuisance", "overlast-jeugd", baken.SchemeBVH, "", true, "Overlast jeugd"},
		{"confused behaviour", "verward-gedrag", baken.SchemeBVH, "E33", false, "Overlast door persoon met verward gedrag"},
		{"drug and drink nuisance (police)", "overlast-alcohol-drugs", baken.SchemeBVH, "", true, "Overlast i.v.m. alcohol en drugs"},
		{"noise nuisance", "geluidshinder", baken.SchemeBVH, "", true, "Geluidshinder overig"},
		{"woninginbraak", "woninginbraak", baken.SchemeCBS, "1.1.1", false, "Diefstal/inbraak woning"},
		{"straatroof", "straatroof", baken.SchemeCBS, "1.4.6", false, "Straatroof"},
		{"overval", "overval", baken.SchemeCBS, "1.4.7", false, "Overval"},
		{"mishandeling", "mishandeling", baken.SchemeCBS, "1.4.5", false, "Mishandeling"},
		{"bedreiging", "bedreiging", baken.SchemeCBS, "1.4.4", false, "Bedreiging"},
		{"drugs/drankoverlast", "drugs-drankoverlast", baken.SchemeCBS, "2.1.1", false, "Drugs/drankoverlast"},
		{"vernieling", "vernieling", baken.SchemeCBS, "2.2.1", false, "Vernieling cq. zaakbeschadiging"},
		{"winkeldiefstal", "winkeldiefstal", baken.SchemeCBS, "2.5.2", false, "Winkeldiefstal"},
		{"fietsendiefstal", "fietsendiefstal", baken.SchemeCBS, "1.2.3", false, "Diefstal van brom-, snor-, fietsen"},
		{"cybercrime", "cybercrime", baken.SchemeCBS, "3.7.4", false, "Cybercrime"},
		{"horizontale fraude", "horizontale-fraude", baken.SchemeCBS, "3.9.1", false, "Horizontale fraude"},
		{"zwerfvuil", "zwerfvuil", baken.SchemeMOR, "", false, ""},
		{"afval verkeerd aangeboden", "afval-verkeerd-aangeboden", baken.SchemeMOR, "", false, ""},
		{"undermining signal", "ondermijning-signaal", baken.SchemeOwn, "", false, ""},
	}
	tree := mustCategories(t)
	for _, tt := range tests {
		t.Run(tt.concept, func(t *testing.T) {
			c, ok := byCode(tree, tt.code)
			if !ok {
				t.Fatalf("no category %q", tt.code)
			}
			if c.Scheme != tt.scheme || c.SchemeCode != tt.schemeCode || c.Unverified != tt.unverified {
				t.Errorf("%s: scheme %s:%q unverified %v, want %s:%q unverified %v",
					c.Code, c.Scheme, c.SchemeCode, c.Unverified, tt.scheme, tt.schemeCode, tt.unverified)
			}
			if tt.label != "" && !slices.Contains(c.Labels, tt.label) {
				t.Errorf("%s: labels %q lack %q", c.Code, c.Labels, tt.label)
			}
		})
	}
}

func TestE33(t *testing.T) {
	tree := mustCategories(t)
	c, ok := bySchemeCode(tree, baken.SchemeBVH, "E33")
	if !ok {
		t.Fatal("no category for bvh E33")
	}
	if c.Code != "verward-gedrag" || c.Unverified {
		t.Errorf("E33 maps to %s (unverified %v), want verward-gedrag, verified", c.Code, c.Unverified)
	}
	// The other BVH codes are unverified (DOMAIN.md §2.1): none may claim a code.
	for _, c := range tree.Categories {
		if c.Scheme == baken.SchemeBVH && c.SchemeCode != "" && c.SchemeCode != "E33" {
			t.Errorf("%s claims BVH code %s, which no source confirms", c.Code, c.SchemeCode)
		}
		if c.Scheme == baken.SchemeBVH && c.SchemeCode == "" && !c.Unverified {
			t.Errorf("%s has no verified BVH code but is not marked unverified", c.Code)
		}
	}
}

func TestNoTotals(t *testing.T) {
	tree := mustCategories(t)
	for _, c := range tree.Categories {
		for _, l := range c.Labels {
			if strings.HasPrefix(strings.ToLower(l), "totaal") {
				t.Errorf("%s has the total label %q", c.Code, l)
			}
		}
	}
}

func TestLabelsUniquePerScheme(t *testing.T) {
	tree := mustCategories(t)
	seen := map[string]string{}
	for _, c := range tree.Categories {
		for _, l := range c.Labels {
			k := string(c.Scheme) + ":" + strings.ToLower(l)
			if other, ok := seen[k]; ok {
				t.Errorf("label %q means both %s and %s", k, other, c.Code)
			}
			seen[k] = c.Code
		}
	}
}

// ext is a small municipal extension: a theme, categories in a shipped and in its own
// theme, and a group of its own.
func ext() baken.CategoryTree {
	return baken.CategoryTree{
		Version: "diemen.1",
		Themes: []baken.Theme{
			{Code: "1.9", Field: "1", Name: baken.Text{NL: "Overlastlocaties", EN: "Nuisance locations"}},
		},
		Groups: []baken.Group{
			{Code: "diemen-klein-leed", Name: baken.Text{NL: "Klein leed", EN: "Small nuisance"}, Version: "2024"},
		},
		Categories: []baken.Category{
			{Code: "overlastlocatie", Theme: "1.9", Name: baken.Text{NL: "Melding overlastlocatie"}, Scheme: baken.SchemeOwn},
			{Code: "fout-geparkeerde-fiets", Theme: "1.2", Name: baken.Text{NL: "Fout geparkeerde fiets"}, Scheme: baken.SchemeMOR,
				Groups: []string{"diemen-klein-leed"}},
		},
	}
}

func TestMerge(t *testing.T) {
	base := mustCategories(t)
	woning, _ := byCode(base, "woninginbraak")
	jeugd, _ := byCode(base, "overlast-jeugd")

	tests := []struct {
		name    string
		edit    func(*baken.CategoryTree)
		wantErr []string // substrings of the error; none means success
	}{
		{name: "adds", edit: func(*baken.CategoryTree) {}},
		{name: "same content again", edit: func(e *baken.CategoryTree) {
			e.Categories = append(e.Categories, woning)
			e.Fields = append(e.Fields, base.Fields[0])
			e.Themes = append(e.Themes, base.Themes[0])
			e.Groups = append(e.Groups, base.Groups[0])
		}},
		{name: "redefined category", edit: func(e *baken.CategoryTree) {
			c := woning
			c.Theme = "2.1"
			e.Categories = append(e.Categories, c)
		}, wantErr: []string{`category "woninginbraak"`, "theme", "categories[2]"}},
		{name: "redefined labels", edit: func(e *baken.CategoryTree) {
			c := jeugd
			c.Labels = []string{"Jeugdoverlast"}
			e.Categories = append(e.Categories, c)
		}, wantErr: []string{`category "overlast-jeugd"`, "labels"}},
		{name: "redefined theme", edit: func(e *baken.CategoryTree) {
			e.Themes = append(e.Themes, baken.Theme{Code: "1.1", Field: "1", Name: baken.Text{NL: "Iets anders"}})
		}, wantErr: []string{`theme "1.1"`, "name"}},
		{name: "redefined field", edit: func(e *baken.CategoryTree) {
			e.Fields = append(e.Fields, baken.SafetyField{Code: "3", Name: baken.Text{NL: "Jeugd"}})
		}, wantErr: []string{`field "3"`}},
		{name: "redefined group", edit: func(e *baken.CategoryTree) {
			e.Groups = append(e.Groups, baken.Group{Code: "HIC", Name: baken.Text{NL: "HIC"}, Version: "2020"})
		}, wantErr: []string{`group "HIC"`, "version"}},
		{name: "joins a shipped group", edit: func(e *baken.CategoryTree) {
			e.Categories[0].Groups = []string{"HIC"}
		}, wantErr: []string{`"overlastlocatie"`, `"HIC"`}},
		{name: "unknown theme", edit: func(e *baken.CategoryTree) {
			e.Categories[0].Theme = "9.9"
		}, wantErr: []string{`"overlastlocatie"`, `unknown theme "9.9"`}},
		{name: "unknown field", edit: func(e *baken.CategoryTree) {
			e.Themes[0].Field = "7"
		}, wantErr: []string{`theme "1.9"`, `unknown field "7"`}},
		{name: "scheme code taken", edit: func(e *baken.CategoryTree) {
			e.Categories[0].Scheme, e.Categories[0].SchemeCode = baken.SchemeCBS, "1.1.1"
		}, wantErr: []string{`"overlastlocatie"`, "cbs:1.1.1", `"woninginbraak"`}},
		{name: "label taken", edit: func(e *baken.CategoryTree) {
			e.Categories[0].Scheme, e.Categories[0].Labels = baken.SchemeBVH, []string{"overlast JEUGD"}
		}, wantErr: []string{`"overlastlocatie"`, `"overlast-jeugd"`}},
		{name: "no version", edit: func(e *baken.CategoryTree) {
			e.Version = ""
		}, wantErr: []string{"version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := mustCategories(t)
			e := ext()
			tt.edit(&e)
			got, err := Merge(base, e)
			if diff := cmp.Diff(before, base); diff != "" {
				t.Errorf("Merge changed base (-before +after):\n%s", diff)
			}
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatal("Merge succeeded, want an error")
				}
				if !baken.IsKind(err, baken.Invalid) {
					t.Errorf("error kind %s, want invalid", baken.KindOf(err))
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(errText(err), s) {
						t.Errorf("error %q does not mention %s", errText(err), s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			if got.Version != "2026.1+diemen.1" {
				t.Errorf("version %q, want 2026.1+diemen.1", got.Version)
			}
			if n, want := len(got.Categories), len(base.Categories)+2; n != want {
				t.Errorf("%d categories, want %d", n, want)
			}
			if diff := cmp.Diff(base.Categories, got.Categories[:len(base.Categories)]); diff != "" {
				t.Errorf("base categories changed (-want +got):\n%s", diff)
			}
			for _, code := range []string{"overlastlocatie", "fout-geparkeerde-fiets"} {
				if _, ok := byCode(got, code); !ok {
					t.Errorf("merged tree lacks %s", code)
				}
			}
			if len(got.Themes) != len(base.Themes)+1 || len(got.Groups) != len(base.Groups)+1 {
				t.Errorf("themes %d groups %d, want %d and %d", len(got.Themes), len(got.Groups), len(base.Themes)+1, len(base.Groups)+1)
			}
		})
	}
}

// errText is the error with every collected field error, not only the first.
func errText(err error) string {
	var fe baken.FieldErrors
	if errors.As(err, &fe) {
		var b strings.Builder
		for _, e := range fe {
			b.WriteString(e.Error() + "\n")
		}
		return b.String()
	}
	return err.Error()
}

func TestParseCategories(t *testing.T) {
	const ok = `{"version": "diemen.1",
  "categories": [
    {"code": "overlastlocatie", "theme": "1.1", "name": {"nl": "Overlastlocatie"}, "scheme": "own"}
  ]
}`
	tests := []struct {
		name    string
		in      string
		wantErr []string
	}{
		{"ok", ok, nil},
		{"byte order mark", "\xef\xbb\xbf" + ok, nil},
		{"unknown top-level field", `{"version": "x", "colour": "red"}`,
			[]string{"ext.json:1:18", `unknown field "colour"`}},
		{"unknown nested field", "{\"version\": \"x\",\n \"categories\": [\n  {\"code\": \"a\", \"theme\": \"1.1\", \"name\": {\"nl\": \"A\"}, \"scheme\": \"own\"},\n  {\"code\": \"b\", \"name\": {\"nl\": \"B\", \"fr\": \"B\"}}]}",
			[]string{"ext.json:4:", `categories[1].name: unknown field "fr"`}},
		{"wrong type", `{"version": "x", "categories": [{"code": "a"}, {"code": 5}]}`,
			[]string{"ext.json:1:", "categories[1].code: expected text, found a number"}},
		{"wrong type bool", `{"version": "x", "categories": [{"code": "a", "unverified": "yes"}]}`,
			[]string{"categories[0].unverified: expected true or false"}},
		{"not an object", `["a"]`, []string{"ext.json:1:1", "expected an object"}},
		{"syntax", "{\"version\": \"x\",\n\"categories\": [{\"code\": \"a\"},]}", []string{"ext.json:2:", "invalid character"}},
		{"truncated", `{"version": "x", "categories": [`, []string{"ext.json:", "ends in the middle"}},
		{"trailing data", `{"version": "x"} {}`, []string{"ext.json:1:", "after the category tree"}},
		{"empty", "", []string{"ext.json", "empty"}},
		{"missing version", `{"fields": []}`, []string{"ext.json: version: missing"}},
		{"bad category code", `{"version": "x", "categories": [{"code": "Overlast Locatie", "theme": "1.1", "name": {"nl": "O"}, "scheme": "own"}]}`,
			[]string{"ext.json: categories[0].code", "lowercase"}},
		{"duplicate category", `{"version": "x", "categories": [
			{"code": "a", "theme": "1.1", "name": {"nl": "A"}, "scheme": "own"},
			{"code": "a", "theme": "1.1", "name": {"nl": "A"}, "scheme": "own"}]}`,
			[]string{"ext.json: categories[1].code", "twice"}},
		{"unknown scheme", `{"version": "x", "categories": [{"code": "a", "theme": "1.1", "name": {"nl": "A"}, "scheme": "sia"}]}`,
			[]string{"ext.json: categories[0].scheme", `"sia"`}},
		{"group without version", `{"version": "x", "groups": [{"code": "g", "name": {"nl": "G"}}]}`,
			[]string{"ext.json: groups[0].version"}},
		{"missing Dutch name", `{"version": "x", "themes": [{"code": "1.9", "field": "1", "name": {"en": "Nine"}}]}`,
			[]string{"ext.json: themes[0].name.nl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCategories(strings.NewReader(tt.in), "ext.json")
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("ParseCategories: %v", err)
				}
				if got.Version != "diemen.1" || len(got.Categories) != 1 {
					t.Errorf("got %+v", got)
				}
				return
			}
			if err == nil {
				t.Fatal("ParseCategories succeeded, want an error")
			}
			if !baken.IsKind(err, baken.Invalid) {
				t.Errorf("error kind %s, want invalid: %v", baken.KindOf(err), err)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(errText(err), s) {
					t.Errorf("error %q does not mention %s", errText(err), s)
				}
			}
		})
	}
}

// TestParseMerge is the path of `baken import categories FILE`: parse the file, merge it.
func TestParseMerge(t *testing.T) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(ext()); err != nil {
		t.Fatal(err)
	}
	e, err := ParseCategories(&buf, "diemen.json")
	if err != nil {
		t.Fatalf("ParseCategories: %v", err)
	}
	if diff := cmp.Diff(ext(), e); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if _, err := Merge(mustCategories(t), e); err != nil {
		t.Errorf("Merge: %v", err)
	}
}

func FuzzParseCategories(f *testing.F) {
	f.Add(categoriesJSON)
	f.Add(`{"version": "x", "categories": [{"code": "a", "name": {"nl": "A", "fr": 1}}]}`)
	f.Add(`{"version": "x", "categories": [{"code": 5}]}`)
	f.Add(`{"groups": null, "fields": [null, {"code": "1"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		tree, err := ParseCategories(strings.NewReader(in), "fuzz.json")
		if err != nil {
			if !baken.IsKind(err, baken.Invalid) {
				t.Fatalf("error kind %s: %v", baken.KindOf(err), err)
			}
			return
		}
		// What parses, re-encodes and parses to the same tree.
		b, err := json.Marshal(tree)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseCategories(bytes.NewReader(b), "again.json")
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if diff := cmp.Diff(tree, again); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
