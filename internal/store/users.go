package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"baken/internal/baken"
)

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

func requireAdmin(tx *Tx) error {
	if tx.actor.HasRole(baken.RoleSystem) || tx.actor.HasRole(baken.RoleAdmin) {
		return nil
	}
	return &baken.Error{Kind: baken.Forbidden, Message: "only a beheerder manages users"}
}

func joinRoles(rs []baken.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateUser adds a local account. Only the system or a beheerder may call it; a
// beheerder only for municipalities it may see. Kinds: Invalid, Conflict (name taken),
// Forbidden.
func (db *DB) CreateUser(ctx context.Context, u baken.User) (baken.User, error) {
	var errs baken.FieldErrors
	u.Name = strings.ToLower(strings.TrimSpace(u.Name))
	if !userNameRE.MatchString(u.Name) {
		errs = append(errs, baken.Errorf(baken.Invalid, "name", "%q: 2-64 characters: letters, digits, . _ @ -", u.Name))
	}
	if len(u.Roles) == 0 {
		errs = append(errs, baken.Errorf(baken.Invalid, "role", "at least one role"))
	}
	for _, r := range u.Roles {
		if _, err := baken.ParseRole(string(r)); err != nil {
			errs = append(errs, baken.Errorf(baken.Invalid, "role", "unknown role %q", r))
		}
	}
	if len(u.Gemeenten) == 0 {
		errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "at least one municipality (GM0384)"))
	}
	for _, g := range u.Gemeenten {
		if l, err := baken.LevelOfCode(g); err != nil || l != baken.LevelGemeente {
			errs = append(errs, baken.Errorf(baken.Invalid, "gemeente", "%q is not a CBS gemeente code (GM0384)", g))
		}
	}
	if err := errs.Err(); err != nil {
		return u, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return u, err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return u, err
	}
	for _, g := range u.Gemeenten {
		if !tx.actor.MaySee(g) {
			return u, baken.Errorf(baken.Forbidden, "gemeente", "%s is not one of your municipalities", g)
		}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return u, fmt.Errorf("new user id: %w", err)
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id.String(), tx.now, tx.now
	if _, err := tx.Exec(ctx, `INSERT INTO users (id, name, display_name, organisation, roles, gemeenten, password_hash,
		disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, u.DisplayName, u.Organisation, joinRoles(u.Roles), strings.Join(u.Gemeenten, ","), u.PasswordHash,
		u.Disabled, db.timeArg(tx.now), db.timeArg(tx.now)); err != nil {
		if baken.IsKind(err, baken.Conflict) {
			return u, baken.Errorf(baken.Conflict, "name", "a user %q exists already", u.Name)
		}
		return u, fmt.Errorf("create user: %w", err)
	}
	return u, tx.Commit()
}

const userSelect = `SELECT id, name, display_name, organisation, roles, gemeenten, password_hash, disabled, created_at, updated_at FROM users`

func scanUser(sc interface{ Scan(...any) error }) (baken.User, error) {
	var u baken.User
	var roles, gms string
	var created, updated Time
	if err := sc.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Organisation, &roles, &gms, &u.PasswordHash, &u.Disabled, &created, &updated); err != nil {
		return u, err
	}
	for _, r := range splitList(roles) {
		u.Roles = append(u.Roles, baken.Role(r))
	}
	u.Gemeenten = splitList(gms)
	u.CreatedAt, u.UpdatedAt = created.Time, updated.Time
	return u, nil
}

// FindUserByName returns a user by login name, or NotFound. Only the system (signing
// in) or a beheerder may call it.
func (db *DB) FindUserByName(ctx context.Context, name string) (baken.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return baken.User{}, err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return baken.User{}, err
	}
	u, err := scanUser(tx.QueryRow(ctx, userSelect+` WHERE name = ?`, strings.ToLower(strings.TrimSpace(name))))
	if errors.Is(err, sql.ErrNoRows) {
		return u, baken.Errorf(baken.NotFound, "name", "no user %q", name)
	}
	if err != nil {
		return u, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUsers lists the users, by name. Only the system or a beheerder may call it; a
// beheerder sees the users of its municipalities.
func (db *DB) FindUsers(ctx context.Context) ([]baken.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, userSelect+` ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []baken.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("find users: %w", err)
		}
		for _, g := range u.Gemeenten {
			if tx.actor.MaySee(g) {
				out = append(out, u)
				break
			}
		}
	}
	return out, rows.Err()
}

// SetUserDisabled disables or enables an account; a disabled account's tokens stop
// working at once and its sessions are ended. Only the system or a beheerder may call it.
func (db *DB) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE users SET disabled = ?, updated_at = ? WHERE name = ?`, disabled, db.timeArg(tx.now), strings.ToLower(name))
	if err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return baken.Errorf(baken.NotFound, "name", "no user %q", name)
	}
	if disabled {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = ?)`, strings.ToLower(name)); err != nil {
			return fmt.Errorf("disable user: end sessions: %w", err)
		}
	}
	return tx.Commit()
}

