package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

var evaluationTests = []Test{
	{"EvaluationsLatestPerSelection", func(t *testing.T, open Opener) {
		clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		db := open(t, store.Options{Now: func() time.Time { return clock }})
		analyst := actorContext("u-analist", baken.RoleAnalyst, "GM0384")
		const burglary = "area=GM0384&categories=woninginbraak&cell=125&horizon=2w"
		save := func(key string, events int, result string) store.Evaluation {
			t.Helper()
			e, err := db.SaveEvaluation(analyst, store.Evaluation{Gemeente: "GM0384", Kind: store.EvaluationForecast, Key: key,
				Events: events, Result: json.RawMessage(result)})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}

		if _, err := db.LatestEvaluation(analyst, "GM0384", store.EvaluationForecast, burglary); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("latest before any run: err = %v, want not found", err)
		}
		first := save(burglary, 412, `{"best":"kde"}`)
		if first.ID == "" || !first.RunAt.Equal(clock) || first.RunBy != "u-analist" {
			t.Errorf("saved = %+v: want an id, the clock's time and the actor", first)
		}
		clock = clock.Add(24 * time.Hour)
		second := save(burglary, 430, `{"best":"sepp","methods":[1,2]}`)
		save("area=GM0384&cell=125&horizon=2w", 9000, `{}`) // another selection

		got, err := db.LatestEvaluation(analyst, "GM0384", store.EvaluationForecast, burglary)
		if err != nil {
			t.Fatal(err)
		}
		var res map[string]any
		if err := json.Unmarshal(got.Result, &res); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"best": "sepp", "methods": []any{1.0, 2.0}}
		if diff := cmp.Diff(want, res); diff != "" || got.ID != second.ID || got.Events != 430 || !got.RunAt.Equal(clock) {
			t.Errorf("latest = %+v, result mismatch (-want +got):\n%s", got, diff)
		}
		if _, err := db.LatestEvaluation(analyst, "GM0384", store.EvaluationHotspots, burglary); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("latest hotspot evaluation: err = %v, want not found (only forecasts were stored)", err)
		}

		// A councillor of the municipality may read it; another municipality's user may not
		// see it, nor store one for Diemen.
		if _, err := db.LatestEvaluation(actorContext("u-raad", baken.RoleCouncillor, "GM0384"), "GM0384", store.EvaluationForecast, burglary); err != nil {
			t.Errorf("councillor reads the latest evaluation: %v", err)
		}
		amsterdam := actorContext("u-ams", baken.RoleAnalyst, "GM0363")
		if _, err := db.LatestEvaluation(amsterdam, "GM0384", store.EvaluationForecast, burglary); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another municipality reads Diemen's evaluation: err = %v, want not found", err)
		}
		if _, err := db.SaveEvaluation(amsterdam, store.Evaluation{Gemeente: "GM0384", Kind: store.EvaluationForecast, Key: burglary,
			Result: json.RawMessage(`{}`)}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("another municipality stores for Diemen: err = %v, want forbidden", err)
		}
		if _, err := db.SaveEvaluation(actorContext("u-raad", baken.RoleCouncillor, "GM0384"), store.Evaluation{Gemeente: "GM0384",
			Kind: store.EvaluationForecast, Key: burglary, Result: json.RawMessage(`{}`)}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("a councillor stores an evaluation: err = %v, want forbidden", err)
		}
	}},
	{"EvaluationsInvalid", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		_, err := db.SaveEvaluation(SystemContext(), store.Evaluation{Gemeente: "Diemen", Kind: "guess", Events: -1,
			Result: json.RawMessage(`{"open":`)})
		got := fieldsOf(err)
		want := map[string]bool{"gemeente": true, "kind": true, "key": true, "events": true, "result": true}
		if diff := cmp.Diff(want, got); diff != "" || !baken.IsKind(err, baken.Invalid) {
			t.Errorf("invalid evaluation: err = %v, fields mismatch (-want +got):\n%s", err, diff)
		}
	}},
}
