package baken

import "testing"

func TestValidAreaCode(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"GM0384", true}, {"WK038401", true}, {"BU03840101", true}, {"BU0384010A", true},
		{"", false}, {"G", false}, {"GM384", false}, {"GM03840", false}, {"WK0384", false},
		{"BU038401010", false}, {"bu03840101", false}, {"BU0384 101", false}, {"XX0384", false},
		{"BU03840101  ", false}, {"GM038é", false},
	} {
		if got := ValidAreaCode(tc.code); got != tc.want {
			t.Errorf("ValidAreaCode(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestValidBAGID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"0384010000012345", true}, {"038401000001234", false}, {"03840100000123456", false},
		{"038401000001234a", false}, {"", false},
	} {
		if got := validBAGID(tc.id); got != tc.want {
			t.Errorf("validBAGID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}
