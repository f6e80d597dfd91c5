package demo

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

// Source is the source name of the generated demo registrations.
const Source = "demo"

// DefaultSeed is the seed of `baken demo`, so that every demo shows the same
// registrations: 6 February 2024, the day the college adopted the jaarprogramma 2024.
const DefaultSeed uint64 = 20240206

// The demo registrations cover these years, counted by their day in Europe/Amsterdam.
const (
	FirstYear = 2019
	LastYear  = 2025
)

// Description is the free text of every generated registration: wherever a row is
// shown, it says that it is not real.
const Description = "Gegenereerde demoregistratie (geen echte melding)"

// generatorVersion is part of the batch's identity: a changed generator loads as a new
// batch whose changed rows become new versions of the old ones.
const generatorVersion = "1"

// Areas returns Diemen's embedded wijken and buurten (vintage AreaYear, WGS84), the same
// geometry LoadReference stores.
func Areas() ([]geo.Area, error) {
	var out []geo.Area
	for _, name := range []string{"data/diemen_wijken_2024_rd.geojson", "data/diemen_buurten_2024_rd.geojson"} {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("demo areas: %w", err)
		}
		as, err := geo.ReadAreas(bytes.NewReader(b), geo.ReadOptions{CRS: geo.CRSRD, Year: AreaYear, Name: name})
		if err != nil {
			return nil, fmt.Errorf("demo areas: %w", err)
		}
		out = append(out, as...)
	}
	return out, nil
}

// Generate returns the demo registrations of Diemen for FirstYear to LastYear, in order of
// time, with source keys "demo-YYYY-NNNNNN" numbered in that order per year. areas must
// hold Diemen's buurten of AreaYear (other areas are ignored). The result depends only on
// seed and the areas: the same seed gives the same rows, byte for byte. The yearly
// totals per category are fixed (see themes); the seed moves times and places.
func Generate(seed uint64, areas []geo.Area) ([]baken.Registration, error) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return nil, fmt.Errorf("demo registrations: time zone: %w", err)
	}
	g, err := newGenerator(areas, loc)
	if err != nil {
		return nil, err
	}
	ts := themes()
	total := 0
	for _, th := range ts {
		for _, n := range th.counts {
			total += n
		}
	}
	out := make([]baken.Registration, 0, total)
	for year := FirstYear; year <= LastYear; year++ {
		rows, err := g.year(seed, year, ts)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// place is a buurt the generator puts registrations in.
type place struct {
	buurtProfile
	wijk  string
	year  int
	bound orb.Bound
	// spots are two fixed points of the buurt (its square, its corner) around which some
	// themes cluster. They come from the buurt's code, not from the seed: a seed moves
	// the registrations, not the shopping centre.
	spots [2]orb.Point
}

type generator struct {
	places []place
	byCode map[string]int
	index  *geo.Index
	loc    *time.Location
}

func newGenerator(areas []geo.Area, loc *time.Location) (*generator, error) {
	buurten := map[string]geo.Area{}
	for _, a := range areas {
		if a.Year == AreaYear && a.Gemeente == Gemeente && (a.Level == geo.LevelBuurt || (a.Level == "" && len(a.Code) == 10)) {
			buurten[a.Code] = a
		}
	}
	profiles := diemenBuurten()
	g := &generator{byCode: map[string]int{}, loc: loc}
	indexed := make([]geo.Area, 0, len(profiles))
	for _, p := range profiles {
		a, ok := buurten[p.code]
		if !ok {
			return nil, baken.Errorf(baken.NotFound, "areas", "demo registrations: buurt %s (%s, %d) is not loaded", p.code, p.name, AreaYear)
		}
		wijk := a.Parent
		if wijk == "" {
			wijk = "WK" + a.Code[2:8]
		}
		g.byCode[p.code] = len(g.places)
		g.places = append(g.places, place{buurtProfile: p, wijk: wijk, year: a.Year, bound: a.Bound()})
		indexed = append(indexed, a)
	}
	g.index = geo.NewIndex(indexed)
	for i := range g.places {
		p := &g.places[i]
		r := rand.New(rand.NewPCG(streamOf(p.code, 0), 0x5eed5))
		for s := range p.spots {
			lon, lat, err := g.uniform(r, p)
			if err != nil {
				return nil, err
			}
			p.spots[s] = orb.Point{lon, lat}
		}
	}
	return g, nil
}

// streamOf derives the second word of a PCG seed from a name and a year, so that every
// theme and year draws from its own stream: adding a theme leaves the others unchanged.
func streamOf(name string, year int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(year)))
	return h.Sum64()
}

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

// in reports whether a point lies in buurt p, by the same index the importer and the
// tests locate with.
func (g *generator) in(p *place, lon, lat float64) bool {
	pl, ok := g.index.Locate(lon, lat)
	return ok && pl.Buurt == p.code
}

