package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/paulmach/orb"
)

// areaSummary is an area without its geometry, for comparing imports.
type areaSummary struct {
	Code, Name, Parent, Gemeente string
	Level                        Level
	Year                         int
}

func summarise(areas []Area) []areaSummary {
	s := make([]areaSummary, len(areas))
	for i, a := range areas {
		s[i] = areaSummary{a.Code, a.Name, a.Parent, a.Gemeente, a.Level, a.Year}
	}
	return s
}

// diemenBuurten is the content of the Diemen 2024 buurt files: code, name, wijk.
func diemenBuurten() [][3]string {
	return [][3]string{
		{"BU03840101", "Buytenstee", "WK038401"},
		{"BU03840102", "Oud Diemen", "WK038401"},
		{"BU03840103", "Vogelweide", "WK038401"},
		{"BU03840104", "Scheepskwartier", "WK038401"},
		{"BU03840105", "Vlindertuin", "WK038401"},
		{"BU03840106", "Diemerpolder", "WK038401"},
		{"BU03840201", "Centrum West", "WK038402"},
		{"BU03840202", "Ruimzicht West", "WK038402"},
		{"BU03840203", "Spoorzicht", "WK038402"},
		{"BU03840204", "Buitenlust", "WK038402"},
		{"BU03840205", "Spoordriehoek", "WK038402"},
		{"BU03840206", "Ruimzicht Oost", "WK038402"},
		{"BU03840207", "Centrum Oost", "WK038402"},
		{"BU03840208", "Studentenflats Rode Kruislaan", "WK038402"},
		{"BU03840301", "Akkerland", "WK038403"},
		{"BU03840302", "Bomenrijk", "WK038403"},
		{"BU03840303", "Beukenhorst", "WK038403"},
		{"BU03840304", "Anne Frank", "WK038403"},
		{"BU03840305", "Schelpenhoek", "WK038403"},
		{"BU03840306", "Kruidenhof", "WK038403"},
		{"BU03840307", "Polderland", "WK038403"},
		{"BU03840308", "Biesbosch", "WK038403"},
		{"BU03840401", "Bergwijkpark", "WK038404"},
		{"BU03840501", "Campus Diemen Zuid", "WK038405"},
		{"BU03840502", "Holland Park", "WK038405"},
		{"BU03840503", "Holland Park Zuid", "WK038405"},
		{"BU03840504", "Holland Park West", "WK038405"},
		{"BU03840601", "Verrijn Stuart", "WK038406"},
		{"BU03840602", "De Sniep", "WK038406"},
		{"BU03840603", "Stammerdijk", "WK038406"},
		{"BU03840701", "Plantage de Sniep Zuid", "WK038407"},
		{"BU03840702", "Plantage de Sniep Noord", "WK038407"},
		{"BU03840703", "Sportpark De Diemen", "WK038407"},
		{"BU03840801", "Gemeenschapspolder", "WK038408"},
		{"BU03840802", "Overdiemerpolder", "WK038408"},
		{"BU03840803", "Overdiemen", "WK038408"},
		{"BU03840804", "Diemer Vijfhoek", "WK038408"},
	}
}

// diemenWijken lists the Diemen 2024 wijken as given in the data's PROVENANCE.md.
func diemenWijken() [][2]string {
	return [][2]string{
		{"WK038401", "Diemen Noord"},
		{"WK038402", "Diemen Centrum"},
		{"WK038403", "Diemen Zuid"},
		{"WK038404", "Bergwijkpark"},
		{"WK038405", "Holland Park"},
		{"WK038406", "Bedrijventerreinen"},
		{"WK038407", "Plantage de Sniep"},
		{"WK038408", "Buitengebied"},
	}
}

