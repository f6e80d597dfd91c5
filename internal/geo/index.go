package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Placement is what a point is located in.
type Placement struct {
	Gemeente, Wijk, Buurt string // codes; empty when not known at that level
	Year                  int
}

// Index answers point-in-polygon queries against a set of areas of one vintage. It indexes
// the most detailed level present per gemeente (buurten where loaded, else wijken, else
// gemeenten) in a uniform grid over their bounding boxes, with each polygon's bounds
// precomputed and an own crossing-number ring test (holes respected) - NOT orb's
// planar.RingContains, which recomputes bounds on every call (see DEPENDENCIES.md 4.4).
// An Index is immutable and safe for concurrent use.
type Index struct {
	// The grid covers [minX, maxX] x [minY, maxY] with nx x ny cells. Cell c lists the
	// polygons whose bounding box overlaps it: cellPolys[cellStart[c]:cellStart[c+1]],
	// in ascending polygon order.
	minX, minY, maxX, maxY float64
	cellsPerX, cellsPerY   float64 // cells per degree
	nx, ny                 int
	cellStart              []int32
	cellPolys              []int32

	// Polygons in order of their area's code and year. Ring k is
	// points[ringStart[k]:ringStart[k+1]]; a polygon's first ring is its outer ring.
	polys     []indexPoly
	ringStart []int32
	points    []orb.Point
	places    []Placement
}

type indexPoly struct {
	minX, minY, maxX, maxY float64
	firstRing, endRing     int32
	place                  int32
}

// gridCellsPerPolygon sets the grid size: about this many cells per indexed polygon, so
// about sqrt(gridCellsPerPolygon*n) cells per side. On the national 2014 buurt set
// (BenchmarkLocateNational) 1, 4, 16 and 64 gave 107, 100, 103 and 117 ns per point:
// once cells hold a few polygons, the ring tests and memory access dominate.
const gridCellsPerPolygon = 4

// maxGridSide bounds the grid, whatever the polygons' shape.
const maxGridSide = 4096

// NewIndex builds an index over areas, which should be of one vintage. It keeps, per
// gemeente, only the areas of the most detailed level present; areas whose level is
// neither given nor derivable from the code are left out, as are polygons with
// non-finite coordinates. The areas are not modified, and the index keeps no reference
// to them.
func NewIndex(areas []Area) *Index {
	type entry struct {
		area  *Area
		level Level
		gm    string
	}
	entries := make([]entry, 0, len(areas))
	finest := make(map[string]int)
	for i := range areas {
		a := &areas[i]
		level := a.Level
		if level.detail() == 0 {
			l, err := codeLevel(a.Code)
			if err != nil {
				continue
			}
			level = l
		}
		gm := a.Gemeente
		if gm == "" {
			gm = gemeenteCode(a.Code)
		}
		entries = append(entries, entry{a, level, gm})
		finest[gm] = max(finest[gm], level.detail())
	}
	entries = slices.DeleteFunc(entries, func(e entry) bool { return e.level.detail() < finest[e.gm] })
	slices.SortStableFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.area.Code, b.area.Code), cmp.Compare(a.area.Year, b.area.Year))
	})

	ix := &Index{places: make([]Placement, 0, len(entries))}
	for _, e := range entries {
		place := int32(len(ix.places))
		ix.places = append(ix.places, placementOf(e.area, e.level, e.gm))
		for _, p := range e.area.Geometry {
			ix.addPolygon(p, place)
		}
	}
	ix.ringStart = append(ix.ringStart, int32(len(ix.points)))
	ix.buildGrid()
	return ix
}

func placementOf(a *Area, level Level, gm string) Placement {
	p := Placement{Gemeente: gm, Year: a.Year}
	switch level {
	case LevelWijk:
		p.Wijk = a.Code
	case LevelBuurt:
		p.Buurt = a.Code
		p.Wijk = a.Parent
		if p.Wijk == "" && len(a.Code) == 10 {
			p.Wijk = parentCode(a.Code, LevelBuurt)
		}
	}
	return p
}

// addPolygon appends a polygon with at least an outer ring and finite coordinates.
func (ix *Index) addPolygon(p orb.Polygon, place int32) {
	if len(p) == 0 || len(p[0]) == 0 {
		return
	}
	b := p[0].Bound()
	for _, r := range p {
		for _, pt := range r {
			if math.IsInf(pt[0], 0) || math.IsNaN(pt[0]) || math.IsInf(pt[1], 0) || math.IsNaN(pt[1]) {
				return
			}
		}
	}
	ip := indexPoly{
		minX: b.Min[0], minY: b.Min[1], maxX: b.Max[0], maxY: b.Max[1],
		firstRing: int32(len(ix.ringStart)),
		place:     place,
	}
	for _, r := range p {
		ix.ringStart = append(ix.ringStart, int32(len(ix.points)))
		ix.points = append(ix.points, r...)
	}
	ip.endRing = int32(len(ix.ringStart))
	ix.polys = append(ix.polys, ip)
}

