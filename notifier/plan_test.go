package notifier

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// Every read of the delivery loop and of a session's planned deliveries goes through the
// index made for it, on both databases: the queue index (state, due_at, id) and the index
// over a session's planned rows must serve each such read (a read that missed them would
// read every email ever sent), and the claim's reads come in (due_at, id) order from the
// queue index, without sorting the due rows, even on a table just filled with a wave and
// not yet analysed (the claim's inIndexOrder). PostgreSQL is asked the other reads on the
// analysed table with sequential scans disabled, since on a table this small it would
// rightly prefer one.
func TestDeliveryReadsUseTheirIndexes(t *testing.T) {
	cols := `SELECT ` + deliveryCols + ` FROM notifier_deliveries WHERE `
	cases := []struct {
		query   string
		index   string // the index the plan uses
		args    int
		inOrder bool // no sort of the rows read; these come first, before the analysis
	}{
		{cols + dueWhere + ` ORDER BY due_at, id LIMIT 100`, "notifier_deliveries_due_order", 1, true},
		{cols + expiredWhere + ` ORDER BY due_at, id LIMIT 100`, "notifier_deliveries_due_order", 1, true},
		{queueDepthSQL, "notifier_deliveries_due_order", 1, false},
		{ownSendingSQL, "notifier_deliveries_due_order", 1, false},
		{heartbeatSQL + `)`, "notifier_deliveries_due_order", 2, false},
		{cols + `session_id = $1 AND state = 'planned'`, "notifier_deliveries_session_planned", 1, false},
		{cols + `session_id = $1 AND kind = 'reminder' AND state = 'planned'`, "notifier_deliveries_session_planned", 1, false},
		{cols + `session_id = $1 AND kind IN ($2, $3) AND state = 'planned' ORDER BY id`, "notifier_deliveries_session_planned", 3, false},
		{cols + `session_id = $1 AND state = 'planned' AND kind IN ('reminder', $2, $3) ORDER BY id`, "notifier_deliveries_session_planned", 3, false},
	}
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		explain, sorts := "EXPLAIN QUERY PLAN ", "TEMP B-TREE"
		if d.Dialect == db.Postgres {
			explain, sorts = "EXPLAIN ", "Sort"
			// PostgreSQL plans by its statistics (autovacuum keeps them): a meeting's
			// worth of rows, 200 sessions of 25 registrants with three reminders each, a
			// third of them sent (analysed below, after the claim's reads).
			if _, err := d.ExecContext(ctx, `INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id,
				rule, schedule_version, due_at, state, payload, created_at, updated_at)
				SELECT 'd' || g, 'k' || g, 'reminder', 'registration:r' || (g % 25), 'm', 's' || (g % 200), 'r' || (g % 3), 1,
					TIMESTAMPTZ '2026-12-01 09:00Z' + (g % 200) * INTERVAL '1 hour', CASE WHEN g % 3 = 0 THEN 'sent' ELSE 'planned' END,
					'{}', now(), now()
				FROM generate_series(1, 15000) g`); err != nil {
				t.Fatal(err)
			}
		}
		// The claim's reads are planned on the table as a wave leaves it, filled and not
		// yet analysed; the others once analysed, as autovacuum keeps it.
		analysed := false
		for _, c := range cases {
			// Every seeded row is due by then, as in a reminder wave.
			args := []any{"2027-01-01T00:00:00Z", "reminder", "offer"}[:c.args]
			if !c.inOrder && !analysed && d.Dialect == db.Postgres {
				if _, err := d.ExecContext(ctx, `ANALYZE notifier_deliveries`); err != nil {
					t.Fatal(err)
				}
				analysed = true
			}
			var plan strings.Builder
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				if c.inOrder {
					if err := inIndexOrder(ctx, tx, d.Dialect); err != nil {
						return err
					}
				} else if d.Dialect == db.Postgres {
					if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
						return err
					}
				}
				rows, err := tx.QueryContext(ctx, explain+c.query, args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				names, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(names))
					for i := range vals {
						vals[i] = new(any)
					}
					if err := rows.Scan(vals...); err != nil {
						return err
					}
					if s, ok := (*vals[len(vals)-1].(*any)).(string); ok {
						plan.WriteString(s + "\n")
					}
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatalf("%s: %v", c.query, err)
			}
			if !strings.Contains(plan.String(), c.index) {
				t.Errorf("%s\ndoes not use %s:\n%s", c.query, c.index, plan.String())
			}
			if c.inOrder && strings.Contains(plan.String(), sorts) {
				t.Errorf("%s\nsorts the rows it reads:\n%s", c.query, plan.String())
			}
		}
	})
}
