package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"baken/internal/baken"
)

// SessionPolicy is how long a session lives.
type SessionPolicy struct {
	// Idle ends a session this long after its last request.
	Idle time.Duration
	// Absolute ends a session this long after sign-in, however active it is.
	Absolute time.Duration
}

// ThrottlePolicy limits failed sign-ins per user name and per client address.
type ThrottlePolicy struct {
	// MaxFailures failures for one name within Window lock it for Lockout.
	MaxFailures int
	// MaxAddressFailures is the same limit for one client address; it is higher, since
	// a municipal office signs in from one address. 0 means 10 x MaxFailures.
	MaxAddressFailures int
	Window             time.Duration
	Lockout            time.Duration
}

// sessionRefresh is how stale last_seen_at may become before a request writes it again:
// a write on every page view would queue every request behind SQLite's single writer,
// and a minute is nothing against a 30-minute idle timeout.
const sessionRefresh = time.Minute

// sessionTokenLen is the length of a session token: 32 random bytes, base64url.
const sessionTokenLen = 43

func requireSystem(tx *Tx) error {
	if tx.actor.HasRole(baken.RoleSystem) {
		return nil
	}
	return &baken.Error{Kind: baken.Forbidden, Message: "sessions and sign-in limits are the server's"}
}

func (p SessionPolicy) valid() error {
	if p.Idle <= 0 || p.Absolute <= 0 {
		return fmt.Errorf("session policy: idle %v and absolute %v must be positive", p.Idle, p.Absolute)
	}
	return nil
}

// CreateSession starts a session for an enabled user and returns the token for the
// cookie; only its hash is stored. It also removes sessions that have ended, so the
// table holds live sessions only. Only the system may call it. Kinds: NotFound (no such
// user, or disabled), Forbidden.
func (db *DB) CreateSession(ctx context.Context, userID string, p SessionPolicy) (string, error) {
	if err := p.valid(); err != nil {
		return "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	tx, err := db.begin(ctx, true)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ? OR created_at <= ?`,
		db.timeArg(tx.now), db.timeArg(tx.now.Add(-p.Idle)), db.timeArg(tx.now.Add(-p.Absolute))); err != nil {
		return "", fmt.Errorf("create session: prune: %w", err)
	}
	now := db.timeArg(tx.now)
	res, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
		SELECT ?, id, ?, ?, ? FROM users WHERE id = ? AND NOT disabled`,
		hashToken(token), now, now, db.timeArg(tx.now.Add(p.Absolute)), userID)
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", baken.Errorf(baken.NotFound, "user", "no enabled user %q", userID)
	}
	return token, tx.Commit()
}

// ActorForSession returns the actor of the session with this token: its user's, when the
// session has been used within p.Idle, began less than p.Absolute ago and has not passed
// the end set when it began, and the user is not disabled. Otherwise it returns
// Unauthenticated, without saying which. A valid session's last use is written at most
// once a minute, in a second, short transaction, so that most requests only read. Only
// the system may call it.
func (db *DB) ActorForSession(ctx context.Context, token string, p SessionPolicy) (baken.Actor, error) {
	fail := &baken.Error{Kind: baken.Unauthenticated, Message: "no valid session"}
	if err := p.valid(); err != nil {
		return baken.Actor{}, err
	}
	if len(token) != sessionTokenLen {
		return baken.Actor{}, fail
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return baken.Actor{}, err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return baken.Actor{}, err
	}
	hash := hashToken(token)
	var u baken.User
	var roles, gms string
	var created, updated, sCreated, lastSeen, expires Time
	err = tx.QueryRow(ctx, `SELECT u.id, u.name, u.display_name, u.organisation, u.roles, u.gemeenten, u.disabled,
		u.created_at, u.updated_at, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash).
		Scan(&u.ID, &u.Name, &u.DisplayName, &u.Organisation, &roles, &gms, &u.Disabled, &created, &updated, &sCreated, &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return baken.Actor{}, fail
	}
	if err != nil {
		return baken.Actor{}, fmt.Errorf("check session: %w", err)
	}
	now := tx.now
	if u.Disabled || !now.Before(expires.Time) || !now.Before(sCreated.Add(p.Absolute)) || !now.Before(lastSeen.Add(p.Idle)) {
		return baken.Actor{}, fail
	}
	tx.Rollback()
	for _, r := range splitList(roles) {
		u.Roles = append(u.Roles, baken.Role(r))
	}
	u.Gemeenten = splitList(gms)
	if now.Sub(lastSeen.Time) >= sessionRefresh {
		if err := db.touchSession(ctx, hash); err != nil {
			return baken.Actor{}, err
		}
	}
	return u.Actor(), nil
}

