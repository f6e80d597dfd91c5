// Package storetest is the test suite every store dialect passes. Each test is a function
// of a fresh database; the sqlite and postgres packages run them all with their opener.
package storetest

import (
	"context"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// Opener returns a fresh, migrated database for one test.
type Opener func(tb testing.TB, opts store.Options) *store.DB

// Test is one store test.
type Test struct {
	Name string
	Run  func(t *testing.T, open Opener)
}

// Run runs every store test against the dialect behind open.
func Run(t *testing.T, open Opener) {
	for _, tt := range Tests() {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			tt.Run(t, open)
		})
	}
}

// Tests lists the suite.
func Tests() []Test {
	var ts []Test
	ts = append(ts, baseTests...)
	ts = append(ts, areaTests...)
	ts = append(ts, registrationTests...)
	ts = append(ts, rollupCellTests...)
	ts = append(ts, userTests...)
	ts = append(ts, trendTests...)
	ts = append(ts, accessTests...)
	ts = append(ts, countTests...)
	ts = append(ts, sessionTests...)
	ts = append(ts, sortTests...)
	ts = append(ts, hourTests...)
	ts = append(ts, versionTests...)
	ts = append(ts, batchTests...)
	ts = append(ts, programmeTests...)
	ts = append(ts, pointTests...)
	ts = append(ts, evaluationTests...)
	ts = append(ts, plainTests...)
	ts = append(ts, registrationOwnerTests...)
	return ts
}

// SystemContext returns a context with the command-line actor.
func SystemContext() context.Context {
	return baken.WithActor(context.Background(), baken.System("test"))
}

// FixedClock returns a clock that always says t.
func FixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var baseTests = []Test{
	{"MigrationsRecorded", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		applied, err := db.AppliedMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) == 0 {
			t.Fatal("no migrations recorded")
		}
		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", again)
		}
	}},
	{"NoActorFailsClosed", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		_, err := db.FindAreas(context.Background(), store.AreaFilter{})
		if !baken.IsKind(err, baken.Unauthenticated) {
			t.Errorf("FindAreas without actor: err = %v, want kind unauthenticated", err)
		}
	}},
}
