package importer

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
	"baken/internal/store"
)

// DefaultCountsSource is the source of police open-data counts unless told otherwise.
const DefaultCountsSource = "politie-opendata"

// CountsOptions configure an import of police open-data counts.
type CountsOptions struct {
	// Source names the counts in the rollups (default politie-opendata). It must not be
	// a source of registrations.
	Source string
	// Table names the table (47018NED, 47022NED, 47024NED) when the file does not say:
	// a JSON download names it in odata.metadata, a file may have it in its name.
	Table string
	// Categories is the category tree in force; SoortMisdrijf values are looked up among
	// its cbs categories, Overlast values among its bvh ones. Required.
	Categories baken.CategoryTree
	// CategoryMap maps a dimension key or title to a category code; it wins over the tree.
	CategoryMap map[string]string
	// RejectPath is where invalid rows are written (default: beside the input as
	// NAME.rejects.csv). For a JSON file its line column holds the record number.
	RejectPath string
	// ChunkSize is about the number of cells committed together (default 5000); the
	// cells of one area and period always go together.
	ChunkSize int
}

// CountsSummary says what an import of counts did. Read, Skipped and Rejected count
// rows; Stored, Replaced, Removed and Unchanged count cells (category, area, period).
type CountsSummary struct {
	File    string
	BatchID string
	Table   string
	Kind    baken.CountKind
	Read    int
	// Stored are new cells, Replaced cells whose figure changed, Removed stored cells
	// of a covered area and period that the file no longer has.
	Stored, Replaced, Removed, Unchanged int
	// Skipped rows: totals (0.0.0, "Totaal ..."), figures published as secret or
	// unknown (empty, ".", "x"; what was stored for them stays) and national rows (NL01).
	Skipped, SkippedTotals, SkippedSecret, SkippedNational int
	Rejected                                               int
	// Partial says that some rows could not be placed in an area and period, so no
	// stored figure was removed; figures of an area and period with an unreadable row
	// are never removed either.
	Partial    bool
	RejectFile string
	Problems   []string // the first problems, "file:line:column: field: reason" or "file: record N: field: reason"
	Duration   time.Duration
}

// CountsData is a police open-data file as read, before it is stored.
type CountsData struct {
	Table string
	Kind  baken.CountKind
	// Counts are the cells with a figure (zeros too); Unknown the cells published
	// without one. Values of dimension keys that map to one category are added up.
	Counts  []baken.Count
	Unknown []baken.Count
	// Scope are the areas and periods the file covers completely.
	Scope                                         []store.CountScope
	Read                                          int
	SkippedTotals, SkippedSecret, SkippedNational int
	Rejected                                      int
	Partial                                       bool
	Problems                                      []string

	rejects []reject
	header  []string // of the reject file
}

