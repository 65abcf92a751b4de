package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/natsx"
)

// ConsumerName is the durable JetStream consumer of the notifiers; notifiers that share it
// share the work.
const ConsumerName = "notifier"

// BatchEvents is how many events the consumer applies at most in one transaction. One
// event at a time cost a transaction each, and on PostgreSQL the notifier fell behind
// 100 agenda writes a second.
const BatchEvents = 100

// ConsumerConfig is the notifier's consumer: pull, explicit ack, every v1 subject, from
// the start of the stream (a new notifier builds its projection by replaying), redelivered
// after AckWait when a notifier dies holding messages. Several batches may be in flight
// (across notifiers too): the order of application is kept by the stream position the
// notifier records (see applyBatch), not by the consumer.
func ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       ConsumerName,
		FilterSubject: contracts.StreamSubjects,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    -1,
		MaxAckPending: 2 * BatchEvents,
	}
}

// Consume applies the stream's events until ctx ends; the events in hand are finished and
// acknowledged before it returns.
func (n *Notifier) Consume(ctx context.Context, js jetstream.JetStream) error {
	// NATS may be down at start (the connection keeps trying): wait for it.
	var cons jetstream.Consumer
	for {
		var err error
		if _, err = natsx.EnsureStream(ctx, js, n.cfg.Stream...); err == nil {
			cfg := ConsumerConfig()
			if n.ackWait > 0 {
				cfg.AckWait = n.ackWait
			}
			cons, err = js.CreateOrUpdateConsumer(ctx, contracts.Stream, cfg)
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		n.log.Warn("notifier consumer not ready; retrying", "error", err.Error())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Second):
		}
	}
	work := context.WithoutCancel(ctx)
	gaps := streamGaps{js: js, cons: cons}
	for ctx.Err() == nil {
		batch, err := nextBatch(cons)
		if err != nil {
			n.log.Warn("fetch events", "error", err.Error())
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
		if len(batch) > 0 {
			// The events in hand are applied even when ctx ends meanwhile.
			n.applyBatch(work, batch, gaps)
		}
	}
	return nil
}

// nextBatch waits up to half a second for an event, then takes what else is waiting, up to
// BatchEvents. A pull of what is waiting hands this notifier a run of consecutive
// sequences, where one long pull per notifier would deal new events out among them in turn.
// Each pull ends by itself, so no event is left in the client when the loop stops.
func nextBatch(cons jetstream.Consumer) ([]jetstream.Msg, error) {
	first, err := cons.Fetch(1, jetstream.FetchMaxWait(500*time.Millisecond))
	if err != nil {
		return nil, err
	}
	var batch []jetstream.Msg
	for m := range first.Messages() {
		batch = append(batch, m)
	}
	if err := first.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
		return batch, err
	}
	if len(batch) == 0 {
		return nil, nil
	}
	rest, err := cons.FetchNoWait(BatchEvents - 1)
	if err != nil {
		return batch, nil
	}
	for m := range rest.Messages() {
		batch = append(batch, m)
	}
	return batch, nil
}

// inbound is a message in hand: its stream sequence and, when its envelope decodes, its
// event.
type inbound struct {
	msg     jetstream.Msg
	seq     uint64
	ev      contracts.Event
	decoded bool
}

func decodeInbound(msgs []jetstream.Msg) ([]inbound, []jetstream.Msg) {
	var out []inbound
	var bad []jetstream.Msg
	for _, m := range msgs {
		md, err := m.Metadata()
		if err != nil {
			bad = append(bad, m)
			continue
		}
		it := inbound{msg: m, seq: md.Sequence.Stream}
		it.decoded = json.Unmarshal(m.Data(), &it.ev) == nil && it.ev.ID != ""
		out = append(out, it)
	}
	return out, bad
}

// laterDelay is the wait before a message held back for its predecessors comes again.
func laterDelay(m jetstream.Msg) time.Duration {
	if md, err := m.Metadata(); err == nil {
		return min(time.Duration(md.NumDelivered)*50*time.Millisecond, time.Second)
	}
	return time.Second
}

// failedDelay is the wait before an event that failed to apply is tried again.
func failedDelay(m jetstream.Msg) time.Duration {
	if md, err := m.Metadata(); err == nil {
		return min(time.Duration(md.NumDelivered)*time.Second, 30*time.Second)
	}
	return time.Second
}

// settle acknowledges what was applied (terminates what never decodes), sends a failed
// event back with a backoff and the events held back behind it with a short delay.
func (n *Notifier) settle(items []inbound, done int, failed error) {
	for _, it := range items[:done] {
		if !it.decoded {
			n.log.Error("event that does not decode; dropped", "subject", it.msg.Subject())
			_ = it.msg.Term()
			continue
		}
		// Real time, not the configured clock: the lag is how long the event took to arrive.
		n.metrics.applied(it.ev.OccurredAt, time.Now())
		if err := it.msg.Ack(); err != nil {
			// Redelivered later and recognised as processed.
			n.log.Warn("ack event", "event", it.ev.ID, "error", err.Error())
		}
	}
	rest := items[done:]
	if failed != nil && len(rest) > 0 {
		it := rest[0]
		n.log.Error("apply event; will retry", "event", it.ev.ID, "type", it.ev.Type, "error", failed.Error())
		_ = it.msg.NakWithDelay(failedDelay(it.msg))
		rest = rest[1:]
	}
	for _, it := range rest {
		_ = it.msg.NakWithDelay(laterDelay(it.msg))
	}
}
