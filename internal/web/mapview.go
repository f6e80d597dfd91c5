package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

// The map's measures, as they appear in the query string (?maat=).
const (
	measureCount = "aantal"
	measureRate  = "per1000"
)

// mapClasses is the most classes a choropleth has besides zero and "no figure".
const mapClasses = 5

// pdokTiles is the PDOK BRT-Achtergrondkaart in Web Mercator, the tiling Leaflet uses
// by default.
const pdokTiles = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"

// baseMap returns the tile URL template and its attribution for a Config.BaseMap
// setting; "" means no base map. Only http(s) URLs and paths on this site are taken.
func baseMap(setting string) (tiles, attribution string) {
	switch {
	case setting == "":
		return "", ""
	case setting == "pdok":
		return pdokTiles, "Kaartgegevens © Kadaster"
	case strings.HasPrefix(setting, "https://"), strings.HasPrefix(setting, "http://"),
		strings.HasPrefix(setting, "/") && !strings.HasPrefix(setting, "//"):
		return setting, ""
	}
	return "", ""
}

// BaseMapOrigin returns the origin (scheme and host) that a BaseMap setting fetches
// tiles from, for the server's Content-Security-Policy img-src; "" when the setting
// fetches nothing from elsewhere.
func BaseMapOrigin(setting string) string {
	tiles, _ := baseMap(setting)
	u, err := url.Parse(tiles)
	if tiles == "" || err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// mapQuery is what the map shows, from the query string.
type mapQuery struct {
	Gemeente string
	Year     int
	Theme    string // "" for every theme
	Measure  string
}

// values returns the query as URL parameters, for the data link and the table.
func (q mapQuery) values() url.Values {
	v := url.Values{"gemeente": {q.Gemeente}, "jaar": {strconv.Itoa(q.Year)}, "maat": {q.Measure}}
	if q.Theme != "" {
		v.Set("thema", q.Theme)
	}
	return v
}

// rollups returns the rollup filter of the query's year and theme.
func (q mapQuery) rollups(w *Web) store.RollupFilter {
	f := store.RollupFilter{Gemeenten: []string{q.Gemeente}, From: fmt.Sprintf("%d-01-01", q.Year), To: fmt.Sprintf("%d-12-31", q.Year)}
	if q.Theme != "" {
		f.Categories = w.tree.byTheme[q.Theme]
	}
	return f
}

// yearsWithData returns the years between the first and the last with registrations or
// counts in the municipality, ascending.
func (w *Web) yearsWithData(ctx context.Context, gm string) ([]int, error) {
	pts, err := w.cfg.DB.Trend(ctx, store.RollupFilter{Gemeenten: []string{gm}}, store.IntervalYear)
	if err != nil {
		return nil, err
	}
	var years []int
	for _, p := range pts {
		if y, err := strconv.Atoi(p.Period); err == nil {
			years = append(years, y)
		}
	}
	return years, nil
}

// yearParam returns ?jaar= when it is one of years, the latest of years when it is absent.
func (w *Web) yearParam(r *http.Request, years []int) (int, error) {
	s := r.URL.Query().Get("jaar")
	if s == "" {
		if len(years) == 0 {
			return 0, nil
		}
		return years[len(years)-1], nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || !slices.Contains(years, y) {
		return 0, w.fail(r, baken.Invalid, "jaar", "map.error.year", s)
	}
	return y, nil
}

// mapTheme is a theme in a select.
type mapTheme struct {
	Code, Name string
}

// mapThemes lists the themes that have categories, in the tree's order.
func (w *Web) mapThemes(l Lang) []mapTheme {
	var out []mapTheme
	for _, th := range w.tree.tree.Themes {
		if len(w.tree.byTheme[th.Code]) > 0 {
			out = append(out, mapTheme{Code: th.Code, Name: name(th.Name, l)})
		}
	}
	return out
}

// areasInForce returns the municipality's areas of one level from the vintage that
// applies to year: the latest vintage not after it, else the earliest loaded.
func (w *Web) areasInForce(r *http.Request, gm string, year int, level baken.AreaLevel, withGeometry bool) ([]baken.Area, error) {
	return w.areasInForceAt(r.Context(), gm, year, level, withGeometry)
}

// areasInForceAt is areasInForce for a context.
func (w *Web) areasInForceAt(ctx context.Context, gm string, year int, level baken.AreaLevel, withGeometry bool) ([]baken.Area, error) {
	all, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Gemeente: &gm, Level: &level, WithGeometry: withGeometry})
	if err != nil {
		return nil, err
	}
	vintage := 0
	for _, a := range all { // ordered by year
		if a.Year <= year || vintage == 0 {
			vintage = a.Year
		}
	}
	var out []baken.Area
	for _, a := range all {
		if a.Year == vintage {
			out = append(out, a)
		}
	}
	return out, nil
}

