package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/study"
)

// The analysis page (/analyse, issue 7): hotspots on a grid, hot times and near-repeat of
// a selection, each only where package study's rules say there are enough registrations,
// and beside the map the latest evaluation of forecasts on the same selection.

// analysisCellSizes returns the cell sizes the form offers, in metres.
func analysisCellSizes() []int { return []int{100, 125, 150, 200, 250, 300, 400, 500} }

// nearRepeatMaxEvents bounds the registrations the page runs the Knox test on: its cost
// grows with the pairs, and the command line has no such limit.
const nearRepeatMaxEvents = 5000

// analysisQuery is the page's selection, as it appears in the query string.
type analysisQuery struct {
	Gemeente string
	Theme    string // thema
	Category string // categorie
	From, To string // van, tot: YYYY-MM-DD
	Cell     int    // cel, metres
}

// values returns the query as URL parameters.
func (q analysisQuery) values() url.Values {
	v := url.Values{"gemeente": {q.Gemeente}, "cel": {strconv.Itoa(q.Cell)}}
	for _, p := range []struct{ k, v string }{{"thema", q.Theme}, {"categorie", q.Category}, {"van", q.From}, {"tot", q.To}} {
		if p.v != "" {
			v.Set(p.k, p.v)
		}
	}
	return v
}

// parseAnalysisQuery reads the page's query: a theme or a category of the tree, days, a
// cell size the form offers. Anything else is Invalid.
func (w *Web) parseAnalysisQuery(r *http.Request, gm string) (analysisQuery, study.Selection, error) {
	v := r.URL.Query()
	q := analysisQuery{Gemeente: gm, Theme: v.Get("thema"), Category: v.Get("categorie"), From: v.Get("van"), To: v.Get("tot"),
		Cell: analysis.DefaultCellSize}
	sel := study.Selection{Gemeente: gm, From: q.From, To: q.To}
	for _, d := range [...]struct{ field, day string }{{"van", q.From}, {"tot", q.To}} {
		if _, err := time.Parse(time.DateOnly, d.day); d.day != "" && err != nil {
			return q, sel, w.fail(r, baken.Invalid, d.field, "error.day", d.day)
		}
	}
	if q.From != "" && q.To != "" && q.To < q.From {
		return q, sel, w.fail(r, baken.Invalid, "tot", "error.period", q.To, q.From)
	}
	if s := v.Get("cel"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(analysisCellSizes(), n) {
			return q, sel, w.fail(r, baken.Invalid, "cel", "analysis.error.cell", s)
		}
		q.Cell = n
	}
	switch {
	case q.Category != "":
		c, ok := w.tree.categories[q.Category]
		if !ok {
			return q, sel, w.fail(r, baken.Invalid, "categorie", "error.category", q.Category)
		}
		if q.Theme != "" && c.Theme != q.Theme {
			return q, sel, w.fail(r, baken.Invalid, "categorie", "error.categoryoftheme", q.Category, q.Theme)
		}
		sel.Categories = []string{q.Category}
	case q.Theme != "":
		if len(w.tree.byTheme[q.Theme]) == 0 {
			return q, sel, w.fail(r, baken.Invalid, "thema", "error.theme", q.Theme)
		}
		sel.Categories = slices.Clone(w.tree.byTheme[q.Theme])
	}
	if err := sel.Check(); err != nil {
		var fe baken.FieldErrors
		if errors.As(err, &fe) && len(fe) > 0 {
			// Name the form's field, as the page calls it.
			e := *fe[0]
			e.Field = map[string]string{"from": "van", "to": "tot"}[e.Field]
			return q, sel, &e
		}
		return q, sel, err
	}
	return q, sel, nil
}

// verdictView is a sufficiency verdict in the page's language.
type verdictView struct {
	OK, Caution bool
	Text        string
	Advice      []string
}

