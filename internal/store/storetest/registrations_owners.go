package storetest

import (
	"context"
	"strings"
	"testing"

	"baken/internal/baken"
	"baken/internal/store"
)

// inAmsterdam returns r moved to a buurt of Amsterdam.
func inAmsterdam(r baken.Registration) baken.Registration {
	r.Gemeente, r.Wijk, r.Buurt = "GM0363", "WK036300", "BU03630000"
	return r
}

// registrationOwnerTests cover who owns a registration and its history: a history that
// follows a registration into another municipality, a source that police counts own,
// and who may delete.
var registrationOwnerTests = []Test{
	{"HistoryFollowsMovedRegistration", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		importRows(t, db, ctx, "politie", Reg("A1", 1))
		// The source corrects the coordinates: the same source id now lies in Amsterdam.
		if got := importRows(t, db, ctx, "politie", inAmsterdam(Reg("A1", 2))); got != (store.ChunkResult{Updated: 1}) {
			t.Fatalf("moving import = %+v, want 1 updated", got)
		}
		regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err != nil || len(regs) != 1 || regs[0].Gemeente != "GM0363" || regs[0].Version != 2 {
			t.Fatalf("stored = %+v, %v; want version 2 in GM0363", regs, err)
		}
		id := regs[0].ID
		checkRollups(t, db)

		analyst := func(gms ...string) context.Context {
			return baken.WithActor(context.Background(), baken.Actor{UserID: "u", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: gms})
		}
		tests := []struct {
			name     string
			ctx      context.Context
			wantKind baken.Kind // of RegistrationHistory's error; "" for none
			want     int        // earlier versions returned
		}{
			{"system sees the version in Diemen", ctx, "", 1},
			{"both municipalities", analyst("GM0384", "GM0363"), "", 1},
			{"Amsterdam only does not see Diemen's version", analyst("GM0363"), "", 0},
			{"Diemen only does not see the registration", analyst("GM0384"), baken.NotFound, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, findErr := db.FindRegistration(tt.ctx, id)
				hist, err := db.RegistrationHistory(tt.ctx, id)
				if tt.wantKind != "" {
					if !baken.IsKind(err, tt.wantKind) || !baken.IsKind(findErr, tt.wantKind) {
						t.Fatalf("FindRegistration err = %v, RegistrationHistory err = %v; want kind %s", findErr, err, tt.wantKind)
					}
					return
				}
				if findErr != nil || err != nil {
					t.Fatalf("FindRegistration err = %v, RegistrationHistory err = %v", findErr, err)
				}
				if len(hist) != tt.want {
					t.Fatalf("history = %v, want %d entries", hist, tt.want)
				}
				for _, h := range hist {
					if !strings.Contains(h, `"gemeente":"GM0384"`) || !strings.Contains(h, `"description":"melding 1"`) {
						t.Errorf("history entry = %s, want the first version in GM0384", h)
					}
				}
			})
		}
	}},
	{"RegistrationsRefusedUnderCountSource", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		counts := []baken.Count{Cnt("BU03840101", "woninginbraak", mar, baken.PrecisionMonth, 2)}
		replaceCounts(t, db, ctx, store.CountsImport{Source: "politie-opendata", Counts: counts, Scope: scopes(counts...)})

		tests := []struct {
			name string
			run  func(c store.ImportChunk) error
		}{
			{"ImportChunk", func(c store.ImportChunk) error {
				_, err := db.ImportChunk(ctx, c)
				return err
			}},
			{"ImportChunks", func(c store.ImportChunk) error {
				done := false
				next := func() (store.ImportChunk, bool) {
					if done {
						return store.ImportChunk{}, false
					}
					done = true
					return c, true
				}
				return db.ImportChunks(ctx, next, func(store.ImportChunk, store.ChunkResult) error { return nil })
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.run(store.ImportChunk{Source: "politie-opendata", Rows: []baken.Registration{Reg("a", 1), Reg("b", 2)}})
				if !baken.IsKind(err, baken.Invalid) {
					t.Fatalf("err = %v, want kind invalid", err)
				}
				if msg := err.Error(); !strings.Contains(msg, "politie-opendata") || !strings.Contains(msg, "police open-data counts") {
					t.Errorf("message %q does not name the source and its counts", msg)
				}
				if _, total, err := db.FindRegistrations(ctx, store.RegistrationFilter{}); err != nil || total != 0 {
					t.Errorf("stored %d registrations (%v), want none", total, err)
				}
			})
		}
		// Another source is still accepted next to the counts.
		if got := importRows(t, db, ctx, "politie", Reg("a", 1)); got != (store.ChunkResult{Stored: 1}) {
			t.Errorf("other source = %+v, want 1 stored", got)
		}
		checkRollups(t, db)
	}},
	{"DeleteChecksAccess", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		importRows(t, db, ctx, "politie", inAmsterdam(Reg("a", 1)))
		regs, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{})
		if err != nil || len(regs) != 1 {
			t.Fatalf("stored = %+v, %v", regs, err)
		}
		tests := []struct {
			name  string
			actor baken.Actor
			want  baken.Kind
		}{
			{"another municipality", baken.Actor{UserID: "u", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}}, baken.NotFound},
			{"a role that may not import", baken.Actor{UserID: "r", Roles: []baken.Role{baken.RoleCouncillor}, Gemeenten: []string{"GM0363"}}, baken.Forbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := db.DeleteRegistration(baken.WithActor(context.Background(), tt.actor), regs[0].ID)
				if !baken.IsKind(err, tt.want) {
					t.Errorf("err = %v, want kind %s", err, tt.want)
				}
				if _, err := db.FindRegistration(ctx, regs[0].ID); err != nil {
					t.Errorf("registration after the refused delete: %v", err)
				}
			})
		}
		checkRollups(t, db)
	}},
}
