package geo

import (
	"fmt"
	"math"
	"testing"
)

// tmReference is a point of Karney's transverse Mercator test set.
type tmReference struct {
	lat, lon float64 // degrees, exact
	e, n     float64 // metres, central meridian 0, scale 0.9996, no false origin
}

// tmReferences are lines of TMcoords.dat from C. F. F. Karney, "Test data for the
// transverse Mercator projection" (2009), doi:10.5281/zenodo.32470, computed with the
// exact (elliptic function) projection and accurate to 0.1 pm: WGS84, central meridian
// 0, central scale 0.9996, false easting and northing 0. The points taken are those
// within about 11 degrees of the central meridian, where UTM is used (the data set also
// holds points up to 90 degrees away, where a series does not converge). Copied from the
// first 258 lines of the file as reproduced in PyGeodesy's test/testTMcoords.py.
func tmReferences() []tmReference {
	return []tmReference{
		{42.701376407719, 7.572738186139, 620365.9050898417601, 4755542.0265620241836},
		{40.552052236608, 3.10605643618, 263004.7709889716198, 4493669.7624508701848},
		{19.376879758731, 0.344604702538, 36187.3424147238117, 2142565.3248023055831},
		{33.028801664026, 0.765842683855, 71519.4504575306802, 3654740.4448518867014},
		{43.977935890852, 5.672541129169, 454986.2188972515956, 4885087.8878842827264},
		{84.986930137199, 2.067177857261, 20163.0752214330146, 9438635.9888499043815},
		{9.916090592983, 2.895277339837, 317518.4555464869534, 1097517.5837454216348},
		{3.58204121273, 1.137286307295, 126314.1916179008865, 396006.6879211498981},
		{58.542492989325, 0.162592684741, 9464.9343875445955, 6489121.6249442771542},
		{35.434073450488, 1.762794707137, 160012.1869587518858, 3922609.2532306700222},
		{55.753535712331, 3.471798114123, 217855.5460780085389, 6184108.1225681774287},
		{8.920166746304, 5.101512904759, 561561.4939374572189, 989910.2362210683617},
		{27.203894742072, 7.440229319956, 738062.0477794809553, 3031007.0741158638797},
		{40.893022388204, 10.668803645636, 899441.3504769787009, 4582046.4305161929187},
		{19.427290417638, 7.268247299591, 764616.6650506681717, 2164299.3379453227242},
		{49.495348846691, 6.087551111735, 440696.5100700030027, 5500355.8262971466109},
		{0.527262488978, 11.684209132768, 1309272.2164321123566, 59520.0288993871333},
	}
}

// tmTolerance is what the tests allow: 0.01 mm, a hundred times better than asked.
const tmTolerance = 1e-5

func TestTransverseMercatorKarney(t *testing.T) {
	for _, tc := range tmReferences() {
		t.Run(fmt.Sprintf("%v,%v", tc.lat, tc.lon), func(t *testing.T) {
			// Both signs of longitude and latitude: the projection is odd in each.
			for _, s := range [][2]float64{{1, 1}, {-1, 1}, {1, -1}, {-1, -1}} {
				e, n := transverseMercator(s[0]*tc.lon, s[1]*tc.lat)
				e, n = e*utmK0, n*utmK0
				if de, dn := e-s[0]*tc.e, n-s[1]*tc.n; math.Abs(de) > tmTolerance || math.Abs(dn) > tmTolerance {
					t.Errorf("signs %v: got (%.6f, %.6f), want (%.6f, %.6f): off by (%.2g, %.2g) m",
						s, e, n, s[0]*tc.e, s[1]*tc.n, de, dn)
				}
				dlon, lat := inverseTransverseMercator(s[0]*tc.e/utmK0, s[1]*tc.n/utmK0)
				// 1e-10 degree is about 0.01 mm.
				if math.Abs(dlon-s[0]*tc.lon) > 1e-10 || math.Abs(lat-s[1]*tc.lat) > 1e-10 {
					t.Errorf("signs %v: inverse (%.12f, %.12f), want (%.12f, %.12f)", s, dlon, lat, s[0]*tc.lon, s[1]*tc.lat)
				}
			}
		})
	}
}

