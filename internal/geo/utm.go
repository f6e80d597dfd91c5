package geo

import "math"

// UTM (Universal Transverse Mercator) on the WGS84 ellipsoid, for point data from
// outside the Netherlands (test data sets from American cities). The projection uses
// Krüger's series to sixth order in the third flattening n, in the form given by
// C. F. F. Karney, "Transverse Mercator with an accuracy of a few nanometers", Journal
// of Geodesy 85 (2011) 475-485, equations (7), (9)-(11), (35) and (36); within a few
// thousand kilometres of the central meridian it is exact to a few nanometres, far
// more than the millimetres that are asked for. The coefficients are written out as
// constants: Go evaluates them exactly at compile time, and no table lives at package
// level.

const (
	wgs84A = 6378137.0             // semi-major axis, metres
	wgs84F = 1 / 298.257223563     // flattening
	utmK0  = 0.9996                // scale on the central meridian
	utmE0  = 500000.0              // false easting, metres
	utmN0S = 10000000.0            // false northing in the southern hemisphere, metres
	tmN    = wgs84F / (2 - wgs84F) // third flattening
	tmE2   = wgs84F * (2 - wgs84F) // first eccentricity squared

	// Rectifying radius A (Karney eq. 14).
	tmA = wgs84A / (1 + tmN) * (1 + tmN*tmN/4 + tmN*tmN*tmN*tmN/64 + tmN*tmN*tmN*tmN*tmN*tmN/256)

	tmN2 = tmN * tmN
	tmN3 = tmN2 * tmN
	tmN4 = tmN3 * tmN
	tmN5 = tmN4 * tmN
	tmN6 = tmN5 * tmN

	// Forward coefficients alpha_j (Karney eq. 35).
	tmAlpha1 = 1.0/2*tmN - 2.0/3*tmN2 + 5.0/16*tmN3 + 41.0/180*tmN4 - 127.0/288*tmN5 + 7891.0/37800*tmN6
	tmAlpha2 = 13.0/48*tmN2 - 3.0/5*tmN3 + 557.0/1440*tmN4 + 281.0/630*tmN5 - 1983433.0/1935360*tmN6
	tmAlpha3 = 61.0/240*tmN3 - 103.0/140*tmN4 + 15061.0/26880*tmN5 + 167603.0/181440*tmN6
	tmAlpha4 = 49561.0/161280*tmN4 - 179.0/168*tmN5 + 6601661.0/7257600*tmN6
	tmAlpha5 = 34729.0/80640*tmN5 - 3418889.0/1995840*tmN6
	tmAlpha6 = 212378941.0 / 319334400 * tmN6

	// Inverse coefficients beta_j (Karney eq. 36).
	tmBeta1 = 1.0/2*tmN - 2.0/3*tmN2 + 37.0/96*tmN3 - 1.0/360*tmN4 - 81.0/512*tmN5 + 96199.0/604800*tmN6
	tmBeta2 = 1.0/48*tmN2 + 1.0/15*tmN3 - 437.0/1440*tmN4 + 46.0/105*tmN5 - 1118711.0/3870720*tmN6
	tmBeta3 = 17.0/480*tmN3 - 37.0/840*tmN4 - 209.0/4480*tmN5 + 5569.0/90720*tmN6
	tmBeta4 = 4397.0/161280*tmN4 - 11.0/504*tmN5 - 830251.0/7257600*tmN6
	tmBeta5 = 4583.0/161280*tmN5 - 108847.0/3991680*tmN6
	tmBeta6 = 20648693.0 / 638668800 * tmN6
)

// UTMZone returns the UTM zone (1-60) whose 6-degree band holds the longitude; 180
// degrees east belongs to zone 60 and longitudes outside -180..180 are wrapped. The
// Norwegian and Svalbard exceptions of the military grid are not applied: an analysis
// needs one plane for all its points, not the zone an atlas would print.
func UTMZone(lon float64) int {
	if lon < -180 || lon > 180 {
		lon = math.Mod(lon+180, 360)
		if lon < 0 {
			lon += 360
		}
		lon -= 180
	}
	return min(int(math.Floor((lon+180)/6))+1, 60)
}

