package analysis

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewGrid(t *testing.T) {
	tests := []struct {
		name                   string
		minX, minY, maxX, maxY float64
		size                   float64
		want                   Grid
	}{
		{
			name: "origin snaps to a multiple of the size",
			minX: 121030, minY: 487260, maxX: 121400, maxY: 487300, size: 125,
			want: Grid{X0: 121000, Y0: 487250, Size: 125, NX: 4, NY: 1},
		},
		{
			name: "a point on the north-east corner is covered",
			minX: 0, minY: 0, maxX: 250, maxY: 125, size: 125,
			want: Grid{X0: 0, Y0: 0, Size: 125, NX: 3, NY: 2},
		},
		{
			name: "a single point is one cell",
			minX: 10, minY: 10, maxX: 10, maxY: 10, size: 100,
			want: Grid{X0: 0, Y0: 0, Size: 100, NX: 1, NY: 1},
		},
		{
			name: "negative coordinates (UTM south of the origin)",
			minX: -130, minY: -10, maxX: -1, maxY: 0, size: 125,
			want: Grid{X0: -250, Y0: -125, Size: 125, NX: 2, NY: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewGrid(tt.minX, tt.minY, tt.maxX, tt.maxY, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewGridErrors(t *testing.T) {
	tests := []struct {
		name                   string
		minX, minY, maxX, maxY float64
		size                   float64
	}{
		{name: "zero size", maxX: 10, maxY: 10, size: 0},
		{name: "negative size", maxX: 10, maxY: 10, size: -125},
		{name: "NaN size", maxX: 10, maxY: 10, size: math.NaN()},
		{name: "infinite size", maxX: 10, maxY: 10, size: math.Inf(1)},
		{name: "NaN coordinate", minX: math.NaN(), maxX: 10, maxY: 10, size: 125},
		{name: "infinite coordinate", maxX: math.Inf(1), maxY: 10, size: 125},
		{name: "max below min", minX: 10, maxX: 0, maxY: 10, size: 125},
		{name: "the whole of the Netherlands in 1 m cells", minX: 0, minY: 300000, maxX: 280000, maxY: 625000, size: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if g, err := NewGrid(tt.minX, tt.minY, tt.maxX, tt.maxY, tt.size); err == nil {
				t.Errorf("no error; grid %+v", g)
			}
		})
	}
}

func TestGridsLineUp(t *testing.T) {
	// Two analyses over different boxes must put a point in cells with the same bounds,
	// or maps of two periods cannot be compared cell by cell.
	a, err := NewGrid(120000, 480000, 130000, 490000, 125)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewGrid(124321, 483210, 126000, 485000, 125)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]float64{{124400, 483300}, {125000, 484999.9}, {125999, 485000}} {
		i, ok := a.Cell(p[0], p[1])
		j, ok2 := b.Cell(p[0], p[1])
		if !ok || !ok2 {
			t.Fatalf("point %v outside a grid", p)
		}
		ax, ay, _, _ := a.Bounds(i)
		bx, by, _, _ := b.Bounds(j)
		if ax != bx || ay != by {
			t.Errorf("point %v: cell at (%v %v) in one grid, (%v %v) in the other", p, ax, ay, bx, by)
		}
	}
}

func TestGridFor(t *testing.T) {
	events := []Event{{X: 155000, Y: 463000}, {X: 155999, Y: 463125}, {X: 155500, Y: 464000}}
	g, err := GridFor(events, DefaultCellSize)
	if err != nil {
		t.Fatal(err)
	}
	counts, outside := g.Counts(events)
	if outside != 0 || sum(counts) != 3 {
		t.Errorf("grid %+v: %v events counted, %d outside; want all 3 inside", g, sum(counts), outside)
	}
	if _, err := GridFor(nil, 125); err == nil {
		t.Error("no events: no error")
	}
}

func TestGridCells(t *testing.T) {
	g := Grid{X0: 1000, Y0: 2000, Size: 100, NX: 4, NY: 3}
	tests := []struct {
		name     string
		x, y     float64
		want     int
		inside   bool
		row, col int
	}{
		{name: "south-west corner belongs to the first cell", x: 1000, y: 2000, want: 0, inside: true},
		{name: "west edge of a cell belongs to it", x: 1100, y: 2000, want: 1, inside: true, col: 1},
		{name: "rows count from the south", x: 1050, y: 2150, want: 4, inside: true, row: 1},
		{name: "last cell", x: 1399.9, y: 2299.9, want: 11, inside: true, row: 2, col: 3},
		{name: "east edge of the grid is outside", x: 1400, y: 2050},
		{name: "north edge of the grid is outside", x: 1050, y: 2300},
		{name: "west of the grid", x: 999.9, y: 2050},
		{name: "NaN", x: math.NaN(), y: 2050},
		{name: "far away", x: 1e300, y: -1e300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := g.Cell(tt.x, tt.y)
			if ok != tt.inside || (ok && got != tt.want) {
				t.Fatalf("Cell = %d, %v; want %d, %v", got, ok, tt.want, tt.inside)
			}
			if !ok {
				return
			}
			if r, c := g.RowCol(got); r != tt.row || c != tt.col {
				t.Errorf("RowCol = %d, %d; want %d, %d", r, c, tt.row, tt.col)
			}
			if i, ok := g.Index(tt.row, tt.col); !ok || i != got {
				t.Errorf("Index(%d, %d) = %d, %v; want %d", tt.row, tt.col, i, ok, got)
			}
			minX, minY, maxX, maxY := g.Bounds(got)
			if !(minX <= tt.x && tt.x < maxX && minY <= tt.y && tt.y < maxY) {
				t.Errorf("Bounds = (%v %v, %v %v): point not inside", minX, minY, maxX, maxY)
			}
			if cx, cy := g.Center(got); cx != (minX+maxX)/2 || cy != (minY+maxY)/2 {
				t.Errorf("Center = (%v %v), not the middle of the bounds", cx, cy)
			}
		})
	}
	for _, rc := range [][2]int{{-1, 0}, {0, -1}, {3, 0}, {0, 4}} {
		if i, ok := g.Index(rc[0], rc[1]); ok {
			t.Errorf("Index(%d, %d) = %d, inside; want outside", rc[0], rc[1], i)
		}
	}
}

func TestGridCounts(t *testing.T) {
	g := Grid{Size: 10, NX: 2, NY: 2}
	events := []Event{{X: 1, Y: 1}, {X: 2, Y: 3}, {X: 15, Y: 5}, {X: 5, Y: 19}, {X: 20, Y: 5}, {X: math.NaN(), Y: 1}}
	counts, outside := g.Counts(events)
	if diff := cmp.Diff([]float64{2, 1, 1, 0}, counts); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}
	if outside != 2 {
		t.Errorf("outside = %d, want 2", outside)
	}
}
