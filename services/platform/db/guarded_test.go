package db_test

import (
	"context"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// A guarded insert writes its rows only when the guard returns its row, and all or
// nothing: a row that fails undoes the guard's update and the other rows. The commit
// marks of the request (its idempotency key) commit with the write, never without it.
// Same on both engines (one statement on PostgreSQL, a transaction on SQLite).
func TestGuardedInsert(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`CREATE TABLE guard_heads (id TEXT PRIMARY KEY, version BIGINT NOT NULL, revision BIGINT NOT NULL)`,
			`CREATE TABLE guard_rows (id TEXT PRIMARY KEY, head TEXT NOT NULL, n BIGINT NOT NULL)`,
			`CREATE TABLE guard_marks (id TEXT PRIMARY KEY, done INTEGER NOT NULL)`,
			`INSERT INTO guard_heads VALUES ('h', 3, 10)`,
			`INSERT INTO guard_marks VALUES ('k1', 0), ('k2', 0)`,
		} {
			if _, err := d.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		guard := func(version int64) db.Guard {
			return db.Guard{SQL: `UPDATE guard_heads SET revision = revision + 1 WHERE id = $1 AND version = $2 RETURNING revision`, Args: []any{"h", version}}
		}
		row := func(id string, n int64) db.Row {
			return db.Row{Table: "guard_rows", Columns: []string{"id", "head", "n"}, Values: []any{id, "h", n}}
		}
		state := func() (revision, rows int64, marks string) {
			t.Helper()
			if err := d.QueryRowContext(ctx, `SELECT revision FROM guard_heads WHERE id = 'h'`).Scan(&revision); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM guard_rows`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"k1", "k2"} {
				var done int
				if err := d.QueryRowContext(ctx, `SELECT done FROM guard_marks WHERE id = $1`, k).Scan(&done); err != nil {
					t.Fatal(err)
				}
				marks += map[int]string{0: "-", 1: "+"}[done]
			}
			return revision, rows, marks
		}
		check := func(step string, wantRevision, wantRows int64, wantMarks string) {
			t.Helper()
			if r, n, m := state(); r != wantRevision || n != wantRows || m != wantMarks {
				t.Fatalf("%s: revision %d, %d rows, marks %s; want %d, %d, %s", step, r, n, m, wantRevision, wantRows, wantMarks)
			}
		}

		var rev int64
		ok, err := d.GuardedInsert(ctx, guard(3), []any{&rev}, row("a", 1), row("b", 2))
		if err != nil || !ok || rev != 11 {
			t.Fatalf("guard of the current version: %v, %v, revision %d; want true, nil, 11", ok, err, rev)
		}
		check("written", 11, 2, "--")

		ok, err = d.GuardedInsert(ctx, guard(2), []any{&rev}, row("c", 3))
		if err != nil || ok {
			t.Fatalf("guard of an older version: %v, %v; want false, nil", ok, err)
		}
		check("guard missed", 11, 2, "--")

		// "a" exists: the whole write fails, the new "d" and the revision with it.
		if ok, err = d.GuardedInsert(ctx, guard(3), []any{&rev}, row("d", 4), row("a", 5)); err == nil || ok || !db.IsUniqueViolation(err) {
			t.Fatalf("a row that fails: %v, %v; want false and a unique violation", ok, err)
		}
		check("a row failed", 11, 2, "--")

		marked := func(key string) context.Context {
			return db.WithCommitMark(ctx, `UPDATE guard_marks SET done = 1 WHERE id = $1`, key)
		}
		if ok, err = d.GuardedInsert(marked("k1"), guard(2), []any{&rev}, row("e", 6)); err != nil || ok {
			t.Fatalf("marked, guard missed: %v, %v; want false, nil", ok, err)
		}
		check("marked, guard missed", 11, 2, "--")
		if ok, err = d.GuardedInsert(marked("k2"), guard(3), []any{&rev}, row("f", 7)); err != nil || !ok || rev != 12 {
			t.Fatalf("marked, written: %v, %v, revision %d; want true, nil, 12", ok, err, rev)
		}
		check("marked, written", 12, 3, "-+")
	})
}
