package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

// maxBody bounds a posted registration.
const maxBody = 1 << 20

// Field lengths of a posted registration.
const (
	maxSource      = 64
	maxSourceID    = 200
	maxAddress     = 200
	maxDescription = 4000
)

// postFields are the members a posted registration may have.
var postFields = []string{
	"source", "source_id", "occurred_at", "precision", "category", "lon", "lat", "x", "y",
	"buurt", "address", "bag_id", "description", "reported_at",
}

// createRegistration answers POST /api/v1/registrations: it stores one registration,
// idempotently on source and source_id. A new one is 201 Created with a Location
// header; posting the same source and source_id again is 200 OK, with the stored
// registration unchanged when the content is the same and its next version when not.
// Which roles may write is the store's decision.
func (a *API) createRegistration(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireRegistrationReader(r)
	if err != nil {
		return err
	}
	if q := parseQuery(r); q.err() != nil {
		return q.err()
	}
	if a.categorizer == nil {
		return errors.New("create registration: no category resolver")
	}
	raw, err := readObject(w, r)
	if err != nil {
		return err
	}
	reg, err := a.parseRegistration(r, actor, raw)
	if err != nil {
		return err
	}
	rows := []baken.Registration{reg}
	res, err := a.db.ImportChunk(r.Context(), store.ImportChunk{BatchID: "api", Source: reg.Source, Rows: rows})
	if err != nil {
		return err
	}
	// ImportChunk fills in the stored row's id, except when it changed nothing.
	id := rows[0].ID
	if res.Unchanged > 0 {
		if id, err = a.findBySourceKey(r, reg); err != nil {
			return err
		}
	}
	stored, err := a.db.FindRegistration(r.Context(), id)
	if err != nil {
		return fmt.Errorf("read back registration %s: %w", id, err)
	}
	status := http.StatusOK
	if res.Stored > 0 {
		status = http.StatusCreated
		w.Header().Set("Location", location(stored.ID))
	}
	return writeJSON(w, status, contentJSON, a.registrationJSON(&stored, seesPersonalData(actor)))
}

// readObject reads the request body as one JSON object, by member.
func readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != contentJSON {
			return nil, baken.Errorf(baken.Invalid, "Content-Type", "%q: send application/json", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, baken.Errorf(baken.Invalid, "body", "larger than %d bytes", maxBody)
	}
	if err != nil {
		return nil, baken.Errorf(baken.Invalid, "body", "cannot be read")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, baken.Errorf(baken.Invalid, "body", "not a JSON object: %v", jsonProblem(err))
	}
	if raw == nil {
		return nil, baken.Errorf(baken.Invalid, "body", "not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, baken.Errorf(baken.Invalid, "body", "data after the JSON object")
	}
	return raw, nil
}

// jsonProblem describes a JSON decoding error without Go type names.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%v (at byte %d)", syn, syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("found a JSON %s", typ.Value)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the body ends early"
	}
	return "malformed JSON"
}

// members decodes the members of a posted object one by one, collecting problems.
type members struct {
	raw  map[string]json.RawMessage
	errs baken.FieldErrors
}

func (m *members) fail(field, format string, args ...any) {
	m.errs = append(m.errs, baken.Errorf(baken.Invalid, field, format, args...))
}

func (m *members) failed(field string) bool {
	return slices.ContainsFunc(m.errs, func(e *baken.Error) bool { return e.Field == field })
}

// has reports whether a member is given (and not null).
func (m *members) has(name string) bool {
	v, ok := m.raw[name]
	return ok && string(v) != "null"
}

// str returns a string member; absent and null are "".
func (m *members) str(name string, max int) string {
	v, ok := m.raw[name]
	if !ok || string(v) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		m.fail(name, "want a string, found %s", jsonKind(v))
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" {
		m.fail(name, "empty: leave it out instead")
	}
	if n := len([]rune(s)); n > max {
		m.fail(name, "%d characters; at most %d", n, max)
	}
	if strings.ContainsFunc(s, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }) {
		m.fail(name, "contains control characters")
	}
	return s
}

