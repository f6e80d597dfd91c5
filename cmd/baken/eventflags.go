package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"baken/internal/analysis"
	"baken/internal/baken"
	"baken/internal/events"
	"baken/internal/forecast"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/study"
)

// csvFlags are the flags of the commands that read events from a CSV file (baken
// analyse, baken eval forecast): the file, its columns, filters and time zone, and the
// study area.
type csvFlags struct {
	input   string
	opts    events.Options
	filters pairs
	tz      string
	area    string
}

// addCSVFlags defines the CSV flags on fs; areaHelp says what --area defaults to.
func addCSVFlags(fs *flag.FlagSet, areaHelp string) *csvFlags {
	c := &csvFlags{filters: pairs{}}
	fs.StringVar(&c.input, "input", "", "CSV file of events, plain or gzip (instead of the store)")
	fs.StringVar(&c.opts.TimeCol, "time-col", "", "column with the date or date-time (default: the one column named like date or time)")
	fs.StringVar(&c.opts.LonCol, "lon-col", "", "column with the WGS84 longitude (default: longitude, lon, lng or long)")
	fs.StringVar(&c.opts.LatCol, "lat-col", "", "column with the WGS84 latitude (default: latitude or lat)")
	fs.StringVar(&c.opts.XCol, "x-col", "", "column with x in --crs")
	fs.StringVar(&c.opts.YCol, "y-col", "", "column with y in --crs")
	fs.StringVar(&c.opts.CRS, "crs", "", "coordinate system of --x-col/--y-col: EPSG:4326, EPSG:28992 or EPSG:326zz/327zz (UTM)")
	fs.Var(c.filters, "filter", "COLUMN=VALUE: keep only rows with this value (repeatable; all must match)")
	fs.StringVar(&c.tz, "tz", "Europe/Amsterdam", "time zone of times without an offset, and of --from and --to")
	fs.StringVar(&c.area, "area", "", areaHelp)
	return c
}

// csvFlagNames returns the flags that only make sense with --input.
func csvFlagNames() []string {
	return []string{"time-col", "lon-col", "lat-col", "x-col", "y-col", "crs", "filter", "area"}
}

// location returns the --tz zone.
func (c *csvFlags) location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return nil, baken.Errorf(baken.Invalid, "--tz", "unknown time zone %q", c.tz)
	}
	return loc, nil
}

// read reads the --input file; an empty result is an error that says what was skipped.
func (c *csvFlags) read(loc *time.Location) ([]analysis.Event, events.Info, error) {
	opts := c.opts
	opts.TZ = loc
	if len(c.filters) > 0 {
		opts.Filters = c.filters
	}
	f, err := os.Open(c.input)
	if err != nil {
		return nil, events.Info{}, invalidFlag("--input", err)
	}
	defer f.Close()
	evs, info, err := events.ReadCSV(f, filepath.Base(c.input), opts)
	if err != nil {
		return nil, events.Info{}, invalidFlag("--input", err)
	}
	if len(evs) == 0 {
		return nil, info, baken.Errorf(baken.Invalid, "--input", "%s: no events (%d rows, %d filtered out, %d without place, %d without time)",
			c.input, info.Rows, info.Filtered, info.NoPlace, info.NoTime)
	}
	return evs, info, nil
}

// studyArea reads --area into the plane of the events, or returns nil without one.
func (c *csvFlags) studyArea(info events.Info) (*forecast.StudyArea, error) {
	if c.area == "" {
		return nil, nil
	}
	return readStudyArea(c.area, info)
}

// selectionFlags select registrations in the store, as baken export does.
type selectionFlags struct {
	categories, themes, gemeenten, sources listFlag
	wijk, buurt, from, to                  string
}

// addSelectionFlags defines the selection flags on fs; period adds --from and --to.
func addSelectionFlags(fs *flag.FlagSet, period bool) *selectionFlags {
	s := &selectionFlags{}
	fs.Var(&s.gemeenten, "gemeente", "CBS gemeente code, GM0384 (default: the one in the store, or the one of --wijk or --buurt)")
	fs.StringVar(&s.wijk, "wijk", "", "CBS wijk code, WK038401")
	fs.StringVar(&s.buurt, "buurt", "", "CBS buurt code, BU03840101")
	fs.Var(&s.categories, "category", "category code (repeatable or comma-separated)")
	fs.Var(&s.themes, "theme", "theme code: its categories (repeatable or comma-separated)")
	fs.Var(&s.sources, "source", "source name (repeatable or comma-separated)")
	if period {
		fs.StringVar(&s.from, "from", "", "first local day, YYYY-MM-DD (inclusive)")
		fs.StringVar(&s.to, "to", "", "last local day, YYYY-MM-DD (inclusive)")
	}
	return s
}

// selectionFlagNames returns the flags that only make sense with the store.
func selectionFlagNames() []string {
	return []string{"gemeente", "wijk", "buurt", "category", "theme", "source", "db"}
}

// checkSource refuses store flags with --input and CSV flags without it, naming the first.
func checkSource(fs *flag.FlagSet, input string) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err != nil {
			return
		}
		switch {
		case input != "" && slices.Contains(selectionFlagNames(), f.Name):
			err = baken.Errorf(baken.Invalid, "--"+f.Name, "selects registrations in the store; not with --input")
		case input == "" && slices.Contains(csvFlagNames(), f.Name):
			err = baken.Errorf(baken.Invalid, "--"+f.Name, "describes the --input file; give --input")
		}
	})
	return err
}