// uniform draws a point uniformly in buurt p: rejection sampling in its bounding box, on
// the coordinates rounded to 6 decimals (about 0.1 m), as they are stored.
func (g *generator) uniform(r *rand.Rand, p *place) (lon, lat float64, err error) {
	b := p.bound
	for range 100_000 {
		lon = round(b.Min[0]+r.Float64()*(b.Max[0]-b.Min[0]), 6)
		lat = round(b.Min[1]+r.Float64()*(b.Max[1]-b.Min[1]), 6)
		if g.in(p, lon, lat) {
			return lon, lat, nil
		}
	}
	return 0, 0, fmt.Errorf("demo registrations: no point found in buurt %s", p.code)
}

// near draws a point in buurt p around c, normally distributed with spread metres in
// either direction; it gives up (false) when the draws keep falling outside the buurt.
func (g *generator) near(r *rand.Rand, p *place, c orb.Point, spread float64) (lon, lat float64, ok bool) {
	mLat := 111_320.0
	mLon := mLat * math.Cos(c[1]*math.Pi/180)
	for range 30 {
		lon = round(c[0]+r.NormFloat64()*spread/mLon, 6)
		lat = round(c[1]+r.NormFloat64()*spread/mLat, 6)
		if g.in(p, lon, lat) {
			return lon, lat, true
		}
	}
	return 0, 0, false
}

// draft is a registration before it is numbered.
type draft struct {
	at       time.Time
	theme    int
	place    int
	lon, lat float64
}

// year generates one year's registrations of every theme.
func (g *generator) year(seed uint64, year int, ts []theme) ([]baken.Registration, error) {
	hours := yearHours(year, g.loc)
	total := 0
	for _, th := range ts {
		total += th.counts[year-FirstYear]
	}
	drafts := make([]draft, 0, total)
	for ti := range ts {
		th := &ts[ti]
		n := th.counts[year-FirstYear]
		if n == 0 {
			continue
		}
		r := rand.New(rand.NewPCG(seed, streamOf(th.category, year)))
		times, err := drawTimes(r, &th.when, hours, n)
		if err != nil {
			return nil, fmt.Errorf("demo registrations: %s %d: %w", th.category, year, err)
		}
		where := make([]float64, len(g.places)) // cumulative buurt weights
		weight := 0.0
		for i := range g.places {
			weight += th.where(&g.places[i].buurtProfile)
			where[i] = weight
		}
		if weight <= 0 {
			return nil, fmt.Errorf("demo registrations: %s: no buurt has any weight", th.category)
		}
		first := len(drafts)
		recent := first // the first draft of this theme within 14 days of the current one
		for _, at := range times {
			d := draft{at: at, theme: ti}
			for recent < len(drafts) && at.Sub(drafts[recent].at) > 14*24*time.Hour {
				recent++
			}
			placed := false
			if th.repeat > 0 && recent < len(drafts) && r.Float64() < th.repeat {
				prev := drafts[recent+r.IntN(len(drafts)-recent)]
				d.place, d.lon, d.lat, placed = g.nearRepeat(r, prev, th.spread)
			}
			if !placed {
				u := r.Float64() * weight
				d.place = sort.Search(len(where), func(i int) bool { return where[i] > u })
				p := &g.places[d.place]
				if th.cluster > 0 && r.Float64() < th.cluster {
					d.lon, d.lat, placed = g.near(r, p, p.spots[th.spot], th.spread)
				}
				if !placed {
					if d.lon, d.lat, err = g.uniform(r, p); err != nil {
						return nil, err
					}
				}
			}
			drafts = append(drafts, d)
		}
	}
	slices.SortStableFunc(drafts, func(a, b draft) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.theme, b.theme), cmp.Compare(a.lon, b.lon), cmp.Compare(a.lat, b.lat))
	})
	out := make([]baken.Registration, len(drafts))
	for i, d := range drafts {
		r := g.registration(d, ts[d.theme].category, fmt.Sprintf("demo-%d-%06d", year, i+1))
		if r.LocalDay[:4] != strconv.Itoa(year) {
			return nil, fmt.Errorf("demo registrations: %s drawn for %d falls on %s", r.SourceKey, year, r.LocalDay)
		}
		out[i] = r
	}
	return out, nil
}

// nearRepeat places a registration within about spread metres of an earlier one, in
// whichever inhabited buurt that falls.
func (g *generator) nearRepeat(r *rand.Rand, prev draft, spread float64) (int, float64, float64, bool) {
	mLat := 111_320.0
	mLon := mLat * math.Cos(prev.lat*math.Pi/180)
	for range 20 {
		lon := round(prev.lon+r.NormFloat64()*spread/mLon, 6)
		lat := round(prev.lat+r.NormFloat64()*spread/mLat, 6)
		pl, ok := g.index.Locate(lon, lat)
		if !ok {
			continue
		}
		if i, ok := g.byCode[pl.Buurt]; ok && g.places[i].pop >= 100 {
			return i, lon, lat, true
		}
	}
	return 0, 0, 0, false
}

