package importer

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
)

// Field is a registration field a column can carry.
type Field string

const (
	FieldSourceID    Field = "source_id"
	FieldOccurredAt  Field = "occurred_at" // date and time in one column
	FieldDate        Field = "date"        // date only; time may be in FieldTime
	FieldTime        Field = "time"
	FieldReportedAt  Field = "reported_at"
	FieldCategory    Field = "category"
	FieldLon         Field = "lon"
	FieldLat         Field = "lat"
	FieldX           Field = "x" // RD New
	FieldY           Field = "y"
	FieldGemeente    Field = "gemeente"
	FieldWijk        Field = "wijk"
	FieldBuurt       Field = "buurt"
	FieldAddress     Field = "address"
	FieldBAGID       Field = "bag_id"
	FieldDescription Field = "description"
	FieldIgnore      Field = "-"
)

// Fields lists every field, for help texts and --map validation.
func Fields() []Field {
	return []Field{FieldSourceID, FieldOccurredAt, FieldDate, FieldTime, FieldReportedAt, FieldCategory,
		FieldLon, FieldLat, FieldX, FieldY, FieldGemeente, FieldWijk, FieldBuurt, FieldAddress, FieldBAGID,
		FieldDescription, FieldIgnore}
}

// ParseField accepts a field name.
func ParseField(s string) (Field, error) {
	f := Field(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Fields(), f) {
		return f, nil
	}
	names := make([]string, 0, len(Fields()))
	for _, f := range Fields() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown field %q (one of %s)", s, strings.Join(names, ", "))
}

// Profile maps header names (compared in lower case, without spaces, dashes, dots and
// underscores) to fields.
type Profile struct {
	Name    string
	Columns map[string]Field
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "", "/", "", "ö", "o").Replace(h)
}

// generic header names, English and Dutch.
var genericColumns = map[string]Field{
	"id": FieldSourceID, "sourceid": FieldSourceID, "bronid": FieldSourceID, "uid": FieldSourceID,
	"occurredat": FieldOccurredAt, "datetime": FieldOccurredAt, "timestamp": FieldOccurredAt, "datumtijd": FieldOccurredAt, "tijdstip": FieldOccurredAt,
	"date": FieldDate, "datum": FieldDate, "offensedate": FieldDate, "occdate": FieldDate,
	"time": FieldTime, "tijd": FieldTime,
	"reportedat": FieldReportedAt, "gemeldop": FieldReportedAt, "meldingsdatum": FieldReportedAt,
	"category": FieldCategory, "categorie": FieldCategory, "type": FieldCategory, "soort": FieldCategory,
	"lon": FieldLon, "lng": FieldLon, "longitude": FieldLon, "lengtegraad": FieldLon,
	"lat": FieldLat, "latitude": FieldLat, "breedtegraad": FieldLat,
	"x": FieldX, "rdx": FieldX, "xrd": FieldX, "y": FieldY, "rdy": FieldY, "yrd": FieldY,
	"gemeente": FieldGemeente, "gemeentecode": FieldGemeente, "gmcode": FieldGemeente,
	"wijk": FieldWijk, "wijkcode": FieldWijk, "wkcode": FieldWijk,
	"buurt": FieldBuurt, "buurtcode": FieldBuurt, "bucode": FieldBuurt,
	"address": FieldAddress, "adres": FieldAddress, "locatie": FieldAddress,
	"bagid": FieldBAGID, "bag": FieldBAGID, "verblijfsobjectid": FieldBAGID,
	"description": FieldDescription, "omschrijving": FieldDescription, "toelichting": FieldDescription, "text": FieldDescription,
}

// politieColumns are the columns of a police incident export (BVH-style overview).
var politieColumns = map[string]Field{
	"registratienummer": FieldSourceID, "incidentnummer": FieldSourceID, "bvhnummer": FieldSourceID,
	"pleegdatumtijd": FieldOccurredAt, "begindatumtijd": FieldOccurredAt,
	"pleegdatum": FieldDate, "begindatum": FieldDate, "begindatumpleegdatum": FieldDate,
	"pleegtijd": FieldTime, "begintijd": FieldTime, "begintijdpleegtijd": FieldTime,
	"registratiedatum": FieldReportedAt, "aangiftedatum": FieldReportedAt,
	"maatschappelijkeklasse": FieldCategory, "incidentcode": FieldCategory, "soortmisdrijf": FieldCategory, "classificatie": FieldCategory,
	"xcoordinaat": FieldX, "ycoordinaat": FieldY, "rdx": FieldX, "rdy": FieldY,
	"buurtcode": FieldBuurt, "cbsbuurtcode": FieldBuurt, "wijkcode": FieldWijk, "cbswijkcode": FieldWijk,
	"gemeentecode": FieldGemeente, "cbsgemeentecode": FieldGemeente,
	"adres": FieldAddress, "pleegadres": FieldAddress, "bagid": FieldBAGID,
	"omschrijving": FieldDescription, "korteomschrijving": FieldDescription,
}

