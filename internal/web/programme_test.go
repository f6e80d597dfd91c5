package web_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/reference"
	"baken/internal/store"
	"baken/internal/store/sqlite"
	"baken/internal/web"
)

// programmeSite is a site with Diemen's areas and the demo plan and programme 2024.
type programmeSite struct {
	h  http.Handler
	db *store.DB
	// ids of the demo programme, read as the system
	plan, programme string
	objectives      []baken.Objective
	actions         []baken.Action // of the first objective
	priorities      []baken.Priority
	indicators      []baken.Indicator
}

func newProgrammeSite(t *testing.T) programmeSite {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return time.Date(2024, 9, 1, 10, 0, 0, 0, time.UTC) }
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "b.db"), store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sys := baken.WithActor(ctx, baken.System("test"))
	if err := demo.LoadReference(sys, db); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadProgramme(sys, db); err != nil {
		t.Fatal(err)
	}
	tree, err := reference.Categories()
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	w, err := web.New(web.Config{DB: db, Categories: tree, Location: ams, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Routes(mux)
	s := programmeSite{h: withActor(mux), db: db}
	plans, err := db.FindPlans(sys, "GM0384")
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v %v", plans, err)
	}
	s.plan = plans[0].ID
	progs, err := db.FindProgrammes(sys, "GM0384")
	if err != nil || len(progs) != 1 {
		t.Fatalf("programmes %v %v", progs, err)
	}
	s.programme = progs[0].ID
	if s.objectives, err = db.FindObjectives(sys, s.programme); err != nil || len(s.objectives) == 0 {
		t.Fatalf("objectives %v %v", s.objectives, err)
	}
	if s.actions, err = db.FindActions(sys, s.objectives[0].ID); err != nil || len(s.actions) == 0 {
		t.Fatalf("actions %v %v", s.actions, err)
	}
	if s.priorities, err = db.FindPriorities(sys, s.plan); err != nil || len(s.priorities) == 0 {
		t.Fatalf("priorities %v %v", s.priorities, err)
	}
	if s.indicators, err = db.FindIndicators(sys, "GM0384"); err != nil || len(s.indicators) == 0 {
		t.Fatalf("indicators %v %v", s.indicators, err)
	}
	return s
}

func sysCtx() context.Context { return baken.WithActor(context.Background(), baken.System("test")) }

// programmeKeyRE matches a missing catalogue key of the programme pages, whose keys
// may hold underscores (programme.field.owner_team).
var programmeKeyRE = regexp.MustCompile(`\{programme\.[a-z_.]+\}`)

// checkProgrammePage checks what every page must do, and that no programme key is missing.
func checkProgrammePage(t *testing.T, path, body string) {
	t.Helper()
	checkPage(t, path, body)
	if k := programmeKeyRE.FindString(body); k != "" {
		t.Errorf("GET %s shows a missing catalogue key: %s", path, k)
	}
}