// Counts imports the police open-data counts in the file at path (the OData
// TypedDataSet of 47018NED, 47022NED or 47024NED as JSON, or as CSV; plain or gzipped)
// into the rollups, as their own source. The file replaces, for its source and kind,
// the figures of every area and period it covers (CountsImport in the store says how),
// so a newer download revises an older one and importing a file again changes nothing.
// A file that cannot be read to its end stores nothing; invalid rows are reported, written
// to the reject file and left out, and the figures of their area and period are not removed.
func (im *Importer) Counts(ctx context.Context, path string, opts CountsOptions) (CountsSummary, error) {
	start := time.Now()
	sum := CountsSummary{File: path}
	if opts.Source == "" {
		opts.Source = DefaultCountsSource
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 5000
	}
	actor, ok := baken.ActorFrom(ctx)
	if !ok {
		return sum, &baken.Error{Kind: baken.Unauthenticated, Message: "no actor in context"}
	}
	in, err := Open(path)
	if err != nil {
		return sum, err
	}
	data, err := ReadCounts(in, opts, actor)
	in.Close()
	if data != nil {
		sum.Table, sum.Kind, sum.Read, sum.Rejected, sum.Problems, sum.Partial = data.Table, data.Kind, data.Read, data.Rejected, data.Problems, data.Partial
		sum.SkippedTotals, sum.SkippedSecret, sum.SkippedNational = data.SkippedTotals, data.SkippedSecret, data.SkippedNational
		sum.Skipped = data.SkippedTotals + data.SkippedSecret + data.SkippedNational
		rj, rerr := newRejectWriter(path, opts.RejectPath, data.header)
		if rerr != nil {
			return sum, rerr
		}
		for _, r := range data.rejects {
			rj.write(r)
		}
		rerr = rj.close()
		sum.RejectFile = rj.path
		if err == nil {
			err = rerr
		}
	}
	if err != nil {
		sum.Duration = time.Since(start)
		return sum, err
	}

	fileHash, err := hashCountsFile(path)
	if err != nil {
		return sum, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return sum, fmt.Errorf("batch id: %w", err)
	}
	sum.BatchID = id.String()
	if err := im.db.StartImportBatch(ctx, store.ImportBatch{ID: sum.BatchID, Kind: "counts", Source: opts.Source,
		FileName: filepath.Base(path), FileHash: fileHash}); err != nil {
		return sum, err
	}
	err = im.storeCounts(ctx, data, opts, &sum)
	status := "done"
	if err != nil {
		status = "failed"
		err = fmt.Errorf("%s: %w", path, err)
	}
	if ferr := im.db.FinishImportBatch(context.WithoutCancel(ctx), sum.BatchID, status); ferr != nil && err == nil {
		err = ferr
	}
	sum.Duration = time.Since(start)
	return sum, err
}

