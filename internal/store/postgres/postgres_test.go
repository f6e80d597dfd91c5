package postgres_test

import (
	"os"
	"testing"

	"baken/internal/store"
	"baken/internal/store/pgtest"
	"baken/internal/store/storetest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &srv)) }

func TestStore(t *testing.T) {
	s := pgtest.Require(t, srv)
	storetest.Run(t, func(tb testing.TB, opts store.Options) *store.DB { return s.NewDB(tb, opts) })
}
