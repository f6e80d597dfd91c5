// Package events reads point events (something that happened at a place at a time) from
// CSV files for analysis: it finds the time and coordinate columns, keeps the rows that
// match a filter, parses times in the common formats and projects longitude/latitude
// into a metric plane (RD New for Dutch data, a UTM zone elsewhere), so that grids,
// kernel densities and forecasts can work in metres. It reads places and times only;
// other columns are used for filtering and then dropped.
package events

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/geo"
)

// Options tells ReadCSV which columns to use and how to read them. Column names match
// case-insensitively, ignoring surrounding spaces.
type Options struct {
	// TimeCol is the column with the date or date-time. Empty: the one column whose name
	// contains "date" or "time" (or is "datum" or "tijdstip").
	TimeCol string
	// LonCol and LatCol hold WGS84 degrees. Empty: a column named longitude, lon, lng or
	// long and one named latitude or lat, unless XCol and YCol are given.
	LonCol, LatCol string
	// XCol and YCol hold coordinates in CRS; they take precedence over LonCol and LatCol.
	XCol, YCol string
	// CRS of XCol and YCol: "EPSG:4326" (x = longitude, y = latitude), "EPSG:28992" (RD
	// New), "EPSG:326zz" or "EPSG:327zz" (UTM zone zz north or south, WGS84). Required
	// with XCol and YCol; with LonCol and LatCol it must be empty or EPSG:4326.
	CRS string
	// Filters keeps only rows whose column (key) has exactly the value, after trimming
	// surrounding spaces; with several filters a row must match them all.
	Filters map[string]string
	// TZ is the zone of times written without an offset; nil means Europe/Amsterdam.
	// Times with an explicit offset or Z keep it.
	TZ *time.Location
	// Delimiter of the fields; 0 detects comma or semicolon from the header line.
	Delimiter rune
}

// Info describes what ReadCSV read.
type Info struct {
	Rows     int // data rows in the file (not counting the header)
	Events   int // rows returned as events
	Filtered int // rows that did not match Filters
	NoPlace  int // rows skipped for lack of coordinates: empty, NA, or lon/lat both 0
	NoTime   int // rows skipped for lack of a time: empty or NA

	TimeCol, XCol, YCol string // the columns used (XCol/YCol: longitude/latitude for lon/lat input)

	// CRS is the plane the events are in: "EPSG:28992" or "EPSG:326zz"/"EPSG:327zz".
	CRS string
	// Project maps WGS84 lon/lat into the plane of the events; Unproject maps back.
	Project   func(lon, lat float64) (x, y float64)
	Unproject func(x, y float64) (lon, lat float64)

	First, Last time.Time // earliest and latest event time (zero without events)
}

// Bounds of the Netherlands (with a margin) in WGS84: lon/lat data whose median point
// lies inside are projected to RD New.
const (
	nlMinLon, nlMaxLon = 3.2, 7.3
	nlMinLat, nlMaxLat = 50.7, 53.7
)

// ReadCSV reads point events from CSV, plain or gzip-compressed (detected by its magic
// bytes). The first line is the header. Events are returned in file order.
//
// Times may be RFC 3339 ("2019-01-01T19:50:00Z", with any offset and fraction),
// "2006-01-02 15:04[:05]" or with T, a date alone (midnight), "2006/01/02 [15:04[:05]]",
// "20060102", the Dutch "02-01-2006 [15:04[:05]]" and the American "01/02/2006
// [03:04:05 PM]" (a slash with the year last is always month first). Coordinates use a
// decimal point, or a decimal comma in a semicolon-separated file.
//
// Lon/lat input is projected to RD New when its median point lies in the Netherlands'
// bounding box and otherwise to the UTM zone of its median longitude (north or south by
// the median latitude); Info says which and gives the way back. Rows without
// coordinates or without a time are skipped and counted in Info; any other bad value is
// an error naming name:line:column (the column in bytes, from 1), the column name
// and what is wrong.
func ReadCSV(r io.Reader, name string, opts Options) ([]analysis.Event, Info, error) {
	if name == "" {
		name = "input"
	}
	evs, info, err := readCSV(r, name, opts)
	if err != nil {
		return nil, Info{}, err
	}
	return evs, info, nil
}

