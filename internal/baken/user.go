package baken

import (
	"slices"
	"strings"
	"time"
)

// More roles from the domain model; access decisions follow from them.
const (
	RoleMayor       Role = "burgemeester"
	RoleCaseLead    Role = "casusregisseur"
	RoleProcessLead Role = "procesregisseur"
	RoleEventCoord  Role = "evenementencoordinator"
	RolePrivacy     Role = "fg"
	RoleAuditor     Role = "auditor"
	RoleEnforcer    Role = "boa"
)

// Roles lists the roles a user can have.
func Roles() []Role {
	return []Role{RoleAdmin, RolePolicy, RoleAnalyst, RoleEnforcement, RoleCouncillor, RoleMayor,
		RoleCaseLead, RoleProcessLead, RoleEventCoord, RolePrivacy, RoleAuditor, RoleEnforcer}
}

// ParseRole accepts a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles(), r) {
		return r, nil
	}
	names := make([]string, 0, len(Roles()))
	for _, r := range Roles() {
		names = append(names, string(r))
	}
	return "", Errorf(Invalid, "role", "%q: want one of %s", s, strings.Join(names, ", "))
}

// User is a local account.
type User struct {
	ID           string
	Name         string // login name
	DisplayName  string
	Organisation string
	Roles        []Role
	Gemeenten    []string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Actor returns the actor the user acts as.
func (u User) Actor() Actor {
	name := u.DisplayName
	if name == "" {
		name = u.Name
	}
	return Actor{UserID: u.ID, Name: name, Organisation: u.Organisation,
		Roles: slices.Clone(u.Roles), Gemeenten: slices.Clone(u.Gemeenten)}
}

// SeesPersonalData reports whether the actor's role needs a registration's free text
// and address: not an analyst (pseudonymised data only) and not a councillor
// (aggregates only).
func (a Actor) SeesPersonalData() bool {
	if a.HasRole(RoleSystem) || a.HasRole(RoleAdmin) {
		return true
	}
	for _, r := range a.Roles {
		if r != RoleAnalyst && r != RoleCouncillor {
			return true
		}
	}
	return false
}

// AggregatesOnly reports whether the actor may see aggregates only (a councillor
// without any other role).
func (a Actor) AggregatesOnly() bool {
	for _, r := range a.Roles {
		if r != RoleCouncillor {
			return false
		}
	}
	return len(a.Roles) > 0
}
