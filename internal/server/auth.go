package server

import (
	"net/http"
	"strings"

	"baken/internal/baken"
	"baken/internal/store"
)

// BearerAuth authenticates API requests by their "Authorization: Bearer TOKEN" header
// against the stored API tokens. It returns an Unauthenticated error when the header is
// missing or the token is not valid.
func BearerAuth(db *store.DB) func(r *http.Request) (baken.Actor, error) {
	return func(r *http.Request) (baken.Actor, error) {
		h := r.Header.Get("Authorization")
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return baken.Actor{}, &baken.Error{Kind: baken.Unauthenticated, Message: "give an API token: Authorization: Bearer TOKEN"}
		}
		sys := baken.WithActor(r.Context(), baken.System("auth"))
		return db.ActorForToken(sys, strings.TrimSpace(secret))
	}
}
