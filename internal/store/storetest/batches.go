package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

func userCtx(id string, role baken.Role) context.Context {
	return baken.WithActor(context.Background(), baken.Actor{UserID: id, Name: id, Roles: []baken.Role{role}, Gemeenten: []string{"GM0384"}})
}

var batchTests = []Test{
	{"ImportBatchProgressIsReadByItsStarter", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ana, other, admin := userCtx("u-ana", baken.RoleAnalyst), userCtx("u-bob", baken.RoleAnalyst), userCtx("u-adm", baken.RoleAdmin)
		if err := db.StartImportBatch(ana, store.ImportBatch{ID: "b1", Kind: "registrations", Source: "politie", FileName: "up1.csv", FileHash: "h1"}); err != nil {
			t.Fatal(err)
		}
		reg := Reg("k1", 1)
		if _, err := db.ImportChunk(ana, store.ImportChunk{BatchID: "b1", Source: "politie", Rows: []baken.Registration{reg},
			LinesDone: 3, Read: 2, Rejected: 1}); err != nil {
			t.Fatal(err)
		}
		b, err := db.FindImportBatch(ana, "b1")
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != "running" || b.LinesDone != 3 || b.Read != 2 || b.Stored != 1 || b.Rejected != 1 || b.StartedBy != "u-ana" || b.FileName != "up1.csv" {
			t.Errorf("batch = %+v", b)
		}
		if err := db.FinishImportBatch(ana, "b1", "done"); err != nil {
			t.Fatal(err)
		}
		if b, err := db.FindImportBatch(admin, "b1"); err != nil || b.Status != "done" || !b.FinishedAt.Valid {
			t.Errorf("admin reads %+v, %v", b, err)
		}
		if _, err := db.FindImportBatch(other, "b1"); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("another analyst reads the batch: %v", err)
		}
		if _, err := db.FindImportBatch(userCtx("u-raad", baken.RoleCouncillor), "b1"); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("a councillor reads the batch: %v", err)
		}
		if _, err := db.FindImportBatch(ana, "nope"); !baken.IsKind(err, baken.NotFound) {
			t.Errorf("unknown batch: %v", err)
		}
		name := "up1.csv"
		bs, n, err := db.FindImportBatches(ana, store.ImportBatchFilter{FileName: &name})
		if err != nil || n != 1 || len(bs) != 1 || bs[0].ID != "b1" {
			t.Errorf("FindImportBatches = %+v, %d, %v", bs, n, err)
		}
		if bs, n, err := db.FindImportBatches(other, store.ImportBatchFilter{FileName: &name}); err != nil || n != 0 || len(bs) != 0 {
			t.Errorf("another analyst finds %+v, %d, %v", bs, n, err)
		}
	}},
	{"ImportBatchLeaseExpires", func(t *testing.T, open Opener) {
		t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
		clock := t0
		db := open(t, store.Options{Now: func() time.Time { return clock }})
		ana, sys := userCtx("u-ana", baken.RoleAnalyst), SystemContext()
		start := func(id string) {
			t.Helper()
			if err := db.StartImportBatch(ana, store.ImportBatch{ID: id, Kind: "registrations", Source: "politie", FileName: id + ".csv", FileHash: id}); err != nil {
				t.Fatal(err)
			}
		}
		interrupt := func() []string {
			t.Helper()
			bs, err := db.InterruptStaleImportBatches(sys, store.ImportLease)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, b := range bs {
				ids = append(ids, b.ID)
			}
			return ids
		}
		start("old")
		if b, err := db.FindImportBatch(ana, "old"); err != nil || !b.HeartbeatAt.Valid || !b.HeartbeatAt.Time.Equal(t0) {
			t.Fatalf("a new run's heartbeat = %+v, %v; want its start", b.HeartbeatAt, err)
		}
		clock = t0.Add(90 * time.Second)
		start("young")
		if got := interrupt(); len(got) != 0 {
			t.Errorf("within the lease, marked %v", got)
		}
		clock = t0.Add(store.ImportLease + time.Second)
		if got := interrupt(); len(got) != 1 || got[0] != "old" {
			t.Errorf("after the lease, marked %v; want [old]", got)
		}
		b, err := db.FindImportBatch(ana, "old")
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != "interrupted" || !b.FinishedAt.Valid || !b.FinishedAt.Time.Equal(clock) || !strings.Contains(b.Note, "import the same file again") {
			t.Errorf("interrupted run = %+v", b)
		}
		if b, _ := db.FindImportBatch(ana, "young"); b.Status != "running" {
			t.Errorf("the young run is %q, want running", b.Status)
		}
		if got := interrupt(); len(got) != 0 {
			t.Errorf("a second sweep marked %v again", got)
		}
		if _, err := db.InterruptStaleImportBatches(ana, store.ImportLease); !baken.IsKind(err, baken.Forbidden) {
			t.Errorf("an analyst marks runs interrupted: %v", err)
		}
		// The run's process was alive after all: its end is recorded as usual.
		if err := db.FinishImportBatch(ana, "old", "done"); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.FindImportBatch(ana, "old"); b.Status != "done" || b.Note != "" {
			t.Errorf("finished after being marked: %+v", b)
		}
		// A resumed import finds the interrupted run and where it stopped.
		clock = t0.Add(10 * store.ImportLease)
		if got := interrupt(); len(got) != 1 || got[0] != "young" {
			t.Errorf("marked %v; want [young]", got)
		}
		if b, err := db.LastImportBatch(ana, "young", "politie"); err != nil || b.Status != "interrupted" {
			t.Errorf("LastImportBatch = %+v, %v", b, err)
		}
	}},
	{"ImportBatchChunkRenewsLease", func(t *testing.T, open Opener) {
		// A chunk's heartbeat comes from the database's clock, so this test's clock
		// follows the real one.
		now := time.Now().UTC()
		clock := now.Add(-10 * store.ImportLease)
		db := open(t, store.Options{Now: func() time.Time { return clock }})
		ana, sys := userCtx("u-ana", baken.RoleAnalyst), SystemContext()
		if err := db.StartImportBatch(ana, store.ImportBatch{ID: "b1", Kind: "registrations", Source: "politie", FileName: "b1.csv", FileHash: "h1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportChunk(ana, store.ImportChunk{BatchID: "b1", Source: "politie", Rows: []baken.Registration{Reg("k1", 1)},
			LinesDone: 2, Read: 1}); err != nil {
			t.Fatal(err)
		}
		clock = time.Now().UTC()
		if bs, err := db.InterruptStaleImportBatches(sys, store.ImportLease); err != nil || len(bs) != 0 {
			t.Fatalf("just after a chunk, marked %+v, %v", bs, err)
		}
		b, err := db.FindImportBatch(ana, "b1")
		if err != nil {
			t.Fatal(err)
		}
		if !b.HeartbeatAt.Valid || b.HeartbeatAt.Time.Before(now.Add(-time.Minute)) {
			t.Errorf("heartbeat after a chunk = %+v, want about %v", b.HeartbeatAt, now)
		}
		clock = time.Now().UTC().Add(store.ImportLease + time.Minute)
		if bs, err := db.InterruptStaleImportBatches(sys, store.ImportLease); err != nil || len(bs) != 1 {
			t.Fatalf("after the lease, marked %+v, %v", bs, err)
		}
		// A chunk after all: the process was alive, and the run is running again.
		if _, err := db.ImportChunk(ana, store.ImportChunk{BatchID: "b1", Source: "politie", Rows: []baken.Registration{Reg("k2", 2)},
			LinesDone: 3, Read: 2}); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.FindImportBatch(ana, "b1"); b.Status != "running" || b.FinishedAt.Valid || b.Note != "" || b.LinesDone != 3 {
			t.Errorf("after a late chunk: %+v", b)
		}
	}},
}
