package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"baken/internal/baken"
)

// EvaluationKind says what an evaluation measured.
type EvaluationKind string

const (
	// EvaluationForecast is a rolling-origin evaluation of forecasting methods: hit rate
	// and PAI per method.
	EvaluationForecast EvaluationKind = "forecast"
	// EvaluationHotspots is a check of hotspot maps on later data.
	EvaluationHotspots EvaluationKind = "hotspots"
)

// ParseEvaluationKind accepts forecast and hotspots.
func ParseEvaluationKind(s string) (EvaluationKind, error) {
	switch k := EvaluationKind(s); k {
	case EvaluationForecast, EvaluationHotspots:
		return k, nil
	}
	return "", baken.Errorf(baken.Invalid, "kind", "%q: want forecast or hotspots", s)
}

// maxSelectionKey bounds a selection key; a key is a short canonical text, never a list
// of thousands of codes.
const maxSelectionKey = 2000

// Evaluation is the stored outcome of one evaluation run on one selection of a
// municipality's registrations. Key is the canonical text of the selection (the caller
// builds it, so that the same selection always gives the same key); Result is the
// outcome as JSON, whose shape is the caller's. Evaluations are about places and times,
// never about persons.
type Evaluation struct {
	Gemeente string
	ID       string
	Kind     EvaluationKind
	Key      string
	RunAt    time.Time
	RunBy    string
	Events   int // events the evaluation used
	Result   json.RawMessage
}

// SaveEvaluation stores an evaluation; ID, RunAt (the transaction's time) and RunBy (the
// actor) are set here. The system, a beheerder, an analist or a beleidsadviseur of the
// municipality may save one. Kinds: Invalid, Forbidden.
func (db *DB) SaveEvaluation(ctx context.Context, e Evaluation) (Evaluation, error) {
	var errs baken.FieldErrors
	if l, err := baken.LevelOfCode(e.Gemeente); err != nil || l != baken.LevelGemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "%q is not a CBS gemeente code", e.Gemeente))
	}
	if _, err := ParseEvaluationKind(string(e.Kind)); err != nil {
		errs = append(errs, baken.Errorf(baken.Invalid, "kind", "%q: want forecast or hotspots", e.Kind))
	}
	if e.Key == "" || len(e.Key) > maxSelectionKey {
		errs = append(errs, baken.Errorf(baken.Invalid, "key", "a selection key of 1 to %d bytes is required", maxSelectionKey))
	}
	if e.Events < 0 {
		errs = append(errs, baken.Errorf(baken.Invalid, "events", "%d: cannot be negative", e.Events))
	}
	if !json.Valid(e.Result) {
		errs = append(errs, baken.Errorf(baken.Invalid, "result", "not JSON"))
	}
	if err := errs.Err(); err != nil {
		return e, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return e, err
	}
	defer tx.Rollback()
	a := tx.actor
	if !a.HasRole(baken.RoleSystem) && !a.HasRole(baken.RoleAdmin) && !a.HasRole(baken.RoleAnalyst) && !a.HasRole(baken.RolePolicy) {
		return e, &baken.Error{Kind: baken.Forbidden, Message: "only an analist, beleidsadviseur or beheerder stores evaluations"}
	}
	if !a.MaySee(e.Gemeente) {
		return e, baken.Errorf(baken.Forbidden, "gemeente", "%s is not one of your municipalities", e.Gemeente)
	}
	if e.ID, err = newID(); err != nil {
		return e, err
	}
	e.RunAt, e.RunBy = tx.now, a.UserID
	if _, err := tx.Exec(ctx, `INSERT INTO evaluations (gemeente, id, kind, selection_key, run_at, run_by, events, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.Gemeente, e.ID, string(e.Kind), e.Key, tx.db.timeArg(e.RunAt), e.RunBy, e.Events,
		string(e.Result)); err != nil {
		return e, fmt.Errorf("save evaluation: %w", err)
	}
	return e, tx.Commit()
}

// LatestEvaluation returns the most recent evaluation of kind on the selection key in
// gemeente. Any actor who may see the municipality may read it: it holds aggregates
// about places only. Kinds: NotFound (none yet, or a municipality the actor may not see).
func (db *DB) LatestEvaluation(ctx context.Context, gemeente string, kind EvaluationKind, key string) (Evaluation, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return Evaluation{}, err
	}
	defer tx.Rollback()
	notFound := baken.Errorf(baken.NotFound, "evaluation", "no %s evaluation of this selection in %s yet", kind, gemeente)
	if !tx.actor.MaySee(gemeente) {
		return Evaluation{}, notFound
	}
	var e Evaluation
	var at Time
	var result string
	err = tx.QueryRow(ctx, `SELECT gemeente, id, kind, selection_key, run_at, run_by, events, result FROM evaluations
		WHERE gemeente = ? AND kind = ? AND selection_key = ? ORDER BY run_at DESC, id DESC LIMIT 1`,
		gemeente, string(kind), key).Scan(&e.Gemeente, &e.ID, &e.Kind, &e.Key, &at, &e.RunBy, &e.Events, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return Evaluation{}, notFound
	}
	if err != nil {
		return Evaluation{}, fmt.Errorf("latest evaluation: %w", err)
	}
	e.RunAt, e.Result = at.Time, json.RawMessage(result)
	return e, nil
}
