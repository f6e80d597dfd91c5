package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
)

// Access actions.
const (
	AccessViewText = "view_personal" // a registration's free text or address was shown
	AccessExport   = "export"        // registrations were exported
)

// AccessEntry is one line of the access log.
type AccessEntry struct {
	Gemeente     string
	ID           string
	At           time.Time
	UserID       string
	UserName     string
	Roles        string
	Organisation string
	Action       string
	ObjectType   string // "registration", "registrations"
	ObjectID     string // an id, or the export's filter
	Purpose      string // why: the page or task
	Detail       string
	Result       string // "ok", "denied"
}

// LogAccess appends an entry for the actor in ctx; the time and actor come from the
// transaction. Any actor may write its own entries; nobody can change or delete them.
func (db *DB) LogAccess(ctx context.Context, e AccessEntry) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	if e.Result == "" {
		e.Result = "ok"
	}
	a := tx.actor
	if _, err := tx.Exec(ctx, `INSERT INTO access_log (gemeente, id, at, user_id, user_name, roles, organisation, action,
		object_type, object_id, purpose, detail, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Gemeente, id.String(), db.timeArg(tx.now), a.UserID, a.Name, joinRoles(a.Roles), a.Organisation, e.Action,
		e.ObjectType, e.ObjectID, e.Purpose, e.Detail, e.Result); err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	return tx.Commit()
}

// AccessFilter selects access log entries; empty fields do not filter.
type AccessFilter struct {
	Gemeenten []string
	UserID    string
	Action    string
	Limit     int // default 100
	Offset    int
}

// FindAccessLog returns entries, newest first, and the total that match. Only a
// beheerder (for its municipalities), the privacy officer, an auditor or the system may
// read the log.
func (db *DB) FindAccessLog(ctx context.Context, f AccessFilter) ([]AccessEntry, int, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	a := tx.actor
	if !(a.HasRole(baken.RoleSystem) || a.HasRole(baken.RoleAdmin) || a.HasRole(baken.RolePrivacy) || a.HasRole(baken.RoleAuditor)) {
		return nil, 0, &baken.Error{Kind: baken.Forbidden, Message: "only a beheerder, the privacy officer or an auditor reads the access log"}
	}
	gms, ok := visibleGemeenten(a, f.Gemeenten, false)
	if !ok {
		return nil, 0, nil
	}
	var conds []string
	var args []any
	if len(gms) > 0 {
		conds, args = append(conds, in("gemeente", len(gms))), appendStrings(args, gms)
	}
	if f.UserID != "" {
		conds, args = append(conds, "user_id = ?"), append(args, f.UserID)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM access_log`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("access log: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := tx.Query(ctx, `SELECT gemeente, id, at, user_id, user_name, roles, organisation, action, object_type, object_id,
		purpose, detail, result FROM access_log`+where+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("access log: %w", err)
	}
	defer rows.Close()
	var out []AccessEntry
	for rows.Next() {
		var e AccessEntry
		var at Time
		if err := rows.Scan(&e.Gemeente, &e.ID, &at, &e.UserID, &e.UserName, &e.Roles, &e.Organisation, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.Purpose, &e.Detail, &e.Result); err != nil {
			return nil, 0, fmt.Errorf("access log: %w", err)
		}
		e.At = at.Time
		out = append(out, e)
	}
	return out, total, rows.Err()
}
