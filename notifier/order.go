package notifier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
)

// Order of application. The consumer's filter is the stream's own subject
// (contracts.StreamSubjects, natsx.StreamConfig), and the stream denies deletes, so the
// consumer sees every stream sequence and they are contiguous. notifier_stream_position
// holds the last sequence applied, written in the transaction that applies it: a batch is
// applied only from the sequence right after it, so events are applied in stream order
// however they are spread over notifiers, redelivered or held by a notifier that died.
// A batch that does not follow is sent back (nak with a short delay) and comes again once
// its predecessors are applied, unless they will never come: gone from the stream (its age
// or size limits) or acknowledged already (sequenceGaps). A message at or below the
// position was applied already; it is processed again, which the record of event ids makes
// harmless. If that finds a new event, the stream was created anew and its sequences
// started again: the position follows it.

// sequenceGaps says whether stream sequences from..to will never be delivered again.
type sequenceGaps interface {
	gone(ctx context.Context, from, to uint64) (bool, error)
}

// streamGaps asks JetStream: sequences at or below the consumer's acknowledgement floor
// are acknowledged, those below the stream's first sequence are no longer stored.
type streamGaps struct {
	js   jetstream.JetStream
	cons jetstream.Consumer
}

func (g streamGaps) gone(ctx context.Context, _, to uint64) (bool, error) {
	ci, err := g.cons.Info(ctx)
	if err != nil {
		return false, fmt.Errorf("consumer state: %w", err)
	}
	if to <= ci.AckFloor.Stream {
		return true, nil
	}
	s, err := g.js.Stream(ctx, contracts.Stream)
	if err != nil {
		return false, fmt.Errorf("stream state: %w", err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		return false, fmt.Errorf("stream state: %w", err)
	}
	return to < si.State.FirstSeq, nil
}

// heldBack is how long a batch waits for its predecessors before it is sent back.
const heldBack = 3 * time.Second

// applyBatch applies msgs in stream order in one transaction and settles them. When the
// transaction fails, the events are applied one at a time, so that the events before the
// one that fails are applied, it alone is retried with a backoff (or, if it can never be
// applied, recorded and skipped), and the ones after it wait for it.
func (n *Notifier) applyBatch(ctx context.Context, msgs []jetstream.Msg, gaps sequenceGaps) {
	items, bad := decodeInbound(msgs)
	for _, m := range bad {
		n.log.Error("message without stream metadata; sent back", "subject", m.Subject())
		_ = m.NakWithDelay(failedDelay(m))
	}
	slices.SortStableFunc(items, func(a, b inbound) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	done, err := n.commitRun(ctx, items, gaps, nil)
	// Held back behind a gap: its events are most likely in another notifier's hands,
	// being applied (a batch can take a second on a busy PostgreSQL). Waiting for them
	// is cheaper than sending these back, which would leave the next gap to that notifier.
	for waited, wait := time.Duration(0), time.Millisecond; err == nil && done < len(items) && waited < heldBack; wait = min(2*wait, 50*time.Millisecond) {
		time.Sleep(wait)
		waited += wait
		var k int
		k, err = n.commitRun(ctx, items[done:], gaps, nil)
		done += k
	}
	if err != nil {
		err = nil
		for done < len(items) {
			k, e := n.commitOne(ctx, items[done], gaps)
			if e != nil {
				err = e
				break
			}
			if k == 0 {
				break // held back behind a gap
			}
			done++
		}
	}
	n.settle(items, done, err)
}

// commitOne applies one message in its own transaction; an event that can never be
// applied is recorded as processed, with nothing else, in its place in the order.
func (n *Notifier) commitOne(ctx context.Context, it inbound, gaps sequenceGaps) (int, error) {
	one := []inbound{it}
	k, err := n.commitRun(ctx, one, gaps, nil)
	if err == nil || !isPoison(err) {
		return k, err
	}
	n.log.Error("event cannot be applied; skipped", "event", it.ev.ID, "type", it.ev.Type, "error", err.Error())
	return n.commitRun(ctx, one, gaps, map[uint64]bool{it.seq: true})
}

// commitRun applies items (sorted by sequence) in one transaction, from the sequence right
// after the recorded position, and records the new position. It returns how many of the
// items it applied: the rest wait for their predecessors. skip names items only recorded
// as processed (events that can never be applied).
func (n *Notifier) commitRun(ctx context.Context, items []inbound, gaps sequenceGaps, skip map[uint64]bool) (int, error) {
	done := 0
	err := n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		done = 0
		last, err := n.store.position(ctx, tx, n.cfg.DB.Dialect)
		if err != nil {
			return err
		}
		// An event on its own is applied as Process applies it: a batch's deferred
		// reminders and recording would cost it two statements more.
		var b *batch
		if len(items) > 1 {
			b = &batch{}
			if b.seen, err = n.store.processedAmong(ctx, tx, items); err != nil {
				return err
			}
		}
		next := last + 1
		for _, it := range items {
			switch {
			case it.seq < next:
				// Applied already (its ack was lost), unless the stream started again.
			case it.seq > next:
				gone, err := gaps.gone(ctx, next, it.seq-1)
				if err != nil {
					n.log.Warn("check a gap in the stream", "from", next, "to", it.seq-1, "error", err.Error())
				}
				if !gone {
					return n.finishRun(ctx, tx, b, next-1, last)
				}
			}
			fresh := false
			if it.decoded {
				if fresh, err = n.processIn(ctx, tx, it.ev, !skip[it.seq], b); err != nil {
					return err
				}
			}
			if it.seq >= next || fresh {
				if it.seq < next {
					n.log.Warn("stream sequence went back (stream created anew?); following it", "seq", it.seq, "position", next-1)
				}
				next = it.seq + 1
			}
			done++
		}
		return n.finishRun(ctx, tx, b, next-1, last)
	})
	if err != nil {
		return 0, err
	}
	return done, nil
}

