package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
)

// The programme model: plans, priorities, programmes, objectives, actions, indicators and
// measurements. Only a beleidsadviseur, a beheerder or the system writes them; any actor of
// the gemeente reads them; for other actors they do not exist (NotFound). Every update
// names the version it changes (else Conflict) and keeps the version it replaces in
// programme_history, with who replaced it and when.

// History entity names.
const (
	EntityPlan        = "plan"
	EntityPriority    = "priority"
	EntityProgramme   = "programme"
	EntityObjective   = "objective"
	EntityAction      = "action"
	EntityIndicator   = "indicator"
	EntityMeasurement = "measurement"
)

func requireProgrammeWriter(tx *Tx, gemeente string) error {
	a := tx.actor
	if !a.MayEditProgramme() {
		return &baken.Error{Kind: baken.Forbidden, Message: "only a beleidsadviseur or beheerder changes the programme"}
	}
	if gemeente != "" && !a.MaySee(gemeente) {
		return baken.Errorf(baken.Forbidden, "gemeente", "%s is not one of your municipalities", gemeente)
	}
	return nil
}

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}

func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	return string(b), nil
}

// nonNil makes a nil list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func dateArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

func scanDate(s sql.NullString) (*time.Time, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s.String)
	if err != nil {
		return nil, fmt.Errorf("scan date: %w", err)
	}
	return &t, nil
}

