package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/forecast"
	"baken/internal/geo"
	"baken/internal/study"
)

// The analyses (issue 7): hotspots, hot times and near-repeat of a selection of
// registrations, each with the sufficiency verdict of package study, and the hotspot map
// with the latest stored forecast evaluation of the same selection beside it.

// smallCount is the largest count shown as null to actors who see aggregates only, as
// the pages show such counts as "<5".
const smallCount = 4

// analysisParams returns the query parameters of an analysis: its own, then those that
// select registrations.
func analysisParams(own ...string) []string {
	return append(own, "gemeente", "wijk", "buurt", "category", "theme", "group", "source", "from", "to")
}

// analysisSelection reads the selection from the query. The municipality is the one
// asked for, else that of the wijk or buurt, else the actor's only one; one the actor
// may not see is not found.
func (a *API) analysisSelection(q *query, actor baken.Actor) (study.Selection, error) {
	var sel study.Selection
	if v := q.area("gemeente"); v != "" {
		if l, _ := baken.LevelOfCode(v); l != baken.LevelGemeente {
			q.fail("gemeente", "%q is not a CBS gemeente code (GM0384)", v)
		}
		sel.Gemeente = v
	}
	sel.Wijk, sel.Buurt = q.area("wijk"), q.area("buurt")
	cats, filtered := a.tree.categoryFilter(q, true)
	if filtered && len(cats) == 0 && q.err() == nil {
		q.fail("category", "category, theme and group together select no category")
	}
	sel.Categories = cats
	sel.Sources = q.list("source")
	sel.From, sel.To = q.period()
	if sel.Gemeente == "" {
		switch {
		case sel.Buurt != "":
			sel.Gemeente = baken.GemeenteOfCode(sel.Buurt)
		case sel.Wijk != "":
			sel.Gemeente = baken.GemeenteOfCode(sel.Wijk)
		case !actor.AllGemeenten && len(actor.Gemeenten) == 1:
			sel.Gemeente = actor.Gemeenten[0]
		default:
			q.fail("gemeente", "give the municipality (GM0384)")
		}
	}
	if err := q.err(); err != nil {
		return sel, err
	}
	if err := sel.Check(); err != nil {
		return sel, err
	}
	if !actor.MaySee(sel.Gemeente) {
		return sel, baken.Errorf(baken.NotFound, "gemeente", "municipality %s not found", sel.Gemeente)
	}
	return sel, nil
}

// float returns a number parameter within [lo, hi], or def when absent.
func (q *query) float(name string, def, lo, hi float64) float64 {
	v := q.one(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= lo && f <= hi) {
		q.fail(name, "%q: want a number from %g to %g", v, lo, hi)
		return def
	}
	return f
}

// bands returns ascending upper bounds given as a comma-separated list, or def.
func (q *query) bands(name string, def []float64, max float64) []float64 {
	vs := q.list(name)
	if len(vs) == 0 {
		return def
	}
	var out []float64
	for _, v := range vs {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= max) || (len(out) > 0 && !(f > out[len(out)-1])) {
			q.fail(name, "%q: want ascending numbers from 0 to %g, separated by commas", strings.Join(vs, ","), max)
			return def
		}
		out = append(out, f)
	}
	if len(out) > 16 || out[len(out)-1] == 0 {
		q.fail(name, "want 1 to 16 bounds, the last above 0")
		return def
	}
	return out
}

