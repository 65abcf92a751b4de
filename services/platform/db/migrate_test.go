package db_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// Replicas of `plenary api` that start together, after a release that brings a new
// migration, all come up: one applies it, the others wait for it and apply nothing.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.NewPostgresDatabase(t)
	const replicas = 6
	dbs := make([]*db.DB, replicas)
	for i := range dbs {
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		dbs[i] = d
	}
	// The database as the previous release left it: every migration but the newest.
	if err := db.Migrate(ctx, dbs[0], nil); err != nil {
		t.Fatal(err)
	}
	sub, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, dbs[0].DB, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}

	for round := range 2 {
		errs := make([]error, replicas)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, d := range dbs {
			wg.Go(func() {
				<-start
				errs[i] = db.Migrate(ctx, d, nil)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, replica %d: %v", round, i, err)
			}
		}
		var pending, dup int
		if err := dbs[0].QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version WHERE version_id > 0 GROUP BY version_id HAVING COUNT(*) > 1) x`).Scan(&dup); err != nil {
			t.Fatal(err)
		}
		st, err := p.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if s.State != goose.StateApplied {
				pending++
			}
		}
		if pending != 0 || dup != 0 {
			t.Fatalf("round %d: %d migrations pending, %d applied twice", round, pending, dup)
		}
		if _, err := p.Down(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