func TestProgrammePages(t *testing.T) {
	s := newProgrammeSite(t)
	action := s.actions[0].ID
	objective := s.objectives[0].ID
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"overview needs a session", "/programma", "", 303, nil, nil},
		{"overview for a councillor", "/programma", "raadslid", 200,
			[]string{"Plan en programma: Diemen", "Jaarprogramma 2024", "Verder bouwen aan een veilig Diemen", "Ondermijnende criminaliteit",
				`href="/programma/2024"`, `href="/programma/plan/` + s.plan + `/geschiedenis"`, `aria-current="page"`,
				"<dd>de gemeenteraad (2023)</dd>"},
			[]string{"/bewerken", "/nieuw", "de gemeenteraad, in 2023"}},
		{"overview for a beleidsadviseur", "/programma", "beleidsadviseur", 200,
			[]string{`href="/programma/plan/` + s.plan + `/bewerken"`, `href="/programma/nieuw"`, `href="/programma/indicator/nieuw"`,
				`href="/programma/prioriteit/` + s.priorities[0].ID + `/bewerken"`}, nil},
		{"programme for an analist", "/programma/2024", "analist", 200,
			[]string{"Jaarprogramma 2024: Diemen", "Vastgesteld", "06-02-2024", "Doelstelling 3: Minder jeugdoverlast", "2023: 98", "Dalen",
				"Stadstoezicht", "Gestart", "Acties bij doelstelling 1", `id="actie-` + action + `"`,
				`href="/programma/actie/` + action + `/geschiedenis"`, s.indicators[0].Name, `<th scope="col" class="num">2020</th>`},
			[]string{"/bewerken", "/nieuw"}},
		{"programme for a beheerder", "/programma/2024", "beheerder", 200,
			[]string{`href="/programma/actie/` + action + `/bewerken"`, `href="/programma/2024/bewerken"`,
				`href="/programma/doelstelling/` + objective + `/actie/nieuw"`, `href="/programma/2024/doelstelling/nieuw"`}, nil},
		{"programme in English", "/programma/2024?taal=en", "analist", 200,
			[]string{`<html lang="en">`, "Yearly programme 2024: Diemen", "Objective 3: Minder jeugdoverlast", "Started", "Down"}, nil},
		{"programme of a year without one", "/programma/2023", "analist", 404, nil, nil},
		{"programme of no year", "/programma/twintig", "analist", 404, nil, nil},
		{"programme of another gemeente", "/programma/2024?gemeente=GM0363", "analist", 404, nil, nil},
		{"action form for a beleidsadviseur", "/programma/actie/" + action + "/bewerken", "beleidsadviseur", 200,
			[]string{`<form method="post" action="/programma/actie/` + action + `/bewerken"`, `<input type="hidden" name="versie" value="1">`,
				`<legend>Status van de actie</legend>`, `id="status-1" name="status" value="gestart" checked`, `<label for="eigenaar">`,
				"Doelstelling 1: Ondermijnende criminaliteit"}, nil},
		{"objective form", "/programma/doelstelling/" + s.objectives[2].ID + "/bewerken", "beleidsadviseur", 200,
			[]string{`<legend>Soort doelstelling</legend>`, `name="nulmeting-jaar" value="2023"`, `name="nulmeting-waarde" value="98"`,
				`value="down" checked`}, nil},
		{"programme form", "/programma/2024/bewerken", "beheerder", 200,
			[]string{`name="jaar" value="2024"`, `<option value="vastgesteld" selected>Vastgesteld</option>`, `name="besluitdatum" value="2024-02-06"`}, nil},
		{"plan form", "/programma/plan/" + s.plan + "/bewerken", "beleidsadviseur", 200, []string{`name="periode-van" value="2023"`}, nil},
		{"priority form", "/programma/prioriteit/" + s.priorities[0].ID + "/bewerken", "beleidsadviseur", 200,
			[]string{`<legend>Thema&#39;s <span class="form-field__optional">(niet verplicht)</span></legend>`, `value="5.2" checked`}, nil},
		{"indicator form", "/programma/indicator/" + s.indicators[0].ID + "/bewerken", "beleidsadviseur", 200,
			[]string{`id="berekend" name="berekend" value="ja" checked`}, nil},
		{"new action form", "/programma/doelstelling/" + objective + "/actie/nieuw", "beleidsadviseur", 200,
			[]string{"Nieuwe actie", `value="gepland" checked`}, nil},
		{"new objective form", "/programma/2024/doelstelling/nieuw", "beleidsadviseur", 200, []string{`name="nummer" value="6"`}, nil},
		{"new plan form", "/programma/plan/nieuw", "beleidsadviseur", 200, []string{"Nieuw meerjarenbeleidsplan"}, nil},
		{"new programme form", "/programma/nieuw", "beleidsadviseur", 200, []string{`<select id="plan" name="plan" required>`}, nil},
		{"new indicator form", "/programma/indicator/nieuw", "beleidsadviseur", 200, []string{`name="code" value=""`}, nil},
		{"new priority form", "/programma/plan/" + s.plan + "/prioriteit/nieuw", "beleidsadviseur", 200, []string{`name="rang" value="4"`}, nil},
		{"a reader gets no edit form", "/programma/actie/" + action + "/bewerken", "analist", 403, nil, nil},
		{"a councillor gets no new form", "/programma/indicator/nieuw", "raadslid", 403, nil, nil},
		{"history of an unchanged action", "/programma/actie/" + action + "/geschiedenis", "raadslid", 200,
			[]string{"Geschiedenis van actie", "Huidige versie: 1", "Niet gewijzigd sinds het is aangemaakt.", "Baken (test)"},
			[]string{"/bewerken"}},
		{"history of the programme", "/programma/2024/geschiedenis", "beleidsadviseur", 200,
			[]string{"Geschiedenis van jaarprogramma: 2024", `href="/programma/2024/bewerken"`}, nil},
		{"history of an unknown action", "/programma/actie/0190d0b4-0000-7000-8000-000000000000/geschiedenis", "analist", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkProgrammePage(t, tt.path, body)
		})
	}
}

// actionForm is the edit form of an action as the page fills it in.
func actionForm(a baken.Action, version int) url.Values {
	v := url.Values{"versie": {strconv.Itoa(version)}, "titel": {a.Title}, "eigenaar": {a.OwnerTeam}, "partners": {strings.Join(a.Partners, "\n")},
		"status": {string(a.Status)}, "rag": {string(a.RAG)}, "voortgang": {a.ProgressNotes}}
	if a.PeriodFrom != nil {
		v.Set("periode-van", a.PeriodFrom.Format(time.DateOnly))
	}
	if a.PeriodTo != nil {
		v.Set("periode-tot", a.PeriodTo.Format(time.DateOnly))
	}
	return v
}