// boaColumns are the columns of a boa registration app export.
var boaColumns = map[string]Field{
	"zaaknummer": FieldSourceID, "registratieid": FieldSourceID, "id": FieldSourceID,
	"datumtijd": FieldOccurredAt, "datum": FieldDate, "tijd": FieldTime,
	"feit": FieldCategory, "categorie": FieldCategory, "onderwerp": FieldCategory,
	"latitude": FieldLat, "longitude": FieldLon, "lat": FieldLat, "lon": FieldLon,
	"locatie": FieldAddress, "adres": FieldAddress, "buurtcode": FieldBuurt,
	"toelichting": FieldDescription, "opmerking": FieldDescription,
}

// Profiles returns the built-in column profiles by name.
func Profiles() map[string]Profile {
	return map[string]Profile{
		"generic": {Name: "generic", Columns: genericColumns},
		"politie": {Name: "politie", Columns: politieColumns},
		"boa":     {Name: "boa", Columns: boaColumns},
	}
}

// parseNumber reads a number with a decimal point or a Dutch decimal comma
// ("4,9612", "1.234,5").
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ",") {
		if strings.Contains(s, ".") {
			s = strings.ReplaceAll(s, ".", "")
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

// timeLayouts are tried in order; each says what precision it gives.
var timeLayouts = []struct {
	layout    string
	precision baken.Precision
	zone      bool // carries its own offset
}{
	{time.RFC3339Nano, baken.PrecisionMinute, true},
	{"2006-01-02T15:04:05Z07:00", baken.PrecisionMinute, true},
	{"2006-01-02 15:04:05Z07:00", baken.PrecisionMinute, true},
	{"2006-01-02T15:04Z07:00", baken.PrecisionMinute, true},
	{"2006-01-02T15:04:05", baken.PrecisionMinute, false},
	{"2006-01-02T15:04", baken.PrecisionMinute, false},
	{"2006-01-02 15:04:05", baken.PrecisionMinute, false},
	{"2006-01-02 15:04", baken.PrecisionMinute, false},
	{"02-01-2006 15:04:05", baken.PrecisionMinute, false},
	{"02-01-2006 15:04", baken.PrecisionMinute, false},
	{"2-1-2006 15:04", baken.PrecisionMinute, false},
	{"2006-01-02", baken.PrecisionDay, false},
	{"02-01-2006", baken.PrecisionDay, false},
	{"2-1-2006", baken.PrecisionDay, false},
	{"20060102", baken.PrecisionDay, false},
	{"2006-01", baken.PrecisionMonth, false},
	{"01-2006", baken.PrecisionMonth, false},
}

var fractionRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\.\d+$`)

// parseTime reads a date or date-time. Times without an offset are in loc; an explicit
// offset or Z is honoured. It returns the precision the text carries.
func parseTime(s string, loc *time.Location) (time.Time, baken.Precision, error) {
	s = strings.TrimSpace(s)
	if m := fractionRE.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.zone {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, loc)
		}
		if err == nil {
			return t, l.precision, nil
		}
	}
	return time.Time{}, "", fmt.Errorf("%q is not a date or date-time (e.g. 2024-03-01 21:30, 01-03-2024, 2024-03-01T21:30:00Z)", s)
}

// parseClock reads a time of day (21:30, 21:30:15, 2130).
func parseClock(s string) (h, m, sec int, err error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"15:04:05", "15:04", "1504", "15.04"} {
		if t, e := time.Parse(layout, s); e == nil {
			return t.Hour(), t.Minute(), t.Second(), nil
		}
	}
	return 0, 0, 0, fmt.Errorf("%q is not a time of day (e.g. 21:30)", s)
}

// normCode trims the padding CBS puts after codes ("BU03840101  ") and upper-cases.
func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
