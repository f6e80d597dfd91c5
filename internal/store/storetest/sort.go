package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"baken/internal/baken"
	"baken/internal/store"
)

var sortTests = []Test{
	{"SortByCategory", func(t *testing.T, open Opener) {
		db := open(t, store.Options{})
		ctx := SystemContext()
		// Day n of March, in categories chosen so that code order and time order differ.
		cats := []string{"zwerfvuil", "overlast-jeugd", "woninginbraak", "zwerfvuil", "overlast-jeugd", "woninginbraak"}
		var rows []baken.Registration
		for i, c := range cats {
			r := Reg(fmt.Sprint("s", i), i)
			r.Category = c
			rows = append(rows, r)
		}
		importRows(t, db, ctx, "boa", rows...)
		keys := func(f store.RegistrationFilter) []string {
			t.Helper()
			regs, total, err := db.FindRegistrations(ctx, f)
			if err != nil || total != len(cats) {
				t.Fatalf("FindRegistrations(%+v) = %d, %v", f, total, err)
			}
			var out []string
			for _, r := range regs {
				out = append(out, r.Category+" "+r.SourceKey)
			}
			return out
		}
		tests := []struct {
			name string
			f    store.RegistrationFilter
			want []string
		}{
			{"oldest first", store.RegistrationFilter{},
				[]string{"zwerfvuil s0", "overlast-jeugd s1", "woninginbraak s2", "zwerfvuil s3", "overlast-jeugd s4", "woninginbraak s5"}},
			{"newest first", store.RegistrationFilter{Newest: true},
				[]string{"woninginbraak s5", "overlast-jeugd s4", "zwerfvuil s3", "woninginbraak s2", "overlast-jeugd s1", "zwerfvuil s0"}},
			{"by category, newest first", store.RegistrationFilter{ByCategory: true, Newest: true},
				[]string{"overlast-jeugd s4", "overlast-jeugd s1", "woninginbraak s5", "woninginbraak s2", "zwerfvuil s3", "zwerfvuil s0"}},
			{"by category, oldest first", store.RegistrationFilter{ByCategory: true},
				[]string{"overlast-jeugd s1", "overlast-jeugd s4", "woninginbraak s2", "woninginbraak s5", "zwerfvuil s0", "zwerfvuil s3"}},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, keys(tt.f)); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
			}
		}
		// A page of the category order continues where the previous one stopped.
		page, _, err := db.FindRegistrations(ctx, store.RegistrationFilter{ByCategory: true, Newest: true, Limit: 2, Offset: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].SourceKey != "s5" || page[1].SourceKey != "s2" {
			t.Errorf("second page by category = %v", page)
		}
		var streamed []string
		if err := db.EachRegistration(ctx, store.RegistrationFilter{ByCategory: true}, func(r *baken.Registration) error {
			streamed = append(streamed, r.Category+" "+r.SourceKey)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tests[3].want, streamed); diff != "" {
			t.Errorf("EachRegistration by category: mismatch (-want +got):\n%s", diff)
		}
	}},
}
