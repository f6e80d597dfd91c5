package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baken/internal/store/pgtest"
)

var pgsrv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pgsrv)) }

func noenv(string) string { return "" }

// sharedData returns the path of a file in ../shared/data, which lies beside the repo.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		if pgtest.InCI() {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data missing: %v", err)
	}
	return p
}

// startServe runs "baken ARGS" until the test ends and returns the address it serves on.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, noenv, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	addrRE := regexp.MustCompile(`http://(\S+)/`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1]
		}
	}
	t.Fatalf("server printed no address")
	return ""
}

func TestServeHealthz(t *testing.T) {
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "baken.db")}
	if s := pgtest.Require(t, pgsrv); s != nil {
		dbs["postgres"] = s.NewDatabase(t)
	}
	for name, db := range dbs {
		t.Run(name, func(t *testing.T) {
			addr := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db)
			client := &http.Client{Timeout: 10 * time.Second}
			resp, err := client.Get("http://" + addr + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"status":"ok"`)) || !bytes.Contains(body, []byte(name)) {
				t.Errorf("GET /healthz = %d %s", resp.StatusCode, body)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
		})
	}
}

func TestConfigFromEnvAndFlags(t *testing.T) {
	dir := t.TempDir()
	envDB := filepath.Join(dir, "env.db")
	getenv := func(k string) string {
		if k == "BAKEN_DB" {
			return envDB
		}
		return ""
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("migrate with BAKEN_DB: %v", err)
	}
	if _, err := os.Stat(envDB); err != nil {
		t.Errorf("BAKEN_DB not used: %v", err)
	}
	flagDB := filepath.Join(dir, "flag.db")
	if err := run(context.Background(), []string{"migrate", "--db", flagDB}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("migrate with --db: %v", err)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("--db does not win over BAKEN_DB: %v", err)
	}
	err := run(context.Background(), []string{"serve", "--addr", "nonsense"}, getenv, nil, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("bad --addr: err = %v, want a message naming --addr", err)
	}
}

func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, noenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("help does not mention %s", c.name)
		}
	}
	var usage bytes.Buffer
	err := run(context.Background(), []string{"import", "areas", "-h"}, noenv, nil, io.Discard, &usage)
	if err == nil || !strings.Contains(usage.String(), "--crs") {
		t.Errorf("import areas -h: err = %v, usage = %q", err, usage.String())
	}
}

func TestImportAreasAndPopulation(t *testing.T) {
	db := filepath.Join(t.TempDir(), "baken.db")
	var out bytes.Buffer
	args := [][]string{
		{"import", "areas", "--db", db, sharedData(t, "cbs-diemen-wijkbuurt-2024/diemen_buurten_2024_rd.geojson")},
		{"import", "areas", "--db", db, sharedData(t, "cbs-diemen-wijkbuurt-2024/diemen_wijken_2024_wgs84.geojson")},
		{"import", "population", "--db", db, sharedData(t, "cbs-kwb-2024-gm-wk/kwb2024_gm_wk.csv")},
	}
	for _, a := range args {
		if err := run(context.Background(), a, noenv, nil, &out, io.Discard); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
	}
	for _, want := range []string{"37 buurten", "8 wijken", "population of 3735 areas"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