type (
	analysisSelectionJSON struct {
		Gemeente   string   `json:"gemeente"`
		Area       string   `json:"area"`
		Categories []string `json:"categories"`
		Sources    []string `json:"sources"`
		From       *string  `json:"from"`
		To         *string  `json:"to"`
	}
	levelJSON struct {
		Share   float64       `json:"share"`
		HitRate forecast.Stat `json:"hit_rate"`
		PAI     forecast.Stat `json:"pai"`
		Pooled  float64       `json:"pooled_hit_rate"`
	}
	methodScoreJSON struct {
		Name   string      `json:"name"`
		Spec   string      `json:"spec"`
		Levels []levelJSON `json:"levels"`
	}
	evaluationJSON struct {
		RunAt       time.Time         `json:"run_at"`
		RunBy       string            `json:"run_by"`
		Selection   string            `json:"selection"`
		Events      int               `json:"events"`
		From        time.Time         `json:"from"`
		To          time.Time         `json:"to"`
		Cell        float64           `json:"cell"`
		Horizon     string            `json:"horizon"`
		Step        string            `json:"step"`
		TrainWindow string            `json:"train_window"`
		AreaCells   int               `json:"area_cells"`
		Steps       int               `json:"steps"`
		Scored      int               `json:"scored"`
		TestEvents  int               `json:"test_events"`
		Methods     []methodScoreJSON `json:"methods"`
	}
	hotspotPropsJSON struct {
		Cell  int      `json:"cell"`
		Row   int      `json:"row"`
		Col   int      `json:"col"`
		X     float64  `json:"x"`
		Y     float64  `json:"y"`
		Lon   float64  `json:"lon"`
		Lat   float64  `json:"lat"`
		Count *float64 `json:"count"`
		Z     float64  `json:"z"`
		P     float64  `json:"p"`
		Q     float64  `json:"q"`
		Hot   bool     `json:"hot"`
		Cold  bool     `json:"cold"`
	}
	hotspotFeatureJSON struct {
		Type       string           `json:"type"`
		Geometry   study.Polygon    `json:"geometry"`
		Properties hotspotPropsJSON `json:"properties"`
	}
	// hotspotMeta is what both forms of the hotspot answer hold besides the cells.
	hotspotMeta struct {
		Selection       analysisSelectionJSON `json:"selection"`
		Generated       bool                  `json:"generated"`
		CellSize        float64               `json:"cell_size"`
		Radius          int                   `json:"radius"`
		Alpha           float64               `json:"alpha"`
		StudyCells      int                   `json:"study_cells"`
		Events          int                   `json:"events"`
		Outside         int                   `json:"outside"`
		Hot             int                   `json:"hot"`
		Cold            int                   `json:"cold"`
		Verdict         study.Verdict         `json:"verdict"`
		Evaluation      *evaluationJSON       `json:"evaluation"`
		EvaluateCommand string                `json:"evaluate_command"`
		Attribution     string                `json:"attribution"`
	}
	hotspotsGeoJSON struct {
		Type     string               `json:"type"`
		Features []hotspotFeatureJSON `json:"features"`
		hotspotMeta
	}
	hotspotsCellsJSON struct {
		Cells []hotspotPropsJSON `json:"cells"`
		hotspotMeta
	}
)

func selectionJSON(sel study.Selection) analysisSelectionJSON {
	return analysisSelectionJSON{Gemeente: sel.Gemeente, Area: sel.Area(), Categories: sel.Categories, Sources: sel.Sources,
		From: nullable(sel.From), To: nullable(sel.To)}
}

// latestEvaluation returns the latest forecast evaluation of the selection, or nil.
func (a *API) latestEvaluation(ctx context.Context, sel study.Selection, cell float64) (*evaluationJSON, error) {
	ev, found, err := study.LatestEvaluation(ctx, a.db, sel, cell, study.DefaultHorizon)
	if err != nil || !found {
		return nil, err
	}
	s := ev.Summary
	out := &evaluationJSON{RunAt: ev.RunAt, RunBy: ev.RunBy, Selection: s.Selection, Events: s.Events, From: s.From, To: s.To,
		Cell: s.Cell, Horizon: s.Horizon, Step: s.Step, TrainWindow: s.TrainWindow, AreaCells: s.AreaCells, Steps: s.Steps,
		Scored: s.Scored, TestEvents: s.TestEvents, Methods: []methodScoreJSON{}}
	for _, m := range s.Methods {
		mj := methodScoreJSON{Name: m.Name, Spec: m.Spec, Levels: []levelJSON{}}
		for _, l := range m.Levels {
			mj.Levels = append(mj.Levels, levelJSON{Share: l.Share, HitRate: l.HitRate, PAI: l.PAI, Pooled: l.Pooled})
		}
		out.Methods = append(out.Methods, mj)
	}
	return out, nil
}

