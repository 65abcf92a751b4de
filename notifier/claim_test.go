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

// Two notifiers ticking at once on one database send each due reminder once.
func TestConcurrentNotifiersSendEachOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		const n = 300
		due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		seedDue(t, d, n, due, "plenary.test")
		sink := smtptest.Start(t)
		r, err := render.New()
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := signed.NewRandomKeys()
		var wg sync.WaitGroup
		stats := make([]TickStats, 2)
		for i := range 2 {
			sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test"})
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()
			nt, err := New(Config{DB: d, Sender: sender, Renderer: r, Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
				From: mail.Address{Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test",
				Now: func() time.Time { return due }, Batch: 25, Concurrency: 4})
			if err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, err := nt.Tick(context.Background())
				if err != nil {
					t.Errorf("notifier %d: %v", i, err)
				}
				stats[i] = st
			}()
		}
		wg.Wait()
		if stats[0].Sent+stats[1].Sent != n {
			t.Fatalf("sent %d + %d, want %d", stats[0].Sent, stats[1].Sent, n)
		}
		ids := map[string]bool{}
		for _, m := range sink.Messages() {
			ids[string(messageID(m.Data))] = true
		}
		if len(sink.Messages()) != n || len(ids) != n {
			t.Fatalf("%d messages with %d Message-IDs, want %d each", len(sink.Messages()), len(ids), n)
		}
	})
}

func messageID(raw []byte) []byte {
	const h = "\nMessage-ID: "
	for i := 0; i+len(h) < len(raw); i++ {
		if string(raw[i:i+len(h)]) == h {
			j := i + len(h)
			k := j
			for k < len(raw) && raw[k] != '\r' && raw[k] != '\n' {
				k++
			}
			return raw[j:k]
		}
	}
	return nil
}