// verdict says a study.Verdict in the page's language; cells is the number of study
// cells of a hotspot verdict. Advice the page cannot follow is left out: a radius (the
// page keeps 3 x 3 cells), a longer period when the whole history is selected already,
// more categories when every category is selected.
func (p Page) verdict(v study.Verdict, q analysisQuery, cells int) verdictView {
	out := verdictView{OK: v.OK(), Caution: v.Level == study.Caution}
	d1 := func(f float64) string { return p.Float(f, 1) }
	switch v.Statistic + "/" + string(v.Level) {
	case "hotspots/too-few":
		switch {
		case len(v.Advice) == 1 && v.Advice[0].Change == "area":
			out.Text = p.T("analysis.verdict.hotspots.area")
		case v.Events == 0:
			out.Text = p.T("analysis.verdict.hotspots.none")
		case v.Uneven():
			out.Text = p.T("analysis.verdict.hotspots.uneven", p.Int(v.Events), p.Int(cells), p.Int(q.Cell), d1(v.Have), p.Int(int(v.Need)))
		default:
			out.Text = p.T("analysis.verdict.hotspots.toofew", p.Int(v.Events), p.Int(cells), p.Int(q.Cell), d1(v.Have), p.Int(int(v.Need)))
		}
	case "hotspots/caution":
		if v.PValues == "exact" {
			out.Text = p.T("analysis.verdict.hotspots.exact", d1(v.Have), p.Int(study.HotspotNormalPerNeighbourhood))
			break
		}
		out.Text = p.T("analysis.verdict.hotspots.caution", p.Float(v.Have, 0), p.Int(study.HotspotGoodPerNeighbourhood))
	case "hotspots/enough":
		out.Text = p.T("analysis.verdict.hotspots.enough", p.Float(v.Have, 0))
	case "hot-times/too-few":
		out.Text = p.T("analysis.verdict.hottimes.toofew", p.Int(v.Events), d1(v.Have), p.Int(int(v.Need)), p.Int(study.HotTimesMinEvents))
	case "hot-times/enough":
		out.Text = p.T("analysis.verdict.hottimes.enough", p.Int(v.Events), d1(v.Have))
	case "near-repeat/too-few":
		out.Text = p.T("analysis.verdict.nearrepeat.toofew", p.Int(v.Events), d1(v.Have), p.Int(int(v.Need)))
	case "near-repeat/enough":
		out.Text = p.T("analysis.verdict.nearrepeat.enough", d1(v.Have))
	default:
		out.Text = v.Message
	}
	for _, a := range v.Advice {
		switch a.Change {
		case "cell":
			out.Advice = append(out.Advice, p.T("analysis.advice.cell", p.Int(int(a.Value))))
		case "period":
			if q.From == "" && q.To == "" {
				continue
			}
			if a.Value > 0 {
				out.Advice = append(out.Advice, p.T("analysis.advice.period", p.Float(a.Value, decimalsOf(a.Value))))
			} else {
				out.Advice = append(out.Advice, p.T("analysis.advice.period.longer"))
			}
		case "categories":
			if q.Category != "" || q.Theme != "" {
				out.Advice = append(out.Advice, p.T("analysis.advice.categories"))
			}
		case "bands":
			out.Advice = append(out.Advice, p.T("analysis.advice.bands", p.Int(int(a.Value))))
		case "area":
			out.Advice = append(out.Advice, p.T("analysis.advice.area"))
		}
	}
	return out
}

// decimalsOf is 0 for a whole number, else 1: "79 keer", "1,3 keer".
func decimalsOf(v float64) int {
	if v == float64(int64(v)) {
		return 0
	}
	return 1
}

// hotspotRow is one significant cell in the table beside the map.
type hotspotRow struct {
	Hot         bool
	Row, Col    int
	Lat, Lon    string
	Count, Z, Q string
	KindText    string
}

type hotspotView struct {
	Verdict                  verdictView
	Events, StudyCells, Hot  int
	Cold, Outside            int
	Rows                     []hotspotRow
	DataURL, OutlinesURL     string
	Tiles, TilesCredit       string
	MapShown, NoSignificance bool
}

// hourCell is one hour of the hot-times table.
type hourCell struct {
	Hour      int
	Count     int
	Class     int
	High, Low bool
}

type hourRow struct {
	Day   string
	Cells []hourCell
	Total int
}

type hotTimesView struct {
	Verdict      verdictView
	Tested       bool
	Rows         []hourRow
	HourTotals   []int
	Total        int
	Untimed      int
	Legend       []legendClass
	Test         string
	StandOut     []string // the strongest, most first
	MoreStandOut int      // hours that stand out beyond those listed
}

// maxStandOut is the most hours the page lists as standing out.
const maxStandOut = 12

type nearRepeatCell struct {
	Ratio, P, Observed string
	Significant        bool
}

type nearRepeatRow struct {
	Label string
	Cells []nearRepeatCell
}

type nearRepeatView struct {
	Shown      bool
	Reason     string
	Verdict    verdictView
	Events     int
	TimeLabels []string
	Rows       []nearRepeatRow
	Sentence   string
}