func TestReadDiemen(t *testing.T) {
	var wantBuurten []areaSummary
	for _, b := range diemenBuurten() {
		wantBuurten = append(wantBuurten, areaSummary{b[0], b[1], b[2], "GM0384", LevelBuurt, 2024})
	}
	var wantWijken []areaSummary
	for _, w := range diemenWijken() {
		wantWijken = append(wantWijken, areaSummary{w[0], w[1], "GM0384", "GM0384", LevelWijk, 2024})
	}
	tests := []struct {
		file string
		want []areaSummary
	}{
		{diemenBuurtRD, wantBuurten},
		{diemenBuurtWGS, wantBuurten},
		{diemenWijkRD, wantWijken},
		{diemenWijkWGS, wantWijken},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			areas := readDiemen(t, tc.file)
			if diff := cmp.Diff(tc.want, summarise(areas)); diff != "" {
				t.Errorf("ReadAreas(%s) mismatch (-want +got):\n%s", tc.file, diff)
			}
			// Diemen lies around lon 4.95-5.04, lat 52.32-52.36.
			want := orb.Bound{Min: orb.Point{4.9, 52.3}, Max: orb.Point{5.1, 52.4}}
			for _, a := range areas {
				if b := a.Bound(); !want.Contains(b.Min) || !want.Contains(b.Max) {
					t.Errorf("%s: bound %v outside %v", a.Code, b, want)
				}
			}
		})
	}
}

// plainCoordinates copies a geometry into plain slices: orb's types have Equal methods,
// which cmp would use instead of the tolerance.
func plainCoordinates(mp orb.MultiPolygon) [][][][2]float64 {
	out := make([][][][2]float64, len(mp))
	for i, p := range mp {
		out[i] = make([][][2]float64, len(p))
		for j, r := range p {
			for _, pt := range r {
				out[i][j] = append(out[i][j], [2]float64(pt))
			}
		}
	}
	return out
}

// TestReadDiemenRDMatchesWGS84 checks that the RD file, converted on reading, gives the
// same areas as the file the data provider converted to WGS84.
func TestReadDiemenRDMatchesWGS84(t *testing.T) {
	for _, pair := range [][2]string{{diemenBuurtRD, diemenBuurtWGS}, {diemenWijkRD, diemenWijkWGS}} {
		t.Run(pair[0], func(t *testing.T) {
			rd, wgs := readDiemen(t, pair[0]), readDiemen(t, pair[1])
			if diff := cmp.Diff(summarise(wgs), summarise(rd)); diff != "" {
				t.Fatalf("areas mismatch (-wgs84 +rd):\n%s", diff)
			}
			opt := cmpopts.EquateApprox(0, 1e-5)
			for i := range rd {
				if diff := cmp.Diff(plainCoordinates(wgs[i].Geometry), plainCoordinates(rd[i].Geometry), opt); diff != "" {
					t.Errorf("%s: geometry differs by more than 1e-5 degrees (-wgs84 +rd):\n%s", rd[i].Code, diff)
				}
			}
		})
	}
}

func TestReadNational(t *testing.T) {
	tests := []struct {
		file  string
		opts  ReadOptions
		n     int
		level Level
		year  int
	}{
		{nationalBuurt, ReadOptions{}, 11691, LevelBuurt, 2014},
		{nationalWijk, ReadOptions{}, 2738, LevelWijk, 2014},
		{nationalGM, ReadOptions{}, 393, LevelGemeente, 2015},
		{nationalBuurt, ReadOptions{Year: 2013}, 11691, LevelBuurt, 2013},
		{nationalBuurt, ReadOptions{Name: "buurten.json.gz"}, -1, "", 0}, // no year anywhere
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := sharedData(t, nationalDir, tc.file)
			if tc.n < 0 {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				_, err = ReadAreas(f, tc.opts)
				if want := "buurten.json.gz: no vintage year: give --year"; err == nil || err.Error() != want {
					t.Fatalf("ReadAreas without a year: error %v, want %q", err, want)
				}
				return
			}
			areas := readFile(t, path, tc.opts)
			if len(areas) != tc.n {
				t.Errorf("got %d areas, want %d", len(areas), tc.n)
			}
			codes := make(map[string]bool)
			for _, a := range areas {
				if a.Level != tc.level || a.Year != tc.year {
					t.Fatalf("%s: level %s year %d, want %s %d", a.Code, a.Level, a.Year, tc.level, tc.year)
				}
				if codes[a.Code] {
					t.Fatalf("%s appears twice", a.Code)
				}
				codes[a.Code] = true
				if len(a.Geometry) == 0 {
					t.Fatalf("%s has no geometry", a.Code)
				}
				if a.Code == "GM9999" {
					t.Errorf("placeholder GM9999 (water %q) was not skipped", "B")
				}
			}
		})
	}
}