// storeCounts stores the cells in steps of whole areas and periods, so that each step
// replaces what it covers completely.
func (im *Importer) storeCounts(ctx context.Context, data *CountsData, opts CountsOptions, sum *CountsSummary) error {
	type group struct {
		counts, unknown []baken.Count
		covered         bool
	}
	groups := map[store.CountScope]*group{}
	get := func(s store.CountScope) *group {
		g := groups[s]
		if g == nil {
			g = &group{}
			groups[s] = g
		}
		return g
	}
	for _, c := range data.Counts {
		g := get(store.ScopeOf(c))
		g.counts = append(g.counts, c)
	}
	for _, c := range data.Unknown {
		g := get(store.ScopeOf(c))
		g.unknown = append(g.unknown, c)
	}
	for _, s := range data.Scope {
		get(s).covered = true
	}
	keys := make([]store.CountScope, 0, len(groups))
	for s := range groups {
		keys = append(keys, s)
	}
	slices.SortFunc(keys, compareScope)
	step := store.CountsImport{Source: opts.Source, Table: data.Table, Read: data.Read, Rejected: data.Rejected}
	flush := func() error {
		if len(step.Counts)+len(step.Unknown)+len(step.Scope) == 0 {
			return nil
		}
		res, err := im.db.ReplaceCounts(ctx, step)
		if err != nil {
			return err
		}
		sum.Stored += res.Stored
		sum.Replaced += res.Replaced
		sum.Removed += res.Removed
		sum.Unchanged += res.Unchanged
		step.Counts, step.Unknown, step.Scope = nil, nil, nil
		return nil
	}
	step.BatchID = sum.BatchID
	for _, s := range keys {
		g := groups[s]
		step.Counts = append(step.Counts, g.counts...)
		step.Unknown = append(step.Unknown, g.unknown...)
		if g.covered {
			step.Scope = append(step.Scope, s)
		}
		if len(step.Counts)+len(step.Unknown) >= opts.ChunkSize {
			if err := flush(); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return flush()
}

func compareScope(a, b store.CountScope) int {
	return cmp.Or(strings.Compare(a.Gemeente, b.Gemeente), strings.Compare(a.Day, b.Day),
		strings.Compare(string(a.Precision), string(b.Precision)), strings.Compare(a.Wijk, b.Wijk), strings.Compare(a.Buurt, b.Buurt))
}

func hashCountsFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// countRole is what a column of a counts file carries.
type countRole int

const (
	roleOther   countRole = iota
	roleID                // ID: the row number of the OData set, ignored
	roleDim               // SoortMisdrijf or Overlast: the dimension key (or title)
	roleTitle             // SoortMisdrijf_label, Overlast_label: the title
	roleArea              // WijkenEnBuurten (RegioS): GM, WK, BU or NL code
	rolePeriod            // Perioden: 2024MM03, 2024JJ00
	roleMeasure           // GeregistreerdeMisdrijven_1, GeregistreerdeOverlast_1
)

// countColumn returns what a column carries and, for the dimension and measure, of which
// kind.
func countColumn(name string) (countRole, baken.CountKind) {
	switch normHeader(name) {
	case "id":
		return roleID, ""
	case "soortmisdrijf":
		return roleDim, baken.CountCrime
	case "overlast":
		return roleDim, baken.CountNuisance
	case "soortmisdrijflabel", "soortmisdrijftitle":
		return roleTitle, baken.CountCrime
	case "overlastlabel", "overlasttitle":
		return roleTitle, baken.CountNuisance
	case "wijkenenbuurten", "regios":
		return roleArea, ""
	case "perioden":
		return rolePeriod, ""
	case "geregistreerdemisdrijven1":
		return roleMeasure, baken.CountCrime
	case "geregistreerdeoverlast1":
		return roleMeasure, baken.CountNuisance
	}
	return roleOther, ""
}

// countLayout is which column carries what.
type countLayout struct {
	kind  baken.CountKind
	col   map[countRole]int    // CSV: column index
	name  map[countRole]string // the column name as written, for messages
	roles []countRole          // in file order, for the reject file
}

func newCountLayout(names []string) (*countLayout, error) {
	l := &countLayout{col: map[countRole]int{}, name: map[countRole]string{}}
	kinds := map[baken.CountKind]string{}
	for i, n := range names {
		role, kind := countColumn(n)
		if role == roleOther {
			continue
		}
		if kind != "" {
			kinds[kind] = strings.TrimSpace(n)
		}
		if _, dup := l.col[role]; dup {
			continue
		}
		l.col[role], l.name[role] = i, strings.TrimSpace(n)
		l.roles = append(l.roles, role)
	}
	if len(kinds) > 1 {
		return nil, fmt.Errorf("columns of both misdrijven (%s) and overlast (%s)", kinds[baken.CountCrime], kinds[baken.CountNuisance])
	}
	for k := range kinds {
		l.kind = k
	}
	var missing []string
	dim, measure := "SoortMisdrijf or Overlast", "GeregistreerdeMisdrijven_1 or GeregistreerdeOverlast_1"
	switch l.kind {
	case baken.CountCrime:
		dim, measure = "SoortMisdrijf", "GeregistreerdeMisdrijven_1"
	case baken.CountNuisance:
		dim, measure = "Overlast", "GeregistreerdeOverlast_1"
	}
	if _, ok := l.col[roleDim]; !ok {
		if _, ok := l.col[roleTitle]; !ok {
			missing = append(missing, dim)
		}
	}
	for _, m := range []struct {
		role countRole
		name string
	}{{roleArea, "WijkenEnBuurten"}, {rolePeriod, "Perioden"}, {roleMeasure, measure}} {
		if _, ok := l.col[m.role]; !ok {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no column %s (columns: %s)", strings.Join(missing, ", "), strings.Join(names, ", "))
	}
	return l, nil
}

// role returns what a column of a record carries under this layout: a column of the
// other kind carries nothing.
func (l *countLayout) role(name string) countRole {
	role, kind := countColumn(name)
	if kind != "" && kind != l.kind {
		return roleOther
	}
	return role
}

// countCategories resolves dimension keys and titles to categories of one scheme.
type countCategories struct {
	kind    baken.CountKind
	scheme  baken.Scheme
	byKey   map[string]string
	byLabel map[string]string
	mapping map[string]string
}

func newCountCategories(tree baken.CategoryTree, kind baken.CountKind, mapping map[string]string) (*countCategories, error) {
	c := &countCategories{kind: kind, scheme: baken.SchemeCBS, byKey: map[string]string{}, byLabel: map[string]string{}, mapping: map[string]string{}}
	if kind == baken.CountNuisance {
		c.scheme = baken.SchemeBVH
	}
	known := map[string]bool{}
	for _, cat := range tree.Categories {
		known[cat.Code] = true
		if cat.Scheme != c.scheme {
			continue
		}
		if cat.SchemeCode != "" {
			c.byKey[normLabel(cat.SchemeCode)] = cat.Code
		}
		for _, l := range append([]string{cat.Name.NL}, cat.Labels...) {
			if k := normLabel(l); k != "" {
				if _, dup := c.byLabel[k]; !dup {
					c.byLabel[k] = cat.Code
				}
			}
		}
	}
	if len(known) == 0 {
		return nil, errors.New("import counts: no category tree")
	}
	for from, to := range mapping {
		if !known[to] {
			return nil, baken.Errorf(baken.Invalid, "--category-map", "%q maps to unknown category %q", from, to)
		}
		c.mapping[normLabel(from)] = to
	}
	return c, nil
}

var totalKeyRE = regexp.MustCompile(`^t[0-9]{6}$`) // CBS keys of totals, such as T001161

func isTotal(v string) bool {
	n := normLabel(v)
	return n == "0.0.0" || strings.HasPrefix(n, "totaal") || totalKeyRE.MatchString(n)
}

// resolve returns the category of a dimension key and title, or total for a total row.
func (c *countCategories) resolve(key, title string) (cat string, total bool, err error) {
	k, t := normLabel(key), normLabel(title)
	for _, v := range []string{k, t} {
		if code, ok := c.mapping[v]; ok && v != "" {
			return code, false, nil
		}
	}
	if isTotal(k) || isTotal(t) {
		return "", true, nil
	}
	if code, ok := c.byKey[k]; ok && k != "" {
		return code, false, nil
	}
	for _, v := range []string{t, k} {
		if code, ok := c.byLabel[v]; ok && v != "" {
			return code, false, nil
		}
	}
	for _, v := range []string{k, t} {
		// A key in front of the title: "1.1.1 Diefstal/inbraak woning".
		if first, _, ok := strings.Cut(v, " "); ok {
			if code, ok := c.byKey[first]; ok {
				return code, false, nil
			}
		}
	}
	what := strings.TrimSpace(key)
	if what == "" {
		what = strings.TrimSpace(title)
	}
	dim := "SoortMisdrijf"
	if c.kind == baken.CountNuisance {
		dim = "Overlast"
	}
	return "", false, fmt.Errorf("%q is no %s key or title of the %s categories: map it with --category-map %q=CATEGORY", what, dim, c.scheme, what)
}

// maxCount bounds a figure: PostgreSQL's integer, and far above any monthly count.
const maxCount = 1_000_000_000

// parseMeasure reads a figure. Empty, "." and "x" mean unknown or secret (CBS symbols);
// "-" means nil.
func parseMeasure(v string) (n int, known bool, err error) {
	v = strings.TrimSpace(v)
	switch v {
	case "", ".", "x", "X":
		return 0, false, nil
	case "-":
		return 0, true, nil
	}
	n, err = strconv.Atoi(v)
	if err != nil {
		if thousands(v) {
			return 0, false, fmt.Errorf("%q has a thousands separator (a spreadsheet's?): write counts as whole numbers without one (1000)", v)
		}
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == float64(int64(f)) && f >= 0 && f <= maxCount {
			return int(f), true, nil // 12.0 or 1e3 from a JSON writer
		}
		return 0, false, fmt.Errorf("%q is not a whole number", v)
	}
	if n < 0 || n > maxCount {
		return 0, false, fmt.Errorf("%d is not a plausible count", n)
	}
	return n, true, nil
}

// thousands reports whether v groups its digits by thousands with dots or commas (1.000,
// 12,500): a spreadsheet's way of writing a count, which a number parser would read as 1
// or refuse.
func thousands(v string) bool {
	sep := "."
	if !strings.Contains(v, sep) {
		sep = ","
	}
	groups := strings.Split(v, sep)
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for i, g := range groups {
		if (i > 0 && len(g) != 3) || strings.Trim(g, "0123456789") != "" {
			return false
		}
	}
	return true
}

// countParser turns rows into cells.
type countParser struct {
	file   string
	json   bool
	opts   CountsOptions
	actor  baken.Actor
	layout *countLayout
	cats   *countCategories
	data   *CountsData

	tableInFile string
	cells       map[countKey]*countAcc
	order       []countKey
	seen        map[string]int            // row identity -> where it was first seen
	covered     map[store.CountScope]bool // areas and periods with a figure of a category
	partial     map[store.CountScope]bool
	partialArea map[string]bool
}

type countKey struct {
	scope    store.CountScope
	category string
}

type countAcc struct {
	n       int
	unknown bool
}

// ReadCounts reads a police open-data file: JSON (an OData TypedDataSet {"value":[...]},
// or a bare array of records) when its first character is { or [, else CSV with comma or
// semicolon. Whole-file problems (broken JSON or CSV, missing columns, an unknown table)
// are errors of kind Invalid naming the file and line or record; an invalid row is
// rejected, named in Problems, and left out. The actor's municipalities bound what is read.
func ReadCounts(in *Input, opts CountsOptions, actor baken.Actor) (*CountsData, error) {
	p := &countParser{file: in.Name, opts: opts, actor: actor, data: &CountsData{},
		cells: map[countKey]*countAcc{}, seen: map[string]int{}, covered: map[store.CountScope]bool{},
		partial: map[store.CountScope]bool{}, partialArea: map[string]bool{}}
	head, _ := in.r.Peek(in.r.Size())
	first := bytes.TrimLeft(head, " \t\r\n")
	var err error
	if len(first) > 0 && (first[0] == '{' || first[0] == '[') {
		p.json = true
		err = p.readJSON(in)
	} else {
		err = p.readCSV(in)
	}
	if p.layout != nil {
		p.data.Kind = p.layout.kind
	}
	if p.layout != nil && p.json {
		// The reject file of a JSON file has the fields Baken reads, in the order of the layout.
		for _, r := range p.layout.roles {
			p.data.header = append(p.data.header, p.layout.name[r])
		}
	}
	if err != nil {
		return p.data, err
	}
	if p.layout == nil {
		return p.data, baken.Errorf(baken.Invalid, p.file, "no rows")
	}
	if err := p.resolveTable(); err != nil {
		return p.data, err
	}
	p.finish()
	return p.data, nil
}

func (p *countParser) readCSV(in *Input) error {
	cr := in.CSV()
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return baken.Errorf(baken.Invalid, p.file, "empty file")
		}
		return baken.Errorf(baken.Invalid, p.file+":1", "no header line: %v", err)
	}
	header = slices.Clone(header)
	p.layout, err = newCountLayout(header)
	if err != nil {
		return baken.Errorf(baken.Invalid, p.file+":1", "%v", err)
	}
	if err := p.setKind(); err != nil {
		return err
	}
	p.data.header = header
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r := reject{line: pe.StartLine, column: pe.Column, field: "csv", reason: pe.Err.Error()}
				p.addReject(r)
				return baken.Errorf(baken.Invalid, fmt.Sprintf("%s:%d", p.file, pe.StartLine), "the file cannot be read past this line: %v", pe.Err)
			}
			return fmt.Errorf("read %s: %w", p.file, err)
		}
		line, _ := cr.FieldPos(0)
		rec = slices.Clone(rec)
		if len(rec) != len(header) {
			p.data.Read++
			p.addReject(reject{line: line, field: "csv", reason: fmt.Sprintf("%d fields, the header has %d", len(rec), len(header)), record: rec})
			p.data.Partial = true // the row could belong anywhere
			continue
		}
		vals := map[countRole]string{}
		cols := map[countRole]int{}
		for role, i := range p.layout.col {
			vals[role], cols[role] = rec[i], i+1
		}
		p.row(line, vals, cols, rec)
	}
}

