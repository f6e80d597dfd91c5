package importer

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"baken/internal/baken"
)

// populationColumns maps our field names to the header names that carry them: our own
// table (code, level, inhabitants, ...) and CBS's StatLine export (Codering_3,
// AantalInwoners_5, ...; the numeric suffix varies between years, so it is ignored).
var populationColumns = map[string][]string{
	"code":         {"code", "codering", "wijkenenbuurten", "regiocode"},
	"inhabitants":  {"inhabitants", "aantalinwoners", "inwoners"},
	"dwellings":    {"dwellings", "woningvoorraad", "woningen"},
	"area_land_ha": {"area_land_ha", "oppervlakteland"},
}

var cbsSuffix = regexp.MustCompile(`_[0-9]+$`)

var yearInName = regexp.MustCompile(`(?:^|[^0-9])(20[0-9]{2})(?:[^0-9]|$)`)

// YearFromName returns a year 2000-2099 found in a file name, or 0.
func YearFromName(name string) int {
	m := yearInName.FindStringSubmatch(name)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// ReadPopulation reads CBS kerncijfers (inhabitants per gemeente, wijk and buurt where
// the file has them) as CSV. year is the reference year; 0 takes it from the file name.
// Rows whose code is not a gemeente, wijk or buurt (the national total) are skipped.
// Every invalid row is reported with file, line and column; nothing is returned then,
// so that a bad file never half-replaces good figures.
func ReadPopulation(in *Input, year int) ([]baken.Population, error) {
	if year == 0 {
		year = YearFromName(in.Name)
	}
	if year == 0 {
		return nil, baken.Errorf(baken.Invalid, in.Name, "no reference year in the file name: give --year")
	}
	cr := in.CSV()
	header, err := cr.Read()
	if err != nil {
		return nil, baken.Errorf(baken.Invalid, in.Name, "no header line: %v", err)
	}
	idx := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(cbsSuffix.ReplaceAllString(strings.TrimSpace(h), ""))
		for field, names := range populationColumns {
			for _, n := range names {
				if key == n {
					if _, dup := idx[field]; !dup {
						idx[field] = i
					}
				}
			}
		}
	}
	for _, need := range []string{"code", "inhabitants"} {
		if _, ok := idx[need]; !ok {
			return nil, baken.Errorf(baken.Invalid, in.Name+":1", "no column for %s (one of %s)", need, strings.Join(populationColumns[need], ", "))
		}
	}
	var out []baken.Population
	var errs baken.FieldErrors
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, baken.Errorf(baken.Invalid, fmt.Sprintf("%s:%d", in.Name, line), "%v", err))
			break
		}
		field := func(name string) (string, string) {
			i, ok := idx[name]
			if !ok || i >= len(rec) {
				return "", ""
			}
			return strings.TrimSpace(rec[i]), fmt.Sprintf("%s:%d:%d", in.Name, line, i+1)
		}
		code, where := field("code")
		level, err := baken.LevelOfCode(code)
		if err != nil {
			if strings.HasPrefix(code, "NL") {
				continue // the national total
			}
			errs = append(errs, baken.Errorf(baken.Invalid, where, "%q is not a CBS area code", code))
			continue
		}
		p := baken.Population{Code: code, Level: level, Year: year}
		v, where := field("inhabitants")
		n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
		if err != nil || n < 0 {
			errs = append(errs, baken.Errorf(baken.Invalid, where, "inhabitants %q is not a whole number", v))
			continue
		}
		p.Inhabitants = n
		for _, opt := range []struct {
			name string
			dst  **int
		}{{"dwellings", &p.Dwellings}, {"area_land_ha", &p.AreaLandHa}} {
			v, where := field(opt.name)
			if v == "" || v == "." {
				continue // secret or unknown at CBS
			}
			n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
			if err != nil {
				errs = append(errs, baken.Errorf(baken.Invalid, where, "%s %q is not a whole number", opt.name, v))
				continue
			}
			*opt.dst = &n
		}
		out = append(out, p)
		if len(errs) >= 20 {
			break
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, baken.Errorf(baken.Invalid, in.Name, "no population rows")
	}
	return out, nil
}