// normDate keeps only the calendar date of t.
func normDate(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// auditCols end every select of a programme table.
const auditCols = `version, created_at, updated_at, updated_by`

type auditScan struct {
	created, updated Time
	a                *baken.Audit
}

func (s *auditScan) dest(a *baken.Audit) []any {
	s.a = a
	return []any{&a.Version, &s.created, &s.updated, &a.UpdatedBy}
}

func (s *auditScan) done() { s.a.CreatedAt, s.a.UpdatedAt = s.created.Time, s.updated.Time }

// stamp sets the audit fields of a new row.
func (tx *Tx) stamp(a *baken.Audit) {
	a.Version, a.CreatedAt, a.UpdatedAt, a.UpdatedBy = 1, tx.now, tx.now, tx.actor.UserID
}

// insert adds a row of a programme table: cols and vals without the audit columns.
func (tx *Tx) insert(ctx context.Context, table string, cols []string, vals []any, a baken.Audit) error {
	cols = append(cols, "version", "created_at", "updated_at", "updated_by")
	vals = append(vals, a.Version, tx.db.timeArg(a.CreatedAt), tx.db.timeArg(a.UpdatedAt), a.UpdatedBy)
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES `+placeholders(1, len(cols)), vals...)
	return err
}

// replace writes old to the history and updates its row to the next version. key holds
// the key columns after gemeente and their values; historyID names the entity in the history.
func (tx *Tx) replace(ctx context.Context, entity, table, gemeente, historyID string, keyCols []string, keyVals []any,
	old any, oldAudit baken.Audit, next *baken.Audit, cols []string, vals []any) error {
	if next.Version != oldAudit.Version {
		return baken.Errorf(baken.Conflict, "version", "version %d was changed meanwhile; the current version is %d", next.Version, oldAudit.Version)
	}
	body, err := json.Marshal(old)
	if err != nil {
		return fmt.Errorf("encode %s history: %w", entity, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO programme_history (gemeente, entity, id, version, body, changed_at, changed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, gemeente, entity, historyID, oldAudit.Version, string(body), tx.db.timeArg(tx.now), tx.actor.UserID); err != nil {
		return fmt.Errorf("write %s history: %w", entity, err)
	}
	*next = baken.Audit{Version: oldAudit.Version + 1, CreatedAt: oldAudit.CreatedAt, UpdatedAt: tx.now, UpdatedBy: tx.actor.UserID}
	set := make([]string, 0, len(cols)+3)
	for _, c := range cols {
		set = append(set, c+" = ?")
	}
	set = append(set, "version = ?", "updated_at = ?", "updated_by = ?")
	args := append(vals, next.Version, tx.db.timeArg(next.UpdatedAt), next.UpdatedBy, gemeente)
	where := []string{"gemeente = ?"}
	for i, c := range keyCols {
		where = append(where, c+" = ?")
		args = append(args, keyVals[i])
	}
	where = append(where, "version = ?")
	args = append(args, oldAudit.Version)
	res, err := tx.Exec(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return fmt.Errorf("update %s: %w", entity, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return baken.Errorf(baken.Conflict, "version", "%s %s was changed meanwhile", entity, historyID)
	}
	return nil
}

func immutable(field, was, now string) error {
	if was != now {
		return baken.Errorf(baken.Invalid, field, "cannot change (%s)", was)
	}
	return nil
}

// visible turns a row the actor may not see into NotFound.
func visible(tx *Tx, err error, gemeente, entity, id string) error {
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !tx.actor.MaySee(gemeente)) {
		return baken.Errorf(baken.NotFound, entity, "no %s %q", entity, id)
	}
	if err != nil {
		return fmt.Errorf("find %s: %w", entity, err)
	}
	return nil
}

// collect scans every row with scan and keeps pick of each, closing rows.
func collect[R, T any](rows *sql.Rows, what string, scan func(interface{ Scan(...any) error }) (R, error), pick func(*R) T) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, pick(&r))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// listOfGemeente returns the rows of query (with one parameter, the gemeente) scanned by
// scan; none when the actor may not see the gemeente.
func listOfGemeente[T any](ctx context.Context, db *DB, what, query, gemeente string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	return read(ctx, db, func(tx *Tx) ([]T, error) {
		if !tx.actor.MaySee(gemeente) {
			return nil, nil
		}
		rows, err := tx.Query(ctx, query, gemeente)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return collect(rows, what, scan, func(v *T) T { return *v })
	})
}

// childrenOf returns the rows of query (with two parameters: the gemeente and id of the
// parent that parent finds, or NotFound) scanned by scan, keeping pick of each.
func childrenOf[R, T any](ctx context.Context, db *DB, what, query string, parent func(tx *Tx) (gemeente, id string, err error),
	scan func(interface{ Scan(...any) error }) (R, error), pick func(*R) T) ([]T, error) {
	return read(ctx, db, func(tx *Tx) ([]T, error) {
		gemeente, id, err := parent(tx)
		if err != nil {
			return nil, err
		}
		rows, err := tx.Query(ctx, query, gemeente, id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return collect(rows, what, scan, pick)
	})
}

// ---- plans

const planSelect = `SELECT gemeente, id, title, period_from, period_to, vision, adopted_by, decision_date, status, ` + auditCols + ` FROM plans`

var planCols = []string{"title", "period_from", "period_to", "vision", "adopted_by", "decision_date", "status"}

func planVals(p *baken.Plan) []any {
	return []any{p.Title, p.PeriodFrom, p.PeriodTo, p.Vision, p.AdoptedBy, dateArg(p.DecisionDate), string(p.Status)}
}

func scanPlan(sc interface{ Scan(...any) error }) (baken.Plan, error) {
	var p baken.Plan
	var date sql.NullString
	var as auditScan
	if err := sc.Scan(append([]any{&p.Gemeente, &p.ID, &p.Title, &p.PeriodFrom, &p.PeriodTo,
		&p.Vision, &p.AdoptedBy, &date, &p.Status}, as.dest(&p.Audit)...)...); err != nil {
		return p, err
	}
	as.done()
	var err error
	p.DecisionDate, err = scanDate(date)
	return p, err
}

func (tx *Tx) findPlan(ctx context.Context, id string) (baken.Plan, error) {
	p, err := scanPlan(tx.QueryRow(ctx, planSelect+` WHERE id = ?`, id))
	if err := visible(tx, err, p.Gemeente, EntityPlan, id); err != nil {
		return baken.Plan{}, err
	}
	return p, nil
}

// CreatePlan stores a new plan. Kinds: Invalid, Forbidden.
func (db *DB) CreatePlan(ctx context.Context, p baken.Plan) (baken.Plan, error) {
	p.DecisionDate = normDate(p.DecisionDate)
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, p.Gemeente); err != nil {
		return p, err
	}
	if p.ID, err = newID(); err != nil {
		return p, err
	}
	tx.stamp(&p.Audit)
	if err := tx.insert(ctx, "plans", append([]string{"gemeente", "id"}, planCols...), append([]any{p.Gemeente, p.ID}, planVals(&p)...), p.Audit); err != nil {
		return p, fmt.Errorf("create plan: %w", err)
	}
	return p, tx.Commit()
}

// UpdatePlan replaces a plan; p.Version must be the version it changes. Kinds: Invalid,
// NotFound, Conflict, Forbidden.
func (db *DB) UpdatePlan(ctx context.Context, p baken.Plan) (baken.Plan, error) {
	p.DecisionDate = normDate(p.DecisionDate)
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return p, err
	}
	old, err := tx.findPlan(ctx, p.ID)
	if err != nil {
		return p, err
	}
	if err := immutable("gemeente", old.Gemeente, p.Gemeente); err != nil {
		return p, err
	}
	if err := tx.replace(ctx, EntityPlan, "plans", old.Gemeente, p.ID, []string{"id"}, []any{p.ID}, old, old.Audit, &p.Audit, planCols, planVals(&p)); err != nil {
		return p, err
	}
	return p, tx.Commit()
}

// FindPlan returns a plan, or NotFound.
func (db *DB) FindPlan(ctx context.Context, id string) (baken.Plan, error) {
	return read(ctx, db, func(tx *Tx) (baken.Plan, error) { return tx.findPlan(ctx, id) })
}

// FindPlans returns the plans of a gemeente, the latest period first; none when the
// actor may not see the gemeente.
func (db *DB) FindPlans(ctx context.Context, gemeente string) ([]baken.Plan, error) {
	return listOfGemeente(ctx, db, "find plans", planSelect+` WHERE gemeente = ? ORDER BY period_from DESC, id`, gemeente, scanPlan)
}

// ---- priorities

const prioritySelect = `SELECT gemeente, id, plan_id, rank, title, themes, summary, ` + auditCols + ` FROM priorities`

var priorityCols = []string{"rank", "title", "themes", "summary"}

func priorityVals(p *baken.Priority) ([]any, error) {
	themes, err := jsonArg(nonNil(p.Themes))
	return []any{p.Rank, p.Title, themes, p.Summary}, err
}

type priorityRow struct {
	baken.Priority
	gemeente string
}

func scanPriority(sc interface{ Scan(...any) error }) (priorityRow, error) {
	var p priorityRow
	var themes string
	var as auditScan
	if err := sc.Scan(append([]any{&p.gemeente, &p.ID, &p.PlanID, &p.Rank, &p.Title, &themes, &p.Summary}, as.dest(&p.Audit)...)...); err != nil {
		return p, err
	}
	as.done()
	if err := json.Unmarshal([]byte(themes), &p.Themes); err != nil {
		return p, fmt.Errorf("decode themes: %w", err)
	}
	return p, nil
}

func (tx *Tx) findPriority(ctx context.Context, id string) (priorityRow, error) {
	p, err := scanPriority(tx.QueryRow(ctx, prioritySelect+` WHERE id = ?`, id))
	if err := visible(tx, err, p.gemeente, EntityPriority, id); err != nil {
		return priorityRow{}, err
	}
	return p, nil
}

// CreatePriority adds a priority to a plan. Kinds: Invalid, NotFound (plan), Forbidden.
func (db *DB) CreatePriority(ctx context.Context, p baken.Priority) (baken.Priority, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return p, err
	}
	plan, err := tx.findPlan(ctx, p.PlanID)
	if err != nil {
		return p, err
	}
	vals, err := priorityVals(&p)
	if err != nil {
		return p, err
	}
	if p.ID, err = newID(); err != nil {
		return p, err
	}
	tx.stamp(&p.Audit)
	if err := tx.insert(ctx, "priorities", append([]string{"gemeente", "id", "plan_id"}, priorityCols...),
		append([]any{plan.Gemeente, p.ID, p.PlanID}, vals...), p.Audit); err != nil {
		return p, fmt.Errorf("create priority: %w", err)
	}
	return p, tx.Commit()
}

// UpdatePriority replaces a priority; p.Version must be the version it changes.
func (db *DB) UpdatePriority(ctx context.Context, p baken.Priority) (baken.Priority, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return p, err
	}
	old, err := tx.findPriority(ctx, p.ID)
	if err != nil {
		return p, err
	}
	if err := immutable("plan_id", old.PlanID, p.PlanID); err != nil {
		return p, err
	}
	vals, err := priorityVals(&p)
	if err != nil {
		return p, err
	}
	if err := tx.replace(ctx, EntityPriority, "priorities", old.gemeente, p.ID, []string{"id"}, []any{p.ID}, old.Priority, old.Audit, &p.Audit, priorityCols, vals); err != nil {
		return p, err
	}
	return p, tx.Commit()
}

// FindPriority returns a priority, or NotFound.
func (db *DB) FindPriority(ctx context.Context, id string) (baken.Priority, error) {
	return read(ctx, db, func(tx *Tx) (baken.Priority, error) {
		p, err := tx.findPriority(ctx, id)
		return p.Priority, err
	})
}

// FindPriorities returns a plan's priorities by rank, or NotFound for the plan.
func (db *DB) FindPriorities(ctx context.Context, planID string) ([]baken.Priority, error) {
	return childrenOf(ctx, db, "find priorities", prioritySelect+` WHERE gemeente = ? AND plan_id = ? ORDER BY rank, id`,
		func(tx *Tx) (string, string, error) {
			plan, err := tx.findPlan(ctx, planID)
			return plan.Gemeente, planID, err
		}, scanPriority, func(r *priorityRow) baken.Priority { return r.Priority })
}

// ---- programmes

const programmeSelect = `SELECT gemeente, id, plan_id, year, adopted_at, decision_date, status, summary, themes, follow_up, ` +
	auditCols + ` FROM programmes`

var programmeCols = []string{"year", "adopted_at", "decision_date", "status", "summary", "themes", "follow_up"}

func (db *DB) programmeVals(p *baken.Programme) ([]any, error) {
	themes := make([]baken.CurrentTheme, len(p.Themes))
	for i, th := range p.Themes {
		th.IndicatorIDs = nonNil(th.IndicatorIDs)
		themes[i] = th
	}
	js, err := jsonArg(themes)
	if err != nil {
		return nil, err
	}
	return []any{p.Year, db.nullTimeArg(p.AdoptedAt), dateArg(p.DecisionDate), string(p.Status), p.Summary, js, p.FollowUp}, nil
}

func scanProgramme(sc interface{ Scan(...any) error }) (baken.Programme, error) {
	var p baken.Programme
	var adopted NullTime
	var date sql.NullString
	var themes string
	var as auditScan
	if err := sc.Scan(append([]any{&p.Gemeente, &p.ID, &p.PlanID, &p.Year, &adopted, &date, &p.Status, &p.Summary, &themes, &p.FollowUp},
		as.dest(&p.Audit)...)...); err != nil {
		return p, err
	}
	as.done()
	if adopted.Valid {
		p.AdoptedAt = &adopted.Time
	}
	if err := json.Unmarshal([]byte(themes), &p.Themes); err != nil {
		return p, fmt.Errorf("decode themes: %w", err)
	}
	var err error
	p.DecisionDate, err = scanDate(date)
	return p, err
}

func (tx *Tx) findProgramme(ctx context.Context, id string) (baken.Programme, error) {
	p, err := scanProgramme(tx.QueryRow(ctx, programmeSelect+` WHERE id = ?`, id))
	if err := visible(tx, err, p.Gemeente, EntityProgramme, id); err != nil {
		return baken.Programme{}, err
	}
	return p, nil
}

// checkIndicators checks that ids name indicators of gemeente; a problem is reported
// under field[i].
func (tx *Tx) checkIndicators(ctx context.Context, gemeente, field string, ids []string) (baken.FieldErrors, error) {
	var errs baken.FieldErrors
	for i, id := range ids {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE gemeente = ? AND id = ?`, gemeente, id).Scan(&n); err != nil {
			return nil, fmt.Errorf("check indicators: %w", err)
		}
		if n == 0 {
			errs = append(errs, baken.Errorf(baken.Invalid, field+"["+strconv.Itoa(i)+"]", "%q is not an indicator of %s", id, gemeente))
		}
	}
	return errs, nil
}

