package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Erasure is one resource of a person being erased: the trail keeps who changed it and
// when, never its content, and says that an erasure happened, never whose data it was.
type Erasure struct {
	Resource  string // registration or interpreter
	ID        string
	MeetingID string
	// Counts say what the owners removed (e.g. deliveries); they go into the trail.
	Counts map[string]int
	// Containing, when set, narrows the forgetting to the entries about the resource
	// whose content holds it (a session that listed a delegation's interpreter keeps the
	// rest of its history).
	Containing string
}

// RecordErasurePlan records, in its own transaction and before any owner erases its part,
// what an erasure is about to remove (resources by id, no personal data): if an owner
// fails half-way, the trail shows what was meant and the erasure can be run again.
func (l *Log) RecordErasurePlan(ctx context.Context, at time.Time, plan []Erasure) error {
	return l.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range plan {
			if err := Record(ctx, tx, at, Change{Action: "person.erase.plan", Resource: e.Resource, ID: e.ID, MeetingID: e.MeetingID}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Erase blanks the content of every earlier entry about the resources and records the
// erasure of each, in one transaction.
func (l *Log) Erase(ctx context.Context, at time.Time, done []Erasure) error {
	return l.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range done {
			query, args := `UPDATE audit_log SET before_json = $3, after_json = $3 WHERE resource_type = $1 AND resource_id = $2`, []any{e.Resource, e.ID, `{"erased":true}`}
			if e.Containing != "" {
				enc, _ := json.Marshal(e.Containing) // as the JSON columns spell it
				query += ` AND (before_json LIKE $4 OR after_json LIKE $4)`
				args = append(args, "%"+string(enc)+"%")
			}
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return fmt.Errorf("erase the trail of %s %s: %w", e.Resource, e.ID, err)
			}
			if err := Record(ctx, tx, at, Change{Action: "person.erase", Resource: e.Resource, ID: e.ID, MeetingID: e.MeetingID, After: e.Counts}); err != nil {
				return err
			}
		}
		return nil
	})
}
