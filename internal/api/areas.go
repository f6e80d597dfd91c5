package api

import (
	"context"
	"encoding/json"
	"net/http"

	"baken/internal/baken"
	"baken/internal/store"
)

// populationJSON is an area's number of inhabitants on 1 January of a year.
type populationJSON struct {
	Year        int `json:"year"`
	Inhabitants int `json:"inhabitants"`
}

// areaJSON is a CBS area as the list shows it.
type areaJSON struct {
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	Level      string          `json:"level"`
	Parent     *string         `json:"parent"`
	Gemeente   string          `json:"gemeente"`
	Year       int             `json:"year"`
	BBox       [4]float64      `json:"bbox"`
	Population *populationJSON `json:"population"`
	Geometry   json.RawMessage `json:"geometry,omitempty"`
}

type areaList struct {
	Year        *int       `json:"year"`
	Attribution string     `json:"attribution"`
	Items       []areaJSON `json:"items"`
}

// featureCollection and feature are GeoJSON (RFC 7946); attribution is a foreign member.
type (
	featureCollection struct {
		Type        string    `json:"type"`
		Attribution string    `json:"attribution"`
		Features    []feature `json:"features"`
	}
	feature struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		BBox       [4]float64      `json:"bbox"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties areaProperties  `json:"properties"`
	}
	areaProperties struct {
		Code       string          `json:"code"`
		Name       string          `json:"name"`
		Level      string          `json:"level"`
		Parent     *string         `json:"parent"`
		Gemeente   string          `json:"gemeente"`
		Year       int             `json:"year"`
		Population *populationJSON `json:"population"`
	}
)

const contentGeoJSON = "application/geo+json"

// listAreas answers GET /api/v1/areas: the CBS areas of one vintage (the latest loaded
// unless year is given), as a list or a GeoJSON FeatureCollection. Areas and population
// figures are public reference data: any signed-in actor may read them.
func (a *API) listAreas(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "level", "year", "gemeente", "parent", "geometry", "format")
	var f store.AreaFilter
	if v := q.one("level"); v != "" {
		switch l := baken.AreaLevel(v); l {
		case baken.LevelGemeente, baken.LevelWijk, baken.LevelBuurt:
			f.Level = &l
		default:
			q.fail("level", "%q: want gemeente, wijk or buurt", v)
		}
	}
	year := q.int("year", 0, 1900, 2200)
	if gm := q.area("gemeente"); gm != "" {
		if l, _ := baken.LevelOfCode(gm); l != baken.LevelGemeente {
			q.fail("gemeente", "%q is not a gemeente code (GM0384)", gm)
		}
		f.Gemeente = &gm
	}
	if p := q.area("parent"); p != "" {
		if l, _ := baken.LevelOfCode(p); l == baken.LevelBuurt {
			q.fail("parent", "%q is a buurt: a parent is a gemeente or wijk code", p)
		}
		f.Parent = &p
	}
	withGeometry, geometryGiven := q.bool("geometry")
	format := q.one("format")
	switch format {
	case "", "json":
	case "geojson":
		// A GeoJSON feature without geometry is of little use: include it unless
		// geometry=false says otherwise.
		withGeometry = withGeometry || !geometryGiven
	default:
		q.fail("format", "%q: want json or geojson", format)
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := r.Context()
	if year == 0 {
		vintages, err := a.db.AreaVintages(ctx)
		if err != nil {
			return err
		}
		if len(vintages) > 0 {
			year = vintages[len(vintages)-1]
		}
	}
	var areas []baken.Area
	if year != 0 {
		f.Year, f.WithGeometry = &year, withGeometry
		var err error
		if areas, err = a.db.FindAreas(ctx, f); err != nil {
			return err
		}
	}
	pops, err := a.populations(ctx, areas)
	if err != nil {
		return err
	}
	if format == "geojson" {
		fc := featureCollection{Type: "FeatureCollection", Attribution: Attribution, Features: make([]feature, 0, len(areas))}
		for _, ar := range areas {
			g := json.RawMessage(ar.Geometry)
			if !withGeometry || len(g) == 0 {
				g = json.RawMessage("null")
			}
			fc.Features = append(fc.Features, feature{
				Type: "Feature", ID: ar.Code, BBox: bbox(ar), Geometry: g,
				Properties: areaProperties{
					Code: ar.Code, Name: ar.Name, Level: string(ar.Level), Parent: nullable(ar.Parent),
					Gemeente: ar.Gemeente, Year: ar.Year, Population: populationFor(pops[ar.Code], ar.Year),
				},
			})
		}
		return writeJSON(w, http.StatusOK, contentGeoJSON, fc)
	}
	list := areaList{Attribution: Attribution, Items: make([]areaJSON, 0, len(areas))}
	if year != 0 {
		list.Year = &year
	}
	for _, ar := range areas {
		item := areaJSON{
			Code: ar.Code, Name: ar.Name, Level: string(ar.Level), Parent: nullable(ar.Parent),
			Gemeente: ar.Gemeente, Year: ar.Year, BBox: bbox(ar), Population: populationFor(pops[ar.Code], ar.Year),
		}
		if withGeometry && len(ar.Geometry) > 0 {
			item.Geometry = json.RawMessage(ar.Geometry)
		}
		list.Items = append(list.Items, item)
	}
	return writeJSON(w, http.StatusOK, contentJSON, list)
}

func bbox(ar baken.Area) [4]float64 { return [4]float64{ar.MinLon, ar.MinLat, ar.MaxLon, ar.MaxLat} }

// populations returns the population figures of the areas, by code, oldest first.
func (a *API) populations(ctx context.Context, areas []baken.Area) (map[string][]baken.Population, error) {
	out := map[string][]baken.Population{}
	codes := make([]string, 0, len(areas))
	for _, ar := range areas {
		codes = append(codes, ar.Code)
	}
	// In slices, so that a national list stays under the engines' parameter limits.
	const batch = 500
	for start := 0; start < len(codes); start += batch {
		ps, err := a.db.FindPopulation(ctx, store.PopulationFilter{Codes: codes[start:min(start+batch, len(codes))]})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out[p.Code] = append(out[p.Code], p)
		}
	}
	return out, nil
}

// populationOf returns the figure in force for year: the latest of that year or before,
// else the earliest after it. ps is ordered by year; ok is false when it is empty.
func populationOf(ps []baken.Population, year int) (baken.Population, bool) {
	if len(ps) == 0 {
		return baken.Population{}, false
	}
	best := ps[0]
	for _, p := range ps {
		if p.Year <= year {
			best = p
		}
	}
	return best, true
}

func populationFor(ps []baken.Population, year int) *populationJSON {
	p, ok := populationOf(ps, year)
	if !ok {
		return nil
	}
	return &populationJSON{Year: p.Year, Inhabitants: p.Inhabitants}
}