// checkThemeIndicators checks that a programme's current themes name indicators of its gemeente.
func (tx *Tx) checkThemeIndicators(ctx context.Context, p *baken.Programme) error {
	var errs baken.FieldErrors
	for i, th := range p.Themes {
		e, err := tx.checkIndicators(ctx, p.Gemeente, "themes["+strconv.Itoa(i)+"].indicator_ids", th.IndicatorIDs)
		if err != nil {
			return err
		}
		errs = append(errs, e...)
	}
	return errs.Err()
}

// checkProgramme checks p against its plan: same gemeente, year within the plan's period.
func checkProgramme(p *baken.Programme, plan baken.Plan) error {
	var errs baken.FieldErrors
	if plan.Gemeente != p.Gemeente {
		errs = append(errs, baken.Errorf(baken.Invalid, "plan_id", "the plan is of %s, not %s", plan.Gemeente, p.Gemeente))
	}
	if p.Year < plan.PeriodFrom || p.Year > plan.PeriodTo {
		errs = append(errs, baken.Errorf(baken.Invalid, "year", "%d is outside the plan's period %d-%d", p.Year, plan.PeriodFrom, plan.PeriodTo))
	}
	return errs.Err()
}

func normProgramme(p *baken.Programme) {
	p.DecisionDate = normDate(p.DecisionDate)
	if p.AdoptedAt != nil {
		t := p.AdoptedAt.UTC().Truncate(time.Microsecond)
		p.AdoptedAt = &t
	}
}