// TestReadNationalHierarchy checks the derived parents on the national 2014 set.
func TestReadNationalHierarchy(t *testing.T) {
	buurten := readNational(t, nationalBuurt)
	wijken := readNational(t, nationalWijk)
	wijk := make(map[string]Area)
	for _, w := range wijken {
		wijk[w.Code] = w
	}
	diemen := 0
	var orphans []string
	for _, b := range buurten {
		// The files give no parents, so all come from the codes.
		if want := "WK" + b.Code[2:8]; b.Parent != want {
			t.Errorf("%s: parent %s, want %s", b.Code, b.Parent, want)
		}
		if want := "GM" + b.Code[2:6]; b.Gemeente != want {
			t.Errorf("%s: gemeente %s, want %s", b.Code, b.Gemeente, want)
		}
		w, ok := wijk[b.Parent]
		if !ok {
			orphans = append(orphans, b.Code)
		} else if w.Gemeente != b.Gemeente {
			t.Errorf("%s: gemeente %s, its wijk %s has %s", b.Code, b.Gemeente, w.Code, w.Gemeente)
		}
		if b.Gemeente == "GM0384" {
			diemen++
		}
	}
	// The 2014 wijk file lacks a few wijken (WK060600, WK059925, WK034007, WK032705)
	// that have buurten in the buurt file: a property of the data, not of the reader.
	t.Logf("%d buurten whose wijk is not in the wijk file: %v", len(orphans), orphans)
	if len(orphans) > len(buurten)/1000 {
		t.Errorf("%d buurten whose wijk is not in the wijk file, want at most 0.1%%", len(orphans))
	}
	// PROVENANCE.md: Diemen had 24 buurten in 2014.
	if diemen != 24 {
		t.Errorf("Diemen has %d buurten in 2014, want 24", diemen)
	}
	got := summarise(buurten[:1])
	want := []areaSummary{{"BU19870309", "Verspreide huizen Muntendam", "WK198703", "GM1987", LevelBuurt, 2014}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first buurt mismatch (-want +got):\n%s", diff)
	}
}

// tinyTopology is a hand-written quantised TopoJSON: buurt A is a square with a
// triangular hole, given by an arc reversed with a negative index; buurt B is a
// MultiPolygon beside it that shares A's east edge, also reversed. With scale 1/8 x 1/16
// every position is exact in binary.
const tinyTopology = `{
  "type": "Topology",
  "transform": {"scale": [0.125, 0.0625], "translate": [4, 52]},
  "arcs": [
    [[8, 0], [0, 8]],
    [[8, 8], [-8, 0], [0, -8], [8, 0]],
    [[2, 2], [4, 0], [-4, 4], [0, -4]],
    [[8, 0], [4, 0], [0, 8], [-4, 0]]
  ],
  "objects": {
    "buurten": {
      "type": "GeometryCollection",
      "geometries": [
        {"type": "Polygon", "arcs": [[0, 1], [-3]],
         "properties": {"statcode": "BU03840101", "statnaam": "A", "jaar": "2024"}},
        {"type": "MultiPolygon", "arcs": [[[-1, 3]]],
         "properties": {"statcode": "BU03840102", "statnaam": "B", "jaar": 2024}}
      ]
    }
  }
}`

// tinyTopologyPlain is tinyTopology without quantisation.
const tinyTopologyPlain = `{
  "type": "Topology",
  "arcs": [
    [[5, 52], [5, 52.5]],
    [[5, 52.5], [4, 52.5], [4, 52], [5, 52]],
    [[4.25, 52.125], [4.75, 52.125], [4.25, 52.375], [4.25, 52.125]],
    [[5, 52], [5.5, 52], [5.5, 52.5], [5, 52.5]]
  ],
  "objects": {
    "buurten": {
      "type": "GeometryCollection",
      "geometries": [
        {"type": "Polygon", "arcs": [[0, 1], [-3]],
         "properties": {"statcode": "BU03840101", "statnaam": "A", "jaar": "2024"}},
        {"type": "MultiPolygon", "arcs": [[[-1, 3]]],
         "properties": {"statcode": "BU03840102", "statnaam": "B", "jaar": 2024}}
      ]
    }
  }
}`

