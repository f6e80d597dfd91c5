package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
	"baken/internal/store/sqlite"
)

// TestServeMarksInterruptedImports: an import left running by a process that stopped
// longer than the lease ago is marked interrupted when serve starts; one whose process
// renewed its lease lately (a command-line import running beside serve) is not.
func TestServeMarksInterruptedImports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baken.db")
	ctx := context.Background()
	analyst := baken.WithActor(ctx, baken.Actor{UserID: "u-ana", Roles: []baken.Role{baken.RoleAnalyst}, Gemeenten: []string{"GM0384"}})
	for id, at := range map[string]time.Time{"stopped": time.Now().Add(-10 * time.Minute), "alive": time.Now()} {
		db, err := sqlite.Open(ctx, path, store.Options{Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		err = db.StartImportBatch(analyst, store.ImportBatch{ID: id, Kind: "registrations", Source: "test", FileName: id + ".csv", FileHash: id})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", path, "--upload-dir", t.TempDir())
	db, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, want := range map[string]string{"stopped": "interrupted", "alive": "running"} {
		b, err := db.FindImportBatch(analyst, id)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != want {
			t.Errorf("batch %s is %q, want %q", id, b.Status, want)
		}
		if want == "interrupted" && (!b.FinishedAt.Valid || !strings.Contains(b.Note, "import the same file again")) {
			t.Errorf("interrupted batch = %+v", b)
		}
	}
}

func TestServeUploadRetentionConfig(t *testing.T) {
	for _, tc := range []struct {
		want time.Duration
		args []string
		env  string
	}{
		{7 * 24 * time.Hour, nil, ""},
		{3 * 24 * time.Hour, nil, "3d"},
		{36 * time.Hour, []string{"--upload-retention", "36h"}, "3d"},
		{0, []string{"--upload-retention", "0"}, ""},
	} {
		var cfg config
		getenv := func(k string) string {
			if k == "BAKEN_UPLOAD_RETENTION" {
				return tc.env
			}
			return ""
		}
		fs := newFlags(env{getenv: getenv, stderr: io.Discard}, "serve", "serve", &cfg, "upload-retention")
		if err := parse(fs, &cfg, tc.args); err != nil {
			t.Errorf("%v, env %q: %v", tc.args, tc.env, err)
			continue
		}
		if cfg.retention != tc.want {
			t.Errorf("%v, env %q: retention %v, want %v", tc.args, tc.env, cfg.retention, tc.want)
		}
	}
	for _, bad := range []string{"soon", "-1d", "-5h"} {
		err := run(context.Background(), []string{"serve", "--upload-retention", bad}, noenv, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--upload-retention") {
			t.Errorf("--upload-retention %s: err = %v, want a message naming the flag", bad, err)
		}
	}
}