func TestWGS84ToUTM(t *testing.T) {
	// Karney's points moved into UTM zones: a point dlon east of the central meridian
	// of zone z at latitude lat has easting 500000 + e and northing n (north), or
	// 10000000 - n for the point at -lat in the southern hemisphere.
	for _, tc := range []struct {
		name     string
		zone     int
		ref      tmReference
		lonShift float64
	}{
		{"zone 31 (Netherlands west)", 31, tmReferences()[2], 3},
		{"zone 16 (Chicago)", 16, tmReferences()[9], -87},
		{"zone 10 (San Francisco)", 10, tmReferences()[1], -123},
		{"zone 1", 1, tmReferences()[7], -177},
		{"zone 60", 60, tmReferences()[3], 177},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lon := tc.ref.lon + tc.lonShift
			for _, north := range []bool{true, false} {
				lat, wantY := tc.ref.lat, tc.ref.n
				if !north {
					lat, wantY = -lat, 10000000-wantY
				}
				wantX := 500000 + tc.ref.e
				x, y := WGS84ToUTM(lon, lat, tc.zone, north)
				if math.Abs(x-wantX) > tmTolerance || math.Abs(y-wantY) > tmTolerance {
					t.Errorf("north %v: WGS84ToUTM(%v, %v, %d) = (%.6f, %.6f), want (%.6f, %.6f)", north, lon, lat, tc.zone, x, y, wantX, wantY)
				}
				glon, glat := UTMToWGS84(wantX, wantY, tc.zone, north)
				if math.Abs(glon-lon) > 1e-10 || math.Abs(glat-lat) > 1e-10 {
					t.Errorf("north %v: UTMToWGS84(%.6f, %.6f, %d) = (%.12f, %.12f), want (%.12f, %.12f)", north, wantX, wantY, tc.zone, glon, glat, lon, lat)
				}
			}
		})
	}
}

func TestWGS84ToUTMPublished(t *testing.T) {
	// A published conversion from a different implementation, rounded to the metre:
	// AGI STK Connect manual, "Convert MapGridPoint": LatLon 33.5 74.75 -> 43S 476779
	// 3706747.
	x, y := WGS84ToUTM(74.75, 33.5, 43, true)
	if math.Abs(x-476779) > 0.5 || math.Abs(y-3706747) > 0.5 {
		t.Errorf("WGS84ToUTM(74.75, 33.5, 43) = (%.3f, %.3f), want (476779, 3706747) to the metre", x, y)
	}
}

func TestUTMZone(t *testing.T) {
	for _, tc := range []struct {
		lon  float64
		want int
	}{
		{-180, 1}, {-177, 1}, {-174.0001, 1}, {-174, 2}, {-87.63, 16}, {-122.42, 10}, {-84.5, 16},
		{0, 31}, {4.9, 31}, {6, 32}, {179.99, 60}, {180, 60}, {183, 1}, {-183, 60},
	} {
		if got := UTMZone(tc.lon); got != tc.want {
			t.Errorf("UTMZone(%v) = %d, want %d", tc.lon, got, tc.want)
		}
	}
}

func TestUTMRoundTrip(t *testing.T) {
	// Points across a zone and beyond its edges, both hemispheres: back to within
	// 1e-9 degrees (0.1 mm).
	for lat := -80.0; lat <= 84; lat += 4.1 {
		for dlon := -9.0; dlon <= 9; dlon += 1.7 {
			lon := -87 + dlon
			north := lat >= 0
			x, y := WGS84ToUTM(lon, lat, 16, north)
			glon, glat := UTMToWGS84(x, y, 16, north)
			if math.Abs(glon-lon) > 1e-9 || math.Abs(glat-lat) > 1e-9 {
				t.Errorf("(%v, %v): round trip gave (%.12f, %.12f)", lon, lat, glon, glat)
			}
		}
	}
}

func BenchmarkWGS84ToUTM(b *testing.B) {
	var sx float64
	for i := 0; b.Loop(); i++ {
		x, y := WGS84ToUTM(-87.6+float64(i%1000)*1e-4, 41.8, 16, true)
		sx += x + y
	}
	_ = sx
}
