package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ReadOptions tells ReadAreas how to interpret its input.
type ReadOptions struct {
	CRS  CRS    // CRSAuto detects; any other value overrides the file's "crs" member
	Year int    // vintage to use when features carry no "jaar" property; 0 = take it from the data, and if the data has none, try a 4-digit year 2000-2099 in Name
	Name string // file name, used in error messages and for the year fallback
}

// ReadAreas reads CBS areas from GeoJSON (FeatureCollection, or a single Feature; Polygon
// and MultiPolygon features) or TopoJSON (all objects in "objects"; arcs quantised with
// "transform" and delta-encoded, or not quantised; Polygon/MultiPolygon/GeometryCollection
// geometries; negative arc indices reversed (~i)), plain or gzip-compressed (detected by
// the gzip magic bytes, not the file name).
//
// Properties: statcode (or code), statnaam (or name), rubriek ("gemeente"|"wijk"|"buurt";
// when absent the level comes from the code prefix GM/WK/BU), jaar (number or string),
// gm_code, wk_code. The 2015 gemeente TopoJSON file has gemeentecode/gemeentenaam
// instead, and water ("JA"|"NEE"): a feature whose water property is present and is not
// "NEE" is skipped. Besides its 90 "JA" features that file holds a placeholder GM9999 with
// water "B" and no data; keeping only "NEE" leaves its 393 land gemeenten.
//
// Parent and Gemeente are derived from the code where the properties do not give them: a
// buurt code BU + gggg + ww + bb => wijk WK + gggg + ww, gemeente GM + gggg; a wijk code
// WK + gggg + ww => gemeente GM + gggg. Features with the same code and year (e.g.
// several polygons) are merged into one MultiPolygon; areas keep the order in which they
// first appear. RD input is converted to WGS84 with RDToWGS84.
//
// Rings are closed where the input leaves them open. Rings that collapsed to a line or a
// point, as coarse TopoJSON quantisation leaves some, are kept as they are: they contain
// no points, and dropping them would drop areas.
//
// Errors name the file (opts.Name, else "input") and the feature (counted from 1 in file
// order; for TopoJSON also the object) with its code or id, and what is wrong, e.g.
// `diemen.geojson: feature 3 (BU03840103): no statcode` or
// `x.json: no vintage year: give --year`. Input without any area, and coordinates that
// are not valid longitude/latitude after conversion, are errors too.
func ReadAreas(r io.Reader, opts ReadOptions) ([]Area, error) {
	name := opts.Name
	if name == "" {
		name = "input"
	}
	areas, err := readAreas(r, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return areas, nil
}

// rawDoc holds the members of a GeoJSON or TopoJSON document that ReadAreas uses.
type rawDoc struct {
	Type string  `json:"type"`
	CRS  *rawCRS `json:"crs"`

	// GeoJSON
	Features   []rawFeature    `json:"features"`
	ID         json.RawMessage `json:"id"`         // a lone Feature
	Properties map[string]any  `json:"properties"` // a lone Feature
	Geometry   *rawGeometry    `json:"geometry"`   // a lone Feature

	// TopoJSON
	Objects   map[string]topoGeometry `json:"objects"`
	Arcs      [][][]float64           `json:"arcs"`
	Transform *topoTransform          `json:"transform"`
}

type rawCRS struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties map[string]any  `json:"properties"`
	Geometry   *rawGeometry    `json:"geometry"`
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []rawGeometry   `json:"geometries"`
}

// rawArea is one feature's area before the CRS is known and same-code features merge.
type rawArea struct {
	area Area // Geometry in input coordinates
	ref  string
}

