package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"baken/internal/api"
	"baken/internal/baken"
	"baken/internal/bench"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/server"
)

func runBench(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken bench WORKLOAD [flags]

Workloads:
  import   generate N registrations, import them, and compare with a plain bulk load
  trend    load N registrations, time GET /api/v1/stats/trend, and compare with a GROUP BY
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "import":
		return runBenchImport(ctx, e, args[1:])
	case "trend":
		return runBenchTrend(ctx, e, args[1:])
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

func runBenchTrend(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "bench trend", "bench trend [--rows N] [--rounds R] [--db FILE|URL]", &cfg)
	fs.StringVar(&cfg.db, "db", "", "database (default: a new SQLite file in a temporary folder); use an empty PostgreSQL database")
	rows := fs.Int("rows", 1_000_000, "number of registrations to load first (0: use what the database holds)")
	rounds := fs.Int("rounds", 40, "requests per query through the API")
	scanRounds := fs.Int("scan-rounds", 5, "runs per query of the plain GROUP BY")
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
	logger := cfg.logger(e.stderr)
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := baken.WithActor(ctx, baken.System("bench"))
	res := bench.TrendResult{Rows: *rows, Dialect: db.Dialect(), Queries: bench.TrendQueries()}
	if err := demo.LoadReference(sys, db); err != nil {
		return err
	}
	if *rows > 0 {
		start := time.Now()
		if err := bench.Load(ctx, db, *rows, e.stdout); err != nil {
			return err
		}
		res.Load = time.Since(start)
	}
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	if _, err := db.CreateUser(sys, baken.User{Name: name, Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{demo.Gemeente}}); err != nil {
		return err
	}
	token, err := db.CreateAPIToken(sys, name, "bench", "", nil)
	if err != nil {
		return err
	}
	tree, err := reference.InForce(sys, db)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return err
	}
	a := api.New(api.Config{DB: db, Logger: slog.New(slog.DiscardHandler), Categories: tree, Authenticate: server.BearerAuth(db), Location: loc})
	srv := httptest.NewServer(server.New(server.Config{DB: db, Mount: []func(*http.ServeMux){a.Routes}}).Handler())
	defer srv.Close()
	client := srv.Client()
	actor := baken.WithActor(ctx, baken.Actor{UserID: "bench", Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{demo.Gemeente}})
	for _, q := range res.Queries {
		var lat, scan bench.Latencies
		for i := 0; i < *rounds+2; i++ {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/stats/trend?"+q.Params.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				return fmt.Errorf("bench trend: %w", err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d := time.Since(start)
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("bench trend: %s answered %d", q.Name, resp.StatusCode)
			}
			if i >= 2 { // the first two warm the caches
				lat = append(lat, d)
			}
		}
		for range *scanRounds {
			start := time.Now()
			if _, err := db.TrendByScan(actor, q.Filter, q.Interval); err != nil {
				return err
			}
			scan = append(scan, time.Since(start))
		}
		res.API = append(res.API, lat)
		res.Scan = append(res.Scan, scan)
	}
	res.Print(e.stdout)
	return nil
}
