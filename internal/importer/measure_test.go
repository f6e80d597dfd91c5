package importer

import "testing"

func TestParseMeasure(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		known   bool
		wantErr bool
	}{
		{"12", 12, true, false},
		{" 7 ", 7, true, false},
		{"12.0", 12, true, false}, // a JSON writer's whole number
		{"1e3", 1000, true, false},
		{".", 0, false, false}, // secret
		{"x", 0, false, false},
		{"-", 0, true, false}, // nil
		{"", 0, false, false},
		{"1.000", 0, false, true}, // a spreadsheet's thousands, not one
		{"12,500", 0, false, true},
		{"1.000.000", 0, false, true},
		{"2.5", 0, false, true},
		{"-3", 0, false, true},
		{"abc", 0, false, true},
	}
	for _, tt := range tests {
		n, known, err := parseMeasure(tt.in)
		if n != tt.n || known != tt.known || (err != nil) != tt.wantErr {
			t.Errorf("parseMeasure(%q) = %d, %v, %v; want %d, %v, error %v", tt.in, n, known, err, tt.n, tt.known, tt.wantErr)
		}
	}
}
