package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

var sessionPolicy = store.SessionPolicy{Idle: 30 * time.Minute, Absolute: 10 * time.Hour}

// sessionUser creates an enabled analyst of Diemen.
func sessionUser(t *testing.T, db *store.DB, name string) baken.User {
	t.Helper()
	u, err := db.CreateUser(SystemContext(), baken.User{Name: name, Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var sessionTests = []Test{
	{"SessionLifetime", func(t *testing.T, open Opener) {
		start := time.Date(2025, 3, 30, 0, 30, 0, 0, time.UTC) // the night clocks go forward: UTC is what counts
		now := start
		db := open(t, store.Options{Now: func() time.Time { return now }})
		ctx := SystemContext()
		u := sessionUser(t, db, "analist")
		token, err := db.CreateSession(ctx, u.ID, sessionPolicy)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) != 43 {
			t.Errorf("token %q: want 43 characters (32 bytes, base64url)", token)
		}
		check := func(at time.Duration, want bool) {
			t.Helper()
			now = start.Add(at)
			a, err := db.ActorForSession(ctx, token, sessionPolicy)
			switch {
			case want && (err != nil || a.UserID != u.ID || !a.HasRole(baken.RoleAnalyst) || !a.MaySee("GM0384")):
				t.Errorf("at +%v: ActorForSession = %+v, %v; want the analyst", at, a, err)
			case !want && !baken.IsKind(err, baken.Unauthenticated):
				t.Errorf("at +%v: err = %v, want unauthenticated", at, err)
			}
		}
		// Active every 29 minutes, the session lives until the absolute end.
		for at := time.Duration(0); at < 10*time.Hour; at += 29 * time.Minute {
			check(at, true)
		}
		check(10*time.Hour, false)

		// Idle for 30 minutes ends it.
		now = start
		token, err = db.CreateSession(ctx, u.ID, sessionPolicy)
		if err != nil {
			t.Fatal(err)
		}
		check(20*time.Minute, true)
		check(20*time.Minute+30*time.Second, true) // not written: less than a minute since
		check(50*time.Minute-time.Second, true)
		check(80*time.Minute, false)

		// A shorter absolute timeout applies to sessions already running.
		now = start
		token, _ = db.CreateSession(ctx, u.ID, sessionPolicy)
		now = start.Add(2 * time.Hour)
		if _, err := db.ActorForSession(ctx, token, store.SessionPolicy{Idle: 3 * time.Hour, Absolute: time.Hour}); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("session older than a shortened absolute timeout: err = %v", err)
		}

		for _, bad := range []string{"", "x", token + "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			if _, err := db.ActorForSession(ctx, bad, sessionPolicy); !baken.IsKind(err, baken.Unauthenticated) {
				t.Errorf("token %q: err = %v, want unauthenticated", bad, err)
			}
		}
	}},
	{"SessionEnd", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		u := sessionUser(t, db, "analist")
		other := sessionUser(t, db, "beleid")
		t1, _ := db.CreateSession(ctx, u.ID, sessionPolicy)
		t2, _ := db.CreateSession(ctx, u.ID, sessionPolicy)
		t3, err := db.CreateSession(ctx, other.ID, sessionPolicy)
		if err != nil {
			t.Fatal(err)
		}
		if t1 == t2 {
			t.Fatal("two sessions share a token")
		}
		if err := db.DeleteSession(ctx, t1); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, t1); err != nil {
			t.Errorf("deleting a deleted session: %v", err)
		}
		if _, err := db.ActorForSession(ctx, t1, sessionPolicy); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("deleted session: err = %v", err)
		}
		if _, err := db.ActorForSession(ctx, t2, sessionPolicy); err != nil {
			t.Errorf("the user's other session ended too: %v", err)
		}
		if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActorForSession(ctx, t2, sessionPolicy); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("after DeleteUserSessions: err = %v", err)
		}
		if _, err := db.ActorForSession(ctx, t3, sessionPolicy); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
		// Disabling a user ends its sessions; enabling it again does not revive them.
		if err := db.SetUserDisabled(ctx, "beleid", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSession(ctx, other.ID, sessionPolicy); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("session for a disabled user: err = %v, want not found", err)
		}
		if err := db.SetUserDisabled(ctx, "beleid", false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActorForSession(ctx, t3, sessionPolicy); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("session of a disabled and re-enabled user: err = %v", err)
		}
		// Only the server manages sessions.
		admin := baken.WithActor(context.Background(), baken.Actor{UserID: "b", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0384"}})
		if _, err := db.CreateSession(admin, u.ID, sessionPolicy); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("beheerder creates a session: err = %v", err)
		}
		if _, err := db.ActorForSession(admin, t3, sessionPolicy); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("beheerder checks a session: err = %v", err)
		}
		if _, err := db.RecordLoginFailure(admin, "x", "", store.ThrottlePolicy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("beheerder records a failure: err = %v", err)
		}
	}},
	{"LoginThrottle", func(t *testing.T, open Opener) {
		start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
		now := start
		db := open(t, store.Options{Now: func() time.Time { return now }})
		ctx := SystemContext()
		p := store.ThrottlePolicy{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
		throttled := func(name, addr string) bool {
			t.Helper()
			until, err := db.LoginThrottled(ctx, name, addr)
			if err != nil {
				t.Fatal(err)
			}
			return !until.IsZero()
		}
		fail := func(name, addr string) time.Time {
			t.Helper()
			until, err := db.RecordLoginFailure(ctx, name, addr, p)
			if err != nil {
				t.Fatal(err)
			}
			return until
		}
		// Five failures for one name, from different addresses, lock the name.
		for i := range 4 {
			if until := fail("Analist", fmt.Sprintf("10.0.0.%d", i+1)); !until.IsZero() {
				t.Fatalf("locked after %d failures", i+1)
			}
		}
		if throttled("analist", "10.0.0.9") {
			t.Fatal("throttled after four failures")
		}
		now = start.Add(time.Minute)
		if until := fail("analist", "10.0.0.5"); !until.Equal(now.Add(15 * time.Minute)) {
			t.Errorf("fifth failure: locked until %v, want %v", until, now.Add(15*time.Minute))
		}
		if !throttled(" ANALIST ", "10.0.0.9") {
			t.Error("name not throttled after five failures")
		}
		if throttled("beleid", "10.0.0.1") {
			t.Error("another name from an address that failed once is throttled")
		}
		if err := db.ClearLoginFailures(ctx, "analist"); err != nil {
			t.Fatal(err)
		}
		if !throttled("analist", "") {
			t.Error("a success elsewhere lifted the lockout")
		}
		now = start.Add(16 * time.Minute)
		if throttled("analist", "10.0.0.9") {
			t.Error("still throttled after the lockout")
		}
		if until := fail("analist", ""); !until.IsZero() {
			t.Error("the count did not start again after the lockout")
		}

		// Failures from one address at different names lock the address at ten times
		// the per-name limit (colleagues share an office's address).
		for i := range 49 {
			fail(fmt.Sprintf("naam%d", i), "192.0.2.7")
		}
		if throttled("beleid", "192.0.2.7") {
			t.Error("address throttled after 49 failures, below its limit of 50")
		}
		fail("naam49", "192.0.2.7")
		if !throttled("beleid", "192.0.2.7") {
			t.Error("address not throttled after 50 failures")
		}
		if throttled("beleid", "192.0.2.8") {
			t.Error("another address throttled")
		}

		// A window begins at its first failure: failures every 4 minutes count 1 to 4 at
		// +4 to +16 minutes; at +20 the window that began at +4 has passed and a new one
		// begins, so eight failures in 32 minutes lock nothing.
		now = start.Add(2 * time.Hour)
		for i := range 8 {
			now = now.Add(4 * time.Minute)
			if until := fail("handhaving", fmt.Sprintf("198.51.100.%d", i)); !until.IsZero() {
				t.Fatalf("locked after failure %d", i+1)
			}
		}
		if throttled("handhaving", "") {
			t.Error("failures spread over more than the window locked the name")
		}

		// A successful sign-in clears the name's count.
		for range 4 {
			fail("raadslid", "")
		}
		if err := db.ClearLoginFailures(ctx, "raadslid"); err != nil {
			t.Fatal(err)
		}
		if until := fail("raadslid", ""); !until.IsZero() {
			t.Error("count not cleared by a successful sign-in")
		}
	}},
}