// mapArea is one area of the map and its row in the table.
type mapArea struct {
	Code, Name     string
	Wijk, WijkName string // for a buurt
	Count          int
	CountText      string
	Population     int
	HasPopulation  bool
	Rate           float64
	HasRate        bool
	RateText       string
	Class          string // "0" to "5", or "none" (no rate)
	ClassLabel     string // the class's legend text
	URL            string // the buurt profile
	geometry       []byte
	bound          [4]float64 // minLon, minLat, maxLon, maxLat
}

// legendClass is one class of the choropleth with its legend text.
type legendClass struct {
	Class string `json:"class"`
	Label string `json:"label"`
}

// mapModel is what the map page and its data share.
type mapModel struct {
	Query   mapQuery
	Level   baken.AreaLevel
	Areas   []mapArea
	Classes []legendClass
	Total   int
	// RatesByWijk says that rates are shown per wijk because the buurten have no
	// population figures.
	RatesByWijk bool
}

// buildMap counts the areas of the query and classifies them, with their texts in p's
// language and small counts hidden as p's actor sees them.
func (w *Web) buildMap(ctx context.Context, p Page, q mapQuery, withGeometry bool) (mapModel, error) {
	m := mapModel{Query: q, Level: baken.LevelBuurt}
	pop, err := w.populationAt(ctx, q.Year)
	if err != nil {
		return m, err
	}
	if q.Measure == measureRate {
		// A rate needs inhabitants; CBS publishes them per buurt in some sets and only
		// per wijk in others. Show the finest level that has them.
		buurten, err := w.areasInForceAt(ctx, q.Gemeente, q.Year, baken.LevelBuurt, false)
		if err != nil {
			return m, err
		}
		if !slices.ContainsFunc(buurten, func(a baken.Area) bool { _, ok := pop[a.Code]; return ok }) {
			m.Level, m.RatesByWijk = baken.LevelWijk, true
		}
	}
	areas, err := w.areasInForceAt(ctx, q.Gemeente, q.Year, m.Level, withGeometry)
	if err != nil {
		return m, err
	}
	wijkNames := map[string]string{}
	if m.Level == baken.LevelBuurt {
		wijken, err := w.areasInForceAt(ctx, q.Gemeente, q.Year, baken.LevelWijk, false)
		if err != nil {
			return m, err
		}
		for _, a := range wijken {
			wijkNames[a.Code] = a.Name
		}
	}
	counts, err := w.cfg.DB.CountsByArea(ctx, q.rollups(w), m.Level)
	if err != nil {
		return m, err
	}
	byCode := map[string]int{}
	for _, c := range counts {
		byCode[c.Area] = c.Count
	}
	for _, a := range areas {
		ma := mapArea{Code: a.Code, Name: a.Name, Count: byCode[a.Code], geometry: a.Geometry,
			bound: [4]float64{a.MinLon, a.MinLat, a.MaxLon, a.MaxLat}}
		ma.CountText = p.Count(ma.Count)
		if m.Level == baken.LevelBuurt {
			ma.Wijk, ma.WijkName = a.Parent, wijkNames[a.Parent]
			ma.URL = "/buurten/" + a.Code + "?jaar=" + strconv.Itoa(q.Year)
		}
		if n, ok := pop[a.Code]; ok {
			ma.Population, ma.HasPopulation = n, true
			// A rate would give away a count that is shown as "<5".
			if n >= baken.MinPopulationForRate && !p.hides(ma.Count) {
				ma.Rate, ma.HasRate = 1000*float64(ma.Count)/float64(n), true
				ma.RateText = p.Float(ma.Rate, 1)
			}
		}
		m.Total += ma.Count
		m.Areas = append(m.Areas, ma)
	}
	slices.SortFunc(m.Areas, func(a, b mapArea) int {
		return cmp.Or(cmp.Compare(a.WijkName, b.WijkName), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code))
	})
	suppress := p.Actor != nil && p.Actor.AggregatesOnly()
	if q.Measure == measureRate {
		m.Classes = classifyRates(p, m.Areas)
	} else {
		m.Classes = classifyCounts(p, m.Areas, suppress)
	}
	labels := map[string]string{}
	for _, c := range m.Classes {
		labels[c.Class] = c.Label
	}
	for i := range m.Areas {
		m.Areas[i].ClassLabel = labels[m.Areas[i].Class]
	}
	return m, nil
}

