package api_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/api"
)

// created runs a POST that must answer 201 with a Location, and returns the new id.
func created(t *testing.T, h *harness, c call) string {
	t.Helper()
	c.method, c.status = "POST", http.StatusCreated
	res := h.run(t, c)
	id, _ := res.object(t)["id"].(string)
	if loc := res.header.Get("Location"); id == "" || !strings.HasSuffix(loc, "/"+id) || !strings.HasPrefix(loc, api.Prefix+"/") {
		t.Fatalf("%s: id %q, Location %q", c.name, id, loc)
	}
	return id
}

// wantMembers checks members of the answer's object.
func wantMembers(want map[string]any) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		got := r.object(t)
		for k, w := range want {
			if diff := cmp.Diff(w, got[k]); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", k, diff)
			}
		}
	}
}

// wantItems checks the number of items of a list, and members of each in turn.
func wantItems(n int, each ...map[string]any) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		var l struct {
			Items []map[string]any `json:"items"`
		}
		r.decode(t, &l)
		if len(l.Items) != n {
			t.Fatalf("%d items, want %d: %s", len(l.Items), n, r.body)
		}
		for i, want := range each {
			for k, w := range want {
				if diff := cmp.Diff(w, l.Items[i][k]); diff != "" {
					t.Errorf("item %d: %s mismatch (-want +got):\n%s", i, k, diff)
				}
			}
		}
	}
}

