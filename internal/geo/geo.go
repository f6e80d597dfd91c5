// Package geo provides the CBS statistical areas (gemeenten, wijken and buurten) that
// Baken assigns registrations to: it reads them from GeoJSON or TopoJSON, converts
// between RD New (EPSG:28992) and WGS84 (EPSG:4326) with the published approximation
// formulas, and answers point-in-polygon queries through an immutable grid index.
//
// Geometry is always held in WGS84 longitude/latitude; RD New is only an input format.
package geo

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// Level is the kind of CBS area.
type Level string

// The CBS area levels, from coarse to fine.
const (
	LevelGemeente Level = "gemeente"
	LevelWijk     Level = "wijk"
	LevelBuurt    Level = "buurt"
)

// detail orders the levels so that the finest level present can be chosen; unknown
// levels rank below gemeente.
func (l Level) detail() int {
	switch l {
	case LevelGemeente:
		return 1
	case LevelWijk:
		return 2
	case LevelBuurt:
		return 3
	}
	return 0
}

// Area is one CBS area of one vintage. Geometry is always WGS84 lon/lat.
type Area struct {
	Code     string // GM0384, WK038401, BU03840101
	Name     string
	Level    Level
	Parent   string // wijk code for a buurt, gemeente code for a wijk, "" for a gemeente
	Gemeente string // gemeente code (for a gemeente: its own code)
	Year     int    // vintage
	Geometry orb.MultiPolygon
}

// Bound returns the area's bounding box (lon/lat).
func (a Area) Bound() orb.Bound {
	return a.Geometry.Bound()
}

// CRS is the coordinate reference system of input coordinates.
type CRS string

// The supported input coordinate reference systems.
const (
	// CRSAuto detects the system: a GeoJSON "crs" member naming 28992 means RD New;
	// otherwise the coordinate range decides (RD x 0..300000, y 289000..629000, else
	// lon/lat).
	CRSAuto  CRS = ""
	CRSWGS84 CRS = "EPSG:4326"
	CRSRD    CRS = "EPSG:28992"
)

// ParseCRS parses a coordinate reference system as given on a command line or in a
// configuration file. It accepts "EPSG:4326", "4326" and "wgs84" for WGS84 and
// "EPSG:28992", "28992" and "rd" for RD New, in any case; "" means CRSAuto.
func ParseCRS(s string) (CRS, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return CRSAuto, nil
	case "epsg:4326", "4326", "wgs84":
		return CRSWGS84, nil
	case "epsg:28992", "28992", "rd":
		return CRSRD, nil
	}
	return "", fmt.Errorf("unknown crs %q: want EPSG:4326 (wgs84) or EPSG:28992 (rd)", s)
}

// codeLevel returns the level a CBS code denotes, checking its shape: GM plus 4 digits,
// WK plus 6 digits or BU plus 8 digits.
func codeLevel(code string) (Level, error) {
	var level Level
	var digits int
	switch {
	case strings.HasPrefix(code, "GM"):
		level, digits = LevelGemeente, 4
	case strings.HasPrefix(code, "WK"):
		level, digits = LevelWijk, 6
	case strings.HasPrefix(code, "BU"):
		level, digits = LevelBuurt, 8
	default:
		return "", fmt.Errorf("code %q does not start with GM, WK or BU", code)
	}
	rest := code[2:]
	if len(rest) != digits || !allDigits(rest) {
		return "", fmt.Errorf("code %q: want %s followed by %d digits", code, code[:2], digits)
	}
	return level, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parentCode derives the parent of a well-formed code: the wijk of a buurt (BU gggg ww bb
// => WK gggg ww) and the gemeente of a wijk (WK gggg ww => GM gggg). A gemeente has none.
func parentCode(code string, level Level) string {
	switch level {
	case LevelBuurt:
		return "WK" + code[2:8]
	case LevelWijk:
		return "GM" + code[2:6]
	}
	return ""
}

// gemeenteCode derives the gemeente of a well-formed code (for a gemeente its own code).
func gemeenteCode(code string) string {
	if len(code) < 6 {
		return code
	}
	return "GM" + code[2:6]
}
