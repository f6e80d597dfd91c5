// Package export writes registrations as CSV and Excel for users and for re-import.
//
// The CSV is the re-import format: the generic import profile reads it back without
// --map, and importing it under the same source name reproduces every registration
// exactly, with the same source keys and content hashes, so that importing it into the
// database it came from changes nothing. The Excel workbook is for people: real date-times,
// numbers, a frozen header and an explanation sheet; it is not meant to be imported.
//
// Both writers stream: memory stays constant whatever the number of rows.
package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

// Rows calls yield with every registration to export, in order, and stops at the first
// error yield returns, returning it. The CSV writer calls it twice (see CSV), so it must
// give the same rows each time.
type Rows func(yield func(*baken.Registration) error) error

// FromStore returns the registrations in db matching f, streamed in order of occurrence.
// The actor in ctx decides which municipalities are included.
func FromStore(ctx context.Context, db *store.DB, f store.RegistrationFilter) Rows {
	return func(yield func(*baken.Registration) error) error {
		return db.EachRegistration(ctx, f, yield)
	}
}

// Options shape an export.
type Options struct {
	// IncludePersonal writes address, bag_id and description; without it those columns
	// are left out. The caller decides from the actor's role; the command line runs as
	// the system and includes them unless told not to.
	IncludePersonal bool
	// Selection describes the filters that chose the rows, one line each, for the
	// explanation sheet (see DescribeFilter); empty means every registration.
	Selection []string
	// Now is the time of the export (default time.Now).
	Now time.Time
	// Location is the zone times are written in and in which a re-import reads dates
	// without a time (default Europe/Amsterdam, as the importer's default).
	Location *time.Location
}

func (o Options) withDefaults() (Options, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return o, fmt.Errorf("load time zone: %w", err)
		}
		o.Location = loc
	}
	return o, nil
}

// Summary says what an export wrote.
type Summary struct {
	Rows      int // registrations written
	Generated int // of which made by the demo generator, not observed
	// Inexact counts the rows of a CSV that importing it back would not reproduce
	// exactly (FirstInexact says which and why). It is always 0 for Excel, which is not
	// a re-import format.
	Inexact      int
	FirstInexact string
}

func (s *Summary) inexact(r *baken.Registration, why string) {
	if s.Inexact == 0 {
		s.FirstInexact = fmt.Sprintf("registration %s: %s", r.ID, why)
	}
	s.Inexact++
}

// Column names. The importer's generic profile maps id, occurred_at, category, lat, lon,
// x, y, gemeente, wijk, buurt, address, bag_id, description and reported_at to its fields
// and ignores the others, which only inform.
const (
	colID             = "id"
	colOccurredAt     = "occurred_at"
	colOccurredAtText = "occurred_at_text" // Excel only: the exact text of the CSV
	colPrecision      = "precision"
	colCategory       = "category"
	colLat            = "lat"
	colLon            = "lon"
	colX              = "x"
	colY              = "y"
	colGemeente       = "gemeente"
	colWijk           = "wijk"
	colBuurt          = "buurt"
	colAddress        = "address"
	colBAGID          = "bag_id"
	colDescription    = "description"
	colReportedAt     = "reported_at"
	colReportedAtText = "reported_at_text" // Excel only
	colSource         = "source"
	colGenerated      = "generated"
	colAreaYear       = "area_year"
	colRegistrationID = "registration_id"
)

// columns returns the columns of an export in their fixed order. withID leaves out the
// id column when false; excel adds the text twins of the time columns.
func columns(withID, personal, excel bool) []string {
	var cols []string
	if withID {
		cols = append(cols, colID)
	}
	cols = append(cols, colOccurredAt)
	if excel {
		cols = append(cols, colOccurredAtText)
	}
	cols = append(cols, colPrecision, colCategory, colLat, colLon, colX, colY, colGemeente, colWijk, colBuurt)
	if personal {
		cols = append(cols, colAddress, colBAGID, colDescription)
	}
	cols = append(cols, colReportedAt)
	if excel {
		cols = append(cols, colReportedAtText)
	}
	return append(cols, colSource, colGenerated, colAreaYear, colRegistrationID)
}

