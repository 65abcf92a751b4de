package audit

import (
	"context"
	"database/sql"
	"time"

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
