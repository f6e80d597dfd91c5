package baken

import (
	"fmt"
)

// AreaLevel is the CBS level of an area.
type AreaLevel string

const (
	LevelGemeente AreaLevel = "gemeente"
	LevelWijk     AreaLevel = "wijk"
	LevelBuurt    AreaLevel = "buurt"
)

// Area is a CBS gemeente, wijk or buurt of one vintage (year), as stored.
// Geometry is a GeoJSON MultiPolygon in WGS84; the bounds are kept beside it so that
// an index can be built without parsing every geometry.
type Area struct {
	Code     string
	Name     string
	Level    AreaLevel
	Parent   string
	Gemeente string
	Year     int
	Geometry []byte
	MinLon   float64
	MinLat   float64
	MaxLon   float64
	MaxLat   float64
}

// validBAGID reports whether id has the shape of a BAG id: 16 digits.
func validBAGID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for i := range len(id) {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// ValidAreaCode reports whether code has the shape of a CBS area code: GM and 4, WK and
// 6 or BU and 8 digits or capitals. Every imported row is checked, so this is written
// out rather than a regular expression (a tenth of the time).
func ValidAreaCode(code string) bool {
	if len(code) < 2 {
		return false
	}
	want := 0
	switch code[:2] {
	case "GM":
		want = 6
	case "WK":
		want = 8
	case "BU":
		want = 10
	}
	if len(code) != want {
		return false
	}
	for i := 2; i < len(code); i++ {
		if c := code[i]; (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// LevelOfCode returns the level a CBS code denotes by its prefix.
func LevelOfCode(code string) (AreaLevel, error) {
	if !ValidAreaCode(code) {
		return "", Errorf(Invalid, "code", "%q is not a CBS area code (GM0384, WK038401, BU03840101)", code)
	}
	switch code[:2] {
	case "GM":
		return LevelGemeente, nil
	case "WK":
		return LevelWijk, nil
	default:
		return LevelBuurt, nil
	}
}

// GemeenteOfCode returns the gemeente code an area code belongs to.
func GemeenteOfCode(code string) string {
	if len(code) < 6 {
		return ""
	}
	return "GM" + code[2:6]
}

// Population holds CBS key figures of one area on 1 January of Year.
type Population struct {
	Code        string
	Level       AreaLevel
	Year        int
	Inhabitants int
	Dwellings   *int // nil when CBS keeps the figure secret
	AreaLandHa  *int // land area in hectares
}

// MinPopulationForRate is the smallest population for which Baken shows a rate per 1,000
// inhabitants; smaller areas (business parks) give meaningless rates.
const MinPopulationForRate = 500

func (p Population) String() string {
	return fmt.Sprintf("%s %d: %d inwoners", p.Code, p.Year, p.Inhabitants)
}
