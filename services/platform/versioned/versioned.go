// Package versioned is the one read-modify-write of a versioned resource (optimistic
// locking with If-Match): read the row for update, check the version the client read,
// apply the change, raise the version, write it, then record the change (audit entry and
// event), all in the caller's transaction. Every service's updates go through it, so the
// version check and its 412 answer are written once.
package versioned

import (
	"context"
	"database/sql"

	"github.com/plenary/plenary/services/platform/problem"
)

// Resource is one kind of versioned row and what a change of it records.
type Resource[T any] struct {
	// Name names the resource in messages ("meeting", "registration").
	Name string
	// Get reads the row for update within tx; a missing row is a problem.NotFound.
	Get func(ctx context.Context, tx *sql.Tx, id string) (T, error)
	// Version points at the row's version. Nil for a resource without one (an API token
	// is only ever revoked): no If-Match applies to it, and a change writes no version.
	Version func(*T) *int64
	// Put writes the changed row.
	Put func(ctx context.Context, tx *sql.Tx, v T) error
	// Record writes what the change leaves behind (its audit entry, its event), after Put.
	Record func(ctx context.Context, tx *sql.Tx, before, after T) error
	// Same, when set, tells a change that changes nothing: it is neither written nor
	// recorded, and the version stays.
	Same func(before, after T) bool
}

// Update reads id, refuses a stale ifMatch (-1: any version), applies change, raises the
// version and writes and records the row, in tx. It returns the row as stored.
func (r Resource[T]) Update(ctx context.Context, tx *sql.Tx, id string, ifMatch int64, change func(*T) error) (T, error) {
	v, err := r.Get(ctx, tx, id)
	if err != nil {
		return v, err
	}
	if r.Version != nil {
		if err := Check(r.Name, ifMatch, *r.Version(&v)); err != nil {
			return v, err
		}
	} else if ifMatch >= 0 {
		return v, problem.Invalid("if_match_not_applicable", "a "+r.Name+" has no version: send no If-Match")
	}
	before := v
	if err := change(&v); err != nil {
		return before, err
	}
	if r.Same != nil && r.Same(before, v) {
		return before, nil
	}
	if r.Version != nil {
		*r.Version(&v) = *r.Version(&before) + 1
	}
	if err := r.Put(ctx, tx, v); err != nil {
		return before, err
	}
	if r.Record != nil {
		if err := r.Record(ctx, tx, before, v); err != nil {
			return before, err
		}
	}
	return v, nil
}

// Check refuses (412 version_mismatch, with the current version) a change made to a
// version other than current; want < 0 accepts any.
func Check(resource string, want, current int64) error {
	if want >= 0 && want != current {
		return problem.New(problem.KindPreconditionFailed, "version_mismatch",
			"the %s changed since you read it (your version %d, current %d); read it again and retry", resource, want, current).
			WithExtra("current_version", current)
	}
	return nil
}