// hides reports whether the page shows n as "<5".
func (p Page) hides(n int) bool {
	return p.Actor != nil && p.Actor.AggregatesOnly() && n > 0 && n <= SmallCount
}

// classifyCounts puts the areas in classes by count: zero, then up to mapClasses
// classes of about equal size (quantiles). Where small counts are suppressed no class
// boundary falls below SmallCount, so that the colours do not tell what "<5" hides.
func classifyCounts(p Page, areas []mapArea, suppress bool) []legendClass {
	var nz []int
	for _, a := range areas {
		if a.Count > 0 {
			nz = append(nz, a.Count)
		}
	}
	slices.Sort(nz)
	var breaks []int
	k := min(mapClasses, len(nz))
	for i := 1; i <= k; i++ {
		b := nz[(i*len(nz)+k-1)/k-1]
		if suppress && b < SmallCount {
			b = SmallCount
		}
		if len(breaks) == 0 || b > breaks[len(breaks)-1] {
			breaks = append(breaks, b)
		}
	}
	for i := range areas {
		areas[i].Class = "0"
		if areas[i].Count > 0 {
			j, _ := slices.BinarySearch(breaks, areas[i].Count)
			areas[i].Class = strconv.Itoa(j + 1)
		}
	}
	classes := []legendClass{{Class: "0", Label: p.Int(0)}}
	lo := 1
	for i, hi := range breaks {
		label := p.Int(lo) + "–" + p.Int(hi)
		switch {
		case suppress && hi <= SmallCount:
			label = "<5"
		case lo == hi:
			label = p.Int(hi)
		}
		classes = append(classes, legendClass{Class: strconv.Itoa(i + 1), Label: label})
		lo = hi + 1
	}
	return classes
}

// classifyRates puts the areas with a rate in classes by rate (one decimal, as shown),
// and those without one (population unknown or under the minimum) in "none".
func classifyRates(p Page, areas []mapArea) []legendClass {
	tenths := func(f float64) int { return int(math.Round(f * 10)) }
	var nz []int
	for _, a := range areas {
		if a.HasRate && tenths(a.Rate) > 0 {
			nz = append(nz, tenths(a.Rate))
		}
	}
	slices.Sort(nz)
	var breaks []int
	k := min(mapClasses, len(nz))
	for i := 1; i <= k; i++ {
		b := nz[(i*len(nz)+k-1)/k-1]
		if len(breaks) == 0 || b > breaks[len(breaks)-1] {
			breaks = append(breaks, b)
		}
	}
	none := false
	for i := range areas {
		switch t := tenths(areas[i].Rate); {
		case !areas[i].HasRate:
			areas[i].Class, none = "none", true
		case t == 0:
			areas[i].Class = "0"
		default:
			j, _ := slices.BinarySearch(breaks, t)
			areas[i].Class = strconv.Itoa(j + 1)
		}
	}
	classes := []legendClass{{Class: "0", Label: p.Float(0, 1)}}
	lo := 1
	for i, hi := range breaks {
		label := p.Float(float64(lo)/10, 1) + "–" + p.Float(float64(hi)/10, 1)
		if lo == hi {
			label = p.Float(float64(hi)/10, 1)
		}
		classes = append(classes, legendClass{Class: strconv.Itoa(i + 1), Label: label})
		lo = hi + 1
	}
	if none {
		classes = append(classes, legendClass{Class: "none", Label: p.T("map.legend.none")})
	}
	return classes
}