func (ix *Index) buildGrid() {
	if len(ix.polys) == 0 {
		return
	}
	ix.minX, ix.minY = math.Inf(1), math.Inf(1)
	ix.maxX, ix.maxY = math.Inf(-1), math.Inf(-1)
	for _, p := range ix.polys {
		ix.minX = min(ix.minX, p.minX)
		ix.minY = min(ix.minY, p.minY)
		ix.maxX = max(ix.maxX, p.maxX)
		ix.maxY = max(ix.maxY, p.maxY)
	}
	w, h := ix.maxX-ix.minX, ix.maxY-ix.minY
	ix.nx, ix.ny = 1, 1
	cells := float64(gridCellsPerPolygon * len(ix.polys))
	switch {
	case w > 0 && h > 0:
		side := math.Sqrt(w * h / cells)
		ix.nx = int(min(math.Ceil(w/side), maxGridSide))
		ix.ny = int(min(math.Ceil(h/side), maxGridSide))
	case w > 0:
		ix.nx = int(min(cells, maxGridSide))
	case h > 0:
		ix.ny = int(min(cells, maxGridSide))
	}
	if w > 0 {
		ix.cellsPerX = float64(ix.nx) / w
	}
	if h > 0 {
		ix.cellsPerY = float64(ix.ny) / h
	}

	// Two passes: count the polygons per cell, then fill.
	ix.cellStart = make([]int32, ix.nx*ix.ny+1)
	for _, p := range ix.polys {
		x0, y0, x1, y1 := ix.cellRange(p)
		for cy := y0; cy <= y1; cy++ {
			for cx := x0; cx <= x1; cx++ {
				ix.cellStart[cy*ix.nx+cx+1]++
			}
		}
	}
	for c := 1; c < len(ix.cellStart); c++ {
		ix.cellStart[c] += ix.cellStart[c-1]
	}
	ix.cellPolys = make([]int32, ix.cellStart[len(ix.cellStart)-1])
	next := slices.Clone(ix.cellStart[:len(ix.cellStart)-1])
	for i, p := range ix.polys {
		x0, y0, x1, y1 := ix.cellRange(p)
		for cy := y0; cy <= y1; cy++ {
			for cx := x0; cx <= x1; cx++ {
				c := cy*ix.nx + cx
				ix.cellPolys[next[c]] = int32(i)
				next[c]++
			}
		}
	}
}

func (ix *Index) cellRange(p indexPoly) (x0, y0, x1, y1 int) {
	x0, y0 = ix.cell(p.minX, p.minY)
	x1, y1 = ix.cell(p.maxX, p.maxY)
	return x0, y0, x1, y1
}

// cell returns the grid cell of a point inside the grid's bounds.
func (ix *Index) cell(x, y float64) (cx, cy int) {
	cx = min(int((x-ix.minX)*ix.cellsPerX), ix.nx-1)
	cy = min(int((y-ix.minY)*ix.cellsPerY), ix.ny-1)
	return cx, cy
}

// Locate returns the placement of a WGS84 point, and false when it lies in no area.
// A point on a shared boundary goes to exactly one area, deterministically.
//
// The ring test is half-open and evaluates a shared edge identically for both areas
// beside it, so a point on the boundary between areas that share their vertices (as
// TopoJSON arcs do) lies in exactly one of them. Where areas overlap, the one with the
// lowest code (then year) wins.
func (ix *Index) Locate(lon, lat float64) (Placement, bool) {
	// Written to be false for NaN as well.
	if !(lon >= ix.minX && lon <= ix.maxX && lat >= ix.minY && lat <= ix.maxY) || len(ix.polys) == 0 {
		return Placement{}, false
	}
	cx, cy := ix.cell(lon, lat)
	c := cy*ix.nx + cx
	for _, pi := range ix.cellPolys[ix.cellStart[c]:ix.cellStart[c+1]] {
		p := &ix.polys[pi]
		if lon < p.minX || lon > p.maxX || lat < p.minY || lat > p.maxY {
			continue
		}
		if ix.polygonContains(p, lon, lat) {
			return ix.places[p.place], true
		}
	}
	return Placement{}, false
}

// Len returns the number of indexed areas, after the choice of level per gemeente; an
// area may consist of several polygons.
func (ix *Index) Len() int {
	return len(ix.places)
}

func (ix *Index) ring(k int32) []orb.Point {
	return ix.points[ix.ringStart[k]:ix.ringStart[k+1]]
}

// polygonContains reports whether the point is inside the outer ring and in none of
// the holes.
func (ix *Index) polygonContains(p *indexPoly, x, y float64) bool {
	if !ringContains(ix.ring(p.firstRing), x, y) {
		return false
	}
	for k := p.firstRing + 1; k < p.endRing; k++ {
		if ringContains(ix.ring(k), x, y) {
			return false
		}
	}
	return true
}

// ringContains is a crossing-number (even-odd) test: it counts the ring edges that a ray
// from the point towards +x crosses. The ring is taken as closed whether or not its last
// point repeats the first.
//
// An edge counts when one end is above the point and the other is not (half-open in y),
// and the point lies strictly left of it. Each edge is evaluated with its endpoints in
// a canonical order (lower y first), so the two rings that share an edge compute exactly
// the same result for it: a point on the shared edge is inside exactly one of them.
func ringContains(r []orb.Point, x, y float64) bool {
	if len(r) == 0 {
		return false
	}
	in := false
	a := r[len(r)-1]
	for _, b := range r {
		if (a[1] > y) != (b[1] > y) {
			lo, hi := a, b
			if lo[1] > hi[1] {
				lo, hi = hi, lo
			}
			// x < lo.x + (y-lo.y)*(hi.x-lo.x)/(hi.y-lo.y), multiplied out by hi.y-lo.y > 0.
			if (x-lo[0])*(hi[1]-lo[1]) < (y-lo[1])*(hi[0]-lo[0]) {
				in = !in
			}
		}
		a = b
	}
	return in
}
