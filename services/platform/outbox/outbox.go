// Package outbox is the transactional outbox: a service writes its event in the same
// transaction as the rows it changes (Add), and the Relay publishes committed events to
// JetStream in order, with the event id as Nats-Msg-Id so a repeated publish is stored once.
// A write and its event commit together or not at all; a NATS outage delays events but
// never loses them.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
)

// NewEvent builds an event envelope with a fresh UUIDv7 id.
func NewEvent(eventType, source string, at time.Time, data any) (contracts.Event, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return contracts.Event{}, fmt.Errorf("event id: %w", err)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return contracts.Event{}, fmt.Errorf("encode %s event: %w", eventType, err)
	}
	return contracts.Event{ID: id.String(), Type: eventType, Source: source, OccurredAt: at.UTC(), Data: raw}, nil
}

// MaxPayload is the largest event, envelope included, that the outbox accepts. It matches
// the stream's message size limit (natsx.MaxMsgSize): a larger event would be refused by
// JetStream and, since the relay publishes in order, hold back every event after it.
const MaxPayload = 1 << 20

// Add writes ev to the outbox inside tx. It must be called in the same transaction as the
// change the event describes.
func Add(ctx context.Context, tx *sql.Tx, ev contracts.Event) error {
	r, err := Row(ev)
	if err != nil {
		return err
	}
	q, args := r.Insert()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("write event %s to outbox: %w", ev.ID, err)
	}
	return nil
}

// Row is ev's row in the outbox, for a store that writes it in the statement of the
// change it describes (db.GuardedInsert); Add writes it alone.
func Row(ev contracts.Event) (db.Row, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return db.Row{}, fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	if len(payload) > MaxPayload {
		return db.Row{}, fmt.Errorf("event %s is %d bytes, more than the %d an event may carry", ev.ID, len(payload), MaxPayload)
	}
	return db.Row{Table: "outbox", Columns: []string{"event_id", "subject", "payload", "created_at"},
		Values: []any{ev.ID, contracts.Subject(ev.Type), string(payload), ev.OccurredAt.UTC()}}, nil
}

// Emit builds an event and adds it to the outbox in tx.
func Emit(ctx context.Context, tx *sql.Tx, eventType, source string, at time.Time, data any) error {
	ev, err := NewEvent(eventType, source, at, data)
	if err != nil {
		return err
	}
	return Add(ctx, tx, ev)
}
