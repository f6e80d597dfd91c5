package storetest

import (
	"context"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/geo"
	"baken/internal/store"
)

var pointTests = []Test{
	{"PointsForAnalysis", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		withRD := func(r baken.Registration) baken.Registration {
			x, y := geo.WGS84ToRD(*r.Lon, *r.Lat)
			r.X, r.Y = &x, &y
			return r
		}
		a, b := withRD(Reg("a", 1)), withRD(Reg("b", 2))
		b.Category = "woninginbraak"
		b.Precision = baken.PrecisionDay
		noPlace := Reg("c", 3)
		noPlace.Lon, noPlace.Lat = nil, nil
		importRows(t, db, ctx, "politie", a, b, noPlace)

		got, err := db.Points(ctx, store.RegistrationFilter{Gemeenten: []string{"GM0384"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("Points = %d points, want 2 (the registration without a location left out): %+v", len(got), got)
		}
		wantX, wantY := geo.WGS84ToRD(*a.Lon, *a.Lat)
		p := got[0]
		if d := (p.X-wantX)*(p.X-wantX) + (p.Y-wantY)*(p.Y-wantY); d > 0.01 {
			t.Errorf("first point at RD (%.2f, %.2f), want (%.2f, %.2f)", p.X, p.Y, wantX, wantY)
		}
		if !p.At.Equal(a.OccurredAt.Truncate(time.Microsecond)) || p.Precision != baken.PrecisionMinute || p.Category != "overlast-jeugd" {
			t.Errorf("first point = %+v", p)
		}
		if got[1].Precision != baken.PrecisionDay || got[1].Category != "woninginbraak" {
			t.Errorf("second point = %+v", got[1])
		}

		burglaries, err := db.Points(ctx, store.RegistrationFilter{Categories: []string{"woninginbraak"}})
		if err != nil || len(burglaries) != 1 {
			t.Errorf("burglaries = %+v, %v; want one", burglaries, err)
		}
		other := baken.WithActor(context.Background(), baken.Actor{UserID: "u", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0363"}})
		if none, err := db.Points(other, store.RegistrationFilter{}); err != nil || len(none) != 0 {
			t.Errorf("another municipality's analyst gets %d points, %v; want none", len(none), err)
		}
	}},
}