// num returns a number member; absent and null are nil.
func (m *members) num(name string) *float64 {
	v, ok := m.raw[name]
	if !ok || string(v) == "null" {
		return nil
	}
	var f float64
	if err := json.Unmarshal(v, &f); err != nil {
		if k := jsonKind(v); k != "a number" {
			m.fail(name, "want a number, found %s", k)
		} else {
			m.fail(name, "%s is out of range", v)
		}
		return nil
	}
	return &f
}

func jsonKind(v json.RawMessage) string {
	switch v = bytes.TrimSpace(v); {
	case len(v) == 0:
		return "nothing"
	case v[0] == '"':
		return "a string"
	case v[0] == '{':
		return "an object"
	case v[0] == '[':
		return "an array"
	case v[0] == 't' || v[0] == 'f':
		return "a boolean"
	}
	return "a number"
}

// parseTime reads a date-time with offset (RFC 3339), known to the minute, or a date
// (YYYY-MM-DD) in loc, known to the day.
func parseTime(s string, loc *time.Location) (time.Time, baken.Precision, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), baken.PrecisionMinute, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t.UTC(), baken.PrecisionDay, true
	}
	return time.Time{}, "", false
}

var bagIDRE = regexp.MustCompile(`^[0-9]{16}$`)

// parseRegistration checks a posted registration, reporting every invalid member at
// once, and returns it located, classified and ready to store.
func (a *API) parseRegistration(r *http.Request, actor baken.Actor, raw map[string]json.RawMessage) (baken.Registration, error) {
	m := &members{raw: raw}
	var unknown []string
	for name := range raw {
		if !slices.Contains(postFields, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		m.fail(name, "unknown field")
	}

	var reg baken.Registration
	reg.Source = m.str("source", maxSource)
	switch {
	case reg.Source == "" && !m.failed("source"):
		m.fail("source", "missing: name where the registration comes from (boa, melder, politie, ...)")
	case reg.Source == DemoSource:
		m.fail("source", "%q is reserved for generated demo data", DemoSource)
	}
	reg.SourceID = m.str("source_id", maxSourceID)

	// Time.
	now := a.now()
	occurred := m.str("occurred_at", 64)
	if occurred == "" && !m.failed("occurred_at") {
		m.fail("occurred_at", "missing: every registration needs a date")
	} else if occurred != "" {
		t, p, ok := parseTime(occurred, a.loc)
		switch {
		case !ok:
			m.fail("occurred_at", "%q: want a date-time with offset (2024-03-05T21:30:00+01:00) or a date (2024-03-05)", occurred)
		case t.Year() < 1900 || t.After(now.Add(48*time.Hour)):
			m.fail("occurred_at", "%s is not a plausible date", t.In(a.loc).Format(time.DateOnly))
		default:
			reg.OccurredAt, reg.Precision = t, p
		}
	}
	if ps := m.str("precision", 16); ps != "" {
		switch p := baken.Precision(ps); p {
		case baken.PrecisionMinute, baken.PrecisionDay, baken.PrecisionMonth:
			if p == baken.PrecisionMinute && reg.Precision == baken.PrecisionDay {
				m.fail("precision", "occurred_at is a date: it cannot be known to the minute")
			} else if reg.Precision != "" {
				reg.Precision = p
			}
		default:
			m.fail("precision", "%q: want minute, day or month", ps)
		}
	}
	if !reg.OccurredAt.IsZero() {
		reg.LocalDay = baken.LocalDayOf(reg.OccurredAt, reg.Precision, a.loc)
	}
	if rs := m.str("reported_at", 64); rs != "" {
		if t, _, ok := parseTime(rs, a.loc); !ok {
			m.fail("reported_at", "%q: want a date-time with offset or a date", rs)
		} else {
			reg.ReportedAt = &t
		}
	}

	// Category: a code, or a scheme code or label that means one.
	if cs := m.str("category", 200); cs == "" && !m.failed("category") {
		m.fail("category", "missing (see /api/v1/categories)")
	} else if cs != "" {
		code, err := a.categorizer.Resolve(cs)
		if err != nil {
			m.fail("category", "unknown category %q (see /api/v1/categories)", cs)
		}
		reg.Category = code
	}

	// Location: WGS84, RD New, or a buurt code.
	lon, lat, x, y := m.num("lon"), m.num("lat"), m.num("x"), m.num("y")
	buurt := strings.ToUpper(m.str("buurt", 16))
	switch {
	case (lon != nil || lat != nil) && (x != nil || y != nil):
		m.fail("x", "give lon and lat, or x and y, not both")
	case lon != nil || lat != nil:
		if lon == nil {
			m.fail("lon", "missing: longitude and latitude go together")
		} else if !finite(*lon) || *lon < -180 || *lon > 180 {
			m.fail("lon", "%v is not a longitude (degrees east, -180 to 180)", *lon)
		}
		if lat == nil {
			m.fail("lat", "missing: longitude and latitude go together")
		} else if !finite(*lat) || *lat < -90 || *lat > 90 {
			m.fail("lat", "%v is not a latitude (degrees north, -90 to 90)", *lat)
		}
		if !m.failed("lon") && !m.failed("lat") {
			reg.Lon, reg.Lat = lon, lat
			if *lat > 50.5 && *lat < 54 && *lon > 3 && *lon < 7.5 {
				rx, ry := geo.WGS84ToRD(*lon, *lat)
				rx, ry = round(rx, 2), round(ry, 2)
				reg.X, reg.Y = &rx, &ry
			}
		}
	case x != nil || y != nil:
		if x == nil {
			m.fail("x", "missing: x and y go together")
		} else if *x < -7000 || *x > 300000 {
			m.fail("x", "%v is not an RD x coordinate (metres, -7000 to 300000)", *x)
		}
		if y == nil {
			m.fail("y", "missing: x and y go together")
		} else if *y < 289000 || *y > 629000 {
			m.fail("y", "%v is not an RD y coordinate (metres, 289000 to 629000)", *y)
		}
		if !m.failed("x") && !m.failed("y") {
			rlon, rlat := geo.RDToWGS84(*x, *y)
			rlon, rlat = round(rlon, 7), round(rlat, 7)
			reg.X, reg.Y, reg.Lon, reg.Lat = x, y, &rlon, &rlat
		}
	}
	if buurt != "" {
		if l, err := baken.LevelOfCode(buurt); err != nil || l != baken.LevelBuurt {
			m.fail("buurt", "%q is not a CBS buurt code (BU03840101)", buurt)
			buurt = ""
		}
	}
	if !slices.ContainsFunc([]string{"lon", "lat", "x", "y", "buurt"}, m.has) {
		m.fail("location", "missing: give lon and lat, x and y (RD New), or a buurt code")
	}

	// Personal data.
	reg.Address = m.str("address", maxAddress)
	reg.BAGID = m.str("bag_id", 16)
	if reg.BAGID != "" && !bagIDRE.MatchString(reg.BAGID) {
		m.fail("bag_id", "%q is not a 16-digit BAG id", reg.BAGID)
	}
	reg.Description = m.str("description", maxDescription)

	if len(m.errs) > 0 {
		return reg, m.errs.Err()
	}

	// Place it: a buurt code names its areas; a point is looked up in the areas of
	// the vintage in force when it happened.
	year := reg.OccurredAt.In(a.loc).Year()
	if buurt != "" {
		area, err := a.findBuurt(r, buurt, year)
		if err != nil {
			return reg, err
		}
		reg.Buurt, reg.Wijk, reg.Gemeente, reg.AreaYear = area.Code, area.Parent, area.Gemeente, area.Year
		if reg.Wijk == "" {
			reg.Wijk = "WK" + buurt[2:8]
		}
	} else {
		place, ok, err := a.locate(r, *reg.Lon, *reg.Lat, year)
		if err != nil {
			return reg, err
		}
		switch {
		case ok:
			reg.Gemeente, reg.Wijk, reg.Buurt, reg.AreaYear = place.Gemeente, place.Wijk, place.Buurt, place.Year
		case actor.AllGemeenten:
			reg.Outside = true
		default:
			// It would be stored where this actor cannot see it.
			return reg, baken.FieldErrors{baken.Errorf(baken.Invalid, "location", "the point lies outside every loaded area")}.Err()
		}
	}
	if err := reg.Validate(a.tree.categories); err != nil {
		return reg, err
	}
	reg.ContentHash = reg.Digest()
	reg.SourceKey = reg.SourceID
	if reg.SourceKey == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return reg, fmt.Errorf("new source key: %w", err)
		}
		reg.SourceKey = "api:" + id.String()
	}
	return reg, nil
}

