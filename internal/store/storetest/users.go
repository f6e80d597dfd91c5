package storetest

import (
	"context"
	"testing"
	"time"

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
}
