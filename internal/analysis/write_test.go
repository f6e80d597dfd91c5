package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// hotspotCells is a small analysis with a hot corner, as a map would show it.
func hotspotCells(tb testing.TB) (Grid, []Cell) {
	tb.Helper()
	g := Grid{X0: 121000, Y0: 487000, Size: 125, NX: 6, NY: 5}
	counts := []float64{
		9, 8, 1, 0, 1, 0,
		8, 9, 0, 1, 0, 0,
		1, 0, 0, 1, 0, 1,
		0, 1, 0, 0, 1, 0,
		1, 0, 0, 1, 0, 0,
	}
	mask := make([]bool, g.Cells())
	for i := range mask {
		mask[i] = i != 29 // a pond in the north-east corner
	}
	cells, err := GiStar(g, counts, GiOptions{Mask: mask, Alpha: 0.1, PValues: PValueNormal}) // as in the golden files
	if err != nil {
		tb.Fatal(err)
	}
	return g, cells
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestWriteCellsCSV(t *testing.T) {
	_, cells := hotspotCells(t)
	var buf bytes.Buffer
	if err := WriteCellsCSV(&buf, cells); err != nil {
		t.Fatal(err)
	}
	golden(t, "cells.golden", buf.Bytes())

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if lines[0] != "cell,row,col,x,y,count,z,p,q,hot,cold" {
		t.Errorf("header %q", lines[0])
	}
	if len(lines) != 1+29 {
		t.Errorf("%d lines, want the header and the 29 study cells", len(lines))
	}
	if hot := strings.Count(buf.String(), ",true,false\n"); hot == 0 {
		t.Error("no hot cell written; the example has a hot corner")
	}
	if strings.Contains(buf.String(), ";") || strings.ContainsAny(lines[1], "\"") {
		t.Errorf("first row %q: want plain comma-separated fields", lines[1])
	}
}

func TestWriteCellsGeoJSON(t *testing.T) {
	g, cells := hotspotCells(t)
	// An affine stand-in for the RD to WGS84 conversion, near Amsterdam; it keeps the
	// orientation, as RD and UTM do.
	toWGS84 := func(x, y float64) (float64, float64) {
		return 3.3135 + x*1.4678e-5 + y*1e-7, 47.9748 + y*9.0e-6 - x*1e-7
	}
	var buf bytes.Buffer
	if err := WriteCellsGeoJSON(&buf, g, cells, toWGS84); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			Geometry struct {
				Type        string
				Coordinates [][][2]float64
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(cells) {
		t.Fatalf("%s with %d features, want a FeatureCollection of %d", fc.Type, len(fc.Features), len(cells))
	}
	for k, f := range fc.Features {
		c := cells[k]
		if f.Type != "Feature" || f.Geometry.Type != "Polygon" || len(f.Geometry.Coordinates) != 1 {
			t.Fatalf("feature %d: %s %s with %d rings", k, f.Type, f.Geometry.Type, len(f.Geometry.Coordinates))
		}
		ring := f.Geometry.Coordinates[0]
		if len(ring) != 5 || ring[0] != ring[4] {
			t.Fatalf("cell %d: ring %v, want 4 corners, closed", c.Index, ring)
		}
		var area float64 // shoelace: positive when counter-clockwise
		for i := range 4 {
			area += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
		}
		if area <= 0 {
			t.Errorf("cell %d: ring %v runs clockwise", c.Index, ring)
		}
		minX, minY, _, _ := g.Bounds(c.Index)
		lon, lat := toWGS84(minX, minY)
		if math.Abs(ring[0][0]-lon) > 5.01e-7 || math.Abs(ring[0][1]-lat) > 5.01e-7 {
			t.Errorf("cell %d: south-west corner %v, want (%v %v) to 6 decimals", c.Index, ring[0], lon, lat)
		}
		for _, p := range ring {
			for _, v := range p {
				if d := v*1e6 - math.Round(v*1e6); math.Abs(d) > 1e-6 {
					t.Errorf("cell %d: coordinate %v has more than 6 decimals", c.Index, v)
				}
			}
		}
		want := map[string]any{
			"cell": float64(c.Index), "row": float64(c.Row), "col": float64(c.Col), "x": c.X, "y": c.Y,
			"count": c.Count, "z": c.Z, "p": c.P, "q": c.Q, "hot": c.Hot, "cold": c.Cold,
		}
		if diff := cmp.Diff(want, f.Properties); diff != "" {
			t.Errorf("cell %d: properties mismatch (-want +got):\n%s", c.Index, diff)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCellsErrors(t *testing.T) {
	g, cells := hotspotCells(t)
	identity := func(x, y float64) (float64, float64) { return x, y }
	if err := WriteCellsCSV(failingWriter{}, cells); err == nil {
		t.Error("csv to a failing writer: no error")
	}
	tests := []struct {
		name    string
		w       interface{ Write([]byte) (int, error) }
		g       Grid
		cells   []Cell
		toWGS84 func(x, y float64) (float64, float64)
	}{
		{name: "failing writer", w: failingWriter{}, g: g, cells: cells, toWGS84: identity},
		{name: "no conversion", w: &bytes.Buffer{}, g: g, cells: cells},
		{name: "cell outside the grid", w: &bytes.Buffer{}, g: g, cells: []Cell{{Index: 30}}, toWGS84: identity},
		{name: "zero grid", w: &bytes.Buffer{}, cells: cells, toWGS84: identity},
		{name: "NaN statistic", w: &bytes.Buffer{}, g: g, cells: []Cell{{Z: math.NaN()}}, toWGS84: identity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteCellsGeoJSON(tt.w, tt.g, tt.cells, tt.toWGS84); err == nil {
				t.Error("no error")
			}
		})
	}
}