func (p *countParser) setKind() error {
	var err error
	p.cats, err = newCountCategories(p.opts.Categories, p.layout.kind, p.opts.CategoryMap)
	return err
}

var tableRE = regexp.MustCompile(`(?i)([0-9]{5}NED)`)

func (p *countParser) readJSON(in io.Reader) error {
	dec := json.NewDecoder(in)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return p.jsonError(dec, err)
	}
	switch tok {
	case json.Delim('['):
		if err := p.jsonArray(dec); err != nil {
			return err
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return p.jsonError(dec, err)
			}
			key, _ := kt.(string)
			switch {
			case key == "value":
				t, err := dec.Token()
				if err != nil {
					return p.jsonError(dec, err)
				}
				if t != json.Delim('[') {
					return baken.Errorf(baken.Invalid, p.file, `"value" is not an array of records`)
				}
				if err := p.jsonArray(dec); err != nil {
					return err
				}
				found = true
			case strings.EqualFold(key, "odata.metadata"), strings.EqualFold(key, "@odata.context"):
				var v any
				if err := dec.Decode(&v); err != nil {
					return p.jsonError(dec, err)
				}
				if s, ok := v.(string); ok {
					if m := tableRE.FindStringSubmatch(s); m != nil {
						p.tableInFile = strings.ToUpper(m[1])
					}
				}
			case strings.EqualFold(key, "odata.nextLink"), strings.EqualFold(key, "@odata.nextLink"):
				return baken.Errorf(baken.Invalid, p.file, "the download is one page of several (it has %s): download every page and join them, or filter the download so that it fits in one page; a part would remove the figures the other pages carry", key)
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return p.jsonError(dec, err)
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return p.jsonError(dec, err)
		}
		if !found {
			return baken.Errorf(baken.Invalid, p.file, `no "value" array: want the OData TypedDataSet ({"value":[...]}) or an array of records`)
		}
	default:
		return baken.Errorf(baken.Invalid, p.file, `want the OData TypedDataSet ({"value":[...]}) or an array of records`)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return baken.Errorf(baken.Invalid, fmt.Sprintf("%s: byte %d", p.file, dec.InputOffset()), "unexpected data after the JSON value")
	}
	return nil
}

