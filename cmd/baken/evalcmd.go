package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/events"
	"baken/internal/forecast"
	"baken/internal/geo"
	"baken/internal/store"
	"baken/internal/study"
)

func runEval(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken eval KIND [flags]

Kinds:
  forecast  score forecasting methods on the store's registrations or a CSV file of
            events by rolling origin
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "forecast":
		return runEvalForecast(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken eval: unknown kind %q\n\n", args[0])
	return usage()
}

const evalForecastHelp = `
Rolling origin: from --from, every --step, each method is given only the events before
the origin (within --train-window) and scored on the events of the next --horizon inside
the study area. The study-area cells are ranked by the method's risk (ties: lower cell
index first) and the hit rate (share of test events in the top cells) and PAI (hit rate
/ area share) are given at 1%, 5% and 10% of the area, with their spread over the steps.
Steps with fewer than 30 training or 5 test events are listed, not scored.

Without --input the registrations in the store are read (--db, --gemeente, --wijk,
--buurt, --category, --theme, --source); --save stores the result for that selection, and
"baken analyse", the API and the analysis page show it beside every map of it.

Methods (--methods, comma-separated; settings as NAME:KEY=VALUE:...):
  last-period[:window=4w]                       counts in the last weeks
  all-history                                   counts over all training data
  kde[:bandwidth=100:window=all:halflife=2y]    quartic kernel density, weights
                                                halving every halflife
  prospective[:bandwidth=150:window=4y]         Bowers, Johnson & Pease (2004)
  sepp[:window=8y:bandwidth=cell:distance=250:lag=60d:minsigma=30:refit=4]
                                                self-exciting point process (EM);
                                                bandwidth=cell: background per cell
The defaults were chosen on Chicago 2010-2017 (docs/FORECAST.md).
Durations: 14d, 2w, 36h, 1y. Forecasts concern places and times, never persons.
`

func runEvalForecast(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "eval forecast",
		"eval forecast --input FILE.csv [--time-col C] [--lon-col C --lat-col C | --x-col C --y-col C --crs EPSG:n]\n"+
			"       [--filter COLUMN=VALUE]... [--tz ZONE] [--area FILE.geojson]\n"+
			"     | [--db FILE|URL] [--gemeente CODE] [--wijk CODE] [--buurt CODE] [--category CODE,...] [--theme CODE,...] [--source NAME,...] [--save]\n"+
			"       [--cell M] [--horizon 14d] [--step D] [--train-window D] [--from DAY] [--to DAY] [--methods LIST] [--format text|json]", &cfg, "db")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), evalForecastHelp)
	}
	csvf := addCSVFlags(fs, "study area of --input, GeoJSON polygons (default: the cells with an event before the first origin)")
	self := addSelectionFlags(fs, false)
	save := fs.Bool("save", false, "store the evaluation for the selection, where analyse and the pages show it beside the map")
	cell := fs.Float64("cell", analysis.DefaultCellSize, "cell size in metres")
	horizon := fs.String("horizon", "14d", "forecast period after each origin")
	step := fs.String("step", "", "time between origins (default: the horizon)")
	trainWindow := fs.String("train-window", "all", "training data before each origin: a duration, or all")
	from := fs.String("from", "", "first origin, YYYY-MM-DD (default: a year before --to)")
	to := fs.String("to", "", "last day of the test period, YYYY-MM-DD, inclusive (default: the day of the last event)")
	var methodSpecs listFlag
	fs.Var(&methodSpecs, "methods", "methods to compare, comma-separated or repeated (default: all)")
	format := fs.String("format", "text", "output: text or json")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	// The store is read when a selection flag or a database is given; a bare command
	// asks for the file, as it always did.
	fromStore := csvf.input == "" && (e.getenv("BAKEN_DB") != "" || visited(fs, selectionFlagNames()...))
	switch {
	case csvf.input == "" && !fromStore:
		return baken.Errorf(baken.Invalid, "--input", "give the CSV file of events, or select registrations in the store (--db, --gemeente, --category, ...)")
	case *save && !fromStore:
		return baken.Errorf(baken.Invalid, "--save", "stores the evaluation of a selection in the store; not with --input")
	}
	if err := checkSource(fs, csvf.input); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return baken.Errorf(baken.Invalid, "--format", "%q: want text or json", *format)
	}
	loc, err := csvf.location()
	if err != nil {
		return err
	}
	var eo forecast.EvalOptions
	if !(*cell > 0) || math.IsInf(*cell, 0) {
		return baken.Errorf(baken.Invalid, "--cell", "%v: want a positive number of metres", *cell)
	}
	eo.CellSize = *cell
	for _, d := range []struct {
		flag, value string
		dst         *time.Duration
		all         bool
	}{{"--horizon", *horizon, &eo.Horizon, false}, {"--step", *step, &eo.Step, false}, {"--train-window", *trainWindow, &eo.TrainWindow, true}} {
		if d.value == "" || (d.all && d.value == "all") {
			continue
		}
		if *d.dst, err = forecast.ParseDuration(d.value); err != nil {
			return invalidFlag(d.flag, err)
		}
	}
	methods := forecast.DefaultMethods()
	var specs []string
	for _, m := range methods {
		specs = append(specs, study.MethodSpec(m))
	}
	if len(methodSpecs) > 0 {
		methods, specs = methods[:0], methodSpecs
		for _, s := range methodSpecs {
			m, err := forecast.ParseMethod(s)
			if err != nil {
				return invalidFlag("--methods", err)
			}
			methods = append(methods, m)
		}
	}

	started := time.Now()
	var evs []analysis.Event
	var in evalInput
	var sel study.Selection
	var db *store.DB
	if fromStore {
		var d study.Data
		var desc string
		if d, desc, sel, db, err = loadEvents(ctx, e, &cfg, csvf, self, "eval"); err != nil {
			return err
		}
		defer db.Close()
		if len(d.Events) == 0 {
			return baken.Errorf(baken.Invalid, "", "no registrations with a place in the selection (%s)", desc)
		}
		evs, eo.Area = d.Events, d.Area
		in = evalInput{Selection: desc, Rows: len(d.Events), Events: len(d.Events), CRS: "EPSG:28992", TZ: loc.String(),
			First: d.Events[0].T, Last: d.Last}
	} else {
		var info events.Info
		if evs, info, err = csvf.read(loc); err != nil {
			return err
		}
		if eo.Area, err = csvf.studyArea(info); err != nil {
			return err
		}
		in = evalInput{File: filepath.Base(csvf.input), Rows: info.Rows, Events: info.Events, Filtered: info.Filtered,
			NoPlace: info.NoPlace, NoTime: info.NoTime, TimeCol: info.TimeCol, XCol: info.XCol, YCol: info.YCol,
			CRS: info.CRS, First: info.First, Last: info.Last, TZ: loc.String()}
	}
	readTime := time.Since(started)

	if eo.To, err = evalDay("--to", *to, loc, in.Last); err != nil {
		return err
	}
	eo.To = eo.To.AddDate(0, 0, 1) // the end of the last day
	if eo.From, err = evalDay("--from", *from, loc, eo.To.AddDate(-1, 0, 0)); err != nil {
		return err
	}
	if !eo.From.Before(eo.To) {
		return baken.Errorf(baken.Invalid, "--to", "%s is before --from %s", *to, *from)
	}

	evalStart := time.Now()
	eo.MinTrain, eo.MinTest = study.ForecastMinTrain, study.ForecastMinTest
	rep, err := forecast.Evaluate(ctx, evs, eo, methods)
	if err != nil {
		return baken.Errorf(baken.Invalid, "", "%v", err)
	}
	evalTime := time.Since(evalStart)
	in.ReadSeconds, in.EvalSeconds = readTime.Seconds(), evalTime.Seconds()

	var saved string
	if *save {
		key := sel.EvalKey(*cell, eo.Horizon)
		if eo.Horizon == 0 {
			key = sel.EvalKey(*cell, study.DefaultHorizon)
		}
		ev, err := study.SaveEvaluation(baken.WithActor(ctx, baken.System("eval")), db, sel, study.Summarize(key, rep, specs))
		if err != nil {
			return err
		}
		saved = fmt.Sprintf("Stored as the latest forecast evaluation of this selection (%s, %s); \"baken analyse\" and the analysis page show it beside the map.",
			ev.RunAt.Format(time.RFC3339), key)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Input  evalInput       `json:"input"`
			Report forecast.Report `json:"report"`
		}{in, rep}); err != nil {
			return err
		}
		if saved != "" {
			fmt.Fprintln(e.stderr, saved)
		}
		return nil
	}
	if fromStore {
		fmt.Fprintf(e.stdout, "Selection %s: %d registrations with a place (RD New, days in %s)\n", in.Selection, in.Events, in.TZ)
	} else {
		fmt.Fprintf(e.stdout, "Input %s: %d events from %d rows (%d filtered out, %d without place, %d without time)\n",
			in.File, in.Events, in.Rows, in.Filtered, in.NoPlace, in.NoTime)
		fmt.Fprintf(e.stdout, "  columns %s, %s, %s; times in %s unless the file gives an offset; plane %s\n",
			in.TimeCol, in.XCol, in.YCol, in.TZ, in.CRS)
	}
	fmt.Fprintf(e.stdout, "  %s to %s\n\n", in.First.Format(time.RFC3339), in.Last.Format(time.RFC3339))
	if err := rep.WriteText(e.stdout); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(e.stdout, "\nRead in %s, evaluated in %s.\n", readTime.Round(time.Millisecond), evalTime.Round(time.Millisecond)); err != nil {
		return err
	}
	if saved != "" {
		_, err = fmt.Fprintln(e.stdout, saved)
	}
	return err
}

