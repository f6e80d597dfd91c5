package geo

import (
	"os"
	"strings"
	"testing"
)

func TestReadOutline(t *testing.T) {
	// A 2 x 2 degree square with a 1 x 1 hole in the middle of its west half, and a
	// separate unit square far east.
	const square = `[[[0,0],[2,0],[2,2],[0,2],[0,0]],[[0.25,0.5],[0.75,0.5],[0.75,1.5],[0.25,1.5],[0.25,0.5]]]`
	const east = `[[[10,0],[11,0],[11,1],[10,1]]]` // left open: closed on reading
	for _, tc := range []struct {
		name, doc string
	}{
		{"bare polygon", `{"type":"Polygon","coordinates":` + square + `}`},
		{"multipolygon", `{"type":"MultiPolygon","coordinates":[` + square + `,` + east + `]}`},
		{"feature", `{"type":"Feature","properties":{"naam":"x"},"geometry":{"type":"Polygon","coordinates":` + square + `}}`},
		{"collection", `{"type":"FeatureCollection","features":[
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":` + square + `}},
			{"type":"Feature","properties":{},"geometry":null},
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":` + east + `}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ReadOutline(strings.NewReader(tc.doc), "area.geojson")
			if err != nil {
				t.Fatal(err)
			}
			hasEast := strings.Contains(tc.doc, "[10,0]")
			for _, p := range []struct {
				lon, lat float64
				want     bool
			}{
				{1.5, 1, true},       // in the square, east of the hole
				{0.5, 1, false},      // in the hole
				{3, 1, false},        // outside
				{10.5, 0.5, hasEast}, // in the eastern square when it is there
			} {
				if got := o.Contains(p.lon, p.lat); got != p.want {
					t.Errorf("Contains(%v, %v) = %v, want %v", p.lon, p.lat, got, p.want)
				}
			}
		})
	}
}

func TestReadOutlineDiemen(t *testing.T) {
	// The union of Diemen's wijken in RD holds the same points as in WGS84.
	rd, err := os.Open(sharedData(t, diemenDir, diemenWijkRD))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	ord, err := ReadOutline(rd, diemenWijkRD)
	if err != nil {
		t.Fatal(err)
	}
	areas := readDiemen(t, diemenWijkWGS)
	for _, a := range areas {
		p := interiorPoint(t, a, areas)
		if !ord.Contains(p[0], p[1]) {
			t.Errorf("%s: interior point %v not in the outline read from RD", a.Code, p)
		}
	}
	if ord.Contains(4.9, 52.37) { // Amsterdam centre
		t.Errorf("Amsterdam centre inside Diemen's outline")
	}
}

func TestReadOutlineErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"type":"Point","coordinates":[1,2]}`, `a.geojson: GeoJSON type "Point"`},
		{`{"type":"FeatureCollection","features":[]}`, "a.geojson: no polygon"},
		{`[1,2]`, "a.geojson: not GeoJSON"},
		{`{"type":"Polygon","coordinates":[[[0,0],[500,0],[0,500]]]}`, "fit neither RD New nor WGS84"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}`, "a.geojson: feature 1: unsupported geometry type"},
	} {
		_, err := ReadOutline(strings.NewReader(tc.doc), "a.geojson")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadOutline(%s): error %v, want one containing %q", tc.doc, err, tc.want)
		}
	}
}
