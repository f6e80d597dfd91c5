package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"baken/internal/api"
	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/password"
	"baken/internal/reference"
	"baken/internal/server"
	"baken/internal/store"
	"baken/internal/web"
)

func runServe(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "serve", "serve [--addr host:port] [--db FILE|URL] [--base-map pdok|URL]", &cfg, "db", "addr", "base-map", "upload-dir", "upload-retention")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	logger := cfg.logger(e.stderr)
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	return serve(ctx, e, cfg, db, logger)
}

func serve(ctx context.Context, e env, cfg config, db *store.DB, logger *slog.Logger) error {
	tree, err := reference.InForce(baken.WithActor(ctx, baken.System("serve")), db)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	a := api.New(api.Config{DB: db, Logger: logger, Categories: tree, Authenticate: server.BearerAuth(db), Location: loc})
	// At most four password hashes at once: 19 MiB each.
	sessions := server.NewSessions(db, password.NewHasher(4), server.SessionOptions{Logger: logger})
	w, err := web.New(web.Config{DB: db, Logger: logger, Categories: tree, Auth: sessions, Location: loc, BaseMap: cfg.baseMap, UploadDir: cfg.uploadDir})
	if err != nil {
		return err
	}
	// Imports left running by a process that stopped are marked before the first page
	// shows them; the rest of the housekeeping runs beside the server.
	sys := baken.WithActor(ctx, baken.System("serve"))
	interruptStaleImports(sys, db, logger)
	hctx, stopHousekeeping := context.WithCancel(sys)
	housekeepingDone := make(chan struct{})
	go func() {
		defer close(housekeepingDone)
		housekeep(hctx, db, w, logger, cfg.retention)
	}()
	defer func() {
		stopHousekeeping()
		<-housekeepingDone
	}()
	var imageOrigins []string
	if o := web.BaseMapOrigin(cfg.baseMap); o != "" {
		imageOrigins = append(imageOrigins, o)
	}
	srv := server.New(server.Config{Addr: cfg.addr, DB: db, Logger: logger, ImageOrigins: imageOrigins,
		Mount:      []func(*http.ServeMux){a.Routes, w.Routes},
		Middleware: []func(http.Handler) http.Handler{sessions.Middleware}})
	return srv.ListenAndServe(ctx, func(addr net.Addr) {
		logger.Info("listening", "addr", addr.String(), "database", db.Dialect())
		fmt.Fprintf(e.stdout, "Baken luistert op / listens on http://%s/\n", addr)
	})
}

// Housekeeping intervals: imports are checked well within their lease, uploads hourly.
const (
	importCheckEvery = time.Minute
	uploadCheckEvery = time.Hour
)

// housekeep marks stopped imports interrupted and removes expired uploads until ctx
// ends. retention 0 keeps uploads.
func housekeep(ctx context.Context, db *store.DB, w *web.Web, logger *slog.Logger, retention time.Duration) {
	imports := time.NewTicker(importCheckEvery)
	defer imports.Stop()
	uploads := time.NewTicker(uploadCheckEvery)
	defer uploads.Stop()
	removeExpiredUploads(ctx, w, logger, retention)
	for {
		select {
		case <-ctx.Done():
			return
		case <-imports.C:
			interruptStaleImports(ctx, db, logger)
		case <-uploads.C:
			removeExpiredUploads(ctx, w, logger, retention)
		}
	}
}

// interruptStaleImports marks the imports whose process stopped (store.ImportLease) and
// logs them; a failure is logged and tried again on the next tick.
func interruptStaleImports(ctx context.Context, db *store.DB, logger *slog.Logger) {
	bs, err := db.InterruptStaleImportBatches(ctx, store.ImportLease)
	if err != nil {
		if ctx.Err() == nil {
			logger.Error("mark interrupted imports", "err", err)
		}
		return
	}
	for _, b := range bs {
		logger.Warn("import interrupted", "batch", b.ID, "kind", b.Kind, "source", b.Source, "file", b.FileName,
			"lines_done", b.LinesDone, "last_heartbeat", b.HeartbeatAt.Time.Format(time.RFC3339))
	}
}

// removeExpiredUploads removes the uploads unused for longer than retention (0: none);
// the web application logs what it removed.
func removeExpiredUploads(ctx context.Context, w *web.Web, logger *slog.Logger, retention time.Duration) {
	if retention <= 0 {
		return
	}
	if _, err := w.RemoveExpiredUploads(ctx, retention); err != nil && ctx.Err() == nil {
		logger.Error("remove expired uploads", "err", err)
	}
}

func runDemo(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "demo", "demo [--addr host:port] [--db FILE|URL] [--base-map pdok|URL]", &cfg, "base-map", "upload-dir", "upload-retention")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on (the demo's accounts are public: keep it on loopback)")
	fs.StringVar(&cfg.db, "db", "", "database to load the demo into (default: a new SQLite file in a temporary folder)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	logger := cfg.logger(e.stderr)
	if host, _, _ := net.SplitHostPort(cfg.addr); !isLoopback(host) {
		fmt.Fprintf(e.stderr, "Let op / warning: the demo's accounts and tokens are public; %s is reachable from outside this machine.\n", cfg.addr)
	}
	if cfg.db == "" {
		dir, err := os.MkdirTemp("", "baken-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		cfg.db = filepath.Join(dir, "baken.db")
	}
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "Demo-gemeente Diemen (%s) laden in %s ...\n", demo.Gemeente, cfg.db)
	sys := baken.WithActor(ctx, baken.System("demo"))
	if err := demo.LoadReference(sys, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Gebieden en inwoners geladen (%s).\n", demo.Credit)
	n, err := demo.LoadRegistrations(sys, db, demo.DefaultSeed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d gegenereerde registraties 2019-2025 geladen (bron %q; geen echte meldingen).\n", n, demo.Source)
	if err := demo.LoadProgramme(sys, db); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Meerjarenbeleidsplan 2023-2026 en jaarprogramma 2024 geladen.")
	accounts, err := demo.LoadAccounts(sys, db)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Demo-accounts (alleen voor deze demo) / demo accounts:")
	for _, a := range accounts {
		fmt.Fprintf(e.stdout, "  %-16s %-22s API-token %s\n", a.Name, a.Role, a.Token)
	}
	fmt.Fprintf(e.stdout, "Wachtwoord van elk demo-account / password of every demo account: %s\n", demo.Password)
	return serve(ctx, e, cfg, db, logger)
}

func runMigrate(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "migrate", "migrate [--db FILE|URL]", &cfg, "db")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	logger := cfg.logger(e.stderr)
	// Opening a store applies pending migrations.
	db, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.AppliedMigrations(baken.WithActor(ctx, baken.System("migrate")))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d migrations applied, the last %s\n", db.Dialect(), len(applied), applied[len(applied)-1])
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
