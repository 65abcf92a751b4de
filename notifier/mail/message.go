// Package mail delivers Plenary's notification emails: a Message value that a renderer
// fills, a Sender port, an SMTP adapter (github.com/wneessen/go-mail) with retries on
// temporary failures, and a folder adapter that writes .eml files for `plenary serve` and
// development.
//
// MIME structure. An email that carries a calendar invitation is built as
//
//	multipart/mixed
//	  multipart/alternative
//	    text/plain; charset=UTF-8
//	    text/html; charset=UTF-8
//	    text/calendar; method=REQUEST; charset=UTF-8   (base64)
//	  application/ics; name="invite.ics"                (attachment, base64)
//
// which is what Google Calendar itself sends. Outlook and Exchange recognise an iMIP
// message only from a text/calendar part whose method parameter matches the METHOD of
// the object, and only in the first child of multipart/mixed ([MS-OXCMAIL] 2.1.3.3.8,
// [MS-STANOICAL] V0341-V0343); Gmail and Apple Mail show the invite card from the same
// inline part, and clients that ignore inline calendars still get the .ics attachment.
// Without a calendar the email is multipart/alternative text + HTML.
package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	netmail "net/mail"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers one message. Implementations may retry, so Send may deliver a message
// more than once; the stable MessageID lets the receiving side recognise a repeat.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Address is a display name and an email address.
type Address struct {
	Name  string
	Email string
}

// CalendarMethod is the iTIP method of a calendar part; it must equal the METHOD of the
// calendar object it carries.
type CalendarMethod string

// The methods a notification email carries.
const (
	CalendarRequest CalendarMethod = "REQUEST"
	CalendarCancel  CalendarMethod = "CANCEL"
)

// Calendar is an iCalendar object sent with a message (see package ics).
type Calendar struct {
	Method CalendarMethod
	Data   []byte
	// FileName of the attached copy; "invite.ics" when empty.
	FileName string
}

// Message is one notification email.
type Message struct {
	From    Address
	To      Address
	ReplyTo *Address
	Subject string
	Text    string // plain-text part, always present
	HTML    string // HTML part, optional
	Lang    string // BCP 47 tag of the content (Content-Language)
	// Calendar, when set, adds an inline text/calendar part and an .ics attachment.
	Calendar *Calendar
	// MessageID is "<local@domain>", stable for the notification (see MessageID): every
	// retry and every re-send of the same notification carries the same id.
	MessageID string
	// Date of the message; the sender's clock when zero.
	Date time.Time
	// Unsubscribe is an https URL that unsubscribes the recipient with one POST
	// (RFC 8058); it becomes List-Unsubscribe and List-Unsubscribe-Post.
	Unsubscribe string
	// Headers are extra header fields, e.g. X-Plenary-Kind. Names must be RFC 5322
	// field names; values may not contain line breaks.
	Headers map[string]string
	// wire is the message on the wire when a Template made it (Template.Message): the
	// senders send it as it is. A message whose fields change after is not the same
	// message: only Template.Message sets it.
	wire []byte
}

// MessageID derives a stable Message-ID from an idempotency key (for instance a
// reminder's recipient, session, rule and schedule version) and the sending domain.
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	local := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20]))
	return "<" + local + "@" + domain + ">"
}

// ErrInvalidMessage marks a message that no retry can deliver.
var ErrInvalidMessage = errors.New("invalid message")

var (
	messageIDPattern = regexp.MustCompile(`^<[A-Za-z0-9!#$%&'*+/=?^_{|}~.-]+@[A-Za-z0-9.-]+>$`)
	headerName       = regexp.MustCompile(`^[!-9;-~]+$`)
)

// reserved are the header fields the builder writes itself.
var reserved = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "subject": true,
	"date": true, "message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "content-language": true, "list-unsubscribe": true,
	"list-unsubscribe-post": true, "sender": true, "return-path": true,
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
}

// subjectWordBytes is how many bytes of text one encoded word of the Subject carries: 36
// bytes are 48 base64 characters, a word of 60 with "=?UTF-8?B?" and "?=". go-mail folds
// a header before any word that does not fit the rest of its line; "Subject: " leaves 63
// characters for the first word, so the first word always stays on the Subject line. A
// fold right after "Subject:" is shown by many readers (Python's email package among
// them) as a leading space.
const subjectWordBytes = 36