// touchSession records that a session was used now.
func (db *DB) touchSession(ctx context.Context, hash string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The condition keeps concurrent requests of one session from all writing.
	if _, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at <= ?`,
		db.timeArg(tx.now), hash, db.timeArg(tx.now.Add(-sessionRefresh))); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return tx.Commit()
}

// DeleteSession ends the session with this token (signing out, or rotating the session
// at sign-in). A token that has no session is no error. Only the system may call it.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return tx.Commit()
}

// DeleteUserSessions ends every session of a user. Only the system may call it.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete user sessions: %w", err)
	}
	return tx.Commit()
}

// throttleKeys returns the (scope, subject) keys a sign-in counts against. Subjects are
// hashed: the table's rows stay small whatever is typed, and hold no address in clear.
func throttleKeys(name, addr string) [][2]string {
	keys := [][2]string{{"name", hashToken(strings.ToLower(strings.TrimSpace(name)))}}
	if addr != "" {
		keys = append(keys, [2]string{"addr", hashToken(addr)})
	}
	return keys
}

// LoginThrottled returns until when sign-ins for the user name or from the client
// address are refused, or the zero time when they are not. Only the system may call it.
func (db *DB) LoginThrottled(ctx context.Context, name, addr string) (time.Time, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return time.Time{}, err
	}
	var until time.Time
	for _, k := range throttleKeys(name, addr) {
		var t NullTime
		err := tx.QueryRow(ctx, `SELECT locked_until FROM login_failures WHERE scope = ? AND subject = ? AND locked_until > ?`,
			k[0], k[1], db.timeArg(tx.now)).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("check sign-in throttle: %w", err)
		}
		if t.Valid && t.Time.After(until) {
			until = t.Time
		}
	}
	return until, nil
}

// RecordLoginFailure counts a failed sign-in against the user name and the client
// address. A name or address that reaches p.MaxFailures within p.Window of its first
// failure is locked for p.Lockout; the count starts again after that. It returns the end
// of the lockout this failure started, or the zero time. Counting is one upsert per key,
// so servers sharing the database count together. Only the system may call it.
func (db *DB) RecordLoginFailure(ctx context.Context, name, addr string, p ThrottlePolicy) (time.Time, error) {
	if p.MaxFailures <= 0 || p.Window <= 0 || p.Lockout <= 0 {
		return time.Time{}, fmt.Errorf("throttle policy: %+v: every limit must be positive", p)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return time.Time{}, err
	}
	now, windowStart := db.timeArg(tx.now), db.timeArg(tx.now.Add(-p.Window))
	if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)`,
		windowStart, now); err != nil {
		return time.Time{}, fmt.Errorf("record sign-in failure: prune: %w", err)
	}
	var until time.Time
	for _, k := range throttleKeys(name, addr) {
		var n int
		if err := tx.QueryRow(ctx, `INSERT INTO login_failures (scope, subject, failures, window_start) VALUES (?, ?, 1, ?)
			ON CONFLICT (scope, subject) DO UPDATE SET
				failures = CASE WHEN login_failures.window_start <= ? THEN 1 ELSE login_failures.failures + 1 END,
				window_start = CASE WHEN login_failures.window_start <= ? THEN excluded.window_start ELSE login_failures.window_start END
			RETURNING failures`, k[0], k[1], now, windowStart, windowStart).Scan(&n); err != nil {
			return time.Time{}, fmt.Errorf("record sign-in failure: %w", db.dialect.MapError(err))
		}
		limit := p.MaxFailures
		if k[0] == "addr" {
			limit = p.MaxAddressFailures
			if limit <= 0 {
				limit = 10 * p.MaxFailures
			}
		}
		if n < limit {
			continue
		}
		until = tx.now.Add(p.Lockout)
		if _, err := tx.Exec(ctx, `UPDATE login_failures SET failures = 0, window_start = ?, locked_until = ? WHERE scope = ? AND subject = ?`,
			now, db.timeArg(until), k[0], k[1]); err != nil {
			return time.Time{}, fmt.Errorf("record sign-in failure: lock: %w", err)
		}
	}
	return until, tx.Commit()
}

// ClearLoginFailures forgets the failed sign-ins of a user name, after a successful
// sign-in. The address's count stays: signing in to one account must not reset the count
// of guesses at others from the same address. A lockout in force stays too. Only the
// system may call it.
func (db *DB) ClearLoginFailures(ctx context.Context, name string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireSystem(tx); err != nil {
		return err
	}
	k := throttleKeys(name, "")[0]
	if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE scope = ? AND subject = ? AND (locked_until IS NULL OR locked_until <= ?)`,
		k[0], k[1], db.timeArg(tx.now)); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return tx.Commit()
}