func (p *countParser) jsonError(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return baken.Errorf(baken.Invalid, fmt.Sprintf("%s: byte %d (after record %d)", p.file, se.Offset, p.data.Read), "invalid JSON: %v", err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return baken.Errorf(baken.Invalid, fmt.Sprintf("%s: byte %d (after record %d)", p.file, dec.InputOffset(), p.data.Read), "the JSON ends too early")
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		return baken.Errorf(baken.Invalid, fmt.Sprintf("%s: byte %d (after record %d)", p.file, ue.Offset, p.data.Read), "invalid JSON: %v", err)
	}
	return fmt.Errorf("read %s: %w", p.file, err)
}

func (p *countParser) jsonArray(dec *json.Decoder) error {
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return p.jsonError(dec, err)
		}
		if err := p.jsonRecord(raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return p.jsonError(dec, err)
	}
	return nil
}

// jsonScalar returns a JSON value as text: null is empty, a number its digits.
func jsonScalar(raw json.RawMessage) (string, bool) {
	v := bytes.TrimSpace(raw)
	switch {
	case len(v) == 0:
		return "", false
	case string(v) == "null":
		return "", true
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false
		}
		return s, true
	case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
		return string(v), true
	}
	return "", false
}

func (p *countParser) jsonRecord(raw json.RawMessage) error {
	index := p.data.Read + 1
	trimmed := bytes.TrimSpace(raw)
	var obj map[string]json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		p.data.Read++
		p.addReject(reject{line: index, field: "record", reason: "not an object with the fields of a record"})
		p.data.Partial = true
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if p.layout == nil {
		l, err := newCountLayout(keys)
		if err != nil {
			return baken.Errorf(baken.Invalid, fmt.Sprintf("%s: record %d", p.file, index), "%v", err)
		}
		p.layout = l
		if err := p.setKind(); err != nil {
			return err
		}
	}
	vals := map[countRole]string{}
	var bad []string
	for _, k := range keys {
		role := p.layout.role(k)
		if role == roleOther {
			continue
		}
		if _, dup := vals[role]; dup {
			continue
		}
		v, ok := jsonScalar(obj[k])
		if !ok {
			if role != roleID { // the ID is only shown in the reject file
				bad = append(bad, k)
			}
			continue
		}
		vals[role] = v
	}
	record := make([]string, 0, len(p.layout.roles))
	for _, r := range p.layout.roles {
		record = append(record, vals[r])
	}
	if len(bad) > 0 {
		p.data.Read++
		p.addReject(reject{line: index, field: bad[0], reason: "not a text or a number", record: record})
		p.data.Partial = true
		return nil
	}
	p.row(index, vals, nil, record)
	return nil
}