// CreateProgramme stores a yearly programme of a plan. Kinds: Invalid, NotFound (plan),
// Conflict (the plan has a programme for that year), Forbidden.
func (db *DB) CreateProgramme(ctx context.Context, p baken.Programme) (baken.Programme, error) {
	normProgramme(&p)
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, p.Gemeente); err != nil {
		return p, err
	}
	plan, err := tx.findPlan(ctx, p.PlanID)
	if err != nil {
		return p, err
	}
	if err := checkProgramme(&p, plan); err != nil {
		return p, err
	}
	if err := tx.checkThemeIndicators(ctx, &p); err != nil {
		return p, err
	}
	vals, err := db.programmeVals(&p)
	if err != nil {
		return p, err
	}
	if p.ID, err = newID(); err != nil {
		return p, err
	}
	tx.stamp(&p.Audit)
	if err := tx.insert(ctx, "programmes", append([]string{"gemeente", "id", "plan_id"}, programmeCols...),
		append([]any{p.Gemeente, p.ID, p.PlanID}, vals...), p.Audit); err != nil {
		if baken.IsKind(err, baken.Conflict) {
			return p, baken.Errorf(baken.Conflict, "year", "the plan has a programme for %d already", p.Year)
		}
		return p, fmt.Errorf("create programme: %w", err)
	}
	return p, tx.Commit()
}

// UpdateProgramme replaces a programme; p.Version must be the version it changes.
func (db *DB) UpdateProgramme(ctx context.Context, p baken.Programme) (baken.Programme, error) {
	normProgramme(&p)
	if err := p.Validate(); err != nil {
		return p, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return p, err
	}
	old, err := tx.findProgramme(ctx, p.ID)
	if err != nil {
		return p, err
	}
	if err := errors.Join(immutable("gemeente", old.Gemeente, p.Gemeente), immutable("plan_id", old.PlanID, p.PlanID)); err != nil {
		return p, err
	}
	plan, err := tx.findPlan(ctx, p.PlanID)
	if err != nil {
		return p, err
	}
	if err := checkProgramme(&p, plan); err != nil {
		return p, err
	}
	if err := tx.checkThemeIndicators(ctx, &p); err != nil {
		return p, err
	}
	vals, err := db.programmeVals(&p)
	if err != nil {
		return p, err
	}
	if err := tx.replace(ctx, EntityProgramme, "programmes", old.Gemeente, p.ID, []string{"id"}, []any{p.ID}, old, old.Audit, &p.Audit, programmeCols, vals); err != nil {
		return p, err
	}
	return p, tx.Commit()
}

// FindProgramme returns a programme, or NotFound.
func (db *DB) FindProgramme(ctx context.Context, id string) (baken.Programme, error) {
	return read(ctx, db, func(tx *Tx) (baken.Programme, error) { return tx.findProgramme(ctx, id) })
}

// FindProgrammes returns a gemeente's yearly programmes, the latest year first; none
// when the actor may not see the gemeente.
func (db *DB) FindProgrammes(ctx context.Context, gemeente string) ([]baken.Programme, error) {
	return listOfGemeente(ctx, db, "find programmes", programmeSelect+` WHERE gemeente = ? ORDER BY year DESC, id`, gemeente, scanProgramme)
}

// ---- objectives

const objectiveSelect = `SELECT gemeente, id, programme_id, number, title, kind, priority_ids, indicator_ids, baseline, targets, direction, ` +
	auditCols + ` FROM objectives`

var objectiveCols = []string{"number", "title", "kind", "priority_ids", "indicator_ids", "baseline", "targets", "direction"}

