package baken

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Precision is how exactly a registration's time is known.
type Precision string

const (
	PrecisionMinute Precision = "minute"
	PrecisionDay    Precision = "day"
	PrecisionMonth  Precision = "month"
	PrecisionYear   Precision = "year" // police open-data counts per year only
)

// ParsePrecision accepts minute, day, month (and year for counts).
func ParsePrecision(s string) (Precision, error) {
	switch p := Precision(s); p {
	case PrecisionMinute, PrecisionDay, PrecisionMonth, PrecisionYear:
		return p, nil
	}
	return "", Errorf(Invalid, "precision", "%q: want minute, day or month", s)
}

// RegistrationID identifies a stored registration.
type RegistrationID string

// Registration is one incident or report counted in the monitor: a row of a police
// export, a boa registration, a public-space report. Times are UTC; LocalDay is the
// calendar day in the installation's time zone (Europe/Amsterdam) that it is counted on.
type Registration struct {
	ID       RegistrationID
	Gemeente string // CBS code; "" when the location lies outside every loaded area
	Source   string
	SourceID string // the source's own id, when it has one
	// SourceKey makes the registration unique within its source: the source id, or a
	// content hash with the occurrence number of identical rows in the file.
	SourceKey string

	OccurredAt time.Time
	Precision  Precision
	LocalDay   string // YYYY-MM-DD; for month precision the first of the month
	ReportedAt *time.Time

	Category string
	Theme    string // filled when read, from the category tree
	Field    string // filled when read

	Lon, Lat *float64 // WGS84
	X, Y     *float64 // RD New
	Wijk     string
	Buurt    string
	AreaYear int  // vintage of the areas the codes come from; 0 when none
	Outside  bool // located, but outside every loaded area

	Address     string // personal data
	BAGID       string // personal data (points at a dwelling)
	Description string // free text: personal data

	Generated bool // made by the demo generator, not observed
	// ContentHash identifies the registration's content, so that a re-import can tell an
	// unchanged row from a changed one.
	ContentHash string
	BatchID     string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Located reports whether the registration has coordinates.
func (r *Registration) Located() bool { return r.Lon != nil && r.Lat != nil }

// Validate checks a registration before it is stored and reports every problem, each
// naming its field.
func (r *Registration) Validate(categories map[string]Category) error {
	var errs FieldErrors
	if r.Source == "" {
		errs = append(errs, Errorf(Invalid, "source", "missing"))
	}
	if r.OccurredAt.IsZero() {
		errs = append(errs, Errorf(Invalid, "occurred_at", "missing"))
	} else if r.OccurredAt.Year() < 1900 || r.OccurredAt.After(time.Now().Add(48*time.Hour)) {
		errs = append(errs, Errorf(Invalid, "occurred_at", "%s is not a plausible date", r.OccurredAt.Format(time.DateOnly)))
	}
	switch r.Precision {
	case PrecisionMinute, PrecisionDay, PrecisionMonth:
	default:
		errs = append(errs, Errorf(Invalid, "precision", "%q: want minute, day or month", r.Precision))
	}
	if r.Category == "" {
		errs = append(errs, Errorf(Invalid, "category", "missing"))
	} else if _, ok := categories[r.Category]; categories != nil && !ok {
		errs = append(errs, Errorf(Invalid, "category", "unknown category %q", r.Category))
	}
	if (r.Lon == nil) != (r.Lat == nil) {
		errs = append(errs, Errorf(Invalid, "lon", "longitude and latitude go together"))
	}
	if r.Lon != nil && r.Lat != nil {
		if !finite(*r.Lon) || *r.Lon < -180 || *r.Lon > 180 {
			errs = append(errs, Errorf(Invalid, "lon", "%v is not a longitude", *r.Lon))
		}
		if !finite(*r.Lat) || *r.Lat < -90 || *r.Lat > 90 {
			errs = append(errs, Errorf(Invalid, "lat", "%v is not a latitude", *r.Lat))
		}
	}
	if r.Buurt != "" {
		if l, err := LevelOfCode(r.Buurt); err != nil || l != LevelBuurt {
			errs = append(errs, Errorf(Invalid, "buurt", "%q is not a CBS buurt code (BU03840101)", r.Buurt))
		}
	}
	if r.Wijk != "" {
		if l, err := LevelOfCode(r.Wijk); err != nil || l != LevelWijk {
			errs = append(errs, Errorf(Invalid, "wijk", "%q is not a CBS wijk code (WK038401)", r.Wijk))
		}
	}
	if r.Gemeente != "" {
		if l, err := LevelOfCode(r.Gemeente); err != nil || l != LevelGemeente {
			errs = append(errs, Errorf(Invalid, "gemeente", "%q is not a CBS gemeente code (GM0384)", r.Gemeente))
		}
	}
	if !r.Located() && r.Buurt == "" && r.Wijk == "" && r.Gemeente == "" {
		errs = append(errs, Errorf(Invalid, "location", "no location: give coordinates or an area code"))
	}
	if r.BAGID != "" && !validBAGID(r.BAGID) {
		errs = append(errs, Errorf(Invalid, "bag_id", "%q is not a 16-digit BAG id", r.BAGID))
	}
	return errs.Err()
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// LocalDayOf returns the calendar day a time is counted on in loc, for a precision.
func LocalDayOf(t time.Time, p Precision, loc *time.Location) string {
	lt := t.In(loc)
	switch p {
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d-01", lt.Year(), lt.Month())
	case PrecisionYear:
		return fmt.Sprintf("%04d-01-01", lt.Year())
	}
	return lt.Format(time.DateOnly)
}

// Digest identifies a registration's content: a hash over every field a source supplies
// (not the ids, batch or times Baken assigns). Two registrations with the same digest are
// the same content, however they arrived (file import, API, demo generator), so that a
// re-delivered row is recognised as unchanged.
func (r *Registration) Digest() string {
	// The fields, each followed by 0x1f, hashed at once; built in a stack buffer because
	// an import computes one digest per row.
	var buf [512]byte
	b := buf[:0]
	sep := func() { b = append(b, 0x1f) }
	num := func(p *float64) {
		if p != nil {
			b = strconv.AppendFloat(b, *p, 'f', -1, 64)
		}
		sep()
	}
	b = append(b, r.SourceID...)
	sep()
	b = r.OccurredAt.AppendFormat(b, time.RFC3339)
	sep()
	b = append(b, r.Precision...)
	sep()
	b = append(b, r.LocalDay...)
	sep()
	if r.ReportedAt != nil {
		b = r.ReportedAt.AppendFormat(b, time.RFC3339)
	}
	sep()
	b = append(b, r.Category...)
	sep()
	num(r.Lon)
	num(r.Lat)
	num(r.X)
	num(r.Y)
	for _, s := range [...]string{r.Gemeente, r.Wijk, r.Buurt, r.Address, r.BAGID, r.Description} {
		b = append(b, s...)
		sep()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