// where returns how a problem's position is written: file:line:column or file: record N.
func (p *countParser) where(r reject) string {
	if p.json {
		return fmt.Sprintf("%s: record %d: %s: %s", p.file, r.line, r.field, r.reason)
	}
	return r.String(p.file)
}

func (p *countParser) addReject(r reject) {
	p.data.Rejected++
	p.data.Problems = appendProblem(p.data.Problems, p.where(r))
	p.data.rejects = append(p.data.rejects, r)
}

// row turns one record into a cell, a skip or a reject. pos is the line (CSV) or the
// record number (JSON); cols holds CSV column numbers.
func (p *countParser) row(pos int, vals map[countRole]string, cols map[countRole]int, record []string) {
	p.data.Read++
	bad := func(role countRole, format string, args ...any) {
		name := p.layout.name[role]
		if name == "" {
			name = p.layout.name[roleDim]
		}
		p.addReject(reject{line: pos, column: cols[role], field: name, reason: fmt.Sprintf(format, args...), record: record})
	}
	area, ok := vals[roleArea]
	code := normCode(area)
	switch {
	case !ok:
		bad(roleArea, "missing")
		p.data.Partial = true
		return
	case code == "":
		bad(roleArea, "empty")
		p.data.Partial = true
		return
	case strings.HasPrefix(code, "NL"):
		p.data.SkippedNational++
		return
	}
	gm, wk, bu, err := baken.SplitAreaCode(code)
	if err != nil {
		bad(roleArea, "%q is not a CBS gemeente, wijk or buurt code (GM0384, WK038401, BU03840101)", strings.TrimSpace(area))
		p.data.Partial = true
		return
	}
	if !p.actor.MaySee(gm) {
		bad(roleArea, "%s is not one of your municipalities", gm)
		return
	}
	period, ok := vals[rolePeriod]
	if !ok {
		bad(rolePeriod, "missing")
		p.partialArea[code] = true
		return
	}
	day, prec, err := baken.ParsePeriod(period)
	if err != nil {
		var be *baken.Error
		msg := err.Error()
		if errors.As(err, &be) {
			msg = be.Message
		}
		bad(rolePeriod, "%s", msg)
		p.partialArea[code] = true
		return
	}
	scope := store.CountScope{Gemeente: gm, Wijk: wk, Buurt: bu, Day: day, Precision: prec}
	key, title := vals[roleDim], vals[roleTitle]
	dim := roleDim
	if _, ok := p.layout.col[roleDim]; !ok {
		dim = roleTitle
	}
	if strings.TrimSpace(key) == "" && strings.TrimSpace(title) == "" {
		bad(dim, "empty")
		p.partial[scope] = true
		return
	}
	cat, total, err := p.cats.resolve(key, title)
	if total {
		p.data.SkippedTotals++
		return
	}
	if err != nil {
		bad(dim, "%v", err)
		p.partial[scope] = true
		return
	}
	ident := normLabel(key) + "\x1f" + normLabel(title) + "\x1f" + code + "\x1f" + day + string(prec)
	if first, dup := p.seen[ident]; dup {
		what := "line"
		if p.json {
			what = "record"
		}
		bad(dim, "repeats %s %d (same %s, area and period)", what, first, p.layout.name[dim])
		p.partial[scope] = true
		return
	}
	p.seen[ident] = pos
	v, ok := vals[roleMeasure]
	if !ok {
		// A JSON record without the measure key: an unknown figure, as null.
		v = ""
	}
	n, known, err := parseMeasure(v)
	if err != nil {
		bad(roleMeasure, "%v", err)
		p.partial[scope] = true
		return
	}
	// Only a figure of a category covers its area and period: a file that has nothing
	// but totals there would otherwise remove every stored figure of that scope.
	p.covered[scope] = true
	k := countKey{scope: scope, category: cat}
	acc := p.cells[k]
	if acc == nil {
		acc = &countAcc{}
		p.cells[k] = acc
		p.order = append(p.order, k)
	}
	if !known {
		p.data.SkippedSecret++
		acc.unknown = true
		return
	}
	acc.n += n
}