func objectiveVals(o *baken.Objective) ([]any, error) {
	prios, err := jsonArg(nonNil(o.PriorityIDs))
	if err != nil {
		return nil, err
	}
	inds, err := jsonArg(nonNil(o.IndicatorIDs))
	if err != nil {
		return nil, err
	}
	targets, err := jsonArg(nonNil(o.Targets))
	if err != nil {
		return nil, err
	}
	var baseline any
	if o.Baseline != nil {
		if baseline, err = jsonArg(o.Baseline); err != nil {
			return nil, err
		}
	}
	return []any{o.Number, o.Title, string(o.Kind), prios, inds, baseline, targets, string(o.Direction)}, nil
}

type objectiveRow struct {
	baken.Objective
	gemeente string
}

func scanObjective(sc interface{ Scan(...any) error }) (objectiveRow, error) {
	var o objectiveRow
	var prios, inds, targets string
	var baseline sql.NullString
	var as auditScan
	if err := sc.Scan(append([]any{&o.gemeente, &o.ID, &o.ProgrammeID, &o.Number, &o.Title, &o.Kind, &prios, &inds, &baseline, &targets, &o.Direction},
		as.dest(&o.Audit)...)...); err != nil {
		return o, err
	}
	as.done()
	if err := json.Unmarshal([]byte(prios), &o.PriorityIDs); err != nil {
		return o, fmt.Errorf("decode priority_ids: %w", err)
	}
	if err := json.Unmarshal([]byte(inds), &o.IndicatorIDs); err != nil {
		return o, fmt.Errorf("decode indicator_ids: %w", err)
	}
	if err := json.Unmarshal([]byte(targets), &o.Targets); err != nil {
		return o, fmt.Errorf("decode targets: %w", err)
	}
	if baseline.Valid {
		o.Baseline = new(baken.YearValue)
		if err := json.Unmarshal([]byte(baseline.String), o.Baseline); err != nil {
			return o, fmt.Errorf("decode baseline: %w", err)
		}
	}
	return o, nil
}

func (tx *Tx) findObjective(ctx context.Context, id string) (objectiveRow, error) {
	o, err := scanObjective(tx.QueryRow(ctx, objectiveSelect+` WHERE id = ?`, id))
	if err := visible(tx, err, o.gemeente, EntityObjective, id); err != nil {
		return objectiveRow{}, err
	}
	return o, nil
}

// checkObjectiveLinks checks that an objective serves only priorities of its programme's
// plan and is measured only by indicators of the programme's gemeente.
func (tx *Tx) checkObjectiveLinks(ctx context.Context, o *baken.Objective, prog baken.Programme) error {
	errs, err := tx.checkIndicators(ctx, prog.Gemeente, "indicator_ids", o.IndicatorIDs)
	if err != nil {
		return err
	}
	for i, id := range o.PriorityIDs {
		var planID string
		err := tx.QueryRow(ctx, `SELECT plan_id FROM priorities WHERE gemeente = ? AND id = ?`, prog.Gemeente, id).Scan(&planID)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && planID != prog.PlanID):
			errs = append(errs, baken.Errorf(baken.Invalid, "priority_ids["+strconv.Itoa(i)+"]", "%q is not a priority of the programme's plan", id))
		case err != nil:
			return fmt.Errorf("check priorities: %w", err)
		}
	}
	return errs.Err()
}

// CreateObjective adds an objective to a programme. Kinds: Invalid, NotFound
// (programme), Conflict (number taken), Forbidden.
func (db *DB) CreateObjective(ctx context.Context, o baken.Objective) (baken.Objective, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return o, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return o, err
	}
	prog, err := tx.findProgramme(ctx, o.ProgrammeID)
	if err != nil {
		return o, err
	}
	if err := tx.checkObjectiveLinks(ctx, &o, prog); err != nil {
		return o, err
	}
	vals, err := objectiveVals(&o)
	if err != nil {
		return o, err
	}
	if o.ID, err = newID(); err != nil {
		return o, err
	}
	tx.stamp(&o.Audit)
	if err := tx.insert(ctx, "objectives", append([]string{"gemeente", "id", "programme_id"}, objectiveCols...),
		append([]any{prog.Gemeente, o.ID, o.ProgrammeID}, vals...), o.Audit); err != nil {
		if baken.IsKind(err, baken.Conflict) {
			return o, baken.Errorf(baken.Conflict, "number", "the programme has an objective %d already", o.Number)
		}
		return o, fmt.Errorf("create objective: %w", err)
	}
	return o, tx.Commit()
}

// UpdateObjective replaces an objective; o.Version must be the version it changes.
func (db *DB) UpdateObjective(ctx context.Context, o baken.Objective) (baken.Objective, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return o, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return o, err
	}
	old, err := tx.findObjective(ctx, o.ID)
	if err != nil {
		return o, err
	}
	if err := immutable("programme_id", old.ProgrammeID, o.ProgrammeID); err != nil {
		return o, err
	}
	prog, err := tx.findProgramme(ctx, o.ProgrammeID)
	if err != nil {
		return o, err
	}
	if err := tx.checkObjectiveLinks(ctx, &o, prog); err != nil {
		return o, err
	}
	vals, err := objectiveVals(&o)
	if err != nil {
		return o, err
	}
	if err := tx.replace(ctx, EntityObjective, "objectives", old.gemeente, o.ID, []string{"id"}, []any{o.ID}, old.Objective, old.Audit, &o.Audit, objectiveCols, vals); err != nil {
		var e *baken.Error
		if errors.As(err, &e) && e.Kind == baken.Conflict && e.Field != "version" {
			return o, baken.Errorf(baken.Conflict, "number", "the programme has an objective %d already", o.Number)
		}
		return o, err
	}
	return o, tx.Commit()
}

