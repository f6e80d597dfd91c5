package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/paulmach/orb"
)

// TopoJSON decoding, after the TopoJSON 1.0 specification
// (github.com/topojson/topojson-specification): geometries refer to shared arcs by
// index, a negative index ~i meaning arc i reversed, and a quantised topology (one with
// a "transform") stores each arc as a first position followed by deltas.

type topoGeometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoGeometry  `json:"geometries"`
}

type topoTransform struct {
	Scale     []float64 `json:"scale"`
	Translate []float64 `json:"translate"`
}

// topoJSONAreas reads every object of a topology. An object that is a
// GeometryCollection holds one feature per member; any other object is one feature.
func topoJSONAreas(doc *rawDoc) ([]rawArea, error) {
	arcs, err := decodeArcs(doc.Arcs, doc.Transform)
	if err != nil {
		return nil, err
	}
	// A valid topology uses each arc at most twice per object; the budget stops a small
	// file from expanding into billions of positions by citing a long arc over and over.
	budget := 1 << 20
	for _, a := range arcs {
		budget += 8 * len(a)
	}
	var raws []rawArea
	for _, name := range slices.Sorted(maps.Keys(doc.Objects)) {
		obj := doc.Objects[name]
		features := []topoGeometry{obj}
		if obj.Type == "GeometryCollection" {
			features = obj.Geometries
		}
		for i := range features {
			f := &features[i]
			ref := featureRef(name, i, f.ID, f.Properties)
			a, skip, err := areaFromProperties(f.Properties)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ref, err)
			}
			if skip {
				continue
			}
			if a.Geometry, err = f.polygons(nil, arcs, &budget); err != nil {
				return nil, fmt.Errorf("%s: %w", ref, err)
			}
			if len(a.Geometry) == 0 {
				return nil, fmt.Errorf("%s: no polygons", ref)
			}
			raws = append(raws, rawArea{area: a, ref: ref})
		}
	}
	return raws, nil
}

// decodeArcs returns the arcs as absolute positions, undoing quantisation and delta
// encoding when there is a transform.
func decodeArcs(raw [][][]float64, t *topoTransform) ([][]orb.Point, error) {
	sx, sy, tx, ty := 1.0, 1.0, 0.0, 0.0
	if t != nil {
		if len(t.Scale) != 2 || len(t.Translate) != 2 {
			return nil, errors.New("transform: want two scale and two translate values")
		}
		sx, sy, tx, ty = t.Scale[0], t.Scale[1], t.Translate[0], t.Translate[1]
	}
	arcs := make([][]orb.Point, len(raw))
	for i, ra := range raw {
		if len(ra) < 2 {
			return nil, fmt.Errorf("arc %d has %d positions, want at least 2", i, len(ra))
		}
		arc := make([]orb.Point, len(ra))
		var x, y float64
		for j, pos := range ra {
			if len(pos) < 2 {
				return nil, fmt.Errorf("arc %d: position %d has %d values, want at least 2", i, j, len(pos))
			}
			if t == nil {
				arc[j] = orb.Point{pos[0], pos[1]}
				continue
			}
			x += pos[0]
			y += pos[1]
			arc[j] = orb.Point{x*sx + tx, y*sy + ty}
		}
		arcs[i] = arc
	}
	return arcs, nil
}

// polygons appends the geometry's polygons to dst, taking the positions they use from
// budget.
func (g *topoGeometry) polygons(dst orb.MultiPolygon, arcs [][]orb.Point, budget *int) (orb.MultiPolygon, error) {
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(g.Arcs, &rings); err != nil {
			return nil, fmt.Errorf("polygon arcs: %w", err)
		}
		p, err := topoPolygon(rings, arcs, budget)
		if err != nil {
			return nil, err
		}
		return append(dst, p), nil
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			return nil, fmt.Errorf("multipolygon arcs: %w", err)
		}
		for i, rings := range polys {
			p, err := topoPolygon(rings, arcs, budget)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i+1, err)
			}
			dst = append(dst, p)
		}
		return dst, nil
	case "GeometryCollection":
		for i := range g.Geometries {
			var err error
			if dst, err = g.Geometries[i].polygons(dst, arcs, budget); err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i+1, err)
			}
		}
		return dst, nil
	case "":
		return nil, errors.New("no geometry")
	}
	return nil, fmt.Errorf("unsupported geometry type %q: want Polygon or MultiPolygon", g.Type)
}

func topoPolygon(rings [][]int, arcs [][]orb.Point, budget *int) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, errors.New("polygon without rings")
	}
	p := make(orb.Polygon, len(rings))
	for i, idx := range rings {
		r, err := topoRing(idx, arcs, budget)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", i+1, err)
		}
		p[i] = r
	}
	return p, nil
}

// topoRing joins the arcs of one ring. Consecutive arcs share their joining position,
// which is kept once.
func topoRing(idx []int, arcs [][]orb.Point, budget *int) (orb.Ring, error) {
	if len(idx) == 0 {
		return nil, errors.New("no arcs")
	}
	n := 1
	for _, i := range idx {
		j := i
		if j < 0 {
			j = ^j
		}
		if j >= len(arcs) {
			return nil, fmt.Errorf("arc index %d out of range (%d arcs)", i, len(arcs))
		}
		n += len(arcs[j]) - 1
		if *budget -= len(arcs[j]); *budget < 0 {
			return nil, errors.New("the rings use far more positions than the arcs hold")
		}
	}
	r := make(orb.Ring, 0, n+1)
	for k, i := range idx {
		if k > 0 {
			r = r[:len(r)-1]
		}
		if i >= 0 {
			r = append(r, arcs[i]...)
			continue
		}
		arc := arcs[^i]
		for j := len(arc) - 1; j >= 0; j-- {
			r = append(r, arc[j])
		}
	}
	return closeRing(r), nil
}
