package geo

// RD New <-> WGS84 with the polynomial approximation of Schreutelkamp and Strang van
// Hees, "Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten"
// (NGT Geodesia, February 2001). The formulas are series about the
// Amersfoort origin and are accurate to about a metre (decimetres in most of the
// country), which is ample for assigning points to buurten. The exact transformation,
// RDNAPTRANS™, needs correction grids that are not available here.
//
// The terms are written out rather than looped over a coefficient table, so that each
// can be checked against the paper by its (p, q) label and no table has to live at
// package level.

const (
	rdX0   = 155000.0    // RD x of the Amersfoort origin, metres
	rdY0   = 463000.0    // RD y of the Amersfoort origin, metres
	rdPhi0 = 52.15517440 // WGS84 latitude of the origin, degrees
	rdLam0 = 5.38720621  // WGS84 longitude of the origin, degrees
)

// RDToWGS84 converts RD New (EPSG:28992) metres to WGS84 (EPSG:4326) degrees with the
// published polynomial approximation (Schreutelkamp & Strang van Hees, "Benaderingsformules
// voor de transformatie tussen RD- en WGS84-kaartcoördinaten") about the Amersfoort origin
// (x0=155000, y0=463000, phi0=52.15517440, lambda0=5.38720621).
func RDToWGS84(x, y float64) (lon, lat float64) {
	dx := (x - rdX0) * 1e-5
	dy := (y - rdY0) * 1e-5
	dx2 := dx * dx
	dx3 := dx2 * dx
	dx4 := dx3 * dx
	dx5 := dx4 * dx
	dy2 := dy * dy
	dy3 := dy2 * dy
	dy4 := dy3 * dy

	// Latitude: sum of K(p,q) dx^p dy^q, in arc seconds.
	dphi := 3235.65389*dy + // K01
		-32.58297*dx2 + // K20
		-0.24750*dy2 + // K02
		-0.84978*dx2*dy + // K21
		-0.06550*dy3 + // K03
		-0.01709*dx2*dy2 + // K22
		-0.00738*dx + // K10
		0.00530*dx4 + // K40
		-0.00039*dx2*dy3 + // K23
		0.00033*dx4*dy + // K41
		-0.00012*dx*dy // K11

	// Longitude: sum of L(p,q) dx^p dy^q, in arc seconds.
	dlam := 5260.52916*dx + // L10
		105.94684*dx*dy + // L11
		2.45656*dx*dy2 + // L12
		-0.81885*dx3 + // L30
		0.05594*dx*dy3 + // L13
		-0.05607*dx3*dy + // L31
		0.01199*dy + // L01
		-0.00256*dx3*dy2 + // L32
		0.00128*dx*dy4 + // L14
		0.00022*dy2 + // L02
		-0.00022*dx2 + // L20
		0.00026*dx5 // L50

	return rdLam0 + dlam/3600, rdPhi0 + dphi/3600
}

// WGS84ToRD converts WGS84 (EPSG:4326) degrees to RD New (EPSG:28992) metres with the
// published polynomial approximation (Schreutelkamp & Strang van Hees) about the
// Amersfoort origin; it is the counterpart of RDToWGS84.
func WGS84ToRD(lon, lat float64) (x, y float64) {
	// Differences in units of 10,000 arc seconds.
	dp := 0.36 * (lat - rdPhi0)
	dl := 0.36 * (lon - rdLam0)
	dp2 := dp * dp
	dp3 := dp2 * dp
	dl2 := dl * dl
	dl3 := dl2 * dl
	dl4 := dl3 * dl

	// x: sum of R(p,q) dphi^p dlambda^q.
	x = rdX0 +
		190094.945*dl + // R01
		-11832.228*dp*dl + // R11
		-114.221*dp2*dl + // R21
		-32.391*dl3 + // R03
		-0.705*dp + // R10
		-2.340*dp3*dl + // R31
		-0.608*dp*dl3 + // R13
		-0.008*dl2 + // R02
		0.148*dp2*dl3 // R23

	// y: sum of S(p,q) dphi^p dlambda^q.
	y = rdY0 +
		309056.544*dp + // S10
		3638.893*dl2 + // S02
		73.077*dp2 + // S20
		-157.984*dp*dl2 + // S12
		59.788*dp3 + // S30
		0.433*dl + // S01
		-6.439*dp2*dl2 + // S22
		-0.032*dp*dl + // S11
		0.092*dl4 + // S04
		-0.054*dp*dl4 // S14

	return x, y
}
