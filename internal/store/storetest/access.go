package storetest

import (
	"context"
	"testing"

	"baken/internal/baken"
	"baken/internal/store"
)

var accessTests = []Test{
	{"AccessLogIsAppendOnly", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		user := baken.WithActor(context.Background(), baken.Actor{UserID: "u1", Name: "Jansen", Roles: []baken.Role{baken.RolePolicy}, Gemeenten: []string{"GM0384"}})
		if err := db.LogAccess(user, store.AccessEntry{Gemeente: "GM0384", Action: store.AccessViewText, ObjectType: "registration", ObjectID: "r1", Purpose: "registratie bekijken"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.FindAccessLog(user, store.AccessFilter{}); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("a beleidsadviseur reads the log: err = %v", err)
		}
		admin := baken.WithActor(context.Background(), baken.Actor{UserID: "b", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0384"}})
		got, total, err := db.FindAccessLog(admin, store.AccessFilter{})
		if err != nil || total != 1 || got[0].UserName != "Jansen" || got[0].Roles != "beleidsadviseur" || got[0].At.IsZero() {
			t.Fatalf("FindAccessLog = %+v, %d, %v", got, total, err)
		}
		other := baken.WithActor(context.Background(), baken.Actor{UserID: "c", Roles: []baken.Role{baken.RoleAdmin}, Gemeenten: []string{"GM0363"}})
		if _, total, _ := db.FindAccessLog(other, store.AccessFilter{}); total != 0 {
			t.Errorf("another municipality's beheerder sees %d entries", total)
		}
		tx := db.RawForTest()
		if _, err := tx.ExecContext(context.Background(), `UPDATE access_log SET user_name = 'x'`); err == nil {
			t.Error("an access log entry was changed")
		}
		if _, err := tx.ExecContext(context.Background(), `DELETE FROM access_log`); err == nil {
			t.Error("an access log entry was deleted")
		}
	}},
}
