package demo

import (
	"context"
	"fmt"

	"baken/internal/baken"
	"baken/internal/password"
	"baken/internal/store"
)

// Password is every demo account's password. Like the tokens it is public (it is in the
// README and the demo prints it): it exists only in a demo database, which listens on
// loopback.
const Password = "diemen-demo-2024"

// Account is a demo account with its fixed API token. The tokens are public (they are in
// the README): they exist only in a demo database, which listens on loopback.
type Account struct {
	Name  string
	Role  baken.Role
	Token string
}

// Accounts lists the demo's accounts, one per main role.
func Accounts() []Account {
	return []Account{
		{"beheerder", baken.RoleAdmin, "bkn_demo_beheerder"},
		{"beleid", baken.RolePolicy, "bkn_demo_beleidsadviseur"},
		{"analist", baken.RoleAnalyst, "bkn_demo_analist"},
		{"handhaving", baken.RoleEnforcement, "bkn_demo_handhaving"},
		{"raadslid", baken.RoleCouncillor, "bkn_demo_raadslid"},
	}
}

// LoadAccounts creates the demo accounts for Diemen with their tokens and the password
// Password; accounts that exist are left as they are.
func LoadAccounts(ctx context.Context, db *store.DB) ([]Account, error) {
	accounts := Accounts()
	hasher := password.NewHasher(1)
	for _, a := range accounts {
		hash, err := hasher.Hash(ctx, Password)
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.Name, err)
		}
		_, err = db.CreateUser(ctx, baken.User{Name: a.Name, DisplayName: "Demo " + string(a.Role),
			Organisation: "Gemeente Diemen (demo)", Roles: []baken.Role{a.Role}, Gemeenten: []string{Gemeente},
			PasswordHash: hash})
		if baken.IsKind(err, baken.Conflict) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.Name, err)
		}
		if _, err := db.CreateAPIToken(ctx, a.Name, "demo", a.Token, nil); err != nil {
			return nil, fmt.Errorf("demo token %s: %w", a.Name, err)
		}
	}
	return accounts, nil
}