func TestProgrammeReaderCannotChange(t *testing.T) {
	s := newProgrammeSite(t)
	a := s.actions[0]
	form := actionForm(a, 1)
	form.Set("status", "afgerond")
	for _, role := range []string{"analist", "raadslid", "teamleider-handhaving"} {
		resp, body := postForm(t, s.h, "/programma/actie/"+a.ID+"/bewerken", role, form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: POST = %d, want 403\n%s", role, resp.StatusCode, body)
		}
	}
	if resp, _ := postForm(t, s.h, "/programma/indicator/nieuw", "analist", url.Values{"code": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analist creates an indicator: %d", resp.StatusCode)
	}
	got, err := s.db.FindAction(sysCtx(), a.ID)
	if err != nil || got.Status != a.Status || got.Version != 1 {
		t.Errorf("after refused posts the action is %s version %d (%v)", got.Status, got.Version, err)
	}
}

func TestProgrammeEditActionAndHistory(t *testing.T) {
	s := newProgrammeSite(t)
	a := s.actions[0]
	form := actionForm(a, 1)
	form.Set("status", "afgerond")
	form.Set("rag", "groen")
	form.Set("voortgang", "Interventieteam draait sinds maart.\r\nEvaluatie in het najaar.")
	resp, body := postForm(t, s.h, "/programma/actie/"+a.ID+"/bewerken", "beleidsadviseur", form)
	if want := "/programma/2024?opgeslagen=1#actie-" + a.ID; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("POST = %d to %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), want, body)
	}
	got, err := s.db.FindAction(sysCtx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != baken.ActionDone || got.RAG != baken.RAGGreen || got.Version != 2 || got.UpdatedBy != "u-beleidsadviseur" ||
		got.ProgressNotes != "Interventieteam draait sinds maart.\nEvaluatie in het najaar." || got.Title != a.Title || len(got.Partners) != len(a.Partners) {
		t.Errorf("stored action %+v", got)
	}
	_, page := get(t, s.h, "/programma/2024?opgeslagen=1", "analist")
	if !strings.Contains(page, `<p class="notice" role="status">De wijziging is opgeslagen.</p>`) ||
		!strings.Contains(page, `<span class="rag rag--groen">Groen</span>`) || !strings.Contains(page, "Afgerond") {
		t.Errorf("programme page after the change lacks the notice, status or RAG")
	}

	path := "/programma/actie/" + a.ID + "/geschiedenis"
	resp, hist := get(t, s.h, path, "analist")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	for _, want := range []string{
		"Huidige versie: 2", "Versie 1 naar versie 2", "door gebruiker u-beleidsadviseur",
		`<th scope="row">Status</th><td class="programme-text history-table__old">Gestart</td><td class="programme-text">Afgerond</td>`,
		`<th scope="row">Voortgang (stoplicht)</th><td class="programme-text history-table__old">–</td><td class="programme-text">Groen</td>`,
		"Toelichting op de voortgang", "Versie 1 aangemaakt op", "Baken (test)",
	} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// Fields that did not change are not listed.
	if strings.Contains(hist, `<th scope="row">Partners</th>`) || strings.Contains(hist, `<th scope="row">Actie</th>`) {
		t.Errorf("history lists unchanged fields")
	}
	checkProgrammePage(t, path, hist)
	// The one who changed it reads "you".
	if _, own := get(t, s.h, path, "beleidsadviseur"); !strings.Contains(own, "door u (Test beleidsadviseur)") {
		t.Errorf("history does not name the actor as you")
	}
}

func TestProgrammeValidationErrors(t *testing.T) {
	s := newProgrammeSite(t)
	a := s.actions[0]
	form := actionForm(a, 1)
	form.Set("titel", "  ")
	form.Set("periode-van", "2024-12-01")
	form.Set("periode-tot", "2024-01-31")
	form.Set("status", "bezig")
	path := "/programma/actie/" + a.ID + "/bewerken"
	resp, body := postForm(t, s.h, path, "beleidsadviseur", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST = %d, want 400\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<div class="alert alert--error error-summary" role="alert" aria-labelledby="fouten-titel">`,
		`<li><a href="#titel">Actie: Beschrijf de actie in hoogstens 1.000 tekens.</a></li>`,
		`<li><a href="#periode-tot">Einddatum: Vul een bestaande datum in, niet vóór de begindatum.</a></li>`,
		`<li><a href="#status-0">Status van de actie: Kies een van de mogelijkheden.</a></li>`,
		`<p id="titel-fout" class="form-field__error">Beschrijf de actie in hoogstens 1.000 tekens.</p>`,
		`<textarea id="titel" name="titel" rows="4" required aria-describedby="titel-fout" aria-invalid="true">`,
		`aria-describedby="periode-tot-hint periode-tot-fout" aria-invalid="true"`,
		`<fieldset class="form-fieldset form-fieldset--invalid" aria-describedby="status-fout">`,
		`value="2024-12-01"`, // what the user typed stays
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form with errors lacks %q", want)
		}
	}
	checkProgrammePage(t, path, body)
	if got, _ := s.db.FindAction(sysCtx(), a.ID); got.Version != 1 {
		t.Errorf("an invalid form changed the action to version %d", got.Version)
	}

	// A value the form cannot read is caught before the store.
	form = actionForm(a, 1)
	form.Set("periode-van", "31-02-2024")
	if resp, body := postForm(t, s.h, path, "beleidsadviseur", form); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, `<a href="#periode-van">Begindatum: Vul een bestaande datum in`) {
		t.Errorf("an impossible date: %d\n%s", resp.StatusCode, body)
	}

	// The store's own rule: targets need a direction.
	o := s.objectives[0]
	ofPath := "/programma/doelstelling/" + o.ID + "/bewerken"
	of := url.Values{"versie": {"1"}, "nummer": {"1"}, "titel": {o.Title}, "soort": {"effect"}, "streefwaarden": {"2026: 80\n2025 : 90,5"}, "richting": {""}}
	resp, body = postForm(t, s.h, ofPath, "beleidsadviseur", of)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#richting-0">Gewenste richting: Kies of de waarde moet dalen of stijgen`) {
		t.Errorf("targets without direction: %d\n%s", resp.StatusCode, body)
	}
	// A number taken by another objective is a conflict, shown at the field.
	of.Set("streefwaarden", "")
	of.Set("nummer", "2")
	resp, body = postForm(t, s.h, ofPath, "beleidsadviseur", of)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `<a href="#nummer">Nummer: Dit jaarprogramma heeft al een doelstelling met dit nummer.</a>`) {
		t.Errorf("number taken: %d\n%s", resp.StatusCode, body)
	}
}

func TestProgrammeVersionConflict(t *testing.T) {
	s := newProgrammeSite(t)
	a := s.actions[0]
	path := "/programma/actie/" + a.ID + "/bewerken"
	// Two people open the form at version 1; the first saves.
	first := actionForm(a, 1)
	first.Set("status", "uitgesteld")
	if resp, body := postForm(t, s.h, path, "beleidsadviseur", first); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save = %d\n%s", resp.StatusCode, body)
	}
	// A form with an error, based on version 1, stays at version 1 when it comes back.
	invalid := actionForm(a, 1)
	invalid.Set("titel", "")
	if resp, body := postForm(t, s.h, path, "beheerder", invalid); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, `name="versie" value="1"`) {
		t.Errorf("a form with an error came back at another version (%d)", resp.StatusCode)
	}
	second := actionForm(a, 1)
	second.Set("voortgang", "Mijn aantekening")
	resp, body := postForm(t, s.h, path, "beheerder", second)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"Iemand anders heeft dit intussen gewijzigd.", "U bewerkte versie 1; opgeslagen is nu versie 2.",
		`<a href="` + path + `">Open de huidige versie</a>`, "Mijn aantekening", `name="versie" value="1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	checkProgrammePage(t, path, body)
	got, err := s.db.FindAction(sysCtx(), a.ID)
	if err != nil || got.Version != 2 || got.Status != baken.ActionPostponed || got.ProgressNotes != a.ProgressNotes {
		t.Errorf("after the conflict the action is %+v (%v)", got, err)
	}
	// Reloading shows the current version, which saves.
	_, reloaded := get(t, s.h, path, "beheerder")
	if !strings.Contains(reloaded, `name="versie" value="2"`) {
		t.Errorf("the reloaded form is not at version 2")
	}
}

func TestProgrammeCreate(t *testing.T) {
	s := newProgrammeSite(t)
	o := s.objectives[1]
	path := "/programma/doelstelling/" + o.ID + "/actie/nieuw"
	form := url.Values{"titel": {"Veiligheidsdag organiseren"}, "eigenaar": {"Team OOV"}, "partners": {"Politie\n\nBrandweer; Buurtpreventie"},
		"periode-van": {"01-10-2024"}, "status": {"gepland"}, "rag": {""}}
	resp, body := postForm(t, s.h, path, "beleidsadviseur", form)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/programma/2024?opgeslagen=1#actie-") {
		t.Fatalf("POST %s = %d %q\n%s", path, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	acts, err := s.db.FindActions(sysCtx(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := acts[len(acts)-1]
	if last.Title != "Veiligheidsdag organiseren" || strings.Join(last.Partners, "|") != "Politie|Brandweer|Buurtpreventie" ||
		last.PeriodFrom == nil || last.PeriodFrom.Format(time.DateOnly) != "2024-10-01" || last.Version != 1 {
		t.Errorf("created action %+v", last)
	}
	// A new objective, and a second with the same number.
	of := url.Values{"nummer": {"6"}, "titel": {"Minder woninginbraken"}, "soort": {"effect"}, "prioriteiten": {s.priorities[1].ID},
		"nulmeting-jaar": {"2023"}, "nulmeting-waarde": {"41"}, "streefwaarden": {"2024: 38"}, "richting": {"down"}}
	if resp, body := postForm(t, s.h, "/programma/2024/doelstelling/nieuw", "beleidsadviseur", of); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new objective = %d\n%s", resp.StatusCode, body)
	}
	if resp, body := postForm(t, s.h, "/programma/2024/doelstelling/nieuw", "beleidsadviseur", of); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "Dit jaarprogramma heeft al een doelstelling met dit nummer.") {
		t.Errorf("second objective 6 = %d", resp.StatusCode)
	}
	// An indicator with an unknown category is refused at the field.
	ind := url.Values{"code": {"inbraak"}, "naam": {"Woninginbraken"}, "eenheid": {"registraties"}, "bron": {"Politie"}, "berekend": {"ja"},
		"categorieen": {"woninginbraak, bestaat-niet"}}
	if resp, body := postForm(t, s.h, "/programma/indicator/nieuw", "beheerder", ind); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, `<a href="#categorieen">`) {
		t.Errorf("unknown category = %d\n%s", resp.StatusCode, body)
	}
	ind.Set("categorieen", "woninginbraak")
	if resp, body := postForm(t, s.h, "/programma/indicator/nieuw", "beheerder", ind); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("new indicator = %d\n%s", resp.StatusCode, body)
	}
}

func TestProgrammeProgressAndDocuments(t *testing.T) {
	s := newProgrammeSite(t)
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"progress for a councillor", "/programma/2024/voortgang", "raadslid", 200,
			[]string{"Voortgang jaarprogramma 2024: Diemen", `name="peildatum" type="date" max="2024-09-01" value="2024-09-01"`, "Oordeel",
				"Doelstelling 3: Minder jeugdoverlast", "acties zijn afgerond", `href="/programma/2024/raadsbrief?formaat=pdf&amp;peildatum=2024-09-01"`,
				`href="/programma/2024/voortgangsrapport?formaat=xlsx&amp;peildatum=2024-09-01"`, "Van dit jaarprogramma is nog niets uitgegeven."},
			[]string{`action="/programma/2024/uitgeven"`}},
		{"progress for a beleidsadviseur", "/programma/2024/voortgang?peildatum=2024-06-30", "beleidsadviseur", 200,
			[]string{`action="/programma/2024/uitgeven"`, `<legend>Document</legend>`, `id="uitgifte-peildatum" name="peildatum" type="date" max="2024-09-01" value="2024-06-30"`,
				"zoals bekend op 30-06-2024"}, nil},
		{"progress in English", "/programma/2024/voortgang?taal=en", "analist", 200, []string{"Progress of the yearly programme 2024", "Judgement"}, nil},
		{"progress as of a day to come", "/programma/2024/voortgang?peildatum=2024-09-02", "analist", 400,
			[]string{`<a href="#peildatum">Vul een bestaande datum in, niet later dan vandaag.</a>`, `aria-invalid="true"`}, nil},
		{"progress of no programme", "/programma/2023/voortgang", "analist", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkProgrammePage(t, tt.path, body)
		})
	}

	downloads := []struct {
		path, contentType, start string
		status                   int
	}{
		{"/programma/2024/raadsbrief?formaat=md&peildatum=2024-08-31", "text/markdown; charset=utf-8", "#", 200},
		{"/programma/2024/raadsbrief?formaat=pdf", "application/pdf", "%PDF", 200},
		{"/programma/2024/voortgangsrapport?formaat=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK", 200},
		{"/programma/2024/voortgangsrapport?formaat=docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK", 200},
		{"/programma/2024/raadsbrief?formaat=xlsx", "", "", 400},
		{"/programma/2024/raadsbrief?formaat=md&peildatum=2025-01-01", "", "", 400},
	}
	for _, d := range downloads {
		resp, body := get(t, s.h, d.path, "raadslid")
		if resp.StatusCode != d.status {
			t.Errorf("GET %s = %d, want %d", d.path, resp.StatusCode, d.status)
			continue
		}
		if d.status != 200 {
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != d.contentType || !strings.HasPrefix(body, d.start) ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="`) {
			t.Errorf("GET %s: %s, %q, starts %.10q", d.path, ct, resp.Header.Get("Content-Disposition"), body)
		}
	}

	// Issuing: not for a reader; a wrong choice is shown at the field; then it is kept.
	form := url.Values{"soort": {"raadsbrief"}, "formaat": {"md"}, "peildatum": {"2024-08-31"}}
	if resp, _ := postForm(t, s.h, "/programma/2024/uitgeven", "analist", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analist issues: %d", resp.StatusCode)
	}
	bad := url.Values{"soort": {"raadsbrief"}, "formaat": {"xlsx"}, "peildatum": {"2024-08-31"}}
	resp, body := postForm(t, s.h, "/programma/2024/uitgeven", "beleidsadviseur", bad)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#formaat-0">Kies een formaat dat bij dit document hoort.</a>`) ||
		!strings.Contains(body, `<p id="formaat-fout" class="form-field__error">`) {
		t.Errorf("issue a letter as Excel = %d\n%s", resp.StatusCode, body)
	}
	resp, body = postForm(t, s.h, "/programma/2024/uitgeven", "beleidsadviseur", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/programma/2024/voortgang?uitgegeven=1#uitgegeven" {
		t.Fatalf("issue = %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	docs, err := s.db.FindIssuedDocuments(sysCtx(), s.programme)
	if err != nil || len(docs) != 1 {
		t.Fatalf("issued %v %v", docs, err)
	}
	_, page := get(t, s.h, "/programma/2024/voortgang?uitgegeven=1", "raadslid")
	link := "/programma/uitgegeven/" + docs[0].ID + "/bestand"
	for _, want := range []string{"Het document is uitgegeven.", `<a href="` + link + `">Raadsinformatiebrief (Markdown)</a>`, "31-08-2024",
		"gebruiker u-beleidsadviseur", docs[0].SHA256} {
		if !strings.Contains(page, want) {
			t.Errorf("progress page after issuing lacks %q", want)
		}
	}
	resp, issued := get(t, s.h, link, "raadslid")
	_, fresh := get(t, s.h, "/programma/2024/raadsbrief?formaat=md&peildatum=2024-08-31", "raadslid")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/markdown; charset=utf-8" || issued != fresh {
		t.Errorf("GET %s = %d %s; same as written now: %v", link, resp.StatusCode, resp.Header.Get("Content-Type"), issued == fresh)
	}
	if resp, _ := get(t, s.h, "/programma/uitgegeven/nope/bestand", "raadslid"); resp.StatusCode != 404 {
		t.Errorf("unknown issued document: %d", resp.StatusCode)
	}
}