func readAreas(r io.Reader, opts ReadOptions) ([]Area, error) {
	switch opts.CRS {
	case CRSAuto, CRSWGS84, CRSRD:
	default:
		return nil, fmt.Errorf("unknown crs %q", opts.CRS)
	}
	if opts.Year != 0 && !validYear(opts.Year) {
		return nil, fmt.Errorf("year %d out of range %d-%d", opts.Year, minYear, maxYear)
	}

	data, err := readMaybeGzip(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty input")
	}
	var doc rawDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode json: %w", err)
	}

	var raws []rawArea
	switch doc.Type {
	case "FeatureCollection":
		raws, err = geoJSONAreas(doc.Features)
	case "Feature":
		raws, err = geoJSONAreas([]rawFeature{{Type: doc.Type, ID: doc.ID, Properties: doc.Properties, Geometry: doc.Geometry}})
	case "Topology":
		raws, err = topoJSONAreas(&doc)
	case "":
		return nil, errors.New(`not GeoJSON or TopoJSON: no "type" member`)
	default:
		return nil, fmt.Errorf("unsupported document type %q: want FeatureCollection or Topology", doc.Type)
	}
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, errors.New("no areas found")
	}
	if err := fillYears(raws, opts); err != nil {
		return nil, err
	}

	crs := opts.CRS
	if crs == CRSAuto {
		if crs, err = detectCRS(doc.CRS, raws); err != nil {
			return nil, err
		}
	}
	for i := range raws {
		if err := toWGS84(raws[i].area.Geometry, crs); err != nil {
			return nil, fmt.Errorf("%s: %w", raws[i].ref, err)
		}
	}
	return mergeAreas(raws), nil
}

// readMaybeGzip reads all of r, decompressing it when it starts with the gzip magic
// bytes.
func readMaybeGzip(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		defer zr.Close()
		data, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		return data, nil
	}
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return data, nil
}

func geoJSONAreas(features []rawFeature) ([]rawArea, error) {
	var raws []rawArea
	for i, f := range features {
		ref := featureRef("", i, f.ID, f.Properties)
		if f.Type != "Feature" {
			return nil, fmt.Errorf("%s: type %q, want Feature", ref, f.Type)
		}
		a, skip, err := areaFromProperties(f.Properties)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		if skip {
			continue
		}
		if f.Geometry == nil {
			return nil, fmt.Errorf("%s: no geometry", ref)
		}
		if a.Geometry, err = f.Geometry.polygons(nil); err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		if len(a.Geometry) == 0 {
			return nil, fmt.Errorf("%s: no polygons", ref)
		}
		raws = append(raws, rawArea{area: a, ref: ref})
	}
	return raws, nil
}

// polygons appends the geometry's polygons, in input coordinates, to dst.
func (g *rawGeometry) polygons(dst orb.MultiPolygon) (orb.MultiPolygon, error) {
	switch g.Type {
	case "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("polygon coordinates: %w", err)
		}
		p, err := polygonFromCoordinates(c)
		if err != nil {
			return nil, err
		}
		return append(dst, p), nil
	case "MultiPolygon":
		var c [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("multipolygon coordinates: %w", err)
		}
		for i, pc := range c {
			p, err := polygonFromCoordinates(pc)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i+1, err)
			}
			dst = append(dst, p)
		}
		return dst, nil
	case "GeometryCollection":
		for i := range g.Geometries {
			var err error
			if dst, err = g.Geometries[i].polygons(dst); err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i+1, err)
			}
		}
		return dst, nil
	case "":
		return nil, errors.New("no geometry type")
	}
	return nil, fmt.Errorf("unsupported geometry type %q: want Polygon or MultiPolygon", g.Type)
}

func polygonFromCoordinates(c [][][]float64) (orb.Polygon, error) {
	if len(c) == 0 {
		return nil, errors.New("polygon without rings")
	}
	p := make(orb.Polygon, len(c))
	for i, rc := range c {
		if len(rc) == 0 {
			return nil, fmt.Errorf("ring %d is empty", i+1)
		}
		r := make(orb.Ring, len(rc), len(rc)+1)
		for j, pos := range rc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("ring %d: position %d has %d values, want at least 2", i+1, j+1, len(pos))
			}
			r[j] = orb.Point{pos[0], pos[1]}
		}
		p[i] = closeRing(r)
	}
	return p, nil
}

func closeRing(r orb.Ring) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// featureRef names a feature in error messages: "feature 3 (BU03840103)", with the
// statistical code when there is one and else the feature id.
func featureRef(object string, i int, id json.RawMessage, props map[string]any) string {
	ref := "feature " + strconv.Itoa(i+1)
	if object != "" {
		ref = "object " + object + ": " + ref
	}
	label := ""
	for _, k := range codeKeys() {
		if s, ok := props[k].(string); ok && strings.TrimSpace(s) != "" {
			label = strings.TrimSpace(s)
			break
		}
	}
	if label == "" && len(id) > 0 {
		var s string
		if json.Unmarshal(id, &s) == nil {
			label = s
		} else if id := string(id); id != "null" {
			label = id
		}
	}
	if label == "" {
		return ref
	}
	return ref + " (" + label + ")"
}

