package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"baken/internal/baken"
	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/postgres"
	"baken/internal/store/sqlite"
)

// buildBaken compiles the command once per test into a temporary folder.
func buildBaken(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "baken")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeRows writes n registrations without source ids, a tenth of them exact copies of
// an earlier row (distinct events that must all be kept).
func writeRows(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	path := filepath.Join(t.TempDir(), "rows.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "occurred_at,category,lat,lon,omschrijving")
	cats := []string{"overlast-jeugd", "zwerfvuil", "verward-gedrag", "woninginbraak"}
	var rows []string
	for i := range n {
		var row string
		if i > 10 && rng.IntN(10) == 0 {
			row = rows[rng.IntN(len(rows))]
		} else {
			row = fmt.Sprintf("2024-%02d-%02d %02d:%02d,%s,%.5f,%.5f,rij %d", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60),
				cats[rng.IntN(len(cats))], 52.33+rng.Float64()*0.03, 4.94+rng.Float64()*0.07, i)
		}
		rows = append(rows, row)
		fmt.Fprintln(w, row)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

var progressRE = regexp.MustCompile(`progress lines=(\d+)`)

// importUntil runs the import and kills it with SIGKILL once it has committed past
// line `at`. It reports whether the kill came before the import finished.
func importUntil(t *testing.T, bin, db, file string, at int) bool {
	t.Helper()
	cmd := exec.Command(bin, "import", "registrations", "--db", db, "--source", "gen", "--chunk", "500",
		"--progress", "lines", "--log-level", "warn", "--rejects", file+".rejects", file)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		m := progressRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n >= at && !killed {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed && err != nil {
		t.Fatalf("import failed: %v", err)
	}
	return killed
}

// Killing the import at any moment and running it again ends with exactly the full set:
// nothing lost, nothing doubled.
func TestImportKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 30,000 rows several times")
	}
	bin := buildBaken(t)
	const n = 30000
	file := writeRows(t, n)
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "baken.db")}
	if s := pgtest.Require(t, pgsrv); s != nil {
		dbs["postgres"] = s.NewDatabase(t)
	}
	for name, dsn := range dbs {
		t.Run(name, func(t *testing.T) {
			kills := 0
			for _, at := range []int{1500, 9000, 21000} {
				if importUntil(t, bin, dsn, file, at) {
					kills++
				}
			}
			if kills == 0 {
				t.Errorf("the import was never killed; the test proves nothing")
			}
			out, err := exec.Command(bin, "import", "registrations", "--db", dsn, "--source", "gen", "--chunk", "500",
				"--progress", "none", "--log-level", "warn", "--rejects", file+".rejects", file).CombinedOutput()
			if err != nil {
				t.Fatalf("final import: %v\n%s", err, out)
			}
			t.Logf("after %d kills, the final run says: %s", kills, strings.TrimSpace(string(out)))
			if !strings.Contains(string(out), fmt.Sprintf("%d rows read", n)) {
				t.Errorf("final run output: %s", out)
			}
			var db *store.DB
			if name == "sqlite" {
				db, err = sqlite.Open(context.Background(), dsn, store.Options{})
			} else {
				db, err = postgres.Open(context.Background(), dsn, store.Options{})
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := baken.WithActor(context.Background(), baken.System("test"))
			_, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{Outside: true})
			if err != nil {
				t.Fatal(err)
			}
			if total != n {
				t.Errorf("stored %d registrations, want exactly %d", total, n)
			}
			diffs, err := db.CheckRollups(ctx)
			if err != nil || len(diffs) > 0 {
				t.Errorf("rollups differ from a recount: %v %v", diffs, err)
			}
		})
	}
}