// resolve makes the selection, as the system actor in ctx: the municipality from
// --gemeente, else from --wijk or --buurt, else the one municipality whose areas are
// loaded; themes become their categories.
func (s *selectionFlags) resolve(ctx context.Context, db *store.DB) (study.Selection, error) {
	sel := study.Selection{Wijk: strings.ToUpper(s.wijk), Buurt: strings.ToUpper(s.buurt), Sources: s.sources, From: s.from, To: s.to}
	switch {
	case len(s.gemeenten) > 1:
		return sel, baken.Errorf(baken.Invalid, "--gemeente", "one municipality at a time")
	case len(s.gemeenten) == 1:
		sel.Gemeente = strings.ToUpper(s.gemeenten[0])
	case sel.Buurt != "":
		sel.Gemeente = baken.GemeenteOfCode(sel.Buurt)
	case sel.Wijk != "":
		sel.Gemeente = baken.GemeenteOfCode(sel.Wijk)
	default:
		areas, err := db.FindAreas(ctx, store.AreaFilter{})
		if err != nil {
			return sel, err
		}
		var gms []string
		for _, a := range areas {
			if a.Gemeente != "" && !slices.Contains(gms, a.Gemeente) {
				gms = append(gms, a.Gemeente)
			}
		}
		if len(gms) != 1 {
			return sel, baken.Errorf(baken.Invalid, "--gemeente", "the store holds %d municipalities: give one", len(gms))
		}
		sel.Gemeente = gms[0]
	}
	if err := sel.Check(); err != nil {
		return sel, flagErrors(err)
	}
	if len(s.categories) > 0 || len(s.themes) > 0 {
		tree, err := reference.InForce(ctx, db)
		if err != nil {
			return sel, err
		}
		if sel.Categories, err = expandCategories(tree, s.categories, s.themes); err != nil {
			return sel, err
		}
	}
	return sel, nil
}

// flagErrors returns the first of a selection's field errors, named by the flag that
// set the field, as the other commands report a bad flag.
func flagErrors(err error) error {
	var fe baken.FieldErrors
	if errors.As(err, &fe) && len(fe) > 0 {
		e := *fe[0]
		e.Field = "--" + e.Field
		return &e
	}
	return err
}

// describe says what a selection holds, for the summary of a command; themes are named
// as given rather than as their categories.
func describe(sel study.Selection, themes, categories []string) string {
	parts := []string{sel.Area()}
	switch {
	case len(themes) > 0:
		label := "theme " + strings.Join(themes, ", ")
		if len(categories) > 0 {
			label += " and " + strings.Join(categories, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s (%d categories)", label, len(sel.Categories)))
	case len(sel.Categories) > 0:
		parts = append(parts, strings.Join(sel.Categories, ", "))
	default:
		parts = append(parts, "all categories")
	}
	if len(sel.Sources) > 0 {
		parts = append(parts, "sources "+strings.Join(sel.Sources, ", "))
	}
	switch {
	case sel.From != "" && sel.To != "":
		parts = append(parts, sel.From+" to "+sel.To)
	case sel.From != "":
		parts = append(parts, "from "+sel.From)
	case sel.To != "":
		parts = append(parts, "up to "+sel.To)
	}
	return strings.Join(parts, "; ")
}

// loadEvents reads the events of a command: from --input, or from the store as the
// system actor. It returns the data, a description of where they came from, and the
// selection (zero with --input).
func loadEvents(ctx context.Context, e env, cfg *config, c *csvFlags, s *selectionFlags, who string) (study.Data, string, study.Selection, *store.DB, error) {
	loc, err := c.location()
	if err != nil {
		return study.Data{}, "", study.Selection{}, nil, err
	}
	if c.input != "" {
		evs, info, err := c.read(loc)
		if err != nil {
			return study.Data{}, "", study.Selection{}, nil, err
		}
		area, err := c.studyArea(info)
		if err != nil {
			return study.Data{}, "", study.Selection{}, nil, err
		}
		for _, d := range []struct{ flag, day string }{{"--from", s.from}, {"--to", s.to}} {
			if _, err := time.Parse(time.DateOnly, d.day); d.day != "" && err != nil {
				return study.Data{}, "", study.Selection{}, nil, baken.Errorf(baken.Invalid, d.flag, "%q is not a day (YYYY-MM-DD)", d.day)
			}
		}
		evs = inPeriod(evs, s.from, s.to, loc)
		desc := fmt.Sprintf("%s: %d events of %d rows (%d filtered out, %d without place, %d without time), plane %s",
			filepath.Base(c.input), len(evs), info.Rows, info.Filtered, info.NoPlace, info.NoTime, info.CRS)
		if area == nil {
			desc += "; study area: the cells with an event"
		} else {
			desc += "; study area " + area.Name
		}
		return study.FromEvents(evs, area, info.Unproject), desc, study.Selection{}, nil, nil
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return study.Data{}, "", study.Selection{}, nil, err
	}
	sys := baken.WithActor(ctx, baken.System(who))
	sel, err := s.resolve(sys, db)
	if err != nil {
		db.Close()
		return study.Data{}, "", study.Selection{}, nil, err
	}
	d, err := study.Load(sys, db, sel)
	if err != nil {
		db.Close()
		return study.Data{}, "", study.Selection{}, nil, flagErrors(err)
	}
	return d, describe(sel, s.themes, s.categories), sel, db, nil
}

// inPeriod keeps the events on the local days from to to (inclusive; "" is open).
func inPeriod(evs []analysis.Event, from, to string, loc *time.Location) []analysis.Event {
	if from == "" && to == "" {
		return evs
	}
	var out []analysis.Event
	for _, e := range evs {
		day := e.T.In(loc).Format(time.DateOnly)
		if (from == "" || day >= from) && (to == "" || day <= to) {
			out = append(out, e)
		}
	}
	return out
}