func TestProgrammeThemes(t *testing.T) {
	s := newProgrammeSite(t)
	prog, err := s.db.FindProgramme(sysCtx(), s.programme)
	if err != nil || len(prog.Themes) != 2 {
		t.Fatalf("demo programme themes %v (%v)", prog.Themes, err)
	}
	form := url.Values{"versie": {"1"}, "jaar": {"2024"}, "status": {string(prog.Status)}, "besluitdatum": {"2024-02-06"},
		"vastgesteld-op": {"2024-02-06"}, "samenvatting": {prog.Summary}, "vervolg": {prog.FollowUp},
		// The first theme stays, the second is emptied, a third is added.
		"thema-0-titel": {prog.Themes[0].Title}, "thema-0-tekst": {prog.Themes[0].Text}, "thema-0-indicatoren": prog.Themes[0].IndicatorIDs,
		"thema-1-titel": {""}, "thema-1-tekst": {""},
		"thema-2-titel": {"Polarisatie"}, "thema-2-tekst": {"Netwerk versterken."}, "thema-2-indicatoren": {s.indicators[0].ID}}
	resp, body := postForm(t, s.h, "/programma/2024/bewerken", "beleidsadviseur", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST = %d\n%s", resp.StatusCode, body)
	}
	got, err := s.db.FindProgramme(sysCtx(), s.programme)
	if err != nil || len(got.Themes) != 2 || got.Themes[0].Title != prog.Themes[0].Title || got.Themes[1].Title != "Polarisatie" ||
		strings.Join(got.Themes[1].IndicatorIDs, ",") != s.indicators[0].ID || got.Summary != prog.Summary || got.AdoptedAt == nil {
		t.Fatalf("themes after the change %+v (%v)", got.Themes, err)
	}
	// The form now has the two themes and an empty third.
	_, page := get(t, s.h, "/programma/2024/bewerken", "beleidsadviseur")
	if !strings.Contains(page, `name="thema-1-titel" value="Polarisatie"`) || !strings.Contains(page, `name="thema-2-titel" value=""`) ||
		strings.Contains(page, `name="thema-3-titel"`) {
		t.Errorf("programme form after the change has the wrong themes")
	}
	_, hist := get(t, s.h, "/programma/2024/geschiedenis", "analist")
	if !strings.Contains(hist, `<th scope="row">Actuele thema&#39;s</th>`) || !strings.Contains(hist, prog.Themes[1].Title) ||
		!strings.Contains(hist, "Polarisatie") {
		t.Errorf("programme history lacks the change of themes")
	}
	// A theme without a title is refused at its field.
	form.Set("versie", "2")
	form.Set("thema-0-titel", "")
	resp, body = postForm(t, s.h, "/programma/2024/bewerken", "beleidsadviseur", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#thema-0-titel">Actueel thema 1: titel: Geef het thema een titel`) {
		t.Errorf("theme without title = %d\n%s", resp.StatusCode, body)
	}
}

