package notifier_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// ticking is a clock that moves a millisecond each time it is read, shared by notifiers:
// the processed_at of the events they apply (read under the stream position's lock) then
// tells the order in which they were applied.
type ticking struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ticking) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// publishMeetingUpdates publishes n meeting.updated events (over three meetings) without
// waiting for the notifier and returns their ids in stream order.
func publishMeetingUpdates(t *testing.T, js jetstream.JetStream, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		m := contracts.Meeting{ID: fmt.Sprintf("m%d", i%3), Title: contracts.Text{"en": fmt.Sprintf("Session %d", i)}, VenueTZ: "UTC",
			DefaultLang: "en", Version: int64(i + 1)}
		ev, err := outbox.NewEvent(contracts.MeetingUpdated, "test", t0, contracts.MeetingEvent{Meeting: m})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := jsonMarshal(ev)
		if _, err := js.Publish(context.Background(), contracts.Subject(ev.Type), raw, jetstream.WithMsgID(ev.ID)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	return ids
}

// appliedOrder waits until want events are processed and returns their ids in the order
// they were applied.
func appliedOrder(t *testing.T, d *db.DB, want int) []string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var n int
		if err := d.QueryRow(`SELECT COUNT(*) FROM notifier_processed_events`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events applied", n, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	rows, err := d.Query(`SELECT event_id FROM notifier_processed_events ORDER BY processed_at, event_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// startNotifier runs a notifier on cfg with its own metrics until the test ends and returns
// the registry of its metrics.
func startNotifier(t *testing.T, cfg notifier.Config, js jetstream.JetStream, ackWait time.Duration) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := notifier.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Metrics = m
	n, err := notifier.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ackWait > 0 {
		notifier.SetAckWait(n, ackWait)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := n.Consume(ctx, js); err != nil {
			t.Errorf("consume: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return reg
}

// eventsApplied is how many events a notifier's lag histogram has seen.
func eventsApplied(t *testing.T, reg *prometheus.Registry) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "plenary_notifier_event_lag_seconds" {
			return mf.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	return 0
}

func TestTwoNotifiersSharingTheConsumerApplyInStreamOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		clk := &ticking{t: t0}
		r := newRig(t, d, func(c *notifier.Config) { c.Now = clk.Now })
		r.halt()
		a := startNotifier(t, r.cfg, r.js, 0)
		b := startNotifier(t, r.cfg, r.js, 0)
		const events = 1500
		want := publishMeetingUpdates(t, r.js, events)
		got := appliedOrder(t, d, events)
		if !slices.Equal(got, want) {
			t.Fatalf("events applied out of stream order (first difference at %d of %d)", firstDifference(got, want), len(want))
		}
		na, nb := eventsApplied(t, a), eventsApplied(t, b)
		t.Logf("applied by the first notifier: %d, by the second: %d", na, nb)
		if na+nb != events {
			t.Errorf("%d + %d events applied, want %d", na, nb, events)
		}
		if na == 0 || nb == 0 {
			t.Errorf("one notifier applied every event (%d and %d): the consumer was not shared", na, nb)
		}
	})
}

func TestANotifierDyingWithEventsInHandHoldsBackTheLaterOnes(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		clk := &ticking{t: t0}
		r := newRig(t, d, func(c *notifier.Config) { c.Now = clk.Now })
		r.halt()
		ctx := context.Background()
		cfg := notifier.ConsumerConfig()
		cfg.AckWait = 2 * time.Second
		cons, err := r.js.CreateOrUpdateConsumer(ctx, contracts.Stream, cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := publishMeetingUpdates(t, r.js, 60)
		// A notifier takes the first events and dies without a word: no ack, no nak.
		held, err := cons.Fetch(5, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for m := range held.Messages() {
			md, err := m.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, md.Sequence.Stream)
		}
		if len(seqs) == 0 || seqs[0] != 1 {
			t.Fatalf("the dying notifier holds %v, want the first events", seqs)
		}
		startNotifier(t, r.cfg, r.js, 2*time.Second)
		got := appliedOrder(t, d, len(want))
		if !slices.Equal(got, want) {
			t.Fatalf("events applied out of stream order (first difference at %d of %d)", firstDifference(got, want), len(want))
		}
	})
}

func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
