// Package pgtest starts a real, throwaway PostgreSQL server for tests and hands out fresh,
// migrated databases. It uses the server named by BAKEN_TEST_POSTGRES when set (the test
// script starts one for the whole run), else it runs initdb and pg_ctl itself on a Unix
// socket in a temporary folder, as the unprivileged user "nobody" when running as root.
// With CI=true a server that cannot be started fails the tests; elsewhere they are skipped
// with the reason.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"baken/internal/store"
	"baken/internal/store/postgres"
)

// EnvURL names the variable with the URL of an already running server (database "postgres").
const EnvURL = "BAKEN_TEST_POSTGRES"

// Server is a PostgreSQL server for one test binary.
type Server struct {
	url   *url.URL // connection to the maintenance database
	dir   string   // set when this process started the server
	bin   string
	owner string

	once     sync.Once
	template string
	tmplErr  error
	seq      atomic.Int64
	prefix   string

	// A lazy Server (made by Main) starts the real one on first use.
	lazy    bool
	startMu sync.Mutex
	started *Server
	err     error
}

// Start returns a running server: the one in BAKEN_TEST_POSTGRES, or a new one.
func Start(ctx context.Context) (*Server, error) {
	prefix := fmt.Sprintf("t%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000)
	if raw := os.Getenv(EnvURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvURL, err)
		}
		return &Server{url: u, prefix: prefix}, nil
	}
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "baken-pg-")
	if err != nil {
		return nil, fmt.Errorf("postgres temp dir: %w", err)
	}
	s := &Server{dir: dir, bin: bin, prefix: prefix}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("nobody")
		if err != nil {
			return nil, fmt.Errorf("postgres as root needs the user nobody: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, fmt.Errorf("chown postgres dir: %w", err)
		}
		s.owner = "nobody"
	}
	if out, err := s.run(ctx, "initdb", "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "baken", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	opts := fmt.Sprintf("-k %s -h '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir)
	if out, err := s.run(ctx, "pg_ctl", "-D", filepath.Join(dir, "data"), "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	s.url = &url.URL{Scheme: "postgres", User: url.User("baken"), Path: "/postgres", RawQuery: "host=" + url.QueryEscape(dir)}
	return s, nil
}

// binDir finds the PostgreSQL server binaries: on the PATH, or in Debian's folder.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/test-deps or install Debian's postgresql")
}

func (s *Server) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	prog := filepath.Join(s.bin, name)
	var cmd *exec.Cmd
	if s.owner != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", s.owner, "--", prog}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, prog, args...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

// Stop stops a server this process started and removes its files.
func (s *Server) Stop() error {
	if s == nil || s.dir == "" {
		return nil
	}
	out, err := s.run(context.Background(), "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(s.dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// URL returns the connection URL for database name.
func (s *Server) URL(name string) string {
	u := *s.url
	u.Path = "/" + name
	return u.String()
}

func (s *Server) admin(ctx context.Context, stmt string) error {
	db, err := sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// NewDatabase creates a fresh, migrated database for one test, drops it when the test
// ends, and returns its URL. Databases are copied from a template migrated once per server,
// so each costs little.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	s.once.Do(func() {
		s.template = s.prefix + "_template"
		if err := s.admin(ctx, "CREATE DATABASE "+s.template); err != nil {
			s.tmplErr = fmt.Errorf("create template: %w", err)
			return
		}
		db, err := postgres.Open(ctx, s.URL(s.template), store.Options{})
		if err != nil {
			s.tmplErr = fmt.Errorf("migrate template: %w", err)
			return
		}
		s.tmplErr = db.Close()
	})
	if s.tmplErr != nil {
		tb.Fatalf("postgres template: %v", s.tmplErr)
	}
	name := fmt.Sprintf("%s_%d", s.prefix, s.seq.Add(1))
	if err := s.admin(ctx, "CREATE DATABASE "+name+" TEMPLATE "+s.template); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := s.admin(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v", name, err)
		}
	})
	return s.URL(name)
}

// NewDB opens a fresh, migrated database for one test (see NewDatabase).
func (s *Server) NewDB(tb testing.TB, opts store.Options) *store.DB {
	tb.Helper()
	url := s.NewDatabase(tb)
	db, err := postgres.Open(context.Background(), url, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", url, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Main runs a test binary's tests with *srv set to a server that starts on first use
// (Require), so that a run that needs no PostgreSQL starts none, and stops it afterwards.
// Use it in TestMain: os.Exit(pgtest.Main(m, &srv)).
func Main(m *testing.M, srv **Server) int {
	lazy := &Server{lazy: true}
	*srv = lazy
	code := m.Run()
	if err := lazy.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
	return code
}

// stop stops the server a lazy Server started, if any.
func (s *Server) stop() error {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started == nil {
		return nil
	}
	return s.started.Stop()
}

// ensure starts the server behind a lazy Server once.
func (s *Server) ensure() (*Server, error) {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started == nil && s.err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		s.started, s.err = Start(ctx)
		cancel()
	}
	return s.started, s.err
}

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

// Require returns srv, or ends the test: a failure in CI, a skip with the reason elsewhere.
func Require(tb testing.TB, srv *Server) *Server {
	tb.Helper()
	reason := errors.New("pgtest.Main was not called")
	if srv != nil {
		if !srv.lazy {
			return srv
		}
		started, err := srv.ensure()
		if err == nil {
			return started
		}
		reason = err
	}
	if InCI() {
		tb.Fatalf("PostgreSQL is required in CI: %v", reason)
	}
	tb.Skipf("PostgreSQL not available (%v); with CI=true this fails", reason)
	return nil
}
