package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// plainTests cover the plain loads that `baken bench import` measures an import against:
// the ceiling must hold the rows under the registrations' own keys, or it would measure
// an easier load than the import does.
var plainTests = []Test{
	{"PlainLoadCeilingKeepsTheRegistrationsKeys", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
		const n = 200
		rows := func(change func(i int, r *baken.Registration)) func(int, *baken.Registration) {
			return func(i int, r *baken.Registration) {
				*r = Reg(fmt.Sprintf("k%d", i), i)
				r.ID = baken.RegistrationID(fmt.Sprintf("id-%04d", i))
				r.Source, r.BatchID, r.Version, r.CreatedAt, r.UpdatedAt = "plain", "b1", 1, at, at
				if change != nil {
					change(i, r)
				}
			}
		}
		sameKey := func(i int, r *baken.Registration) {
			if i == 150 {
				r.SourceKey = "k10"
			}
		}
		sameID := func(i int, r *baken.Registration) {
			if i == 150 {
				r.ID = "id-0010"
			}
		}
		badPrecision := func(i int, r *baken.Registration) {
			if i == 150 {
				r.Precision = "week"
			}
		}
		tests := []struct {
			name    string
			plain   store.PlainTable
			rows    func(int, *baken.Registration)
			wantErr bool
		}{
			{"keyed, valid rows", store.PlainKeyed, rows(nil), false},
			{"keyed, a source key twice", store.PlainKeyed, rows(sameKey), true},
			{"keyed, an id twice", store.PlainKeyed, rows(sameID), true},
			{"keyed, a precision the table refuses", store.PlainKeyed, rows(badPrecision), true},
			{"heap, a source key twice", store.PlainHeap, rows(sameKey), false},
			{"heap, an id twice", store.PlainHeap, rows(sameID), false},
		}
		for _, tt := range tests {
			_, err := db.PlainLoad(ctx, tt.plain, n, tt.rows)
			if (err != nil) != tt.wantErr {
				t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			}
		}
		// Each load drops its table: the next one starts empty, and nothing is left over.
		if _, err := db.PlainLoad(ctx, store.PlainKeyed, n, rows(nil)); err != nil {
			t.Errorf("keyed load after the others: %v", err)
		}
		ana := baken.WithActor(context.Background(), baken.Actor{UserID: "u1", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
		if _, err := db.PlainLoad(ana, store.PlainKeyed, n, rows(nil)); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("plain load by an analist: err = %v, want forbidden", err)
		}
	}},
}