// visited reports whether any of the named flags was set on the command line.
func visited(fs *flag.FlagSet, names ...string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(names, f.Name) {
			found = true
		}
	})
	return found
}

// evalInput describes the file or the selection an evaluation read.
type evalInput struct {
	File        string    `json:"file,omitempty"`
	Selection   string    `json:"selection,omitempty"`
	Rows        int       `json:"rows"`
	Events      int       `json:"events"`
	Filtered    int       `json:"filtered"`
	NoPlace     int       `json:"no_place"`
	NoTime      int       `json:"no_time"`
	TimeCol     string    `json:"time_col"`
	XCol        string    `json:"x_col"`
	YCol        string    `json:"y_col"`
	CRS         string    `json:"crs"`
	TZ          string    `json:"tz"`
	First       time.Time `json:"first"`
	Last        time.Time `json:"last"`
	ReadSeconds float64   `json:"read_seconds"`
	EvalSeconds float64   `json:"eval_seconds"`
}

// evalDay parses a day (YYYY-MM-DD) as local midnight in loc; empty gives the day of
// fallback.
func evalDay(flag, s string, loc *time.Location, fallback time.Time) (time.Time, error) {
	if s == "" {
		y, m, d := fallback.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, baken.Errorf(baken.Invalid, flag, "%q is not a day (YYYY-MM-DD)", s)
	}
	return t, nil
}

// readStudyArea reads a GeoJSON study area and puts it in the plane of the events: a
// cell belongs to it when its centre, taken back to WGS84, is inside.
func readStudyArea(path string, info events.Info) (*forecast.StudyArea, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, invalidFlag("--area", err)
	}
	defer f.Close()
	o, err := geo.ReadOutline(f, filepath.Base(path))
	if err != nil {
		return nil, invalidFlag("--area", err)
	}
	a := &forecast.StudyArea{
		Name: filepath.Base(path),
		MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1),
		Contains: func(x, y float64) bool { return o.Contains(info.Unproject(x, y)) },
	}
	for _, p := range o.Geometry {
		for _, r := range p {
			for _, pt := range r {
				x, y := info.Project(pt[0], pt[1])
				a.MinX, a.MaxX = math.Min(a.MinX, x), math.Max(a.MaxX, x)
				a.MinY, a.MaxY = math.Min(a.MinY, y), math.Max(a.MaxY, y)
			}
		}
	}
	return a, nil
}

// invalidFlag marks err as the user's to fix, naming the flag, as the other commands do.
func invalidFlag(flag string, err error) error {
	return baken.Errorf(baken.Invalid, flag, "%v", err)
}