// runProgrammeCalls builds a plan, programme, objective, action, indicator and
// measurement through the API and changes each, checking every answer against the
// OpenAPI document: creation, validation per field, roles, other municipalities,
// version conflicts and history.
func runProgrammeCalls(t *testing.T, h *harness) {
	run := func(c call) result {
		t.Helper()
		var res result
		t.Run(c.name, func(t *testing.T) { res = h.run(t, c) })
		return res
	}
	mustID := func(c call) string {
		t.Helper()
		var id string
		t.Run(c.name, func(t *testing.T) { id = created(t, h, c) })
		if id == "" {
			t.FailNow()
		}
		return id
	}

	// Plans.
	plan := mustID(call{name: "create plan", target: "/plans", as: "beleid",
		body: `{"title":"Veilig Diemen 2023-2026","period_from":2023,"period_to":2026,"vision":"Samen veilig.","decision_date":"2023-03-01","status":"in-uitvoering"}`})
	run(call{name: "create plan invalid", method: "POST", target: "/plans", as: "beleid", invalid: true, status: 400,
		body:  `{"title":" ","period_from":2030,"period_to":2020,"status":"bezig","colour":"red","decision_date":"1-3-2023"}`,
		check: wantFields("colour", "decision_date", "period_to", "status", "title")})
	run(call{name: "create plan wrong types", method: "POST", target: "/plans", as: "beleid", invalid: true, status: 400,
		body: `{"title":7,"period_from":"2023","period_to":2026.5,"status":"concept"}`, check: wantFields("period_from", "period_to", "title")})
	run(call{name: "create plan by analist", method: "POST", target: "/plans", as: "analist", status: 403,
		body: `{"title":"x","period_from":2023,"period_to":2026,"status":"concept"}`})
	run(call{name: "create plan in another municipality", method: "POST", target: "/plans", as: "amsterdam", status: 403,
		body: `{"gemeente":"GM0384","title":"x","period_from":2023,"period_to":2026,"status":"concept"}`, check: wantFields("gemeente")})
	run(call{name: "create plan not JSON", method: "POST", target: "/plans", as: "beleid", invalid: true, status: 400,
		body: `{"title":`, check: wantFields("body")})
	run(call{name: "list plans", target: "/plans", as: "raadslid", status: 200,
		check: wantItems(1, map[string]any{"id": plan, "gemeente": "GM0384", "decision_date": "2023-03-01", "version": 1.0, "updated_by": "u-beleid", "updated_by_name": "Bea Beleid"})})
	run(call{name: "list plans of a gemeente", target: "/plans?gemeente=GM0384", as: "system", status: 200, check: wantItems(1)})
	run(call{name: "list plans of another gemeente", target: "/plans?gemeente=GM0363", as: "beleid", status: 404, check: wantFields("gemeente")})
	run(call{name: "list plans of no gemeente", target: "/plans?gemeente=Diemen", as: "beleid", status: 400, invalid: true, check: wantFields("gemeente")})
	run(call{name: "list plans unauthenticated", target: "/plans", status: 401, invalid: true})
	run(call{name: "get plan", target: "/plans/" + plan, as: "analist", status: 200,
		check: wantMembers(map[string]any{"title": "Veilig Diemen 2023-2026", "vision": "Samen veilig.", "adopted_by": "", "status": "in-uitvoering"})})
	run(call{name: "get plan of another municipality", target: "/plans/" + plan, as: "amsterdam", status: 404})
	run(call{name: "update plan", method: "PUT", target: "/plans/" + plan, as: "beheerder", status: 200,
		body:  `{"title":"Veilig Diemen","period_from":2023,"period_to":2026,"adopted_by":"gemeenteraad","status":"in-uitvoering","version":1}`,
		check: wantMembers(map[string]any{"version": 2.0, "vision": "", "decision_date": nil, "adopted_by": "gemeenteraad", "updated_by": "u-beheerder", "updated_by_name": "Bert Beheerder"})})
	run(call{name: "plan history", target: "/plans/" + plan + "/history", as: "raadslid", status: 200,
		check: func(t *testing.T, r result) {
			wantItems(1, map[string]any{"entity": "plan", "id": plan, "version": 1.0, "changed_by": "u-beheerder",
				"changed_by_name": "Bert Beheerder"})(t, r)
			var l struct {
				Items []struct {
					Body map[string]any `json:"body"`
				} `json:"items"`
			}
			r.decode(t, &l)
			if b := l.Items[0].Body; b["title"] != "Veilig Diemen 2023-2026" || b["decision_date"] != "2023-03-01" || b["version"] != 1.0 ||
				b["updated_by_name"] != "Bea Beleid" {
				t.Errorf("version 1 in the history: %v", b)
			}
		}})

	// Priorities.
	prio := mustID(call{name: "create priority", target: "/plans/" + plan + "/priorities", as: "beleid",
		body: `{"rank":1,"title":"Ondermijning","themes":["5.2"]}`})
	run(call{name: "create priority invalid theme", method: "POST", target: "/plans/" + plan + "/priorities", as: "beleid", status: 400,
		invalid: true, body: `{"rank":0,"title":"x","themes":["9.9"]}`, check: wantFields("rank", "themes[0]")})
	run(call{name: "create priority of an unknown plan", method: "POST", target: "/plans/0190d0b4-0000-7000-8000-000000000000/priorities",
		as: "beleid", status: 404, body: `{"rank":1,"title":"x"}`})
	run(call{name: "list priorities", target: "/plans/" + plan + "/priorities", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"id": prio, "plan_id": plan, "themes": []any{"5.2"}, "summary": ""})})
	run(call{name: "get priority", target: "/priorities/" + prio, as: "analist", status: 200, check: wantMembers(map[string]any{"rank": 1.0})})
	run(call{name: "update priority", method: "PUT", target: "/priorities/" + prio, as: "beleid", status: 200,
		body: `{"rank":1,"title":"Ondermijning aanpakken","themes":["5.2","5.3"],"version":1}`, check: wantMembers(map[string]any{"version": 2.0})})
	run(call{name: "priority history", target: "/priorities/" + prio + "/history", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"entity": "priority", "version": 1.0, "changed_by_name": "Bea Beleid"})})
	// The system has no name to give.
	run(call{name: "update priority as the system", method: "PUT", target: "/priorities/" + prio, as: "system", status: 200,
		body: `{"rank":1,"title":"Ondermijning aanpakken","themes":["5.2","5.3"],"summary":"Samen met de politie.","version":2}`})
	run(call{name: "priority history after the system", target: "/priorities/" + prio + "/history", as: "analist", status: 200,
		check: wantItems(2, map[string]any{"changed_by": "u-beleid", "changed_by_name": "Bea Beleid"},
			map[string]any{"version": 2.0, "changed_by": "system:test", "changed_by_name": nil})})

	// Programmes.
	prog := mustID(call{name: "create programme", target: "/programmes", as: "beleid",
		body: `{"plan_id":"` + plan + `","year":2024,"status":"vastgesteld","adopted_at":"2024-02-06T10:00:00+01:00","decision_date":"2024-02-06",
			"summary":"Het college stelde het jaarprogramma vast.","themes":[{"title":"Jeugdoverlast","text":"Meer jeugdboa's.","indicator_ids":[]}]}`})
	run(call{name: "create programme twice", method: "POST", target: "/programmes", as: "beleid", status: 409,
		body: `{"plan_id":"` + plan + `","year":2024,"status":"concept"}`, check: wantFields("year")})
	run(call{name: "create programme outside the plan", method: "POST", target: "/programmes", as: "beleid", status: 400,
		body: `{"plan_id":"` + plan + `","year":2030,"status":"concept"}`, check: wantFields("year")})
	run(call{name: "create programme of an unknown plan", method: "POST", target: "/programmes", as: "beleid", status: 400,
		body: `{"plan_id":"nope","year":2024,"status":"concept"}`, check: wantFields("plan_id")})
	run(call{name: "list programmes", target: "/programmes", as: "raadslid", status: 200,
		check: wantItems(1, map[string]any{"id": prog, "year": 2024.0, "adopted_at": "2024-02-06T09:00:00Z", "decision_date": "2024-02-06",
			"summary": "Het college stelde het jaarprogramma vast.", "follow_up": "",
			"themes": []any{map[string]any{"title": "Jeugdoverlast", "text": "Meer jeugdboa's.", "indicator_ids": []any{}}}})})
	run(call{name: "create programme with a bad theme", method: "POST", target: "/programmes", as: "beleid", status: 400, invalid: true,
		body:  `{"plan_id":"` + plan + `","year":2025,"status":"concept","themes":[{"title":"","indicator_ids":["x","x"]}]}`,
		check: wantFields("themes[0].indicator_ids[1]", "themes[0].title")})
	run(call{name: "list programmes of a year", target: "/programmes?year=2025", as: "raadslid", status: 200, check: wantItems(0)})
	run(call{name: "list programmes of a bad year", target: "/programmes?year=twee", as: "raadslid", status: 400, invalid: true,
		check: wantFields("year")})
	run(call{name: "get programme", target: "/programmes/" + prog, as: "analist", status: 200, check: wantMembers(map[string]any{"plan_id": plan})})
	run(call{name: "update programme", method: "PUT", target: "/programmes/" + prog, as: "beleid", status: 200,
		body:  `{"year":2024,"status":"in-uitvoering","adopted_at":"2024-02-06T09:00:00Z","decision_date":"2024-02-06","follow_up":"In 2025 volgt de evaluatie.","version":1}`,
		check: wantMembers(map[string]any{"status": "in-uitvoering", "version": 2.0, "summary": "", "themes": []any{}, "follow_up": "In 2025 volgt de evaluatie."})})
	run(call{name: "programme history", target: "/programmes/" + prog + "/history", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"entity": "programme"})})

	// Objectives.
	obj := mustID(call{name: "create objective", target: "/programmes/" + prog + "/objectives", as: "beleid",
		body: `{"number":1,"title":"Minder jeugdoverlast","kind":"effect","priority_ids":["` + prio + `"],"baseline":{"year":2023,"value":98},
			"targets":[{"year":2026,"value":80}],"direction":"down"}`})
	run(call{name: "create objective without direction", method: "POST", target: "/programmes/" + prog + "/objectives", as: "beleid",
		status: 400, body: `{"number":2,"title":"x","kind":"output","targets":[{"year":2026,"value":80}]}`, check: wantFields("direction")})
	run(call{name: "create objective with an unknown priority", method: "POST", target: "/programmes/" + prog + "/objectives", as: "beleid",
		status: 400, body: `{"number":2,"title":"x","kind":"output","priority_ids":["nope"]}`, check: wantFields("priority_ids[0]")})
	run(call{name: "create objective number taken", method: "POST", target: "/programmes/" + prog + "/objectives", as: "beleid",
		status: 409, body: `{"number":1,"title":"x","kind":"output"}`, check: wantFields("number")})
	run(call{name: "create objective bad baseline", method: "POST", target: "/programmes/" + prog + "/objectives", as: "beleid",
		status: 400, invalid: true, body: `{"number":2,"title":"x","kind":"output","baseline":{"year":2023,"waarde":1}}`, check: wantFields("baseline")})
	run(call{name: "list objectives", target: "/programmes/" + prog + "/objectives", as: "raadslid", status: 200,
		check: wantItems(1, map[string]any{"id": obj, "baseline": map[string]any{"year": 2023.0, "value": 98.0}, "direction": "down",
			"targets": []any{map[string]any{"year": 2026.0, "value": 80.0}}, "priority_ids": []any{prio}})})
	run(call{name: "list objectives of another municipality", target: "/programmes/" + prog + "/objectives", as: "amsterdam", status: 404})
	run(call{name: "get objective", target: "/objectives/" + obj, as: "analist", status: 200, check: wantMembers(map[string]any{"number": 1.0})})
	run(call{name: "update objective", method: "PUT", target: "/objectives/" + obj, as: "beleid", status: 200,
		body:  `{"number":1,"title":"Minder jeugdoverlast","kind":"effect","priority_ids":[],"baseline":null,"targets":[],"direction":null,"version":1}`,
		check: wantMembers(map[string]any{"baseline": nil, "direction": nil, "priority_ids": []any{}, "version": 2.0})})
	run(call{name: "objective history", target: "/objectives/" + obj + "/history", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"entity": "objective", "version": 1.0})})

	// Actions: the version check.
	act := mustID(call{name: "create action", target: "/objectives/" + obj + "/actions", as: "beleid",
		body: `{"title":"Jeugdboa's inzetten, ook 's nachts","owner_team":"Stadstoezicht","partners":["Politie","Jeugdboa's"],
			"period_from":"2024-01-01","period_to":"2024-12-31","status":"gepland"}`})
	run(call{name: "list actions", target: "/objectives/" + obj + "/actions", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"id": act, "rag": nil, "carried_over_from": nil, "period_to": "2024-12-31"})})
	actionBody := func(status string, version int) string {
		return fmt.Sprintf(`{"title":"Jeugdboa's inzetten, ook 's nachts","owner_team":"Stadstoezicht","partners":["Politie","Jeugdboa's"],
			"period_from":"2024-01-01","period_to":"2024-12-31","status":%q,"rag":"groen","progress_notes":"Loopt.","version":%d}`, status, version)
	}
	run(call{name: "update action", method: "PUT", target: "/actions/" + act, as: "beleid", status: 200, body: actionBody("gestart", 1),
		check: wantMembers(map[string]any{"status": "gestart", "rag": "groen", "progress_notes": "Loopt.", "version": 2.0})})
	run(call{name: "update action stale", method: "PUT", target: "/actions/" + act, as: "beheerder", status: 409, body: actionBody("afgerond", 1),
		check: wantFields("version")})
	run(call{name: "update action without version", method: "PUT", target: "/actions/" + act, as: "beleid", status: 400, invalid: true,
		body: strings.Replace(actionBody("afgerond", 2), `,"version":2`, "", 1), check: wantFields("version")})
	run(call{name: "update action invalid", method: "PUT", target: "/actions/" + act, as: "beleid", status: 400, invalid: true,
		body:  `{"title":"","status":"bezig","period_from":"2024-06-01","period_to":"2024-01-01","rag":"paars","version":2}`,
		check: wantFields("period_to", "rag", "status", "title")})
	run(call{name: "update action by analist", method: "PUT", target: "/actions/" + act, as: "analist", status: 403, body: actionBody("afgerond", 2)})
	run(call{name: "update action of another municipality", method: "PUT", target: "/actions/" + act, as: "amsterdam", status: 404,
		body: actionBody("afgerond", 2)})
	run(call{name: "get action after refusals", target: "/actions/" + act, as: "analist", status: 200,
		check: wantMembers(map[string]any{"status": "gestart", "version": 2.0})})
	run(call{name: "action history", target: "/actions/" + act + "/history", as: "raadslid", status: 200,
		check: func(t *testing.T, r result) {
			wantItems(1, map[string]any{"entity": "action", "id": act, "version": 1.0, "changed_by": "u-beleid", "changed_by_name": "Bea Beleid"})(t, r)
			var l struct {
				Items []struct {
					Body map[string]any `json:"body"`
				} `json:"items"`
			}
			r.decode(t, &l)
			if b := l.Items[0].Body; b["status"] != "gepland" || b["rag"] != nil || b["period_from"] != "2024-01-01" {
				t.Errorf("version 1 in the history: %v", b)
			}
		}})
	run(call{name: "action history of another municipality", target: "/actions/" + act + "/history", as: "amsterdam", status: 404})

	// Indicators and measurements.
	computed := mustID(call{name: "create indicator", target: "/indicators", as: "beleid",
		body: `{"code":"jeugdoverlast","name":"Jeugdoverlast per jaar","unit":"registraties","source":"Baken","computed":true,"categories":["overlast-jeugd"]}`})
	run(call{name: "create indicator code taken", method: "POST", target: "/indicators", as: "beleid", status: 409,
		body: `{"code":"jeugdoverlast","name":"x","unit":"x","source":"x"}`, check: wantFields("code")})
	run(call{name: "create indicator invalid", method: "POST", target: "/indicators", as: "beleid", status: 400,
		body:    `{"code":"enquête","name":"x","unit":"%","source":"Veiligheidsmonitor","categories":["overlast-jeugd"],"per_thousand":true}`,
		invalid: true, check: wantFields("categories", "code", "per_thousand")})
	entered := mustID(call{name: "create entered indicator", target: "/indicators", as: "beheerder",
		body: `{"gemeente":"GM0384","code":"veiligheidsgevoel","name":"Voelt zich veilig in de buurt","unit":"%","source":"Veiligheidsmonitor"}`})
	run(call{name: "list indicators", target: "/indicators", as: "raadslid", status: 200,
		check: wantItems(2, map[string]any{"id": computed, "area": nil}, map[string]any{"id": entered, "computed": false})})
	run(call{name: "get indicator", target: "/indicators/" + computed, as: "analist", status: 200,
		check: wantMembers(map[string]any{"categories": []any{"overlast-jeugd"}})})
	run(call{name: "update indicator", method: "PUT", target: "/indicators/" + computed, as: "beleid", status: 200,
		body:  `{"code":"jeugdoverlast","name":"Jeugdoverlast per jaar","unit":"registraties","source":"Baken","computed":true,"categories":["overlast-jeugd"],"area":"GM0384","version":1}`,
		check: wantMembers(map[string]any{"area": "GM0384", "version": 2.0})})
	run(call{name: "indicator history", target: "/indicators/" + computed + "/history", as: "analist", status: 200, check: wantItems(1)})
	run(call{name: "link the objective to indicators", method: "PUT", target: "/objectives/" + obj, as: "beleid", status: 200,
		body:  `{"number":1,"title":"Minder jeugdoverlast","kind":"effect","indicator_ids":["` + computed + `","` + entered + `"],"version":2}`,
		check: wantMembers(map[string]any{"indicator_ids": []any{computed, entered}, "version": 3.0})})
	run(call{name: "link the objective to an unknown indicator", method: "PUT", target: "/objectives/" + obj, as: "beleid", status: 400,
		body: `{"number":1,"title":"Minder jeugdoverlast","kind":"effect","indicator_ids":["nope"],"version":3}`, check: wantFields("indicator_ids[0]")})
	run(call{name: "create measurement", method: "POST", target: "/indicators/" + entered + "/measurements", as: "beleid", status: 201,
		body: `{"area":"GM0384","period":2023,"value":71.5,"status":"voorlopig"}`,
		check: func(t *testing.T, r result) {
			if loc := r.header.Get("Location"); loc != api.Prefix+"/indicators/"+entered+"/measurements/GM0384/2023" {
				t.Errorf("Location %q", loc)
			}
		}})
	run(call{name: "create measurement again", method: "POST", target: "/indicators/" + entered + "/measurements", as: "beleid", status: 409,
		body: `{"area":"GM0384","period":2023,"value":72,"status":"voorlopig"}`, check: wantFields("period")})
	run(call{name: "create measurement elsewhere", method: "POST", target: "/indicators/" + entered + "/measurements", as: "beleid", status: 400,
		body: `{"area":"GM0363","period":2023,"value":72,"status":"voorlopig"}`, check: wantFields("area")})
	run(call{name: "list measurements", target: "/indicators/" + entered + "/measurements", as: "raadslid", status: 200,
		check: wantItems(1, map[string]any{"area": "GM0384", "period": 2023.0, "value": 71.5})})
	run(call{name: "get measurement", target: "/indicators/" + entered + "/measurements/GM0384/2023", as: "analist", status: 200,
		check: wantMembers(map[string]any{"status": "voorlopig"})})
	run(call{name: "get measurement of another year", target: "/indicators/" + entered + "/measurements/GM0384/2022", as: "analist", status: 404})
	run(call{name: "update measurement", method: "PUT", target: "/indicators/" + entered + "/measurements/GM0384/2023", as: "beleid", status: 200,
		body: `{"value":72,"status":"definitief","version":1}`, check: wantMembers(map[string]any{"value": 72.0, "status": "definitief", "version": 2.0})})
	run(call{name: "measurement history", target: "/indicators/" + entered + "/measurements/GM0384/2023/history", as: "analist", status: 200,
		check: wantItems(1, map[string]any{"entity": "measurement", "id": entered + "/GM0384/2023", "version": 1.0})})

	runDocumentCalls(t, h, prog)
}

