package importer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

// DefaultChunkSize is how many rows an import commits together unless told otherwise:
// large enough that a chunk's fixed costs (a transaction, a round of rollup updates) are
// small beside its rows, small enough that the rows in flight stay within some 70 MiB
// (docs/BENCHMARKS.md) and that an interrupted import redoes little.
const DefaultChunkSize = 10000

// Options configure an import of registrations.
type Options struct {
	// Source names where the rows come from ("politie", "boa", "meldingen-2024", ...).
	Source string
	// Profile names the column profile: generic (by header names), politie or boa.
	Profile string
	// Map maps column headers to fields; it wins over the profile.
	Map map[string]Field
	// IDColumn names the column with the source's own id.
	IDColumn string
	// CategoryColumn names the column with the category value.
	CategoryColumn string
	// Categories resolves category values; required.
	Categories *Categorizer
	// TZ is the zone of times without an offset (default Europe/Amsterdam).
	TZ *time.Location
	// Bin is the installation's zone, in which days are counted (default Europe/Amsterdam).
	Bin *time.Location
	// Precision overrides the precision read from the time text.
	Precision baken.Precision
	// Strict stores nothing when any row is invalid.
	Strict bool
	// Generated marks rows as made by the demo generator.
	Generated bool
	// ChunkSize is the number of rows committed together (default DefaultChunkSize).
	ChunkSize int
	// RejectPath is where invalid rows are written (default: beside the input as
	// NAME.rejects.csv, or in the working folder when that is not writable).
	RejectPath string
	// Progress, when set, is called after every committed chunk.
	Progress func(Progress)
	// DryRun checks every row and writes the reject file, but stores nothing.
	DryRun bool
}

// Progress is reported after every committed chunk.
type Progress struct {
	Lines   int
	Read    int
	Stored  int
	Elapsed time.Duration
}

// Summary says what an import did.
type Summary struct {
	File      string
	BatchID   string
	Read      int // data rows read
	Stored    int // new registrations
	Updated   int // changed registrations (old versions kept)
	Unchanged int
	Outside   int // located outside every loaded area (kept)
	Rejected  int
	// ResumedAfter is the line after which this run resumed an interrupted import of
	// the same file; Resumed rows were stored by that run.
	ResumedAfter int
	Resumed      int
	RejectFile   string
	Problems     []string // the first problems, "file:line:column: field: reason"
	Duration     time.Duration
}

// Importer loads registrations into a store.
type Importer struct {
	db     *store.DB
	logger *slog.Logger
	// indexes caches a point-in-polygon index per area vintage; vintages lists the
	// loaded years. Both live for one Importer, which lives for one import.
	indexes  map[int]*geo.Index
	vintages []int
}

// New returns an importer writing to db. A nil db serves only dry runs, which then
// check rows without placing them in areas.
func New(db *store.DB, logger *slog.Logger) *Importer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Importer{db: db, logger: logger, indexes: map[int]*geo.Index{}}
}

const maxProblems = 20

// reject is one invalid row.
type reject struct {
	line   int
	column int
	field  string
	reason string
	record []string
}

func (r reject) String(file string) string {
	if r.column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s: %s", file, r.line, r.column, r.field, r.reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", file, r.line, r.field, r.reason)
}

// columns is the resolved layout of a file.
type columns struct {
	header []string
	field  map[Field]int // field -> column index
}

