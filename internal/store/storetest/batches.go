package storetest

import (
	"context"
	"testing"

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
}
