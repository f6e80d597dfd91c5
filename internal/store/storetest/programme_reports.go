package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

// regOn returns a registration of category on a local day (noon, Amsterdam) in a buurt of
// Diemen.
func regOn(key, day, category, buurt string) baken.Registration {
	r := Reg(key, 0)
	d, err := time.ParseInLocation(time.DateOnly, day, amsterdam())
	if err != nil {
		panic(err)
	}
	r.OccurredAt = d.Add(12 * time.Hour).UTC()
	r.LocalDay, r.Category, r.Buurt, r.Wijk = day, category, buurt, "WK"+buurt[2:8]
	r.ContentHash = "h-" + key
	return r
}

var programmeReportTests = []Test{
	{"ProgrammeThemesAndIndicatorLinks", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		policy := actorContext("u-beleid", baken.RolePolicy, "GM0384")
		d := seedDiemen(t, db, policy)
		ind := func(ctx context.Context, gm, code string) baken.Indicator {
			t.Helper()
			in, err := db.CreateIndicator(ctx, baken.Indicator{Gemeente: gm, Code: code, Name: code, Unit: "registraties",
				Source: "Baken", Computed: true, Categories: []string{"overlast-jeugd"}})
			if err != nil {
				t.Fatal(err)
			}
			return in
		}
		youth, e33 := ind(policy, "GM0384", "jeugdoverlast"), ind(policy, "GM0384", "e33")
		amsterdam := ind(SystemContext(), "GM0363", "jeugdoverlast")

		// The letter's texts and current themes, with their indicators.
		p := d.programme
		p.Summary, p.FollowUp = "Het college stelde het jaarprogramma vast.", "Het presidium wordt gevraagd het te agenderen."
		p.Themes = []baken.CurrentTheme{
			{Title: "Jeugdoverlast en -criminaliteit", Text: "Al jaren minder registraties.", IndicatorIDs: []string{youth.ID}},
			{Title: "Zorg en veiligheid", Text: "Nieuw: onbegrepen gedrag.", IndicatorIDs: []string{e33.ID}},
		}
		p, err := db.UpdateProgramme(policy, p)
		if err != nil || p.Version != 2 {
			t.Fatalf("UpdateProgramme = %+v, %v", p, err)
		}
		got, err := db.FindProgramme(policy, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("programme read back (-written +read):\n%s", diff)
		}
		hist, err := db.ProgrammeHistory(policy, store.EntityProgramme, p.ID)
		if err != nil || len(hist) != 1 {
			t.Fatalf("programme history = %+v, %v", hist, err)
		}
		var old baken.Programme
		if err := json.Unmarshal(hist[0].Body, &old); err != nil || old.Summary != "" || len(old.Themes) != 0 {
			t.Errorf("history keeps the version before the themes: %+v, %v", old, err)
		}

		// An objective measured by indicators, the main one first.
		o := d.objectives[2]
		o.IndicatorIDs = []string{youth.ID, e33.ID}
		if o, err = db.UpdateObjective(policy, o); err != nil || o.Version != 2 {
			t.Fatalf("UpdateObjective = %+v, %v", o, err)
		}
		if got, err := db.FindObjective(policy, o.ID); err != nil || !cmp.Equal(got.IndicatorIDs, []string{youth.ID, e33.ID}) {
			t.Errorf("objective indicators = %v, %v", got.IndicatorIDs, err)
		}
		if objs, err := db.FindObjectives(policy, d.programme.ID); err != nil || len(objs[0].IndicatorIDs) != 0 || len(objs[2].IndicatorIDs) != 2 {
			t.Errorf("FindObjectives indicators: %v", err)
		}
		created, err := db.CreateObjective(policy, baken.Objective{ProgrammeID: d.programme.ID, Number: 6, Title: "Minder verward gedrag",
			Kind: baken.ObjectiveEffect, IndicatorIDs: []string{e33.ID}})
		if err != nil || created.IndicatorIDs[0] != e33.ID {
			t.Errorf("CreateObjective with an indicator = %+v, %v", created, err)
		}

		// Links to another municipality's or no indicator are refused per field.
		bad := o
		bad.IndicatorIDs = []string{youth.ID, amsterdam.ID, "bestaat-niet"}
		_, err = db.UpdateObjective(policy, bad)
		if f := fieldsOf(err); !baken.IsKind(err, baken.Invalid) || !f["indicator_ids[1]"] || !f["indicator_ids[2]"] || f["indicator_ids[0]"] {
			t.Errorf("objective with foreign indicators: err = %v (fields %v)", err, f)
		}
		badP := p
		badP.Themes = []baken.CurrentTheme{{Title: "x", IndicatorIDs: []string{amsterdam.ID}}}
		_, err = db.UpdateProgramme(policy, badP)
		if f := fieldsOf(err); !baken.IsKind(err, baken.Invalid) || !f["themes[0].indicator_ids[0]"] {
			t.Errorf("theme with a foreign indicator: err = %v (fields %v)", err, f)
		}
		if got, _ := db.FindProgramme(policy, p.ID); got.Version != 2 {
			t.Errorf("a refused update changed the programme: version %d", got.Version)
		}
	}},
	{"IssuedDocumentsAreAppendOnly", func(t *testing.T, open Opener) {
		now := time.Date(2024, time.February, 6, 15, 0, 0, 0, time.UTC)
		db := open(t, store.Options{Now: FixedClock(now)})
		policy := actorContext("u-beleid", baken.RolePolicy, "GM0384")
		d := seedDiemen(t, db, policy)
		asOf := time.Date(2024, time.February, 6, 0, 0, 0, 0, time.UTC)
		body := []byte("# Raadsinformatiebrief\n\nJaarprogramma 2024\n")
		first, err := db.IssueDocument(policy, store.IssuedDocument{ProgrammeID: d.programme.ID, Kind: store.DocumentCouncilLetter,
			Format: "md", AsOf: asOf, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		if first.ID == "" || first.Gemeente != "GM0384" || first.IssuedBy != "u-beleid" || !first.IssuedAt.Equal(now) ||
			first.SHA256 != hex.EncodeToString(sum[:]) || first.Size != len(body) || !first.AsOf.Equal(asOf) {
			t.Errorf("issued = %+v", first)
		}
		// Issuing the same letter again makes a second document; the first stays as it was.
		second, err := db.IssueDocument(policy, store.IssuedDocument{ProgrammeID: d.programme.ID, Kind: store.DocumentCouncilLetter,
			Format: "md", AsOf: asOf, Body: []byte("# Raadsinformatiebrief\n\nJaarprogramma 2024, herzien\n")})
		if err != nil || second.ID == first.ID {
			t.Fatalf("second issue = %+v, %v", second, err)
		}
		list, err := db.FindIssuedDocuments(policy, d.programme.ID)
		if err != nil || len(list) != 2 || list[0].Body != nil || list[1].Body != nil {
			t.Fatalf("FindIssuedDocuments = %+v, %v", list, err)
		}
		firstNoBody := first
		firstNoBody.Body = nil
		if diff := cmp.Diff([]store.IssuedDocument{firstNoBody, {}}, []store.IssuedDocument{list[0], {}}); diff != "" {
			t.Errorf("listed first document (-issued +listed):\n%s", diff)
		}
		again, err := db.FindIssuedDocument(policy, first.ID)
		if err != nil || !bytes.Equal(again.Body, body) || again.SHA256 != first.SHA256 {
			t.Errorf("FindIssuedDocument = %+v, %v", again, err)
		}

		// The database refuses every change and deletion.
		raw := db.RawForTest()
		for _, q := range []string{`UPDATE issued_documents SET format = 'html'`, `UPDATE issued_documents SET body = body`,
			`DELETE FROM issued_documents`} {
			if _, err := raw.ExecContext(context.Background(), q); err == nil {
				t.Errorf("%s: no error, want the append-only trigger to refuse it", q)
			}
		}
		if again, err := db.FindIssuedDocument(policy, first.ID); err != nil || !bytes.Equal(again.Body, body) {
			t.Errorf("first document after the refused changes: %v", err)
		}

		// Readers of the gemeente read, only writers issue, others see nothing.
		analyst := actorContext("u-analist", baken.RoleAnalyst, "GM0384")
		if l, err := db.FindIssuedDocuments(analyst, d.programme.ID); err != nil || len(l) != 2 {
			t.Errorf("analist lists: %d, %v", len(l), err)
		}
		if _, err := db.FindIssuedDocument(analyst, first.ID); err != nil {
			t.Errorf("analist reads: %v", err)
		}
		if _, err := db.IssueDocument(analyst, store.IssuedDocument{ProgrammeID: d.programme.ID, Kind: store.DocumentProgress,
			Format: "md", AsOf: asOf, Body: body}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analist issues: err = %v, want forbidden", err)
		}
		other := actorContext("u-ams", baken.RolePolicy, "GM0363")
		if _, err := db.FindIssuedDocuments(other, d.programme.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another municipality lists: err = %v, want not found", err)
		}
		if _, err := db.FindIssuedDocument(other, first.ID); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another municipality reads: err = %v, want not found", err)
		}
		if _, err := db.IssueDocument(other, store.IssuedDocument{ProgrammeID: d.programme.ID, Kind: store.DocumentProgress,
			Format: "md", AsOf: asOf, Body: body}); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another municipality issues: err = %v, want not found", err)
		}

		// Validation per field; a reference date after today is not known yet.
		_, err = db.IssueDocument(policy, store.IssuedDocument{Kind: "brief", Format: "Word 2007"})
		if f := fieldsOf(err); !f["kind"] || !f["format"] || !f["as_of"] || !f["body"] || !f["programme_id"] {
			t.Errorf("invalid document: err = %v (fields %v)", err, f)
		}
		_, err = db.IssueDocument(policy, store.IssuedDocument{ProgrammeID: d.programme.ID, Kind: store.DocumentProgress,
			Format: "md", AsOf: asOf.AddDate(0, 0, 1), Body: body})
		if f := fieldsOf(err); !f["as_of"] {
			t.Errorf("reference date tomorrow: err = %v", err)
		}
		if list, _ := db.FindIssuedDocuments(policy, d.programme.ID); len(list) != 2 {
			t.Errorf("%d documents after refused issues, want 2", len(list))
		}
	}},
	{"YearCountsAsOf", func(t *testing.T, open Opener) {
		var now time.Time
		db := open(t, store.Options{Now: func() time.Time { return now }})
		ctx := SystemContext()
		at := func(s string) {
			var err error
			if now, err = time.Parse(time.RFC3339, s); err != nil {
				t.Fatal(err)
			}
		}
		// Registrations, stored at different moments. The reference date 6 February 2024
		// ends at 2024-02-06T23:00Z (CET).
		at("2024-01-10T12:00:00Z")
		importRows(t, db, ctx, "politie",
			regOn("a", "2023-05-01", "overlast-jeugd", "BU03840101"),
			regOn("b", "2023-12-31", "overlast-jeugd", "BU03840101"),
			regOn("c", "2024-01-05", "overlast-jeugd", "BU03840101"),
			regOn("d", "2023-06-01", "verward-gedrag", "BU03840101"))
		at("2024-02-06T10:00:00Z")
		importRows(t, db, ctx, "politie", regOn("f", "2024-02-06", "overlast-jeugd", "BU03840101"))
		at("2024-02-06T22:30:00Z") // 23:30 in Diemen: still the reference date
		importRows(t, db, ctx, "politie", regOn("g", "2023-08-01", "overlast-jeugd", "BU03840101"))
		at("2024-02-07T09:00:00Z") // imported after the reference date: must not count
		importRows(t, db, ctx, "politie", regOn("e", "2023-07-01", "overlast-jeugd", "BU03840201"))
		at("2024-03-01T09:00:00Z")
		gen := regOn("h", "2023-09-01", "overlast-jeugd", "BU03840101")
		gen.Generated = true // demo data: known from the day it occurred
		importRows(t, db, ctx, "demo", gen)
		importRows(t, db, ctx, "politie", regOn("i", "2024-02-10", "overlast-jeugd", "BU03840101"))

		// Police open-data counts: a gemeente figure revised later, a wijk figure removed
		// later, a month figure first stored later.
		gm := Cnt("GM0384", "overlast-jeugd", "2023-01-01", baken.PrecisionYear, 10)
		wk := Cnt("WK038401", "overlast-jeugd", "2023-01-01", baken.PrecisionYear, 4)
		at("2024-01-15T08:00:00Z")
		replaceCounts(t, db, ctx, store.CountsImport{Source: "politie-open", Table: "47024NED", Counts: []baken.Count{gm, wk}})
		at("2024-03-01T10:00:00Z")
		revised := gm
		revised.N = 12
		month := Cnt("GM0384", "overlast-jeugd", "2023-12-01", baken.PrecisionMonth, 3)
		replaceCounts(t, db, ctx, store.CountsImport{Source: "politie-open", Table: "47024NED",
			Counts: []baken.Count{revised, month}, Scope: scopes(revised, wk)})
		at("2024-03-10T10:00:00Z")

		day := func(s string) time.Time {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		for _, tc := range []struct {
			name string
			f    store.AsOfFilter
			want []store.YearCount
		}{
			{"gemeente on the reference date", store.AsOfFilter{From: 2022, To: 2025, AsOf: day("2024-02-06")}, []store.YearCount{
				{Year: 2022},
				{Year: 2023, Registrations: 4, Generated: 1, Police: 10}, // a, b, g, h; not e (imported later), not d (other category)
				{Year: 2024, Registrations: 2},                           // c, f; not i (occurred later)
			}},
			{"gemeente later", store.AsOfFilter{From: 2023, To: 2024, AsOf: day("2024-03-05")}, []store.YearCount{
				{Year: 2023, Registrations: 5, Generated: 1, Police: 15},
				{Year: 2024, Registrations: 3},
			}},
			{"wijk on the reference date", store.AsOfFilter{Area: "WK038401", From: 2023, To: 2023, AsOf: day("2024-02-06")}, []store.YearCount{
				{Year: 2023, Registrations: 4, Generated: 1, Police: 4},
			}},
			{"wijk later: its police figure was removed", store.AsOfFilter{Area: "WK038401", From: 2023, To: 2023, AsOf: day("2024-03-05")}, []store.YearCount{
				{Year: 2023, Registrations: 4, Generated: 1},
			}},
			{"buurt", store.AsOfFilter{Area: "BU03840201", From: 2023, To: 2023, AsOf: day("2024-03-05")}, []store.YearCount{
				{Year: 2023, Registrations: 1},
			}},
			{"before anything was stored", store.AsOfFilter{From: 2023, To: 2023, AsOf: day("2024-01-09")}, []store.YearCount{
				{Year: 2023, Registrations: 1, Generated: 1},
			}},
			{"two categories", store.AsOfFilter{Categories: []string{"overlast-jeugd", "verward-gedrag"}, From: 2023, To: 2023, AsOf: day("2024-02-06")}, []store.YearCount{
				{Year: 2023, Registrations: 5, Generated: 1, Police: 10},
			}},
		} {
			f := tc.f
			f.Gemeente = "GM0384"
			if f.Categories == nil {
				f.Categories = []string{"overlast-jeugd"}
			}
			got, err := db.YearCountsAsOf(ctx, f)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}

		// Now, every figure as the rollups have it.
		trend := trendCounts(t, db, ctx, store.RollupFilter{Gemeenten: []string{"GM0384"}, Categories: []string{"overlast-jeugd"},
			Area: "GM0384"}, store.IntervalYear)
		now2 := day("2024-03-10")
		got, err := db.YearCountsAsOf(ctx, store.AsOfFilter{Gemeente: "GM0384", Categories: []string{"overlast-jeugd"}, From: 2023, To: 2024, AsOf: now2})
		if err != nil {
			t.Fatal(err)
		}
		for _, yc := range got {
			if tr := trend[itoa(yc.Year)]; tr[0]+tr[1] != yc.Total() {
				t.Errorf("%d: as of today %d, the rollups say %v", yc.Year, yc.Total(), tr)
			}
		}

		if _, err := db.YearCountsAsOf(actorContext("u-ams", baken.RolePolicy, "GM0363"), store.AsOfFilter{Gemeente: "GM0384",
			Categories: []string{"overlast-jeugd"}, From: 2023, To: 2023, AsOf: now2}); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another municipality: err = %v, want not found", err)
		}
		_, err = db.YearCountsAsOf(ctx, store.AsOfFilter{Gemeente: "Diemen", Area: "WK036301", From: 2024, To: 2023})
		if f := fieldsOf(err); !f["gemeente"] || !f["area"] || !f["categories"] || !f["to"] || !f["as_of"] {
			t.Errorf("invalid filter: err = %v (fields %v)", err, f)
		}
	}},
}
