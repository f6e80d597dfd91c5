package password_test

import (
	"context"
	"strings"
	"testing"

	"baken/internal/password"
)

func TestHashAndVerify(t *testing.T) {
	h := password.NewHasher(2)
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want an argon2id PHC string with the OWASP parameters", phc)
	}
	again, _ := h.Hash(ctx, "correct horse battery")
	if again == phc {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := h.Verify(ctx, phc, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	if _, err := h.Hash(ctx, "kort"); err == nil {
		t.Error("a short password was accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
		if _, err := h.Verify(ctx, bad, "x"); err == nil {
			t.Errorf("Verify accepted the hash %q", bad)
		}
	}
}
