//go:build integration

package integration

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/outbox"
)

// A meeting and a session created over HTTP reach JetStream, each once, with the event id
// as Nats-Msg-Id.
func TestWritesReachJetStream(t *testing.T) {
	s := newStack(t)
	s.must(http.StatusOK, "GET", "/healthz", nil)
	if s.token != "" {
		// The suite writes with an admin token from `plenary token create`; without it a
		// write is refused.
		anon := *s
		anon.token = ""
		if r, err := anon.do("POST", "/v1/meetings", meetingBody("Anonymous")); err != nil || r.Status != http.StatusUnauthorized {
			t.Fatalf("POST without a token: status %d, err %v, want 401", r.Status, err)
		}
	}
	mid := s.createMeeting("Forum on Sustainable Development")
	sid := s.createSession(mid, 0)
	s.waitPublished(time.Minute)

	evs := s.events()
	checkEnvelopes(t, evs)
	if len(evs) != 2 {
		t.Fatalf("stream holds %d events, want 2: %+v", len(evs), evs)
	}
	if evs[0].Type != contracts.MeetingCreated || entityID(t, evs[0]) != mid {
		t.Errorf("first event %s about %s, want meeting.created about %s", evs[0].Type, entityID(t, evs[0]), mid)
	}
	e := evs[1]
	if e.Subject != "plenary.v1.session.scheduled" || entityID(t, e) != sid {
		t.Fatalf("second event on %s about %s, want plenary.v1.session.scheduled about %s", e.Subject, entityID(t, e), sid)
	}
	var p contracts.SessionEvent
	if err := e.Decode(&p); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2027, 2, 1, 15, 30, 0, 0, time.UTC) // 16:30 in Paris, winter time
	if p.Session.MeetingID != mid || !p.Session.StartUTC.Equal(want) || p.Session.TZ != "Europe/Paris" {
		t.Errorf("session.scheduled payload %+v, want meeting %s starting %s", p.Session, mid, want)
	}
	if e.MsgID != e.ID {
		t.Errorf("Nats-Msg-Id %q, event id %q", e.MsgID, e.ID)
	}
}

// With NATS stopped the API still accepts writes; once NATS is back (same store) every
// event arrives, in the order of the writes, exactly once.
func TestNATSOutageDelaysEventsNeverLosesThem(t *testing.T) {
	s := newStack(t)
	mid := s.createMeeting("Executive Board")
	s.waitPublished(time.Minute)

	if err := pool.Client.StopContainer(s.nats.Container.ID, 10); err != nil {
		t.Fatalf("stop nats: %v", err)
	}
	const writes = 20
	var sids []string
	for i := range writes {
		sids = append(sids, s.createSession(mid, i)) // 201 while NATS is down
	}
	// The events wait in the outbox: none was lost, none was published.
	if n, err := outbox.Pending(context.Background(), s.db); err != nil || n != writes {
		t.Fatalf("pending events during the outage: %d (err %v), want %d", n, err, writes)
	}
	// Stay down long enough for the relay to fail and back off a few times.
	time.Sleep(3 * time.Second)

	if err := pool.Client.StartContainer(s.nats.Container.ID, nil); err != nil {
		t.Fatalf("start nats: %v", err)
	}
	s.waitPublished(2 * time.Minute)

	evs := s.events()
	checkEnvelopes(t, evs)
	if len(evs) != writes+1 {
		t.Fatalf("stream holds %d events, want %d", len(evs), writes+1)
	}
	if evs[0].Type != contracts.MeetingCreated || entityID(t, evs[0]) != mid {
		t.Errorf("first event %s about %s, want meeting.created about %s", evs[0].Type, entityID(t, evs[0]), mid)
	}
	for i, sid := range sids {
		e := evs[i+1]
		if e.Type != contracts.SessionScheduled || entityID(t, e) != sid {
			t.Errorf("event %d: %s about %s, want session.scheduled about %s (write %d)", e.Seq, e.Type, entityID(t, e), sid, i)
		}
	}
	// The API is ready again once it has reconnected.
	s.waitReady()
}
