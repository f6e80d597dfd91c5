package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
	"baken/internal/store/postgres"
	"baken/internal/store/sqlite"
)

// config is every setting a command may use. Flags win over BAKEN_* variables, which
// win over the defaults; validate checks the result once.
type config struct {
	db        string
	addr      string
	logFormat string
	logLevel  string
	baseMap   string
	uploadDir string
	// uploadRetention is how long an upload is kept after its last use, as given
	// (a Go duration or a number of days, "7d"); validate sets retention from it.
	uploadRetention string
	retention       time.Duration
}

// newFlags returns a command's flag set with the common flags that the command uses.
// Defaults come from the environment.
func newFlags(e env, name, usage string, cfg *config, common ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: baken %s\n\n", usage)
		fs.PrintDefaults()
	}
	def := func(key, fallback string) string {
		if v := e.getenv(key); v != "" {
			return v
		}
		return fallback
	}
	for _, c := range common {
		switch c {
		case "db":
			fs.StringVar(&cfg.db, "db", def("BAKEN_DB", "baken.db"), "SQLite file or postgres:// URL (BAKEN_DB)")
		case "addr":
			fs.StringVar(&cfg.addr, "addr", def("BAKEN_ADDR", "localhost:8080"), "address to listen on (BAKEN_ADDR)")
		case "upload-dir":
			fs.StringVar(&cfg.uploadDir, "upload-dir", def("BAKEN_UPLOAD_DIR", ""), "folder for uploaded files waiting to be imported (default: a folder in the system's temporary folder) (BAKEN_UPLOAD_DIR)")
		case "upload-retention":
			fs.StringVar(&cfg.uploadRetention, "upload-retention", def("BAKEN_UPLOAD_RETENTION", "7d"), "how long uploaded files (and their rejected rows) are kept after their last use: days (7d) or a duration (36h); 0 keeps them (BAKEN_UPLOAD_RETENTION)")
		case "base-map":
			fs.StringVar(&cfg.baseMap, "base-map", def("BAKEN_BASE_MAP", ""), "map background: empty (buurt outlines only, works offline), pdok (PDOK BRT-Achtergrondkaart) or a tile URL with {z}/{x}/{y} (BAKEN_BASE_MAP)")
		}
	}
	fs.StringVar(&cfg.logFormat, "log-format", def("BAKEN_LOG_FORMAT", "text"), "log format: text or json (BAKEN_LOG_FORMAT)")
	fs.StringVar(&cfg.logLevel, "log-level", def("BAKEN_LOG_LEVEL", "info"), "log level: debug, info, warn, error (BAKEN_LOG_LEVEL)")
	return fs
}

// parse parses args, flags before and after the positional arguments alike, and
// validates the configuration. The positional arguments are left in fs.Args().
func parse(fs *flag.FlagSet, cfg *config, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	// Parse the positional arguments back in, after "--" so none is taken for a flag.
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return err
	}
	return cfg.validate()
}

func (c *config) validate() error {
	var errs baken.FieldErrors
	if c.addr != "" {
		if _, _, err := net.SplitHostPort(c.addr); err != nil {
			errs = append(errs, baken.Errorf(baken.Invalid, "--addr", "%q is not host:port", c.addr))
		}
	}
	switch c.logFormat {
	case "text", "json":
	default:
		errs = append(errs, baken.Errorf(baken.Invalid, "--log-format", "%q: want text or json", c.logFormat))
	}
	if c.baseMap != "" && c.baseMap != "pdok" && !strings.HasPrefix(c.baseMap, "https://") {
		errs = append(errs, baken.Errorf(baken.Invalid, "--base-map", "%q: want pdok or an https:// tile URL", c.baseMap))
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		errs = append(errs, baken.Errorf(baken.Invalid, "--log-level", "%q: want debug, info, warn or error", c.logLevel))
	}
	if c.uploadRetention != "" {
		d, err := parseRetention(c.uploadRetention)
		if err != nil {
			errs = append(errs, baken.Errorf(baken.Invalid, "--upload-retention", "%q: want days (7d) or a duration (36h), not negative", c.uploadRetention))
		}
		c.retention = d
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.logLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseRetention reads a retention: a whole number of days ("7d") or a Go duration
// ("36h"); "0" keeps uploads for ever.
func parseRetention(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("parse retention: %w", err)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("parse retention: %w", err)
		}
	}
	if d < 0 {
		return 0, fmt.Errorf("parse retention: %s is negative", s)
	}
	return d, nil
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openStore opens the database named by dsn (a SQLite path or a postgres:// URL) and
// applies pending migrations.
func openStore(ctx context.Context, dsn string, logger *slog.Logger) (*store.DB, error) {
	opts := store.Options{Logger: logger}
	if dsn == "" {
		return nil, baken.Errorf(baken.Invalid, "--db", "no database given")
	}
	if isPostgresURL(dsn) {
		return postgres.Open(ctx, dsn, opts)
	}
	return sqlite.Open(ctx, dsn, opts)
}
