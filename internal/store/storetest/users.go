package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

var userTests = []Test{
	{"UsersAndTokens", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		u, err := db.CreateUser(ctx, baken.User{Name: "Analist@Diemen", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "analist@diemen" {
			t.Errorf("name not normalised: %q", u.Name)
		}
		if _, err := db.CreateUser(ctx, baken.User{Name: "analist@diemen", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}}); !baken.IsKind(err, baken.Conflict) {
			t.Errorf("duplicate name: err = %v, want conflict", err)
		}
		if _, err := db.CreateUser(ctx, baken.User{Name: "x", Roles: []baken.Role{"koning"}, Gemeenten: []string{"Diemen"}}); !baken.IsKind(err, baken.Invalid) {
			t.Errorf("bad user: err = %v, want invalid", err)
		}
		secret, err := db.CreateAPIToken(ctx, "analist@diemen", "script", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.ActorForToken(ctx, secret)
		if err != nil || a.UserID != u.ID || !a.HasRole(baken.RoleAnalyst) || !a.MaySee("GM0384") || a.MaySee("GM0363") {
			t.Errorf("ActorForToken = %+v, %v", a, err)
		}
		if _, err := db.ActorForToken(ctx, secret+"x"); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("wrong token: err = %v", err)
		}
		past := time.Now().Add(-time.Hour)
		expired, _ := db.CreateAPIToken(ctx, "analist@diemen", "old", "", &past)
		if _, err := db.ActorForToken(ctx, expired); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("expired token: err = %v", err)
		}
		if err := db.SetUserDisabled(ctx, "analist@diemen", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActorForToken(ctx, secret); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("token of a disabled user: err = %v", err)
		}
		// Only a beheerder manages users; and only for its own municipalities.
		analyst := baken.WithActor(context.Background(), a)
		if _, err := db.FindUsers(analyst); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("analyst lists users: err = %v", err)
		}
		admin := baken.WithActor(context.Background(), baken.Actor{UserID: "b", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0384"}})
		if _, err := db.CreateUser(admin, baken.User{Name: "amsterdammer", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0363"}}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("beheerder of Diemen creates an Amsterdam user: err = %v", err)
		}
		users, err := db.FindUsers(admin)
		if err != nil || len(users) != 1 {
			t.Errorf("FindUsers = %v, %v", users, err)
		}
	}},
	{"UserNamesNeedToKnow", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		sys := SystemContext()
		mk := func(name, display string, role baken.Role, gms ...string) baken.User {
			t.Helper()
			u, err := db.CreateUser(sys, baken.User{Name: name, DisplayName: display, Roles: []baken.Role{role}, Gemeenten: gms})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		policy := mk("beleid", "Bea Beleid", baken.RolePolicy, "GM0384")
		colleague := mk("collega", "Chris Collega", baken.RolePolicy, "GM0384")
		noDisplay := mk("handhaving", "", baken.RoleEnforcement, "GM0363", "GM0384")
		outsider := mk("amsterdam", "Ada Amsterdam", baken.RolePolicy, "GM0363")

		// The colleague changes an action; the history names the colleague by id.
		d := seedDiemen(t, db, baken.WithActor(context.Background(), policy.Actor()))
		colleagueCtx := baken.WithActor(context.Background(), colleague.Actor())
		act := d.actions[0]
		act.Status = baken.ActionDone
		if _, err := db.UpdateAction(colleagueCtx, act); err != nil {
			t.Fatal(err)
		}
		policyCtx := baken.WithActor(context.Background(), policy.Actor())
		hist, err := db.ProgrammeHistory(policyCtx, store.EntityAction, act.ID)
		if err != nil || len(hist) != 1 || hist[0].ChangedBy != colleague.ID {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		ids := []string{hist[0].ChangedBy, policy.ID, noDisplay.ID, outsider.ID, "system:demo", "no-such-user", ""}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want map[string]string
		}{
			{"beleidsadviseur of Diemen", policyCtx, map[string]string{colleague.ID: "Chris Collega", policy.ID: "Bea Beleid", noDisplay.ID: "handhaving"}},
			{"beleidsadviseur of Amsterdam", baken.WithActor(context.Background(), outsider.Actor()),
				map[string]string{noDisplay.ID: "handhaving", outsider.ID: "Ada Amsterdam"}},
			{"system", sys, map[string]string{colleague.ID: "Chris Collega", policy.ID: "Bea Beleid", noDisplay.ID: "handhaving", outsider.ID: "Ada Amsterdam"}},
		} {
			got, err := db.FindUserNames(tc.ctx, ids)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: names mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
		// A user of another gemeente learns nothing of who changed Diemen's action.
		got, err := db.FindUserNames(baken.WithActor(context.Background(), outsider.Actor()), []string{hist[0].ChangedBy})
		if err != nil || len(got) != 0 {
			t.Errorf("outsider: names = %v, %v; want none", got, err)
		}
		if _, err := db.FindUserNames(context.Background(), ids); !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("without actor: err = %v, want unauthenticated", err)
		}
		if got, err := db.FindUserNames(policyCtx, nil); err != nil || len(got) != 0 {
			t.Errorf("no ids: %v, %v", got, err)
		}
	}},
}
