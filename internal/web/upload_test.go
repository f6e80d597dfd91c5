package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

type uploadSite struct {
	h   http.Handler
	db  *store.DB
	dir string
}

// newUploadSite is a site with Diemen's areas and no registrations, keeping uploads in
// a folder of the test.
func newUploadSite(t *testing.T) uploadSite {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := demo.LoadReference(baken.WithActor(context.Background(), baken.System("test")), db); err != nil {
		t.Fatal(err)
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	dir := t.TempDir()
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: ams, UploadDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	return uploadSite{h: withActor(mux), db: db, dir: dir}
}

func do(t *testing.T, h http.Handler, req *http.Request, role string) (*http.Response, string) {
	t.Helper()
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

// postUpload sends the upload form; an empty name sends no file.
func postUpload(t *testing.T, h http.Handler, role, name string, content []byte, fields map[string]string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("bestand", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/importeren", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(t, h, req, role)
}

func postForm(t *testing.T, h http.Handler, path, role string, v url.Values) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, h, req, role)
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var uploadIDRE = regexp.MustCompile(`^/importeren/([A-Z2-7]{26})$`)

// upload sends a file and returns the upload's id.
func upload(t *testing.T, s uploadSite, role, name string, content []byte, profile string) string {
	t.Helper()
	resp, body := postUpload(t, s.h, role, name, content, map[string]string{"bron": "test-" + profile, "profiel": profile})
	m := uploadIDRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("upload %s = %d %q\n%s", name, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return m[1]
}

var (
	columnSelectRE = regexp.MustCompile(`(?s)<select id="kolom-(\d+)"[^>]*>(.*?)</select>`)
	selectedRE     = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// mapping returns the preselected field of every column on the preview page, as the
// check form sends it.
func mapping(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range columnSelectRE.FindAllStringSubmatch(body, -1) {
		sel := selectedRE.FindStringSubmatch(m[2])
		if sel == nil {
			t.Fatalf("column %s has nothing selected", m[1])
		}
		v.Set("kolom-"+m[1], sel[1])
	}
	return v
}

// waitDone polls the status page until the import has ended.
func waitDone(t *testing.T, s uploadSite, id, role string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body := get(t, s.h, "/importeren/"+id+"/status", role)
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d\n%s", resp.StatusCode, body)
		}
		if !strings.Contains(body, `http-equiv="refresh"`) {
			checkPage(t, "status", body)
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not end in time:\n%s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUploadPoliceFile(t *testing.T) {
	s := newUploadSite(t)
	const role = "analist"
	if _, body := get(t, s.h, "/importeren", role); !strings.Contains(body, `href="/importeren" aria-current="page"`) || !strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Errorf("the form or its navigation item is missing:\n%s", body)
	} else {
		checkPage(t, "/importeren", body)
	}
	id := upload(t, s, role, "politie.csv", testdata(t, "politie.csv"), "politie")
	for _, f := range []string{id + ".csv", id + ".json"} {
		if _, err := os.Stat(filepath.Join(s.dir, f)); err != nil {
			t.Errorf("upload folder: %v", err)
		}
	}
	resp, body := get(t, s.h, "/importeren/"+id, role)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, body)
	}
	checkPage(t, "preview", body)
	for _, want := range []string{`<th scope="col">Registratienummer</th>`, "<td>PL1300-2024004</td>", "politie.csv", "Voorgesteld door het profiel Politie."} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	form := mapping(t, body)
	want := url.Values{"kolom-0": {"source_id"}, "kolom-1": {"date"}, "kolom-2": {"time"}, "kolom-3": {"category"},
		"kolom-4": {"x"}, "kolom-5": {"y"}, "kolom-6": {"description"}}
	if diff := cmp.Diff(want, form); diff != "" {
		t.Errorf("preselected mapping mismatch (-want +got):\n%s", diff)
	}

	// Without the category column and without a fixed category the importer objects.
	noCat := url.Values{}
	for k, v := range form {
		noCat[k] = v
	}
	noCat.Set("kolom-3", "-")
	resp, body = postForm(t, s.h, "/importeren/"+id+"/controle", role, noCat)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "no column for the category") || strings.Contains(body, s.dir) {
		t.Errorf("check without category = %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := postForm(t, s.h, "/importeren/"+id+"/start", role, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("start after a failed check = %d, want 400", resp.StatusCode)
	}

	resp, body = postForm(t, s.h, "/importeren/"+id+"/controle", role, form)
	if resp.StatusCode != 200 {
		t.Fatalf("check = %d\n%s", resp.StatusCode, body)
	}
	checkPage(t, "check", body)
	if !strings.Contains(body, "<dt>Regels gelezen</dt><dd>4</dd>") || !strings.Contains(body, "<dt>Worden opgeslagen</dt><dd>4</dd>") {
		t.Errorf("check report:\n%s", body)
	}
	if n := total(t, s.db, store.RegistrationFilter{}); n != 0 {
		t.Fatalf("the check stored %d registrations", n)
	}

	// Another user does not find the upload; a councillor may not import at all.
	for _, path := range []string{"/importeren/" + id, "/importeren/" + id + "/status"} {
		if resp, _ := get(t, s.h, path, "boa"); resp.StatusCode != 404 {
			t.Errorf("GET %s by another user = %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := postForm(t, s.h, "/importeren/"+id+"/start", "boa", nil); resp.StatusCode != 404 {
		t.Errorf("start by another user = %d, want 404", resp.StatusCode)
	}

	resp, body = postForm(t, s.h, "/importeren/"+id+"/start", role, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/importeren/"+id+"/status" {
		t.Fatalf("start = %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	body = waitDone(t, s, id, role)
	if !strings.Contains(body, "De import is klaar.") || !strings.Contains(body, "<dt>Nieuw opgeslagen</dt><dd>4</dd>") {
		t.Errorf("status when done:\n%s", body)
	}
	if strings.Contains(body, "afgekeurd.csv") {
		t.Errorf("a reject link without rejects")
	}
	regs, n, err := s.db.FindRegistrations(as(baken.RolePolicy), store.RegistrationFilter{Gemeenten: []string{"GM0384"}, Sources: []string{"test-politie"}})
	if err != nil || n != 4 {
		t.Fatalf("stored %d registrations, %v", n, err)
	}
	if regs[0].SourceID == "" || !strings.HasPrefix(regs[0].Buurt, "BU0384") {
		t.Errorf("stored %+v", regs[0])
	}
	// A second start does nothing; the preview now leads to the status.
	if resp, _ := postForm(t, s.h, "/importeren/"+id+"/start", role, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("second start = %d", resp.StatusCode)
	}
	if resp, _ := get(t, s.h, "/importeren/"+id, role); resp.Header.Get("Location") != "/importeren/"+id+"/status" {
		t.Errorf("preview after start = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get(t, s.h, "/importeren/"+id+"/status", "beheerder"); resp.StatusCode != 200 {
		t.Errorf("status for the beheerder = %d", resp.StatusCode)
	}
}

func TestUploadWithErrors(t *testing.T) {
	s := newUploadSite(t)
	const role = "teamleider-handhaving"
	id := upload(t, s, role, "meldingen maart.csv", testdata(t, "bad.csv"), "generic")
	_, body := get(t, s.h, "/importeren/"+id, role)
	resp, body := postForm(t, s.h, "/importeren/"+id+"/controle", role, mapping(t, body))
	if resp.StatusCode != 200 {
		t.Fatalf("check = %d\n%s", resp.StatusCode, body)
	}
	checkPage(t, "check", body)
	for _, want := range []string{"<dt>Regels gelezen</dt><dd>10</dd>", "<dt>Afgekeurd</dt><dd>9</dd>",
		"<code>meldingen maart.csv:2:1: date: &#34;2024-13-01&#34; is not a date",
		"<code>meldingen maart.csv:10: location: no location"} {
		if !strings.Contains(body, want) {
			t.Errorf("check report lacks %q", want)
		}
	}
	if strings.Contains(body, s.dir) || strings.Contains(body, id+".csv") {
		t.Errorf("the report shows the server's path:\n%s", body)
	}
	if resp, _ = postForm(t, s.h, "/importeren/"+id+"/start", role, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", resp.StatusCode)
	}
	body = waitDone(t, s, id, role)
	if !strings.Contains(body, "<dt>Afgekeurd</dt><dd>9</dd>") || !strings.Contains(body, `href="/importeren/`+id+`/afgekeurd.csv"`) {
		t.Errorf("status:\n%s", body)
	}
	rejects := "/importeren/" + id + "/afgekeurd.csv"
	resp, body = get(t, s.h, rejects, role)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "meldingen maart-afgekeurd.csv") {
		t.Fatalf("GET %s = %d %v", rejects, resp.StatusCode, resp.Header)
	}
	cr := csv.NewReader(strings.NewReader(body))
	cr.FieldsPerRecord = -1 // a short row is rejected as it was
	rows, err := cr.ReadAll()
	if err != nil || len(rows) != 10 || rows[0][0] != "line" || rows[1][2] != "date" {
		t.Errorf("reject file = %v, %v", rows, err)
	}
	if resp, _ := get(t, s.h, rejects, "analist"); resp.StatusCode != 404 {
		t.Errorf("reject file for another user = %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, s.h, rejects, "beheerder"); resp.StatusCode != 200 {
		t.Errorf("reject file for the beheerder = %d, want 200", resp.StatusCode)
	}
}

func TestUploadRefusals(t *testing.T) {
	s := newUploadSite(t)
	politie := testdata(t, "politie.csv")
	ok := map[string]string{"bron": "politie", "profiel": "politie"}
	t.Run("councillor", func(t *testing.T) {
		if resp, _ := get(t, s.h, "/importeren", "raadslid"); resp.StatusCode != 403 {
			t.Errorf("GET /importeren = %d, want 403", resp.StatusCode)
		}
		if resp, _ := postUpload(t, s.h, "raadslid", "politie.csv", politie, ok); resp.StatusCode != 403 {
			t.Errorf("POST /importeren = %d, want 403", resp.StatusCode)
		}
		if _, body := get(t, s.h, "/", "raadslid"); strings.Contains(body, `href="/importeren"`) {
			t.Errorf("the councillor sees the import link")
		}
		if resp, _ := get(t, s.h, "/importeren", ""); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("without a session = %d, want 303", resp.StatusCode)
		}
	})
	tests := []struct {
		name, file string
		content    []byte
		fields     map[string]string
		status     int
		want       string
	}{
		{"no file", "", nil, ok, 400, "Kies een bestand dat niet leeg is."},
		{"empty file", "leeg.csv", nil, ok, 400, "Kies een bestand dat niet leeg is."},
		{"no source", "politie.csv", politie, map[string]string{"profiel": "politie"}, 400, "Geef de naam van de bron"},
		{"unknown profile", "politie.csv", politie, map[string]string{"bron": "x", "profiel": "kgb"}, 400, "Kies een van de profielen."},
		{"not CSV", "overzicht.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00binary"), ok, 400, "overzicht.xlsx: not a CSV text file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := postUpload(t, s.h, "analist", tt.file, tt.content, tt.fields)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("POST = %d, want %d with %q\n%s", resp.StatusCode, tt.status, tt.want, body)
			}
			checkPage(t, tt.name, body)
		})
	}
	t.Run("too large", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("bron", "x")
		mw.Close()
		req := httptest.NewRequest("POST", "/importeren", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.ContentLength = 300 << 20
		resp, body := do(t, s.h, req, "analist")
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "groter dan toegestaan") || !strings.Contains(body, "hoogstens 200 MiB") {
			t.Errorf("POST = %d\n%s", resp.StatusCode, body)
		}
	})
	if entries, _ := os.ReadDir(s.dir); len(entries) != 0 {
		t.Errorf("refused uploads left files: %v", entries)
	}
	t.Run("mapping", func(t *testing.T) {
		id := upload(t, s, "analist", "politie.csv", politie, "politie")
		_, body := get(t, s.h, "/importeren/"+id, "analist")
		form := mapping(t, body)
		for _, tt := range []struct {
			name, key, value, want string
		}{
			{"unknown field", "kolom-0", "geheim", "Kies een van de velden."},
			{"field twice", "kolom-1", "source_id", "Dit veld is al aan een andere kolom gekoppeld."},
			{"unknown category", "categorie", "vliegende-schotels", "Kies een bestaande categorie."},
		} {
			v := url.Values{}
			for k, vs := range form {
				v[k] = vs
			}
			v.Set(tt.key, tt.value)
			resp, body := postForm(t, s.h, "/importeren/"+id+"/controle", "analist", v)
			if resp.StatusCode != 400 || !strings.Contains(body, tt.want) {
				t.Errorf("%s: check = %d, want 400 with %q", tt.name, resp.StatusCode, tt.want)
			}
			checkPage(t, tt.name, body)
		}
	})
	for _, path := range []string{"/importeren/..%2Fb", "/importeren/AAAAAAAAAAAAAAAAAAAAAAAAAA", "/importeren/AAAAAAAAAAAAAAAAAAAAAAAAAA/status"} {
		if resp, _ := get(t, s.h, path, "analist"); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}