// SetPassword replaces a user's password hash and ends the user's sessions. Only the
// system or a beheerder may call it.
func (db *DB) SetPassword(ctx context.Context, name, hash string) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?`, hash, db.timeArg(tx.now), strings.ToLower(name))
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return baken.Errorf(baken.NotFound, "name", "no user %q", name)
	}
	// A new password ends every session the old one opened.
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, strings.ToLower(name)); err != nil {
		return fmt.Errorf("set password: end sessions: %w", err)
	}
	return tx.Commit()
}

// TokenPrefix starts every API token, so that a leaked one is easy to recognise.
const TokenPrefix = "bkn_"

func hashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateAPIToken makes an API token for a user and returns its secret, which is not
// stored and cannot be shown again. secret may be given (the demo's fixed tokens);
// empty makes a random one. Only the system or a beheerder may call it.
func (db *DB) CreateAPIToken(ctx context.Context, userName, label, secret string, expires *time.Time) (string, error) {
	if secret == "" {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("token: %w", err)
		}
		secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	}
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) < 16 {
		return "", baken.Errorf(baken.Invalid, "token", "a token starts with %s and has at least 16 characters", TokenPrefix)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if err := requireAdmin(tx); err != nil {
		return "", err
	}
	var userID string
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE name = ?`, strings.ToLower(userName)).Scan(&userID); errors.Is(err, sql.ErrNoRows) {
		return "", baken.Errorf(baken.NotFound, "user", "no user %q", userName)
	} else if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	var exp any
	if expires != nil {
		exp = db.timeArg(*expires)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id.String(), userID, label, hashToken(secret), db.timeArg(tx.now), exp); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return secret, tx.Commit()
}

// ActorForToken returns the actor an API token acts as: its user's, when the token
// exists, is neither revoked nor expired, and the user is not disabled. Otherwise it
// returns Unauthenticated, without saying which. Only the system may call it.
func (db *DB) ActorForToken(ctx context.Context, secret string) (baken.Actor, error) {
	fail := &baken.Error{Kind: baken.Unauthenticated, Message: "invalid or expired token"}
	if !strings.HasPrefix(secret, TokenPrefix) {
		return baken.Actor{}, fail
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return baken.Actor{}, err
	}
	defer tx.Rollback()
	if !tx.actor.HasRole(baken.RoleSystem) {
		return baken.Actor{}, &baken.Error{Kind: baken.Forbidden, Message: "tokens are checked by the server only"}
	}
	var expires NullTime
	var revoked bool
	row := tx.QueryRow(ctx, `SELECT u.id, u.name, u.display_name, u.organisation, u.roles, u.gemeenten, u.password_hash, u.disabled,
		u.created_at, u.updated_at, t.expires_at, t.revoked FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hashToken(secret))
	var u baken.User
	var roles, gms string
	var created, updated Time
	err = row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Organisation, &roles, &gms, &u.PasswordHash, &u.Disabled, &created, &updated, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return baken.Actor{}, fail
	}
	if err != nil {
		return baken.Actor{}, fmt.Errorf("check token: %w", err)
	}
	if revoked || u.Disabled || (expires.Valid && !expires.Time.After(tx.now)) {
		return baken.Actor{}, fail
	}
	for _, r := range splitList(roles) {
		u.Roles = append(u.Roles, baken.Role(r))
	}
	u.Gemeenten = splitList(gms)
	return u.Actor(), nil
}

// maxUserNames bounds one FindUserNames call: a page names the few people who changed
// what it shows, not a directory.
const maxUserNames = 500

// FindUserNames returns the display names (the login name where a user has none) of the
// users among ids, keyed by id, that the actor has a need to know: those who share a
// gemeente with the actor. The system actor, and any actor that sees every gemeente,
// gets them all. Ids of unknown users, of system actors ("system:...") and of users of
// other gemeenten are left out, so a caller cannot tell them apart. Any actor may call it.
// Kinds: Invalid (more than 500 ids).
func (db *DB) FindUserNames(ctx context.Context, ids []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		if id != "" && !strings.HasPrefix(id, "system:") {
			want[id] = true
		}
	}
	if len(want) > maxUserNames {
		return nil, baken.Errorf(baken.Invalid, "ids", "at most %d users at a time, not %d", maxUserNames, len(want))
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	names := map[string]string{}
	if len(want) == 0 {
		return names, nil
	}
	args := make([]any, 0, len(want))
	for id := range want {
		args = append(args, id)
	}
	rows, err := tx.Query(ctx, `SELECT id, name, display_name, gemeenten FROM users WHERE id IN `+placeholders(1, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("find user names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, display, gms string
		if err := rows.Scan(&id, &name, &display, &gms); err != nil {
			return nil, fmt.Errorf("find user names: %w", err)
		}
		shared := false
		for _, g := range splitList(gms) {
			if tx.actor.MaySee(g) {
				shared = true
				break
			}
		}
		if !shared {
			continue
		}
		if display == "" {
			display = name
		}
		names[id] = display
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find user names: %w", err)
	}
	return names, nil
}