// The property names that carry an area's code and name, in order of preference; the
// gemeentecode/gemeentenaam pair is used by the CBS gemeente files of 2015.
func codeKeys() []string { return []string{"statcode", "code", "gemeentecode"} }
func nameKeys() []string { return []string{"statnaam", "name", "gemeentenaam"} }

// areaFromProperties makes an area, without geometry, from a feature's properties; its
// year is 0 when the properties give none. skip reports a water feature.
func areaFromProperties(props map[string]any) (a Area, skip bool, err error) {
	water, err := stringProp(props, "water")
	if err != nil {
		return Area{}, false, err
	}
	if water != "" && !strings.EqualFold(water, "NEE") {
		return Area{}, true, nil
	}

	code, err := stringProp(props, codeKeys()...)
	if err != nil {
		return Area{}, false, err
	}
	if code == "" {
		return Area{}, false, errors.New("no statcode")
	}
	a.Code = strings.ToUpper(code)
	if a.Level, err = codeLevel(a.Code); err != nil {
		return Area{}, false, err
	}
	if a.Name, err = stringProp(props, nameKeys()...); err != nil {
		return Area{}, false, err
	}

	rubriek, err := stringProp(props, "rubriek")
	if err != nil {
		return Area{}, false, err
	}
	if rubriek != "" {
		l := Level(strings.ToLower(rubriek))
		if l.detail() == 0 {
			return Area{}, false, fmt.Errorf("rubriek %q: want gemeente, wijk or buurt", rubriek)
		}
		if l != a.Level {
			return Area{}, false, fmt.Errorf("rubriek %q does not match code %s", rubriek, a.Code)
		}
	}

	if a.Year, err = yearProp(props); err != nil {
		return Area{}, false, err
	}

	gm, err := codeProp(props, "gm_code", LevelGemeente)
	if err != nil {
		return Area{}, false, err
	}
	wk, err := codeProp(props, "wk_code", LevelWijk)
	if err != nil {
		return Area{}, false, err
	}
	if gm == "" {
		gm = gemeenteCode(a.Code)
	}
	switch a.Level {
	case LevelGemeente:
		a.Gemeente = a.Code
	case LevelWijk:
		a.Parent, a.Gemeente = gm, gm
	case LevelBuurt:
		a.Parent, a.Gemeente = wk, gm
		if a.Parent == "" {
			a.Parent = parentCode(a.Code, a.Level)
		}
	}
	return a, false, nil
}

const (
	minYear = 1900
	maxYear = 2199
)

// fillYears gives the areas without a "jaar" property the vintage from opts.Year or, when
// that is 0, from the file name.
func fillYears(raws []rawArea, opts ReadOptions) error {
	year := opts.Year
	for i := range raws {
		if raws[i].area.Year != 0 {
			continue
		}
		if year == 0 {
			if year = yearFromName(opts.Name); year == 0 {
				return errors.New("no vintage year: give --year")
			}
		}
		raws[i].area.Year = year
	}
	return nil
}

func validYear(y int) bool { return y >= minYear && y <= maxYear }

// stringProp returns the trimmed value of the first of keys that is present and not
// null, or "" when none is.
func stringProp(props map[string]any, keys ...string) (string, error) {
	for _, k := range keys {
		v, ok := props[k]
		if !ok || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%s is %s, want a string", k, jsonKind(v))
		}
		return strings.TrimSpace(s), nil
	}
	return "", nil
}

// codeProp returns a parent code property, checked to be a code of the given level.
func codeProp(props map[string]any, key string, level Level) (string, error) {
	s, err := stringProp(props, key)
	if err != nil || s == "" {
		return "", err
	}
	s = strings.ToUpper(s)
	if l, err := codeLevel(s); err != nil || l != level {
		return "", fmt.Errorf("%s %q is not a %s code", key, s, level)
	}
	return s, nil
}