// hotspots answers GET /api/v1/analysis/hotspots: the Gi* cells of the selection in
// WGS84 (the significant ones, or all with all=true), the verdict of the hotspot rule
// (no cells when there are too few events), and the latest forecast evaluation of the
// same selection. Any signed-in actor of the municipality may ask; to one who sees
// aggregates only, cell counts of 1 to 4 are null.
func (a *API) hotspots(w http.ResponseWriter, r *http.Request) error {
	actor, err := actorOf(r)
	if err != nil {
		return err
	}
	q := parseQuery(r, analysisParams("cell", "radius", "alpha", "all", "format")...)
	cell := q.float("cell", analysis.DefaultCellSize, 10, 5000)
	radius := q.int("radius", 1, 1, 10)
	alpha := q.float("alpha", 0.05, 0.0001, 0.5)
	all, _ := q.bool("all")
	format := q.one("format")
	switch format {
	case "":
		format = "geojson"
	case "geojson", "json":
	default:
		q.fail("format", "%q: want geojson or json", format)
	}
	sel, err := a.analysisSelection(q, actor)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := study.Load(ctx, a.db, sel)
	if err != nil {
		return err
	}
	m, err := study.Hotspots(d.Events, d.Area, study.HotspotOptions{Cell: cell, Radius: radius, Alpha: alpha})
	if err != nil {
		return baken.Errorf(baken.Invalid, "cell", "%v", err)
	}
	meta := hotspotMeta{Selection: selectionJSON(sel), CellSize: cell, Radius: radius, Alpha: alpha, StudyCells: m.StudyCells,
		Events: m.Events, Outside: m.Outside, Hot: m.Hot, Cold: m.Cold, Verdict: m.Verdict,
		EvaluateCommand: sel.EvalCommand(cell, study.DefaultHorizon), Attribution: Attribution}
	if meta.Generated, err = study.Generated(ctx, a.db, sel); err != nil {
		return err
	}
	if meta.Evaluation, err = a.latestEvaluation(ctx, sel, cell); err != nil {
		return err
	}
	cells := m.Cells
	if !all {
		cells = m.Significant()
	}
	props := make([]hotspotPropsJSON, 0, len(cells))
	features := make([]hotspotFeatureJSON, 0, len(cells))
	for _, f := range study.HotspotFeatures(m.Grid, cells, geo.RDToWGS84) {
		p := f.Properties
		lon, lat := geo.RDToWGS84(p.X, p.Y)
		hp := hotspotPropsJSON{Cell: p.Cell, Row: p.Row, Col: p.Col, X: p.X, Y: p.Y, Lon: round6(lon), Lat: round6(lat),
			Z: p.Z, P: p.P, Q: p.Q, Hot: p.Hot, Cold: p.Cold}
		if !(actor.AggregatesOnly() && p.Count > 0 && p.Count <= smallCount) {
			count := p.Count
			hp.Count = &count
		}
		props = append(props, hp)
		features = append(features, hotspotFeatureJSON{Type: "Feature", Geometry: f.Geometry, Properties: hp})
	}
	if format == "json" {
		return writeJSON(w, http.StatusOK, contentJSON, hotspotsCellsJSON{Cells: props, hotspotMeta: meta})
	}
	return writeJSON(w, http.StatusOK, "application/geo+json", hotspotsGeoJSON{Type: "FeatureCollection", Features: features, hotspotMeta: meta})
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

type (
	hourJSON struct {
		Day      int      `json:"day"` // ISO: 1 is Monday
		Hour     int      `json:"hour"`
		Count    *int     `json:"count"`
		Residual *float64 `json:"residual"`
		P        *float64 `json:"p"`
		Q        *float64 `json:"q"`
		High     bool     `json:"high"`
		Low      bool     `json:"low"`
	}
	hotTimesJSON struct {
		Selection analysisSelectionJSON `json:"selection"`
		Generated bool                  `json:"generated"`
		TimeZone  string                `json:"time_zone"`
		Total     int                   `json:"total"`
		Untimed   int                   `json:"untimed"`
		Expected  float64               `json:"expected"`
		Tested    bool                  `json:"tested"`
		ChiSquare *float64              `json:"chi_square"`
		DF        int                   `json:"df"`
		P         *float64              `json:"p"`
		Alpha     float64               `json:"alpha"`
		Verdict   study.Verdict         `json:"verdict"`
		Hours     []hourJSON            `json:"hours"`
	}
)

// hotTimes answers GET /api/v1/analysis/hot-times: counts per hour of the week (local
// time) of the registrations whose time is known to the minute, with the chi-square test
// against a flat week and the hours that stand out when the hot-times rule allows (else
// those are null and false).
func (a *API) hotTimes(w http.ResponseWriter, r *http.Request) error {
	actor, err := actorOf(r)
	if err != nil {
		return err
	}
	q := parseQuery(r, analysisParams("alpha")...)
	alpha := q.float("alpha", 0.05, 0.0001, 0.5)
	sel, err := a.analysisSelection(q, actor)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := study.Load(ctx, a.db, sel)
	if err != nil {
		return err
	}
	res, err := study.HotTimes(d.Timed, len(d.Events)-len(d.Timed), a.loc, alpha)
	if err != nil {
		return err
	}
	hw := res.Week
	out := hotTimesJSON{Selection: selectionJSON(sel), TimeZone: a.loc.String(), Total: hw.Total, Untimed: res.Untimed,
		Expected: hw.Expected, Tested: res.Tested(), DF: hw.DF, Alpha: alpha, Verdict: res.Verdict, Hours: []hourJSON{}}
	if out.Generated, err = study.Generated(ctx, a.db, sel); err != nil {
		return err
	}
	if res.Tested() {
		out.ChiSquare, out.P = &hw.ChiSquare, &hw.P
	}
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			c := hw.Cells[d][h]
			hj := hourJSON{Day: d + 1, Hour: h, High: c.High, Low: c.Low}
			if !(actor.AggregatesOnly() && c.Count > 0 && c.Count <= smallCount) {
				hj.Count = &c.Count
			}
			if res.Tested() {
				hj.Residual, hj.P, hj.Q = &c.Residual, &c.P, &c.Q
			}
			out.Hours = append(out.Hours, hj)
		}
	}
	return writeJSON(w, http.StatusOK, contentJSON, out)
}