// utmCentralMeridian returns the central meridian of a zone in degrees.
func utmCentralMeridian(zone int) float64 { return float64(6*zone - 183) }

// WGS84ToUTM converts WGS84 (EPSG:4326) degrees to UTM metres in the given zone (1-60)
// and hemisphere: EPSG:326zz for north, EPSG:327zz for south (false northing 10,000 km).
// The zone need not be the point's own: neighbouring zones extend well enough for an
// analysis that must keep all its points in one plane.
func WGS84ToUTM(lon, lat float64, zone int, north bool) (x, y float64) {
	e, n := transverseMercator(lon-utmCentralMeridian(zone), lat)
	x = utmE0 + utmK0*e
	y = utmK0 * n
	if !north {
		y += utmN0S
	}
	return x, y
}

// UTMToWGS84 converts UTM metres in the given zone and hemisphere back to WGS84
// degrees; it is the inverse of WGS84ToUTM.
func UTMToWGS84(x, y float64, zone int, north bool) (lon, lat float64) {
	if !north {
		y -= utmN0S
	}
	dlon, lat := inverseTransverseMercator((x-utmE0)/utmK0, y/utmK0)
	lon = dlon + utmCentralMeridian(zone)
	if lon > 180 {
		lon -= 360
	} else if lon < -180 {
		lon += 360
	}
	return lon, lat
}

// transverseMercator projects a point dlon degrees from the central meridian at
// latitude lat with scale 1 and no false origin, returning easting and northing in
// metres.
func transverseMercator(dlon, lat float64) (e, n float64) {
	phi := lat * math.Pi / 180
	lam := dlon * math.Pi / 180
	ecc := math.Sqrt(tmE2)

	// Conformal latitude as tau' = tan(phi') (Karney eqs. 7 and 9).
	tau := math.Tan(phi)
	sigma := math.Sinh(ecc * math.Atanh(ecc*tau/math.Hypot(1, tau)))
	taup := tau*math.Hypot(1, sigma) - sigma*math.Hypot(1, tau)

	// Spherical transverse Mercator on the conformal sphere (eq. 10).
	cl, sl := math.Cos(lam), math.Sin(lam)
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(sl / math.Hypot(taup, cl))

	// Krüger's series (eq. 11).
	xi, eta := xip, etap
	for j, a := range [6]float64{tmAlpha1, tmAlpha2, tmAlpha3, tmAlpha4, tmAlpha5, tmAlpha6} {
		k := 2 * float64(j+1)
		xi += a * math.Sin(k*xip) * math.Cosh(k*etap)
		eta += a * math.Cos(k*xip) * math.Sinh(k*etap)
	}
	return tmA * eta, tmA * xi
}

// inverseTransverseMercator is the inverse of transverseMercator.
func inverseTransverseMercator(e, n float64) (dlon, lat float64) {
	xi, eta := n/tmA, e/tmA
	xip, etap := xi, eta
	for j, b := range [6]float64{tmBeta1, tmBeta2, tmBeta3, tmBeta4, tmBeta5, tmBeta6} {
		k := 2 * float64(j+1)
		xip -= b * math.Sin(k*xi) * math.Cosh(k*eta)
		etap -= b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	sxip, cxip := math.Sin(xip), math.Cos(xip)
	shetap := math.Sinh(etap)
	taup := sxip / math.Hypot(shetap, cxip)
	lam := math.Atan2(shetap, cxip)

	// Solve tau' = f(tau) for tau by Newton's method (Karney eqs. 19-21); it converges
	// to machine precision in two or three steps from tau = tau'.
	ecc := math.Sqrt(tmE2)
	tau := taup
	for range 5 {
		sigma := math.Sinh(ecc * math.Atanh(ecc*tau/math.Hypot(1, tau)))
		taui := tau*math.Hypot(1, sigma) - sigma*math.Hypot(1, tau)
		dtau := (taup - taui) / math.Hypot(1, taui) *
			(1 + (1-tmE2)*tau*tau) / ((1 - tmE2) * math.Hypot(1, tau))
		tau += dtau
		if math.Abs(dtau) < 1e-15*math.Max(1, math.Abs(tau)) {
			break
		}
	}
	return lam * 180 / math.Pi, math.Atan(tau) * 180 / math.Pi
}
