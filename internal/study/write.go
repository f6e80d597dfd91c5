package study

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"baken/internal/analysis"
	"baken/internal/forecast"
)

// Polygon is a GeoJSON polygon (RFC 7946) in WGS84.
type Polygon struct {
	Type        string         `json:"type"`
	Coordinates [][][2]float64 `json:"coordinates"`
}

// CellPolygon returns cell i of g as a polygon in WGS84 (see analysis.CellRing).
func CellPolygon(g analysis.Grid, i int, toWGS84 func(x, y float64) (lon, lat float64)) Polygon {
	return Polygon{Type: "Polygon", Coordinates: [][][2]float64{analysis.CellRing(g, i, toWGS84)}}
}

// HotspotProperties are a hotspot cell's GeoJSON properties, named as the columns of
// analysis.WriteCellsCSV.
type HotspotProperties struct {
	Cell  int     `json:"cell"`
	Row   int     `json:"row"`
	Col   int     `json:"col"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Count float64 `json:"count"`
	Z     float64 `json:"z"`
	P     float64 `json:"p"`
	Q     float64 `json:"q"`
	Hot   bool    `json:"hot"`
	Cold  bool    `json:"cold"`
}

// HotspotFeature is one cell of a hotspot map as a GeoJSON feature.
type HotspotFeature struct {
	Type       string            `json:"type"`
	Geometry   Polygon           `json:"geometry"`
	Properties HotspotProperties `json:"properties"`
}

// HotspotFeatures returns the cells as GeoJSON features; p and q are rounded to 6
// significant digits and z to 4 decimals, which is all they mean.
func HotspotFeatures(g analysis.Grid, cells []analysis.Cell, toWGS84 func(x, y float64) (lon, lat float64)) []HotspotFeature {
	out := make([]HotspotFeature, 0, len(cells))
	for _, c := range cells {
		out = append(out, HotspotFeature{Type: "Feature", Geometry: CellPolygon(g, c.Index, toWGS84), Properties: HotspotProperties{
			Cell: c.Index, Row: c.Row, Col: c.Col, X: c.X, Y: c.Y, Count: c.Count,
			Z: math.Round(c.Z*1e4) / 1e4, P: sig6(c.P), Q: sig6(c.Q), Hot: c.Hot, Cold: c.Cold}})
	}
	return out
}

func sig6(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// WriteForecastCSV writes a forecast's cells with the header
// cell,row,col,x,y,risk,rank,top: coordinates exactly, risk to 6 significant digits.
func WriteForecastCSV(w io.Writer, cells []ForecastCell) error {
	cw := csv.NewWriter(w)
	row := []string{"cell", "row", "col", "x", "y", "risk", "rank", "top"}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("write forecast csv: %w", err)
	}
	for _, c := range cells {
		row[0], row[1], row[2] = strconv.Itoa(c.Index), strconv.Itoa(c.Row), strconv.Itoa(c.Col)
		row[3], row[4] = strconv.FormatFloat(c.X, 'f', -1, 64), strconv.FormatFloat(c.Y, 'f', -1, 64)
		row[5], row[6], row[7] = strconv.FormatFloat(c.Risk, 'g', 6, 64), strconv.Itoa(c.Rank), strconv.FormatBool(c.Top)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write forecast csv: cell %d: %w", c.Index, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write forecast csv: %w", err)
	}
	return nil
}

// WriteForecastGeoJSON writes a forecast's cells as a GeoJSON FeatureCollection of cell
// squares with the properties of WriteForecastCSV, and the method, origin and horizon as
// members of the collection.
func WriteForecastGeoJSON(w io.Writer, m ForecastMap, toWGS84 func(x, y float64) (lon, lat float64)) error {
	type feature struct {
		Type       string       `json:"type"`
		Geometry   Polygon      `json:"geometry"`
		Properties ForecastCell `json:"properties"`
	}
	bw := bufio.NewWriter(w)
	head, err := json.Marshal(struct {
		Method  string `json:"method"`
		Origin  string `json:"origin"`
		Horizon string `json:"horizon"`
	}{m.Method, m.Origin.Format("2006-01-02T15:04:05Z07:00"), forecast.FormatDuration(m.Horizon)})
	if err != nil {
		return fmt.Errorf("write forecast geojson: %w", err)
	}
	bw.WriteString(`{"type":"FeatureCollection",`)
	bw.Write(head[1 : len(head)-1])
	bw.WriteString(`,"features":[`)
	for k, c := range m.Cells {
		c.Risk = sig6(c.Risk)
		b, err := json.Marshal(feature{Type: "Feature", Geometry: CellPolygon(m.Grid, c.Index, toWGS84), Properties: c})
		if err != nil {
			return fmt.Errorf("write forecast geojson: cell %d: %w", c.Index, err)
		}
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write forecast geojson: %w", err)
	}
	return nil
}