func tinyAreas() []Area {
	return []Area{
		{
			Code: "BU03840101", Name: "A", Level: LevelBuurt, Parent: "WK038401", Gemeente: "GM0384", Year: 2024,
			Geometry: orb.MultiPolygon{{
				{{5, 52}, {5, 52.5}, {4, 52.5}, {4, 52}, {5, 52}},
				{{4.25, 52.125}, {4.25, 52.375}, {4.75, 52.125}, {4.25, 52.125}},
			}},
		},
		{
			Code: "BU03840102", Name: "B", Level: LevelBuurt, Parent: "WK038401", Gemeente: "GM0384", Year: 2024,
			Geometry: orb.MultiPolygon{{
				{{5, 52.5}, {5, 52}, {5.5, 52}, {5.5, 52.5}, {5, 52.5}},
			}},
		},
	}
}

func TestReadTopoJSONTiny(t *testing.T) {
	for name, doc := range map[string]string{"quantised": tinyTopology, "plain": tinyTopologyPlain} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadAreas(strings.NewReader(doc), ReadOptions{Name: "tiny.topojson"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tinyAreas(), got); diff != "" {
				t.Errorf("ReadAreas mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadGzipByContent(t *testing.T) {
	path := sharedData(t, diemenDir, diemenWijkWGS)
	plain, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, path, ReadOptions{})
	// The names lie about the compression on purpose.
	for name, data := range map[string][]byte{"wijken.geojson": buf.Bytes(), "wijken.geojson.gz": plain} {
		got, err := ReadAreas(bytes.NewReader(data), ReadOptions{Name: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// withoutCRSMember returns a GeoJSON file with its "crs" member removed.
func withoutCRSMember(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["crs"]; !ok {
		t.Fatalf("%s has no crs member to strip", path)
	}
	delete(doc, "crs")
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReadCRS(t *testing.T) {
	rdPath := sharedData(t, diemenDir, diemenBuurtRD)
	want := readFile(t, rdPath, ReadOptions{})
	stripped := withoutCRSMember(t, rdPath)
	rdFile, err := os.ReadFile(rdPath)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		data    []byte
		crs     CRS
		wantErr string
	}{
		{"crs member", rdFile, CRSAuto, ""},
		{"detected by range", stripped, CRSAuto, ""},
		{"given", stripped, CRSRD, ""},
		{"given, overrides member", rdFile, CRSRD, ""},
		{"wrongly given as wgs84", stripped, CRSWGS84, "is not a valid longitude/latitude"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAreas(bytes.NewReader(tc.data), ReadOptions{CRS: tc.crs, Name: "diemen.geojson"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "diemen.geojson: ") {
					t.Fatalf("error %v, want one naming the file and containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCRS(t *testing.T) {
	tests := []struct {
		in      string
		want    CRS
		wantErr bool
	}{
		{"", CRSAuto, false},
		{"  ", CRSAuto, false},
		{"EPSG:4326", CRSWGS84, false},
		{"epsg:4326", CRSWGS84, false},
		{"4326", CRSWGS84, false},
		{"wgs84", CRSWGS84, false},
		{"WGS84", CRSWGS84, false},
		{"EPSG:28992", CRSRD, false},
		{"Epsg:28992", CRSRD, false},
		{"28992", CRSRD, false},
		{"rd", CRSRD, false},
		{"RD", CRSRD, false},
		{"EPSG:3857", "", true},
		{"wgs 84", "", true},
		{"rdnew", "", true},
	}
	for _, tc := range tests {
		got, err := ParseCRS(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseCRS(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestCRSFromName(t *testing.T) {
	tests := []struct {
		in      string
		want    CRS
		wantErr bool
	}{
		{"urn:ogc:def:crs:EPSG::28992", CRSRD, false},
		{"EPSG:28992", CRSRD, false},
		{"http://www.opengis.net/def/crs/EPSG/0/28992", CRSRD, false},
		{"urn:ogc:def:crs:EPSG::7415", CRSRD, false},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", CRSWGS84, false},
		{"urn:ogc:def:crs:EPSG::4326", CRSWGS84, false},
		{"urn:ogc:def:crs:EPSG::3857", "", true},
		{"", "", true},
	}
	for _, tc := range tests {
		got, err := crsFromName(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("crsFromName(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestYearFromName(t *testing.T) {
	tests := []struct {
		name string
		want int
	}{
		{"Buurt_2014_layer_q1e3.topojson.gz", 2014},
		{"GemeenteDetail_2015_layer_q1e3.topojson.gz", 2015},
		{"diemen_buurten_2024_rd.geojson", 2024},
		{"buurt2023.json", 2023},
		{"/data/2023/buurten.json", 0}, // only the base name counts
		{"wijk_2014_2015.json", 0},     // ambiguous
		{"wijk_2014_v2014.json", 2014}, // the same year twice
		{"buurten_20240.json", 0},      // five digits
		{"buurten_1999.json", 0},       // out of range
		{"buurten.json", 0},            // none
		{"", 0},                        // none
	}
	for _, tc := range tests {
		if got := yearFromName(tc.name); got != tc.want {
			t.Errorf("yearFromName(%q) = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// polygonJSON is a small valid polygon geometry for hand-written inputs.
const polygonJSON = `{"type":"Polygon","coordinates":[[[4.9,52.3],[5.0,52.3],[5.0,52.4],[4.9,52.3]]]}`

func feature(props string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + polygonJSON + `}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func TestReadAreasProperties(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts ReadOptions
		want []areaSummary
	}{
		{
			"statcode and friends",
			collection(feature(`{"statcode":"BU03840101","statnaam":"Buytenstee","rubriek":"buurt","jaar":2024,"gm_code":"GM0384","wk_code":"WK038401"}`)),
			ReadOptions{},
			[]areaSummary{{"BU03840101", "Buytenstee", "WK038401", "GM0384", LevelBuurt, 2024}},
		},
		{
			"code and name, level and parents derived, year from options",
			collection(feature(`{"code":"BU03840205","name":"Spoordriehoek"}`)),
			ReadOptions{Year: 2023},
			[]areaSummary{{"BU03840205", "Spoordriehoek", "WK038402", "GM0384", LevelBuurt, 2023}},
		},
		{
			"jaar as a string wins over options",
			collection(feature(`{"statcode":"WK038402","statnaam":"Centrum","jaar":"2022"}`)),
			ReadOptions{Year: 2023},
			[]areaSummary{{"WK038402", "Centrum", "GM0384", "GM0384", LevelWijk, 2022}},
		},
		{
			"year from the file name",
			collection(feature(`{"statcode":"GM0384","statnaam":"Diemen"}`)),
			ReadOptions{Name: "gemeenten_2021.geojson"},
			[]areaSummary{{"GM0384", "Diemen", "", "GM0384", LevelGemeente, 2021}},
		},
		{
			"gemeentecode, water skipped, same code merged",
			collection(
				feature(`{"gemeentecode":"GM0003","gemeentenaam":"Appingedam","water":"NEE"}`),
				feature(`{"gemeentecode":"GM0003","gemeentenaam":"Appingedam","water":"JA"}`),
				feature(`{"gemeentecode":"GM9999","water":"B"}`),
				feature(`{"gemeentecode":"GM0005","gemeentenaam":"Bedum","water":"NEE"}`),
				feature(`{"gemeentecode":"GM0003","gemeentenaam":"Appingedam","water":"NEE"}`),
			),
			ReadOptions{Year: 2015},
			[]areaSummary{
				{"GM0003", "Appingedam", "", "GM0003", LevelGemeente, 2015},
				{"GM0005", "Bedum", "", "GM0005", LevelGemeente, 2015},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAreas(strings.NewReader(tc.doc), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarise(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// The merged GM0003 holds both of its land polygons.
	got, err := ReadAreas(strings.NewReader(tests[4].doc), tests[4].opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[0].Geometry); n != 2 {
		t.Errorf("merged GM0003 has %d polygons, want 2", n)
	}
}

func TestReadAreasErrors(t *testing.T) {
	gz := func(s string) string {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.String()
	}
	tests := []struct {
		name string
		doc  string
		opts ReadOptions
		want string // the whole message, or its start when it ends in "..."
	}{
		{"empty file", "", ReadOptions{Name: "x.json"}, "x.json: empty input"},
		{"blank file", " \n\t", ReadOptions{Name: "x.json"}, "x.json: empty input"},
		{"empty gzip", gz(""), ReadOptions{Name: "x.json.gz"}, "x.json.gz: empty input"},
		{"not json", "statcode;statnaam\nBU03840101;Buytenstee\n", ReadOptions{Name: "buurten.csv"}, "buurten.csv: decode json: ..."},
		{"broken gzip", "\x1f\x8bnot really", ReadOptions{Name: "x.gz"}, "x.gz: gunzip: ..."},
		{"json but not geojson", `{"hello":"world"}`, ReadOptions{Name: "x.json"}, `x.json: not GeoJSON or TopoJSON: no "type" member`},
		{"a lone geometry", polygonJSON, ReadOptions{Name: "x.json"}, `x.json: unsupported document type "Polygon": want FeatureCollection or Topology`},
		{"no features", collection(), ReadOptions{Name: "x.json"}, "x.json: no areas found"},
		{"only water", collection(feature(`{"gemeentecode":"GM0003","water":"JA"}`)), ReadOptions{Name: "x.json", Year: 2015}, "x.json: no areas found"},
		{
			"no statcode",
			collection(
				feature(`{"statcode":"BU03840101","jaar":2024}`),
				feature(`{"statcode":"BU03840102","jaar":2024}`),
				`{"type":"Feature","id":"BU03840103","properties":{"statnaam":"Vogelweide","jaar":2024},"geometry":`+polygonJSON+`}`,
			),
			ReadOptions{Name: "diemen.geojson"},
			"diemen.geojson: feature 3 (BU03840103): no statcode",
		},
		{"no properties", collection(`{"type":"Feature","geometry":` + polygonJSON + `}`), ReadOptions{Name: "x.json"}, "x.json: feature 1: no statcode"},
		{"no year", collection(feature(`{"statcode":"BU03840101"}`)), ReadOptions{Name: "x.json"}, "x.json: no vintage year: give --year"},
		{"bad year", collection(feature(`{"statcode":"BU03840101","jaar":"twenty"}`)), ReadOptions{Name: "x.json"}, `x.json: feature 1 (BU03840101): jaar "twenty" is not a year: ...`},
		{"option year out of range", collection(feature(`{"statcode":"BU03840101"}`)), ReadOptions{Name: "x.json", Year: 24}, "x.json: year 24 out of range 1900-2199"},
		{"bad code", collection(feature(`{"statcode":"BU0384","jaar":2024}`)), ReadOptions{Name: "x.json"}, `x.json: feature 1 (BU0384): code "BU0384": want BU followed by 8 digits`},
		{"unknown prefix", collection(feature(`{"statcode":"PC1234","jaar":2024}`)), ReadOptions{Name: "x.json"}, `x.json: feature 1 (PC1234): code "PC1234" does not start with GM, WK or BU`},
		{"code not a string", collection(feature(`{"statcode":384,"jaar":2024}`)), ReadOptions{Name: "x.json"}, "x.json: feature 1: statcode is a number, want a string"},
		{"rubriek mismatch", collection(feature(`{"statcode":"BU03840101","rubriek":"wijk","jaar":2024}`)), ReadOptions{Name: "x.json"}, `x.json: feature 1 (BU03840101): rubriek "wijk" does not match code BU03840101`},
		{"bad gm_code", collection(feature(`{"statcode":"BU03840101","gm_code":"WK038401","jaar":2024}`)), ReadOptions{Name: "x.json"}, `x.json: feature 1 (BU03840101): gm_code "WK038401" is not a gemeente code`},
		{"no geometry", collection(`{"type":"Feature","properties":{"statcode":"BU03840101","jaar":2024},"geometry":null}`), ReadOptions{Name: "x.json"}, "x.json: feature 1 (BU03840101): no geometry"},
		{
			"point geometry",
			collection(`{"type":"Feature","properties":{"statcode":"BU03840101","jaar":2024},"geometry":{"type":"Point","coordinates":[5,52]}}`),
			ReadOptions{Name: "x.json"},
			`x.json: feature 1 (BU03840101): unsupported geometry type "Point": want Polygon or MultiPolygon`,
		},
		{
			"short position",
			collection(`{"type":"Feature","properties":{"statcode":"BU03840101","jaar":2024},"geometry":{"type":"Polygon","coordinates":[[[5,52],[5],[6,53]]]}}`),
			ReadOptions{Name: "x.json"},
			"x.json: feature 1 (BU03840101): ring 1: position 2 has 1 values, want at least 2",
		},
		{
			"coordinates fit no crs",
			collection(`{"type":"Feature","properties":{"statcode":"BU03840101","jaar":2024},"geometry":{"type":"Polygon","coordinates":[[[5e6,5e6],[6e6,5e6],[6e6,6e6],[5e6,5e6]]]}}`),
			ReadOptions{Name: "x.json"},
			"x.json: coordinates (x 5e+06..6e+06, y 5e+06..6e+06) fit neither RD New nor WGS84: give --crs",
		},
		{
			"unknown crs member",
			`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[` + feature(`{"statcode":"BU03840101","jaar":2024}`) + `]}`,
			ReadOptions{Name: "x.json"},
			`x.json: unsupported crs "urn:ogc:def:crs:EPSG::3857": want EPSG:28992 or EPSG:4326`,
		},
		{"unknown crs option", collection(feature(`{"statcode":"BU03840101","jaar":2024}`)), ReadOptions{Name: "x.json", CRS: "EPSG:3857"}, `x.json: unknown crs "EPSG:3857"`},
		{
			"arc index out of range",
			`{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,0]]],"objects":{"l":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0,-5]],"properties":{"statcode":"BU03840101","jaar":2024}}]}}}`,
			ReadOptions{Name: "t.topojson"},
			"t.topojson: object l: feature 1 (BU03840101): ring 1: arc index -5 out of range (1 arcs)",
		},
		{
			"bad transform",
			`{"type":"Topology","transform":{"scale":[1]},"arcs":[],"objects":{}}`,
			ReadOptions{Name: "t.topojson"},
			"t.topojson: transform: want two scale and two translate values",
		},
		{"unnamed input", "", ReadOptions{}, "input: empty input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAreas(strings.NewReader(tc.doc), tc.opts)
			if err == nil {
				t.Fatalf("ReadAreas succeeded with %d areas, want error %q", len(got), tc.want)
			}
			if prefix, ok := strings.CutSuffix(tc.want, "..."); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error %q, want it to start with %q", err, prefix)
				}
			} else if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}
}

// FuzzReadAreas feeds arbitrary bytes to ReadAreas: it must not panic, and what it
// accepts must be usable.
func FuzzReadAreas(f *testing.F) {
	f.Add([]byte(tinyTopology))
	f.Add([]byte(tinyTopologyPlain))
	f.Add([]byte(collection(feature(`{"statcode":"BU03840101","statnaam":"A","jaar":2024}`))))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[{"type":"Feature","properties":{"statcode":"WK038401","jaar":"2024"},"geometry":{"type":"MultiPolygon","coordinates":[[[[127033,485145],[126550,485438],[126203,485069],[127033,485145]]]]}}]}`))
	f.Add([]byte(`{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,0]]],"objects":{"l":{"type":"Polygon","arcs":[[0]],"properties":{"gemeentecode":"GM0003","water":"NEE"}}}}`))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(tinyTopology))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Add([]byte("null"))

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, crs := range []CRS{CRSAuto, CRSRD} {
			areas, err := ReadAreas(bytes.NewReader(data), ReadOptions{CRS: crs, Name: "fuzz_2024.json"})
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz_2024.json: ") {
					t.Fatalf("error %q does not name the file", err)
				}
				continue
			}
			if len(areas) == 0 {
				t.Fatal("no error and no areas")
			}
			for _, a := range areas {
				if l, err := codeLevel(a.Code); err != nil || l != a.Level {
					t.Fatalf("area %q has level %q (%v)", a.Code, a.Level, err)
				}
				if len(a.Geometry) == 0 || a.Year == 0 {
					t.Fatalf("area %s: %d polygons, year %d", a.Code, len(a.Geometry), a.Year)
				}
				for _, p := range a.Geometry {
					for _, r := range p {
						for _, pt := range r {
							if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90 {
								t.Fatalf("area %s: vertex %v is not lon/lat", a.Code, pt)
							}
						}
					}
				}
			}
			ix := NewIndex(areas)
			b := areas[0].Bound()
			ix.Locate(b.Center()[0], b.Center()[1])
			ix.Locate(b.Min[0], b.Min[1])
		}
	})
}
