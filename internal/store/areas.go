package store

import (
	"context"
	"fmt"
	"strings"

	"baken/internal/baken"
)

// requireWriter fails unless the actor may change reference data.
func requireWriter(tx *Tx) error {
	a := tx.Actor()
	if a.HasRole(baken.RoleSystem) || a.HasRole(baken.RoleAdmin) {
		return nil
	}
	return &baken.Error{Kind: baken.Forbidden, Message: "only a beheerder may change reference data"}
}

// UpsertAreas stores areas, replacing those with the same code and year. source names
// where they came from (a file name). It returns how many were stored. Only the system
// or a beheerder may call it.
func (db *DB) UpsertAreas(ctx context.Context, areas []baken.Area, source string) (int, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if err := requireWriter(tx); err != nil {
		return 0, err
	}
	const cols = 13
	const batch = 200
	for start := 0; start < len(areas); start += batch {
		chunk := areas[start:min(start+batch, len(areas))]
		args := make([]any, 0, len(chunk)*cols)
		for _, a := range chunk {
			if _, err := baken.LevelOfCode(a.Code); err != nil {
				return 0, err
			}
			args = append(args, a.Code, a.Year, string(a.Level), a.Name, a.Parent, a.Gemeente, string(a.Geometry),
				a.MinLon, a.MinLat, a.MaxLon, a.MaxLat, source, Time{tx.now})
		}
		q := `INSERT INTO areas (code, year, level, name, parent, gemeente, geometry,
			min_lon, min_lat, max_lon, max_lat, source, imported_at) VALUES ` + placeholders(len(chunk), cols) + `
			ON CONFLICT (code, year) DO UPDATE SET level = excluded.level, name = excluded.name,
			parent = excluded.parent, gemeente = excluded.gemeente, geometry = excluded.geometry,
			min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
			max_lat = excluded.max_lat, source = excluded.source, imported_at = excluded.imported_at`
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return 0, fmt.Errorf("store areas: %w", err)
		}
	}
	gms := make([]string, 0, len(areas))
	for _, a := range areas {
		gms = append(gms, a.Gemeente)
	}
	if err := tx.bumpGemeenten(ctx, gms); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return len(areas), nil
}

// AreaFilter selects areas; nil fields do not filter.
type AreaFilter struct {
	Code     *string
	Year     *int
	Level    *baken.AreaLevel
	Gemeente *string
	Parent   *string
	// WithGeometry loads the GeoJSON geometry; without it Geometry stays nil.
	WithGeometry bool
}

// FindAreas returns the areas matching f, ordered by year and code. Areas are public
// reference data: any actor may read them.
func (db *DB) FindAreas(ctx context.Context, f AreaFilter) ([]baken.Area, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	geom := "''"
	if f.WithGeometry {
		geom = "geometry"
	}
	var where []string
	var args []any
	if f.Code != nil {
		where, args = append(where, "code = ?"), append(args, *f.Code)
	}
	if f.Year != nil {
		where, args = append(where, "year = ?"), append(args, *f.Year)
	}
	if f.Level != nil {
		where, args = append(where, "level = ?"), append(args, string(*f.Level))
	}
	if f.Gemeente != nil {
		where, args = append(where, "gemeente = ?"), append(args, *f.Gemeente)
	}
	if f.Parent != nil {
		where, args = append(where, "parent = ?"), append(args, *f.Parent)
	}
	q := `SELECT code, year, level, name, parent, gemeente, ` + geom + `, min_lon, min_lat, max_lon, max_lat FROM areas`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY year, code"
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find areas: %w", err)
	}
	defer rows.Close()
	var out []baken.Area
	for rows.Next() {
		var a baken.Area
		var level, g string
		if err := rows.Scan(&a.Code, &a.Year, &level, &a.Name, &a.Parent, &a.Gemeente, &g,
			&a.MinLon, &a.MinLat, &a.MaxLon, &a.MaxLat); err != nil {
			return nil, fmt.Errorf("find areas: %w", err)
		}
		a.Level = baken.AreaLevel(level)
		if g != "" {
			a.Geometry = []byte(g)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find areas: %w", err)
	}
	return out, nil
}