// finishRun re-plans what the batch left waiting and records the new position.
func (n *Notifier) finishRun(ctx context.Context, tx *sql.Tx, b *batch, seq, was uint64) error {
	if b != nil {
		if err := n.replanMoved(ctx, tx, b); err != nil {
			return err
		}
		if err := n.store.recordProcessed(ctx, tx, b.record); err != nil {
			return err
		}
	}
	return n.store.setPosition(ctx, tx, seq, was)
}

// processedAmong are the ids of the events of items recorded as processed (those whose
// envelope can be stored), in statements of up to 500 ids.
func (s *store) processedAmong(ctx context.Context, tx *sql.Tx, items []inbound) (map[string]bool, error) {
	var ids []any
	for _, it := range items {
		if it.decoded && httpx.Storable(it.ev) == nil {
			ids = append(ids, it.ev.ID)
		}
	}
	seen := map[string]bool{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		ph := make([]string, len(chunk))
		for i := range chunk {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := tx.QueryContext(ctx, `SELECT event_id FROM notifier_processed_events WHERE event_id IN (`+strings.Join(ph, ",")+`)`, chunk...)
		if err != nil {
			return nil, fmt.Errorf("read processed events: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read processed events: %w", err)
			}
			seen[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read processed events: %w", err)
		}
	}
	return seen, nil
}

// recordProcessed records the events as processed, in statements of up to 300.
func (s *store) recordProcessed(ctx context.Context, tx *sql.Tx, evs []processedEvent) error {
	for len(evs) > 0 {
		chunk := evs[:min(len(evs), 300)]
		evs = evs[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO notifier_processed_events (event_id, event_type, processed_at) VALUES `)
		args := make([]any, 0, 3*len(chunk))
		for i, e := range chunk {
			if i > 0 {
				q.WriteByte(',')
			}
			fmt.Fprintf(&q, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
			args = append(args, e.id, e.typ, e.at)
		}
		q.WriteString(` ON CONFLICT (event_id) DO NOTHING`)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("record %d events (%s...): %w", len(chunk), chunk[0].id, err)
		}
	}
	return nil
}

func isPoison(err error) bool { return errors.Is(err, errPoison) }

// position reads the last applied stream sequence, locking it on PostgreSQL so that
// notifiers sharing the consumer apply one after the other (SQLite has one writer).
func (s *store) position(ctx context.Context, tx *sql.Tx, dialect db.Dialect) (uint64, error) {
	lock := ""
	if dialect == db.Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM notifier_stream_position WHERE stream = $1`+lock, contracts.Stream).Scan(&seq)
	if db.NotFound(err) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_stream_position (stream, seq) VALUES ($1, 0) ON CONFLICT (stream) DO NOTHING`, contracts.Stream); err != nil {
			return 0, fmt.Errorf("record the stream position: %w", err)
		}
		err = tx.QueryRowContext(ctx, `SELECT seq FROM notifier_stream_position WHERE stream = $1`+lock, contracts.Stream).Scan(&seq)
	}
	if err != nil {
		return 0, fmt.Errorf("read the stream position: %w", err)
	}
	return uint64(max(seq, 0)), nil
}

// setPosition records seq as the last applied sequence when it differs from was.
func (s *store) setPosition(ctx context.Context, tx *sql.Tx, seq, was uint64) error {
	if seq == was {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notifier_stream_position SET seq = $1 WHERE stream = $2`, int64(seq), contracts.Stream); err != nil {
		return fmt.Errorf("record the stream position: %w", err)
	}
	return nil
}
