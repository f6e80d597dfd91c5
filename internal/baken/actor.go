package baken

import (
	"context"
	"slices"
)

// Role is what a user does; access decisions follow from it.
type Role string

const (
	RoleAdmin       Role = "beheerder"
	RolePolicy      Role = "beleidsadviseur"
	RoleAnalyst     Role = "analist"
	RoleEnforcement Role = "teamleider-handhaving"
	RoleCouncillor  Role = "raadslid"
	RoleSystem      Role = "systeem"
)

// Actor is on whose behalf work is done: a signed-in user, or the command line.
// It is the only value Baken keeps in a context.
type Actor struct {
	UserID       string
	Name         string
	Organisation string
	Roles        []Role
	// Gemeenten are the CBS municipality codes whose data the actor may see;
	// AllGemeenten lifts that restriction (command line, system jobs).
	Gemeenten    []string
	AllGemeenten bool
}

// System returns the actor for work started from the command line or by the server itself.
func System(name string) Actor {
	return Actor{UserID: "system:" + name, Name: name, Roles: []Role{RoleSystem}, AllGemeenten: true}
}

// HasRole reports whether the actor has role r.
func (a Actor) HasRole(r Role) bool { return slices.Contains(a.Roles, r) }

// MayEditProgramme reports whether the actor changes the safety plan and programme and
// issues their documents: a beleidsadviseur, a beheerder or the system.
func (a Actor) MayEditProgramme() bool {
	return a.HasRole(RoleSystem) || a.HasRole(RoleAdmin) || a.HasRole(RolePolicy)
}

// MaySee reports whether the actor may see data of municipality gm.
func (a Actor) MaySee(gm string) bool {
	return a.AllGemeenten || slices.Contains(a.Gemeenten, gm)
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, and false when there is none.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
