package importer

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"baken/internal/baken"
	"baken/internal/geo"
)

// ReadAreas reads CBS areas (GeoJSON in RD New or WGS84, or TopoJSON; plain or gzipped)
// and returns them in stored form. A gemeente whose wijken or buurten are in the file but
// which has no feature of its own gets one, made of its wijken (or buurten), named from
// names when given, else by its code.
func ReadAreas(in *Input, crs geo.CRS, year int, names map[string]string) ([]baken.Area, error) {
	areas, err := geo.ReadAreas(in, geo.ReadOptions{CRS: crs, Year: year, Name: in.Name})
	if err != nil {
		return nil, err
	}
	areas = addGemeenten(areas, names)
	out := make([]baken.Area, 0, len(areas))
	for _, a := range areas {
		s, err := geo.Stored(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func addGemeenten(areas []geo.Area, names map[string]string) []geo.Area {
	type key struct {
		code string
		year int
	}
	have := map[key]bool{}
	parts := map[key]map[geo.Level][]orb.Polygon{}
	for _, a := range areas {
		if a.Level == geo.LevelGemeente {
			have[key{a.Code, a.Year}] = true
			continue
		}
		k := key{a.Gemeente, a.Year}
		if parts[k] == nil {
			parts[k] = map[geo.Level][]orb.Polygon{}
		}
		parts[k][a.Level] = append(parts[k][a.Level], a.Geometry...)
	}
	var keys []key
	for k := range parts {
		if !have[k] && k.code != "" {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.year != b.year {
			return a.year - b.year
		}
		return compareStrings(a.code, b.code)
	})
	for _, k := range keys {
		polys := parts[k][geo.LevelWijk]
		if len(polys) == 0 {
			polys = parts[k][geo.LevelBuurt]
		}
		name := names[k.code]
		if name == "" {
			name = k.code
		}
		areas = append(areas, geo.Area{Code: k.code, Name: name, Level: geo.LevelGemeente, Gemeente: k.code,
			Year: k.year, Geometry: orb.MultiPolygon(polys)})
	}
	return areas
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
