package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

// testClock is a clock the test moves; the store, the pages and the imports they start
// read it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type clockedUploadSite struct {
	uploadSite
	w     *web.Web
	clock *testClock
	log   *bytes.Buffer
}

// newClockedUploadSite is newUploadSite with one clock for the store and the pages, and
// the log in a buffer.
func newClockedUploadSite(t *testing.T) clockedUploadSite {
	t.Helper()
	clock := &testClock{t: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := demo.LoadReference(systemCtx(), db); err != nil {
		t.Fatal(err)
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	dir := t.TempDir()
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: amsterdamTZ(t), UploadDir: dir, Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &log}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	return clockedUploadSite{uploadSite: uploadSite{h: withActor(mux), db: db, dir: dir}, w: w, clock: clock, log: &log}
}

// syncWriter lets the imports' goroutines log into one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// checkedUpload uploads the police test file and checks it, ready to start.
func checkedUpload(t *testing.T, s uploadSite, role string) string {
	t.Helper()
	id := upload(t, s, role, "politie.csv", testdata(t, "politie.csv"), "politie")
	_, body := get(t, s.h, "/importeren/"+id, role)
	if resp, body := postForm(t, s.h, "/importeren/"+id+"/controle", role, mapping(t, body)); resp.StatusCode != 200 {
		t.Fatalf("check = %d\n%s", resp.StatusCode, body)
	}
	return id
}

// startedByStoppedServer makes an upload look like one whose import a server started
// and then stopped with: the record says started, the store has a running batch of the
// upload's file, and there is no result.
func startedByStoppedServer(t *testing.T, s clockedUploadSite, id string, role baken.Role) {
	t.Helper()
	meta := filepath.Join(s.dir, id+".json")
	b, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	rec["started"] = s.clock.Now()
	if b, err = json.Marshal(rec); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(meta, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, id+".started"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.db.StartImportBatch(as(role), store.ImportBatch{ID: "batch-" + id, Kind: "registrations", Source: "test-politie",
		FileName: id + ".csv", FileHash: "stopped"}); err != nil {
		t.Fatal(err)
	}
}

// TestUploadInterruptedAndResumed: an import whose server stopped shows as running until
// its lease runs out and serve marks it; then the status page says it was interrupted and
// what to do, and the uploader resumes it.
func TestUploadInterruptedAndResumed(t *testing.T) {
	s := newClockedUploadSite(t)
	const role = "analist"
	id := checkedUpload(t, s.uploadSite, role)
	startedByStoppedServer(t, s, id, baken.RoleAnalyst)
	status := "/importeren/" + id + "/status"
	if _, body := get(t, s.h, status, role); !strings.Contains(body, `http-equiv="refresh"`) || strings.Contains(body, "onderbroken") {
		t.Errorf("within the lease the import shows as running:\n%s", body)
	}

	s.clock.Add(store.ImportLease + time.Second)
	marked, err := s.db.InterruptStaleImportBatches(systemCtx(), store.ImportLease)
	if err != nil || len(marked) != 1 {
		t.Fatalf("marked %+v, %v", marked, err)
	}
	resp, body := get(t, s.h, status, role)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	checkPage(t, status, body)
	for _, want := range []string{"De import is onderbroken", "gaat verder na regel 0", `action="/importeren/` + id + `/hervatten"`, "Import hervatten"} {
		if !strings.Contains(body, want) {
			t.Errorf("the status of an interrupted import lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `http-equiv="refresh"`) || strings.Contains(body, "De import loopt") {
		t.Errorf("an interrupted import shows as running")
	}
	if _, en := get(t, s.h, status+"?taal=en", role); !strings.Contains(en, "The import was interrupted") || !strings.Contains(en, "Resume the import") {
		t.Errorf("English status lacks the interruption:\n%s", en)
	}
	// The beheerder reads the status but cannot resume another's upload; another
	// importer does not find it.
	if _, body := get(t, s.h, status, "beheerder"); !strings.Contains(body, "onderbroken") || strings.Contains(body, "/hervatten") {
		t.Errorf("the beheerder's status:\n%s", body)
	}
	if resp, _ := postForm(t, s.h, "/importeren/"+id+"/hervatten", "boa", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("resume by another user = %d, want 404", resp.StatusCode)
	}

	s.clock.Add(time.Second)
	resp, _ = postForm(t, s.h, "/importeren/"+id+"/hervatten", role, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != status {
		t.Fatalf("resume = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	body = waitDone(t, s.uploadSite, id, role)
	if !strings.Contains(body, "De import is klaar.") || !strings.Contains(body, "<dt>Nieuw opgeslagen</dt><dd>4</dd>") {
		t.Errorf("status after resuming:\n%s", body)
	}
	if resp, _ := postForm(t, s.h, "/importeren/"+id+"/hervatten", role, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("resuming a finished import = %d, want a redirect to its status", resp.StatusCode)
	}
	if n := total(t, s.db, store.RegistrationFilter{}); n != 4 {
		t.Errorf("stored %d registrations, want 4", n)
	}
}

// TestRemoveExpiredUploads: uploads unused for longer than the retention go, with their
// reject files and locks; recent ones, ones whose import runs, and files not of an
// upload stay.
func TestRemoveExpiredUploads(t *testing.T) {
	s := newClockedUploadSite(t)
	const role = "analist"
	day := 24 * time.Hour
	old := checkedUpload(t, s.uploadSite, role)
	if err := os.WriteFile(filepath.Join(s.dir, old+".rejects.csv"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	running := checkedUpload(t, s.uploadSite, role)
	startedByStoppedServer(t, s, running, baken.RoleAnalyst)
	// An upload cut off before its record was written, and a file that is not ours.
	orphan := filepath.Join(s.dir, "AAAAAAAAAAAAAAAAAAAAAAAAAA.csv")
	foreign := filepath.Join(s.dir, "notes.txt")
	for _, f := range []string{orphan, foreign} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		past := s.clock.Now().Add(-30 * day)
		if err := os.Chtimes(f, past, past); err != nil {
			t.Fatal(err)
		}
	}
	s.clock.Add(6 * day)
	recent := checkedUpload(t, s.uploadSite, role)

	s.clock.Add(2 * day)
	ctx := systemCtx()
	removed, err := s.w.RemoveExpiredUploads(ctx, web.DefaultUploadRetention)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{"AAAAAAAAAAAAAAAAAAAAAAAAAA", old}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v (not the running %s nor the recent %s)", removed, want, running, recent)
	}
	left := dirNames(t, s.dir)
	for _, name := range left {
		if strings.HasPrefix(name, old) {
			t.Errorf("%s is left of the expired upload", name)
		}
	}
	for _, name := range []string{"notes.txt", running + ".csv", running + ".json", recent + ".csv", recent + ".json"} {
		if !slices.Contains(left, name) {
			t.Errorf("%s was removed; left: %v", name, left)
		}
	}
	if log := s.log.String(); !strings.Contains(log, "upload removed") || !strings.Contains(log, "upload="+old) {
		t.Errorf("the removal is not logged:\n%s", log)
	}

	// Once serve has marked the stopped import interrupted, its upload expires a
	// retention after that.
	if _, err := s.db.InterruptStaleImportBatches(ctx, store.ImportLease); err != nil {
		t.Fatal(err)
	}
	if removed, err := s.w.RemoveExpiredUploads(ctx, web.DefaultUploadRetention); err != nil || len(removed) != 0 {
		t.Errorf("just after the interruption, removed %v, %v", removed, err)
	}
	s.clock.Add(web.DefaultUploadRetention + time.Hour)
	removed, err = s.w.RemoveExpiredUploads(ctx, web.DefaultUploadRetention)
	slices.Sort(removed)
	want = []string{recent, running}
	slices.Sort(want)
	if err != nil || !slices.Equal(removed, want) {
		t.Errorf("a retention later, removed %v, %v; want %v", removed, err, want)
	}
	if left := dirNames(t, s.dir); !slices.Equal(left, []string{"notes.txt"}) {
		t.Errorf("left %v, want only notes.txt", left)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
