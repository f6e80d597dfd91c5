package geo

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestLocateDiemen(t *testing.T) {
	buurten := readDiemen(t, diemenBuurtWGS)
	wijken := readDiemen(t, diemenWijkWGS)
	rdBuurten := readDiemen(t, diemenBuurtRD)

	tests := []struct {
		name    string
		areas   []Area
		wantLen int
	}{
		{"buurten", buurten, 37},
		{"buurten from RD", rdBuurten, 37},
		{"buurten and wijken", append(append([]Area(nil), wijken...), buurten...), 37},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex(tc.areas)
			if ix.Len() != tc.wantLen {
				t.Errorf("Len() = %d, want %d", ix.Len(), tc.wantLen)
			}
			for _, b := range buurten {
				p := interiorPoint(t, b, buurten)
				want := Placement{Gemeente: "GM0384", Wijk: b.Parent, Buurt: b.Code, Year: 2024}
				got, ok := ix.Locate(p[0], p[1])
				if !ok {
					t.Errorf("Locate(%v) inside %s: not found", p, b.Code)
					continue
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Locate(%v) inside %s mismatch (-want +got):\n%s", p, b.Code, diff)
				}
			}
		})
	}

	t.Run("wijken", func(t *testing.T) {
		ix := NewIndex(wijken)
		if ix.Len() != 8 {
			t.Errorf("Len() = %d, want 8", ix.Len())
		}
		for _, w := range wijken {
			p := interiorPoint(t, w, wijken)
			want := Placement{Gemeente: "GM0384", Wijk: w.Code, Year: 2024}
			got, ok := ix.Locate(p[0], p[1])
			if diff := cmp.Diff(want, got); !ok || diff != "" {
				t.Errorf("Locate(%v) inside %s = %v mismatch (-want +got):\n%s", p, w.Code, ok, diff)
			}
		}
	})

	t.Run("outside", func(t *testing.T) {
		ix := NewIndex(buurten)
		for _, p := range []orb.Point{
			{5.38720621, 52.15517440}, // Amersfoort
			{4.8910, 52.3731},         // Amsterdam, Dam
			{0, 0},
			{-200, 95},
			{math.NaN(), 52.34},
			{4.98, math.NaN()},
			{math.Inf(1), 52.34},
		} {
			if got, ok := ix.Locate(p[0], p[1]); ok {
				t.Errorf("Locate(%v) = %+v, want no placement", p, got)
			}
		}
	})
}

// square returns a closed axis-parallel square ring.
func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// TestIndexLevelPerGemeente checks that each gemeente is indexed at its most detailed
// loaded level.
func TestIndexLevelPerGemeente(t *testing.T) {
	areas := []Area{
		// GM0001 has gemeente, wijk and buurt areas: only the buurt is indexed, and the
		// rest of the gemeente is not covered.
		{Code: "GM0001", Level: LevelGemeente, Gemeente: "GM0001", Year: 2024, Geometry: orb.MultiPolygon{{square(0, 0, 2, 1)}}},
		{Code: "WK000101", Level: LevelWijk, Parent: "GM0001", Gemeente: "GM0001", Year: 2024, Geometry: orb.MultiPolygon{{square(0, 0, 2, 1)}}},
		{Code: "BU00010101", Level: LevelBuurt, Parent: "WK000101", Gemeente: "GM0001", Year: 2024, Geometry: orb.MultiPolygon{{square(0, 0, 1, 1)}}},
		// GM0002 has a gemeente and a wijk.
		{Code: "GM0002", Level: LevelGemeente, Gemeente: "GM0002", Year: 2024, Geometry: orb.MultiPolygon{{square(2, 0, 4, 1)}}},
		{Code: "WK000201", Level: LevelWijk, Parent: "GM0002", Gemeente: "GM0002", Year: 2024, Geometry: orb.MultiPolygon{{square(2, 0, 3, 1)}}},
		// GM0003 has only itself, as a two-part MultiPolygon with a hole, and no Level
		// or Gemeente filled in: both come from the code.
		{Code: "GM0003", Year: 2024, Geometry: orb.MultiPolygon{
			{square(4, 0, 6, 1), square(4.5, 0.25, 5, 0.75)},
			{square(7, 0, 8, 1)},
		}},
	}
	ix := NewIndex(areas)
	if ix.Len() != 3 {
		t.Errorf("Len() = %d, want 3", ix.Len())
	}
	tests := []struct {
		p    orb.Point
		want Placement
		ok   bool
	}{
		{orb.Point{0.5, 0.5}, Placement{Gemeente: "GM0001", Wijk: "WK000101", Buurt: "BU00010101", Year: 2024}, true},
		{orb.Point{1.5, 0.5}, Placement{}, false},
		{orb.Point{2.5, 0.5}, Placement{Gemeente: "GM0002", Wijk: "WK000201", Year: 2024}, true},
		{orb.Point{3.5, 0.5}, Placement{}, false},
		{orb.Point{4.25, 0.5}, Placement{Gemeente: "GM0003", Year: 2024}, true},
		{orb.Point{4.75, 0.5}, Placement{}, false}, // in the hole
		{orb.Point{7.5, 0.5}, Placement{Gemeente: "GM0003", Year: 2024}, true},
		{orb.Point{6.5, 0.5}, Placement{}, false}, // between the parts
	}
	for _, tc := range tests {
		got, ok := ix.Locate(tc.p[0], tc.p[1])
		if diff := cmp.Diff(tc.want, got); ok != tc.ok || diff != "" {
			t.Errorf("Locate(%v) = %v, want %v; mismatch (-want +got):\n%s", tc.p, ok, tc.ok, diff)
		}
	}
}

