package notifier

import (
	"context"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// The heartbeat renews a process's rows in sending without waiting for a row another
// transaction holds (a worker moving its batch to sent inside its claim): waiting, it
// took rows in its own order while the worker held others, and the two deadlocked. The
// held row keeps its lease for this beat; the others are renewed.
func TestHeartbeatPassesOverRowsAWorkerHolds(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"held", "free"} {
		if _, err := d.ExecContext(ctx, `INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id,
			rule, schedule_version, due_at, state, payload, lease_until, lease_owner, created_at, updated_at)
			VALUES ($1, $1, 'reminder', 'registration:r', 'm', 's', '24h', 1, $2, 'sending', '{}', $2, 'p1', $2, $2)`, id, t0); err != nil {
			t.Fatal(err)
		}
	}
	worker, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Rollback()
	if _, err := worker.ExecContext(ctx, `SELECT id FROM notifier_deliveries WHERE id = 'held' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	beat, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	renewed := t0.Add(15 * time.Second)
	res, err := d.ExecContext(beat, heartbeatSQL+d.SkipLocked()+`)`, renewed, "p1")
	if err != nil {
		t.Fatalf("heartbeat while a worker holds a row: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Errorf("heartbeat renewed %d rows, want the one no transaction holds", n)
	}
	_ = worker.Rollback()
	for id, want := range map[string]time.Time{"held": t0, "free": renewed} {
		var got time.Time
		if err := d.QueryRowContext(ctx, `SELECT lease_until FROM notifier_deliveries WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("%s: lease until %s, want %s", id, got, want)
		}
	}
}
