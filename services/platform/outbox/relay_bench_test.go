package outbox_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/bench"
	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// relayEvents is the number of events each side publishes per round.
const relayEvents = 3000

// rescheduled is a realistic event: a plenary sitting moved by an hour, titled in three
// languages, with its floor and output languages and its audience.
func rescheduled(i int) contracts.SessionRescheduledEvent {
	start := time.Date(2027, 3, 8, 9, 0, 0, 0, time.UTC).Add(time.Duration(i%40) * time.Hour)
	return contracts.SessionRescheduledEvent{
		Session: contracts.Session{ID: uuid.NewString(), MeetingID: "0193b0c4-7d8e-7c7a-9d3e-5a1f2b3c4d5e",
			Title:    contracts.Text{"en": fmt.Sprintf("Plenary meeting %d", i), "fr": fmt.Sprintf("%de séance plénière", i), "es": fmt.Sprintf("Sesión plenaria %d", i)},
			StartUTC: start, EndUTC: start.Add(2 * time.Hour), TZ: "Europe/Zurich",
			FloorLanguages: []string{"en", "fr", "es"}, OutputLanguages: []string{"ar", "zh", "en", "fr", "ru", "es"},
			Audience: []string{"Africa, Europe and the Americas", "Asia-Pacific"}, Status: "scheduled", ScheduleVersion: 2, Version: 3},
		Previous: contracts.Interval{StartUTC: start.Add(-time.Hour), EndUTC: start.Add(time.Hour)}, PreviousVersion: 1,
	}
}

// BenchmarkRelay measures events relayed per second from a committed outbox (3,000
// events) to JetStream on a loopback nats-server, acknowledged and marked published,
// beside a raw JetStream publish loop of the same messages (same subjects, payloads and
// Nats-Msg-Id dedupe ids, each publish awaiting its ack), alternating the two.
func BenchmarkRelay(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, dialect)
			srv := natstest.Start(b)
			nc, err := nats.Connect(srv.URL())
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := natsx.EnsureStream(ctx, js); err != nil {
				b.Fatal(err)
			}
			// Arrivals are counted on a core subscription, so that neither side is timed
			// by polling the database.
			var arrived atomic.Int64
			sub, err := nc.Subscribe(contracts.SubjectPrefix+">", func(*nats.Msg) { arrived.Add(1) })
			if err != nil {
				b.Fatal(err)
			}
			defer sub.Unsubscribe()
			waitArrived := func(want int64) error {
				deadline := time.Now().Add(2 * time.Minute)
				for arrived.Load() < want {
					if time.Now().After(deadline) {
						return fmt.Errorf("%d of %d events arrived", arrived.Load(), want)
					}
					time.Sleep(200 * time.Microsecond)
				}
				return nil
			}

			relaySide := func() (float64, error) {
				events := make([]contracts.Event, relayEvents)
				for i := range events {
					ev, err := outbox.NewEvent(contracts.SessionRescheduled, "plenary/agenda", time.Now(), rescheduled(i))
					if err != nil {
						return 0, err
					}
					events[i] = ev
				}
				if err := d.Tx(ctx, func(tx *sql.Tx) error {
					for _, ev := range events {
						if err := outbox.Add(ctx, tx, ev); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					return 0, err
				}
				r := outbox.NewRelay(d, js, quiet, outbox.WithPollInterval(time.Millisecond))
				rctx, cancel := context.WithCancel(ctx)
				defer cancel()
				done := make(chan error, 1)
				want := arrived.Load() + relayEvents
				began := time.Now()
				go func() { done <- r.Run(rctx) }()
				if err := waitArrived(want); err != nil {
					return 0, err
				}
				// Then until the last batch is marked published.
				for {
					n, err := outbox.Pending(ctx, d)
					if err != nil {
						return 0, err
					}
					if n == 0 {
						break
					}
					time.Sleep(200 * time.Microsecond)
				}
				took := time.Since(began)
				cancel()
				if err := <-done; err != nil {
					return 0, err
				}
				return relayEvents / took.Seconds(), nil
			}

			rawSide := func() (float64, error) {
				type msg struct {
					id, subject string
					payload     []byte
				}
				msgs := make([]msg, relayEvents)
				for i := range msgs {
					ev, err := outbox.NewEvent(contracts.SessionRescheduled, "plenary/agenda", time.Now(), rescheduled(i))
					if err != nil {
						return 0, err
					}
					payload, err := json.Marshal(ev) // as outbox.Add stores it
					if err != nil {
						return 0, err
					}
					msgs[i] = msg{id: ev.ID, subject: contracts.Subject(ev.Type), payload: payload}
				}
				want := arrived.Load() + relayEvents
				began := time.Now()
				for _, m := range msgs {
					if _, err := js.Publish(ctx, m.subject, m.payload, jetstream.WithMsgID(m.id)); err != nil {
						return 0, err
					}
				}
				if err := waitArrived(want); err != nil {
					return 0, err
				}
				return relayEvents / time.Since(began).Seconds(), nil
			}

			for b.Loop() {
				p, err := bench.Alternate(bench.Rounds(), relaySide, rawSide)
				if err != nil {
					b.Fatal(err)
				}
				goal := 0.5
				name := fmt.Sprintf("outbox relay on %s, %d events", dialect, relayEvents)
				bench.Record(b, bench.AtLeast(name, "events/s", "raw JetStream publish loop", p, goal))
			}
		})
	}
}