// findBuurt returns a buurt of the vintage nearest to year that has it, or a field error.
func (a *API) findBuurt(r *http.Request, code string, year int) (baken.Area, error) {
	areas, err := a.db.FindAreas(r.Context(), store.AreaFilter{Code: &code})
	if err != nil {
		return baken.Area{}, err
	}
	if len(areas) == 0 {
		return baken.Area{}, baken.FieldErrors{baken.Errorf(baken.Invalid, "buurt", "unknown buurt %s: no loaded areas have it", code)}.Err()
	}
	years := make([]int, len(areas))
	for i, ar := range areas {
		years[i] = ar.Year
	}
	best := nearestYear(years, year)
	for _, ar := range areas {
		if ar.Year == best {
			return ar, nil
		}
	}
	return areas[0], nil
}

// locate places a point in the stored areas of the vintage in force in year: that
// year's, else the nearest loaded (the later of two equally near), as the importer does.
// Only the areas whose bounds hold the point are read with their geometry, at the
// finest level loaded for their gemeente, so that a lookup costs a few small reads
// however many areas are loaded.
func (a *API) locate(r *http.Request, lon, lat float64, year int) (geo.Placement, bool, error) {
	ctx := r.Context()
	vintages, err := a.db.AreaVintages(ctx)
	if err != nil || len(vintages) == 0 {
		return geo.Placement{}, false, err
	}
	best := nearestYear(vintages, year)
	all, err := a.db.FindAreas(ctx, store.AreaFilter{Year: &best})
	if err != nil {
		return geo.Placement{}, false, err
	}
	finest := map[string]int{}
	for _, ar := range all {
		finest[ar.Gemeente] = max(finest[ar.Gemeente], detail(ar.Level))
	}
	var candidates []geo.Area
	for _, ar := range all {
		if detail(ar.Level) < finest[ar.Gemeente] ||
			lon < ar.MinLon || lon > ar.MaxLon || lat < ar.MinLat || lat > ar.MaxLat {
			continue
		}
		full, err := a.db.FindArea(ctx, ar.Code, ar.Year, true)
		if err != nil {
			return geo.Placement{}, false, err
		}
		g, err := geo.FromStored(full)
		if err != nil {
			return geo.Placement{}, false, err
		}
		candidates = append(candidates, g)
	}
	place, ok := geo.NewIndex(candidates).Locate(lon, lat)
	return place, ok, nil
}

