package main

import (
	"context"
	"fmt"
	"os"

	"baken/internal/baken"
	"baken/internal/reference"
)

// runImportCategories loads a municipality's own extension of the category tree. It is
// checked against the tree that ships (new codes only, or identical redefinitions) and
// stored as the current "categories-local" version; the shipped tree is never changed.
func runImportCategories(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "import categories", "import categories [--db FILE|URL] FILE", &cfg, "db")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	body, err := os.ReadFile(path)
	if err != nil {
		return baken.Errorf(baken.Invalid, path, "%v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return baken.Errorf(baken.Invalid, path, "%v", err)
	}
	defer f.Close()
	ext, err := reference.ParseCategories(f, path)
	if err != nil {
		return err
	}
	shipped, err := reference.Categories()
	if err != nil {
		return err
	}
	merged, err := reference.Merge(shipped, ext)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveReference(baken.WithActor(ctx, baken.System("import")), "categories-local", ext.Version, body); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: extension %s stored: %d categories in force (tree %s)\n", path, ext.Version, len(merged.Categories), merged.Version)
	return nil
}
