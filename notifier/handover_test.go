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
				var state string
				if err := d.QueryRowContext(context.Background(), `SELECT state FROM notifier_deliveries WHERE message_id = $1`, id).Scan(&state); err != nil {
					readErr = err
				}
				if state != Sent {
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