// resolveTable settles which table the file is: what the file says, else --table, else
// the file name; and checks it counts what the columns count.
func (p *countParser) resolveTable() error {
	t := p.tableInFile
	flag := strings.ToUpper(strings.TrimSpace(p.opts.Table))
	switch {
	case t != "" && flag != "" && t != flag:
		return baken.Errorf(baken.Invalid, "--table", "the file says it is table %s, --table says %s", t, flag)
	case t == "" && flag != "":
		t = flag
	case t == "":
		if m := tableRE.FindStringSubmatch(filepath.Base(p.file)); m != nil {
			t = strings.ToUpper(m[1])
		}
	}
	if t == "" {
		return baken.Errorf(baken.Invalid, "--table", "%s does not say which table it is: name it with --table (47018NED or 47022NED for misdrijven, 47024NED for overlast)", p.file)
	}
	kind, err := baken.KindOfTable(t)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--table", "%s: table %s: want 47018NED or 47022NED (misdrijven) or 47024NED (overlast)", p.file, t)
	}
	if kind != p.layout.kind {
		return baken.Errorf(baken.Invalid, "--table", "%s: table %s counts %s, but the file has the columns of %s (%s)", p.file, t, kind, p.layout.kind, p.layout.name[roleMeasure])
	}
	p.data.Table = t
	return nil
}

// finish turns the accumulated cells into counts and the covered areas and periods into
// the scope.
func (p *countParser) finish() {
	slices.SortFunc(p.order, func(a, b countKey) int {
		return cmp.Or(compareScope(a.scope, b.scope), strings.Compare(a.category, b.category))
	})
	for _, k := range p.order {
		acc := p.cells[k]
		c := baken.Count{Gemeente: k.scope.Gemeente, Wijk: k.scope.Wijk, Buurt: k.scope.Buurt, Category: k.category,
			Day: k.scope.Day, Precision: k.scope.Precision, N: acc.n}
		if acc.unknown {
			// Any part unknown makes the sum unknown.
			c.N = 0
			p.data.Unknown = append(p.data.Unknown, c)
			continue
		}
		p.data.Counts = append(p.data.Counts, c)
	}
	if p.data.Partial {
		return
	}
	for s := range p.covered {
		area := baken.Count{Gemeente: s.Gemeente, Wijk: s.Wijk, Buurt: s.Buurt}.Area()
		if p.partial[s] || p.partialArea[area] {
			continue
		}
		p.data.Scope = append(p.data.Scope, s)
	}
	slices.SortFunc(p.data.Scope, compareScope)
}
