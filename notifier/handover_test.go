package notifier

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
			files, err := RecordedInFiles(d)
			if err != nil {
				readErr = err
			}
			for _, id := range pending {
				// Recorded sent: moved to sent, its sent_at written inside the gate, or
				// (an SQLite file) its line in the hand-over records beside the database.
				var delivery string
				var recorded bool
				if err := d.QueryRowContext(context.Background(), `SELECT id, state = 'sent' OR sent_at IS NOT NULL FROM notifier_deliveries
					WHERE message_id = $1`, id).Scan(&delivery, &recorded); err != nil {
					readErr = err
				}
				if !recorded && !files[delivery] {
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
		nt, sink := takeOver(t, d, due)
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

// On an SQLite file the gate's record is a line in the stopped process's file beside the
// database, not sent_at: once the lease has run out, the next claim reads the file and
// finishes the recorded row without sending it again, sends the unrecorded one, and the
// file of the process that holds nothing any more is removed; a tick that ends with
// every row sent leaves no file of its own.
func TestRecordsBesideTheDatabaseFinishAStoppedProcesssRows(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	seedDue(t, d, 4, due, "plenary.test")
	if _, err := d.Exec(`UPDATE notifier_deliveries SET state = 'sending', lease_owner = 'dead', lease_until = $1, attempts = 1
		WHERE id IN ('dr000001', 'dr000002')`, due.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	dir := d.Path + "-sent"
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	accepted := due.Add(-20 * time.Second)
	// dr000001 was accepted; the line of a second one was cut short by a power loss.
	line := fmt.Sprintf("dr000001\t%d\ndr000002\t17", accepted.UnixMicro())
	if err := os.WriteFile(filepath.Join(dir, "dead.log"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "dead.log"), old, old); err != nil {
		t.Fatal(err)
	}
	nt, sink := takeOver(t, d, due)
	st, err := nt.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range sink.Messages() {
		got[string(messageID(m.Data))] = true
	}
	var id1 string
	if err := d.QueryRow(`SELECT message_id FROM notifier_deliveries WHERE id = 'dr000001'`).Scan(&id1); err != nil {
		t.Fatal(err)
	}
	if st.Sent != 3 || len(got) != 3 || got[id1] {
		t.Fatalf("tick %+v sent %d messages (the recorded one among them: %v), want the three unrecorded ones", st, len(got), got[id1])
	}
	var state string
	var sentAt time.Time
	if err := d.QueryRow(`SELECT state, sent_at FROM notifier_deliveries WHERE id = 'dr000001'`).Scan(&state, &sentAt); err != nil {
		t.Fatal(err)
	}
	if state != Sent || !sentAt.Equal(accepted) {
		t.Fatalf("the recorded row is %s sent at %v, want sent at %v (its record)", state, sentAt, accepted)
	}
	left, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(left) != 0 {
		t.Fatalf("files left beside the database: %v (%v), want none", left, err)
	}
}

// takeOver is a notifier at due on d, sending to a test SMTP server with its defaults, as a
// process that takes over a stopped one's rows.
func takeOver(t *testing.T, d *db.DB, due time.Time) (*Notifier, *smtptest.Server) {
	t.Helper()
	sink := smtptest.Start(t)
	return notifierTo(t, d, sink.Host, sink.Port, func(c *Config) { c.Now = func() time.Time { return due } }), sink
}

// notifierTo is a notifier on d sending to the SMTP server at host:port, configured by
// with; its sender is closed at the end of the test.
func notifierTo(t testing.TB, d *db.DB, host string, port int, with func(*Config)) *Notifier {
	t.Helper()
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: host, Port: port, TLS: mail.TLSNone, HELO: "plenary.test", MaxIdle: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := signed.NewRandomKeys()
	cfg := Config{DB: d, Sender: sender, Renderer: r, Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
		From: mail.Address{Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test"}
	with(&cfg)
	nt, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return nt
}
