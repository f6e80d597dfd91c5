package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/forecast"
	"baken/internal/store"
	"baken/internal/study"
)

func runAnalyse(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken analyse KIND [flags]

Kinds:
  hotspots     Getis-Ord Gi* hot and cold cells on a grid, with false discovery control
  hot-times    registrations per hour of the week, tested against a flat week
  near-repeat  the Knox test: is the risk raised near an event, and for how long
  forecast     risk per cell for the next period, by the method that did best

Every kind reads registrations from the store (--db, with --gemeente, --wijk, --buurt,
--category, --theme, --source, --from, --to) or events from a CSV file (--input, with
the column flags of "baken eval forecast"). Where there are too few events for the
statistic, it says so, with the numbers and what to change, and draws nothing.
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	kinds := map[string]func(context.Context, env, []string) error{
		"hotspots": runAnalyseHotspots, "hot-times": runAnalyseHotTimes, "near-repeat": runAnalyseNearRepeat, "forecast": runAnalyseForecast,
	}
	if run, ok := kinds[args[0]]; ok {
		return run(ctx, e, args[1:])
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken analyse: unknown kind %q\n\n", args[0])
	return usage()
}

// analyseCommand is what every analyse kind shares: its flags and where its output goes.
type analyseCommand struct {
	cfg    config
	fs     *flag.FlagSet
	csv    *csvFlags
	sel    *selectionFlags
	output *string
	format *string
}

func newAnalyseCommand(e env, kind, flags, formats, help string) *analyseCommand {
	c := &analyseCommand{}
	c.fs = newFlags(e, "analyse "+kind, "analyse "+kind+" "+flags+"\n"+
		"       [--db FILE|URL] [--gemeente CODE] [--wijk CODE] [--buurt CODE] [--category CODE,...] [--theme CODE,...]\n"+
		"       [--source NAME,...] [--from DAY] [--to DAY] | [--input FILE.csv [column flags] [--area FILE.geojson]]\n"+
		"       [--format "+formats+"] [--output FILE]", &c.cfg, "db")
	usage := c.fs.Usage
	c.fs.Usage = func() {
		usage()
		fmt.Fprint(c.fs.Output(), help)
	}
	c.csv = addCSVFlags(c.fs, "study area of --input, GeoJSON polygons (default: the cells with an event)")
	c.sel = addSelectionFlags(c.fs, true)
	c.output = c.fs.String("output", "", "file to write (default: stdout)")
	c.format = c.fs.String("format", "", formats+" (default: the first, or as --output's extension says)")
	return c
}

// parse parses the flags and checks the format against formats (the first the default;
// an --output extension that names one chooses it).
func (c *analyseCommand) parse(args []string, formats ...string) error {
	if err := parse(c.fs, &c.cfg, args); err != nil {
		return err
	}
	if c.fs.NArg() != 0 {
		c.fs.Usage()
		return errUsage
	}
	if err := checkSource(c.fs, c.csv.input); err != nil {
		return err
	}
	if *c.format == "" {
		*c.format = formats[0]
		ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(*c.output)), ".")
		for _, f := range formats {
			if ext == f || (f == "geojson" && ext == "json" && !slices.Contains(formats, "json")) {
				*c.format = f
			}
		}
	}
	if !slices.Contains(formats, *c.format) {
		return baken.Errorf(baken.Invalid, "--format", "%q: want %s", *c.format, strings.Join(formats, ", "))
	}
	return nil
}

// load reads the events and returns them with a description; db is nil with --input and
// must be closed otherwise.
func (c *analyseCommand) load(ctx context.Context, e env, who string) (study.Data, string, study.Selection, *store.DB, error) {
	return loadEvents(ctx, e, &c.cfg, c.csv, c.sel, who)
}

// write writes the output through fn to --output or stdout, and returns where the summary
// goes: stdout when the output went to a file, else stderr.
func (c *analyseCommand) write(e env, fn func(io.Writer) error) (io.Writer, error) {
	if *c.output == "" || *c.output == "-" {
		return e.stderr, fn(e.stdout)
	}
	return e.stdout, writeFileAtomic(*c.output, fn)
}

