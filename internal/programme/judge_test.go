package programme_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/programme"
	"baken/internal/report"
)

func TestJudge(t *testing.T) {
	youth := baken.Objective{Number: 3, Title: "Minder jeugdoverlast", Kind: baken.ObjectiveEffect, IndicatorIDs: []string{"i"},
		Baseline: &baken.YearValue{Year: 2023, Value: 98}, Targets: []baken.YearValue{{Year: 2024, Value: 95}}, Direction: baken.DirectionDown}
	with := func(change func(o *baken.Objective)) baken.Objective {
		o := youth
		change(&o)
		return o
	}
	vals := func(vs ...report.Value) []report.Value { return vs }
	yv := func(y int, v float64) *report.YearValue { return &report.YearValue{Year: y, Value: v} }
	for _, tc := range []struct {
		name      string
		o         baken.Objective
		year      int
		values    []report.Value
		want      report.Judgement
		target    *report.YearValue
		actual    *report.YearValue
		reasonHas string
		why       programme.ReasonKind
	}{
		{"down, below the target", youth, 2024, vals(report.Value{Period: 2023, Value: 98}, report.Value{Period: 2024, Value: 90}),
			report.OnTrack, yv(2024, 95), yv(2024, 90), "90 in 2024 is niet hoger dan 95", programme.NotHigher},
		{"down, exactly on the target", youth, 2024, vals(report.Value{Period: 2024, Value: 95}),
			report.OnTrack, yv(2024, 95), yv(2024, 95), "niet hoger", programme.NotHigher},
		{"down, above the target", youth, 2024, vals(report.Value{Period: 2024, Value: 96}),
			report.OffTrack, yv(2024, 95), yv(2024, 96), "96 in 2024 is hoger dan 95", programme.Higher},
		{"up, above the path", with(func(o *baken.Objective) {
			o.Direction, o.Baseline, o.Targets = baken.DirectionUp, &baken.YearValue{Year: 2022, Value: 6.5}, []baken.YearValue{{Year: 2026, Value: 7.5}}
		}), 2024, vals(report.Value{Period: 2023, Value: 6.8, Provisional: true}),
			// The path reaches 6,75 in 2023: a quarter of the way from 6,5 to 7,5.
			report.OnTrack, yv(2026, 7.5), &report.YearValue{Year: 2023, Value: 6.8, Provisional: true}, "6,8 in 2023 (voorlopig) is niet lager dan 6,75", programme.NotLower},
		{"up, below the path", with(func(o *baken.Objective) {
			o.Direction, o.Baseline, o.Targets = baken.DirectionUp, &baken.YearValue{Year: 2022, Value: 6.5}, []baken.YearValue{{Year: 2026, Value: 7.5}}
		}), 2024, vals(report.Value{Period: 2023, Value: 6.7}),
			report.OffTrack, yv(2026, 7.5), yv(2023, 6.7), "is lager dan 6,75", programme.Lower},
		{"down, path of a multi-year target", with(func(o *baken.Objective) {
			o.Baseline, o.Targets = &baken.YearValue{Year: 2022, Value: 100}, []baken.YearValue{{Year: 2023, Value: 99}, {Year: 2026, Value: 80}}
		}), 2024, vals(report.Value{Period: 2023, Value: 99}, report.Value{Period: 2024, Value: 91}),
			// The 2026 target counts for 2024; the path is at 90 in 2024: 91 is above it.
			report.OffTrack, yv(2026, 80), yv(2024, 91), "hoger dan 90", programme.Higher},
		{"the latest value counts", youth, 2024, vals(report.Value{Period: 2024, Value: 90}, report.Value{Period: 2023, Value: 120}),
			report.OnTrack, yv(2024, 95), yv(2024, 90), "", programme.NotHigher},
		{"target year equals the baseline year", with(func(o *baken.Objective) {
			o.Baseline, o.Targets = &baken.YearValue{Year: 2024, Value: 98}, []baken.YearValue{{Year: 2024, Value: 95}}
		}), 2024, vals(report.Value{Period: 2024, Value: 97}),
			report.Unknown, yv(2024, 95), yv(2024, 97), "nog geen waarde van na de nulmeting (2024)", programme.NoValue},
		{"no value after the baseline", youth, 2024, vals(report.Value{Period: 2022, Value: 104}, report.Value{Period: 2023, Value: 98}),
			report.Unknown, yv(2024, 95), yv(2023, 98), "nog geen waarde van na de nulmeting (2023)", programme.NoValue},
		{"a value after the programme year does not count", youth, 2024, vals(report.Value{Period: 2025, Value: 50}),
			report.Unknown, yv(2024, 95), nil, "nog geen waarde", programme.NoValue},
		{"no indicator", with(func(o *baken.Objective) { o.IndicatorIDs = nil }), 2024, vals(report.Value{Period: 2024, Value: 1}),
			report.Unknown, yv(2024, 95), nil, "geen indicator", programme.NoIndicator},
		{"no baseline", with(func(o *baken.Objective) { o.Baseline = nil }), 2024, vals(report.Value{Period: 2024, Value: 1}),
			report.Unknown, yv(2024, 95), yv(2024, 1), "geen nulmeting", programme.NoBaseline},
		{"no target", with(func(o *baken.Objective) { o.Targets = nil }), 2024, vals(report.Value{Period: 2024, Value: 1}),
			report.Unknown, nil, yv(2024, 1), "geen streefwaarde voor 2024 of later", programme.NoTarget},
		{"only an earlier target", with(func(o *baken.Objective) { o.Targets = []baken.YearValue{{Year: 2023, Value: 90}} }), 2024,
			vals(report.Value{Period: 2024, Value: 1}), report.Unknown, nil, yv(2024, 1), "geen streefwaarde", programme.NoTarget},
		{"no direction", with(func(o *baken.Objective) { o.Direction = "" }), 2024, vals(report.Value{Period: 2024, Value: 1}),
			report.Unknown, yv(2024, 95), yv(2024, 1), "dalen of stijgen", programme.NoDirection},
		{"no values", youth, 2024, nil, report.Unknown, yv(2024, 95), nil, "nog geen waarde", programme.NoValue},
		// The latest value is shown even when nothing can be judged, so that the
		// objective shows what the indicator table shows.
		{"no baseline, the latest value up to the programme year", with(func(o *baken.Objective) { o.Baseline = nil }), 2024,
			vals(report.Value{Period: 2022, Value: 337}, report.Value{Period: 2024, Value: 320}, report.Value{Period: 2023, Value: 341}, report.Value{Period: 2025, Value: 1}),
			report.Unknown, yv(2024, 95), yv(2024, 320), "geen nulmeting", programme.NoBaseline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := programme.Judge(tc.o, tc.year, tc.values)
			if got.Judgement != tc.want {
				t.Errorf("judgement %s, want %s (reason %q)", got.Judgement, tc.want, got.Reason)
			}
			if diff := cmp.Diff(tc.target, got.Target); diff != "" {
				t.Errorf("target (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.actual, got.Actual); diff != "" {
				t.Errorf("actual (-want +got):\n%s", diff)
			}
			if got.Reason == "" || !strings.Contains(strings.ToLower(got.Reason), strings.ToLower(tc.reasonHas)) {
				t.Errorf("reason %q does not say %q", got.Reason, tc.reasonHas)
			}
			if got.Why.Kind != tc.why {
				t.Errorf("why %q, want %q", got.Why.Kind, tc.why)
			}
		})
	}
}
