package db_test

import (
	"context"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/problem"
)

// PostgreSQL sessions get a statement timeout, so no statement outlives a request's
// budget on the server side either; a DSN that sets its own keeps it, and a statement cut
// short by it is an unavailability (503), not an internal error.
func TestPostgresSessionsHaveDeadlines(t *testing.T) {
	if !dbtest.PostgresEnabled() {
		t.Skip("PLENARY_TEST_POSTGRES=off")
	}
	ctx := context.Background()
	dsn := dbtest.NewPostgresDatabase(t)
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for setting, want := range map[string]string{"statement_timeout": "30s", "idle_in_transaction_session_timeout": "1min"} {
		var got string
		if err := d.QueryRowContext(ctx, `SHOW `+setting).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", setting, got, err, want)
		}
	}
	short, err := db.Open(ctx, dsn+"&statement_timeout=50")
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	_, err = short.ExecContext(ctx, `SELECT pg_sleep(2)`)
	if err == nil {
		t.Fatal("a 2 s statement ran to its end under a 50 ms statement timeout")
	}
	if pe := problem.From(err); pe.Kind != problem.KindUnavailable {
		t.Fatalf("statement timeout maps to %v (%s), want unavailable: %v", pe.Kind.Status(), pe.Code, err)
	}
}
