package reference

import (
	"context"
	"strings"

	"baken/internal/baken"
	"baken/internal/store"
)

// InForce returns the category tree in force in db: the one that ships, stored so that
// its version is on record, merged with the municipality's own extension when one is
// loaded ("categories-local").
func InForce(ctx context.Context, db *store.DB) (baken.CategoryTree, error) {
	tree, err := Categories()
	if err != nil {
		return tree, err
	}
	body, err := CategoriesJSON()
	if err != nil {
		return tree, err
	}
	if err := db.SaveReference(ctx, "categories", tree.Version, body); err != nil {
		return tree, err
	}
	_, local, err := db.LatestReference(ctx, "categories-local")
	if baken.IsKind(err, baken.NotFound) {
		return tree, nil
	}
	if err != nil {
		return tree, err
	}
	ext, err := ParseCategories(strings.NewReader(string(local)), "categories-local")
	if err != nil {
		return tree, err
	}
	return Merge(tree, ext)
}