// parseMapQuery reads the map's query string; an unknown theme, measure or year is
// Invalid.
func (w *Web) parseMapQuery(r *http.Request, gm string, years []int) (mapQuery, error) {
	q := mapQuery{Gemeente: gm, Theme: r.URL.Query().Get("thema"), Measure: r.URL.Query().Get("maat")}
	switch q.Measure {
	case "":
		q.Measure = measureCount
	case measureCount, measureRate:
	default:
		return q, w.fail(r, baken.Invalid, "maat", "map.error.measure", q.Measure, measureCount, measureRate)
	}
	if q.Theme != "" && len(w.tree.byTheme[q.Theme]) == 0 {
		return q, w.fail(r, baken.Invalid, "thema", "error.theme", q.Theme)
	}
	var err error
	q.Year, err = w.yearParam(r, years)
	return q, err
}

// mapPage is the map with its legend, filters and table.
type mapPage struct {
	Page
	mapModel
	GemeenteName string
	Years        []int
	Themes       []mapTheme
	ThemeName    string
	// Through is the last day with registrations of a year that has none after it
	// ("20 november"), empty for a complete year: the heading says the year is partial.
	Through     string
	NoData      bool
	DataURL     string
	Tiles       string
	TilesCredit string
	SVG         mapSVG
}

// IsRate reports whether the map shows rates.
func (p mapPage) IsRate() bool { return p.Query.Measure == measureRate }

// IsBuurt reports whether the map shows buurten.
func (p mapPage) IsBuurt() bool { return p.Level == baken.LevelBuurt }

func (w *Web) municipalityName(ctx context.Context, gm string) string {
	if as, err := w.cfg.DB.FindAreas(ctx, store.AreaFilter{Code: &gm}); err == nil && len(as) > 0 {
		return as[len(as)-1].Name
	}
	return gm
}

// mapCacheSize bounds the cache of computed maps: per gemeente and version a few years,
// themes and measures in two languages.
const mapCacheSize = 512

// mapKey names a computed map: the gemeente's data version and what the actor sees
// (dataKey), the query, and the language of its texts. Like the dashboard's, an entry is
// never stale: new data raise the version.
type mapKey struct {
	dataKey
	Query mapQuery
	Lang  Lang
}

// mapData is what the map page and its GeoJSON compute from the store. It is shared
// between requests through the cache: never change it after it is made.
type mapData struct {
	// Years and GemeenteName are all a key with a zero Query holds.
	Years        []int
	GemeenteName string
	Model        mapModel
	SVG          mapSVG
	GeoJSON      []byte
	// Through is the last day with registrations of the query's year when the year has
	// none after it (YYYY-MM-DD), empty for a complete year.
	Through string
}

// mapFor returns the map of the request's gemeente and query from the cache, computing
// what is missing: first the years with data (which the query is checked against), then
// the map. The store is asked only for the data version when both are cached.
func (w *Web) mapFor(r *http.Request, a baken.Actor, p Page) (*mapData, *mapData, mapQuery, error) {
	ctx := r.Context()
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return nil, nil, mapQuery{}, err
	}
	v, err := w.cfg.DB.DataVersion(ctx, gm)
	if err != nil {
		return nil, nil, mapQuery{}, err
	}
	dk := dataKey{Gemeente: gm, Version: v, AggregatesOnly: a.AggregatesOnly()}
	base, _, err := w.maps.get(ctx, mapKey{dataKey: dk}, func(ctx context.Context) (*mapData, error) {
		years, err := w.yearsWithData(ctx, gm)
		if err != nil {
			return nil, err
		}
		return &mapData{Years: years, GemeenteName: w.municipalityName(ctx, gm)}, nil
	})
	if err != nil {
		return nil, nil, mapQuery{}, err
	}
	q, err := w.parseMapQuery(r, gm, base.Years)
	if err != nil || len(base.Years) == 0 {
		return base, nil, q, err
	}
	m, _, err := w.maps.get(ctx, mapKey{dataKey: dk, Query: q, Lang: p.Lang}, func(ctx context.Context) (*mapData, error) {
		return w.computeMap(ctx, p, q)
	})
	return base, m, q, err
}