func TestIndexOverlapLowestCodeWins(t *testing.T) {
	areas := []Area{
		{Code: "BU00010102", Level: LevelBuurt, Year: 2024, Geometry: orb.MultiPolygon{{square(0, 0, 2, 2)}}},
		{Code: "BU00010101", Level: LevelBuurt, Year: 2024, Geometry: orb.MultiPolygon{{square(1, 1, 3, 3)}}},
	}
	for _, order := range [][]Area{areas, {areas[1], areas[0]}} {
		got, ok := NewIndex(order).Locate(1.5, 1.5)
		if !ok || got.Buurt != "BU00010101" {
			t.Errorf("Locate in the overlap = %+v, %v; want BU00010101", got, ok)
		}
	}
}

func TestIndexEmpty(t *testing.T) {
	for _, areas := range [][]Area{nil, {{Code: "nonsense"}}, {{Code: "BU00010101", Level: LevelBuurt}}} {
		ix := NewIndex(areas)
		if _, ok := ix.Locate(0, 0); ok {
			t.Errorf("NewIndex(%v).Locate found a placement", areas)
		}
	}
}

// jitteredTiling returns an n x n tiling of [0, n]^2 into triangles: a lattice whose
// interior vertices are jittered, each cell cut along one of its diagonals. Neighbouring
// triangles share their vertices exactly, and every shared edge is traversed in
// opposite directions by the two triangles, as in real data.
func jitteredTiling(n int) ([]Area, [][2]orb.Point) {
	vertex := func(i, j int) orb.Point {
		p := orb.Point{float64(i), float64(j)}
		if i > 0 && i < n && j > 0 && j < n {
			p[0] += 0.3 * math.Sin(float64(7*i+3*j))
			p[1] += 0.3 * math.Cos(float64(5*i-11*j))
		}
		return p
	}
	var areas []Area
	var edges [][2]orb.Point
	add := func(a, b, c orb.Point) {
		k := len(areas)
		code := fmt.Sprintf("BU0001%02d%02d", k/100, k%100)
		areas = append(areas, Area{
			Code: code, Level: LevelBuurt, Parent: "WK" + code[2:8], Gemeente: "GM0001", Year: 2024,
			Geometry: orb.MultiPolygon{{{a, b, c, a}}},
		})
		edges = append(edges, [2]orb.Point{a, b}, [2]orb.Point{b, c}, [2]orb.Point{c, a})
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p00, p10, p11, p01 := vertex(i, j), vertex(i+1, j), vertex(i+1, j+1), vertex(i, j+1)
			if (i+j)%2 == 0 {
				add(p00, p10, p11)
				add(p00, p11, p01)
			} else {
				add(p00, p10, p01)
				add(p10, p11, p01)
			}
		}
	}
	return areas, edges
}

