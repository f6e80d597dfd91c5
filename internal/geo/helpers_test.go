package geo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// sharedData returns the path of a file in the shared data directory, which the
// repository is cloned beside. Without it the test is skipped, except in CI, where it
// fails.
func sharedData(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared test data not found at %s (clone the shared repository beside this one): %v", dir, err)
		}
		tb.Skipf("shared test data not found at %s: %v", dir, err)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

// Paths of the shared data sets, relative to the data directory.
const (
	diemenDir      = "cbs-diemen-wijkbuurt-2024"
	diemenBuurtRD  = "diemen_buurten_2024_rd.geojson"
	diemenBuurtWGS = "diemen_buurten_2024_wgs84.geojson"
	diemenWijkRD   = "diemen_wijken_2024_rd.geojson"
	diemenWijkWGS  = "diemen_wijken_2024_wgs84.geojson"
	nationalDir    = "cbs-nl-wijkbuurt-2014-topojson"
	nationalBuurt  = "Buurt_2014_layer_q1e3.topojson.gz"
	nationalWijk   = "Wijk_2014_layer_q1e3.topojson.gz"
	nationalGM     = "GemeenteDetail_2015_layer_q1e3.topojson.gz"
)

// readFile reads areas from a shared data file, naming it by its base name.
func readFile(tb testing.TB, path string, opts ReadOptions) []Area {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	areas, err := ReadAreas(f, opts)
	if err != nil {
		tb.Fatalf("ReadAreas(%s): %v", path, err)
	}
	return areas
}

func readDiemen(tb testing.TB, file string) []Area {
	tb.Helper()
	return readFile(tb, sharedData(tb, diemenDir, file), ReadOptions{})
}

func readNational(tb testing.TB, file string) []Area {
	tb.Helper()
	return readFile(tb, sharedData(tb, nationalDir, file), ReadOptions{})
}

// nlBound is a box around the European Netherlands, lon/lat.
func nlBound() orb.Bound {
	return orb.Bound{Min: orb.Point{3.2, 50.7}, Max: orb.Point{7.3, 53.6}}
}

// randomPoints returns n reproducible uniform points in b.
func randomPoints(n int, b orb.Bound, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]),
			b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]),
		}
	}
	return pts
}

// sortedByCode returns the areas in the order in which the index prefers them.
func sortedByCode(areas []Area) []Area {
	s := slices.Clone(areas)
	slices.SortStableFunc(s, func(a, b Area) int {
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Year, b.Year))
	})
	return s
}

// segmentDistance is the distance from p to the segment ab.
func segmentDistance(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy))
}

// boundaryDistance is the distance from p to the nearest edge of any ring of mp.
func boundaryDistance(mp orb.MultiPolygon, p orb.Point) float64 {
	d := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			d = min(d, ringDistance(r, p))
		}
	}
	return d
}

func ringDistance(r orb.Ring, p orb.Point) float64 {
	d := math.Inf(1)
	for i := range r {
		d = min(d, segmentDistance(p, r[i], r[(i+1)%len(r)]))
	}
	return d
}

// interiorPoint finds a point well inside area and inside none of the others (judged
// by orb, independently of the index): the candidate farthest from the area's boundary
// among its centroid and a 60 x 60 scan of its bounding box.
func interiorPoint(tb testing.TB, area Area, all []Area) orb.Point {
	tb.Helper()
	c, _ := planar.CentroidArea(area.Geometry)
	candidates := []orb.Point{c}
	b := area.Bound()
	const steps = 60
	for i := 1; i < steps; i++ {
		for j := 1; j < steps; j++ {
			candidates = append(candidates, orb.Point{
				b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/steps,
				b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/steps,
			})
		}
	}
	best, bestDist := orb.Point{}, 0.0
	for _, p := range candidates {
		if !planar.MultiPolygonContains(area.Geometry, p) {
			continue
		}
		d := boundaryDistance(area.Geometry, p)
		if d <= bestDist || inOther(area, all, p) {
			continue
		}
		best, bestDist = p, d
	}
	if bestDist == 0 {
		tb.Fatalf("no interior point found for %s", area.Code)
	}
	return best
}

func inOther(area Area, all []Area, p orb.Point) bool {
	for _, o := range all {
		if o.Code != area.Code && planar.MultiPolygonContains(o.Geometry, p) {
			return true
		}
	}
	return false
}