// FindArea returns one area by code and year, or a NotFound error.
func (db *DB) FindArea(ctx context.Context, code string, year int, withGeometry bool) (baken.Area, error) {
	as, err := db.FindAreas(ctx, AreaFilter{Code: &code, Year: &year, WithGeometry: withGeometry})
	if err != nil {
		return baken.Area{}, err
	}
	if len(as) == 0 {
		return baken.Area{}, &baken.Error{Kind: baken.NotFound, Field: "code", Message: fmt.Sprintf("area %s (%d) not found", code, year)}
	}
	return as[0], nil
}

// AreaVintages returns the vintage years loaded, ascending.
func (db *DB) AreaVintages(ctx context.Context) ([]int, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT DISTINCT year FROM areas ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("area vintages: %w", err)
	}
	defer rows.Close()
	var years []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("area vintages: %w", err)
		}
		years = append(years, y)
	}
	return years, rows.Err()
}

// UpsertPopulation stores population figures, replacing those with the same code and
// year. Only the system or a beheerder may call it.
func (db *DB) UpsertPopulation(ctx context.Context, ps []baken.Population, source string) (int, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if err := requireWriter(tx); err != nil {
		return 0, err
	}
	const cols = 8
	const batch = 500
	for start := 0; start < len(ps); start += batch {
		chunk := ps[start:min(start+batch, len(ps))]
		args := make([]any, 0, len(chunk)*cols)
		for _, p := range chunk {
			args = append(args, p.Code, p.Year, string(p.Level), p.Inhabitants, p.Dwellings, p.AreaLandHa, source, Time{tx.now})
		}
		q := `INSERT INTO population (code, year, level, inhabitants, dwellings, area_land_ha, source, imported_at)
			VALUES ` + placeholders(len(chunk), cols) + `
			ON CONFLICT (code, year) DO UPDATE SET level = excluded.level, inhabitants = excluded.inhabitants,
			dwellings = excluded.dwellings, area_land_ha = excluded.area_land_ha, source = excluded.source,
			imported_at = excluded.imported_at`
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return 0, fmt.Errorf("store population: %w", err)
		}
	}
	gms := make([]string, 0, len(ps))
	for _, p := range ps {
		gms = append(gms, baken.GemeenteOfCode(p.Code))
	}
	if err := tx.bumpGemeenten(ctx, gms); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return len(ps), nil
}

// PopulationFilter selects population figures; nil fields do not filter.
type PopulationFilter struct {
	Codes []string
	Year  *int
	Level *baken.AreaLevel
}

// FindPopulation returns population figures matching f, ordered by code and year.
// Population is public reference data: any actor may read it.
func (db *DB) FindPopulation(ctx context.Context, f PopulationFilter) ([]baken.Population, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var where []string
	var args []any
	if len(f.Codes) > 0 {
		where = append(where, "code IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Codes)), ", ")+")")
		for _, c := range f.Codes {
			args = append(args, c)
		}
	}
	if f.Year != nil {
		where, args = append(where, "year = ?"), append(args, *f.Year)
	}
	if f.Level != nil {
		where, args = append(where, "level = ?"), append(args, string(*f.Level))
	}
	q := `SELECT code, year, level, inhabitants, dwellings, area_land_ha FROM population`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY code, year"
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find population: %w", err)
	}
	defer rows.Close()
	var out []baken.Population
	for rows.Next() {
		var p baken.Population
		var level string
		if err := rows.Scan(&p.Code, &p.Year, &level, &p.Inhabitants, &p.Dwellings, &p.AreaLandHa); err != nil {
			return nil, fmt.Errorf("find population: %w", err)
		}
		p.Level = baken.AreaLevel(level)
		out = append(out, p)
	}
	return out, rows.Err()
}
