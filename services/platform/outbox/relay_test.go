package outbox_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
)

var quiet = slog.New(slog.DiscardHandler)

// fast makes a relay poll and retry often enough for tests that wait on it.
var fast = []outbox.Option{
	outbox.WithPollInterval(20 * time.Millisecond),
	outbox.WithBackoff(10*time.Millisecond, 100*time.Millisecond),
	outbox.WithPublishTimeout(2 * time.Second),
}

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// bus is a real JetStream server on 127.0.0.1 and a production-style connection to it.
type bus struct {
	srv *natstest.Server
	nc  *nats.Conn
	js  jetstream.JetStream
}

func newBus(t *testing.T, withStream bool) *bus {
	t.Helper()
	srv := natstest.Start(t)
	nc, err := natsx.Connect(t.Context(), srv.URL(), "outbox-test", quiet,
		nats.CustomReconnectDelay(func(int) time.Duration { return 20 * time.Millisecond }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "nats connection", nc.IsConnected)
	if withStream {
		if _, err := natsx.EnsureStream(t.Context(), js); err != nil {
			t.Fatal(err)
		}
	}
	return &bus{srv: srv, nc: nc, js: js}
}

// streamIDs returns the event ids in the stream, in stream order, checking that each
// message's Nats-Msg-Id is its event id.
func (b *bus) streamIDs(t *testing.T) []string {
	t.Helper()
	ctx := t.Context()
	s, err := b.js.Stream(ctx, contracts.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("stream message %d: %v", seq, err)
		}
		var ev contracts.Event
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			t.Fatalf("stream message %d: %v", seq, err)
		}
		if got := m.Header.Get(jetstream.MsgIDHeader); got != ev.ID {
			t.Errorf("message %d has Nats-Msg-Id %q, event id %q", seq, got, ev.ID)
		}
		if m.Subject != contracts.Subject(ev.Type) {
			t.Errorf("message %d on %s, want %s", seq, m.Subject, contracts.Subject(ev.Type))
		}
		ids = append(ids, ev.ID)
	}
	return ids
}

