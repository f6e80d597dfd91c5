package baken

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CountKind is what a police open-data table counts. A newer download replaces the
// counts of its own kind only.
type CountKind string

const (
	CountCrime    CountKind = "misdrijven" // 47018NED, 47022NED: registered crimes by SoortMisdrijf
	CountNuisance CountKind = "overlast"   // 47024NED: registered nuisance by Overlast
)

// countTables are the police open-data tables whose counts Baken reads.
var countTables = map[string]CountKind{
	"47018NED": CountCrime,    // misdrijven per gemeente, per month
	"47022NED": CountCrime,    // misdrijven per gemeente, wijk and buurt, per month
	"47024NED": CountNuisance, // overlast per gemeente, wijk and buurt, per month
}

// KindOfTable returns what a police open-data table counts, or Invalid for a table
// Baken does not read.
func KindOfTable(table string) (CountKind, error) {
	if k, ok := countTables[strings.ToUpper(strings.TrimSpace(table))]; ok {
		return k, nil
	}
	return "", Errorf(Invalid, "table", "%q: want 47018NED or 47022NED (misdrijven) or 47024NED (overlast)", table)
}

// Count is one published figure of police open data: how many crimes or nuisance
// incidents of a category the police registered in an area in a month or a year. An area
// is a gemeente (Wijk and Buurt empty), a wijk (Buurt empty) or a buurt. The figures of
// the three levels are published side by side and do not add up to each other: a buurt
// total leaves out what has no buurt.
type Count struct {
	Gemeente string
	Wijk     string
	Buurt    string
	Source   string
	Kind     CountKind
	Table    string // the table it came from: 47018NED, 47022NED, 47024NED
	Category string
	// Day is the first day of the period (YYYY-MM-01 for a month, YYYY-01-01 for a year).
	Day       string
	Precision Precision // month or year
	N         int
	// BatchID is the import that stored this value; RetrievedAt is when it did.
	BatchID     string
	RetrievedAt time.Time
}

// Area returns the code of the area the count is for.
func (c Count) Area() string {
	switch {
	case c.Buurt != "":
		return c.Buurt
	case c.Wijk != "":
		return c.Wijk
	}
	return c.Gemeente
}

// SplitAreaCode returns the gemeente, wijk and buurt columns of a CBS area code: a buurt
// code gives its wijk and gemeente too, a wijk code its gemeente, a gemeente code itself.
func SplitAreaCode(code string) (gemeente, wijk, buurt string, err error) {
	level, err := LevelOfCode(code)
	if err != nil {
		return "", "", "", err
	}
	switch level {
	case LevelBuurt:
		return "GM" + code[2:6], "WK" + code[2:8], code, nil
	case LevelWijk:
		return "GM" + code[2:6], code, "", nil
	}
	return code, "", "", nil
}

var periodRE = regexp.MustCompile(`^([0-9]{4})(MM|JJ|KW)([0-9]{2})$`)

// ParsePeriod reads a CBS period key: 2024MM03 (March 2024) or 2024JJ00 (the year 2024).
// It returns the first day of the period and its precision. Quarters (2024KW01) are
// refused: the police tables publish months and years, and a quarter cannot be split
// into months without inventing figures.
func ParsePeriod(s string) (day string, p Precision, err error) {
	key := strings.ToUpper(strings.TrimSpace(s))
	m := periodRE.FindStringSubmatch(key)
	if m == nil {
		return "", "", Errorf(Invalid, "period", "%q is not a CBS period (2024MM03 for a month, 2024JJ00 for a year)", s)
	}
	year, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[3])
	if year < 1900 || year > 2200 {
		return "", "", Errorf(Invalid, "period", "%q: year %d is not plausible", s, year)
	}
	switch m[2] {
	case "MM":
		if n < 1 || n > 12 {
			return "", "", Errorf(Invalid, "period", "%q: month %02d does not exist", s, n)
		}
		return fmt.Sprintf("%04d-%02d-01", year, n), PrecisionMonth, nil
	case "JJ":
		if n != 0 {
			return "", "", Errorf(Invalid, "period", "%q: a year is written YYYYJJ00", s)
		}
		return fmt.Sprintf("%04d-01-01", year), PrecisionYear, nil
	}
	return "", "", Errorf(Invalid, "period", "%q is a quarter: the police tables publish months (MM) and years (JJ); download those", s)
}

var dayRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-01$`)

// Validate checks a count before it is stored and reports every problem, each naming
// its field.
func (c *Count) Validate() error {
	var errs FieldErrors
	if c.Category == "" {
		errs = append(errs, Errorf(Invalid, "category", "missing"))
	}
	switch c.Precision {
	case PrecisionMonth:
		if !dayRE.MatchString(c.Day) {
			errs = append(errs, Errorf(Invalid, "day", "%q: a month count is on the first of the month (YYYY-MM-01)", c.Day))
		}
	case PrecisionYear:
		if !dayRE.MatchString(c.Day) || c.Day[5:7] != "01" {
			errs = append(errs, Errorf(Invalid, "day", "%q: a year count is on 1 January (YYYY-01-01)", c.Day))
		}
	default:
		errs = append(errs, Errorf(Invalid, "precision", "%q: a count is per month or per year", c.Precision))
	}
	if l, err := LevelOfCode(c.Gemeente); err != nil || l != LevelGemeente {
		errs = append(errs, Errorf(Invalid, "gemeente", "%q is not a CBS gemeente code (GM0384)", c.Gemeente))
	}
	if c.Wijk != "" {
		if l, err := LevelOfCode(c.Wijk); err != nil || l != LevelWijk || GemeenteOfCode(c.Wijk) != c.Gemeente {
			errs = append(errs, Errorf(Invalid, "wijk", "%q is not a wijk code of %s", c.Wijk, c.Gemeente))
		}
	}
	if c.Buurt != "" {
		if l, err := LevelOfCode(c.Buurt); err != nil || l != LevelBuurt || c.Wijk != "WK"+c.Buurt[2:8] {
			errs = append(errs, Errorf(Invalid, "buurt", "%q is not a buurt code of wijk %q", c.Buurt, c.Wijk))
		}
	}
	if c.N < 0 {
		errs = append(errs, Errorf(Invalid, "n", "%d: a count is not negative", c.N))
	}
	return errs.Err()
}