type nearRepeatJSON struct {
	Selection    analysisSelectionJSON    `json:"selection"`
	Generated    bool                     `json:"generated"`
	Events       int                      `json:"events"`
	Permutations int                      `json:"permutations"`
	Seed         uint64                   `json:"seed"`
	Alpha        float64                  `json:"alpha"`
	SpaceBands   []float64                `json:"space_bands"`
	TimeBands    []float64                `json:"time_bands"`
	Bands        [][]study.NearRepeatBand `json:"bands"`
	Verdict      study.Verdict            `json:"verdict"`
	RiskZone     *study.RiskZone          `json:"risk_zone"`
}

// nearRepeat answers GET /api/v1/analysis/near-repeat: the Knox test of the registrations
// known to the day or the minute, per distance and time band, and the risk zone when the
// near-repeat rule allows and the nearest band is significant.
func (a *API) nearRepeat(w http.ResponseWriter, r *http.Request) error {
	actor, err := actorOf(r)
	if err != nil {
		return err
	}
	q := parseQuery(r, analysisParams("space_bands", "time_bands", "permutations", "seed", "alpha")...)
	opts := study.NearRepeatOptions{
		SpaceBands:   q.bands("space_bands", study.DefaultSpaceBands(), 5000),
		TimeBands:    q.bands("time_bands", study.DefaultTimeBands(), 365),
		Permutations: q.int("permutations", 99, 1, 999),
		Seed:         uint64(q.int("seed", 1, 0, math.MaxInt32)),
		Alpha:        q.float("alpha", 0.05, 0.0001, 0.5),
	}
	sel, err := a.analysisSelection(q, actor)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := study.Load(ctx, a.db, sel)
	if err != nil {
		return err
	}
	res, err := study.NearRepeat(d.Dated, opts)
	if err != nil {
		return baken.Errorf(baken.Invalid, "space_bands", "%v", err)
	}
	out := nearRepeatJSON{Selection: selectionJSON(sel), Events: len(d.Dated), Permutations: opts.Permutations, Seed: opts.Seed,
		Alpha: opts.Alpha, SpaceBands: opts.SpaceBands, TimeBands: opts.TimeBands, Bands: res.Bands(), Verdict: res.Verdict, RiskZone: res.Zone}
	if out.Bands == nil {
		out.Bands = [][]study.NearRepeatBand{}
	}
	if out.Generated, err = study.Generated(ctx, a.db, sel); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, contentJSON, out)
}

// analysisRoutes registers the analyses.
func (a *API) analysisRoutes(mux *http.ServeMux, authed func(handler) http.Handler) {
	mux.Handle("GET "+Prefix+"/analysis/hotspots", authed(a.hotspots))
	mux.Handle("GET "+Prefix+"/analysis/hot-times", authed(a.hotTimes))
	mux.Handle("GET "+Prefix+"/analysis/near-repeat", authed(a.nearRepeat))
}