// raw is a row's place and time before projection.
type raw struct {
	x, y float64
	t    time.Time
}

// columns are the indexes of the columns ReadCSV uses.
type columns struct {
	time, x, y int
	filters    []filter
}

type filter struct {
	col   int
	value string
}

func readCSV(r io.Reader, name string, opts Options) ([]analysis.Event, Info, error) {
	var info Info
	plane, err := parseCRS(opts)
	if err != nil {
		return nil, info, err
	}
	loc := opts.TZ
	if loc == nil {
		loc, err = time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return nil, info, fmt.Errorf("time zone Europe/Amsterdam: %w", err)
		}
	}

	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, info, fmt.Errorf("%s: gunzip: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	// A byte order mark would become part of the first column's name.
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	delim := opts.Delimiter
	if delim == 0 {
		delim = detectDelimiter(br)
	}

	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, info, fmt.Errorf("%s: empty file: no header", name)
	}
	if err != nil {
		return nil, info, fmt.Errorf("%s:%w", name, csvErr(err))
	}
	header = slices.Clone(header)
	cols, err := findColumns(header, opts, plane.lonLat)
	if err != nil {
		return nil, info, fmt.Errorf("%s: %w", name, err)
	}
	info.TimeCol, info.XCol, info.YCol = header[cols.time], header[cols.x], header[cols.y]

	decimalComma := delim == ';'
	tp := timeParser{loc: loc}
	var rows []raw
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, info, fmt.Errorf("%s:%w", name, csvErr(err))
		}
		info.Rows++
		if !matches(rec, cols.filters) {
			info.Filtered++
			continue
		}
		xs, ys := strings.TrimSpace(rec[cols.x]), strings.TrimSpace(rec[cols.y])
		if missing(xs) || missing(ys) {
			info.NoPlace++
			continue
		}
		ts := strings.TrimSpace(rec[cols.time])
		if missing(ts) {
			info.NoTime++
			continue
		}
		fieldErr := func(col int, format string, args ...any) error {
			line, c := cr.FieldPos(col)
			return fmt.Errorf("%s:%d:%d: column %q: %s", name, line, c, header[col], fmt.Sprintf(format, args...))
		}
		x, ok := parseCoordinate(xs, decimalComma)
		if !ok {
			return nil, info, fieldErr(cols.x, "%q is not a number", xs)
		}
		y, ok := parseCoordinate(ys, decimalComma)
		if !ok {
			return nil, info, fieldErr(cols.y, "%q is not a number", ys)
		}
		if plane.lonLat {
			if x == 0 && y == 0 {
				info.NoPlace++
				continue
			}
			if !(x >= -180 && x <= 180) {
				return nil, info, fieldErr(cols.x, "longitude %v outside -180..180", x)
			}
			if !(y >= -90 && y <= 90) {
				return nil, info, fieldErr(cols.y, "latitude %v outside -90..90", y)
			}
		}
		t, err := tp.parse(ts)
		if err != nil {
			return nil, info, fieldErr(cols.time, "%v", err)
		}
		rows = append(rows, raw{x, y, t})
	}

	if plane.lonLat {
		plane = choosePlane(rows)
	}
	info.CRS, info.Project, info.Unproject = plane.crs, plane.project, plane.unproject
	evs := make([]analysis.Event, len(rows))
	for i, rw := range rows {
		x, y := rw.x, rw.y
		if plane.fromLonLat {
			x, y = plane.project(x, y)
		}
		evs[i] = analysis.Event{X: x, Y: y, T: rw.t}
		if i == 0 || rw.t.Before(info.First) {
			info.First = rw.t
		}
		if i == 0 || rw.t.After(info.Last) {
			info.Last = rw.t
		}
	}
	info.Events = len(evs)
	return evs, info, nil
}

