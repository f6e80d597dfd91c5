package importer_test

import (
	"testing"

	"baken/internal/baken"
	"baken/internal/importer"
)

func TestCategorizerResolve(t *testing.T) {
	tests := []struct {
		name    string
		fixed   string
		mapping map[string]string
		value   string
		want    string // "" for an unknown value
	}{
		{"category code", "", nil, "woninginbraak", "woninginbraak"},
		{"Dutch name", "", nil, "Zwerfvuil", "zwerfvuil"},
		{"English name", "", nil, "Burglary of a home", "woninginbraak"},
		{"label, case and spaces", "", nil, "  overlast   JEUGD ", "overlast-jeugd"},
		{"label of one word", "", nil, "Afval", "milieu-afval"},
		{"police code alone", "", nil, "E33", "verward-gedrag"},
		{"police code leading a label", "", nil, "E33 Overlast door verward persoon", "verward-gedrag"},
		{"CBS code alone", "", nil, "1.1.1", "woninginbraak"},
		{"CBS code and its label", "", nil, "1.1.1 Diefstal/inbraak woning", "woninginbraak"},
		{"CBS code leading other text", "", nil, "1.4.5 Mishandeling (licht)", "mishandeling"},
		{"leading word of a label is no code", "", nil, "Afval naast container", ""},
		{"leading word of a name is no code", "", nil, "Water op straat", ""},
		{"unknown code leading a label", "", nil, "X99 Iets anders", ""},
		{"empty", "", nil, "  ", ""},
		{"map wins over a scheme code", "", map[string]string{"E33": "overlast-burengerucht"}, "E33", "overlast-burengerucht"},
		{"map wins over a code leading a label", "", map[string]string{"E33": "overlast-burengerucht"}, "E33 Overlast door verward persoon", "overlast-burengerucht"},
		{"map wins over a label", "", map[string]string{"Overlast door persoon met verward gedrag": "overlast-jeugd"}, "overlast door persoon met verward gedrag", "overlast-jeugd"},
		{"map of a code wins over the tree's label", "", map[string]string{"1.1.1": "inbraak-bedrijf"}, "1.1.1 Diefstal/inbraak woning", "inbraak-bedrijf"},
		{"map of the whole value wins over the map of its code", "", map[string]string{"E33": "overlast-jeugd", "E33 Burengerucht": "overlast-burengerucht"}, "e33  burengerucht", "overlast-burengerucht"},
		{"map of a source's own code leading a label", "", map[string]string{"X12": "graffiti"}, "X12 Bekladding muur", "graffiti"},
		{"map of a plain word does not lead", "", map[string]string{"Afval": "zwerfvuil"}, "Afval naast container", ""},
		{"map of a plain word, whole value", "", map[string]string{"Afval": "zwerfvuil"}, "afval", "zwerfvuil"},
		{"fixed wins over everything", "mishandeling", map[string]string{"E33": "overlast-jeugd"}, "E33", "mishandeling"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := categorizer(t, tt.fixed, tt.mapping).Resolve(tt.value)
			if tt.want == "" {
				if err == nil {
					t.Errorf("Resolve(%q) = %q, want an error", tt.value, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Resolve(%q) = %q, %v; want %q", tt.value, got, err, tt.want)
			}
		})
	}
}

func TestNewCategorizerRejectsUnknownCategories(t *testing.T) {
	tests := []struct {
		name    string
		fixed   string
		mapping map[string]string
	}{
		{"fixed", "bestaat-niet", nil},
		{"mapping", "", map[string]string{"E33": "bestaat-niet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := importer.NewCategorizer(tree(t), tt.fixed, tt.mapping); !baken.IsKind(err, baken.Invalid) {
				t.Errorf("err = %v, want Invalid", err)
			}
		})
	}
}
