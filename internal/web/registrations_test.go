package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/export"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/store/storetest"
	"baken/internal/web"
)

// xssText is the free text of the fixture's police registration: it must be shown as text.
const xssText = `<script>alert(1)</script><b>x</b>`

// regSite is a site with registrations to look at: the demo data (unless skipped),
// one police registration in Diemen with an address and HTML in its text, and one in
// Amsterdam (GM0363), which the X-Test-Role users of Diemen must never find.
type regSite struct {
	h         http.Handler
	db        *store.DB
	police    baken.RegistrationID // Diemen, with personal data
	amsterdam baken.RegistrationID
}

func newRegSite(t *testing.T, withDemo bool) regSite {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sys := baken.WithActor(context.Background(), baken.System("test"))
	if err := demo.LoadReference(sys, db); err != nil {
		t.Fatal(err)
	}
	if withDemo {
		if _, err := demo.LoadRegistrations(sys, db, demo.DefaultSeed); err != nil {
			t.Fatal(err)
		}
	}
	police := storetest.Reg("p1", 1)
	police.Buurt, police.Wijk = firstBuurt(t, db)
	police.Description, police.Address, police.BAGID = xssText, "Kerkstraat 1, Diemen", "0384010000000001"
	police.ContentHash = police.Digest()
	other := storetest.Reg("a1", 2)
	other.Gemeente, other.Wijk, other.Buurt = "GM0363", "WK036300", "BU03630000"
	other.ContentHash = other.Digest()
	if _, err := db.ImportChunk(sys, store.ImportChunk{Source: "politie", Rows: []baken.Registration{police, other}}); err != nil {
		t.Fatal(err)
	}
	all, _, err := db.FindRegistrations(sys, store.RegistrationFilter{Sources: []string{"politie"}})
	if err != nil || len(all) != 2 {
		t.Fatalf("fixture: %d registrations, %v", len(all), err)
	}
	s := regSite{db: db}
	for _, r := range all {
		if r.Gemeente == "GM0384" {
			s.police = r.ID
		} else {
			s.amsterdam = r.ID
		}
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: ams})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	s.h = withActor(mux)
	return s
}

// firstBuurt returns a buurt of Diemen and its wijk.
func firstBuurt(t *testing.T, db *store.DB) (buurt, wijk string) {
	t.Helper()
	gm, level := "GM0384", baken.LevelBuurt
	as, err := db.FindAreas(baken.WithActor(context.Background(), baken.System("test")), store.AreaFilter{Gemeente: &gm, Level: &level})
	if err != nil || len(as) == 0 {
		t.Fatalf("no buurten: %v", err)
	}
	return as[0].Code, "WK" + as[0].Code[2:8]
}

// as returns a context with a user of Diemen in role.
func as(role baken.Role) context.Context {
	return baken.WithActor(context.Background(), baken.Actor{UserID: "u-" + string(role), Name: "Test " + string(role),
		Roles: []baken.Role{role}, Gemeenten: []string{"GM0384"}})
}

