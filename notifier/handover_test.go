package notifier

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
)

// At the instant the mail server takes a message (its data has ended), every message it
// took before is already marked sent in the database, with eight workers sending in
// parallel: at most one message is ever accepted and unmarked, so a process killed at
// any instant repeats at most one. The server holds each message a millisecond before
// its reply, so that without the notifier's hand-over gate the dots of other workers
// would arrive while a taken message is still unmarked.
func TestAtMostOneMessageAcceptedAndUnmarked(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		const n, workers = 160, 8
		due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		seedDue(t, d, n, due, "plenary.test")
		var (
			mu      sync.Mutex
			pending []string // taken by the server, not yet seen marked sent
			worst   int
			taken   int
			readErr error
		)
		sink := smtptest.Start(t, smtptest.WithOnData(func(data []byte) {
			mu.Lock()
			still := pending[:0]
			for _, id := range pending {
				// Recorded sent: moved to sent, or its sent_at written inside the gate.
				var recorded int
				if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM notifier_deliveries
					WHERE message_id = $1 AND (state = 'sent' OR sent_at IS NOT NULL)`, id).Scan(&recorded); err != nil {
					readErr = err
				}
				if recorded == 0 {
					still = append(still, id)
				}
			}
			pending = append(still, string(messageID(data)))
			worst = max(worst, len(pending))
			taken++
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}))
		sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test", MaxIdle: workers})
		if err != nil {
			t.Fatal(err)
		}
		defer sender.Close()
		r, err := render.New()
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := signed.NewRandomKeys()
		nt, err := New(Config{DB: d, Sender: sender, Renderer: r, Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
			From: mail.Address{Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test",
			Now: func() time.Time { return due }, Batch: 5, Concurrency: workers})
		if err != nil {
			t.Fatal(err)
		}
		st, err := nt.Tick(context.Background())
		if err != nil || st.Sent != n {
			t.Fatalf("sent %d of %d: %v", st.Sent, n, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if readErr != nil {
			t.Fatal(readErr)
		}
		if taken != n {
			t.Fatalf("the server took %d messages, want %d", taken, n)
		}
		if worst != 1 {
			t.Fatalf("up to %d messages were accepted by the server and not yet marked sent at once, want 1", worst)
		}
	})
}

// A row left in sending by a process that died after the server accepted its email and
// the gate recorded it (sent_at), but before the row moved to sent: once its lease has
// run out, the next claim moves it to sent without sending it again.
func TestRecordedButUnfinishedRowIsNotSentAgain(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		seedDue(t, d, 3, due, "plenary.test")
		if _, err := d.Exec(`UPDATE notifier_deliveries SET state = 'sending', lease_owner = 'dead', lease_until = $1, sent_at = $2, attempts = 1
			WHERE id = 'dr000001'`, due.Add(-time.Second), due.Add(-20*time.Second)); err != nil {
			t.Fatal(err)
		}
		sink := smtptest.Start(t)
		sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test"})
		if err != nil {
			t.Fatal(err)
		}
		defer sender.Close()
		r, err := render.New()
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := signed.NewRandomKeys()
		nt, err := New(Config{DB: d, Sender: sender, Renderer: r, Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
			From: mail.Address{Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test", Now: func() time.Time { return due }})
		if err != nil {
			t.Fatal(err)
		}
		st, err := nt.Tick(context.Background())
		if err != nil || st.Sent != 2 || len(sink.Messages()) != 2 {
			t.Fatalf("tick: %+v, %d messages, %v; want the two others sent", st, len(sink.Messages()), err)
		}
		var state string
		var owner *string
		if err := d.QueryRow(`SELECT state, lease_owner FROM notifier_deliveries WHERE id = 'dr000001'`).Scan(&state, &owner); err != nil {
			t.Fatal(err)
		}
		if state != Sent || owner != nil {
			t.Fatalf("the recorded row is %s (owner %v), want sent and released", state, owner)
		}
	})
}