// encodeWords writes s as RFC 2047 B encoded words even when it is ASCII (mime's encoders
// leave ASCII as it is), each of at most subjectWordBytes bytes of text, split on rune
// boundaries (a word holds whole characters, RFC 2047 section 5).
func encodeWords(s string) string {
	var words []string
	for len(s) > 0 {
		n := 0
		for i, r := range s {
			if i+utf8.RuneLen(r) > subjectWordBytes {
				break
			}
			n = i + utf8.RuneLen(r)
		}
		if n == 0 {
			_, n = utf8.DecodeRuneInString(s)
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// needsWords: a Subject is sent as encoded words when it is not printable ASCII, or when
// it holds text that looks like an encoded word (a reader would decode it into something
// else).
func needsWords(s string) bool {
	return strings.Contains(s, "=?") || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' })
}

// oneLine makes a header text safe: line breaks and other control characters become
// spaces, so a name or subject can never start a header field of its own.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// address checks an address: the email part is rejected rather than repaired, since a
// repaired address could reach someone else; the name is made one line.
func address(role string, a Address) (*netmail.Address, error) {
	if strings.ContainsFunc(a.Email, unicode.IsControl) || strings.ContainsAny(a.Email, "<>\" ,;") {
		return nil, invalid("%s address %q", role, a.Email)
	}
	parsed, err := netmail.ParseAddress(a.Email)
	if err != nil || parsed.Address != a.Email {
		return nil, invalid("%s address %q", role, a.Email)
	}
	return &netmail.Address{Name: oneLine(a.Name), Address: parsed.Address}, nil
}

// subjectValue is the Subject field's value for subject: one line, as encoded words
// when it needs them. They are encoded here rather than by go-mail, whose first word is
// too long for the Subject line (see subjectWordBytes), and which copies raw text that
// looks like an encoded word.
func subjectValue(subject string) string {
	subject = oneLine(subject)
	if needsWords(subject) {
		return encodeWords(subject)
	}
	return subject
}

// Msg builds the go-mail message. It is exported for senders outside this package (a
// benchmark baseline, the folder page); most callers use a Sender.
func (m Message) Msg(now time.Time) (*gomail.Msg, error) {
	from, err := address("from", m.From)
	if err != nil {
		return nil, err
	}
	to, err := address("to", m.To)
	if err != nil {
		return nil, err
	}
	if !messageIDPattern.MatchString(m.MessageID) {
		return nil, invalid("message id %q", m.MessageID)
	}
	if m.Text == "" {
		return nil, invalid("message %s has no text part", m.MessageID)
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	if m.ReplyTo != nil {
		rt, err := address("reply-to", *m.ReplyTo)
		if err != nil {
			return nil, err
		}
		msg.ReplyToMailAddress(rt)
	}
	msg.Subject(subjectValue(m.Subject))
	msg.SetMessageIDWithValue(strings.Trim(m.MessageID, "<>"))
	date := m.Date
	if date.IsZero() {
		date = now
	}
	msg.SetDateWithValue(date)
	if m.Lang != "" {
		if !headerName.MatchString(m.Lang) {
			return nil, invalid("language %q", m.Lang)
		}
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	// Automatic notifications: no auto-replies (RFC 3834; Exchange's own header).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	if m.Unsubscribe != "" {
		link, err := unsubscribeURL(m.Unsubscribe)
		if err != nil {
			return nil, err
		}
		// The one-click pair of RFC 8058, as go-mail's SetListUnsubscribeOneClick writes
		// it, but with List-Unsubscribe-Post among the sorted fields: go-mail writes its
		// preformatted fields in map order, and the same message should be the same bytes.
		msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+link+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	if err := m.setHeaders(msg); err != nil {
		return nil, err
	}

	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if m.Calendar != nil {
		if err := m.Calendar.attach(msg); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// setHeaders sets the message's own headers, in name order; a name that is not a
// header's, one of the headers this package sets, or a value with a line break is refused.
func (m Message) setHeaders(msg *gomail.Msg) error {
	names := make([]string, 0, len(m.Headers))
	for name := range m.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		value := m.Headers[name]
		if !headerName.MatchString(name) || reserved[strings.ToLower(name)] {
			return invalid("header name %q", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return invalid("header %s has a line break", name)
		}
		msg.SetGenHeader(gomail.Header(name), oneLine(value))
	}
	return nil
}

// attach adds the invite as the text/calendar alternative that calendar clients act on,
// and as an .ics attachment for the others.
func (c *Calendar) attach(msg *gomail.Msg) error {
	if c.Method != CalendarRequest && c.Method != CalendarCancel {
		return invalid("calendar method %q", c.Method)
	}
	if !bytes.Contains(c.Data, []byte("\r\nMETHOD:"+string(c.Method)+"\r\n")) {
		return invalid("calendar part does not carry METHOD:%s", c.Method)
	}
	msg.AddAlternativeString(gomail.ContentType("text/calendar; method="+string(c.Method)), string(c.Data),
		gomail.WithPartEncoding(gomail.EncodingB64))
	name := c.FileName
	if name == "" {
		name = "invite.ics"
	}
	if !headerName.MatchString(name) || strings.ContainsAny(name, `"\/`) {
		return invalid("calendar file name %q", name)
	}
	if err := msg.AttachReader(name, bytes.NewReader(c.Data),
		gomail.WithFileContentType("application/ics"), gomail.WithFileEncoding(gomail.EncodingB64)); err != nil {
		return fmt.Errorf("attach %s: %w", name, err)
	}
	return nil
}

// Bytes renders the message as it goes on the wire (RFC 5322, CRLF line endings). A
// message made by a Template has its wire form already: Bytes returns it (not a copy).
func (m Message) Bytes(now time.Time) ([]byte, error) {
	if m.wire != nil {
		return m.wire, nil
	}
	return m.build(now, "")
}

// build writes the message with go-mail, with boundary as its multipart boundary (a
// random one when empty).
func (m Message) build(now time.Time, boundary string) ([]byte, error) {
	msg, err := m.Msg(now)
	if err != nil {
		return nil, err
	}
	if boundary != "" {
		msg.SetBoundary(boundary)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write message %s: %w", m.MessageID, err)
	}
	return buf.Bytes(), nil
}