// FindObjective returns an objective, or NotFound.
func (db *DB) FindObjective(ctx context.Context, id string) (baken.Objective, error) {
	return read(ctx, db, func(tx *Tx) (baken.Objective, error) {
		o, err := tx.findObjective(ctx, id)
		return o.Objective, err
	})
}

// FindObjectives returns a programme's objectives by number, or NotFound for the programme.
func (db *DB) FindObjectives(ctx context.Context, programmeID string) ([]baken.Objective, error) {
	return childrenOf(ctx, db, "find objectives", objectiveSelect+` WHERE gemeente = ? AND programme_id = ? ORDER BY number`,
		func(tx *Tx) (string, string, error) {
			prog, err := tx.findProgramme(ctx, programmeID)
			return prog.Gemeente, programmeID, err
		}, scanObjective, func(r *objectiveRow) baken.Objective { return r.Objective })
}

// ---- actions

const actionSelect = `SELECT gemeente, id, objective_id, title, owner_team, partners, period_from, period_to, status, rag,
	progress_notes, carried_over_from, ` + auditCols + ` FROM actions`

var actionCols = []string{"title", "owner_team", "partners", "period_from", "period_to", "status", "rag", "progress_notes", "carried_over_from"}

func actionVals(a *baken.Action) ([]any, error) {
	partners, err := jsonArg(nonNil(a.Partners))
	return []any{a.Title, a.OwnerTeam, partners, dateArg(a.PeriodFrom), dateArg(a.PeriodTo), string(a.Status), string(a.RAG),
		a.ProgressNotes, a.CarriedOverFrom}, err
}

type actionRow struct {
	baken.Action
	gemeente string
}

func scanAction(sc interface{ Scan(...any) error }) (actionRow, error) {
	var a actionRow
	var partners string
	var from, to sql.NullString
	var as auditScan
	if err := sc.Scan(append([]any{&a.gemeente, &a.ID, &a.ObjectiveID, &a.Title, &a.OwnerTeam, &partners, &from, &to, &a.Status, &a.RAG,
		&a.ProgressNotes, &a.CarriedOverFrom}, as.dest(&a.Audit)...)...); err != nil {
		return a, err
	}
	as.done()
	if err := json.Unmarshal([]byte(partners), &a.Partners); err != nil {
		return a, fmt.Errorf("decode partners: %w", err)
	}
	var err error
	if a.PeriodFrom, err = scanDate(from); err != nil {
		return a, err
	}
	a.PeriodTo, err = scanDate(to)
	return a, err
}

func (tx *Tx) findAction(ctx context.Context, id string) (actionRow, error) {
	a, err := scanAction(tx.QueryRow(ctx, actionSelect+` WHERE id = ?`, id))
	if err := visible(tx, err, a.gemeente, EntityAction, id); err != nil {
		return actionRow{}, err
	}
	return a, nil
}

func normAction(a *baken.Action) {
	a.PeriodFrom, a.PeriodTo = normDate(a.PeriodFrom), normDate(a.PeriodTo)
}