const analyseHotspotsHelp = `
Gi* compares the events in a cell's neighbourhood (the cell and the cells within
--radius) with the study area's mean; a cell is hot or cold when its Benjamini-Hochberg
q-value is at most --alpha, so that the share of false hotspots on the map stays below
it. The study area is the selected area's outline (the municipality's buurten), or with
--input the --area file or the cells with an event. A map needs on average at least 45
events per neighbourhood (5 per cell of a 3 x 3 neighbourhood): below that, random data
would show a false hotspot on 1 map in 10 or more, and Baken refuses. Output: the
significant cells (--all: every study cell) as CSV or GeoJSON in WGS84.
`

func runAnalyseHotspots(ctx context.Context, e env, args []string) error {
	c := newAnalyseCommand(e, "hotspots", "[--cell 125] [--radius 1] [--alpha 0.05] [--all]", "csv|geojson", analyseHotspotsHelp)
	cell := c.fs.Float64("cell", analysis.DefaultCellSize, "cell size in metres")
	radius := c.fs.Int("radius", 1, "neighbourhood in cells around each cell")
	alpha := c.fs.Float64("alpha", 0.05, "false discovery rate")
	all := c.fs.Bool("all", false, "write every study cell, not only the hot and cold ones")
	if err := c.parse(args, "csv", "geojson"); err != nil {
		return err
	}
	if *radius < 1 {
		return baken.Errorf(baken.Invalid, "--radius", "%d: want at least 1 cell", *radius)
	}
	if !(*alpha > 0 && *alpha < 1) {
		return baken.Errorf(baken.Invalid, "--alpha", "%v: want a number between 0 and 1", *alpha)
	}
	if !(*cell > 0) || math.IsInf(*cell, 0) {
		return baken.Errorf(baken.Invalid, "--cell", "%v: want a positive number of metres", *cell)
	}
	d, desc, sel, db, err := c.load(ctx, e, "analyse")
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	m, err := study.Hotspots(d.Events, d.Area, study.HotspotOptions{Cell: *cell, Radius: *radius, Alpha: *alpha})
	if err != nil {
		return baken.Errorf(baken.Invalid, "", "%v", err)
	}
	if !m.Verdict.OK() {
		return baken.Errorf(baken.Invalid, "", "%s (%s)", m.Verdict.Message, desc)
	}
	cells := m.Cells
	if !*all {
		cells = m.Significant()
	}
	report, err := c.write(e, func(w io.Writer) error {
		if *c.format == "geojson" {
			return analysis.WriteCellsGeoJSON(w, m.Grid, cells, d.ToWGS84)
		}
		return analysis.WriteCellsCSV(w, cells)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(report, "Hotspots (Getis-Ord Gi*) of %s\n", desc)
	fmt.Fprintf(report, "  %d events in %d cells of %g m, %d outside the study area\n", m.Events, m.StudyCells, m.Options.Cell, m.Outside)
	fmt.Fprintf(report, "  %s\n", m.Verdict.Message)
	fmt.Fprintf(report, "  %d hot and %d cold cells at a false discovery rate of %g; %d cells written (%s)\n",
		m.Hot, m.Cold, m.Options.Alpha, len(cells), *c.format)
	if db != nil {
		return writeLatestEvaluation(ctx, report, db, sel, *cell, study.DefaultHorizon)
	}
	return nil
}

// writeLatestEvaluation says how well forecasts did on the selection, or how to find out.
func writeLatestEvaluation(ctx context.Context, w io.Writer, db *store.DB, sel study.Selection, cell float64, horizon time.Duration) error {
	sys := baken.WithActor(ctx, baken.System("analyse"))
	ev, found, err := study.LatestEvaluation(sys, db, sel, cell, horizon)
	if err != nil {
		return err
	}
	if !found {
		fmt.Fprintf(w, "  Not evaluated yet: how well a map of this selection predicts is unknown. Run:\n    %s\n",
			sel.EvalCommand(cell, horizon))
		return nil
	}
	s := ev.Summary
	fmt.Fprintf(w, "  Latest forecast evaluation of this selection (%s, by %s): %d of %d steps scored, %s to %s, horizon %s\n",
		ev.RunAt.Format(time.DateOnly), ev.RunBy, s.Scored, s.Steps, s.From.Format(time.DateOnly), s.To.Format(time.DateOnly), s.Horizon)
	if s.Scored == 0 {
		fmt.Fprintln(w, "    no step had enough events to be scored")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "    method\thit rate at 5%%\tPAI at 5%%\t\n")
	for _, m := range s.Methods {
		if l, ok := m.At(study.TopShare); ok && l.PAI.N > 0 {
			fmt.Fprintf(tw, "    %s\t%.3f\t%.2f\t\n", m.Name, l.HitRate.Mean, l.PAI.Mean)
		}
	}
	return tw.Flush()
}

const analyseHotTimesHelp = `
Counts registrations whose time is known to the minute per hour of the week (local time),
and tests the week against a flat one (chi-square, 167 degrees of freedom); an hour stands
out when its adjusted residual's Benjamini-Hochberg q-value is at most --alpha. The test
needs about 5 events per hour (840 events); below that the counts are shown without it.
A flat week means "as often at any hour", not "equal risk": the night has fewer people out.
`

func runAnalyseHotTimes(ctx context.Context, e env, args []string) error {
	c := newAnalyseCommand(e, "hot-times", "[--alpha 0.05]", "text|csv|json", analyseHotTimesHelp)
	alpha := c.fs.Float64("alpha", 0.05, "false discovery rate for the hours that stand out")
	if err := c.parse(args, "text", "csv", "json"); err != nil {
		return err
	}
	if !(*alpha > 0 && *alpha < 1) {
		return baken.Errorf(baken.Invalid, "--alpha", "%v: want a number between 0 and 1", *alpha)
	}
	d, desc, _, db, err := c.load(ctx, e, "analyse")
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	loc, err := c.csv.location()
	if err != nil {
		return err
	}
	res, err := study.HotTimes(d.Timed, len(d.Events)-len(d.Timed), loc, *alpha)
	if err != nil {
		return err
	}
	report, err := c.write(e, func(w io.Writer) error {
		switch *c.format {
		case "json":
			return writeIndentedJSON(w, hotTimesJSON(res, desc))
		case "csv":
			return writeHotTimesCSV(w, res)
		}
		return writeHotTimesText(w, res, desc, loc)
	})
	if err != nil || *c.format == "text" {
		return err
	}
	fmt.Fprintf(report, "Hot times of %s: %d events with a time of day (%s)\n  %s\n", desc, res.Week.Total, *c.format, res.Verdict.Message)
	return nil
}

// weekday is the short English name of day d of the week, Monday 0.
func weekday(d int) string { return [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[d] }

// writeHotTimesText draws the week as a heat map of characters: darker for more events,
// "+" after an hour that stands out high, "-" low.
func writeHotTimesText(w io.Writer, res study.HotTimesResult, desc string, loc *time.Location) error {
	ew := &stickyWriter{w: w}
	hw := res.Week
	fmt.Fprintf(ew, "Hot times of %s\n", desc)
	fmt.Fprintf(ew, "  %d events with a time of day (hours in %s); %d without one left out\n\n", hw.Total, loc, res.Untimed)
	maxCount := 0
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			maxCount = max(maxCount, hw.Cells[d][h].Count)
		}
	}
	const ramp = " .:;=o*#%@" // no + or -: those mark the hours that stand out
	fmt.Fprint(ew, "     ")
	for h := range 24 {
		fmt.Fprintf(ew, "%-3d", h)
	}
	fmt.Fprintln(ew, " total")
	for d := range hw.Cells {
		fmt.Fprintf(ew, "%s  ", weekday(d))
		total := 0
		for h := range hw.Cells[d] {
			cell := hw.Cells[d][h]
			total += cell.Count
			shade := ' '
			if cell.Count > 0 && maxCount > 0 {
				shade = rune(ramp[1+(cell.Count*(len(ramp)-2)+maxCount-1)/maxCount])
			}
			mark := ' '
			switch {
			case cell.High:
				mark = '+'
			case cell.Low:
				mark = '-'
			}
			fmt.Fprintf(ew, "%c%c%c", shade, shade, mark)
		}
		fmt.Fprintf(ew, " %d\n", total)
	}
	fmt.Fprintf(ew, "\n  shades: %q from 1 to %d events in an hour; + stands out high, - low\n\n", ramp[1:], maxCount)
	if !res.Tested() {
		fmt.Fprintf(ew, "%s\n", res.Verdict.Message)
		return ew.err
	}
	verdict := "the week is not flat"
	if hw.P > hw.Alpha {
		verdict = "no evidence that the week is not flat"
	}
	fmt.Fprintf(ew, "Chi-square %.1f with %d degrees of freedom, p = %s: %s.\n", hw.ChiSquare, hw.DF, formatP(hw.P), verdict)
	var lines []string
	for d := range hw.Cells {
		for h := range hw.Cells[d] {
			cell := hw.Cells[d][h]
			if cell.High || cell.Low {
				dir := "more"
				if cell.Low {
					dir = "fewer"
				}
				lines = append(lines, fmt.Sprintf("  %s %02d:00-%02d:59\t%d events\t%s than the %.1f of a flat week\tresidual %.1f\tq %s\t",
					weekday(d), h, h, cell.Count, dir, hw.Expected, cell.Residual, formatP(cell.Q)))
			}
		}
	}
	if len(lines) == 0 {
		fmt.Fprintf(ew, "No hour stands out at a false discovery rate of %g.\n", hw.Alpha)
		return ew.err
	}
	fmt.Fprintf(ew, "Hours that stand out (false discovery rate %g):\n", hw.Alpha)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	for _, l := range lines {
		fmt.Fprintln(tw, l)
	}
	tw.Flush()
	return ew.err
}

// stickyWriter keeps the first write error, so that a report is written without checking
// every line.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

func formatP(p float64) string {
	if p < 1e-4 {
		return strconv.FormatFloat(p, 'e', 1, 64)
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

func writeHotTimesCSV(w io.Writer, res study.HotTimesResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"weekday", "day", "hour", "count", "residual", "p", "q", "high", "low"})
	for d := range res.Week.Cells {
		for h := range res.Week.Cells[d] {
			c := res.Week.Cells[d][h]
			row := []string{strconv.Itoa(d + 1), strings.ToLower(weekday(d)), strconv.Itoa(h), strconv.Itoa(c.Count), "", "", "", "", ""}
			if res.Tested() {
				row[4], row[5], row[6] = strconv.FormatFloat(c.Residual, 'g', 6, 64), strconv.FormatFloat(c.P, 'g', 6, 64), strconv.FormatFloat(c.Q, 'g', 6, 64)
				row[7], row[8] = strconv.FormatBool(c.High), strconv.FormatBool(c.Low)
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write hot times csv: %w", err)
	}
	return nil
}

// hotTimesOut is the JSON of hot times: the test's figures are null when it was not run.
type hotTimesOut struct {
	Selection string                   `json:"selection"`
	Verdict   study.Verdict            `json:"verdict"`
	Total     int                      `json:"total"`
	Untimed   int                      `json:"untimed"`
	Expected  float64                  `json:"expected"`
	ChiSquare *float64                 `json:"chi_square"`
	DF        int                      `json:"df"`
	P         *float64                 `json:"p"`
	Alpha     float64                  `json:"alpha"`
	Cells     [7][24]analysis.HourCell `json:"cells"`
}

func hotTimesJSON(res study.HotTimesResult, desc string) hotTimesOut {
	out := hotTimesOut{Selection: desc, Verdict: res.Verdict, Total: res.Week.Total, Untimed: res.Untimed, Expected: res.Week.Expected,
		DF: res.Week.DF, Alpha: res.Week.Alpha, Cells: res.Week.Cells}
	if res.Tested() {
		out.ChiSquare, out.P = &res.Week.ChiSquare, &res.Week.P
	}
	return out
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

const analyseNearRepeatHelp = `
The Knox test as the Near Repeat Calculator computes it: every pair of events is counted
in the band of its distance and of its time apart, and compared with the counts when the
times are shuffled over the places (--permutations, reproducible with --seed). A ratio
above 1 with a small p means more pairs this close than chance gives: after an event, the
risk nearby is raised for a while. The risk zone is stated only when the permutations
expect at least 5 pairs in the nearest band. Registrations known to the day or the minute
take part.
`

func runAnalyseNearRepeat(ctx context.Context, e env, args []string) error {
	c := newAnalyseCommand(e, "near-repeat", "[--space-bands 100,200,...] [--time-bands 7,14,...] [--permutations 99] [--seed N] [--alpha 0.05]",
		"text|json", analyseNearRepeatHelp)
	spaceBands := c.fs.String("space-bands", "100,200,300,400,500", "upper bounds of the distance bands in metres")
	timeBands := c.fs.String("time-bands", "7,14,21,28", "upper bounds of the time bands in days")
	perms := c.fs.Int("permutations", 99, "Monte Carlo permutations (99 gives p down to 0.01)")
	seed := c.fs.Uint64("seed", 1, "seed of the permutations")
	alpha := c.fs.Float64("alpha", 0.05, "significance level of the risk zone")
	if err := c.parse(args, "text", "json"); err != nil {
		return err
	}
	opts := study.NearRepeatOptions{Permutations: *perms, Seed: *seed, Alpha: *alpha}
	var err error
	if opts.SpaceBands, err = parseBands(*spaceBands); err != nil {
		return invalidFlag("--space-bands", err)
	}
	if opts.TimeBands, err = parseBands(*timeBands); err != nil {
		return invalidFlag("--time-bands", err)
	}
	if *perms < 1 || *perms > 9999 {
		return baken.Errorf(baken.Invalid, "--permutations", "%d: want 1 to 9999", *perms)
	}
	if !(*alpha > 0 && *alpha < 1) {
		return baken.Errorf(baken.Invalid, "--alpha", "%v: want a number between 0 and 1", *alpha)
	}
	d, desc, _, db, err := c.load(ctx, e, "analyse")
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	res, err := study.NearRepeat(d.Dated, opts)
	if err != nil {
		return invalidFlag("", err)
	}
	report, err := c.write(e, func(w io.Writer) error {
		if *c.format == "json" {
			return writeIndentedJSON(w, nearRepeatJSON(res, desc))
		}
		return writeNearRepeatText(w, res, desc)
	})
	if err != nil || *c.format == "text" {
		return err
	}
	fmt.Fprintf(report, "Near-repeat of %s: %d events\n  %s\n", desc, res.Verdict.Events, res.Verdict.Message)
	return nil
}

// parseBands reads ascending upper bounds, such as 100,200,300.
func parseBands(s string) ([]float64, error) {
	var out []float64
	for part := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q: want numbers of at least 0 separated by commas", s)
		}
		if n := len(out); n > 0 && !(v > out[n-1]) {
			return nil, fmt.Errorf("%g after %g: want ascending bounds", v, out[n-1])
		}
		out = append(out, v)
	}
	if out[len(out)-1] == 0 {
		return nil, fmt.Errorf("%q: the last bound must be above 0", s)
	}
	return out, nil
}

// nearRepeatOut is the JSON of a near-repeat test.
type nearRepeatOut struct {
	Selection    string                   `json:"selection"`
	Verdict      study.Verdict            `json:"verdict"`
	Events       int                      `json:"events"`
	Permutations int                      `json:"permutations"`
	Seed         uint64                   `json:"seed"`
	Alpha        float64                  `json:"alpha"`
	SpaceBands   []float64                `json:"space_bands_m"`
	TimeBands    []float64                `json:"time_bands_days"`
	Bands        [][]study.NearRepeatBand `json:"bands"`
	RiskZone     *study.RiskZone          `json:"risk_zone"`
	Sentence     string                   `json:"sentence"`
}

func nearRepeatJSON(res study.NearRepeatResult, desc string) nearRepeatOut {
	bands := res.Bands()
	if bands == nil {
		bands = [][]study.NearRepeatBand{}
	}
	return nearRepeatOut{Selection: desc, Verdict: res.Verdict, Events: res.Verdict.Events, Permutations: res.Options.Permutations,
		Seed: res.Options.Seed, Alpha: res.Options.Alpha, SpaceBands: res.Options.SpaceBands, TimeBands: res.Options.TimeBands,
		Bands: bands, RiskZone: res.Zone, Sentence: riskZoneSentence(res)}
}

// riskZoneSentence says what the test means for a prevention letter.
func riskZoneSentence(res study.NearRepeatResult) string {
	switch {
	case !res.Verdict.OK():
		return "No risk zone: " + res.Verdict.Message
	case res.Zone != nil:
		z := res.Zone
		return fmt.Sprintf("Within %g m and %g days after an event, the chance of another is %.1f times what it would be if place and time were unrelated.",
			z.Distance, z.Days, z.Ratio)
	}
	o := res.Options
	return fmt.Sprintf("No near-repeat pattern: within %g m and %g days there are not significantly more pairs than chance gives (p > %g).",
		o.SpaceBands[0], o.TimeBands[0], o.Alpha)
}

func writeNearRepeatText(w io.Writer, res study.NearRepeatResult, desc string) error {
	ew := &stickyWriter{w: w}
	o := res.Options
	fmt.Fprintf(ew, "Near-repeat (Knox test) of %s\n", desc)
	fmt.Fprintf(ew, "  %d events, %d permutations, seed %d\n\n", res.Verdict.Events, o.Permutations, o.Seed)
	if bands := res.Bands(); bands != nil {
		fmt.Fprintln(ew, "Observed/expected pairs (Monte Carlo p), distance bands down, time bands across; * significant:")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "\t")
		for t, to := range o.TimeBands {
			from := 0.0
			if t > 0 {
				from = o.TimeBands[t-1]
			}
			fmt.Fprintf(tw, "%g-%g days\t", from, to)
		}
		fmt.Fprintln(tw)
		for s, row := range bands {
			fmt.Fprintf(tw, "%g-%g m\t", row[0].SpaceFrom, o.SpaceBands[s])
			for _, b := range row {
				ratio := "inf"
				if b.Ratio != nil {
					ratio = strconv.FormatFloat(*b.Ratio, 'f', 2, 64)
				}
				star := " "
				if b.Significant {
					star = "*"
				}
				fmt.Fprintf(tw, "%s (%.2f)%s\t", ratio, b.P, star)
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintln(ew)
	}
	fmt.Fprintln(ew, riskZoneSentence(res))
	return ew.err
}

const analyseForecastHelp = `
The risk per cell for the --horizon after the last event (or from --origin), by one
method: the one with the highest PAI at 5% of the area in the latest stored evaluation of
this selection ("baken eval forecast ... --save"), else kde; --method chooses (see "baken
eval forecast -h" for the methods). A forecast needs at least 30 events before the origin
and 5 per horizon on average; it concerns places and times, never persons. Output: every
study cell with its risk, rank and whether it is in the top 5%, as CSV or GeoJSON.
`

func runAnalyseForecast(ctx context.Context, e env, args []string) error {
	c := newAnalyseCommand(e, "forecast", "[--cell 125] [--horizon 14d] [--method SPEC] [--origin DAY]", "csv|geojson", analyseForecastHelp)
	cell := c.fs.Float64("cell", analysis.DefaultCellSize, "cell size in metres")
	horizon := c.fs.String("horizon", "14d", "forecast period")
	methodSpec := c.fs.String("method", "", "forecasting method (default: the best of the latest evaluation, else kde)")
	originDay := c.fs.String("origin", "", "first day of the forecast, YYYY-MM-DD (default: the day after the last event)")
	if err := c.parse(args, "csv", "geojson"); err != nil {
		return err
	}
	if !(*cell > 0) || math.IsInf(*cell, 0) {
		return baken.Errorf(baken.Invalid, "--cell", "%v: want a positive number of metres", *cell)
	}
	h, err := forecast.ParseDuration(*horizon)
	if err != nil {
		return invalidFlag("--horizon", err)
	}
	var method forecast.Method
	if *methodSpec != "" {
		if method, err = forecast.ParseMethod(*methodSpec); err != nil {
			return invalidFlag("--method", err)
		}
	}
	loc, err := c.csv.location()
	if err != nil {
		return err
	}
	d, desc, sel, db, err := c.load(ctx, e, "analyse")
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	why := "chosen with --method"
	if method == nil {
		method, why = study.DefaultMethod(), "the default: no stored evaluation of this selection"
		if db != nil {
			ev, found, err := study.LatestEvaluation(baken.WithActor(ctx, baken.System("analyse")), db, sel, *cell, h)
			if err != nil {
				return err
			}
			if best, ok := ev.Summary.Best(study.TopShare); found && ok && best.Spec != "" {
				if m, err := forecast.ParseMethod(best.Spec); err == nil {
					l, _ := best.At(study.TopShare)
					method, why = m, fmt.Sprintf("the best at 5%% of the area in the evaluation of %s: PAI %.2f, hit rate %.3f",
						ev.RunAt.Format(time.DateOnly), l.PAI.Mean, l.HitRate.Mean)
				}
			}
		} else {
			why = "the default"
		}
	}
	var origin time.Time
	if *originDay != "" {
		if origin, err = time.ParseInLocation(time.DateOnly, *originDay, loc); err != nil {
			return baken.Errorf(baken.Invalid, "--origin", "%q is not a day (YYYY-MM-DD)", *originDay)
		}
	} else if len(d.Events) > 0 {
		origin = study.ForecastOrigin(d.Last, loc)
	} else {
		return baken.Errorf(baken.Invalid, "", "no events to forecast from (%s)", desc)
	}
	m, err := study.Forecast(ctx, d.Events, d.Area, study.ForecastOptions{Cell: *cell, Horizon: h, Origin: origin, Method: method})
	if err != nil {
		return baken.Errorf(baken.Invalid, "", "%v", err)
	}
	if !m.Verdict.OK() {
		return baken.Errorf(baken.Invalid, "", "%s (%s)", m.Verdict.Message, desc)
	}
	report, err := c.write(e, func(w io.Writer) error {
		if *c.format == "geojson" {
			return study.WriteForecastGeoJSON(w, m, d.ToWGS84)
		}
		return study.WriteForecastCSV(w, m.Cells)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(report, "Forecast of %s\n", desc)
	fmt.Fprintf(report, "  %s to %s (%s), %d training events; %d cells of %g m\n", m.Origin.Format(time.DateOnly),
		m.Origin.Add(m.Horizon).Add(-time.Second).In(loc).Format(time.DateOnly), forecast.FormatDuration(m.Horizon), m.Train, m.StudyCells, *cell)
	fmt.Fprintf(report, "  method %s: %s\n", m.Method, why)
	fmt.Fprintln(report, "  Risk is per place, for deployment and prevention; it says nothing about any person.")
	if db != nil {
		return writeLatestEvaluation(ctx, report, db, sel, *cell, h)
	}
	return nil
}
