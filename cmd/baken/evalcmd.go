package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/events"
	"baken/internal/forecast"
	"baken/internal/geo"
)

func runEval(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken eval KIND [flags]

Kinds:
  forecast  score forecasting methods on a CSV file of events by rolling origin
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
			"       [--filter COLUMN=VALUE]... [--tz ZONE] [--cell M] [--horizon 14d] [--step D] [--train-window D]\n"+
			"       [--from DAY] [--to DAY] [--area FILE.geojson] [--methods LIST] [--format text|json]", &cfg)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), evalForecastHelp)
	}
	input := fs.String("input", "", "CSV file of events, plain or gzip (required)")
	var opts events.Options
	fs.StringVar(&opts.TimeCol, "time-col", "", "column with the date or date-time (default: the one column named like date or time)")
	fs.StringVar(&opts.LonCol, "lon-col", "", "column with the WGS84 longitude (default: longitude, lon, lng or long)")
	fs.StringVar(&opts.LatCol, "lat-col", "", "column with the WGS84 latitude (default: latitude or lat)")
	fs.StringVar(&opts.XCol, "x-col", "", "column with x in --crs")
	fs.StringVar(&opts.YCol, "y-col", "", "column with y in --crs")
	fs.StringVar(&opts.CRS, "crs", "", "coordinate system of --x-col/--y-col: EPSG:4326, EPSG:28992 or EPSG:326zz/327zz (UTM)")
	filters := pairs{}
	fs.Var(filters, "filter", "COLUMN=VALUE: keep only rows with this value (repeatable; all must match)")
	tz := fs.String("tz", "Europe/Amsterdam", "time zone of times without an offset, and of --from and --to")
	cell := fs.Float64("cell", analysis.DefaultCellSize, "cell size in metres")
	horizon := fs.String("horizon", "14d", "forecast period after each origin")
	step := fs.String("step", "", "time between origins (default: the horizon)")
	trainWindow := fs.String("train-window", "all", "training data before each origin: a duration, or all")
	from := fs.String("from", "", "first origin, YYYY-MM-DD (default: a year before --to)")
	to := fs.String("to", "", "last day of the test period, YYYY-MM-DD, inclusive (default: the day of the last event)")
	area := fs.String("area", "", "study area, GeoJSON polygons (default: the cells with an event before the first origin)")
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
	if *input == "" {
		return baken.Errorf(baken.Invalid, "--input", "give the CSV file of events")
	}
	if *format != "text" && *format != "json" {
		return baken.Errorf(baken.Invalid, "--format", "%q: want text or json", *format)
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return baken.Errorf(baken.Invalid, "--tz", "unknown time zone %q", *tz)
	}
	opts.TZ = loc
	if len(filters) > 0 {
		opts.Filters = filters
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
	if len(methodSpecs) > 0 {
		methods = methods[:0]
		for _, s := range methodSpecs {
			m, err := forecast.ParseMethod(s)
			if err != nil {
				return invalidFlag("--methods", err)
			}
			methods = append(methods, m)
		}
	}

	started := time.Now()
	f, err := os.Open(*input)
	if err != nil {
		return invalidFlag("--input", err)
	}
	evs, info, err := events.ReadCSV(f, filepath.Base(*input), opts)
	f.Close()
	if err != nil {
		return invalidFlag("--input", err)
	}
	if len(evs) == 0 {
		return baken.Errorf(baken.Invalid, "--input", "%s: no events (%d rows, %d filtered out, %d without place, %d without time)",
			*input, info.Rows, info.Filtered, info.NoPlace, info.NoTime)
	}
	readTime := time.Since(started)

	if eo.To, err = evalDay("--to", *to, loc, info.Last); err != nil {
		return err
	}
	eo.To = eo.To.AddDate(0, 0, 1) // the end of the last day
	if eo.From, err = evalDay("--from", *from, loc, eo.To.AddDate(-1, 0, 0)); err != nil {
		return err
	}
	if !eo.From.Before(eo.To) {
		return baken.Errorf(baken.Invalid, "--to", "%s is before --from %s", *to, *from)
	}
	if *area != "" {
		if eo.Area, err = readStudyArea(*area, info); err != nil {
			return err
		}
	}

	evalStart := time.Now()
	rep, err := forecast.Evaluate(ctx, evs, eo, methods)
	if err != nil {
		return baken.Errorf(baken.Invalid, "", "%v", err)
	}
	evalTime := time.Since(evalStart)

	in := evalInput{File: filepath.Base(*input), Rows: info.Rows, Events: info.Events, Filtered: info.Filtered,
		NoPlace: info.NoPlace, NoTime: info.NoTime, TimeCol: info.TimeCol, XCol: info.XCol, YCol: info.YCol,
		CRS: info.CRS, First: info.First, Last: info.Last, TZ: loc.String(),
		ReadSeconds: readTime.Seconds(), EvalSeconds: evalTime.Seconds()}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Input  evalInput       `json:"input"`
			Report forecast.Report `json:"report"`
		}{in, rep})
	}
	fmt.Fprintf(e.stdout, "Input %s: %d events from %d rows (%d filtered out, %d without place, %d without time)\n",
		in.File, in.Events, in.Rows, in.Filtered, in.NoPlace, in.NoTime)
	fmt.Fprintf(e.stdout, "  columns %s, %s, %s; times in %s unless the file gives an offset; plane %s\n",
		in.TimeCol, in.XCol, in.YCol, in.TZ, in.CRS)
	fmt.Fprintf(e.stdout, "  %s to %s\n\n", in.First.Format(time.RFC3339), in.Last.Format(time.RFC3339))
	if err := rep.WriteText(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\nRead in %s, evaluated in %s.\n", readTime.Round(time.Millisecond), evalTime.Round(time.Millisecond))
	return err
}

// evalInput describes the file an evaluation read.
type evalInput struct {
	File        string    `json:"file"`
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