func resolveColumns(file string, header []string, opts Options) (columns, error) {
	prof, ok := Profiles()[cmpOr(opts.Profile, "generic")]
	if !ok {
		return columns{}, baken.Errorf(baken.Invalid, "--profile", "unknown profile %q (generic, politie, boa)", opts.Profile)
	}
	c := columns{header: slices.Clone(header), field: map[Field]int{}}
	byHeader := map[string]int{}
	for i, h := range header {
		byHeader[normHeader(h)] = i
	}
	for i, h := range header {
		if f, ok := prof.Columns[normHeader(h)]; ok {
			if _, dup := c.field[f]; !dup {
				c.field[f] = i
			}
		}
	}
	if prof.Name != "generic" {
		// Columns the profile does not know may still have generic names.
		for i, h := range header {
			if f, ok := genericColumns[normHeader(h)]; ok {
				if _, dup := c.field[f]; !dup {
					c.field[f] = i
				}
			}
		}
	}
	set := func(col string, f Field, flag string) error {
		i, ok := byHeader[normHeader(col)]
		if !ok {
			return baken.Errorf(baken.Invalid, flag, "%s:1: no column %q in the header (%s)", file, col, strings.Join(header, ", "))
		}
		for g, j := range c.field {
			if j == i {
				delete(c.field, g)
			}
		}
		if f != FieldIgnore {
			c.field[f] = i
		}
		return nil
	}
	mapped := make([]string, 0, len(opts.Map))
	for col := range opts.Map {
		mapped = append(mapped, col)
	}
	slices.Sort(mapped)
	for _, col := range mapped {
		if err := set(col, opts.Map[col], "--map"); err != nil {
			return c, err
		}
	}
	if opts.IDColumn != "" {
		if err := set(opts.IDColumn, FieldSourceID, "--id-col"); err != nil {
			return c, err
		}
	}
	if opts.CategoryColumn != "" {
		if err := set(opts.CategoryColumn, FieldCategory, "--category-col"); err != nil {
			return c, err
		}
	}
	has := func(f Field) bool { _, ok := c.field[f]; return ok }
	var missing []string
	if !has(FieldOccurredAt) && !has(FieldDate) {
		missing = append(missing, "the time (occurred_at, or date with time)")
	}
	if !has(FieldCategory) && opts.Categories != nil && opts.Categories.fixed == "" {
		missing = append(missing, "the category (a column, or --category)")
	}
	if !(has(FieldLon) && has(FieldLat)) && !(has(FieldX) && has(FieldY)) && !has(FieldBuurt) && !has(FieldWijk) && !has(FieldGemeente) {
		missing = append(missing, "the location (lon and lat, x and y, or an area code)")
	}
	if len(missing) > 0 {
		return c, baken.Errorf(baken.Invalid, file+":1", "no column for %s; map columns with --map COLUMN=FIELD (header: %s)",
			strings.Join(missing, "; "), strings.Join(header, ", "))
	}
	return c, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Registrations imports the registrations in the CSV file at path. Every invalid row is
// reported and written to the reject file; the valid rows are stored unless Strict is
// set. The import is idempotent (a second run changes nothing) and resumable (after a
// crash, running it again completes it).
func (im *Importer) Registrations(ctx context.Context, path string, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Source == "" {
		return Summary{}, baken.Errorf(baken.Invalid, "--source", "missing: name the source of the rows")
	}
	if opts.Categories == nil {
		return Summary{}, errors.New("import registrations: no categorizer")
	}
	if opts.TZ == nil || opts.Bin == nil {
		ams, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return Summary{}, fmt.Errorf("load time zone: %w", err)
		}
		opts.TZ = cmpLoc(opts.TZ, ams)
		opts.Bin = cmpLoc(opts.Bin, ams)
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	if opts.Strict && !opts.DryRun {
		dry := opts
		dry.DryRun = true
		s, err := im.Registrations(ctx, path, dry)
		if err != nil {
			return s, err
		}
		if s.Rejected > 0 {
			s.Duration = time.Since(start)
			return s, baken.Errorf(baken.Invalid, path, "%d invalid rows and --strict: nothing stored (see %s)", s.Rejected, s.RejectFile)
		}
	}
	if im.db == nil && !opts.DryRun {
		return Summary{}, errors.New("import registrations: no store")
	}
	actor, _ := baken.ActorFrom(ctx)
	fileHash, err := hashFile(path, opts, actor)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{File: path}
	if !opts.DryRun {
		// An interrupted run of the same file with the same options is resumed after the
		// last line it committed.
		if prev, err := im.db.LastImportBatch(ctx, fileHash, opts.Source); err == nil && prev.Status != "done" {
			sum.ResumedAfter = prev.LinesDone
		} else if err != nil && !baken.IsKind(err, baken.NotFound) {
			return sum, err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return sum, fmt.Errorf("batch id: %w", err)
		}
		sum.BatchID = id.String()
		if err := im.db.StartImportBatch(ctx, store.ImportBatch{ID: sum.BatchID, Kind: "registrations", Source: opts.Source,
			FileName: filepath.Base(path), FileHash: fileHash, LinesDone: sum.ResumedAfter}); err != nil {
			return sum, err
		}
	}
	err = im.run(ctx, path, opts, &sum)
	sum.Duration = time.Since(start)
	if !opts.DryRun {
		status := "done"
		if err != nil {
			status = "failed"
		}
		if ferr := im.db.FinishImportBatch(context.WithoutCancel(ctx), sum.BatchID, status); ferr != nil && err == nil {
			err = ferr
		}
	}
	return sum, err
}

func cmpLoc(l, def *time.Location) *time.Location {
	if l == nil {
		return def
	}
	return l
}

// hashFile identifies a file, the options that shape its rows and the municipalities of
// the actor who imports it (rows outside them are rejected), so that a rerun is resumed
// only when it would treat every line as the interrupted run did: a rerun with another
// category map, category tree or user starts again from the first line (which stores
// nothing twice).
func hashFile(path string, opts Options, actor baken.Actor) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	var keys []string
	for k, v := range opts.Map {
		keys = append(keys, k+"="+string(v))
	}
	slices.Sort(keys)
	gemeenten := slices.Sorted(slices.Values(actor.Gemeenten))
	fmt.Fprintf(h, "\x00%s|%s|%s|%s|%s|%s|%s|%v|%v|%s", opts.Profile, strings.Join(keys, ","), opts.IDColumn, opts.CategoryColumn,
		opts.TZ.String(), opts.Precision, opts.Categories.fingerprint(), opts.Generated, actor.AllGemeenten, strings.Join(gemeenten, ","))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// chunk is a batch of rows ready to store.
type chunk struct {
	rows      []baken.Registration
	lines     int
	read      int
	rejected  int
	outside   int
	skipStore bool // already stored by the interrupted run
}

func (im *Importer) run(ctx context.Context, path string, opts Options, sum *Summary) error {
	in, err := Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	cr := in.CSV()
	header, err := cr.Read()
	if err != nil {
		return baken.Errorf(baken.Invalid, path+":1", "no header line: %v", err)
	}
	header = slices.Clone(header)
	cols, err := resolveColumns(path, header, opts)
	if err != nil {
		return err
	}
	rj, err := newRejectWriter(path, opts.RejectPath, header)
	if err != nil {
		return err
	}
	defer rj.close()
	actor, _ := baken.ActorFrom(ctx)

	chunks := make(chan chunk, 2)
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		errc <- im.produce(ctx, cr, path, cols, opts, actor, rj, sum, chunks)
		close(chunks)
	}()
	start := time.Now()
	// The store takes the chunks to store; dry runs and the lines an interrupted run
	// stored are only read.
	next := func() (store.ImportChunk, bool) {
		for c := range chunks {
			if !c.skipStore {
				return store.ImportChunk{BatchID: sum.BatchID, Source: opts.Source, Rows: c.rows,
					LinesDone: c.lines, Read: c.read, Rejected: c.rejected, Outside: c.outside}, true
			}
		}
		return store.ImportChunk{}, false
	}
	nextAnalyze := 1
	stored := func(c store.ImportChunk, res store.ChunkResult) error {
		sum.Stored += res.Stored
		sum.Updated += res.Updated
		sum.Unchanged += res.Unchanged
		if sum.Stored >= nextAnalyze*opts.ChunkSize && nextAnalyze*opts.ChunkSize <= maxAnalyzeRows {
			// Statistics taken while the table is small keep lookups of keys on the
			// index; the planner scales them with the table's size as it grows.
			if err := im.db.AnalyzeKeys(ctx); err != nil {
				return err
			}
			nextAnalyze *= 2
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Lines: c.LinesDone, Read: c.Read, Stored: sum.Stored, Elapsed: time.Since(start)})
		}
		return nil
	}
	var storeErr error
	if !opts.DryRun {
		storeErr = im.db.ImportChunks(ctx, next, stored)
	}
	if storeErr != nil {
		cancel() // the reader stops at its next chunk
	}
	for range chunks {
		// A dry run only reads; after an error, this lets the reader end.
	}
	perr := <-errc
	cerr := rj.close()
	sum.RejectFile = rj.path
	if cerr != nil && storeErr == nil && perr == nil {
		return cerr
	}
	if storeErr != nil {
		return fmt.Errorf("%s: %w", path, storeErr)
	}
	return perr
}

