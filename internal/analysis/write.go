package analysis

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// WriteCellsCSV writes the cells of a hotspot analysis as CSV with the header
// cell,row,col,x,y,count,z,p,q,hot,cold. Numbers have a decimal dot whatever the
// locale: coordinates and counts exactly, z, p and q to 6 significant digits (small
// p-values as 1.87326e-07), which is all they mean and keeps the file the same on
// machines whose floating point differs in the last bits. Hot and cold are true or
// false.
func WriteCellsCSV(w io.Writer, cells []Cell) error {
	cw := csv.NewWriter(w)
	row := []string{"cell", "row", "col", "x", "y", "count", "z", "p", "q", "hot", "cold"}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("write cells csv: %w", err)
	}
	for _, c := range cells {
		row[0] = strconv.Itoa(c.Index)
		row[1] = strconv.Itoa(c.Row)
		row[2] = strconv.Itoa(c.Col)
		row[3] = strconv.FormatFloat(c.X, 'f', -1, 64)
		row[4] = strconv.FormatFloat(c.Y, 'f', -1, 64)
		row[5] = strconv.FormatFloat(c.Count, 'f', -1, 64)
		row[6] = strconv.FormatFloat(c.Z, 'g', 6, 64)
		row[7] = strconv.FormatFloat(c.P, 'g', 6, 64)
		row[8] = strconv.FormatFloat(c.Q, 'g', 6, 64)
		row[9] = strconv.FormatBool(c.Hot)
		row[10] = strconv.FormatBool(c.Cold)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write cells csv: cell %d: %w", c.Index, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write cells csv: %w", err)
	}
	return nil
}

// WriteCellsGeoJSON writes the cells as a GeoJSON FeatureCollection (RFC 7946) of cell
// squares, each with the properties of WriteCellsCSV. toWGS84 converts the grid's metric
// coordinates to longitude and latitude (for RD New, the geo package's conversion);
// each corner is converted, so a square in RD is a slightly skewed quadrilateral on the
// map, as it should be. Coordinates are rounded to 6 decimals, about 10 cm, which keeps
// the file small; rings run counter-clockwise. The properties are named as the CSV's
// columns.
func WriteCellsGeoJSON(w io.Writer, g Grid, cells []Cell, toWGS84 func(x, y float64) (lon, lat float64)) error {
	if toWGS84 == nil {
		return fmt.Errorf("write cells geojson: no conversion to WGS84")
	}
	if err := g.check(); err != nil {
		return fmt.Errorf("write cells geojson: %w", err)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	for k, c := range cells {
		if c.Index < 0 || c.Index >= g.Cells() {
			return fmt.Errorf("write cells geojson: cell %d: outside the grid of %d cells", c.Index, g.Cells())
		}
		f := feature{Type: "Feature"}
		f.Geometry.Type = "Polygon"
		f.Geometry.Coordinates = [][][2]float64{CellRing(g, c.Index, toWGS84)}
		f.Properties = cellProperties{
			Cell: c.Index, Row: c.Row, Col: c.Col, X: c.X, Y: c.Y, Count: c.Count,
			Z: c.Z, P: c.P, Q: c.Q, Hot: c.Hot, Cold: c.Cold,
		}
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("write cells geojson: cell %d: %w", c.Index, err)
		}
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil { // bufio keeps the first write error
		return fmt.Errorf("write cells geojson: %w", err)
	}
	return nil
}

// CellRing returns the outline of cell i as a closed GeoJSON ring: each corner converted
// by toWGS84 (so a square in RD is the slightly skewed quadrilateral it is on the map),
// rounded to 6 decimals (about 10 cm), counter-clockwise.
func CellRing(g Grid, i int, toWGS84 func(x, y float64) (lon, lat float64)) [][2]float64 {
	minX, minY, maxX, maxY := g.Bounds(i)
	ring := make([][2]float64, 0, 5)
	for _, p := range [][2]float64{{minX, minY}, {maxX, minY}, {maxX, maxY}, {minX, maxY}, {minX, minY}} {
		lon, lat := toWGS84(p[0], p[1])
		ring = append(ring, [2]float64{round6(lon), round6(lat)})
	}
	return ring
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

type feature struct {
	Type     string `json:"type"`
	Geometry struct {
		Type        string         `json:"type"`
		Coordinates [][][2]float64 `json:"coordinates"`
	} `json:"geometry"`
	Properties cellProperties `json:"properties"`
}

type cellProperties struct {
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
