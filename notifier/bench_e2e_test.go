package notifier_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/bench"
	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// BenchmarkAgendaToNotifier measures, under 100 session moves a second, the time from an
// agenda change to the notifier having applied it (projection and re-planned reminders),
// as the notifier's own histogram plenary_notifier_event_lag_seconds reports it: the
// agenda service writes each move with its event in the outbox, the relay publishes to a
// loopback nats-server, the notifier consumes. Twenty sessions with five registrants each.
// The file's name puts it before bench_test.go: go test runs a package's benchmarks in
// file order, and the machine is still busy (page cache, PostgreSQL's checkpoints) for a
// while after the 100,000-reminder runs, which a p99 over a few seconds feels.
func BenchmarkAgendaToNotifier(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			bench.Settle()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			d := dbtest.Open(b, dialect)
			ns := natstest.Start(b)
			nc, err := nats.Connect(ns.URL())
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
			sink := smtptest.Start(b, smtptest.WithDiscard())
			sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test"})
			if err != nil {
				b.Fatal(err)
			}
			defer sender.Close()
			keys, err := signed.NewKeys("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
			if err != nil {
				b.Fatal(err)
			}
			links := signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"}
			reg := prometheus.NewRegistry()
			metrics, err := notifier.NewMetrics(reg)
			if err != nil {
				b.Fatal(err)
			}
			n, err := notifier.New(notifier.Config{DB: d, Sender: sender, Renderer: renderer, MessageDomain: "plenary.test", Links: links,
				From: mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"}, Metrics: metrics})
			if err != nil {
				b.Fatal(err)
			}
			consumed := make(chan struct{})
			go func() { defer close(consumed); _ = n.Consume(ctx, js) }()
			relay := outbox.NewRelay(d, js, nil, outbox.WithPollInterval(50*time.Millisecond))
			relayed := make(chan struct{})
			go func() { defer close(relayed); _ = relay.Run(ctx) }()
			defer func() { cancel(); <-consumed; <-relayed }()

			ag := agenda.NewService(d, agenda.WithCommitHook(relay.Notify))
			regs := registration.NewService(d, registration.AgendaMeetings{Agenda: ag}, links, registration.WithCommitHook(relay.Notify))
			m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Forum on Sustainable Development", "fr": "Forum sur le développement durable"},
				VenueTZ: ptr("Europe/Zurich")})
			if err != nil {
				b.Fatal(err)
			}
			type sitting struct {
				id      string
				version int64
				hour    int
			}
			var sessions []sitting
			for i := range 20 {
				h := 8 + (i%4)*3
				x, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": fmt.Sprintf("Plenary meeting %d", i+1), "fr": fmt.Sprintf("%de séance plénière", i+1)},
					Start: ptr(fmt.Sprintf("2027-02-%02dT%02d:00", 1+i/4, h)), DurationMin: ptr(120), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr", "es"}})
				if err != nil {
					b.Fatal(err)
				}
				sessions = append(sessions, sitting{id: x.ID, version: x.Version, hour: h})
			}
			readers := [][2]string{{"fr-CA", "America/Montreal"}, {"en", "Asia/Tokyo"}, {"es", "America/Bogota"}, {"ar", "Asia/Riyadh"}, {"pt-BR", "America/Sao_Paulo"}}
			for i := range 100 {
				rd := readers[i%len(readers)]
				if _, err := regs.Register(ctx, m.ID, registration.Input{Name: ptr(fmt.Sprintf("Registrant %d", i)), Email: ptr(fmt.Sprintf("r%d@example.org", i)),
					Locale: ptr(rd[0]), TZ: ptr(rd[1]), ConsentReminders: ptr(true), Sessions: &[]string{sessions[i%20].id}}); err != nil {
					b.Fatal(err)
				}
			}
			applied := func() int {
				var c int
				if err := d.QueryRow(`SELECT COUNT(*) FROM notifier_processed_events`).Scan(&c); err != nil {
					b.Fatal(err)
				}
				return c
			}
			waitApplied := func(want int) {
				deadline := time.Now().Add(time.Minute)
				for applied() < want {
					if time.Now().After(deadline) {
						b.Fatalf("%d of %d events applied", applied(), want)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			events := 1 + 20 + 100
			waitApplied(events)

			const perRound, interval = 200, 10 * time.Millisecond // 100 writes a second
			var p50s, p99s, rates []float64
			for b.Loop() {
				p50s, p99s, rates = p50s[:0], p99s[:0], rates[:0]
				for round := range bench.Rounds() {
					before := lagBuckets(b, reg)
					tick := time.NewTicker(interval)
					began := time.Now()
					for i := range perRound {
						<-tick.C
						s := &sessions[i%len(sessions)]
						s.hour = 8 + (s.hour-8+1)%10 // moved by an hour, within the day
						x, err := ag.UpdateSession(ctx, s.id, s.version, agenda.SessionInput{Start: ptr(fmt.Sprintf("2027-02-%02dT%02d:00", 1+(i%20)/4, s.hour))})
						if err != nil {
							b.Fatalf("round %d, move %d: %v", round, i, err)
						}
						s.version = x.Version
					}
					tick.Stop()
					rates = append(rates, perRound/time.Since(began).Seconds())
					events += perRound
					waitApplied(events)
					after := lagBuckets(b, reg)
					p50s = append(p50s, 1000*quantile(0.50, before, after))
					p99s = append(p99s, 1000*quantile(0.99, before, after))
				}
				name := fmt.Sprintf("agenda change to notifier, %s, %.0f writes/s", dialect, bench.Median(rates))
				bench.Record(b, bench.Below(name+", p50", "ms", p50s, 20, false))
				bench.Record(b, bench.Below(name+", p99", "ms", p99s, 50, false))
			}
		})
	}
}

type bucket struct {
	upper float64
	count uint64
}

// lagBuckets reads the cumulative buckets of the notifier's event lag histogram.
func lagBuckets(b *testing.B, reg *prometheus.Registry) []bucket {
	mfs, err := reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "plenary_notifier_event_lag_seconds" {
			continue
		}
		h := mf.GetMetric()[0].GetHistogram()
		out := []bucket{}
		for _, bk := range h.GetBucket() {
			out = append(out, bucket{bk.GetUpperBound(), bk.GetCumulativeCount()})
		}
		return append(out, bucket{upper: -1, count: h.GetSampleCount()}) // +Inf
	}
	b.Fatal("no plenary_notifier_event_lag_seconds")
	return nil
}

// quantile of the observations between two snapshots, interpolated within its bucket as
// Prometheus's histogram_quantile does (the last finite bound for the +Inf bucket).
func quantile(q float64, before, after []bucket) float64 {
	total := after[len(after)-1].count - before[len(before)-1].count
	if total == 0 {
		return 0
	}
	rank := q * float64(total)
	lower, prev := 0.0, uint64(0)
	for i := range after {
		c := after[i].count - before[i].count
		if float64(c) >= rank {
			if after[i].upper < 0 {
				return lower
			}
			inBucket := float64(c - prev)
			if inBucket == 0 {
				return after[i].upper
			}
			return lower + (after[i].upper-lower)*(rank-float64(prev))/inBucket
		}
		lower, prev = after[i].upper, c
	}
	return lower
}