// maxAnalyzeRows bounds the refreshes of the planner's statistics of the keys during an
// import: after 1, 2, 4, ... chunks, while the rows stored are at most this many. The
// planner scales statistics with the table's size, so later ones tell it little more,
// and each reads a sample of the table (up to 30,000 pages) whose cost grows with it.
const maxAnalyzeRows = 100_000

// produce reads, checks, locates and keys rows and sends them in chunks.
func (im *Importer) produce(ctx context.Context, cr *csv.Reader, path string, cols columns, opts Options,
	actor baken.Actor, rj *rejectWriter, sum *Summary, out chan<- chunk) error {
	occurrences := map[uint64]uint32{}
	cur := chunk{rows: make([]baken.Registration, 0, opts.ChunkSize)}
	send := func(last int) error {
		cur.lines, cur.read, cur.rejected, cur.outside = last, sum.Read, sum.Rejected, sum.Outside
		cur.skipStore = last <= sum.ResumedAfter && len(cur.rows) > 0
		if cur.skipStore {
			sum.Resumed += len(cur.rows)
		}
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur = chunk{rows: make([]baken.Registration, 0, opts.ChunkSize)}
		return nil
	}
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// A broken quote ends what can be read reliably.
				r := reject{line: pe.StartLine, column: pe.Column, field: "csv", reason: pe.Err.Error()}
				sum.Rejected++
				sum.Problems = appendProblem(sum.Problems, r.String(path))
				rj.write(r)
				return baken.Errorf(baken.Invalid, fmt.Sprintf("%s:%d", path, pe.StartLine), "the file cannot be read past this line: %v", pe.Err)
			}
			return fmt.Errorf("read %s: %w", path, err)
		}
		line, _ = cr.FieldPos(0)
		sum.Read++
		reg, rej := im.parseRow(ctx, rec, cols, opts, actor)
		if rej != nil {
			rej.line, rej.record = line, rec
			sum.Rejected++
			sum.Problems = appendProblem(sum.Problems, rej.String(path))
			rj.write(*rej)
		} else {
			reg.ContentHash, reg.SourceKey = contentKey(reg, occurrences)
			if reg.Outside {
				sum.Outside++
			}
			reg.Generated = opts.Generated
			cur.rows = append(cur.rows, reg)
		}
		if len(cur.rows) >= opts.ChunkSize {
			if err := send(line); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return send(line)
}

