package notifier

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// A session's planned deliveries (what a move, a cancellation or an assignment's change
// reads) are found through the index over planned rows by session, on both databases:
// the index that replaced (session_id, state) must still serve every such read, or a move
// of a session with thousands of registrants reads all the meeting's deliveries.
// PostgreSQL is asked with sequential scans disabled, since on an empty table it would
// rightly prefer one.
func TestSessionPlannedDeliveriesUseTheirIndex(t *testing.T) {
	wheres := []string{
		`session_id = $1 AND state = 'planned'`,
		`session_id = $1 AND kind = 'reminder' AND state = 'planned'`,
		`session_id = $1 AND kind IN ($2, $3) AND state = 'planned' ORDER BY id`,
		`session_id = $1 AND state = 'planned' AND kind IN ('reminder', $2, $3) ORDER BY id`,
	}
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		explain := "EXPLAIN QUERY PLAN "
		if d.Dialect == db.Postgres {
			explain = "EXPLAIN "
		}
		for _, where := range wheres {
			args := []any{"s1"}
			for i := 2; strings.Contains(where, "$"+string(rune('0'+i))); i++ {
				args = append(args, "kind")
			}
			var plan strings.Builder
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				if d.Dialect == db.Postgres {
					if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
						return err
					}
				}
				rows, err := tx.QueryContext(ctx, explain+`SELECT `+deliveryCols+` FROM notifier_deliveries WHERE `+where, args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(cols))
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
				t.Fatalf("%s: %v", where, err)
			}
			if !strings.Contains(plan.String(), "notifier_deliveries_session_planned") {
				t.Errorf("%s: the plan does not use notifier_deliveries_session_planned:\n%s", where, plan.String())
			}
		}
	})
}
