package events

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/analysis"
	"baken/internal/geo"
)

// sharedData returns the path of a file in the shared data directory, which the
// repository is cloned beside. Without it the test is skipped, except in CI, where it
// fails.
func sharedData(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared test data not found at %s: %v", dir, err)
		}
		tb.Skipf("shared test data not found at %s: %v", dir, err)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// place is an event in WGS84 with its time, for comparing what was read.
type place struct {
	Lon, Lat float64
	T        string // RFC 3339
}

func places(evs []analysis.Event, info Info) []place {
	out := make([]place, len(evs))
	for i, e := range evs {
		lon, lat := info.Unproject(e.X, e.Y)
		out[i] = place{math.Round(lon*1e6) / 1e6, math.Round(lat*1e6) / 1e6, e.T.Format(time.RFC3339)}
	}
	return out
}

func TestReadCSV(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	chicago := mustZone(t, "America/Chicago")
	for _, tc := range []struct {
		name     string
		csv      string
		opts     Options
		want     []place
		wantInfo Info // counts, columns and CRS only
	}{
		{
			name: "chicago style, detected columns, local times",
			csv: "date,loc_cat,longitude,latitude,district\n" +
				"2010-01-01 00:05,residence,-87.6277,41.7922,2\n" +
				"2010-07-01 12:30,street,-87.6683,41.7513,6\n",
			opts: Options{TZ: chicago},
			want: []place{
				{-87.6277, 41.7922, "2010-01-01T00:05:00-06:00"},
				{-87.6683, 41.7513, "2010-07-01T12:30:00-05:00"},
			},
			wantInfo: Info{Rows: 2, Events: 2, TimeCol: "date", XCol: "longitude", YCol: "latitude", CRS: "EPSG:32616"},
		},
		{
			name: "explicit offsets win over the zone; NA coordinates skipped",
			csv: "incident_no,offense_date,offense,longitude,latitude\n" +
				"1,2017-05-25T00:00:00Z,BURGLARY,-84.4897306,39.1431856100598\n" +
				"2,2018-12-14T13:30:31Z,BURGLARY,NA,NA\n" +
				"3,2018-12-14T13:30:31+02:00,AGGRAVATED BURGLARY,-84.5,39.1\n",
			opts: Options{TZ: chicago},
			want: []place{
				{-84.489731, 39.143186, "2017-05-25T00:00:00Z"},
				{-84.5, 39.1, "2018-12-14T13:30:31+02:00"},
			},
			wantInfo: Info{Rows: 3, Events: 2, NoPlace: 1, TimeCol: "offense_date", XCol: "longitude", YCol: "latitude", CRS: "EPSG:32616"},
		},
		{
			name: "filters, several at once",
			csv: "incident_no,offense_date,offense,district,longitude,latitude\n" +
				"1,2017-05-25,BURGLARY,1,-84.5,39.1\n" +
				"2,2017-05-26,AGGRAVATED BURGLARY,1,-84.5,39.1\n" +
				"3,2017-05-27, BURGLARY ,2,-84.5,39.1\n" +
				"4,2017-05-28,BURGLARY,1,-84.6,39.2\n",
			opts: Options{Filters: map[string]string{"Offense": "BURGLARY", "district": "1"}, TZ: time.UTC},
			want: []place{
				{-84.5, 39.1, "2017-05-25T00:00:00Z"},
				{-84.6, 39.2, "2017-05-28T00:00:00Z"},
			},
			wantInfo: Info{Rows: 4, Events: 2, Filtered: 2, TimeCol: "offense_date", XCol: "longitude", YCol: "latitude", CRS: "EPSG:32616"},
		},
		{
			name: "dutch: semicolons, decimal commas, dates day first, RD New, default zone",
			csv: "\uFEFFdatum;omschrijving;lon;lat\n" +
				"01-03-2024 14:15;fiets;4,9041;52,3676\n" +
				"15-07-2024;auto;5,38720621;52,15517440\n" +
				";leeg;5,1;52,1\n" +
				"01-08-2024;nergens;0;0\n",
			want: []place{
				{4.9041, 52.3676, "2024-03-01T14:15:00+01:00"},
				{5.387206, 52.155174, "2024-07-15T00:00:00+02:00"},
			},
			wantInfo: Info{Rows: 4, Events: 2, NoTime: 1, NoPlace: 1, TimeCol: "datum", XCol: "lon", YCol: "lat", CRS: "EPSG:28992"},
		},
		{
			name:     "RD columns",
			csv:      "tijdstip,x,y\n2024-01-02T03:04:05,155000,463000\n",
			opts:     Options{XCol: "x", YCol: "y", CRS: "EPSG:28992", TZ: ams},
			want:     []place{{5.387206, 52.155174, "2024-01-02T03:04:05+01:00"}},
			wantInfo: Info{Rows: 1, Events: 1, TimeCol: "tijdstip", XCol: "x", YCol: "y", CRS: "EPSG:28992"},
		},
		{
			name: "UTM columns, south",
			// Karney's test point (3.58204121273 N, 1.137286307295 E of the central
			// meridian) mirrored into zone 56 south, as in the geo tests.
			csv:      "when,e,n\n2019/03/04 05:06,626314.1916179009,9603993.312078850\n",
			opts:     Options{TimeCol: "when", XCol: "E", YCol: "N", CRS: "epsg:32756", TZ: time.UTC},
			want:     []place{{154.137286, -3.582041, "2019-03-04T05:06:00Z"}},
			wantInfo: Info{Rows: 1, Events: 1, TimeCol: "when", XCol: "e", YCol: "n", CRS: "EPSG:32756"},
		},
		{
			name: "american portal format, quoted fields, columns named",
			csv: "ID,Date,Block,X,Y\n" +
				"1,\"01/02/2019 03:04:05 PM\",\"100 N STATE, ST\",-87.6278,41.8827\n" +
				"2,20190103,x,-87.6,41.9\n",
			opts: Options{TimeCol: "Date", LonCol: "x", LatCol: "y", TZ: chicago},
			want: []place{
				{-87.6278, 41.8827, "2019-01-02T15:04:05-06:00"},
				{-87.6, 41.9, "2019-01-03T00:00:00-06:00"},
			},
			wantInfo: Info{Rows: 2, Events: 2, TimeCol: "Date", XCol: "X", YCol: "Y", CRS: "EPSG:32616"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, info, err := ReadCSV(strings.NewReader(tc.csv), "test.csv", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, places(evs, info)); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
			got := Info{Rows: info.Rows, Events: info.Events, Filtered: info.Filtered, NoPlace: info.NoPlace, NoTime: info.NoTime,
				TimeCol: info.TimeCol, XCol: info.XCol, YCol: info.YCol, CRS: info.CRS}
			if diff := cmp.Diff(tc.wantInfo, got, cmp.AllowUnexported(Info{})); diff != "" {
				t.Errorf("info mismatch (-want +got):\n%s", diff)
			}
			// Project and Unproject are each other's inverse, to well under a millimetre.
			for _, e := range evs {
				lon, lat := info.Unproject(e.X, e.Y)
				x, y := info.Project(lon, lat)
				if math.Hypot(x-e.X, y-e.Y) > 1e-3 && info.CRS != "EPSG:28992" {
					t.Errorf("(%v, %v): projected back to (%v, %v)", e.X, e.Y, x, y)
				}
			}
		})
	}
}

func TestReadCSVGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("date,longitude,latitude\n2010-01-01 00:05,-87.6277,41.7922\n"))
	zw.Close()
	evs, info, err := ReadCSV(&buf, "x.csv.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || info.CRS != "EPSG:32616" {
		t.Errorf("got %d events in %s, want 1 in EPSG:32616", len(evs), info.CRS)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const head = "date,longitude,latitude,kind\n"
	for _, tc := range []struct {
		name, csv string
		opts      Options
		want      string
	}{
		{"empty", "", Options{}, "f.csv: empty file"},
		{"bad time", head + "2010-01-01,1,2,a\n2010-13-01,1,2,a\n", Options{}, `f.csv:3:1: column "date": "2010-13-01" is not a time`},
		{"bad longitude", head + "2010-01-01,-87.6x,41.8,a\n", Options{}, `f.csv:2:12: column "longitude": "-87.6x" is not a number`},
		{"latitude out of range", head + "2010-01-01,-87.6,141.8,a\n", Options{}, `f.csv:2:18: column "latitude": latitude 141.8 outside -90..90`},
		{"field count", head + "2010-01-01,-87.6,41.8\n", Options{}, "f.csv:2:1: wrong number of fields"},
		{"bare quote", head + "2010-01-01,-87.6,41.8,a\"b\n", Options{}, `f.csv:2:24: bare " in non-quoted-field`},
		{"no time column", "when,longitude,latitude\n", Options{}, "f.csv: no time-col column: give --time-col"},
		{"two time columns", "date,time,longitude,latitude\n", Options{}, "f.csv: more than one time-col column: give --time-col"},
		{"unknown column", head, Options{TimeCol: "datum"}, `f.csv: no column "datum"`},
		{"unknown filter column", head, Options{Filters: map[string]string{"offense": "x"}}, `f.csv: filter on column "offense": no such column`},
		{"x without crs", head, Options{XCol: "longitude", YCol: "latitude"}, "need --crs"},
		{"crs without x", head, Options{CRS: "EPSG:28992"}, "needs --x-col"},
		{"bad crs", head, Options{XCol: "a", YCol: "b", CRS: "EPSG:2913"}, `unsupported crs "EPSG:2913"`},
		{"bad utm zone", head, Options{XCol: "a", YCol: "b", CRS: "EPSG:32661"}, `unsupported crs "EPSG:32661"`},
		{"only x", head, Options{XCol: "longitude", CRS: "EPSG:4326"}, "give both --x-col and --y-col"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadCSV(strings.NewReader(tc.csv), "f.csv", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadCSVSharedData(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	for _, tc := range []struct {
		dir, file string
		opts      Options
		events    int
		noPlace   int
		crs       string
		first     string
		last      string
	}{
		{"chicago-aggravated-assaults", "chicago_aggravated_assaults.csv.gz", Options{TZ: chicago}, 148636, 0, "EPSG:32616",
			"2010-01-01T00:05:00-06:00", "2019-12-31T23:54:00-06:00"},
		{"cincinnati-burglary", "cincinnati_burglary.csv.gz", Options{TimeCol: "offense_date"}, 8723 - 426, 426, "EPSG:32616",
			"2016-01-01T01:00:00Z", "2018-12-31T23:30:00Z"},
		{"sf-robbery-2019", "san_francisco_robbery_2019.csv.gz", Options{TimeCol: "date_time"}, 951, 0, "EPSG:32610",
			"2019-01-01T19:50:00Z", "2019-12-31T03:30:00Z"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			f, err := os.Open(sharedData(t, tc.dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			evs, info, err := ReadCSV(f, tc.file, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != tc.events || info.NoPlace != tc.noPlace || info.CRS != tc.crs {
				t.Errorf("%d events, %d without place, in %s; want %d, %d, %s", len(evs), info.NoPlace, info.CRS, tc.events, tc.noPlace, tc.crs)
			}
			if got := info.First.Format(time.RFC3339); got != tc.first {
				t.Errorf("first %s, want %s", got, tc.first)
			}
			if got := info.Last.Format(time.RFC3339); got != tc.last {
				t.Errorf("last %s, want %s", got, tc.last)
			}
			// A UTM plane over a city: every event within 60 km of the median, and back
			// in WGS84 where the file said (checked for the first event).
			g, err := analysis.GridFor(evs, 125)
			if err != nil {
				t.Fatal(err)
			}
			if w, h := float64(g.NX)*g.Size, float64(g.NY)*g.Size; w > 60000 || h > 60000 {
				t.Errorf("events span %.0f x %.0f m: not one city", w, h)
			}
		})
	}
}

func TestReadCSVChicagoFirstRow(t *testing.T) {
	f, err := os.Open(sharedData(t, "chicago-aggravated-assaults", "chicago_aggravated_assaults.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, info, err := ReadCSV(f, "chicago", Options{TZ: mustZone(t, "America/Chicago")})
	if err != nil {
		t.Fatal(err)
	}
	// First row: 2010-01-01 00:05,residence,-87.6277,41.7922,2.
	x, y := geo.WGS84ToUTM(-87.6277, 41.7922, 16, true)
	if evs[0].X != x || evs[0].Y != y {
		t.Errorf("first event at (%v, %v), want (%v, %v)", evs[0].X, evs[0].Y, x, y)
	}
	lon, lat := info.Unproject(evs[0].X, evs[0].Y)
	if math.Abs(lon+87.6277) > 1e-9 || math.Abs(lat-41.7922) > 1e-9 {
		t.Errorf("first event back at (%v, %v)", lon, lat)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("date,longitude,latitude\n2010-01-01 00:05,-87.6277,41.7922\n"), "", "")
	f.Add([]byte("datum;lon;lat\n01-03-2024 14:15;4,9041;52,3676\n;;\n"), "", "")
	f.Add([]byte("t,x,y,k\n2024-01-02T03:04:05Z,155000,463000,a\n20240102,1e3,2e5,b\n"), "k", "a")
	f.Add([]byte("offense_date,longitude,latitude\n2018-12-14T13:30:31Z,NA,NA\n\"x\",1,2\n"), "", "")
	f.Fuzz(func(t *testing.T, data []byte, fcol, fval string) {
		for _, opts := range []Options{
			{TZ: time.UTC},
			{TimeCol: "t", XCol: "x", YCol: "y", CRS: "EPSG:28992", TZ: time.UTC},
			{TimeCol: "t", XCol: "x", YCol: "y", CRS: "EPSG:32631", TZ: time.UTC, Filters: map[string]string{fcol: fval}},
		} {
			evs, info, err := ReadCSV(bytes.NewReader(data), "fuzz.csv", opts)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.csv") && !strings.Contains(err.Error(), "crs") {
					t.Errorf("error %q does not name the file", err)
				}
				continue
			}
			if info.Events != len(evs) || info.Rows != info.Events+info.Filtered+info.NoPlace+info.NoTime {
				t.Errorf("counts do not add up: %+v for %d events", info, len(evs))
			}
			for _, e := range evs {
				if math.IsNaN(e.X) || math.IsInf(e.X, 0) || math.IsNaN(e.Y) || math.IsInf(e.Y, 0) || e.T.IsZero() {
					t.Errorf("bad event %+v", e)
				}
			}
		}
	})
}