func appendProblem(ps []string, p string) []string {
	if len(ps) < maxProblems {
		ps = append(ps, p)
	}
	return ps
}

// parseRow turns a record into a registration, or says what is wrong with it.
func (im *Importer) parseRow(ctx context.Context, rec []string, cols columns, opts Options, actor baken.Actor) (baken.Registration, *reject) {
	r := baken.Registration{Source: opts.Source}
	get := func(f Field) (string, int, bool) {
		i, ok := cols.field[f]
		if !ok {
			return "", 0, false // no such column: a message names none
		}
		if i >= len(rec) {
			return "", i + 1, false
		}
		v := strings.TrimSpace(rec[i])
		// "NA", "NULL" and the like mean missing in a number, time or code column; an id
		// or a text keeps them as written, so that an export imports back as it was.
		if missingValue(v) && !literalField(f) {
			v = ""
		}
		return v, i + 1, true
	}
	bad := func(f Field, col int, format string, args ...any) *reject {
		return &reject{column: col, field: string(f), reason: fmt.Sprintf(format, args...)}
	}
	if len(rec) != len(cols.header) {
		reason := fmt.Sprintf("%d fields, the header has %d", len(rec), len(cols.header))
		if len(rec) > len(cols.header) {
			reason += " (a comma or semicolon in an unquoted field?)"
		}
		return r, &reject{field: "csv", reason: reason}
	}
	if v, _, ok := get(FieldSourceID); ok {
		r.SourceID = v
	}
	if _, ok := cols.field[FieldSourceID]; ok && r.SourceID == "" {
		col := cols.field[FieldSourceID] + 1
		return r, bad(FieldSourceID, col, "empty id")
	}
	// Time.
	if v, col, ok := get(FieldOccurredAt); ok && v != "" {
		t, p, err := parseTime(v, opts.TZ)
		if err != nil {
			return r, bad(FieldOccurredAt, col, "%v", err)
		}
		r.OccurredAt, r.Precision = t, p
	} else if v, col, ok := get(FieldDate); ok && v != "" {
		t, p, err := parseTime(v, opts.TZ)
		if err != nil {
			return r, bad(FieldDate, col, "%v", err)
		}
		// A date column that carries a time of 00:00 (as spreadsheets write dates) takes
		// its time from the time column too.
		midnight := p == baken.PrecisionMinute && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
		if tv, tcol, ok := get(FieldTime); ok && tv != "" && (p == baken.PrecisionDay || midnight) {
			h, m, s, err := parseClock(tv)
			if err != nil {
				return r, bad(FieldTime, tcol, "%v", err)
			}
			y, mo, d := t.Date()
			t, p = time.Date(y, mo, d, h, m, s, 0, opts.TZ), baken.PrecisionMinute
		}
		r.OccurredAt, r.Precision = t, p
	} else {
		f := FieldOccurredAt
		if _, ok := cols.field[FieldDate]; ok {
			f = FieldDate
		}
		return r, bad(f, cols.field[f]+1, "empty: every registration needs a date")
	}
	if opts.Precision != "" {
		r.Precision = opts.Precision
	}
	r.OccurredAt = r.OccurredAt.UTC()
	if r.Precision == baken.PrecisionMinute {
		r.LocalDay = baken.LocalDayOf(r.OccurredAt, r.Precision, opts.Bin)
	} else {
		// A date without a time is counted on that date, whatever the zones.
		r.LocalDay = baken.LocalDayOf(r.OccurredAt, r.Precision, opts.TZ)
	}
	if v, col, ok := get(FieldReportedAt); ok && v != "" {
		t, _, err := parseTime(v, opts.TZ)
		if err != nil {
			return r, bad(FieldReportedAt, col, "%v", err)
		}
		t = t.UTC()
		r.ReportedAt = &t
	}
	// Category.
	v, col, _ := get(FieldCategory)
	cat, err := opts.Categories.Resolve(v)
	if err != nil {
		return r, bad(FieldCategory, col, "%v", err)
	}
	r.Category = cat
	// Location.
	lonS, lonCol, hasLon := get(FieldLon)
	latS, latCol, hasLat := get(FieldLat)
	xS, xCol, hasX := get(FieldX)
	yS, yCol, hasY := get(FieldY)
	switch {
	case hasLon && hasLat && lonS != "" && latS != "":
		lon, err := parseNumber(lonS)
		if err != nil || lon < -180 || lon > 180 {
			return r, bad(FieldLon, lonCol, "%q is not a longitude (degrees east, e.g. 4,9612)", lonS)
		}
		lat, err := parseNumber(latS)
		if err != nil || lat < -90 || lat > 90 {
			return r, bad(FieldLat, latCol, "%q is not a latitude (degrees north, e.g. 52,3391)", latS)
		}
		r.Lon, r.Lat = &lon, &lat
		if lat > 50.5 && lat < 54 && lon > 3 && lon < 7.5 {
			x, y := geo.WGS84ToRD(lon, lat)
			x, y = round(x, 2), round(y, 2)
			r.X, r.Y = &x, &y
		}
	case hasX && hasY && xS != "" && yS != "":
		x, err := parseNumber(xS)
		if err != nil || x < -7000 || x > 300000 {
			return r, bad(FieldX, xCol, "%q is not an RD x coordinate (metres, 0-300000)", xS)
		}
		y, err := parseNumber(yS)
		if err != nil || y < 289000 || y > 629000 {
			return r, bad(FieldY, yCol, "%q is not an RD y coordinate (metres, 289000-629000)", yS)
		}
		lon, lat := geo.RDToWGS84(x, y)
		lon, lat = round(lon, 7), round(lat, 7)
		r.X, r.Y, r.Lon, r.Lat = &x, &y, &lon, &lat
	case (hasLon && lonS != "") != (hasLat && latS != ""):
		if lonS == "" {
			return r, bad(FieldLon, lonCol, "missing: longitude and latitude go together")
		}
		return r, bad(FieldLat, latCol, "missing: longitude and latitude go together")
	case (hasX && xS != "") != (hasY && yS != ""):
		if xS == "" {
			return r, bad(FieldX, xCol, "missing: x and y go together")
		}
		return r, bad(FieldY, yCol, "missing: x and y go together")
	}
	if v, col, ok := get(FieldBuurt); ok && v != "" {
		code := normCode(v)
		if l, err := baken.LevelOfCode(code); err != nil || l != baken.LevelBuurt {
			return r, bad(FieldBuurt, col, "%q is not a CBS buurt code (BU03840101)", v)
		}
		r.Buurt, r.Wijk, r.Gemeente = code, "WK"+code[2:8], "GM"+code[2:6]
	}
	if v, col, ok := get(FieldWijk); ok && v != "" && r.Wijk == "" {
		code := normCode(v)
		if l, err := baken.LevelOfCode(code); err != nil || l != baken.LevelWijk {
			return r, bad(FieldWijk, col, "%q is not a CBS wijk code (WK038401)", v)
		}
		r.Wijk, r.Gemeente = code, "GM"+code[2:6]
	}
	if v, col, ok := get(FieldGemeente); ok && v != "" && r.Gemeente == "" {
		code := normCode(v)
		if l, err := baken.LevelOfCode(code); err != nil || l != baken.LevelGemeente {
			return r, bad(FieldGemeente, col, "%q is not a CBS gemeente code (GM0384)", v)
		}
		r.Gemeente = code
	}
	if r.Gemeente == "" {
		if !r.Located() {
			return r, &reject{field: "location", reason: "no location: give coordinates or an area code"}
		}
		year, ix, err := im.indexFor(ctx, r.OccurredAt.In(opts.Bin).Year())
		if err != nil {
			return r, &reject{field: "location", reason: err.Error()}
		}
		if p, ok := ix.Locate(*r.Lon, *r.Lat); ok {
			r.Gemeente, r.Wijk, r.Buurt, r.AreaYear = p.Gemeente, p.Wijk, p.Buurt, year
		} else {
			r.Outside = true
		}
	}
	if r.Gemeente != "" && !actor.MaySee(r.Gemeente) {
		return r, &reject{field: "gemeente", reason: fmt.Sprintf("%s is not one of your municipalities", r.Gemeente)}
	}
	if v, _, ok := get(FieldAddress); ok {
		r.Address = v
	}
	if v, col, ok := get(FieldBAGID); ok && v != "" {
		r.BAGID = v
		if len(v) != 16 || strings.Trim(v, "0123456789") != "" {
			return r, bad(FieldBAGID, col, "%q is not a 16-digit BAG id", v)
		}
	}
	if v, _, ok := get(FieldDescription); ok {
		r.Description = v
	}
	if err := r.Validate(opts.Categories.Known()); err != nil {
		var fe baken.FieldErrors
		if errors.As(err, &fe) && len(fe) > 0 {
			return r, &reject{field: fe[0].Field, reason: fe[0].Message}
		}
		return r, &reject{field: "row", reason: err.Error()}
	}
	return r, nil
}