// wantFile checks a document answer: its media type, file name and first bytes.
func wantFile(contentType, filename, start string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		t.Helper()
		if ct := r.header.Get("Content-Type"); ct != contentType {
			t.Errorf("Content-Type %q, want %q", ct, contentType)
		}
		if cd, want := r.header.Get("Content-Disposition"), `attachment; filename="`+filename+`"`; cd != want {
			t.Errorf("Content-Disposition %q, want %q", cd, want)
		}
		if !bytes.HasPrefix(r.body, []byte(start)) {
			t.Errorf("body starts %.20q, want %q", r.body, start)
		}
	}
}

// runDocumentCalls renders the programme's documents, issues one and reads it back.
func runDocumentCalls(t *testing.T, h *harness, prog string) {
	run := func(c call) result {
		t.Helper()
		var res result
		t.Run(c.name, func(t *testing.T) { res = h.run(t, c) })
		return res
	}
	const (
		md   = "text/markdown; charset=utf-8"
		xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	)
	base := "/programmes/" + prog
	letter := run(call{name: "council letter", target: base + "/council-letter?format=md&as_of=2025-05-31", as: "analist", status: 200,
		check: wantFile(md, "council-letter-2024-GM0384-2025-05-31.md", "#")})
	run(call{name: "council letter today as PDF", target: base + "/council-letter?format=pdf", as: "raadslid", status: 200,
		check: wantFile("application/pdf", "council-letter-2024-GM0384-2025-06-01.pdf", "%PDF")})
	run(call{name: "council letter as HTML", target: base + "/council-letter?format=html&as_of=2024-12-31", as: "raadslid", status: 200,
		check: wantFile("text/html; charset=utf-8", "council-letter-2024-GM0384-2024-12-31.html", "<!doctype html>")})
	run(call{name: "council letter as Word", target: base + "/council-letter?format=docx", as: "beleid", status: 200,
		check: wantFile("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "council-letter-2024-GM0384-2025-06-01.docx", "PK")})
	run(call{name: "council letter as Excel", target: base + "/council-letter?format=xlsx", as: "analist", status: 400, invalid: true,
		check: wantFields("format")})
	run(call{name: "council letter of a day to come", target: base + "/council-letter?format=md&as_of=2025-06-02", as: "analist", status: 400,
		check: wantFields("as_of")})
	run(call{name: "council letter without format", target: base + "/council-letter?as_of=juni", as: "analist", status: 400, invalid: true,
		check: wantFields("as_of", "format")})
	run(call{name: "council letter of another municipality", target: base + "/council-letter?format=md", as: "amsterdam", status: 404})
	run(call{name: "progress report as Excel", target: base + "/progress?format=xlsx&as_of=2025-05-31", as: "analist", status: 200,
		check: wantFile(xlsx, "progress-2024-GM0384-2025-05-31.xlsx", "PK")})
	run(call{name: "progress report as Markdown", target: base + "/progress?format=md", as: "analist", status: 200,
		check: wantFile(md, "progress-2024-GM0384-2025-06-01.md", "#")})
	run(call{name: "no documents issued", target: base + "/documents", as: "raadslid", status: 200, check: wantItems(0)})

	issue := `{"kind":"council-letter","format":"md","as_of":"2025-05-31"}`
	run(call{name: "issue by analist", method: "POST", target: base + "/documents", as: "analist", status: 403, body: issue})
	run(call{name: "issue in another municipality", method: "POST", target: base + "/documents", as: "amsterdam", status: 404, body: issue})
	run(call{name: "issue invalid", method: "POST", target: base + "/documents", as: "beleid", status: 400, invalid: true,
		body: `{"kind":"brief","format":"md","as_of":"31-05-2025","colour":"red"}`, check: wantFields("as_of", "colour", "kind")})
	run(call{name: "issue a letter as Excel", method: "POST", target: base + "/documents", as: "beleid", status: 400, invalid: true,
		body: `{"kind":"council-letter","format":"xlsx"}`, check: wantFields("format")})
	run(call{name: "issue of a day to come", method: "POST", target: base + "/documents", as: "beleid", status: 400,
		body: `{"kind":"progress","format":"xlsx","as_of":"2025-06-02"}`, check: wantFields("as_of")})
	var doc string
	var sum string
	t.Run("issue", func(t *testing.T) {
		res := h.run(t, call{method: "POST", target: base + "/documents", as: "beleid", status: 201, body: issue,
			check: wantMembers(map[string]any{"kind": "council-letter", "format": "md", "as_of": "2025-05-31", "issued_by": "u-beleid",
				"issued_by_name": "Bea Beleid", "programme_id": prog, "gemeente": "GM0384", "size": float64(len(letter.body))})})
		o := res.object(t)
		doc, _ = o["id"].(string)
		sum, _ = o["sha256"].(string)
		if loc := res.header.Get("Location"); doc == "" || loc != api.Prefix+"/documents/"+doc || o["url"] != loc {
			t.Fatalf("id %q, Location %q, url %v", doc, loc, o["url"])
		}
		if want := fmt.Sprintf("%x", sha256.Sum256(letter.body)); sum != want {
			t.Errorf("sha256 %s, want that of the rendered letter %s", sum, want)
		}
	})
	if doc == "" {
		t.FailNow()
	}
	run(call{name: "issued documents", target: base + "/documents", as: "raadslid", status: 200,
		check: wantItems(1, map[string]any{"id": doc, "sha256": sum, "issued_by_name": "Bea Beleid"})})
	run(call{name: "issued document", target: "/documents/" + doc, as: "raadslid", status: 200,
		check: func(t *testing.T, r result) {
			wantFile(md, "council-letter-2025-05-31-issued-20250601T100000Z.md", "#")(t, r)
			if !bytes.Equal(r.body, letter.body) {
				t.Errorf("the issued letter differs from the one rendered for the same day")
			}
			if etag := r.header.Get("ETag"); etag != `"`+sum+`"` {
				t.Errorf("ETag %q", etag)
			}
		}})
	run(call{name: "issued document of another municipality", target: "/documents/" + doc, as: "amsterdam", status: 404})
	run(call{name: "issued document unknown", target: "/documents/0190d0b4-0000-7000-8000-000000000000", as: "analist", status: 404})
	run(call{name: "issued document unauthenticated", target: "/documents/" + doc, status: 401, invalid: true})
}
