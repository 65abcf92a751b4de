package audit

import (
	"context"
	"database/sql"
	"time"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
)

// Written records what every write leaves behind, in its transaction: the change in the
// trail and its event in the outbox.
func Written(ctx context.Context, tx *sql.Tx, at time.Time, ch Change, eventType, source string, data any) error {
	if err := Record(ctx, tx, at, ch); err != nil {
		return err
	}
	return outbox.Emit(ctx, tx, eventType, source, at, data)
}

// WrittenRows are the rows Written would write, the trail's and the outbox's, for a store
// that writes them in a statement of its own making (db.GuardedInsert).
func WrittenRows(ctx context.Context, at time.Time, ch Change, eventType, source string, data any) ([]db.Row, error) {
	entry, err := Row(ctx, at, ch)
	if err != nil {
		return nil, err
	}
	ev, err := outbox.NewEvent(eventType, source, at, data)
	if err != nil {
		return nil, err
	}
	event, err := outbox.Row(ev)
	if err != nil {
		return nil, err
	}
	return []db.Row{entry, event}, nil
}
