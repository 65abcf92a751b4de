package agenda

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go"

	"github.com/plenary/plenary/contracts"
)

// changeSubjects are the events of every write that moves a meeting's head (its public
// flag or agenda revision): meeting, session and agenda events.
var changeSubjects = []string{
	contracts.SubjectPrefix + "meeting.>",
	contracts.SubjectPrefix + "session.>",
	contracts.SubjectPrefix + "agenda.>",
}

// ForgetHeadsOnEvents retires the meeting heads this process keeps whenever a meeting,
// session or agenda event is published by any process, until ctx ends. It is a plain
// subscription, not a consumer: every API replica hears every event as the relay that
// owns it publishes it, so a write through another replica is seen here within the
// relay's delay rather than the head freshness. The client resubscribes by itself after
// a reconnect; while NATS is away the freshness bounds what goes unseen.
func (s *Service) ForgetHeadsOnEvents(ctx context.Context, nc *nats.Conn) error {
	var subs []*nats.Subscription
	defer func() {
		for _, sub := range subs {
			_ = sub.Unsubscribe()
		}
	}()
	for _, subject := range changeSubjects {
		sub, err := nc.Subscribe(subject, func(*nats.Msg) { s.ForgetHeads() })
		if err != nil {
			return fmt.Errorf("subscribe to %s: %w", subject, err)
		}
		subs = append(subs, sub)
	}
	<-ctx.Done()
	return nil
}