// checkCarriedOver checks that an action carries over an action of the same gemeente.
func (tx *Tx) checkCarriedOver(ctx context.Context, a *baken.Action, gemeente string) error {
	if a.CarriedOverFrom == "" {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM actions WHERE gemeente = ? AND id = ?`, gemeente, a.CarriedOverFrom).Scan(&n); err != nil {
		return fmt.Errorf("check carried over: %w", err)
	}
	if n == 0 {
		return baken.FieldErrors{baken.Errorf(baken.Invalid, "carried_over_from", "%q is not an action", a.CarriedOverFrom)}.Err()
	}
	return nil
}

// CreateAction adds an action to an objective. Kinds: Invalid, NotFound (objective), Forbidden.
func (db *DB) CreateAction(ctx context.Context, a baken.Action) (baken.Action, error) {
	normAction(&a)
	if err := a.Validate(); err != nil {
		return a, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return a, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return a, err
	}
	obj, err := tx.findObjective(ctx, a.ObjectiveID)
	if err != nil {
		return a, err
	}
	if err := tx.checkCarriedOver(ctx, &a, obj.gemeente); err != nil {
		return a, err
	}
	vals, err := actionVals(&a)
	if err != nil {
		return a, err
	}
	if a.ID, err = newID(); err != nil {
		return a, err
	}
	tx.stamp(&a.Audit)
	if err := tx.insert(ctx, "actions", append([]string{"gemeente", "id", "objective_id"}, actionCols...),
		append([]any{obj.gemeente, a.ID, a.ObjectiveID}, vals...), a.Audit); err != nil {
		return a, fmt.Errorf("create action: %w", err)
	}
	return a, tx.Commit()
}

// UpdateAction replaces an action (its status, RAG, progress); a.Version must be the
// version it changes.
func (db *DB) UpdateAction(ctx context.Context, a baken.Action) (baken.Action, error) {
	normAction(&a)
	if err := a.Validate(); err != nil {
		return a, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return a, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return a, err
	}
	old, err := tx.findAction(ctx, a.ID)
	if err != nil {
		return a, err
	}
	if err := immutable("objective_id", old.ObjectiveID, a.ObjectiveID); err != nil {
		return a, err
	}
	if err := tx.checkCarriedOver(ctx, &a, old.gemeente); err != nil {
		return a, err
	}
	vals, err := actionVals(&a)
	if err != nil {
		return a, err
	}
	if err := tx.replace(ctx, EntityAction, "actions", old.gemeente, a.ID, []string{"id"}, []any{a.ID}, old.Action, old.Audit, &a.Audit, actionCols, vals); err != nil {
		return a, err
	}
	return a, tx.Commit()
}

// FindAction returns an action, or NotFound.
func (db *DB) FindAction(ctx context.Context, id string) (baken.Action, error) {
	return read(ctx, db, func(tx *Tx) (baken.Action, error) {
		a, err := tx.findAction(ctx, id)
		return a.Action, err
	})
}

// FindActions returns an objective's actions in the order they were made, or NotFound
// for the objective.
func (db *DB) FindActions(ctx context.Context, objectiveID string) ([]baken.Action, error) {
	return childrenOf(ctx, db, "find actions", actionSelect+` WHERE gemeente = ? AND objective_id = ? ORDER BY created_at, id`,
		func(tx *Tx) (string, string, error) {
			obj, err := tx.findObjective(ctx, objectiveID)
			return obj.gemeente, objectiveID, err
		}, scanAction, func(r *actionRow) baken.Action { return r.Action })
}

// ---- indicators

const indicatorSelect = `SELECT gemeente, id, code, name, definition, unit, source, caveat, computed, categories, area, per_thousand, ` +
	auditCols + ` FROM indicators`

var indicatorCols = []string{"code", "name", "definition", "unit", "source", "caveat", "computed", "categories", "area", "per_thousand"}

func indicatorVals(in *baken.Indicator) ([]any, error) {
	cats, err := jsonArg(nonNil(in.Categories))
	return []any{in.Code, in.Name, in.Definition, in.Unit, in.Source, in.Caveat, in.Computed, cats, in.Area, in.PerThousand}, err
}

func scanIndicator(sc interface{ Scan(...any) error }) (baken.Indicator, error) {
	var in baken.Indicator
	var cats string
	var as auditScan
	if err := sc.Scan(append([]any{&in.Gemeente, &in.ID, &in.Code, &in.Name, &in.Definition,
		&in.Unit, &in.Source, &in.Caveat, &in.Computed, &cats, &in.Area, &in.PerThousand}, as.dest(&in.Audit)...)...); err != nil {
		return in, err
	}
	as.done()
	if err := json.Unmarshal([]byte(cats), &in.Categories); err != nil {
		return in, fmt.Errorf("decode categories: %w", err)
	}
	return in, nil
}

func (tx *Tx) findIndicator(ctx context.Context, id string) (baken.Indicator, error) {
	in, err := scanIndicator(tx.QueryRow(ctx, indicatorSelect+` WHERE id = ?`, id))
	if err := visible(tx, err, in.Gemeente, EntityIndicator, id); err != nil {
		return baken.Indicator{}, err
	}
	return in, nil
}

// CreateIndicator stores an indicator. Kinds: Invalid, Conflict (code taken), Forbidden.
func (db *DB) CreateIndicator(ctx context.Context, in baken.Indicator) (baken.Indicator, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return in, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, in.Gemeente); err != nil {
		return in, err
	}
	vals, err := indicatorVals(&in)
	if err != nil {
		return in, err
	}
	if in.ID, err = newID(); err != nil {
		return in, err
	}
	tx.stamp(&in.Audit)
	if err := tx.insert(ctx, "indicators", append([]string{"gemeente", "id"}, indicatorCols...), append([]any{in.Gemeente, in.ID}, vals...), in.Audit); err != nil {
		if baken.IsKind(err, baken.Conflict) {
			return in, baken.Errorf(baken.Conflict, "code", "an indicator %q exists already", in.Code)
		}
		return in, fmt.Errorf("create indicator: %w", err)
	}
	return in, tx.Commit()
}

// UpdateIndicator replaces an indicator; in.Version must be the version it changes.
func (db *DB) UpdateIndicator(ctx context.Context, in baken.Indicator) (baken.Indicator, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return in, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return in, err
	}
	old, err := tx.findIndicator(ctx, in.ID)
	if err != nil {
		return in, err
	}
	if err := immutable("gemeente", old.Gemeente, in.Gemeente); err != nil {
		return in, err
	}
	vals, err := indicatorVals(&in)
	if err != nil {
		return in, err
	}
	if err := tx.replace(ctx, EntityIndicator, "indicators", old.Gemeente, in.ID, []string{"id"}, []any{in.ID}, old, old.Audit, &in.Audit, indicatorCols, vals); err != nil {
		return in, err
	}
	return in, tx.Commit()
}

// FindIndicator returns an indicator, or NotFound.
func (db *DB) FindIndicator(ctx context.Context, id string) (baken.Indicator, error) {
	return read(ctx, db, func(tx *Tx) (baken.Indicator, error) { return tx.findIndicator(ctx, id) })
}

// FindIndicators returns a gemeente's indicators by code; none when the actor may not
// see the gemeente.
func (db *DB) FindIndicators(ctx context.Context, gemeente string) ([]baken.Indicator, error) {
	return listOfGemeente(ctx, db, "find indicators", indicatorSelect+` WHERE gemeente = ? ORDER BY code, id`, gemeente, scanIndicator)
}

// ---- measurements

const measurementSelect = `SELECT indicator_id, area, period, value, status, ` + auditCols + ` FROM measurements`

var measurementCols = []string{"value", "status"}

func measurementKey(m *baken.Measurement) string {
	return m.IndicatorID + "/" + m.Area + "/" + strconv.Itoa(m.Period)
}

func scanMeasurement(sc interface{ Scan(...any) error }) (baken.Measurement, error) {
	var m baken.Measurement
	var as auditScan
	if err := sc.Scan(append([]any{&m.IndicatorID, &m.Area, &m.Period, &m.Value, &m.Status}, as.dest(&m.Audit)...)...); err != nil {
		return m, err
	}
	as.done()
	return m, nil
}

// measurementIndicator returns the indicator m is of and checks m's area is of its gemeente.
func (tx *Tx) measurementIndicator(ctx context.Context, m *baken.Measurement) (baken.Indicator, error) {
	in, err := tx.findIndicator(ctx, m.IndicatorID)
	if err != nil {
		return in, err
	}
	if baken.GemeenteOfCode(m.Area) != in.Gemeente {
		return in, baken.FieldErrors{baken.Errorf(baken.Invalid, "area", "%s is not an area of %s", m.Area, in.Gemeente)}.Err()
	}
	return in, nil
}

// CreateMeasurement stores an indicator's value for an area and year. Kinds: Invalid,
// NotFound (indicator), Conflict (there is a value already: update it), Forbidden.
func (db *DB) CreateMeasurement(ctx context.Context, m baken.Measurement) (baken.Measurement, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return m, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return m, err
	}
	in, err := tx.measurementIndicator(ctx, &m)
	if err != nil {
		return m, err
	}
	tx.stamp(&m.Audit)
	if err := tx.insert(ctx, "measurements", append([]string{"gemeente", "indicator_id", "area", "period"}, measurementCols...),
		[]any{in.Gemeente, m.IndicatorID, m.Area, m.Period, m.Value, string(m.Status)}, m.Audit); err != nil {
		if baken.IsKind(err, baken.Conflict) {
			return m, baken.Errorf(baken.Conflict, "period", "there is a value for %s in %d already", m.Area, m.Period)
		}
		return m, fmt.Errorf("create measurement: %w", err)
	}
	return m, tx.Commit()
}

// UpdateMeasurement replaces a value (a revision, or voorlopig becoming definitief);
// m.Version must be the version it changes.
func (db *DB) UpdateMeasurement(ctx context.Context, m baken.Measurement) (baken.Measurement, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return m, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return m, err
	}
	in, err := tx.measurementIndicator(ctx, &m)
	if err != nil {
		return m, err
	}
	old, err := scanMeasurement(tx.QueryRow(ctx, measurementSelect+` WHERE gemeente = ? AND indicator_id = ? AND area = ? AND period = ?`,
		in.Gemeente, m.IndicatorID, m.Area, m.Period))
	if errors.Is(err, sql.ErrNoRows) {
		return m, baken.Errorf(baken.NotFound, EntityMeasurement, "no value for %s in %d", m.Area, m.Period)
	}
	if err != nil {
		return m, fmt.Errorf("find measurement: %w", err)
	}
	if err := tx.replace(ctx, EntityMeasurement, "measurements", in.Gemeente, measurementKey(&m), []string{"indicator_id", "area", "period"},
		[]any{m.IndicatorID, m.Area, m.Period}, old, old.Audit, &m.Audit, measurementCols, []any{m.Value, string(m.Status)}); err != nil {
		return m, err
	}
	return m, tx.Commit()
}

// FindMeasurements returns an indicator's values by area and year, or NotFound for the indicator.
func (db *DB) FindMeasurements(ctx context.Context, indicatorID string) ([]baken.Measurement, error) {
	return childrenOf(ctx, db, "find measurements", measurementSelect+` WHERE gemeente = ? AND indicator_id = ? ORDER BY area, period`,
		func(tx *Tx) (string, string, error) {
			in, err := tx.findIndicator(ctx, indicatorID)
			return in.Gemeente, indicatorID, err
		}, scanMeasurement, func(m *baken.Measurement) baken.Measurement { return *m })
}

// ---- history

// ProgrammeHistory returns the versions updates replaced of one entity (EntityPlan ...;
// a measurement's id is indicator_id/area/period), oldest first; empty for an entity never
// changed. Kinds: Invalid (entity), NotFound (another municipality's entity).
func (db *DB) ProgrammeHistory(ctx context.Context, entity, id string) ([]baken.HistoryEntry, error) {
	switch entity {
	case EntityPlan, EntityPriority, EntityProgramme, EntityObjective, EntityAction, EntityIndicator, EntityMeasurement:
	default:
		return nil, baken.FieldErrors{baken.Errorf(baken.Invalid, "entity", "%q is not a programme entity", entity)}.Err()
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT gemeente, entity, id, version, body, changed_at, changed_by FROM programme_history
		WHERE entity = ? AND id = ? ORDER BY version`, entity, id)
	if err != nil {
		return nil, fmt.Errorf("programme history: %w", err)
	}
	defer rows.Close()
	var out []baken.HistoryEntry
	hidden := false
	for rows.Next() {
		var h baken.HistoryEntry
		var gm, body string
		var at Time
		if err := rows.Scan(&gm, &h.Entity, &h.ID, &h.Version, &body, &at, &h.ChangedBy); err != nil {
			return nil, fmt.Errorf("programme history: %w", err)
		}
		if !tx.actor.MaySee(gm) {
			hidden = true
			continue
		}
		h.Body, h.ChangedAt = []byte(body), at.Time
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("programme history: %w", err)
	}
	if hidden && len(out) == 0 {
		return nil, baken.Errorf(baken.NotFound, entity, "no %s %q", entity, id)
	}
	return out, nil
}
