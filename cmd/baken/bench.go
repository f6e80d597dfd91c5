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
	"runtime/pprof"
	"strings"
	"time"

	"baken/internal/api"
	"baken/internal/baken"
	"baken/internal/bench"
	"baken/internal/demo"
	"baken/internal/password"
	"baken/internal/reference"
	"baken/internal/server"
	"baken/internal/store"
	"baken/internal/web"
)

func runBench(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken bench WORKLOAD [flags]

Workloads:
  import   generate N registrations, import them, and compare with plain bulk loads of
           the same rows (into a copy of the registrations table, and without keys)
  trend    load N registrations, time GET /api/v1/stats/trend, and compare with a GROUP BY
  http     load N registrations, serve the pages on loopback, and load the dashboard with
           C concurrent clients for D seconds
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
	case "http":
		return runBenchHTTP(ctx, e, args[1:])
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
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the import (not of the plain load) to this file")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	dir, db, done, err := benchStore(ctx, e, &cfg)
	if err != nil {
		return err
	}
	defer done()
	var profile io.Writer
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench import: %w", err)
		}
		defer f.Close()
		profile = f
	}
	res, err := bench.Import(ctx, db, *rows, dir, profile)
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
	_, db, done, err := benchStore(ctx, e, &cfg)
	if err != nil {
		return err
	}
	defer done()
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

func runBenchHTTP(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "bench http", "bench http [--rows N] [--clients C] [--duration D] [--path P] [--db FILE|URL]", &cfg)
	fs.StringVar(&cfg.db, "db", "", "database (default: a new SQLite file in a temporary folder); use an empty PostgreSQL database")
	rows := fs.Int("rows", 1_000_000, "number of registrations to load first (0: use what the database holds)")
	clients := fs.Int("clients", 50, "concurrent clients")
	duration := fs.Duration("duration", 20*time.Second, "how long to send requests")
	maxRequests := fs.Int64("max-requests", 10_000_000, "stop after this many requests")
	paths := fs.String("path", "/", "comma-separated pages each client requests in turn, e.g. /,/kaart")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run (server and clients) to this file")
	hold := fs.Duration("hold", 0, "keep serving this long after the run, printing the cookie, for a load generator such as wrk")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if *clients < 1 || *clients > 1000 || *duration <= 0 || *duration > time.Hour || *hold < 0 || *hold > time.Hour {
		return fmt.Errorf("bench http: --clients 1-1000, --duration and --hold up to an hour")
	}
	_, db, done, err := benchStore(ctx, e, &cfg)
	if err != nil {
		return err
	}
	defer done()
	sys := baken.WithActor(ctx, baken.System("bench"))
	if err := demo.LoadReference(sys, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "bench http: %s\n", db.Dialect())
	if *rows > 0 {
		start := time.Now()
		if err := bench.Load(ctx, db, *rows, e.stdout); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "  loaded %d registrations in %.1f s\n", *rows, time.Since(start).Seconds())
	}
	// A user with a session, as after signing in.
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	u, err := db.CreateUser(sys, baken.User{Name: name, Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{demo.Gemeente}})
	if err != nil {
		return err
	}
	token, err := db.CreateSession(sys, u.ID, store.SessionPolicy{Idle: 30 * time.Minute, Absolute: 10 * time.Hour})
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
	// The server as serve wires it, logging nothing.
	quiet := slog.New(slog.DiscardHandler)
	sessions := server.NewSessions(db, password.NewHasher(1), server.SessionOptions{Logger: quiet})
	w, err := web.New(web.Config{DB: db, Logger: quiet, Categories: tree, Auth: sessions, Location: loc})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(server.New(server.Config{DB: db, Logger: quiet, Mount: []func(*http.ServeMux){w.Routes},
		Middleware: []func(http.Handler) http.Handler{sessions.Middleware}}).Handler())
	defer srv.Close()
	transport := &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients, IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	header := http.Header{"Cookie": {server.SessionCookie + "=" + token}}
	var urls []string
	for _, p := range strings.Split(*paths, ",") {
		urls = append(urls, srv.URL+strings.TrimSpace(p))
	}
	// The first request of each page computes its figures (the cache is cold).
	for _, u := range urls {
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		req.Header = header.Clone()
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("bench http: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("bench http: %s answered %d", u, resp.StatusCode)
		}
		fmt.Fprintf(e.stdout, "  first request %s: %.1f ms\n", strings.TrimPrefix(u, srv.URL), float64(time.Since(start).Microseconds())/1000)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench http: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench http: %w", err)
		}
	}
	res := bench.RunHTTP(ctx, bench.HTTPLoad{Client: client, URLs: urls, Header: header, Clients: *clients,
		Duration: *duration, MaxRequests: *maxRequests})
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	res.Print(e.stdout)
	if *hold > 0 {
		fmt.Fprintf(e.stdout, "  serving on %s for %v; cookie: %s=%s\n", srv.URL, *hold, server.SessionCookie, token)
		select {
		case <-time.After(*hold):
		case <-ctx.Done():
		}
	}
	if res.Errors > 0 {
		return fmt.Errorf("bench http: %d errors", res.Errors)
	}
	return nil
}

// benchStore opens the workload's database (a new SQLite file in a temporary folder unless
// --db names one) and a scratch folder; done closes and removes them.
func benchStore(ctx context.Context, e env, cfg *config) (string, *store.DB, func(), error) {
	dir, err := os.MkdirTemp("", "baken-bench-")
	if err != nil {
		return "", nil, nil, fmt.Errorf("bench: %w", err)
	}
	if cfg.db == "" {
		cfg.db = filepath.Join(dir, "bench.db")
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, nil, err
	}
	return dir, db, func() { db.Close(); os.RemoveAll(dir) }, nil
}
