package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
)

var fixedDate = time.Date(2025, 12, 5, 15, 30, 0, 0, time.UTC)

const invite = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:-//Plenary//Plenary notifier//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x@plenary\r\nDTSTAMP:20251205T153000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func sample() mail.Message {
	return mail.Message{
		From:        mail.Address{Name: "Plenary Secretariat", Email: "noreply@plenary.example"},
		To:          mail.Address{Name: "Amélie Tremblay", Email: "amelie@example.ca"},
		Subject:     "Rappel : séance plénière demain",
		Text:        "Bonjour Amélie,\nLa séance commence le 6 décembre à 10 h 30.\n",
		HTML:        `<html lang="fr"><body><p>Bonjour Amélie,</p></body></html>`,
		Lang:        "fr-CA",
		Calendar:    &mail.Calendar{Method: mail.CalendarRequest, Data: []byte(invite)},
		MessageID:   mail.MessageID("reminder/r1/s1/24h/v1", "plenary.example"),
		Date:        fixedDate,
		Unsubscribe: "https://plenary.example/u/tok123",
		Headers:     map[string]string{"X-Plenary-Kind": "reminder"},
	}
}

func newSender(t *testing.T, srv *smtptest.Server, mutate ...func(*mail.SMTPConfig)) *mail.SMTPSender {
	t.Helper()
	cfg := mail.SMTPConfig{
		Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, HELO: "plenary.test",
		Timeout: 5 * time.Second, Attempts: 4, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Now: func() time.Time { return fixedDate },
	}
	for _, m := range mutate {
		m(&cfg)
	}
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// part is a decoded leaf of a MIME tree, with the path of content types leading to it.
type part struct {
	path        string
	contentType string
	params      map[string]string
	disposition string
	body        []byte
}

func walk(t *testing.T, path string, header map[string][]string, body io.Reader) []part {
	t.Helper()
	get := func(k string) string {
		if v := header[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	ct, params, err := mime.ParseMediaType(get("Content-Type"))
	if err != nil {
		t.Fatalf("%s: content type %q: %v", path, get("Content-Type"), err)
	}
	path += "/" + ct
	if strings.HasPrefix(ct, "multipart/") {
		var out []part
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, walk(t, path, p.Header, p)...)
		}
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	switch strings.ToLower(get("Content-Transfer-Encoding")) {
	case "base64":
		raw, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
	case "quoted-printable":
		raw, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	}
	if err != nil {
		t.Fatalf("%s: decode: %v", path, err)
	}
	disp, _, _ := mime.ParseMediaType(get("Content-Disposition"))
	return []part{{path: path, contentType: ct, params: params, disposition: disp, body: raw}}
}

func parse(t *testing.T, data []byte) (*netmail.Message, []part) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	return msg, walk(t, "", msg.Header, bytes.NewReader(body))
}

func TestSMTPDelivery(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	m := sample()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	d := got[0]
	if d.From != "noreply@plenary.example" || len(d.To) != 1 || d.To[0] != "amelie@example.ca" {
		t.Errorf("envelope %q -> %q", d.From, d.To)
	}
	msg, parts := parse(t, d.Data)
	h := msg.Header
	dec := new(mime.WordDecoder)
	if subj, _ := dec.DecodeHeader(h.Get("Subject")); subj != m.Subject {
		t.Errorf("Subject = %q", subj)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "Amélie Tremblay" || to[0].Address != "amelie@example.ca" {
		t.Errorf("To = %v, %v", to, err)
	}
	for k, want := range map[string]string{
		"Message-Id":            m.MessageID,
		"Content-Language":      "fr-CA",
		"List-Unsubscribe":      "<https://plenary.example/u/tok123>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted":        "auto-generated",
		"X-Plenary-Kind":        "reminder",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if date, err := h.Date(); err != nil || !date.Equal(fixedDate) {
		t.Errorf("Date = %v, %v", date, err)
	}

	var paths []string
	for _, p := range parts {
		paths = append(paths, p.path)
	}
	want := []string{
		"/multipart/mixed/multipart/alternative/text/plain",
		"/multipart/mixed/multipart/alternative/text/html",
		"/multipart/mixed/multipart/alternative/text/calendar",
		"/multipart/mixed/application/ics",
	}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("MIME structure\n got %q\nwant %q", paths, want)
	}
	// Text travels with CRLF line breaks (RFC 5322); compare the lines.
	if strings.ReplaceAll(string(parts[0].body), "\r\n", "\n") != m.Text || parts[0].params["charset"] != "UTF-8" {
		t.Errorf("text part %q (%v)", parts[0].body, parts[0].params)
	}
	if string(parts[1].body) != m.HTML {
		t.Errorf("html part %q", parts[1].body)
	}
	if parts[2].params["method"] != "REQUEST" || string(parts[2].body) != invite {
		t.Errorf("calendar part %v %q", parts[2].params, parts[2].body)
	}
	if parts[3].disposition != "attachment" || string(parts[3].body) != invite {
		t.Errorf("attachment %q %q", parts[3].disposition, parts[3].body)
	}
}

func TestWithoutCalendarIsAlternative(t *testing.T) {
	m := sample()
	m.Calendar = nil
	b, err := m.Bytes(fixedDate)
	if err != nil {
		t.Fatal(err)
	}
	_, parts := parse(t, b)
	if len(parts) != 2 || parts[0].path != "/multipart/alternative/text/plain" || parts[1].path != "/multipart/alternative/text/html" {
		t.Errorf("parts %+v", parts)
	}
}

func messageIDs(t *testing.T, ds []smtptest.Delivery) []string {
	var ids []string
	for _, d := range ds {
		msg, err := netmail.ReadMessage(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, msg.Header.Get("Message-Id")+" "+msg.Header.Get("Date"))
	}
	return ids
}

func TestRetryAfter421KeepsMessageID(t *testing.T) {
	srv := smtptest.Start(t)
	srv.FailNext(2, 421, "Service not available, try again later")
	s := newSender(t, srv)
	m := sample()
	m.Date = time.Time{} // the sender stamps it once, before the first attempt
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	all := srv.Deliveries()
	if len(all) != 3 || len(srv.Messages()) != 1 {
		t.Fatalf("%d attempts, %d accepted; want 3 and 1", len(all), len(srv.Messages()))
	}
	ids := messageIDs(t, all)
	for _, id := range ids {
		if id != ids[0] || !strings.HasPrefix(id, m.MessageID+" ") {
			t.Errorf("attempts carry different Message-ID/Date: %q", ids)
		}
	}
}

func TestNoRetryAfter550(t *testing.T) {
	srv := smtptest.Start(t)
	srv.FailNext(1, 550, "Mailbox unavailable")
	s := newSender(t, srv)
	err := s.Send(context.Background(), sample())
	var de *mail.DeliveryError
	if !errors.As(err, &de) || de.Temporary || de.Code != 550 || de.Attempts != 1 || mail.IsTemporary(err) {
		t.Fatalf("err = %#v", err)
	}
	if n := len(srv.Deliveries()); n != 1 {
		t.Errorf("%d attempts after a 550, want 1", n)
	}
}

func TestTemporaryFailuresExhaustAttempts(t *testing.T) {
	srv := smtptest.Start(t)
	srv.FailNext(10, 451, "Local error")
	s := newSender(t, srv, func(c *mail.SMTPConfig) { c.Attempts = 3 })
	err := s.Send(context.Background(), sample())
	var de *mail.DeliveryError
	if !errors.As(err, &de) || !de.Temporary || de.Code != 451 || de.Attempts != 3 {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.Deliveries()); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestConnectionRefusedIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s, err := mail.NewSMTPSender(mail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone,
		Timeout: time.Second, Attempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), sample())
	var de *mail.DeliveryError
	if !errors.As(err, &de) || !de.Temporary || de.Attempts != 2 {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelledContextStopsRetries(t *testing.T) {
	srv := smtptest.Start(t)
	srv.FailNext(10, 421, "busy")
	s := newSender(t, srv, func(c *mail.SMTPConfig) { c.Backoff, c.MaxBackoff = time.Hour, time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, sample()) }()
	for len(srv.Deliveries()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.Deliveries()); n != 1 {
		t.Errorf("%d attempts", n)
	}
}

func TestConnectionsAreReused(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	for i := range 3 {
		m := sample()
		m.MessageID = mail.MessageID("k"+string(rune('a'+i)), "plenary.example")
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if n, sessions := len(srv.Messages()), srv.Sessions(); n != 3 || sessions != 1 {
		t.Errorf("%d messages over %d connections, want 3 over 1", n, sessions)
	}
}

// Lines that start with a dot (a lone dot would end DATA) arrive as written: the sender
// stuffs them, the server unstuffs them.
func TestLinesStartingWithADot(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	m := sample()
	m.Calendar = nil
	m.Text = "Agenda:\n.\n..two dots\n. a dot and a space\n.\r\nend\n"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	_, parts := parse(t, msgs[0].Data)
	var text string
	for _, p := range parts {
		if p.contentType == "text/plain" {
			text = strings.ReplaceAll(string(p.body), "\r\n", "\n")
		}
	}
	if want := "Agenda:\n.\n..two dots\n. a dot and a space\n.\nend\n"; text != want {
		t.Errorf("text part %q, want %q", text, want)
	}
}

// A pooled connection the server has dropped while idle is replaced without a NOOP
// first: the message goes out on a new connection, once, and the drop does not count as
// a failed attempt.
func TestDroppedIdleConnectionIsRedialled(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithIdleTimeout(50*time.Millisecond))
	s := newSender(t, srv, func(c *mail.SMTPConfig) { c.Attempts = 1 })
	first := sample()
	if err := s.Send(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server drops the pooled connection meanwhile
	second := sample()
	second.MessageID = mail.MessageID("second", "plenary.example")
	if err := s.Send(context.Background(), second); err != nil {
		t.Fatalf("after the server dropped the idle connection: %v", err)
	}
	if n, all, sessions := len(srv.Messages()), len(srv.Deliveries()), srv.Sessions(); n != 2 || all != 2 || sessions != 2 {
		t.Errorf("%d accepted of %d received over %d connections, want 2 of 2 over 2", n, all, sessions)
	}
}

func TestAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("plenary", "s3cret"))
	ok := newSender(t, srv, func(c *mail.SMTPConfig) {
		c.Auth, c.Username, c.Password = mail.AuthPlain, "plenary", "s3cret"
	})
	if err := ok.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].User != "plenary" {
		t.Fatalf("messages %+v", msgs)
	}
	anon := newSender(t, srv, func(c *mail.SMTPConfig) { c.Attempts = 1 })
	err := anon.Send(context.Background(), sample())
	var de *mail.DeliveryError
	if !errors.As(err, &de) || de.Temporary || de.Code != 530 {
		t.Errorf("unauthenticated send: %v", err)
	}
}

func TestHeaderInjectionIsHarmless(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	m := sample()
	m.To.Name = "Eve\r\nBcc: victim@example.org"
	m.From.Name = "Secretariat\nX-Injected: yes"
	m.Subject = "Hello\r\nBcc: victim2@example.org\r\n\r\nbody"
	m.Headers = map[string]string{"X-Plenary-Kind": "reminder"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	d := srv.Messages()[0]
	if len(d.To) != 1 || d.To[0] != "amelie@example.ca" {
		t.Errorf("RCPT TO %q", d.To)
	}
	msg, _ := parse(t, d.Data)
	for _, k := range []string{"Bcc", "X-Injected"} {
		if v, ok := msg.Header[k]; ok {
			t.Errorf("injected header %s: %q", k, v)
		}
	}
	dec := new(mime.WordDecoder)
	if subj, _ := dec.DecodeHeader(msg.Header.Get("Subject")); subj != "Hello Bcc: victim2@example.org body" {
		t.Errorf("Subject = %q", subj)
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "Eve Bcc: victim@example.org" {
		t.Errorf("To = %v, %v", to, err)
	}

	for name, mutate := range map[string]func(*mail.Message){
		"to address":      func(m *mail.Message) { m.To.Email = "amelie@example.ca\r\nBcc: v@example.org" },
		"from address":    func(m *mail.Message) { m.From.Email = "a@b.example\nX: y" },
		"to with name":    func(m *mail.Message) { m.To.Email = "Eve <eve@example.org>" },
		"two recipients":  func(m *mail.Message) { m.To.Email = "a@example.org, b@example.org" },
		"header value":    func(m *mail.Message) { m.Headers = map[string]string{"X-Kind": "a\r\nBcc: v@example.org"} },
		"header name":     func(m *mail.Message) { m.Headers = map[string]string{"Bcc": "v@example.org"} },
		"bad header name": func(m *mail.Message) { m.Headers = map[string]string{"X-A: b\r\nBcc": "v"} },
		"message id":      func(m *mail.Message) { m.MessageID = "<a@b>\r\nBcc: v@example.org" },
		"unsubscribe":     func(m *mail.Message) { m.Unsubscribe = "https://x.example/u>\r\nBcc: v@example.org" },
		"language":        func(m *mail.Message) { m.Lang = "fr\r\nBcc: v@example.org" },
	} {
		t.Run(name, func(t *testing.T) {
			before := len(srv.Deliveries())
			m := sample()
			mutate(&m)
			err := s.Send(context.Background(), m)
			if !errors.Is(err, mail.ErrInvalidMessage) || mail.IsTemporary(err) {
				t.Errorf("err = %v, want ErrInvalidMessage", err)
			}
			if len(srv.Deliveries()) != before {
				t.Error("an invalid message reached the server")
			}
		})
	}
}

func TestMessageID(t *testing.T) {
	a := mail.MessageID("reminder/r1/s1/24h/v2", "plenary.example")
	if a != mail.MessageID("reminder/r1/s1/24h/v2", "plenary.example") {
		t.Error("not stable")
	}
	if a == mail.MessageID("reminder/r1/s1/24h/v3", "plenary.example") {
		t.Error("different keys, same id")
	}
	addr, err := netmail.ParseAddress(strings.Trim(a, "<>"))
	if err != nil || !strings.HasSuffix(addr.Address, "@plenary.example") || !strings.HasPrefix(a, "<") {
		t.Errorf("id %q: %v", a, err)
	}
}

func TestFolderSender(t *testing.T) {
	dir := t.TempDir()
	f := mail.FolderSender{Dir: dir, Now: func() time.Time { return fixedDate }}
	ctx := context.Background()
	m := sample()
	if err := f.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Text = "second rendering of the same notification"
	if err := f.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	other := sample()
	other.MessageID = mail.MessageID("other", "plenary.example")
	other.Subject = "تذكير: الجلسة العامة"
	other.Date = fixedDate.Add(time.Hour)
	if err := f.Send(ctx, other); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("%d files, want 2 (a re-send replaces, no temp files left)", len(entries))
	}
	list, err := mail.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("list %+v", list)
	}
	newest := list[0]
	if newest.Subject != other.Subject || newest.MessageID != other.MessageID || !newest.Date.Equal(other.Date) ||
		!strings.Contains(newest.To, "amelie@example.ca") || newest.Name != mail.FileName(other.MessageID) {
		t.Errorf("summary %+v", newest)
	}
	b, err := mail.Read(dir, list[1].Name)
	if err != nil {
		t.Fatal(err)
	}
	_, parts := parse(t, b)
	if string(parts[0].body) != "second rendering of the same notification" {
		t.Errorf("stored text %q", parts[0].body)
	}
	for _, name := range []string{"../secret.eml", "x/../../a.eml", "/etc/passwd", ".tmp-1.eml", "a.txt"} {
		if _, err := mail.Read(dir, name); err == nil {
			t.Errorf("Read(%q) accepted", name)
		}
	}
	if list, err := mail.List(filepath.Join(dir, "missing")); err != nil || len(list) != 0 {
		t.Errorf("missing folder: %v, %v", list, err)
	}
	bad := sample()
	bad.To.Email = "x\r\n@y"
	if err := f.Send(ctx, bad); !errors.Is(err, mail.ErrInvalidMessage) {
		t.Errorf("invalid message: %v", err)
	}
}

// TestSubjectAsAReaderDecodesIt: the Subject a mail reader decodes is the subject given:
// no leading space from a fold before the first encoded word, and a title that looks like
// an encoded word is encoded itself, not copied raw for the reader to decode into
// something else. net/mail parses the message, but its header reader (net/textproto)
// trims the whitespace a fold leaves, so the field is also unfolded as RFC 5322 section
// 2.2.3 says (remove each CRLF, keep the whitespace after it, drop the blanks on the
// field's first line) and decoded with mime.WordDecoder: what a reader such as Python's
// email package shows, where "Subject:\r\n =?UTF-8?..." reads " Rappel...".
func TestSubjectAsAReaderDecodesIt(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	for i, subject := range []string{
		"Rappel : Forum sur la résilience climatique, séance d'ouverture, mardi 8 décembre 2026 à 16 h 30 (heure de Paris)",
		"تذكير: منتدى القدرة على الصمود في مواجهة تغير المناخ، الجلسة الافتتاحية",
		"Reminder: =?utf-8?q?Fake_title?= opening session",
		"=?UTF-8?B?SGVsbG8=?=",
		"Напоминание: Форум по вопросам климатической устойчивости",
		"提醒：气候韧性论坛开幕会议将于2026年12月8日举行",
		"Séance",
		"Reminder: plenary session tomorrow at 16:30 Paris time, interpretation in EN FR ES AR",
	} {
		m := sample()
		m.Subject = subject
		m.MessageID = fmt.Sprintf("<subject-%d@plenary.example.org>", i)
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		d := srv.Messages()[len(srv.Messages())-1]
		msg, _ := parse(t, d.Data)
		dec := new(mime.WordDecoder)
		if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
			t.Errorf("net/mail: Subject decodes to %q (%v), want %q", got, err, subject)
		}
		raw := unfoldedField(t, d.Data, "Subject")
		if got, err := dec.DecodeHeader(raw); err != nil || got != subject {
			t.Errorf("unfolded: Subject decodes to %q (%v), want %q; raw %q", got, err, subject, raw)
		}
	}
}

