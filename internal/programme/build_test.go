package programme_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/demo"
	"baken/internal/programme"
	"baken/internal/report"
	"baken/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/programme -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got; run go test ./internal/programme -update if the change is right):\n%s", path, diff)
	}
}

// The demo's documents, made twice from the same inputs, are the same bytes, and match
// the golden files.
func TestDemoDocuments(t *testing.T) {
	t.Parallel()
	db := demoStore(t)
	ctx := sys()
	adopted := day(t, "2024-02-06")

	l, err := programme.BuildLetter(ctx, db, demo.Gemeente, 2024, adopted)
	if err != nil {
		t.Fatal(err)
	}
	if l.GemeenteName != "Diemen" || l.ProgrammeYear != 2024 || !l.Decision.Equal(adopted) || !l.AsOf.Equal(adopted) ||
		len(l.Priorities) != 3 || len(l.Themes) != 2 || l.Summary == "" || l.FollowUp == "" || l.PlanPeriod != "2023-2026" {
		t.Errorf("letter = %+v", l)
	}
	var codes []string
	for _, in := range l.Indicators {
		codes = append(codes, in.Code)
		if !in.Count || in.AreaName != "gemeente Diemen" || len(in.Values) != 4 || in.Values[0].Period != 2020 || in.Values[3].Period != 2023 {
			t.Errorf("indicator %s: %+v", in.Code, in)
		}
	}
	// Objectives first (2: HIC, 3: youth nuisance), then the themes' (youth nuisance, E33), each once.
	if diff := cmp.Diff([]string{demo.IndicatorHIC, demo.IndicatorYouthNuisance, demo.IndicatorConfused}, codes); diff != "" {
		t.Errorf("indicators (-want +got):\n%s", diff)
	}
	youth := l.Indicators[1]
	var got []float64
	for _, v := range youth.Values {
		got = append(got, v.Value)
	}
	if diff := cmp.Diff([]float64{258, 123, 104, 98}, got); diff != "" {
		t.Errorf("youth nuisance in the letter (-published +got):\n%s", diff)
	}
	if !slices.ContainsFunc(l.Notes, func(n string) bool { return strings.Contains(n, "gegenereerde demodata") }) {
		t.Errorf("the demo letter does not say its figures are demo data: %q", l.Notes)
	}

	for _, f := range []report.Format{report.Markdown, report.HTML} {
		var a, b bytes.Buffer
		if err := programme.Write(ctx, db, &a, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, f); err != nil {
			t.Fatal(err)
		}
		if err := programme.Write(ctx, db, &b, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the same letter twice gave different bytes", f)
		}
		golden(t, "raadsinformatiebrief-2024-demo"+report.Extension(f), a.Bytes())
	}

	// The progress report a year on: objective 3 is judged on 2024.
	p, err := programme.BuildProgress(ctx, db, demo.Gemeente, 2024, day(t, "2025-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Objectives) != 5 || p.ActionsTotal != 15 || p.ActionsDone != 0 || len(p.Indicators) != 2 {
		t.Errorf("progress: %d objectives, %d/%d actions done, %d indicators", len(p.Objectives), p.ActionsDone, p.ActionsTotal, len(p.Indicators))
	}
	o3 := p.Objectives[2]
	if o3.Indicator != demo.IndicatorYouthNuisance || o3.Actual == nil || o3.Actual.Year != 2024 || o3.Target == nil ||
		o3.Target.Value != 95 || o3.Judgement == report.Unknown || len(o3.Actions) != 4 {
		t.Errorf("objective 3 = %+v", o3)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if o := p.Objectives[i]; o.Judgement != report.Unknown || o.Reason == "" {
			t.Errorf("objective %d = %s (%q), want unknown with a reason", o.Number, o.Judgement, o.Reason)
		}
	}
	if len(p.Verdicts) != len(p.Objectives) || p.Verdicts[2].Why.Kind != programme.NotHigher || p.Verdicts[2].Why.Baseline.Year != 2023 ||
		p.Verdicts[0].Why.Kind != programme.NoIndicator || p.Demo != programme.AllDemo {
		t.Errorf("verdicts %+v, demo %v", p.Verdicts, p.Demo)
	}
	// Objective 2 has no baseline, so nothing is judged; its latest value is still the
	// one the indicator table shows for 2024.
	o2 := p.Objectives[1]
	hic := p.Indicators[slices.IndexFunc(p.Indicators, func(in report.Indicator) bool { return in.Code == demo.IndicatorHIC })]
	if last := hic.Values[len(hic.Values)-1]; o2.Indicator != demo.IndicatorHIC || o2.Actual == nil ||
		*o2.Actual != (report.YearValue{Year: last.Period, Value: last.Value}) || last.Period != 2024 || p.Verdicts[1].Why.Kind != programme.NoBaseline {
		t.Errorf("objective 2 = %+v, actual %+v, want the table's %+v", o2, o2.Actual, last)
	}
	if len(p.Objectives[0].Priorities) != 1 || len(p.Objectives[3].Priorities) != 0 {
		t.Errorf("priorities of objectives 1 and 4: %v, %v", p.Objectives[0].Priorities, p.Objectives[3].Priorities)
	}
	var md bytes.Buffer
	if err := programme.Write(ctx, db, &md, store.DocumentProgress, demo.Gemeente, 2024, day(t, "2025-03-01"), report.Markdown); err != nil {
		t.Fatal(err)
	}
	golden(t, "voortgang-2024-demo.md", md.Bytes())
	// On the day the programme was adopted nothing after the baseline is known yet.
	early, err := programme.BuildProgress(ctx, db, demo.Gemeente, 2024, adopted)
	if err != nil {
		t.Fatal(err)
	}
	if o := early.Objectives[2]; o.Judgement != report.Unknown || o.Actual == nil || *o.Actual != (report.YearValue{Year: 2023, Value: 98}) ||
		early.Verdicts[2].Why.Kind != programme.NoValue {
		t.Errorf("objective 3 on 2024-02-06 = %+v, want unknown with the latest value 2023: 98", o)
	}
	// Long before: the baseline of 2023 was not known, nor any value.
	before, err := programme.BuildProgress(ctx, db, demo.Gemeente, 2024, day(t, "2019-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if o := before.Objectives[2]; o.Baseline != nil || o.Actual != nil || o.Judgement != report.Unknown ||
		before.Verdicts[2].Why != (programme.Reason{Kind: programme.BaselineNotKnown, Year: 2023}) ||
		o.Reason != "De nulmeting (2023) was op de peildatum nog niet bekend." {
		t.Errorf("objective 3 on 2019-01-01 = %+v (%+v), want no baseline yet", o, before.Verdicts[2])
	}

	// What does not exist or may not be seen.
	if _, err := programme.BuildLetter(ctx, db, demo.Gemeente, 2025, adopted); !baken.IsKind(err, baken.NotFound) {
		t.Errorf("a year without a programme: err = %v, want not found", err)
	}
	other := baken.WithActor(t.Context(), baken.Actor{UserID: "u-ams", Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{"GM0363"}})
	if _, err := programme.BuildLetter(other, db, demo.Gemeente, 2024, adopted); !baken.IsKind(err, baken.NotFound) {
		t.Errorf("another municipality: err = %v, want not found", err)
	}
	if _, err := programme.BuildProgress(ctx, db, "Diemen", 24, adopted); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("bad gemeente and year: err = %v, want invalid", err)
	}
	if err := programme.Write(ctx, db, &md, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, report.XLSX); !baken.IsKind(err, baken.Invalid) {
		t.Errorf("a council letter as xlsx: err = %v, want invalid", err)
	}
}

// Issuing stores the rendered bytes; issuing again makes a second document and leaves
// the first as it was.
func TestIssue(t *testing.T) {
	t.Parallel()
	db := demoStore(t)
	ctx := sys()
	adopted := day(t, "2024-02-06")
	first, err := programme.Issue(ctx, db, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, report.Markdown)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := programme.Write(ctx, db, &want, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, report.Markdown); err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindIssuedDocument(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored.Body, want.Bytes()) || stored.Kind != store.DocumentCouncilLetter || stored.Format != "md" ||
		!stored.AsOf.Equal(adopted) || stored.IssuedBy != "system:test" {
		t.Errorf("issued = %+v", stored)
	}

	// The programme changes; the letter issued again differs, the first stays.
	progs, err := db.FindProgrammes(ctx, demo.Gemeente)
	if err != nil {
		t.Fatal(err)
	}
	prog := progs[0]
	prog.FollowUp += " De raad krijgt in het najaar een tussenstand."
	if _, err := db.UpdateProgramme(ctx, prog); err != nil {
		t.Fatal(err)
	}
	second, err := programme.Issue(ctx, db, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, report.Markdown)
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == first.ID || second.SHA256 == first.SHA256 {
		t.Errorf("second issue %+v, first %+v: want a new, different document", second, first)
	}
	again, err := db.FindIssuedDocument(ctx, first.ID)
	if err != nil || !bytes.Equal(again.Body, want.Bytes()) || again.SHA256 != first.SHA256 {
		t.Errorf("the first issued letter changed: %v", err)
	}
	list, err := db.FindIssuedDocuments(ctx, prog.ID)
	if err != nil || len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
		t.Errorf("issued documents = %+v, %v", list, err)
	}

	// A progress workbook is issued too; readers may not issue.
	if d, err := programme.Issue(ctx, db, store.DocumentProgress, demo.Gemeente, 2024, time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), report.XLSX); err != nil || d.Format != "xlsx" || d.Size == 0 {
		t.Errorf("progress as xlsx: %+v, %v", d, err)
	}
	reader := baken.WithActor(t.Context(), baken.Actor{UserID: "u-raad", Roles: []baken.Role{baken.RoleCouncillor}, Gemeenten: []string{demo.Gemeente}})
	if _, err := programme.Issue(reader, db, store.DocumentCouncilLetter, demo.Gemeente, 2024, adopted, report.HTML); !baken.IsKind(err, baken.Forbidden) {
		t.Errorf("raadslid issues: err = %v, want forbidden", err)
	}
	// The role is checked before anything is built: a programme that does not exist is
	// not even looked up.
	if _, err := programme.Issue(reader, db, store.DocumentCouncilLetter, demo.Gemeente, 1999, adopted, report.HTML); !baken.IsKind(err, baken.Forbidden) {
		t.Errorf("raadslid issues a missing programme: err = %v, want forbidden", err)
	}
}
