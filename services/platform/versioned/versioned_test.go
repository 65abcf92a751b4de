package versioned_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
)

type row struct {
	Name    string
	Version int64
}

// The update of a row: a stale If-Match is a 412 naming the current version and writes
// nothing; a change raises the version by one and is written, then recorded; a change
// that changes nothing is neither.
func TestUpdate(t *testing.T) {
	stored := map[string]row{"r1": {Name: "Plenary hall", Version: 3}}
	var records []string
	res := versioned.Resource[row]{
		Name: "room",
		Get: func(_ context.Context, _ *sql.Tx, id string) (row, error) {
			r, ok := stored[id]
			if !ok {
				return r, problem.NotFound("room", id)
			}
			return r, nil
		},
		Version: func(r *row) *int64 { return &r.Version },
		Put:     func(_ context.Context, _ *sql.Tx, r row) error { stored["r1"] = r; return nil },
		Record: func(_ context.Context, _ *sql.Tx, before, after row) error {
			records = append(records, before.Name+" -> "+after.Name)
			return nil
		},
		Same: func(a, b row) bool { return a.Name == b.Name },
	}
	ctx := context.Background()
	rename := func(n string) func(*row) error { return func(r *row) error { r.Name = n; return nil } }

	_, err := res.Update(ctx, nil, "r1", 2, rename("Room XVII"))
	pe := problem.From(err)
	if pe.Kind != problem.KindPreconditionFailed || pe.Code != "version_mismatch" || pe.Extra["current_version"] != int64(3) || stored["r1"].Name != "Plenary hall" {
		t.Fatalf("stale version: %v %+v %+v", err, pe, stored["r1"])
	}
	got, err := res.Update(ctx, nil, "r1", 3, rename("Room XVII"))
	if err != nil || got.Version != 4 || stored["r1"] != got || len(records) != 1 || records[0] != "Plenary hall -> Room XVII" {
		t.Fatalf("update: %+v %v %+v %v", got, err, stored["r1"], records)
	}
	if got, err := res.Update(ctx, nil, "r1", -1, rename("Room XVII")); err != nil || got.Version != 4 || len(records) != 1 {
		t.Fatalf("a change that changes nothing: %+v %v %v", got, err, records)
	}
	bad := errors.New("name too long")
	if _, err := res.Update(ctx, nil, "r1", 4, func(*row) error { return bad }); !errors.Is(err, bad) || stored["r1"].Version != 4 {
		t.Fatalf("refused change: %v %+v", err, stored["r1"])
	}
	if _, err := res.Update(ctx, nil, "r9", -1, rename("x")); problem.From(err).Kind != problem.KindNotFound {
		t.Fatalf("missing row: %v", err)
	}
}

// A resource without a version (an API token): a change is written and recorded without
// a version, and an If-Match, which names a version, is refused.
func TestUpdateWithoutVersion(t *testing.T) {
	stored := row{Name: "viewer token"}
	var records int
	res := versioned.Resource[row]{
		Name:   "token",
		Get:    func(context.Context, *sql.Tx, string) (row, error) { return stored, nil },
		Put:    func(_ context.Context, _ *sql.Tx, r row) error { stored = r; return nil },
		Record: func(context.Context, *sql.Tx, row, row) error { records++; return nil },
	}
	ctx := context.Background()
	got, err := res.Update(ctx, nil, "t1", -1, func(r *row) error { r.Name = "revoked"; return nil })
	if err != nil || got.Name != "revoked" || got.Version != 0 || stored != got || records != 1 {
		t.Fatalf("update: %+v %v %+v %d", got, err, stored, records)
	}
	_, err = res.Update(ctx, nil, "t1", 1, func(r *row) error { r.Name = "again"; return nil })
	if pe := problem.From(err); pe.Kind != problem.KindInvalid || pe.Code != "if_match_not_applicable" || stored.Name != "revoked" || records != 1 {
		t.Fatalf("If-Match on a resource without a version: %v %+v", err, stored)
	}
}