// emit commits n events, each in its own transaction, and returns their ids in order.
func emit(t *testing.T, d *db.DB, n int) []string {
	t.Helper()
	ids := make([]string, 0, n)
	for i := range n {
		ev, err := outbox.NewEvent(contracts.SessionRescheduled, "agenda", time.Now(),
			contracts.SessionEvent{Session: contracts.Session{ID: dbtest.Name("session"), Version: int64(i + 1)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(t.Context(), func(tx *sql.Tx) error { return outbox.Add(t.Context(), tx, ev) }); err != nil {
			t.Fatalf("write event %d: %v", i, err)
		}
		ids = append(ids, ev.ID)
	}
	return ids
}

// outboxIDs returns the event ids of the outbox in seq order.
func outboxIDs(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.QueryContext(t.Context(), `SELECT event_id FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func pending(t *testing.T, d *db.DB) int {
	t.Helper()
	n, err := outbox.Pending(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func waitDelivered(t *testing.T, d *db.DB) {
	t.Helper()
	waitFor(t, "every outbox event to be published", func() bool { return pending(t, d) == 0 })
}

// run starts r until the test ends and checks that it stops cleanly when cancelled.
func run(t *testing.T, r *outbox.Relay) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v after cancel, want nil", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
}

func equalIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s:\n got %d %v\nwant %d %v", what, len(got), got, len(want), want)
	}
}

func TestFailedTransactionEmitsNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, true)
		r := outbox.NewRelay(d, b.js, quiet, fast...)
		run(t, r)

		conflict := errors.New("stale version")
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			if err := outbox.Emit(t.Context(), tx, contracts.SessionCancelled, "agenda", time.Now(), contracts.SessionEvent{}); err != nil {
				return err
			}
			return conflict
		})
		if !errors.Is(err, conflict) {
			t.Fatalf("Tx returned %v, want the callback's error", err)
		}
		if ids := outboxIDs(t, d); len(ids) != 0 {
			t.Fatalf("rolled-back transaction left outbox rows %v", ids)
		}

		// A committed event after it proves the relay ran; it is the only one in the stream.
		want := emit(t, d, 1)
		r.Notify()
		waitDelivered(t, d)
		equalIDs(t, "stream", b.streamIDs(t), want)
	})
}

func TestRepublishedEventIsStoredOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, true)
		ids := emit(t, d, 3)
		r := outbox.NewRelay(d, b.js, quiet, fast...)
		reg := prometheus.NewRegistry()
		if err := r.RegisterMetrics(reg); err != nil {
			t.Fatal(err)
		}
		run(t, r)
		waitDelivered(t, d)

		// As if the relay crashed after the acks and before marking the rows.
		if _, err := d.ExecContext(t.Context(), `UPDATE outbox SET published_at = NULL`); err != nil {
			t.Fatal(err)
		}
		r.Notify()
		waitDelivered(t, d)

		equalIDs(t, "stream after a second publish", b.streamIDs(t), ids)
		if got := counter(t, reg, "plenary_outbox_published_total"); got != 6 {
			t.Errorf("published_total = %v, want 6", got)
		}
		if got := counter(t, reg, "plenary_outbox_duplicates_total"); got != 3 {
			t.Errorf("duplicates_total = %v, want 3 (JetStream deduplicated every republish)", got)
		}
		var attempts int
		if err := d.QueryRowContext(t.Context(), `SELECT min(attempts) FROM outbox`).Scan(&attempts); err != nil {
			t.Fatal(err)
		}
		if attempts != 2 {
			t.Errorf("attempts = %d, want 2 per event", attempts)
		}
	})
}

func TestRacingRelaysPublishOnceInOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, true)
		relays := []*outbox.Relay{
			outbox.NewRelay(d, b.js, quiet, append(fast, outbox.WithBatchSize(7))...),
			outbox.NewRelay(d, b.js, quiet, append(fast, outbox.WithBatchSize(5))...),
		}
		for _, r := range relays {
			run(t, r)
		}
		var ids []string
		for range 4 {
			ids = append(ids, emit(t, d, 15)...)
			for _, r := range relays {
				r.Notify()
			}
		}
		waitDelivered(t, d)
		equalIDs(t, "stream (two relays on one outbox)", b.streamIDs(t), ids)
	})
}

func TestNATSOutageDelaysEventsInOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, false)
		// The relay creates the stream itself, as the API does when it starts.
		r := outbox.NewRelay(d, b.js, quiet, append(fast, outbox.WithSetup(func(ctx context.Context) error {
			_, err := natsx.EnsureStream(ctx, b.js)
			return err
		}))...)
		run(t, r)
		before := emit(t, d, 5)
		r.Notify()
		waitDelivered(t, d)

		b.srv.Stop()
		waitFor(t, "the client to see the outage", func() bool { return !b.nc.IsConnected() })
		during := emit(t, d, 20) // writes succeed while NATS is down
		r.Notify()
		if n := pending(t, d); n != len(during) {
			t.Fatalf("pending during the outage = %d, want %d", n, len(during))
		}

		b.srv.Restart()
		waitDelivered(t, d)
		all := append(before, during...)
		equalIDs(t, "outbox seq order", outboxIDs(t, d), all)
		equalIDs(t, "stream order after the outage", b.streamIDs(t), all)
	})
}

// A stream lost while the relay runs (deleted, or its store gone) is recreated by the
// relay's setup, and the events written meanwhile arrive.
func TestRelayRecreatesALostStream(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, false)
		r := outbox.NewRelay(d, b.js, quiet, append(fast, outbox.WithSetup(func(ctx context.Context) error {
			_, err := natsx.EnsureStream(ctx, b.js)
			return err
		}))...)
		run(t, r)
		emit(t, d, 3)
		r.Notify()
		waitDelivered(t, d)
		if err := b.js.DeleteStream(t.Context(), contracts.Stream); err != nil {
			t.Fatal(err)
		}
		after := emit(t, d, 4)
		r.Notify()
		waitDelivered(t, d)
		equalIDs(t, "stream after it was recreated", b.streamIDs(t), after)
	})
}

func TestRelayRecordsFailedAttemptsAndRetries(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, false) // no stream yet: JetStream refuses the publish
		ids := emit(t, d, 2)
		r := outbox.NewRelay(d, b.js, quiet, fast...)
		reg := prometheus.NewRegistry()
		if err := r.RegisterMetrics(reg); err != nil {
			t.Fatal(err)
		}
		run(t, r)

		type attempt struct {
			n       int
			lastErr sql.NullString
		}
		read := func(id string) attempt {
			var a attempt
			if err := d.QueryRowContext(t.Context(), `SELECT attempts, last_error FROM outbox WHERE event_id = $1`, id).Scan(&a.n, &a.lastErr); err != nil {
				t.Fatal(err)
			}
			return a
		}
		waitFor(t, "a failed attempt to be recorded", func() bool { return read(ids[0]).n >= 2 })
		if a := read(ids[0]); !a.lastErr.Valid || a.lastErr.String == "" {
			t.Errorf("first event: attempts %d, last_error %v; want the publish error", a.n, a.lastErr)
		}
		if a := read(ids[1]); a.n != 0 {
			t.Errorf("second event attempted %d times behind a failing first one, want 0", a.n)
		}
		if got := counter(t, reg, "plenary_outbox_publish_failures_total"); got < 2 {
			t.Errorf("publish_failures_total = %v, want at least 2", got)
		}
		if got := counter(t, reg, "plenary_outbox_pending"); got != 2 {
			t.Errorf("pending gauge = %v, want 2", got)
		}

		if _, err := natsx.EnsureStream(t.Context(), b.js); err != nil {
			t.Fatal(err)
		}
		waitDelivered(t, d)
		equalIDs(t, "stream", b.streamIDs(t), ids)
	})
}

func TestNotifyWakesAnIdleRelay(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, true)
		first := emit(t, d, 1)
		// A poll interval longer than the test: only Notify can wake the relay.
		r := outbox.NewRelay(d, b.js, quiet, outbox.WithPollInterval(time.Hour))
		run(t, r)
		waitDelivered(t, d) // the start-up round published it; the relay now sleeps

		second := emit(t, d, 1)
		r.Notify()
		waitDelivered(t, d)
		equalIDs(t, "stream", b.streamIDs(t), append(first, second...))
	})
}

func TestDeletePublishedKeepsPendingAndRecentRows(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, true)
		at := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		emit(t, d, 3)
		r := outbox.NewRelay(d, b.js, quiet, append(fast, outbox.WithClock(func() time.Time { return at }))...)
		run(t, r)
		waitDelivered(t, d)
		b.srv.Stop()
		waitFor(t, "the client to see the outage", func() bool { return !b.nc.IsConnected() })
		emit(t, d, 2) // stay pending

		for _, tc := range []struct {
			before time.Time
			want   int64
		}{
			{at, 0},                  // published exactly then: not older
			{at.Add(time.Second), 3}, // the three published rows
			{at.Add(time.Hour), 0},   // nothing left but pending rows
		} {
			n, err := outbox.DeletePublished(t.Context(), d, tc.before)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("DeletePublished(%v) = %d, want %d", tc.before, n, tc.want)
			}
		}
		if n := pending(t, d); n != 2 {
			t.Errorf("pending after cleanup = %d, want 2", n)
		}
	})
}

func TestAddRefusesAnEventLargerThanTheStreamAccepts(t *testing.T) {
	if outbox.MaxPayload > natsx.MaxMsgSize {
		t.Fatalf("outbox.MaxPayload %d exceeds the stream's MaxMsgSize %d", outbox.MaxPayload, natsx.MaxMsgSize)
	}
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		big := contracts.Text{"en": strings.Repeat("x", outbox.MaxPayload)}
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			return outbox.Emit(t.Context(), tx, contracts.MeetingCreated, "agenda", time.Now(), contracts.MeetingEvent{Meeting: contracts.Meeting{Title: big}})
		})
		if err == nil {
			t.Fatal("an oversized event was written")
		}
		if ids := outboxIDs(t, d); len(ids) != 0 {
			t.Errorf("outbox rows %v after a refused event", ids)
		}
	})
}

// counter reads a counter or gauge from reg.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			if g := m.GetGauge(); g != nil {
				return g.GetValue()
			}
		}
	}
	t.Fatalf("metric %s not registered", name)
	return 0
}