// accessLog returns the access log of Diemen, newest first.
func accessLog(t *testing.T, db *store.DB) []store.AccessEntry {
	t.Helper()
	es, _, err := db.FindAccessLog(as(baken.RoleAdmin), store.AccessFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// total counts what a Diemen user finds with f.
func total(t *testing.T, db *store.DB, f store.RegistrationFilter) int {
	t.Helper()
	f.Gemeenten = []string{"GM0384"}
	_, n, err := db.FindRegistrations(as(baken.RolePolicy), f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// dutch writes n as the Dutch interface does: 1.234.
func dutch(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

var (
	missingKeyRE = regexp.MustCompile(`\{[a-z]+\.[a-z.]+\}`)
	controlRE    = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idRE         = regexp.MustCompile(`\bid="([^"]+)"`)
	rowLinkRE    = regexp.MustCompile(`href="/registraties/([0-9a-f-]{36})(?:\?lijst=[^"]*)?"`)
)

// checkPage checks what every page must do: no inline style or script (the CSP forbids
// them), no missing catalogue key, a label for every form control, headers in every table.
// scriptRE matches a script element: its attributes and its content.
var scriptRE = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)

func checkPage(t *testing.T, path, body string) {
	t.Helper()
	if k := missingKeyRE.FindString(body); k != "" {
		t.Errorf("GET %s shows a missing catalogue key: %s", path, k)
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<style") {
		t.Errorf("GET %s has inline style, which the CSP forbids", path)
	}
	// A script from a file of the site (htmx) is allowed; one written in the page is not.
	for _, m := range scriptRE.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[1], ` src="/static/`) || m[2] != "" {
			t.Errorf("GET %s has an inline script, which the CSP forbids: %.80s", path, m[0])
		}
	}
	for _, c := range controlRE.FindAllString(body, -1) {
		if strings.Contains(c, `type="hidden"`) {
			continue
		}
		m := idRE.FindStringSubmatch(c)
		if m == nil || !strings.Contains(body, `<label for="`+m[1]+`">`) {
			t.Errorf("GET %s: form control without a label: %s", path, c)
		}
	}
	if n := strings.Count(body, "<table"); n > 0 && strings.Count(body, `<th scope="col">`) == 0 {
		t.Errorf("GET %s: a table without headers", path)
	}
}

func TestRegistrationsList(t *testing.T) {
	s := newRegSite(t, true)
	all := total(t, s.db, store.RegistrationFilter{})
	if all <= 2*50 {
		t.Fatalf("fixture has %d registrations; the paging tests need more than two pages", all)
	}
	pages := (all + 49) / 50
	buurt, wijk := firstBuurt(t, s.db)
	inBuurt := total(t, s.db, store.RegistrationFilter{Buurt: buurt})
	inWijk := total(t, s.db, store.RegistrationFilter{Wijk: wijk})
	jan := total(t, s.db, store.RegistrationFilter{From: "2025-01-01", To: "2025-01-31"})
	if inBuurt == 0 || inWijk <= inBuurt || jan == 0 {
		t.Fatalf("fixture: buurt %d, wijk %d, January %d", inBuurt, inWijk, jan)
	}
	tests := []struct {
		name, path, role string
		status           int
		want             []string
		rows             int // links to registrations; -1 to skip
	}{
		{"first page", "/registraties", "beleidsadviseur", 200, []string{
			"Registraties: Diemen", dutch(all) + " registraties", `<label for="van">`, `type="date"`, `<label for="gebied">`,
			`<th scope="col">Datum en tijd</th>`, `<th scope="col">Buurt</th>`, "gegenereerd", `rel="next"`,
			"Pagina 1 van " + dutch(pages), "/registraties/export?format=csv", "/registraties/export?format=xlsx",
			"Registraties 1 tot en met 50 van " + dutch(all), `aria-current="page"`}, 50},
		{"second page", "/registraties?pagina=2", "beleidsadviseur", 200, []string{`rel="prev"`, `rel="next"`, "Pagina 2 van", "51 tot en met 100"}, 50},
		{"last page", fmt.Sprintf("/registraties?pagina=%d", pages), "beleidsadviseur", 200, []string{`rel="prev"`}, all - 50*(pages-1)},
		{"after the last page", fmt.Sprintf("/registraties?pagina=%d", pages+5), "beleidsadviseur", 200, []string{"Deze pagina bestaat niet", fmt.Sprintf("pagina=%d", pages)}, 0},
		{"by source", "/registraties?bron=politie", "analist", 200, []string{"1 registratie<", "<td>Overlast jeugd</td>", "<td>politie</td>", "?lijst=bron%3dpolitie\""}, 1},
		{"by buurt", "/registraties?gebied=" + buurt, "beleidsadviseur", 200, []string{dutch(inBuurt) + " registraties", `value="` + buurt + `" selected`}, min(inBuurt, 50)},
		{"by wijk", "/registraties?gebied=" + wijk, "beleidsadviseur", 200, []string{dutch(inWijk) + " registraties"}, min(inWijk, 50)},
		{"by period", "/registraties?van=2025-01-01&tot=2025-01-31", "beleidsadviseur", 200, []string{dutch(jan) + " registraties", `value="2025-01-01"`}, min(jan, 50)},
		{"Dutch dates typed by hand", "/registraties?van=1-1-2025&tot=31-01-2025", "beleidsadviseur", 200, []string{dutch(jan) + " registraties", `value="2025-01-31"`}, min(jan, 50)},
		{"category outside the theme", "/registraties?thema=1.3&categorie=zwerfvuil", "beleidsadviseur", 200, []string{"0 registraties", "Geen registraties"}, 0},
		{"in English", "/registraties?taal=en", "beleidsadviseur", 200, []string{"Date and time", dutchEN(all) + " registrations"}, 50},
		{"a wrong date", "/registraties?van=gisteren", "beleidsadviseur", 400, []string{`aria-invalid="true"`, "Vul een datum in", `href="#van"`}, 0},
		{"a period backwards", "/registraties?van=2025-02-01&tot=2025-01-01", "beleidsadviseur", 400, []string{"De einddatum ligt vóór de begindatum"}, 0},
		{"an area of another municipality", "/registraties?gebied=BU03630000", "beleidsadviseur", 400, []string{"Kies een wijk of buurt van deze gemeente"}, 0},
		{"an unknown sort", "/registraties?volgorde=willekeurig", "beleidsadviseur", 400, nil, 0},
		{"a bad page", "/registraties?pagina=nul", "beleidsadviseur", 400, nil, 0},
		{"another municipality", "/registraties?gemeente=GM0363", "beleidsadviseur", 404, nil, -1},
		{"a councillor", "/registraties", "raadslid", 403, nil, -1},
		{"no session", "/registraties", "", 303, nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, nil)
			if tt.rows >= 0 {
				if n := len(rowLinkRE.FindAllString(body, -1)); n != tt.rows {
					t.Errorf("GET %s shows %d registrations, want %d", tt.path, n, tt.rows)
				}
			}
			checkPage(t, tt.path, body)
			if strings.Contains(body, "Amsterdam") || strings.Contains(body, string(s.amsterdam)) {
				t.Errorf("GET %s shows another municipality's registration", tt.path)
			}
		})
	}
	// Rows are in Dutch notation, newest first by default; oldest first and by category on request.
	_, body := get(t, s.h, "/registraties", "beleidsadviseur")
	if !regexp.MustCompile(`>\d{2}-\d{2}-\d{4} \d{2}:\d{2}</a>`).MatchString(body) {
		t.Error("no date and time in Dutch notation (dd-mm-jjjj uu:mm)")
	}
	for _, tt := range []struct {
		sort string
		f    store.RegistrationFilter
	}{
		{"", store.RegistrationFilter{Newest: true}},
		{"nieuwste", store.RegistrationFilter{Newest: true}},
		{"oudste", store.RegistrationFilter{}},
		{"categorie", store.RegistrationFilter{ByCategory: true, Newest: true}},
	} {
		tt.f.Gemeenten, tt.f.Limit = []string{"GM0384"}, 50
		want, _, err := s.db.FindRegistrations(as(baken.RolePolicy), tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var wantIDs []string
		for _, r := range want {
			wantIDs = append(wantIDs, string(r.ID))
		}
		path := "/registraties?volgorde=" + tt.sort
		_, body := get(t, s.h, path, "beleidsadviseur")
		var got []string
		for _, m := range rowLinkRE.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		if diff := cmp.Diff(wantIDs, got); diff != "" {
			t.Errorf("GET %s: order mismatch (-want +got):\n%s", path, diff)
		}
		if m := regexp.MustCompile(`href="([^"]*)" rel="next"`).FindStringSubmatch(body); tt.sort == "categorie" && (m == nil || !strings.Contains(m[1], "volgorde=categorie")) {
			t.Errorf("GET %s: the next page loses the order (%v)", path, m)
		}
	}
	if len(accessLog(t, s.db)) != 0 {
		t.Error("the list, which shows no personal data, wrote to the access log")
	}
}

// dutchEN writes n as the English interface does: 1,234.
func dutchEN(n int) string { return strings.ReplaceAll(dutch(n), ".", ",") }

func TestRegistrationDetail(t *testing.T) {
	s := newRegSite(t, false)
	path := "/registraties/" + string(s.police)
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
		logged           bool
	}{
		{"with personal data", path, "beleidsadviseur", 200,
			[]string{"Kerkstraat 1, Diemen", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;", "Jeugdoverlast", "vastgelegd in het toegangslog", "politie"},
			[]string{"<script>alert", "<b>x</b>"}, true},
		{"a beheerder", path, "beheerder", 200, []string{"Kerkstraat 1, Diemen"}, nil, true},
		{"enforcement", path, "teamleider-handhaving", 200, []string{"Kerkstraat 1, Diemen"}, nil, true},
		{"an analyst sees no personal data", path, "analist", 200,
			[]string{"niet zichtbaar voor uw rol", "Jeugdoverlast"}, []string{"Kerkstraat", "alert(1)", "0384010000000001"}, false},
		{"in English", path + "?taal=en", "analist", 200, []string{"not shown to your role"}, []string{"Kerkstraat"}, false},
		{"opened from a filtered list", path + "?lijst=" + url.QueryEscape("bron=politie&pagina=2"), "analist", 200,
			[]string{`href="/registraties?bron=politie&amp;pagina=2"`}, nil, false},
		{"a back link is only ever a query of the list", path + "?lijst=" + url.QueryEscape("//evil.example/x"), "analist", 200,
			[]string{`href="/registraties?%2F%2Fevil.example%2Fx="`}, []string{`href="//evil`}, false},
		{"a councillor", path, "raadslid", 403, nil, []string{"Kerkstraat", "alert(1)"}, false},
		{"no session", path, "", 303, nil, nil, false},
		{"another municipality", "/registraties/" + string(s.amsterdam), "beleidsadviseur", 404, nil, []string{"Kerkstraat", "alert(1)"}, false},
		{"another municipality, beheerder", "/registraties/" + string(s.amsterdam), "beheerder", 404, nil, nil, false},
		{"unknown", "/registraties/bestaat-niet", "beleidsadviseur", 404, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(accessLog(t, s.db))
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkPage(t, tt.path, body)
			log := accessLog(t, s.db)
			if !tt.logged {
				if len(log) != before {
					t.Errorf("GET %s as %s wrote %d access-log entries, want none", tt.path, tt.role, len(log)-before)
				}
				return
			}
			if len(log) != before+1 {
				t.Fatalf("GET %s as %s wrote %d access-log entries, want 1", tt.path, tt.role, len(log)-before)
			}
			e := log[0]
			got := store.AccessEntry{Gemeente: e.Gemeente, UserID: e.UserID, Roles: e.Roles, Action: e.Action,
				ObjectType: e.ObjectType, ObjectID: e.ObjectID, Purpose: e.Purpose, Result: e.Result}
			want := store.AccessEntry{Gemeente: "GM0384", UserID: "u-" + tt.role, Roles: tt.role, Action: store.AccessViewText,
				ObjectType: "registration", ObjectID: string(s.police), Purpose: "registratie bekijken", Result: "ok"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("access-log entry mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRegistrationDetailFailsClosed: without an access-log entry there is no free text.
func TestRegistrationDetailFailsClosed(t *testing.T) {
	s := newRegSite(t, false)
	if _, err := s.db.RawForTest().ExecContext(context.Background(), `DROP TABLE access_log`); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, s.h, "/registraties/"+string(s.police), "beleidsadviseur")
	if resp.StatusCode != 500 {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
	if strings.Contains(body, "Kerkstraat") || strings.Contains(body, "alert(1)") {
		t.Error("personal data shown although the view could not be logged")
	}
	// A role that sees no personal data writes nothing, so it still gets the page.
	if resp, _ := get(t, s.h, "/registraties/"+string(s.police), "analist"); resp.StatusCode != 200 {
		t.Errorf("analyst: status %d, want 200", resp.StatusCode)
	}
}

func TestRegistrationExport(t *testing.T) {
	s := newRegSite(t, true)
	const filter = "bron=politie&van=2024-01-01&tot=2024-12-31"
	personal := []string{"address", "bag_id", "description"}
	tests := []struct {
		name, path, role string
		status           int
		personal         bool
		rows             int
		fileName         string
	}{
		{"CSV with personal data", "/registraties/export?format=csv&" + filter, "beleidsadviseur", 200, true, 1, "registraties-2024-01-01-2024-12-31.csv"},
		{"CSV for an analyst", "/registraties/export?format=csv&" + filter, "analist", 200, false, 1, "registraties-2024-01-01-2024-12-31.csv"},
		{"Excel with personal data", "/registraties/export?format=xlsx&" + filter, "teamleider-handhaving", 200, true, 1, "registraties-2024-01-01-2024-12-31.xlsx"},
		{"Excel for an analyst", "/registraties/export?format=xlsx&" + filter, "analist", 200, false, 1, "registraties-2024-01-01-2024-12-31.xlsx"},
		{"CSV by default", "/registraties/export?bron=politie", "beheerder", 200, true, 1, "registraties.csv"},
		{"a category outside the theme", "/registraties/export?format=csv&thema=1.3&categorie=zwerfvuil", "beleidsadviseur", 200, true, 0, "registraties.csv"},
		{"a councillor", "/registraties/export?format=csv&" + filter, "raadslid", 403, false, 0, ""},
		{"no session", "/registraties/export?format=csv", "", 303, false, 0, ""},
		{"another municipality", "/registraties/export?format=csv&gemeente=GM0363", "beleidsadviseur", 404, false, 0, ""},
		{"an unknown format", "/registraties/export?format=pdf&" + filter, "beleidsadviseur", 400, false, 0, ""},
		{"a wrong date", "/registraties/export?format=csv&van=morgen", "beleidsadviseur", 400, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(accessLog(t, s.db))
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			log := accessLog(t, s.db)
			if tt.status != 200 {
				if len(log) != before {
					t.Errorf("a refused export wrote %d access-log entries", len(log)-before)
				}
				if strings.Contains(body, "Kerkstraat") {
					t.Error("a refused export shows personal data")
				}
				return
			}
			_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil || params["filename"] != tt.fileName {
				t.Errorf("Content-Disposition %q, want file name %s", resp.Header.Get("Content-Disposition"), tt.fileName)
			}
			header, rows := readExport(t, tt.fileName, resp, body)
			for _, c := range personal {
				if slices.Contains(header, c) != tt.personal {
					t.Errorf("column %s present: %v, want %v (header %v)", c, !tt.personal, tt.personal, header)
				}
			}
			if len(rows) != tt.rows {
				t.Fatalf("%d rows, want %d", len(rows), tt.rows)
			}
			if tt.rows > 0 && tt.personal {
				desc := rows[0][slices.Index(header, "description")]
				if desc != xssText {
					t.Errorf("description %q, want %q", desc, xssText)
				}
			}
			if !tt.personal && strings.Contains(body, "Kerkstraat") {
				t.Error("the address is in a file without personal data")
			}
			if len(log) != before+1 {
				t.Fatalf("the export wrote %d access-log entries, want 1", len(log)-before)
			}
			e := log[0]
			if e.Action != store.AccessExport || e.ObjectType != "registrations" || e.UserID != "u-"+tt.role || e.Gemeente != "GM0384" || e.Purpose == "" {
				t.Errorf("access-log entry %+v", e)
			}
			if !strings.Contains(e.ObjectID, "gemeente: GM0384") || (strings.Contains(tt.path, "bron=politie") && !strings.Contains(e.ObjectID, "bron: politie")) {
				t.Errorf("access-log object %q does not describe the filter", e.ObjectID)
			}
			with := "nee"
			if tt.personal {
				with = "ja"
			}
			if want := fmt.Sprintf("registraties: %d, formaat: %s, persoonsgegevens: %s", tt.rows, filepath.Ext(tt.fileName)[1:], with); e.Detail != want {
				t.Errorf("access-log detail %q, want %q", e.Detail, want)
			}
		})
	}
	// Generated registrations are labelled in the file.
	resp, body := get(t, s.h, "/registraties/export?format=csv&bron=demo&van=2025-01-01&tot=2025-01-31", "beleidsadviseur")
	header, rows := readExport(t, "x.csv", resp, body)
	gen := slices.Index(header, "generated")
	if gen < 0 || len(rows) != total(t, s.db, store.RegistrationFilter{Sources: []string{"demo"}, From: "2025-01-01", To: "2025-01-31"}) {
		t.Fatalf("demo export: header %v, %d rows", header, len(rows))
	}
	for _, r := range rows {
		if r[gen] != "ja" {
			t.Fatalf("a generated registration is not labelled: %v", r)
		}
	}
}

// readExport reads a CSV or Excel download into its header and rows.
func readExport(t *testing.T, name string, resp *http.Response, body string) ([]string, [][]string) {
	t.Helper()
	var all [][]string
	if strings.HasSuffix(name, ".xlsx") {
		if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type %q", ct)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		all, err = f.GetRows(export.SheetRegistrations)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type %q", ct)
		}
		var err error
		all, err = csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(all) == 0 {
		t.Fatal("an export without a header")
	}
	return all[0], all[1:]
}

func TestAccessLogPage(t *testing.T) {
	s := newRegSite(t, false)
	if resp, _ := get(t, s.h, "/registraties/"+string(s.police), "beleidsadviseur"); resp.StatusCode != 200 {
		t.Fatalf("viewing the registration: %d", resp.StatusCode)
	}
	if resp, _ := get(t, s.h, "/registraties/export?format=csv", "analist"); resp.StatusCode != 200 {
		t.Fatalf("exporting: %d", resp.StatusCode)
	}
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"a beheerder", "/beheer/toegangslog", "beheerder", 200, []string{"Toegangslog", "2 vermeldingen", "Persoonsgegevens bekeken",
			"Registraties geëxporteerd", "registratie bekijken", "Test beleidsadviseur (u-beleidsadviseur)",
			`title="` + string(s.police) + `"><a href="/registraties/` + string(s.police) + `">registratie ` + string(s.police)[:8] + "…</a>",
			"persoonsgegevens: nee", `<th scope="col">Doel</th>`, "gelukt"}, nil},
		{"the privacy officer", "/beheer/toegangslog", "fg", 200, []string{"2 vermeldingen"}, nil},
		{"an auditor", "/beheer/toegangslog?actie=export", "auditor", 200, []string{"1 vermelding<", "Registraties geëxporteerd"}, []string{"registratie bekijken"}},
		{"in English", "/beheer/toegangslog?taal=en", "beheerder", 200, []string{"Access log", "Personal data viewed"}, nil},
		{"an unknown action", "/beheer/toegangslog?actie=wissen", "beheerder", 400, []string{"bestaat niet"}, nil},
		{"a policy adviser", "/beheer/toegangslog", "beleidsadviseur", 403, nil, []string{"registratie bekijken"}},
		{"an analyst", "/beheer/toegangslog", "analist", 403, nil, nil},
		{"a councillor", "/beheer/toegangslog", "raadslid", 403, nil, nil},
		{"no session", "/beheer/toegangslog", "", 303, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkPage(t, tt.path, body)
		})
	}
	// Paged: 60 more entries make two pages.
	for i := range 60 {
		if err := s.db.LogAccess(as(baken.RolePolicy), store.AccessEntry{Gemeente: "GM0384", Action: store.AccessViewText,
			ObjectType: "registration", ObjectID: fmt.Sprint("r", i), Purpose: "registratie bekijken"}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := get(t, s.h, "/beheer/toegangslog", "beheerder")
	if !strings.Contains(body, "62 vermeldingen") || !strings.Contains(body, `rel="next"`) || strings.Count(body, "<tr>") != 51 {
		t.Errorf("first page: %d rows, next link %v", strings.Count(body, "<tr>")-1, strings.Contains(body, `rel="next"`))
	}
	_, body = get(t, s.h, "/beheer/toegangslog?pagina=2", "beheerder")
	if !strings.Contains(body, `rel="prev"`) || strings.Contains(body, `rel="next"`) || strings.Count(body, "<tr>") != 13 {
		t.Errorf("second page: %d rows", strings.Count(body, "<tr>")-1)
	}
}