// csvErr renders a csv.ParseError as "line:column: reason", the way the rest of our
// errors name a place in a file.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%d:%d: %w", pe.Line, pe.Column, pe.Err)
	}
	return err
}

// detectDelimiter returns ';' when the header line holds more semicolons than commas
// outside quotes, and ',' otherwise.
func detectDelimiter(br *bufio.Reader) rune {
	buf, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i]
	}
	commas, semis, quoted := 0, 0, false
	for _, b := range buf {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func findColumns(header []string, opts Options, lonLat bool) (columns, error) {
	index := func(name string) int {
		name = strings.TrimSpace(name)
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), name) {
				return i
			}
		}
		return -1
	}
	pick := func(flag, given string, candidates func(string) bool) (int, error) {
		if given != "" {
			i := index(given)
			if i < 0 {
				return 0, fmt.Errorf("no column %q (columns: %s)", given, strings.Join(header, ", "))
			}
			return i, nil
		}
		var found []int
		for i, h := range header {
			if candidates(strings.ToLower(strings.TrimSpace(h))) {
				found = append(found, i)
			}
		}
		if len(found) != 1 {
			what := "no"
			if len(found) > 1 {
				what = "more than one"
			}
			return 0, fmt.Errorf("%s %s column: give %s (columns: %s)", what, strings.TrimPrefix(flag, "--"), flag, strings.Join(header, ", "))
		}
		return found[0], nil
	}
	var c columns
	var err error
	if c.time, err = pick("--time-col", opts.TimeCol, func(h string) bool {
		return strings.Contains(h, "date") || strings.Contains(h, "time") || h == "datum" || h == "tijdstip"
	}); err != nil {
		return c, err
	}
	xName, yName := opts.XCol, opts.YCol
	if xName == "" && yName == "" && lonLat {
		if c.x, err = pick("--lon-col", opts.LonCol, func(h string) bool {
			return h == "longitude" || h == "lon" || h == "lng" || h == "long"
		}); err != nil {
			return c, err
		}
		if c.y, err = pick("--lat-col", opts.LatCol, func(h string) bool {
			return h == "latitude" || h == "lat"
		}); err != nil {
			return c, err
		}
	} else {
		if xName == "" || yName == "" {
			return c, errors.New("give both --x-col and --y-col")
		}
		if c.x, err = pick("--x-col", xName, nil); err != nil {
			return c, err
		}
		if c.y, err = pick("--y-col", yName, nil); err != nil {
			return c, err
		}
	}
	keys := make([]string, 0, len(opts.Filters))
	for k := range opts.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := index(k)
		if i < 0 {
			return c, fmt.Errorf("filter on column %q: no such column (columns: %s)", k, strings.Join(header, ", "))
		}
		c.filters = append(c.filters, filter{i, strings.TrimSpace(opts.Filters[k])})
	}
	return c, nil
}

func matches(rec []string, filters []filter) bool {
	for _, f := range filters {
		if strings.TrimSpace(rec[f.col]) != f.value {
			return false
		}
	}
	return true
}

// missing reports whether a field holds no value: empty, or NA and its relatives as R,
// pandas and spreadsheets write them.
func missing(s string) bool {
	switch strings.ToLower(s) {
	case "", "na", "n/a", "nan", "null", "none", "#n/a":
		return true
	}
	return false
}

func parseCoordinate(s string, decimalComma bool) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && decimalComma && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		v, err = strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// timeParser parses times in the formats ReadCSV accepts, trying the layout that worked
// last first: a file keeps to one format, so most rows cost one parse.
type timeParser struct {
	loc  *time.Location
	last int
}