// occurredText is the time as the importer reads it back with its precision: a date-time
// with offset for minute precision, the local day for day precision, the month for month
// precision. It also says why a re-import would give a different time, if it would.
func occurredText(r *baken.Registration, loc *time.Location) (text, inexact string) {
	switch r.Precision {
	case baken.PrecisionMinute:
		if baken.LocalDayOf(r.OccurredAt, r.Precision, loc) != r.LocalDay {
			inexact = "its day was counted in another time zone"
		}
		return r.OccurredAt.In(loc).Format(time.RFC3339Nano), inexact
	case baken.PrecisionDay, baken.PrecisionMonth:
		text = r.LocalDay
		layout := time.DateOnly
		if r.Precision == baken.PrecisionMonth {
			text, layout = cut(r.LocalDay, 7), "2006-01"
		}
		// The importer puts a date at midnight in its zone; a time stored otherwise (read
		// in another zone, or cut to a day with --precision) cannot come back.
		if t, err := time.ParseInLocation(layout, text, loc); err != nil || !t.Equal(r.OccurredAt) {
			inexact = fmt.Sprintf("its %s-precision time %s is not the start of %s in %s", r.Precision,
				r.OccurredAt.Format(time.RFC3339), text, loc)
		}
		return text, inexact
	}
	return r.LocalDay, fmt.Sprintf("precision %q cannot be imported", r.Precision)
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func timeText(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(time.RFC3339Nano)
}

// number writes a float so that parsing it gives the same float64.
func number(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

func samePtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// rdOf is what the importer derives from lon/lat: RD New to the centimetre, inside the
// Netherlands only.
func rdOf(lon, lat float64) (x, y *float64) {
	if lat > 50.5 && lat < 54 && lon > 3 && lon < 7.5 {
		xf, yf := geo.WGS84ToRD(lon, lat)
		xf, yf = round(xf, 2), round(yf, 2)
		return &xf, &yf
	}
	return nil, nil
}

// wgsOf is what the importer derives from x/y: WGS84 to seven decimals.
func wgsOf(x, y float64) (lon, lat float64) {
	lon, lat = geo.RDToWGS84(x, y)
	return round(lon, 7), round(lat, 7)
}

// coordinates returns the lon, lat, x and y texts for the CSV. The importer reads lon/lat
// when both are given and derives x/y from them; else it reads x/y and derives lon/lat.
// A registration whose coordinates came from RD (police exports) may not survive the
// trip through WGS84 to the centimetre, so for those lon/lat are left empty and x/y
// alone bring back all four numbers.
func coordinates(r *baken.Registration) (lon, lat, x, y, inexact string) {
	x, y = number(r.X), number(r.Y)
	if !r.Located() {
		if r.X != nil || r.Y != nil {
			inexact = "it has RD coordinates without WGS84 ones"
		}
		return "", "", x, y, inexact
	}
	lon, lat = number(r.Lon), number(r.Lat)
	if rx, ry := rdOf(*r.Lon, *r.Lat); samePtr(rx, r.X) && samePtr(ry, r.Y) {
		return lon, lat, x, y, ""
	}
	if r.X != nil && r.Y != nil && *r.X >= -7000 && *r.X <= 300000 && *r.Y >= 289000 && *r.Y <= 629000 {
		if wlon, wlat := wgsOf(*r.X, *r.Y); wlon == *r.Lon && wlat == *r.Lat {
			return "", "", x, y, ""
		}
	}
	return lon, lat, x, y, "its RD and WGS84 coordinates do not derive from each other as the importer derives them"
}

// areaInexact says why the importer would give other area codes, if it would: it
// takes a buurt's wijk and gemeente from the buurt code, and a wijk's gemeente from the
// wijk code.
func areaInexact(r *baken.Registration) string {
	switch {
	case r.Buurt != "" && len(r.Buurt) == 10 && (r.Wijk != "WK"+r.Buurt[2:8] || r.Gemeente != "GM"+r.Buurt[2:6]):
		return "its wijk or gemeente does not contain its buurt"
	case r.Buurt == "" && r.Wijk != "" && len(r.Wijk) == 8 && r.Gemeente != "GM"+r.Wijk[2:6]:
		return "its gemeente does not contain its wijk"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

// errStop ends a pass over the rows early.
var errStop = errors.New("stop")

// allHaveSourceID reports whether every row carries the source's own id; it stops at
// the first that does not.
func allHaveSourceID(rows Rows) (bool, error) {
	all := true
	err := rows(func(r *baken.Registration) error {
		if r.SourceID == "" {
			all = false
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return false, err
	}
	return all, nil
}

// DescribeFilter describes a filter in Dutch, one line per condition, for the
// explanation sheet.
func DescribeFilter(f store.RegistrationFilter) []string {
	var out []string
	switch {
	case f.From != "" && f.To != "":
		out = append(out, fmt.Sprintf("periode: %s t/m %s", f.From, f.To))
	case f.From != "":
		out = append(out, "vanaf: "+f.From)
	case f.To != "":
		out = append(out, "tot en met: "+f.To)
	}
	add := func(label string, vs []string) {
		if len(vs) > 0 {
			out = append(out, label+": "+strings.Join(vs, ", "))
		}
	}
	add("gemeente", f.Gemeenten)
	if f.Wijk != "" {
		out = append(out, "wijk: "+f.Wijk)
	}
	if f.Buurt != "" {
		out = append(out, "buurt: "+f.Buurt)
	}
	add("categorie", f.Categories)
	add("bron", f.Sources)
	if f.Outside {
		out = append(out, "inclusief registraties buiten de geladen gebieden")
	}
	return out
}
