package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// runningImports are the uploads whose import runs in this server, so that they are
// never removed while it reads them.
type runningImports struct {
	mu  sync.Mutex
	ids map[string]int
}

func (ri *runningImports) add(id string) {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if ri.ids == nil {
		ri.ids = map[string]int{}
	}
	ri.ids[id]++
}

func (ri *runningImports) remove(id string) {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if ri.ids[id]--; ri.ids[id] <= 0 {
		delete(ri.ids, id)
	}
}

func (ri *runningImports) has(id string) bool {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	return ri.ids[id] > 0
}

// DefaultUploadRetention is how long an upload is kept after its last use.
const DefaultUploadRetention = 7 * 24 * time.Hour

// RemoveExpiredUploads removes from the upload folder every upload, with its record, its
// reject files and its locks, whose last use (uploaded, import started or ended) is more
// than retention ago. A file of ours without a readable record (an upload cut off) goes
// by its modification time. An upload whose import runs, in this server or (by its
// batch in the store) in another, is kept, and so is one whose state cannot be read.
// It logs and returns the ids it removed. ctx must carry an actor that may read every
// import batch (the system). Files that are not an upload's are left alone.
func (w *Web) RemoveExpiredUploads(ctx context.Context, retention time.Duration) ([]string, error) {
	dir, err := w.uploadDir()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("expire uploads: %w", err)
	}
	// An upload's files all start with its id and a dot.
	byID := map[string][]fs.DirEntry{}
	for _, e := range entries {
		id, _, ok := strings.Cut(e.Name(), ".")
		if !ok || e.IsDir() || !uploadIDRE.MatchString(id) {
			continue
		}
		byID[id] = append(byID[id], e)
	}
	cutoff := w.cfg.Now().Add(-retention)
	var removed []string
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		files := filesOf(dir, id)
		lastUse, running, err := w.uploadUse(ctx, id, files, byID[id])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if running || !lastUse.Before(cutoff) {
			continue
		}
		var size int64
		n := 0
		for _, e := range byID[id] {
			if info, err := e.Info(); err == nil {
				size += info.Size()
			}
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("remove upload %s: %w", id, err))
				continue
			}
			n++
		}
		w.cfg.Logger.Info("upload removed", "upload", id, "last_use", lastUse.UTC().Format(time.RFC3339),
			"files", n, "bytes", size, "retention", retention.String())
		removed = append(removed, id)
	}
	return removed, errors.Join(errs...)
}

// uploadUse returns when an upload was last used and whether its import may be running.
func (w *Web) uploadUse(ctx context.Context, id string, files uploadFiles, entries []fs.DirEntry) (time.Time, bool, error) {
	if w.imports.has(id) {
		return time.Time{}, true, nil
	}
	b, err := os.ReadFile(files.meta)
	if errors.Is(err, fs.ErrNotExist) {
		// No record: an upload cut off, or one refused before it was recorded.
		var last time.Time
		for _, e := range entries {
			info, err := e.Info()
			if err != nil {
				continue // removed meanwhile
			}
			if t := info.ModTime(); t.After(last) {
				last = t
			}
		}
		return last, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("expire upload %s: %w", id, err)
	}
	var u upload
	if err := json.Unmarshal(b, &u); err != nil {
		return time.Time{}, false, fmt.Errorf("expire upload %s: %w", id, err)
	}
	last := u.Uploaded
	for _, t := range []*time.Time{u.Started, u.Finished} {
		if t != nil && t.After(last) {
			last = *t
		}
	}
	if u.Started == nil || u.Result != nil {
		return last, false, nil
	}
	// Started without a result: running here (see above), running in another server,
	// or cut off by a restart. The batch says which.
	batch, err := w.uploadBatch(ctx, u, files)
	if err != nil {
		return last, false, fmt.Errorf("expire upload %s: %w", id, err)
	}
	if batch == nil {
		// Cut off before its batch was recorded: nothing runs it a retention later.
		return last, false, nil
	}
	if batch.Status == "running" {
		return last, true, nil
	}
	if batch.FinishedAt.Valid && batch.FinishedAt.Time.After(last) {
		last = batch.FinishedAt.Time
	}
	return last, false, nil
}