// TestProgrammeHistoryNames checks that the history names a colleague who changed an
// action to anyone of the gemeente, and does not name someone who is no longer of it.
func TestProgrammeHistoryNames(t *testing.T) {
	s := newProgrammeSite(t)
	colleague, err := s.db.CreateUser(sysCtx(), baken.User{Name: "collega", DisplayName: "Chris Collega", Roles: []baken.Role{baken.RolePolicy},
		Gemeenten: []string{"GM0384"}})
	if err != nil {
		t.Fatal(err)
	}
	a := s.actions[0]
	a.Status = baken.ActionDone
	if _, err := s.db.UpdateAction(baken.WithActor(context.Background(), colleague.Actor()), a); err != nil {
		t.Fatal(err)
	}
	path := "/programma/actie/" + a.ID + "/geschiedenis"
	for _, role := range []string{"beleidsadviseur", "raadslid"} {
		_, body := get(t, s.h, path, role)
		if !strings.Contains(body, "door Chris Collega") || strings.Contains(body, colleague.ID) {
			t.Errorf("%s: history does not name the colleague who changed the action", role)
		}
		checkProgrammePage(t, path, body)
	}
	// The colleague moves to Amsterdam: Diemen no longer needs to know the name.
	if _, err := s.db.RawForTest().Exec(`UPDATE users SET gemeenten = ? WHERE id = ?`, "GM0363", colleague.ID); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, s.h, path, "beleidsadviseur")
	if strings.Contains(body, "Chris Collega") || !strings.Contains(body, "gebruiker "+colleague.ID) {
		t.Errorf("history names a user who shares no gemeente with the reader")
	}
}