// drawTimes draws n times in the year's hours, each hour with its clock weight, at a
// whole minute within it; the times are returned in order.
func drawTimes(r *rand.Rand, c *clock, hours []hourInfo, n int) ([]time.Time, error) {
	cum := make([]float64, len(hours))
	total := 0.0
	for i := range hours {
		total += c.weight(&hours[i])
		cum[i] = total
	}
	if total <= 0 {
		return nil, fmt.Errorf("no hour of the year has any weight")
	}
	out := make([]time.Time, n)
	for k := range out {
		u := r.Float64() * total
		i := sort.Search(len(cum), func(i int) bool { return cum[i] > u })
		out[k] = hours[i].start.Add(time.Duration(r.IntN(60)) * time.Minute)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out, nil
}

func (g *generator) registration(d draft, category, key string) baken.Registration {
	p := &g.places[d.place]
	lon, lat := d.lon, d.lat
	x, y := geo.WGS84ToRD(lon, lat)
	x, y = round(x, 2), round(y, 2)
	r := baken.Registration{
		Gemeente:    Gemeente,
		Source:      Source,
		SourceID:    key,
		SourceKey:   key,
		OccurredAt:  d.at.UTC(),
		Precision:   baken.PrecisionMinute,
		LocalDay:    baken.LocalDayOf(d.at, baken.PrecisionMinute, g.loc),
		Category:    category,
		Lon:         &lon,
		Lat:         &lat,
		X:           &x,
		Y:           &y,
		Wijk:        p.wijk,
		Buurt:       p.code,
		AreaYear:    p.year,
		Description: Description,
		Generated:   true,
	}
	r.ContentHash = r.Digest()
	return r
}

// chunkSize is the number of registrations committed together.
const chunkSize = 5000

// LoadRegistrations generates the demo registrations for seed and stores them as source
// Source, in chunks, as one import batch. It needs Diemen's areas in the store
// (LoadReference) and an actor that may import registrations of GM0384 (the system).
// It is idempotent: a second run with the same seed finds every row unchanged and stores
// nothing. It returns how many registrations it stored.
func LoadRegistrations(ctx context.Context, db *store.DB, seed uint64) (int, error) {
	gm, year := Gemeente, AreaYear
	stored, err := db.FindAreas(ctx, store.AreaFilter{Gemeente: &gm, Year: &year, WithGeometry: true})
	if err != nil {
		return 0, fmt.Errorf("demo registrations: %w", err)
	}
	areas := make([]geo.Area, 0, len(stored))
	for _, s := range stored {
		a, err := geo.FromStored(s)
		if err != nil {
			return 0, fmt.Errorf("demo registrations: %w", err)
		}
		areas = append(areas, a)
	}
	rows, err := Generate(seed, areas)
	if err != nil {
		return 0, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return 0, fmt.Errorf("demo registrations: batch id: %w", err)
	}
	batch := id.String()
	ident := sha256.Sum256([]byte(fmt.Sprintf("baken demo registrations v%s seed %d", generatorVersion, seed)))
	if err := db.StartImportBatch(ctx, store.ImportBatch{ID: batch, Kind: "registrations", Source: Source,
		FileName: fmt.Sprintf("demo-generator-v%s-seed-%d", generatorVersion, seed), FileHash: hex.EncodeToString(ident[:])}); err != nil {
		return 0, fmt.Errorf("demo registrations: %w", err)
	}
	n, err := loadChunks(ctx, db, batch, rows)
	status := "done"
	if err != nil {
		status = "failed"
	}
	if ferr := db.FinishImportBatch(context.WithoutCancel(ctx), batch, status); ferr != nil && err == nil {
		err = fmt.Errorf("demo registrations: %w", ferr)
	}
	if err == nil && n > 0 {
		err = db.Analyze(ctx)
	}
	return n, err
}

func loadChunks(ctx context.Context, db *store.DB, batch string, rows []baken.Registration) (int, error) {
	stored := 0
	for start := 0; start < len(rows); start += chunkSize {
		end := min(start+chunkSize, len(rows))
		res, err := db.ImportChunk(ctx, store.ImportChunk{BatchID: batch, Source: Source, Rows: rows[start:end],
			LinesDone: end, Read: end})
		if err != nil {
			return stored, fmt.Errorf("demo registrations: %w", err)
		}
		stored += res.Stored
	}
	return stored, nil
}
