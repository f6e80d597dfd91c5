package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "load the Diemen demo into a fresh store and serve it", runDemo},
		{"serve", "run the web server and API", runServe},
		{"migrate", "apply pending database migrations", runMigrate},
		{"import", "import areas, population, registrations or police counts from a file", runImport},
		{"export", "export registrations as CSV (re-importable) or Excel", runExport},
		{"report", "write the council letter or the progress report of a programme", runReport},
		{"eval", "evaluate forecasts on the store or a file by rolling origin: hit rate and PAI per method", runEval},
		{"analyse", "hotspots, hot times, near-repeat risk and forecasts from the store or a CSV file", runAnalyse},
		{"user", "manage local accounts: add, list, disable, enable, password", runUser},
		{"token", "make an API token for a user", runToken},
		{"bench", "measure a whole workload against its plain baseline", runBench},
		{"version", "print the version", runVersion},
	}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `Baken: the information system for a municipality's integral safety policy.

Usage:
  baken COMMAND [flags] [arguments]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, `
Run "baken COMMAND -h" for a command's flags. Flags override BAKEN_* environment
variables (BAKEN_DB, BAKEN_ADDR, BAKEN_LOG_FORMAT, BAKEN_LOG_LEVEL).
--db takes a SQLite file (default baken.db) or a postgres:// URL.
`)
}

func runVersion(ctx context.Context, e env, args []string) error {
	fmt.Fprintln(e.stdout, "baken", version)
	return nil
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"