// TestProgrammeMeasurements adds and changes the values of an indicator entered by hand
// through its page's forms: per-field errors, a value taken, the version check and the
// history; a computed indicator has no such forms, and a reader cannot change a value.
func TestProgrammeMeasurements(t *testing.T) {
	s := newProgrammeSite(t)
	var entered, computed baken.Indicator
	for _, in := range s.indicators {
		switch {
		case in.Code == demo.IndicatorFeelsUnsafe:
			entered = in
		case in.Computed && computed.ID == "":
			computed = in
		}
	}
	if entered.ID == "" || computed.ID == "" {
		t.Fatalf("the demo has no entered indicator (%+v) or no computed one", s.indicators)
	}
	page := "/programma/indicator/" + entered.ID + "/metingen"
	edit := "/programma/indicator/" + entered.ID + "/meting/GM0384/2023/bewerken"
	hist := "/programma/indicator/" + entered.ID + "/meting/GM0384/2023/geschiedenis"
	create := "/programma/indicator/" + entered.ID + "/meting/nieuw"
	tests := []struct {
		name, path, role string
		status           int
		want, not        []string
	}{
		{"overview links the entered indicator's values", "/programma", "analist", 200,
			[]string{`href="` + page + `"`}, []string{`href="/programma/indicator/` + computed.ID + `/metingen"`}},
		{"values for a reader", page, "raadslid", 200,
			[]string{"Metingen: Voelt zich weleens onveilig in de eigen buurt", `<tr id="meting-GM0384-2023">`, "31,5", "Voorlopig", "Definitief",
				`href="` + hist + `"`, "Veiligheidsmonitor"},
			[]string{`href="` + edit + `"`, `href="` + create + `"`}},
		{"values for a beleidsadviseur", page, "beleidsadviseur", 200, []string{`href="` + edit + `"`, `href="` + create + `"`}, nil},
		{"values in English", page + "?taal=en", "analist", 200, []string{"Measurements: ", "Provisional"}, nil},
		{"a computed indicator", "/programma/indicator/" + computed.ID + "/metingen", "beleidsadviseur", 200,
			[]string{"Baken berekent deze indicator uit de registraties."}, []string{"/meting/nieuw"}},
		{"new value form", create, "beleidsadviseur", 200,
			[]string{"Nieuwe meting", `name="gebied" value="GM0384"`, `name="jaar" value="2023"`, `<legend>Status van de meting</legend>`,
				`value="voorlopig" checked`, "Voelt zich weleens onveilig in de eigen buurt"}, nil},
		{"edit value form", edit, "beheerder", 200,
			[]string{"Meting bewerken: GM0384, 2023", `name="waarde" value="31,5"`, `<input type="hidden" name="versie" value="1">`},
			[]string{`name="gebied"`, `name="jaar"`}},
		{"no form for a computed indicator", "/programma/indicator/" + computed.ID + "/meting/nieuw", "beleidsadviseur", 400, nil, nil},
		{"no form for a reader", create, "analist", 403, nil, nil},
		{"no value of that year", "/programma/indicator/" + entered.ID + "/meting/GM0384/2022/bewerken", "beleidsadviseur", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, tt.role)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkProgrammePage(t, tt.path, body)
		})
	}

	// A new value with problems: each at its field, what was typed kept.
	resp, body := postForm(t, s.h, create, "beleidsadviseur", url.Values{"gebied": {"GM0363"}, "jaar": {"2024"}, "waarde": {"veel"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST %s = %d, want 400\n%s", create, resp.StatusCode, body)
	}
	for _, want := range []string{
		`<a href="#waarde">Waarde: Vul een getal in; decimalen na een komma.</a>`,
		`<p id="waarde-fout" class="form-field__error">`, `value="veel"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form with errors lacks %q", want)
		}
	}
	checkProgrammePage(t, create, body)
	// The store's own rules: a status to choose, an area of the indicator's gemeente.
	resp, body = postForm(t, s.h, create, "beleidsadviseur", url.Values{"gebied": {"GM0384"}, "jaar": {"2024"}, "waarde": {"30"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#status-0">Status van de meting: Kies een van de mogelijkheden.</a>`) {
		t.Errorf("no status = %d\n%s", resp.StatusCode, body)
	}
	resp, body = postForm(t, s.h, create, "beleidsadviseur", url.Values{"gebied": {"GM0363"}, "jaar": {"2024"}, "waarde": {"30"}, "status": {"voorlopig"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#gebied">Gebied: Vul een CBS-code in`) {
		t.Errorf("area elsewhere = %d\n%s", resp.StatusCode, body)
	}
	// A year that has a value already is taken.
	resp, body = postForm(t, s.h, create, "beleidsadviseur", url.Values{"gebied": {"gm0384"}, "jaar": {"2023"}, "waarde": {"30"}, "status": {"voorlopig"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `<a href="#jaar">Jaar: Er is al een meting voor dit gebied en jaar; bewerk die.</a>`) {
		t.Errorf("year taken = %d\n%s", resp.StatusCode, body)
	}
	// A good one is stored, and the page shows it.
	resp, body = postForm(t, s.h, create, "beleidsadviseur", url.Values{"gebied": {"gm0384"}, "jaar": {"2025"}, "waarde": {"29,75"}, "status": {"voorlopig"}})
	if want := page + "?opgeslagen=1#meting-GM0384-2025"; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("POST %s = %d to %q, want 303 to %s\n%s", create, resp.StatusCode, resp.Header.Get("Location"), want, body)
	}
	if _, body := get(t, s.h, page+"?opgeslagen=1", "analist"); !strings.Contains(body, "De wijziging is opgeslagen.") || !strings.Contains(body, "29,75") {
		t.Errorf("the page after saving lacks the notice or the value")
	}

	// A reader cannot change a value; a beleidsadviseur makes the provisional one final.
	change := url.Values{"versie": {"1"}, "waarde": {"32"}, "status": {"definitief"}, "gebied": {"GM0384"}, "jaar": {"2099"}}
	if resp, _ := postForm(t, s.h, edit, "raadslid", change); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reader changes a value: %d", resp.StatusCode)
	}
	if resp, body := postForm(t, s.h, edit, "beleidsadviseur", change); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s = %d\n%s", edit, resp.StatusCode, body)
	}
	ms, err := s.db.FindMeasurements(sysCtx(), entered.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Area+" "+strconv.Itoa(m.Period)+" "+strconv.FormatFloat(m.Value, 'f', -1, 64)+" "+string(m.Status)+" v"+strconv.Itoa(m.Version))
	}
	if want := "GM0384 2021 33 definitief v1|GM0384 2023 32 definitief v2|GM0384 2025 29.75 voorlopig v1"; strings.Join(got, "|") != want {
		t.Errorf("stored values %q, want %q (the key stays that of the path)", strings.Join(got, "|"), want)
	}
	// Someone who opened the form at version 1 gets the conflict, not an overwrite.
	change.Set("waarde", "40")
	resp, body = postForm(t, s.h, edit, "beheerder", change)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "U bewerkte versie 1; opgeslagen is nu versie 2.") {
		t.Errorf("stale change = %d\n%s", resp.StatusCode, body)
	}
	checkProgrammePage(t, edit, body)

	resp, body = get(t, s.h, hist, "analist")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", hist, resp.StatusCode)
	}
	for _, want := range []string{
		"Geschiedenis van meting: GM0384, 2023", "Huidige versie: 2", "Versie 1 naar versie 2", "door gebruiker u-beleidsadviseur",
		`<th scope="row">Waarde</th><td class="programme-text history-table__old">31,5</td><td class="programme-text">32</td>`,
		`<th scope="row">Status van de meting</th><td class="programme-text history-table__old">Voorlopig</td><td class="programme-text">Definitief</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	checkProgrammePage(t, hist, body)
}

// The progress page words the judgements, the count of actions done and the notes in
// the page's language; an objective shows its latest value even when nothing can be
// judged; a baseline not yet known on the reference date is not shown.
func TestProgrammeProgressLanguageAndValues(t *testing.T) {
	s := newProgrammeSite(t)
	ctx := sysCtx()
	// Objective 3 judged on 2023 (the site has no registrations: 0), against the path
	// from 104 in 2022 to 95 in 2024: 99,5 in 2023.
	o := s.objectives[2]
	o.Baseline = &baken.YearValue{Year: 2022, Value: 104}
	if _, err := s.db.UpdateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	a := s.actions[0]
	a.Status = baken.ActionDone
	if _, err := s.db.UpdateAction(ctx, a); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"Dutch", "/programma/2024/voortgang", []string{
			"1 van de 15 acties is afgerond.",
			"Onbekend</span> Er is geen indicator aan deze doelstelling gekoppeld.",
			"Onbekend</span> Er is geen nulmeting vastgelegd.",
			"Op koers</span> 0 in 2023 is niet hoger dan 99,5, de waarde voor 2023 op het pad van 104 (nulmeting 2022) naar 95 (doel 2024).",
			"De cijfers zijn zoals ze bekend waren op de peildatum, 01-09-2024: registraties die op of vóór die dag",
		}, []string{"acties zijn afgerond", "demodata"}},
		{"English", "/programma/2024/voortgang?taal=en", []string{
			"1 of 15 actions is done.",
			"Unknown</span> No indicator is linked to this objective.",
			"Unknown</span> No baseline has been recorded.",
			"On track</span> 0 in 2023 is not higher than 99.5, the value for 2023 on the path from 104 (baseline 2022) to 95 (target 2024).",
			"The figures are as they were known on the reference date, 2024-09-01:",
		}, []string{"Er is geen", "niet hoger", "De cijfers zijn", "peildatum,"}},
		{"long before", "/programma/2024/voortgang?peildatum=2019-01-01", []string{
			"Onbekend</span> De nulmeting (2022) was op de peildatum nog niet bekend.",
		}, []string{"2022: 104", "0 in 2023"}},
		{"long before in English", "/programma/2024/voortgang?peildatum=2019-01-01&taal=en", []string{
			"Unknown</span> The baseline (2022) was not yet known on the reference date.",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.h, tt.path, "raadslid")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", tt.path, resp.StatusCode, body)
			}
			checkBody(t, tt.path, body, tt.want, tt.not)
			checkProgrammePage(t, tt.path, body)
		})
	}

	// Objective 2 (HIC) has no baseline: its latest value is the one the indicator
	// table shows, 2023 (2024 is under way on 1 September 2024).
	_, body := get(t, s.h, "/programma/2024/voortgang", "raadslid")
	o2 := between(body, `id="voortgang-2"`, `id="voortgang-3"`)
	if !strings.Contains(o2, "<dt>Laatste waarde</dt><dd>2023: 0</dd>") {
		t.Errorf("objective 2 does not show the latest value 2023: 0:\n%s", o2)
	}
	// Two of 15 done: plural again.
	b := s.actions[1]
	b.Status = baken.ActionDone
	if _, err := s.db.UpdateAction(ctx, b); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, s.h, "/programma/2024/voortgang?taal=en", "raadslid")
	checkBody(t, "progress with two done", body, []string{"2 of 15 actions are done."}, nil)
}

// between returns the part of s from the first from up to the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		s = s[:j]
	}
	return s
}

// A new programme starts in the first year of the plan's period without a programme,
// and saves as it is; with every year taken the year is left empty.
func TestProgrammeNewYear(t *testing.T) {
	s := newProgrammeSite(t) // 1 September 2024; the plan runs 2023-2026, 2024 has a programme
	_, body := get(t, s.h, "/programma/nieuw", "beleidsadviseur")
	checkBody(t, "/programma/nieuw", body, []string{`name="jaar" value="2025"`}, nil)
	form := url.Values{"plan": {s.plan}, "jaar": {"2025"}, "status": {"concept"}}
	if resp, body := postForm(t, s.h, "/programma/nieuw", "beleidsadviseur", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /programma/nieuw with the year offered = %d\n%s", resp.StatusCode, body)
	}
	_, body = get(t, s.h, "/programma/nieuw", "beleidsadviseur")
	checkBody(t, "/programma/nieuw after 2025", body, []string{`name="jaar" value="2026"`}, nil)
	// With every coming year taken, the latest year before this one that has none.
	for _, want := range []string{"2023", ""} {
		y := 2026
		if want == "" {
			y = 2023
		}
		if _, err := s.db.CreateProgramme(sysCtx(), baken.Programme{PlanID: s.plan, Gemeente: "GM0384", Year: y, Status: baken.ProgrammeConcept}); err != nil {
			t.Fatal(err)
		}
		_, body = get(t, s.h, "/programma/nieuw", "beleidsadviseur")
		checkBody(t, "/programma/nieuw after "+strconv.Itoa(y), body, []string{`name="jaar" value="` + want + `"`}, nil)
	}
	checkProgrammePage(t, "/programma/nieuw", body)
}