// TestLocateSharedBoundary checks that points on shared edges and vertices, including
// the jittered (non-axis-parallel) ones, are in exactly one area.
func TestLocateSharedBoundary(t *testing.T) {
	const n = 6
	areas, edges := jitteredTiling(n)
	ix := NewIndex(areas)
	var points []orb.Point
	for _, e := range edges {
		for k := 0; k <= 16; k++ {
			f := float64(k) / 16
			points = append(points, orb.Point{e[0][0] + f*(e[1][0]-e[0][0]), e[0][1] + f*(e[1][1]-e[0][1])})
		}
	}
	checked := 0
	for _, p := range points {
		// Points on the outer boundary of the tiling may be in no area.
		if p[0] <= 0 || p[0] >= n || p[1] <= 0 || p[1] >= n {
			continue
		}
		checked++
		var in []string
		for _, a := range areas {
			if ringContains(a.Geometry[0][0], p[0], p[1]) {
				in = append(in, a.Code)
			}
		}
		if len(in) != 1 {
			t.Errorf("point %v on a shared boundary is in %d areas %v, want exactly 1", p, len(in), in)
			continue
		}
		for range 2 {
			got, ok := ix.Locate(p[0], p[1])
			if !ok || got.Buurt != in[0] {
				t.Errorf("Locate(%v) = %+v, %v; want %s", p, got, ok, in[0])
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d boundary points checked", checked)
	}
}

// TestLocateNationalBruteForce compares the index with a brute force over every 2014
// buurt using orb's planar.MultiPolygonContains, for 100,000 random points over the
// Netherlands.
func TestLocateNationalBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("slow brute force")
	}
	areas := sortedByCode(readNational(t, nationalBuurt))
	ix := NewIndex(areas)
	if ix.Len() != len(areas) {
		t.Fatalf("Len() = %d, want %d", ix.Len(), len(areas))
	}
	bounds := make([]orb.Bound, len(areas))
	for i, a := range areas {
		bounds[i] = a.Bound()
	}

	located, onEdge := 0, 0
	for _, p := range randomPoints(100_000, nlBound(), 1) {
		// The index prefers the lowest code where areas overlap; so does this loop.
		want, wantOK := Placement{}, false
		for i, a := range areas {
			if bounds[i].Contains(p) && planar.MultiPolygonContains(a.Geometry, p) {
				want, wantOK = Placement{Gemeente: a.Gemeente, Wijk: a.Parent, Buurt: a.Code, Year: a.Year}, true
				break
			}
		}
		got, ok := ix.Locate(p[0], p[1])
		if ok {
			located++
		}
		if ok == wantOK && got == want {
			continue
		}
		// Only a point on an edge may be judged differently (orb counts the boundary
		// as inside).
		if d := edgeDistance(areas, p, want.Buurt, got.Buurt); d < 1e-12 {
			onEdge++
			continue
		}
		t.Errorf("Locate(%v) = %+v, %v; brute force gives %+v, %v", p, got, ok, want, wantOK)
	}
	t.Logf("%d of 100000 points located, %d disagreements on an edge", located, onEdge)
	// Land covers roughly a third of the box; the coarse 2014 outlines hold a bit more.
	if located < 25_000 {
		t.Errorf("only %d of 100000 points located", located)
	}
}

// edgeDistance is the distance from p to the boundaries of the named areas.
func edgeDistance(areas []Area, p orb.Point, codes ...string) float64 {
	d := math.Inf(1)
	for _, a := range areas {
		for _, c := range codes {
			if a.Code == c {
				d = min(d, boundaryDistance(a.Geometry, p))
			}
		}
	}
	return d
}