// computeMap builds the map of q with its drawing and its GeoJSON.
func (w *Web) computeMap(ctx context.Context, p Page, q mapQuery) (*mapData, error) {
	m, err := w.buildMap(ctx, p, q, true)
	if err != nil {
		return nil, err
	}
	d := &mapData{Model: m, SVG: drawMap(m.Areas, p)}
	if d.Through, err = w.lastDay(ctx, q.Gemeente, q.Year); err != nil {
		return nil, err
	}
	if d.GeoJSON, err = json.Marshal(mapGeoJSON(p, q, m)); err != nil {
		return nil, fmt.Errorf("map data: %w", err)
	}
	return d, nil
}

func (w *Web) mapView(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	pg := w.page(r, "", "kaart")
	base, m, q, err := w.mapFor(r, a, pg)
	if err != nil {
		return err
	}
	p := mapPage{Page: pg, GemeenteName: base.GemeenteName, Years: base.Years}
	p.Title = p.T("map.title")
	p.Themes = w.mapThemes(p.Lang)
	if q.Theme != "" {
		p.ThemeName = name(w.tree.themes[q.Theme].Name, p.Lang)
	}
	if m == nil {
		p.NoData, p.Query = true, q
		return w.render(rw, r, http.StatusOK, "map", p)
	}
	p.mapModel, p.SVG = m.Model, m.SVG
	if t, err := time.Parse(time.DateOnly, m.Through); err == nil {
		p.Through = formatDayMonth(p.Lang, t)
	}
	p.DataURL = "/kaart/gegevens.json?" + q.values().Encode()
	p.Tiles, p.TilesCredit = baseMap(w.cfg.BaseMap)
	return w.render(rw, r, http.StatusOK, "map", p)
}

