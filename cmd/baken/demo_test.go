package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// The README's first command and its API tour: the demo serves the published
// youth-nuisance figures through the API, to a demo token.
func TestDemoServesTheAPITour(t *testing.T) {
	addr := startServe(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "demo.db"), "--log-level", "warn")
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(token, path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1"+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := get("bkn_demo_beleidsadviseur", "/stats/trend?category=overlast-jeugd&interval=year&area=GM0384")
	var trend struct {
		Points []struct {
			Period string `json:"period"`
			Count  int    `json:"count"`
		} `json:"points"`
		Generated bool `json:"generated"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&trend); err != nil {
		t.Fatalf("trend: %d %v", resp.StatusCode, err)
	}
	got := map[string]int{}
	for _, p := range trend.Points {
		got[p.Period] = p.Count
	}
	for year, want := range map[string]int{"2020": 258, "2021": 123, "2022": 104, "2023": 98} {
		if got[year] != want {
			t.Errorf("youth nuisance %s = %d, want the published %d", year, got[year], want)
		}
	}
	if !trend.Generated {
		t.Error("the demo's figures are not labelled as generated")
	}
	if r := get("", "/stats/trend?category=overlast-jeugd"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", r.StatusCode)
	}
	if r := get("bkn_demo_raadslid", "/registrations?limit=1"); r.StatusCode != http.StatusForbidden {
		t.Errorf("raadslid reading registrations: %d, want 403", r.StatusCode)
	}
}
