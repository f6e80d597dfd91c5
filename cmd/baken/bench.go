package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"baken/internal/bench"
)

func runBench(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken bench WORKLOAD [flags]

Workloads:
  import   generate N registrations, import them, and compare with a plain bulk load
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "import":
		return runBenchImport(ctx, e, args[1:])
	case "-h", "--help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken bench: unknown workload %q\n\n", args[0])
	return usage()
}

func runBenchImport(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "bench import", "bench import [--rows N] [--db FILE|URL]", &cfg)
	fs.StringVar(&cfg.db, "db", "", "database (default: a new SQLite file in a temporary folder); use an empty PostgreSQL database")
	rows := fs.Int("rows", 1_000_000, "number of registrations")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "baken-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	if cfg.db == "" {
		cfg.db = filepath.Join(dir, "bench.db")
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := bench.Import(ctx, db, *rows, dir)
	if err != nil {
		return err
	}
	res.Print(e.stdout)
	return nil
}
