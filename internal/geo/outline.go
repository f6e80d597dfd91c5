package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
)

// Outline is a study area of any shape: the union of polygons, in WGS84 lon/lat. Unlike
// an Area it needs no CBS code; it is what a user draws or downloads to say "only here".
type Outline struct {
	Geometry orb.MultiPolygon
	bound    orb.Bound
}

// outlineDoc holds the members of a GeoJSON document that ReadOutline uses: a
// FeatureCollection, a single Feature or a bare geometry.
type outlineDoc struct {
	Type        string          `json:"type"`
	CRS         *rawCRS         `json:"crs"`
	Features    []rawFeature    `json:"features"`
	Geometry    *rawGeometry    `json:"geometry"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []rawGeometry   `json:"geometries"`
}

// ReadOutline reads a study area from GeoJSON, plain or gzip-compressed: every Polygon
// and MultiPolygon of a FeatureCollection, a Feature or a bare geometry, whatever their
// properties. Coordinates are WGS84 lon/lat unless a "crs" member names RD New
// (EPSG:28992) or, without one, their range says RD (as in ReadAreas); RD is converted
// to WGS84. Errors name the file (name, else "input") and the feature.
func ReadOutline(r io.Reader, name string) (Outline, error) {
	if name == "" {
		name = "input"
	}
	o, err := readOutline(r)
	if err != nil {
		return Outline{}, fmt.Errorf("%s: %w", name, err)
	}
	return o, nil
}

func readOutline(r io.Reader) (Outline, error) {
	data, err := readMaybeGzip(r)
	if err != nil {
		return Outline{}, err
	}
	var doc outlineDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return Outline{}, fmt.Errorf("not GeoJSON: %w", err)
	}
	var mp orb.MultiPolygon
	switch doc.Type {
	case "FeatureCollection":
		for i, f := range doc.Features {
			if f.Geometry == nil {
				continue
			}
			if mp, err = f.Geometry.polygons(mp); err != nil {
				return Outline{}, fmt.Errorf("feature %d: %w", i+1, err)
			}
		}
	case "Feature":
		if doc.Geometry == nil {
			return Outline{}, errors.New("feature without geometry")
		}
		if mp, err = doc.Geometry.polygons(mp); err != nil {
			return Outline{}, err
		}
	case "Polygon", "MultiPolygon", "GeometryCollection":
		g := rawGeometry{Type: doc.Type, Coordinates: doc.Coordinates, Geometries: doc.Geometries}
		if mp, err = g.polygons(mp); err != nil {
			return Outline{}, err
		}
	default:
		return Outline{}, fmt.Errorf("GeoJSON type %q: want a FeatureCollection, Feature, Polygon or MultiPolygon", doc.Type)
	}
	if len(mp) == 0 {
		return Outline{}, errors.New("no polygon")
	}
	crs, err := detectCRS(doc.CRS, []rawArea{{area: Area{Geometry: mp}}})
	if err != nil {
		return Outline{}, err
	}
	if err := toWGS84(mp, crs); err != nil {
		return Outline{}, err
	}
	return NewOutline(mp), nil
}

// NewOutline returns the outline of the polygons (WGS84 lon/lat).
func NewOutline(mp orb.MultiPolygon) Outline {
	return Outline{Geometry: mp, bound: mp.Bound()}
}

// Bound returns the outline's bounding box (lon/lat).
func (o Outline) Bound() orb.Bound { return o.bound }

// Contains reports whether the point (lon/lat) lies inside one of the polygons and
// outside its holes, with the same half-open boundary rule as Index.Locate. Where
// polygons overlap, a point inside any of them is inside.
func (o Outline) Contains(lon, lat float64) bool {
	if math.IsNaN(lon) || math.IsNaN(lat) || !o.bound.Contains(orb.Point{lon, lat}) {
		return false
	}
	for _, p := range o.Geometry {
		if len(p) == 0 || !ringContains(p[0], lon, lat) {
			continue
		}
		inHole := false
		for _, h := range p[1:] {
			if ringContains(h, lon, lat) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}