// fuzzRings are the fixed rings FuzzRingContains tests against.
func fuzzRings() []orb.Ring {
	return []orb.Ring{
		square(0, 0, 1, 1),
		// Concave "C", counter-clockwise, not closed.
		{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 2}, {3, 2}, {3, 3}, {0, 3}},
		// Triangle with a horizontal edge, clockwise.
		{{0, 0}, {2, 4}, {4, 0}, {0, 0}},
		// Repeated and collinear vertices.
		{{0, 0}, {1, 0}, {1, 0}, {2, 0}, {2, 2}, {2, 2}, {1, 2}, {0, 2}, {0, 1}, {0, 0}},
		// Bow tie (self-intersecting); both tests use the even-odd rule.
		{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}},
		// Collapsed to a line, as coarse quantisation leaves some rings.
		{{1, 1}, {2, 2}, {1, 1}},
		// Buurt BU03840101 (Buytenstee), Diemen 2024, in lon/lat.
		{{4.97671, 52.353497}, {4.969596, 52.356106}, {4.964534, 52.352771}, {4.970873, 52.348309}, {4.971411, 52.348823}, {4.971827, 52.349813}, {4.97671, 52.353497}},
	}
}

// FuzzRingContains compares ringContains with orb's planar.RingContains. They may only
// differ on the boundary, which orb counts as inside and ringContains assigns to one
// side.
func FuzzRingContains(f *testing.F) {
	for _, r := range fuzzRings() {
		b := r.Bound()
		c := b.Center()
		f.Add(c[0], c[1])
		f.Add(r[0][0], r[0][1])
		f.Add((r[0][0]+r[1][0])/2, (r[0][1]+r[1][1])/2)
		f.Add(b.Min[0]-1, c[1])
	}
	f.Fuzz(func(t *testing.T, x, y float64) {
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			return
		}
		p := orb.Point{x, y}
		for i, r := range fuzzRings() {
			got, want := ringContains(r, x, y), planar.RingContains(r, p)
			if got == want {
				continue
			}
			if d := ringDistance(r, p); d <= 1e-9*max(1, math.Abs(x), math.Abs(y)) {
				continue
			}
			t.Errorf("ring %d, point (%v, %v): ringContains = %v, planar.RingContains = %v", i, x, y, got, want)
		}
	})
}

// benchLocate locates all points once per iteration and reports the time per point and
// per million points.
func benchLocate(b *testing.B, ix *Index, points []orb.Point) {
	b.Helper()
	found := 0
	for b.Loop() {
		for _, p := range points {
			if _, ok := ix.Locate(p[0], p[1]); ok {
				found++
			}
		}
	}
	perPoint := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(len(points))
	perMillion := perPoint * 1e6 // ns
	b.ReportMetric(perPoint, "ns/point")
	b.ReportMetric(perMillion/1e6, "ms/1e6points")
	b.ReportMetric(float64(found)/float64(b.N)/float64(len(points)), "hit-ratio")
}

func BenchmarkLocateNational(b *testing.B) {
	ix := NewIndex(readNational(b, nationalBuurt))
	benchLocate(b, ix, randomPoints(1_000_000, nlBound(), 2))
}

func BenchmarkLocateDiemen(b *testing.B) {
	areas := readDiemen(b, diemenBuurtWGS)
	ix := NewIndex(areas)
	var bound orb.Bound
	for i, a := range areas {
		if i == 0 {
			bound = a.Bound()
		}
		bound = bound.Union(a.Bound())
	}
	benchLocate(b, ix, randomPoints(1_000_000, bound, 3))
}

func BenchmarkNewIndexNational(b *testing.B) {
	areas := readNational(b, nationalBuurt)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(areas)
	}
}

// TestLocateConcurrent locates from several goroutines at once; run with -race.
func TestLocateConcurrent(t *testing.T) {
	areas, _ := jitteredTiling(6)
	ix := NewIndex(areas)
	points := randomPoints(2000, orb.Bound{Max: orb.Point{6, 6}}, 4)
	want := make([]Placement, len(points))
	for i, p := range points {
		want[i], _ = ix.Locate(p[0], p[1])
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for i, p := range points {
				if got, _ := ix.Locate(p[0], p[1]); got != want[i] {
					errs <- fmt.Errorf("Locate(%v) = %+v, want %+v", p, got, want[i])
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