// timeLayouts are tried in order; time.Parse accepts a fraction of a second after the
// seconds even where the layout has none.
func timeLayouts() []string {
	return []string{
		time.RFC3339,
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04Z07:00",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		time.DateOnly,
		"2006/01/02 15:04:05",
		"2006/01/02 15:04",
		"2006/01/02",
		"20060102",
		"02-01-2006 15:04:05",
		"02-01-2006 15:04",
		"02-01-2006",
		"01/02/2006 03:04:05 PM",
		"01/02/2006 03:04 PM",
		"01/02/2006 15:04:05",
		"01/02/2006 15:04",
		"01/02/2006",
	}
}

func (p *timeParser) parse(s string) (time.Time, error) {
	layouts := timeLayouts()
	if t, err := time.ParseInLocation(layouts[p.last], s, p.loc); err == nil {
		return t, nil
	}
	for i, l := range layouts {
		if t, err := time.ParseInLocation(l, s, p.loc); err == nil {
			p.last = i
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time in a known format (such as 2006-01-02 15:04, RFC 3339 or a date)", s)
}

// plane is a metric plane for events and the way there from the input coordinates.
type plane struct {
	crs        string
	lonLat     bool // input is lon/lat and the plane is still to be chosen
	fromLonLat bool // input is lon/lat, projected with project
	project    func(lon, lat float64) (x, y float64)
	unproject  func(x, y float64) (lon, lat float64)
}

func rdPlane() plane {
	return plane{crs: "EPSG:28992", project: geo.WGS84ToRD, unproject: geo.RDToWGS84}
}

func utmPlane(zone int, north bool) plane {
	code := 32600 + zone
	if !north {
		code = 32700 + zone
	}
	return plane{
		crs:       fmt.Sprintf("EPSG:%d", code),
		project:   func(lon, lat float64) (x, y float64) { return geo.WGS84ToUTM(lon, lat, zone, north) },
		unproject: func(x, y float64) (lon, lat float64) { return geo.UTMToWGS84(x, y, zone, north) },
	}
}

// parseCRS returns the plane of x/y input, or a plane still to be chosen for lon/lat.
func parseCRS(opts Options) (plane, error) {
	crs := strings.ToUpper(strings.TrimSpace(opts.CRS))
	crs = strings.TrimPrefix(crs, "EPSG:")
	xy := opts.XCol != "" || opts.YCol != ""
	switch {
	case crs == "" && xy:
		return plane{}, errors.New("--x-col and --y-col need --crs (EPSG:4326, EPSG:28992 or EPSG:326zz/327zz for UTM)")
	case crs == "" || crs == "4326":
		return plane{lonLat: true}, nil
	case !xy:
		return plane{}, fmt.Errorf("--crs %s needs --x-col and --y-col (longitude and latitude are EPSG:4326)", opts.CRS)
	case crs == "28992":
		return rdPlane(), nil
	}
	if n, err := strconv.Atoi(crs); err == nil && len(crs) == 5 {
		zone := n % 100
		if (n/100 == 326 || n/100 == 327) && zone >= 1 && zone <= 60 {
			return utmPlane(zone, n/100 == 326), nil
		}
	}
	return plane{}, fmt.Errorf("unsupported crs %q: want EPSG:4326, EPSG:28992, or EPSG:326zz/EPSG:327zz (WGS84 / UTM zone zz north/south)", opts.CRS)
}

// choosePlane picks the plane for lon/lat rows: RD New when the median point lies in the
// Netherlands, else the UTM zone of the median longitude.
func choosePlane(rows []raw) plane {
	if len(rows) == 0 {
		p := rdPlane()
		p.fromLonLat = true
		return p
	}
	lons := make([]float64, len(rows))
	lats := make([]float64, len(rows))
	for i, r := range rows {
		lons[i], lats[i] = r.x, r.y
	}
	slices.Sort(lons)
	slices.Sort(lats)
	lon, lat := lons[len(lons)/2], lats[len(lats)/2]
	var p plane
	if lon >= nlMinLon && lon <= nlMaxLon && lat >= nlMinLat && lat <= nlMaxLat {
		p = rdPlane()
	} else {
		p = utmPlane(geo.UTMZone(lon), lat >= 0)
	}
	p.fromLonLat = true
	return p
}
