// Package analysis provides the spatial and temporal statistics analysts use on
// registrations: a metric grid, kernel density, Getis-Ord Gi* hotspots with false
// discovery control, hour-by-weekday patterns and the Knox near-repeat test. It works on
// plain events in a metric plane (RD New in metres for Dutch data, a UTM zone for foreign
// test data); reading them from a store or a file is the caller's business.
package analysis

import (
	"fmt"
	"math"
	"time"
)

// Event is something that happened at a place in a metric plane (metres) at a time.
type Event struct {
	X, Y float64
	T    time.Time
}

// DefaultCellSize is the cell size of the grid when none is given: 125 m, as the Dutch
// police's Crime Anticipation System used.
const DefaultCellSize = 125

// MaxCells bounds a grid's number of cells, so that a typo in a cell size or a stray
// coordinate cannot ask for gigabytes.
const MaxCells = 25_000_000

// Grid is a regular grid of square cells in a metric plane. Cell i covers
// [X0+col*Size, X0+(col+1)*Size) x [Y0+row*Size, Y0+(row+1)*Size) with row = i / NX and
// col = i % NX; row 0 is the southern edge.
type Grid struct {
	X0, Y0 float64 // south-west corner
	Size   float64 // cell side in metres
	NX, NY int     // columns, rows
}

// NewGrid returns the grid of cells of the given size that covers the box. Its origin
// is a multiple of the size, so that grids of the same size over the same coordinates
// line up whatever box they were made for (RD cells of 125 m are the same cells in
// every analysis).
func NewGrid(minX, minY, maxX, maxY, size float64) (Grid, error) {
	if !(size > 0) || math.IsInf(size, 0) {
		return Grid{}, fmt.Errorf("grid: cell size %v: must be a positive number of metres", size)
	}
	for _, v := range []float64{minX, minY, maxX, maxY} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Grid{}, fmt.Errorf("grid: box (%v %v, %v %v): not a finite box", minX, minY, maxX, maxY)
		}
	}
	if maxX < minX || maxY < minY {
		return Grid{}, fmt.Errorf("grid: box (%v %v, %v %v): max below min", minX, minY, maxX, maxY)
	}
	x0 := math.Floor(minX/size) * size
	y0 := math.Floor(minY/size) * size
	nx := int(math.Floor((maxX-x0)/size)) + 1
	ny := int(math.Floor((maxY-y0)/size)) + 1
	if float64(nx)*float64(ny) > MaxCells {
		return Grid{}, fmt.Errorf("grid: %d x %d cells of %v m: more than %d cells; use larger cells or a smaller area",
			nx, ny, size, MaxCells)
	}
	return Grid{X0: x0, Y0: y0, Size: size, NX: nx, NY: ny}, nil
}

// GridFor returns the grid of the given cell size that covers all events.
func GridFor(events []Event, size float64) (Grid, error) {
	if len(events) == 0 {
		return Grid{}, fmt.Errorf("grid: no events to cover")
	}
	minX, minY, maxX, maxY := events[0].X, events[0].Y, events[0].X, events[0].Y
	for _, e := range events[1:] {
		minX, maxX = math.Min(minX, e.X), math.Max(maxX, e.X)
		minY, maxY = math.Min(minY, e.Y), math.Max(maxY, e.Y)
	}
	return NewGrid(minX, minY, maxX, maxY, size)
}

// Cells returns the number of cells.
func (g Grid) Cells() int { return g.NX * g.NY }

// Cell returns the index of the cell that holds (x, y), and false when the point is
// outside the grid.
func (g Grid) Cell(x, y float64) (int, bool) {
	c := math.Floor((x - g.X0) / g.Size)
	r := math.Floor((y - g.Y0) / g.Size)
	if !(c >= 0 && r >= 0 && c < float64(g.NX) && r < float64(g.NY)) { // also false for NaN
		return 0, false
	}
	return int(r)*g.NX + int(c), true
}

// RowCol returns the row (from the south) and column (from the west) of cell i.
func (g Grid) RowCol(i int) (row, col int) { return i / g.NX, i % g.NX }

// Index returns the cell at row, col, and false when that is outside the grid.
func (g Grid) Index(row, col int) (int, bool) {
	if row < 0 || col < 0 || row >= g.NY || col >= g.NX {
		return 0, false
	}
	return row*g.NX + col, true
}

// Center returns the centre of cell i.
func (g Grid) Center(i int) (x, y float64) {
	r, c := g.RowCol(i)
	return g.X0 + (float64(c)+0.5)*g.Size, g.Y0 + (float64(r)+0.5)*g.Size
}

// Bounds returns the south-west and north-east corners of cell i.
func (g Grid) Bounds(i int) (minX, minY, maxX, maxY float64) {
	r, c := g.RowCol(i)
	minX, minY = g.X0+float64(c)*g.Size, g.Y0+float64(r)*g.Size
	return minX, minY, minX + g.Size, minY + g.Size
}

// Counts returns the number of events in every cell; events outside the grid are not
// counted, and their number is returned as outside.
func (g Grid) Counts(events []Event) (counts []float64, outside int) {
	counts = make([]float64, g.Cells())
	for _, e := range events {
		i, ok := g.Cell(e.X, e.Y)
		if !ok {
			outside++
			continue
		}
		counts[i]++
	}
	return counts, outside
}

// check reports whether g is a grid the statistics can work on; a zero Grid or one
// built by hand with a bad size is refused rather than indexed out of range.
func (g Grid) check() error {
	if !(g.Size > 0) || math.IsInf(g.Size, 0) || math.IsNaN(g.X0) || math.IsInf(g.X0, 0) ||
		math.IsNaN(g.Y0) || math.IsInf(g.Y0, 0) {
		return fmt.Errorf("grid at (%v %v) with cells of %v m: not a valid grid", g.X0, g.Y0, g.Size)
	}
	if g.NX <= 0 || g.NY <= 0 || float64(g.NX)*float64(g.NY) > MaxCells {
		return fmt.Errorf("grid of %d x %d cells: not a valid grid", g.NX, g.NY)
	}
	return nil
}