// yearProp returns the "jaar" property, a number or a string, or 0 when it is absent.
func yearProp(props map[string]any) (int, error) {
	v, ok := props["jaar"]
	if !ok || v == nil {
		return 0, nil
	}
	var y int
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || v < minYear || v > maxYear {
			return 0, fmt.Errorf("jaar %v is not a year %d-%d", v, minYear, maxYear)
		}
		y = int(v)
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("jaar %q is not a year: %w", v, err)
		}
		y = n
	default:
		return 0, fmt.Errorf("jaar is %s, want a number or a string", jsonKind(v))
	}
	if !validYear(y) {
		return 0, fmt.Errorf("jaar %d is not a year %d-%d", y, minYear, maxYear)
	}
	return y, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// yearFromName returns the only 4-digit year 2000-2099 that stands alone (not part of a
// longer digit run) in the base name, or 0 when there is none or more than one.
func yearFromName(name string) int {
	base := filepath.Base(name)
	year := 0
	for i := 0; i < len(base); {
		if base[i] < '0' || base[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(base) && base[j] >= '0' && base[j] <= '9' {
			j++
		}
		if j-i == 4 {
			if y, _ := strconv.Atoi(base[i:j]); y >= 2000 && y <= 2099 {
				if year != 0 && year != y {
					return 0
				}
				year = y
			}
		}
		i = j
	}
	return year
}

// detectCRS decides the input CRS from the GeoJSON "crs" member or, without one, from the
// range of the coordinates.
func detectCRS(member *rawCRS, raws []rawArea) (CRS, error) {
	if member != nil && member.Properties.Name != "" {
		crs, err := crsFromName(member.Properties.Name)
		if err != nil {
			return "", err
		}
		return crs, nil
	}
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, r := range raws {
		for _, p := range r.area.Geometry {
			for _, ring := range p {
				for _, pt := range ring {
					b.Min[0] = math.Min(b.Min[0], pt[0])
					b.Min[1] = math.Min(b.Min[1], pt[1])
					b.Max[0] = math.Max(b.Max[0], pt[0])
					b.Max[1] = math.Max(b.Max[1], pt[1])
				}
			}
		}
	}
	switch {
	case b.Min[0] >= 0 && b.Max[0] <= 300000 && b.Min[1] >= 289000 && b.Max[1] <= 629000:
		return CRSRD, nil
	case b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90:
		return CRSWGS84, nil
	}
	return "", fmt.Errorf("coordinates (x %g..%g, y %g..%g) fit neither RD New nor WGS84: give --crs",
		b.Min[0], b.Max[0], b.Min[1], b.Max[1])
}

// crsFromName interprets the name in a GeoJSON "crs" member, such as
// "urn:ogc:def:crs:EPSG::28992", "EPSG:4326" or "urn:ogc:def:crs:OGC:1.3:CRS84".
func crsFromName(name string) (CRS, error) {
	upper := strings.ToUpper(name)
	if strings.HasSuffix(upper, "CRS84") {
		return CRSWGS84, nil
	}
	end := len(upper)
	start := end
	for start > 0 && upper[start-1] >= '0' && upper[start-1] <= '9' {
		start--
	}
	switch upper[start:end] {
	case "4326":
		return CRSWGS84, nil
	case "28992", "7415": // RD New, and RD New + NAP height
		return CRSRD, nil
	}
	return "", fmt.Errorf("unsupported crs %q: want EPSG:28992 or EPSG:4326", name)
}

// toWGS84 converts a geometry in place from crs to WGS84 and checks that every vertex
// is a valid longitude/latitude.
func toWGS84(mp orb.MultiPolygon, crs CRS) error {
	for _, p := range mp {
		for _, r := range p {
			for i, pt := range r {
				if crs == CRSRD {
					pt[0], pt[1] = RDToWGS84(pt[0], pt[1])
					r[i] = pt
				}
				if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
					return fmt.Errorf("coordinate (%g, %g) is not a valid longitude/latitude after reading as %s", r[i][0], r[i][1], crs)
				}
			}
		}
	}
	return nil
}

// mergeAreas merges features with the same code and year into one area, in order of
// first appearance.
func mergeAreas(raws []rawArea) []Area {
	type key struct {
		code string
		year int
	}
	seen := make(map[key]int, len(raws))
	areas := make([]Area, 0, len(raws))
	for _, r := range raws {
		k := key{r.area.Code, r.area.Year}
		if i, ok := seen[k]; ok {
			areas[i].Geometry = append(areas[i].Geometry, r.area.Geometry...)
			continue
		}
		seen[k] = len(areas)
		areas = append(areas, r.area)
	}
	return areas
}
