package notifier

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/natsx"
)

// ConsumerName is the durable JetStream consumer of the notifiers; notifiers that share it
// share the work.
const ConsumerName = "notifier"

// ConsumerConfig is the notifier's consumer: pull, explicit ack, every v1 subject, from
// the start of the stream (a new notifier builds its projection by replaying), redelivered
// after AckWait when a notifier dies holding a message. One message in flight keeps events
// in stream order, which the projection relies on for events of the same session.
func ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       ConsumerName,
		FilterSubject: contracts.StreamSubjects,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    -1,
		MaxAckPending: 1,
	}
}

// Consume applies the stream's events until ctx ends, then drains: the event in hand is
// finished and acknowledged before it returns.
func (n *Notifier) Consume(ctx context.Context, js jetstream.JetStream) error {
	// NATS may be down at start (the connection keeps trying): wait for it.
	var cons jetstream.Consumer
	for {
		var err error
		if _, err = natsx.EnsureStream(ctx, js, n.cfg.Stream...); err == nil {
			cons, err = js.CreateOrUpdateConsumer(ctx, contracts.Stream, ConsumerConfig())
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
	cc, err := cons.Consume(func(msg jetstream.Msg) { n.handle(work, msg) })
	if err != nil {
		return fmt.Errorf("consume events: %w", err)
	}
	<-ctx.Done()
	cc.Drain()
	select {
	case <-cc.Closed():
	case <-time.After(30 * time.Second):
		cc.Stop()
	}
	return nil
}

func (n *Notifier) handle(ctx context.Context, msg jetstream.Msg) {
	var ev contracts.Event
	if err := json.Unmarshal(msg.Data(), &ev); err != nil || ev.ID == "" {
		n.log.Error("event that does not decode; dropped", "subject", msg.Subject())
		_ = msg.Term()
		return
	}
	if _, err := n.Process(ctx, ev); err != nil {
		delay := time.Second
		if md, mderr := msg.Metadata(); mderr == nil {
			delay = min(time.Duration(md.NumDelivered)*time.Second, 30*time.Second)
		}
		n.log.Error("apply event; will retry", "event", ev.ID, "type", ev.Type, "error", err.Error())
		_ = msg.NakWithDelay(delay)
		return
	}
	// Real time, not the configured clock: the lag is how long the event took to arrive.
	n.metrics.applied(ev.OccurredAt, time.Now())
	if err := msg.Ack(); err != nil {
		// Redelivered later and recognised as processed.
		n.log.Warn("ack event", "event", ev.ID, "error", err.Error())
	}
}
