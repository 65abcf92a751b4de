package interpretation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/problem"
)

// RecheckConsumer is the durable JetStream consumer through which interpretation follows
// session changes. Every process that runs the API shares it, so each event is handled
// once by one of them.
//
// A session change reaches interpretation through the outbox, not a call after the
// commit: the event commits with the change, the relay publishes it, and the consumer
// acknowledges it only after the re-check has committed. A process killed anywhere
// between the agenda's commit and that acknowledgement loses nothing: the event waits in
// the outbox or the stream and is handled after the restart (or by another process). The
// same consumer runs in `plenary serve` on its embedded JetStream, so there is one path,
// not one per process kind.
const RecheckConsumer = "interpretation-recheck"

// recheckBatch bounds how many events one round coalesces: all events of one meeting in
// a round cost one re-check, so typing in a 500-session meeting does not cost 500.
const recheckBatch = 500

// A round gathers events until none came for recheckQuiet, or for recheckMaxWait at most.
const (
	recheckQuiet   = 50 * time.Millisecond
	recheckMaxWait = time.Second
)

// RecheckConsumerConfig is the re-check consumer: every change that the verdict or the
// agenda revision it is shown with depends on (session.*, meeting.updated, which may
// change the interpretation policy, and agenda.changed), explicit ack,
// from the start of the stream (a re-check is idempotent, so replaying old events costs
// time, never correctness), redelivered after AckWait when a process dies holding events.
func RecheckConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:        RecheckConsumer,
		FilterSubjects: []string{contracts.SubjectPrefix + "session.>", contracts.Subject(contracts.MeetingUpdated), contracts.Subject(contracts.AgendaChanged)},
		AckPolicy:      jetstream.AckExplicitPolicy,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		AckWait:        time.Minute,
		MaxDeliver:     -1,
		MaxAckPending:  2 * recheckBatch,
	}
}

// ConsumeSessionEvents re-checks staffing after session changes, from the stream, until
// ctx ends; the round in hand is finished before it returns.
func (s *Service) ConsumeSessionEvents(ctx context.Context, js jetstream.JetStream, stream ...natsx.StreamOption) error {
	var cons jetstream.Consumer
	for {
		var err error
		if _, err = natsx.EnsureStream(ctx, js, stream...); err == nil {
			cons, err = js.CreateOrUpdateConsumer(ctx, contracts.Stream, RecheckConsumerConfig())
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, jetstream.ErrConsumerMultipleFilterSubjectsNotSupported) {
			// Retrying cannot help, and running on without the consumer would leave every
			// verdict stale without a word: the process stops and says why.
			return fmt.Errorf("the staffing re-check consumer follows several subjects, which needs nats-server 2.10 or later: %w", err)
		}
		s.log.Warn("interpretation re-check consumer not ready; retrying", "error", err.Error())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Second):
		}
	}
	msgs := make(chan jetstream.Msg, 2*recheckBatch)
	cc, err := cons.Consume(func(m jetstream.Msg) { msgs <- m }, jetstream.PullMaxMessages(recheckBatch))
	if err != nil {
		return fmt.Errorf("consume session events: %w", err)
	}
	defer cc.Stop()
	work := context.WithoutCancel(ctx)
	for {
		var round []jetstream.Msg
		select {
		case <-ctx.Done():
			return nil
		case m := <-msgs:
			round = append(round, m)
		}
		// Wait for the burst to end (a secretariat typing in a programme, an import) so
		// that it costs a few re-checks, not one per session; never longer than
		// recheckMaxWait, so the verdict trails a change by about a second at most.
		quiet := time.NewTimer(recheckQuiet)
		longest := time.NewTimer(recheckMaxWait)
	collect:
		for len(round) < recheckBatch {
			select {
			case m := <-msgs:
				round = append(round, m)
				quiet.Reset(recheckQuiet)
			case <-quiet.C:
				break collect
			case <-longest.C:
				break collect
			case <-ctx.Done():
				break collect
			}
		}
		quiet.Stop()
		longest.Stop()
		if s.recheckHold > 0 {
			s.log.Warn("re-check round held (fault injection)", "events", len(round), "hold", s.recheckHold.String())
			select {
			case <-ctx.Done():
				return nil // unacknowledged: redelivered to whoever consumes next
			case <-time.After(s.recheckHold):
			}
		}
		s.recheckRound(work, round)
	}
}

// meetingOf names the meeting of an event the re-check follows: session.* and
// meeting.updated carry it inside their resource, agenda.changed at the top.
type meetingOf struct {
	Session struct {
		MeetingID string `json:"meeting_id"`
	} `json:"session"`
	Meeting struct {
		ID string `json:"id"`
	} `json:"meeting"`
	MeetingID string `json:"meeting_id"`
}

func (m meetingOf) id() string {
	for _, id := range []string{m.Session.MeetingID, m.Meeting.ID, m.MeetingID} {
		if id != "" {
			return id
		}
	}
	return ""
}

// recheckRound re-syncs each meeting named by the round's events once, then acknowledges
// its events; a meeting whose re-sync fails has its events redelivered later.
func (s *Service) recheckRound(ctx context.Context, round []jetstream.Msg) {
	byMeeting := map[string][]jetstream.Msg{}
	var order []string
	for _, m := range round {
		var ev contracts.Event
		var p meetingOf
		if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Decode(&p) != nil || p.id() == "" {
			s.log.Error("event that does not decode; dropped", "subject", m.Subject())
			_ = m.Term()
			continue
		}
		id := p.id()
		if !slices.Contains(order, id) {
			order = append(order, id)
		}
		byMeeting[id] = append(byMeeting[id], m)
	}
	for _, id := range order {
		err := s.Resync(ctx, id)
		if pe := problem.From(err); err != nil && pe.Kind == problem.KindNotFound {
			err = nil // the meeting was deleted since: nothing left to staff
		}
		for _, m := range byMeeting[id] {
			if err != nil {
				delay := time.Second
				if md, mderr := m.Metadata(); mderr == nil {
					delay = min(time.Duration(md.NumDelivered)*time.Second, 30*time.Second)
				}
				_ = m.NakWithDelay(delay)
				continue
			}
			if aerr := m.Ack(); aerr != nil {
				// Redelivered later; the re-check runs again and finds nothing to change.
				s.log.Warn("ack session event", "meeting", id, "error", aerr.Error())
			}
		}
		if err != nil {
			s.log.Warn("interpretation re-check failed; will retry", "meeting", id, "error", err.Error())
		}
	}
}