// missingValue reports whether v is how exports write "no value" (R's NA, SQL's NULL,
// Excel's #N/A).
// literalField reports whether a field's values are taken as written, never as missing.
func literalField(f Field) bool {
	return f == FieldSourceID || f == FieldAddress || f == FieldDescription
}

func missingValue(v string) bool {
	if len(v) < 2 || len(v) > 4 {
		return false // checked once per field: without allocating
	}
	for _, m := range [...]string{"NA", "N/A", "#N/A", "NULL", "NAN"} {
		if strings.EqualFold(v, m) {
			return true
		}
	}
	return false
}

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

// indexFor returns the area index of the vintage in force in year: that year's areas
// when loaded, else the nearest loaded vintage. Without any areas the index is empty.
func (im *Importer) indexFor(ctx context.Context, year int) (int, *geo.Index, error) {
	if im.vintages == nil && im.db == nil {
		im.vintages = []int{} // checking without a store: nothing to place in
	}
	if im.vintages == nil {
		sys := baken.WithActor(ctx, baken.System("import"))
		vs, err := im.db.AreaVintages(sys)
		if err != nil {
			return 0, nil, err
		}
		im.vintages = append([]int{}, vs...)
	}
	if len(im.vintages) == 0 {
		if im.indexes[0] == nil {
			im.indexes[0] = geo.NewIndex(nil)
		}
		return 0, im.indexes[0], nil
	}
	best := im.vintages[0]
	for _, v := range im.vintages {
		if abs(v-year) < abs(best-year) || (abs(v-year) == abs(best-year) && v > best) {
			best = v
		}
	}
	if ix := im.indexes[best]; ix != nil {
		return best, ix, nil
	}
	sys := baken.WithActor(ctx, baken.System("import"))
	stored, err := im.db.FindAreas(sys, store.AreaFilter{Year: &best, WithGeometry: true})
	if err != nil {
		return 0, nil, err
	}
	areas := make([]geo.Area, 0, len(stored))
	for _, s := range stored {
		a, err := geo.FromStored(s)
		if err != nil {
			return 0, nil, err
		}
		areas = append(areas, a)
	}
	im.indexes[best] = geo.NewIndex(areas)
	return best, im.indexes[best], nil
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// contentKey returns the content hash of a registration and its source key: the
// source's id when it has one, else a digest of what happened, where and when, with the
// occurrence number of identical rows so far, so that identical rows in one file stay
// distinct events. That digest leaves out what the import derives and may derive
// differently another time: the category (a changed map), the local day, and area codes
// that point-in-polygon placed (newly loaded areas). A rerun then finds the same rows and
// updates them, and a file exported from Baken imports back onto the same keys.
func contentKey(r baken.Registration, occurrences map[uint64]uint32) (hash, key string) {
	hash = r.Digest()
	if r.SourceID != "" {
		return hash, r.SourceID
	}
	r.Category, r.LocalDay = "", ""
	if r.Located() {
		r.Gemeente, r.Wijk, r.Buurt = "", "", ""
	}
	what := r.Digest()
	b, _ := hex.DecodeString(what[:16])
	k := binary.BigEndian.Uint64(b)
	occurrences[k]++
	return hash, fmt.Sprintf("c:%s:%d", what, occurrences[k])
}