// The GeoJSON the map script draws (RFC 7946), with the legend and the query as foreign
// members of the collection.
type (
	geoJSONCollection struct {
		Type        string           `json:"type"`
		BBox        []float64        `json:"bbox,omitempty"`
		Features    []geoJSONFeature `json:"features"`
		Gemeente    string           `json:"gemeente"`
		Level       baken.AreaLevel  `json:"level"`
		Year        int              `json:"year"`
		Theme       string           `json:"theme"`
		Measure     string           `json:"measure"`
		RatesByWijk bool             `json:"ratesByWijk"`
		Total       *int             `json:"total"`
		Classes     []legendClass    `json:"classes"`
		Credit      string           `json:"credit"`
	}
	geoJSONFeature struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Properties geoJSONProps    `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	}
	geoJSONProps struct {
		Code       string   `json:"code"`
		Name       string   `json:"name"`
		Wijk       string   `json:"wijk,omitempty"`
		Count      *int     `json:"count"` // null where a small count is suppressed
		CountText  string   `json:"countText"`
		Population *int     `json:"population"`
		Rate       *float64 `json:"rate"`
		RateText   string   `json:"rateText,omitempty"`
		Class      string   `json:"class"`
		URL        string   `json:"url,omitempty"`
	}
)

func (w *Web) mapData(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	p := w.page(r, "", "kaart")
	_, m, q, err := w.mapFor(r, a, p)
	if err != nil {
		return err
	}
	b := []byte(nil)
	if m != nil {
		b = m.GeoJSON
	} else if b, err = json.Marshal(emptyGeoJSON(p, q)); err != nil {
		return fmt.Errorf("map data: %w", err)
	}
	rw.Header().Set("Content-Type", "application/geo+json")
	rw.Header().Set("Cache-Control", "no-store")
	_, err = rw.Write(b)
	return err
}

// emptyGeoJSON is the collection of a query without data.
func emptyGeoJSON(p Page, q mapQuery) geoJSONCollection {
	return geoJSONCollection{Type: "FeatureCollection", Features: []geoJSONFeature{}, Gemeente: q.Gemeente, Level: baken.LevelBuurt,
		Year: q.Year, Theme: q.Theme, Measure: q.Measure, Classes: []legendClass{}, Credit: p.Credit()}
}

// mapGeoJSON is the collection of a map, with small counts hidden from p's actor.
func mapGeoJSON(p Page, q mapQuery, m mapModel) geoJSONCollection {
	fc := emptyGeoJSON(p, q)
	fc.Level, fc.RatesByWijk, fc.Classes = m.Level, m.RatesByWijk, m.Classes
	suppress := p.Actor != nil && p.Actor.AggregatesOnly()
	if !suppress || m.Total > SmallCount {
		fc.Total = &m.Total
	}
	var bound [4]float64
	for i, ar := range m.Areas {
		f := geoJSONFeature{Type: "Feature", ID: ar.Code, Geometry: ar.geometry,
			Properties: geoJSONProps{Code: ar.Code, Name: ar.Name, Wijk: ar.Wijk, CountText: ar.CountText, Class: ar.Class, URL: ar.URL, RateText: ar.RateText}}
		if len(f.Geometry) == 0 {
			f.Geometry = json.RawMessage("null")
		}
		if !suppress || ar.Count == 0 || ar.Count > SmallCount {
			f.Properties.Count = &m.Areas[i].Count
		}
		if ar.HasPopulation {
			f.Properties.Population = &m.Areas[i].Population
		}
		if ar.HasRate {
			rate := math.Round(ar.Rate*10) / 10
			f.Properties.Rate = &rate
		}
		fc.Features = append(fc.Features, f)
		bound = extendBound(bound, i == 0, ar)
	}
	if len(m.Areas) > 0 {
		fc.BBox = bound[:]
	}
	return fc
}

// extendBound grows a [minLon, minLat, maxLon, maxLat] box by an area's.
func extendBound(b [4]float64, first bool, a mapArea) [4]float64 {
	if first {
		return a.bound
	}
	return [4]float64{min(b[0], a.bound[0]), min(b[1], a.bound[1]), max(b[2], a.bound[2]), max(b[3], a.bound[3])}
}

// mapSVG is the map drawn on the server: what a browser without JavaScript shows, and
// what the script replaces by the interactive map.
type mapSVG struct {
	Width, Height int
	Paths         []svgPath
}

type svgPath struct {
	D, Class, Title string
}

// svgWidth is the drawn map's width in SVG units; the height follows the areas.
const svgWidth = 720

// drawMap projects the areas' outlines onto an SVG: longitude scaled by the cosine of
// the middle latitude, which is close enough for a municipality.
func drawMap(areas []mapArea, p Page) mapSVG {
	var shapes []geo.Area
	var idx []int
	for i, a := range areas {
		g, err := geo.FromStored(baken.Area{Code: a.Code, Geometry: a.geometry})
		if err != nil {
			continue
		}
		shapes, idx = append(shapes, g), append(idx, i)
	}
	if len(shapes) == 0 {
		return mapSVG{}
	}
	b := shapes[0].Bound()
	for _, s := range shapes[1:] {
		b = b.Union(s.Bound())
	}
	kx := math.Cos((b.Min.Lat() + b.Max.Lat()) / 2 * math.Pi / 180)
	w, h := (b.Max.Lon()-b.Min.Lon())*kx, b.Max.Lat()-b.Min.Lat()
	if w <= 0 || h <= 0 {
		return mapSVG{}
	}
	scale := float64(svgWidth-8) / w
	out := mapSVG{Width: svgWidth, Height: int(math.Ceil(h*scale)) + 8}
	for n, s := range shapes {
		var d strings.Builder
		for _, poly := range s.Geometry {
			for _, ring := range poly {
				for j, pt := range ring {
					x := 4 + (pt.Lon()-b.Min.Lon())*kx*scale
					y := 4 + (b.Max.Lat()-pt.Lat())*scale
					if j == 0 {
						d.WriteByte('M')
					} else {
						d.WriteByte('L')
					}
					d.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
					d.WriteByte(',')
					d.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
				}
				d.WriteByte('Z')
			}
		}
		a := areas[idx[n]]
		title := a.Name + ": " + a.CountText
		if a.HasRate {
			title += " (" + a.RateText + " " + p.T("map.perthousand") + ")"
		}
		out.Paths = append(out.Paths, svgPath{D: d.String(), Class: a.Class, Title: title})
	}
	return out
}
