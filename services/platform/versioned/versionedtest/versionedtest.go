// Package versionedtest is the contract every store's versioned update keeps, run by each
// owner package on SQLite and PostgreSQL: a missing row is a 404, a stale If-Match a 412
// that writes nothing, an update raises the version by one and is read back, and of two
// concurrent updates made to the same version exactly one wins (no lost update).
package versionedtest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
)

// Subject is one store under the contract.
type Subject[T any] struct {
	Resource versioned.Resource[T]
	// Tx is the service's own write transaction (with its isolation and retries).
	Tx func(ctx context.Context, fn func(*sql.Tx) error) error
	// New stores a fresh row and returns its id.
	New func(t *testing.T) string
	// Change changes the row in a way that is stored (n tells calls apart).
	Change func(v *T, n int) error
}

// Run checks the contract.
func Run[T any](t *testing.T, s Subject[T]) {
	ctx := context.Background()
	read := func(id string) T {
		t.Helper()
		var v T
		if err := s.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			v, err = s.Resource.Get(ctx, tx, id)
			return err
		}); err != nil {
			t.Fatalf("read %s: %v", id, err)
		}
		return v
	}
	update := func(id string, ifMatch int64, n int) (T, error) {
		var out T
		err := s.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			out, err = s.Resource.Update(ctx, tx, id, ifMatch, func(v *T) error { return s.Change(v, n) })
			return err
		})
		return out, err
	}
	version := func(v T) int64 { return *s.Resource.Version(&v) }

	if _, err := update("01938f0e-0000-7000-8000-00000000dead", -1, 0); problem.From(err).Kind != problem.KindNotFound {
		t.Fatalf("update of a missing %s: %v, want not found", s.Resource.Name, err)
	}
	id := s.New(t)
	v0 := version(read(id))
	if _, err := update(id, v0+1, 1); problem.From(err).Code != "version_mismatch" || problem.From(err).Extra["current_version"] != v0 {
		t.Fatalf("stale If-Match on %s: %v", s.Resource.Name, err)
	}
	if got := version(read(id)); got != v0 {
		t.Fatalf("a refused update changed the %s's version: %d, want %d", s.Resource.Name, got, v0)
	}
	out, err := update(id, v0, 2)
	if err != nil || version(out) != v0+1 || version(read(id)) != v0+1 {
		t.Fatalf("update of %s: %v, version %d (stored %d), want %d", s.Resource.Name, err, version(out), version(read(id)), v0+1)
	}
	// Two writers that both read version v0+1: one wins, the other is told to read again.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = update(id, v0+1, 10+i) }()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case problem.From(err).Code == "version_mismatch":
			lost++
		default:
			t.Fatalf("concurrent update of %s: %v", s.Resource.Name, err)
		}
	}
	if won != 1 || lost != 1 || version(read(id)) != v0+2 {
		t.Fatalf("concurrent updates of %s: %d won, %d lost, version %d; want one each and %d", s.Resource.Name, won, lost, version(read(id)), v0+2)
	}
}