// unfoldedField is the body of header field name in a raw message, unfolded as RFC 5322
// section 2.2.3 says: each CRLF followed by whitespace removed, the whitespace kept; the
// blanks between the colon and the text on the field's first line are not part of it.
func unfoldedField(t *testing.T, data []byte, name string) string {
	t.Helper()
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	for i, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok || !strings.EqualFold(k, name) {
			continue
		}
		out := strings.TrimLeft(v, " \t")
		for _, c := range lines[i+1:] {
			if c == "" || (c[0] != ' ' && c[0] != '\t') {
				break
			}
			out += c
		}
		return out
	}
	t.Fatalf("no %s field in\n%s", name, head)
	return ""
}

// A message made from a template reaches the server as a reader expects it: the
// recipient's name in To and in both parts, the links in List-Unsubscribe and the HTML.
func TestTemplateMessageAsAReaderSeesIt(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv)
	base := sample()
	base.Calendar = nil
	base.To.Name = "NAMEHOLE"
	base.Subject = "Rappel pour NAMEHOLE : séance plénière demain"
	base.Text = "Bonjour NAMEHOLE,\nSe désabonner : https://plenary.invalid/UNSUB\n"
	base.HTML = `<p>Bonjour NAMEHOLE,</p><p><a href="https://plenary.invalid/UNSUB">Se désabonner</a></p>`
	base.Unsubscribe = "https://plenary.invalid/UNSUB"
	tpl, err := mail.NewTemplate(base, []string{"NAMEHOLE", "https://plenary.invalid/UNSUB"})
	if err != nil {
		t.Fatal(err)
	}
	name, link := "فاطمة الزهراء", "https://plenary.example/u/tok&456"
	m, err := tpl.Message(mail.Recipient{To: mail.Address{Name: name, Email: "fatima@example.org"}, MessageID: "<t1@plenary.example>",
		Date: fixedDate, Unsubscribe: link, Text: []string{name, link}, HTML: []string{name, "https://plenary.example/u/tok&amp;456"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	d := srv.Messages()[0]
	if len(d.To) != 1 || d.To[0] != "fatima@example.org" || d.From != "noreply@plenary.example" {
		t.Fatalf("envelope from %q to %v", d.From, d.To)
	}
	msg, parts := parse(t, d.Data)
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != name || to[0].Address != "fatima@example.org" {
		t.Fatalf("To %v (%v)", to, err)
	}
	if subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subject != "Rappel pour "+name+" : séance plénière demain" {
		t.Errorf("Subject %q", subject)
	}
	if got := msg.Header.Get("List-Unsubscribe"); got != "<"+link+">" {
		t.Errorf("List-Unsubscribe %q", got)
	}
	if got := msg.Header.Get("Message-Id"); got != "<t1@plenary.example>" {
		t.Errorf("Message-ID %q", got)
	}
	if len(parts) != 2 || strings.ReplaceAll(string(parts[0].body), "\r\n", "\n") != "Bonjour "+name+",\nSe désabonner : "+link+"\n" ||
		string(parts[1].body) != `<p>Bonjour `+name+`,</p><p><a href="https://plenary.example/u/tok&amp;456">Se désabonner</a></p>` {
		t.Fatalf("parts %+v", parts)
	}
}