type evaluationMethod struct {
	Name, HitRate, PAI string
	Best               bool
	pai                float64
}

type evaluationView struct {
	Found       bool
	Date, By    string
	Period      string
	Horizon     string
	Scored      int
	Steps       int
	Methods     []evaluationMethod
	Command     string
	Selection   string
	NoneScored  bool
	CellMetres  int
	EventsCount int
}

// analysisPage is the analysis page.
type analysisPage struct {
	Page
	Query          analysisQuery
	GemeenteName   string
	Themes         []mapTheme
	CategoryGroups []categoryGroup
	CellSizes      []int
	Generated      bool
	Events         int
	Hotspots       hotspotView
	HotTimes       hotTimesView
	NearRepeat     nearRepeatView
	Evaluation     evaluationView
}

type categoryOption struct{ Code, Name string }

type categoryGroup struct {
	Theme      string
	Categories []categoryOption
}

// categoryGroups lists the categories per theme, in the tree's order.
func (w *Web) categoryGroups(l Lang) []categoryGroup {
	var out []categoryGroup
	for _, th := range w.tree.tree.Themes {
		g := categoryGroup{Theme: name(th.Name, l)}
		for _, c := range w.tree.tree.Categories {
			if c.Theme == th.Code {
				g.Categories = append(g.Categories, categoryOption{Code: c.Code, Name: name(c.Name, l)})
			}
		}
		if len(g.Categories) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (w *Web) analysisView(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	q, sel, err := w.parseAnalysisQuery(r, gm)
	if err != nil {
		return err
	}
	p := analysisPage{Page: w.page(r, "", "analyse"), Query: q, GemeenteName: w.municipalityName(r.Context(), gm), CellSizes: analysisCellSizes()}
	p.Title = p.T("analysis.title")
	p.Themes = w.mapThemes(p.Lang)
	p.CategoryGroups = w.categoryGroups(p.Lang)
	ctx := r.Context()
	d, err := study.Load(ctx, w.cfg.DB, sel)
	if err != nil {
		return err
	}
	p.Events = len(d.Events)
	if p.Generated, err = study.Generated(ctx, w.cfg.DB, sel); err != nil {
		return err
	}

	m, err := study.Hotspots(d.Events, d.Area, study.HotspotOptions{Cell: float64(q.Cell)})
	if err != nil {
		return err
	}
	p.Hotspots = w.hotspotView(p.Page, q, m)

	ht, err := study.HotTimes(d.Timed, len(d.Events)-len(d.Timed), w.cfg.Location, 0)
	if err != nil {
		return err
	}
	p.HotTimes = hotTimesOf(p.Page, q, ht)

	p.NearRepeat, err = nearRepeatOf(p.Page, q, sel, d)
	if err != nil {
		return err
	}

	ev, found, err := study.LatestEvaluation(ctx, w.cfg.DB, sel, float64(q.Cell), study.DefaultHorizon)
	if err != nil {
		return err
	}
	p.Evaluation = evaluationOf(p.Page, sel, q, ev, found)
	return w.render(rw, r, http.StatusOK, "analysis", p)
}

func (w *Web) hotspotView(p Page, q analysisQuery, m study.HotspotMap) hotspotView {
	v := hotspotView{Verdict: p.verdict(m.Verdict, q, m.StudyCells), Events: m.Events, StudyCells: m.StudyCells, Hot: m.Hot, Cold: m.Cold,
		Outside: m.Outside, MapShown: m.Verdict.OK()}
	if !m.Verdict.OK() {
		return v
	}
	v.DataURL = "/analyse/cellen.json?" + q.values().Encode()
	v.OutlinesURL = "/kaart/gegevens.json?" + url.Values{"gemeente": {q.Gemeente}}.Encode()
	v.Tiles, v.TilesCredit = baseMap(w.cfg.BaseMap)
	for _, c := range m.Significant() {
		lon, lat := geo.RDToWGS84(c.X, c.Y)
		row := hotspotRow{Hot: c.Hot, Row: c.Row, Col: c.Col,
			Lat: p.Float(lat, 5), Lon: p.Float(lon, 5), Count: p.Count(int(c.Count)), Z: p.Float(c.Z, 2), Q: formatQ(p, c.Q)}
		row.KindText = p.T("analysis.hotspots.cold")
		if c.Hot {
			row.KindText = p.T("analysis.hotspots.hot")
		}
		v.Rows = append(v.Rows, row)
	}
	v.NoSignificance = len(v.Rows) == 0
	return v
}

// formatQ writes a q- or p-value: two decimals, or "< 0,001" for small ones.
func formatQ(p Page, q float64) string {
	if q < 0.001 {
		return "< " + p.Float(0.001, 3)
	}
	return p.Float(q, 3)
}

func hotTimesOf(p Page, q analysisQuery, res study.HotTimesResult) hotTimesView {
	hw := res.Week
	var counts [7][24]int
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			counts[d][h] = hw.Cells[d][h].Count
		}
	}
	shaded := newHeatMap(p, counts)
	v := hotTimesView{Verdict: p.verdict(res.Verdict, q, 0), Tested: res.Tested(), HourTotals: shaded.HourTotals, Total: shaded.Total,
		Untimed: res.Untimed, Legend: shaded.Legend}
	var standOut []analysis.HourCell
	for d, sr := range shaded.Rows {
		row := hourRow{Day: sr.Day, Total: sr.Total}
		for h, c := range sr.Cells {
			hc := hw.Cells[d][h]
			row.Cells = append(row.Cells, hourCell{Hour: h, Count: c.Count, Class: c.Class, High: hc.High, Low: hc.Low})
			if hc.High || hc.Low {
				standOut = append(standOut, hc)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	// The hours that stand out most; the table marks them all.
	slices.SortStableFunc(standOut, func(a, b analysis.HourCell) int { return cmp.Compare(math.Abs(b.Residual), math.Abs(a.Residual)) })
	for i, hc := range standOut {
		if i == maxStandOut {
			v.MoreStandOut = len(standOut) - maxStandOut
			break
		}
		key := "analysis.hottimes.more"
		if hc.Low {
			key = "analysis.hottimes.fewer"
		}
		day := [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[hc.Weekday]
		v.StandOut = append(v.StandOut, p.T(key, p.T("buurt.day."+day), hc.Hour, hc.Hour, p.Count(hc.Count),
			p.Float(hw.Expected, 1), formatQ(p, hc.Q)))
	}
	if res.Tested() {
		verdict := p.T("analysis.hottimes.notflat")
		if hw.P > hw.Alpha {
			verdict = p.T("analysis.hottimes.flat")
		}
		v.Test = p.T("analysis.hottimes.test", p.Float(hw.ChiSquare, 1), hw.DF, formatQ(p, hw.P), verdict)
	}
	return v
}

func nearRepeatOf(p Page, q analysisQuery, sel study.Selection, d study.Data) (nearRepeatView, error) {
	v := nearRepeatView{Events: len(d.Dated)}
	switch {
	case q.Category == "" && q.Theme == "":
		v.Reason = p.T("analysis.nearrepeat.choose")
		return v, nil
	case len(d.Dated) > nearRepeatMaxEvents:
		v.Reason = p.T("analysis.nearrepeat.toomany", p.Int(len(d.Dated)), p.Int(nearRepeatMaxEvents), nearRepeatCommand(sel))
		return v, nil
	}
	res, err := study.NearRepeat(d.Dated, study.NearRepeatOptions{Seed: 1})
	if err != nil {
		return v, err
	}
	v.Shown, v.Verdict = true, p.verdict(res.Verdict, q, 0)
	o := res.Options
	for t, to := range o.TimeBands {
		from := 0.0
		if t > 0 {
			from = o.TimeBands[t-1]
		}
		v.TimeLabels = append(v.TimeLabels, p.T("analysis.nearrepeat.days", p.Float(from, 0), p.Float(to, 0)))
	}
	for _, row := range res.Bands() {
		nr := nearRepeatRow{Label: p.T("analysis.nearrepeat.metres", p.Float(row[0].SpaceFrom, 0), p.Float(row[0].SpaceTo, 0))}
		for _, b := range row {
			c := nearRepeatCell{Ratio: "–", P: formatQ(p, b.P), Observed: p.Count(b.Observed), Significant: b.Significant}
			if b.Ratio != nil {
				c.Ratio = p.Float(*b.Ratio, 2)
			}
			nr.Cells = append(nr.Cells, c)
		}
		v.Rows = append(v.Rows, nr)
	}
	switch {
	case !res.Verdict.OK():
		v.Sentence = p.T("analysis.nearrepeat.nozone.toofew")
	case res.Zone != nil:
		v.Sentence = p.T("analysis.nearrepeat.zone", p.Float(res.Zone.Distance, 0), p.Float(res.Zone.Days, 0), p.Float(res.Zone.Ratio, 1))
	default:
		v.Sentence = p.T("analysis.nearrepeat.nozone", p.Float(o.SpaceBands[0], 0), p.Float(o.TimeBands[0], 0), p.Float(o.Alpha, 2))
	}
	return v, nil
}

// nearRepeatCommand is the command line for a near-repeat test of the selection.
func nearRepeatCommand(sel study.Selection) string {
	s := "baken analyse near-repeat --gemeente " + sel.Gemeente
	if len(sel.Categories) > 0 {
		s += " --category " + strings.Join(sel.Categories, ",")
	}
	if sel.From != "" {
		s += " --from " + sel.From
	}
	if sel.To != "" {
		s += " --to " + sel.To
	}
	return s
}

func evaluationOf(p Page, sel study.Selection, q analysisQuery, ev study.StoredEvaluation, found bool) evaluationView {
	v := evaluationView{Found: found, Command: sel.EvalCommand(float64(q.Cell), study.DefaultHorizon), CellMetres: q.Cell}
	if !found {
		return v
	}
	s := ev.Summary
	v.Date, v.By, v.Horizon, v.Scored, v.Steps, v.EventsCount = p.Date(ev.RunAt), ev.RunBy, s.Horizon, s.Scored, s.Steps, s.Events
	v.Period = p.Date(s.From) + " – " + p.Date(s.To.Add(-time.Second))
	v.NoneScored = s.Scored == 0
	best, _ := s.Best(study.TopShare)
	for _, m := range s.Methods {
		l, ok := m.At(study.TopShare)
		if !ok || l.PAI.N == 0 {
			continue
		}
		v.Methods = append(v.Methods, evaluationMethod{Name: m.Name, HitRate: p.Float(100*l.HitRate.Mean, 1) + "%",
			PAI: p.Float(l.PAI.Mean, 2), Best: m.Name == best.Name, pai: l.PAI.Mean})
	}
	slices.SortStableFunc(v.Methods, func(a, b evaluationMethod) int { return cmp.Compare(b.pai, a.pai) })
	return v
}

// The GeoJSON the analysis script draws: the significant cells, each with its kind and a
// tooltip text, and the study area's bounding box.
type (
	analysisCollection struct {
		Type     string            `json:"type"`
		BBox     []float64         `json:"bbox,omitempty"`
		Features []analysisFeature `json:"features"`
	}
	analysisFeature struct {
		Type       string        `json:"type"`
		Geometry   study.Polygon `json:"geometry"`
		Properties analysisProps `json:"properties"`
	}
	analysisProps struct {
		Kind string `json:"kind"` // hot or cold
		Tip  string `json:"tip"`
	}
)

// analysisCells answers /analyse/cellen.json: the hot and cold cells of the page's
// selection, or none where there are too few registrations.
func (w *Web) analysisCells(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	gm, err := gemeenteOf(r, a)
	if err != nil {
		return err
	}
	q, sel, err := w.parseAnalysisQuery(r, gm)
	if err != nil {
		return err
	}
	p := w.page(r, "", "analyse")
	d, err := study.Load(r.Context(), w.cfg.DB, sel)
	if err != nil {
		return err
	}
	m, err := study.Hotspots(d.Events, d.Area, study.HotspotOptions{Cell: float64(q.Cell)})
	if err != nil {
		return err
	}
	fc := analysisCollection{Type: "FeatureCollection", Features: []analysisFeature{}}
	if d.Area != nil {
		minLon, minLat := geo.RDToWGS84(d.Area.MinX, d.Area.MinY)
		maxLon, maxLat := geo.RDToWGS84(d.Area.MaxX, d.Area.MaxY)
		fc.BBox = []float64{minLon, minLat, maxLon, maxLat}
	}
	for _, c := range m.Significant() {
		kind, label := "cold", p.T("analysis.hotspots.cold")
		if c.Hot {
			kind, label = "hot", p.T("analysis.hotspots.hot")
		}
		fc.Features = append(fc.Features, analysisFeature{Type: "Feature", Geometry: study.CellPolygon(m.Grid, c.Index, geo.RDToWGS84),
			Properties: analysisProps{Kind: kind, Tip: p.T("analysis.hotspots.tip", label, p.Count(int(c.Count)), p.Float(c.Z, 1))}})
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("analysis cells: %w", err)
	}
	rw.Header().Set("Content-Type", "application/geo+json")
	rw.Header().Set("Cache-Control", "no-store")
	_, err = rw.Write(b)
	return err
}
