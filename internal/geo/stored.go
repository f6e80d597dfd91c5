package geo

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"

	"baken/internal/baken"
)

// storedGeometry is a GeoJSON geometry object; orb's point and ring types marshal as the
// nested coordinate arrays GeoJSON wants.
type storedGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// Stored returns the area in the form the store keeps: its geometry as a GeoJSON
// MultiPolygon with the bounding box beside it.
func Stored(a Area) (baken.Area, error) {
	coords, err := json.Marshal(a.Geometry)
	if err != nil {
		return baken.Area{}, fmt.Errorf("encode geometry of %s: %w", a.Code, err)
	}
	g, err := json.Marshal(storedGeometry{Type: "MultiPolygon", Coordinates: coords})
	if err != nil {
		return baken.Area{}, fmt.Errorf("encode geometry of %s: %w", a.Code, err)
	}
	b := a.Bound()
	return baken.Area{
		Code: a.Code, Name: a.Name, Level: baken.AreaLevel(a.Level), Parent: a.Parent,
		Gemeente: a.Gemeente, Year: a.Year, Geometry: g,
		MinLon: b.Min.Lon(), MinLat: b.Min.Lat(), MaxLon: b.Max.Lon(), MaxLat: b.Max.Lat(),
	}, nil
}

// FromStored parses a stored area's geometry back into an Area.
func FromStored(s baken.Area) (Area, error) {
	a := Area{Code: s.Code, Name: s.Name, Level: Level(s.Level), Parent: s.Parent, Gemeente: s.Gemeente, Year: s.Year}
	if len(s.Geometry) == 0 {
		return a, fmt.Errorf("area %s (%d): no geometry loaded", s.Code, s.Year)
	}
	var g storedGeometry
	if err := json.Unmarshal(s.Geometry, &g); err != nil {
		return a, fmt.Errorf("area %s (%d): geometry: %w", s.Code, s.Year, err)
	}
	var err error
	switch g.Type {
	case "MultiPolygon":
		err = json.Unmarshal(g.Coordinates, &a.Geometry)
	case "Polygon":
		var p orb.Polygon
		err = json.Unmarshal(g.Coordinates, &p)
		a.Geometry = orb.MultiPolygon{p}
	default:
		return a, fmt.Errorf("area %s (%d): geometry is a %q, want a (multi)polygon", s.Code, s.Year, g.Type)
	}
	if err != nil {
		return a, fmt.Errorf("area %s (%d): geometry: %w", s.Code, s.Year, err)
	}
	return a, nil
}