func detail(l baken.AreaLevel) int {
	switch l {
	case baken.LevelGemeente:
		return 1
	case baken.LevelWijk:
		return 2
	case baken.LevelBuurt:
		return 3
	}
	return 0
}

// nearestYear returns the year in years nearest to want, the later of two equally near.
func nearestYear(years []int, want int) int {
	best := years[0]
	for _, y := range years {
		d, bd := abs(y-want), abs(best-want)
		if d < bd || (d == bd && y > best) {
			best = y
		}
	}
	return best
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

// findBySourceKey returns the id of the stored registration with r's source and source
// key. It is only called after ImportChunk found that registration unchanged, so its
// municipality, day and category are r's.
func (a *API) findBySourceKey(req *http.Request, r baken.Registration) (baken.RegistrationID, error) {
	f := store.RegistrationFilter{
		Sources: []string{r.Source}, Categories: []string{r.Category}, From: r.LocalDay, To: r.LocalDay,
		Outside: r.Gemeente == "",
	}
	if r.Gemeente != "" {
		f.Gemeenten = []string{r.Gemeente}
	}
	var id baken.RegistrationID
	err := a.db.EachRegistration(req.Context(), f, func(s *baken.Registration) error {
		if s.SourceKey == r.SourceKey {
			id = s.ID
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", fmt.Errorf("registration %s/%s unchanged but not found", r.Source, r.SourceKey)
	}
	return id, nil
}
