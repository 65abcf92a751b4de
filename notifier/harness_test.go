package notifier_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/ics/icaljstest"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/signed"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// rig is a notifier on a real database, a real JetStream and a real SMTP server.
type rig struct {
	t     *testing.T
	d     *db.DB
	clock *clock
	smtp  *smtptest.Server
	js    jetstream.JetStream
	n     *notifier.Notifier
	cfg   notifier.Config
	stop  context.CancelFunc
	done  chan struct{}
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var renderer = func() *render.Renderer {
	r, err := render.New()
	if err != nil {
		panic(err)
	}
	return r
}()

func newRig(t *testing.T, d *db.DB, mutate ...func(*notifier.Config)) *rig {
	t.Helper()
	srv := smtptest.Start(t)
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		HELO: "plenary.test", Timeout: 5 * time.Second, Attempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	ns := natstest.Start(t)
	nc, err := nats.Connect(ns.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := natsx.EnsureStream(context.Background(), js); err != nil {
		t.Fatal(err)
	}
	keys, err := signed.NewKeys("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: t0}
	cfg := notifier.Config{
		DB: d, Sender: sender, Renderer: renderer, MessageDomain: "plenary.test",
		Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
		From:  mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"},
		Now:   c.Now,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	r := &rig{t: t, d: d, clock: c, smtp: srv, js: js, cfg: cfg}
	// Every invite the test made the notifier send is read by ical.js, in the order the
	// mail server received them (a SEQUENCE that goes back for a UID fails the test).
	t.Cleanup(func() { r.checkInvites() })
	r.start()
	return r
}

// checkInvites has ical.js read the calendar part of every email received so far.
func (r *rig) checkInvites() {
	r.t.Helper()
	var cals [][]byte
	for _, e := range r.emails() {
		if len(e.Calendar) > 0 {
			cals = append(cals, e.Calendar)
		}
	}
	icaljstest.Check(r.t, cals...)
}

// start runs a fresh notifier (consumer) on the rig's database and stream.
func (r *rig) start() {
	n, err := notifier.New(r.cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	r.n = n
	ctx, cancel := context.WithCancel(context.Background())
	r.stop, r.done = cancel, make(chan struct{})
	go func() {
		defer close(r.done)
		if err := n.Consume(ctx, r.js); err != nil {
			r.t.Errorf("consume: %v", err)
		}
	}()
	r.t.Cleanup(r.halt)
}

func (r *rig) halt() {
	if r.stop != nil {
		r.stop()
		<-r.done
		r.stop = nil
	}
}

// publish sends an event through JetStream and waits until the notifier has applied it.
func (r *rig) publish(eventType string, data any) contracts.Event {
	r.t.Helper()
	ev, err := outbox.NewEvent(eventType, "test", r.clock.Now(), data)
	if err != nil {
		r.t.Fatal(err)
	}
	r.publishEvent(ev)
	return ev
}

func (r *rig) publishEvent(ev contracts.Event) {
	r.t.Helper()
	raw, _ := jsonMarshal(ev)
	if _, err := r.js.Publish(context.Background(), contracts.Subject(ev.Type), raw, jetstream.WithMsgID(ev.ID)); err != nil {
		r.t.Fatal(err)
	}
	r.waitProcessed(ev.ID)
}

func (r *rig) waitProcessed(id string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := r.d.QueryRow(`SELECT COUNT(*) FROM notifier_processed_events WHERE event_id = $1`, id).Scan(&n); err != nil {
			r.t.Fatal(err)
		}
		if n == 1 {
			// The row commits with the projection; the ack follows. Give the consumer
			// its ack before the next publish so that order is kept.
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.t.Fatalf("event %s not processed", id)
}

// tick runs the sender at the clock's time.
func (r *rig) tick(at time.Time) notifier.TickStats {
	r.t.Helper()
	r.clock.Set(at)
	st, err := r.n.Tick(context.Background())
	if err != nil {
		r.t.Fatalf("tick at %s: %v", at, err)
	}
	return st
}

// email is a received message, decoded.
type email struct {
	To, Subject, MessageID, Lang string
	Text, HTML                   string
	Calendar                     []byte
	Header                       netmail.Header
}

func (r *rig) emails() []email {
	r.t.Helper()
	var out []email
	for _, d := range r.smtp.Messages() {
		out = append(out, decode(r.t, d.Data))
	}
	return out
}

func decode(t *testing.T, raw []byte) email {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	e := email{To: msg.Header.Get("To"), Subject: subj, MessageID: msg.Header.Get("Message-Id"), Lang: msg.Header.Get("Content-Language"), Header: msg.Header}
	var walk func(h map[string][]string, body io.Reader)
	walk = func(h map[string][]string, body io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		ct, params, _ := mime.ParseMediaType(get("Content-Type"))
		if strings.HasPrefix(ct, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(p.Header, p)
			}
		}
		b, _ := io.ReadAll(body)
		switch strings.ToLower(get("Content-Transfer-Encoding")) {
		case "base64":
			b, _ = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b)))
		case "quoted-printable":
			b, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
		}
		switch {
		case ct == "text/plain":
			e.Text = string(b)
		case ct == "text/html":
			e.HTML = string(b)
		case ct == "text/calendar" || ct == "application/ics":
			e.Calendar = b
		}
	}
	walk(msg.Header, msg.Body)
	return e
}
