package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// A Template is the wire form of a message, as Bytes writes it, made once and cut where
// the values of one recipient go: the To, Message-ID, Date and List-Unsubscribe fields,
// the multipart boundary, and holes in the Subject, the text and the HTML. Thousands of
// reminders of one session for readers of one language and zone differ only there, and
// building and quoted-printable encoding the MIME message with go-mail was most of the
// CPU of a transfer. A message made from a template is byte for byte the message Bytes
// writes for the same fields and boundary (TestTemplateMatchesBuilder); NewTemplate
// checks that on its own message before it returns.
//
// Only a multipart/alternative message (text and HTML, no calendar) has a template: the
// shape of a reminder.
type Template struct {
	base  Message
	holes []string
	// subject, text and html are the fields cut at their holes, for the fields of a
	// message (Message).
	subject, text, html []Piece
	size                int // about the length of a message, so that it is written without growing
	// The wire form: block holds every literal byte, segs say what comes in order.
	// Thousands of templates stay in the reminder cache: flat, and without the parts'
	// bodies (encoded per message, see appendQuotedPrintable), one takes about a kilobyte.
	block []byte
	segs  []segment
}

// segment is literal bytes (block[off:off+n]), or a field, a part's body or the
// boundary, written per message.
type segment struct {
	kind   segKind
	off, n uint32
}

type segKind uint8

const (
	segLiteral segKind = iota
	segBoundary
	segDate
	segMessageID
	segSubject
	segTo
	segUnsubscribe
	segText // the text part's body, quoted-printable
	segHTML // the HTML part's body
)

// part is a piece of the wire form while a template is cut.
type part struct {
	kind segKind
	lit  []byte
}

// perMessage are the header fields a template writes for each message.
var perMessage = map[string]segKind{"Date": segDate, "Message-ID": segMessageID, "Subject": segSubject, "To": segTo, "List-Unsubscribe": segUnsubscribe}

// Piece is literal text followed by the value of hole Hole (-1: none): a text cut at
// its placeholders once, filled in per recipient by appends.
type Piece struct {
	Lit  string
	Hole int
}

// ErrNoTemplate is a message that has no template (a calendar, no HTML part, a carriage
// return in a part): it is built whole for each recipient.
var ErrNoTemplate = errors.New("message has no template")

// Recipient is what differs between the messages of one template: the address, the
// notification's Message-ID and Date, the unsubscribe link (set exactly when the
// template's message had one), and the values of the holes: Text in the Subject and
// text part, HTML (already escaped) in the HTML part.
type Recipient struct {
	To          Address
	MessageID   string
	Date        time.Time
	Unsubscribe string
	Text, HTML  []string
}

// NewTemplate makes the template of m, whose Subject, Text and HTML hold the strings
// holes where each recipient's values go. m's own To, MessageID, Date and Unsubscribe
// only need to be valid.
func NewTemplate(m Message, holes []string) (*Template, error) {
	if m.Calendar != nil || m.HTML == "" || strings.Contains(m.Text, "\r") || strings.Contains(m.HTML, "\r") {
		return nil, ErrNoTemplate
	}
	if m.Date.IsZero() {
		return nil, invalid("template %s has no date", m.MessageID)
	}
	boundary := randomBoundary()
	want, err := m.build(m.Date, boundary)
	if err != nil {
		return nil, err
	}
	t := &Template{base: m, holes: holes}
	if err := t.cut(want, boundary); err != nil {
		return nil, err
	}
	self := Recipient{To: m.To, MessageID: m.MessageID, Date: m.Date, Unsubscribe: m.Unsubscribe, Text: holes, HTML: holes}
	got, err := t.bytes(self, m.Subject, m.Text, m.HTML, boundary)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(got, want) {
		return nil, ErrNoTemplate
	}
	return t, nil
}

// cut splits want, the wire form of t.base with boundary, into segments.
func (t *Template) cut(want []byte, boundary string) error {
	end := bytes.Index(want, []byte("\r\n\r\n"))
	if end < 0 {
		return ErrNoTemplate
	}
	body := want[end+2:]
	textAt, textEnd, ok := partBody(body, "text/plain", appendQuotedPrintable(nil, t.base.Text), boundary)
	if !ok {
		return ErrNoTemplate
	}
	htmlAt, htmlEnd, ok := partBody(body[textEnd:], "text/html", appendQuotedPrintable(nil, t.base.HTML), boundary)
	if !ok {
		return ErrNoTemplate
	}
	htmlAt, htmlEnd = htmlAt+textEnd, htmlEnd+textEnd
	parts := headParts(want[:end+2], boundary)
	parts = append(parts, withBoundaries(body[:textAt], boundary)...)
	parts = append(parts, part{kind: segText})
	parts = append(parts, withBoundaries(body[textEnd:htmlAt], boundary)...)
	parts = append(parts, part{kind: segHTML})
	parts = append(parts, withBoundaries(body[htmlEnd:], boundary)...)
	t.flatten(parts)
	t.subject = Cut(t.base.Subject, t.holes)
	t.text = Cut(t.base.Text, t.holes)
	t.html = Cut(t.base.HTML, t.holes)
	t.size = len(want) + 1024
	return nil
}

// flatten lays parts out in t.block and t.segs, adjacent literals joined.
func (t *Template) flatten(parts []part) {
	n := 0
	for _, p := range parts {
		n += len(p.lit)
	}
	t.block = make([]byte, 0, n)
	for _, p := range parts {
		switch {
		case p.kind == segLiteral && len(t.segs) > 0 && t.segs[len(t.segs)-1].kind == segLiteral:
			t.segs[len(t.segs)-1].n += uint32(len(p.lit))
		case p.kind == segLiteral:
			t.segs = append(t.segs, segment{kind: segLiteral, off: uint32(len(t.block)), n: uint32(len(p.lit))})
		default:
			t.segs = append(t.segs, segment{kind: p.kind})
		}
		t.block = append(t.block, p.lit...)
	}
	t.segs = slices.Clip(t.segs)
}

// headParts cuts a header block into fields, those written per message apart.
func headParts(head []byte, boundary string) []part {
	var out []part
	for len(head) > 0 {
		n := fieldLen(head)
		field := head[:n]
		head = head[n:]
		name, _, _ := bytes.Cut(field, []byte(":"))
		if kind, ok := perMessage[string(name)]; ok {
			out = append(out, part{kind: kind})
			continue
		}
		out = append(out, withBoundaries(field, boundary)...)
	}
	return out
}

// fieldLen is the length of the first header field of b with its continuation lines.
func fieldLen(b []byte) int {
	n := 0
	for {
		i := bytes.Index(b[n:], []byte("\r\n"))
		if i < 0 {
			return len(b)
		}
		n += i + 2
		if n >= len(b) || (b[n] != ' ' && b[n] != '\t') {
			return n
		}
	}
}

// partBody finds the body of the part of content type ct in b: right after the part's
// header, exactly body, followed by the next boundary.
func partBody(b []byte, ct string, body []byte, boundary string) (int, int, bool) {
	header := []byte("Content-Type: " + ct + "; charset=UTF-8\r\n\r\n")
	i := bytes.Index(b, header)
	if i < 0 {
		return 0, 0, false
	}
	at := i + len(header)
	if !bytes.HasPrefix(b[at:], body) || !bytes.HasPrefix(b[at+len(body):], []byte("\r\n--"+boundary)) {
		return 0, 0, false
	}
	return at, at + len(body), true
}

// withBoundaries is b as literal parts with each boundary a part of its own.
func withBoundaries(b []byte, boundary string) []part {
	var out []part
	for {
		before, after, found := bytes.Cut(b, []byte(boundary))
		if len(before) > 0 {
			out = append(out, part{kind: segLiteral, lit: before})
		}
		if !found {
			return out
		}
		out = append(out, part{kind: segBoundary})
		b = after
	}
}

// Cut cuts s at its holes (placeholder strings); a single piece when it has none.
func Cut(s string, holes []string) []Piece {
	var out []Piece
	for {
		at, which := -1, -1
		for i, h := range holes {
			if j := strings.Index(s, h); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if at < 0 {
			return append(out, Piece{Lit: s, Hole: -1})
		}
		out = append(out, Piece{Lit: s[:at], Hole: which})
		s = s[at+len(holes[which]):]
	}
}

// Fill is ps with each hole's value from values, written into one string of its size.
func Fill(ps []Piece, values []string) string {
	size := 0
	for _, p := range ps {
		size += len(p.Lit)
		if p.Hole >= 0 {
			size += len(values[p.Hole])
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range ps {
		b.WriteString(p.Lit)
		if p.Hole >= 0 {
			b.WriteString(values[p.Hole])
		}
	}
	return b.String()
}

// Message is the template's message for r: its fields filled in as a reader sees them
// (Subject, Text, HTML), and its wire form made from the template, which senders send
// as it is (see Bytes).
func (t *Template) Message(r Recipient) (Message, error) {
	if len(r.Text) != len(t.holes) || len(r.HTML) != len(t.holes) {
		return Message{}, invalid("template of %d holes given %d and %d values", len(t.holes), len(r.Text), len(r.HTML))
	}
	m := t.base
	m.To, m.MessageID, m.Date, m.Unsubscribe = r.To, r.MessageID, r.Date, r.Unsubscribe
	m.Subject = Fill(t.subject, r.Text)
	m.Text = Fill(t.text, r.Text)
	m.HTML = Fill(t.html, r.HTML)
	wire, err := t.bytes(r, m.Subject, m.Text, m.HTML, randomBoundary())
	if err != nil {
		return Message{}, err
	}
	m.wire = wire
	return m, nil
}

// bytes writes the message of r, whose Subject, text and HTML are filled in, with
// boundary.
func (t *Template) bytes(r Recipient, subject, text, html, boundary string) ([]byte, error) {
	to, err := address("to", r.To)
	if err != nil {
		return nil, err
	}
	if !messageIDPattern.MatchString(r.MessageID) {
		return nil, invalid("message id %q", r.MessageID)
	}
	if r.Date.IsZero() {
		return nil, invalid("message %s has no date", r.MessageID)
	}
	if (r.Unsubscribe == "") != (t.base.Unsubscribe == "") {
		return nil, invalid("message %s: unsubscribe link %q where the template has %q", r.MessageID, r.Unsubscribe, t.base.Unsubscribe)
	}
	unsubscribe := ""
	if r.Unsubscribe != "" {
		if unsubscribe, err = unsubscribeURL(r.Unsubscribe); err != nil {
			return nil, err
		}
	}
	subject = subjectValue(subject)
	out := make([]byte, 0, t.size)
	for _, s := range t.segs {
		switch s.kind {
		case segLiteral:
			out = append(out, t.block[s.off:s.off+s.n]...)
		case segBoundary:
			out = append(out, boundary...)
		case segDate:
			out = appendField(out, "Date", mime.QEncoding.Encode("UTF-8", r.Date.Format(time.RFC1123Z)))
		case segMessageID:
			out = appendField(out, "Message-ID", mime.QEncoding.Encode("UTF-8", "<"+strings.Trim(r.MessageID, "<>")+">"))
		case segSubject:
			out = appendField(out, "Subject", mime.QEncoding.Encode("UTF-8", subject))
		case segTo:
			out = appendField(out, "To", to.String())
		case segUnsubscribe:
			out = append(out, "List-Unsubscribe: <"+unsubscribe+">\r\n"...)
		case segText:
			out = appendQuotedPrintable(out, text)
		case segHTML:
			out = appendQuotedPrintable(out, html)
		}
	}
	return out, nil
}

// appendField writes a header field as go-mail does (msgWriter.writeHeader): the value's
// space-separated words folded before any word that would pass 76 characters.
func appendField(out []byte, name, value string) []byte {
	const maxLen = 76
	start := len(out)
	left := maxLen - 2 - len(name) - 2
	out = append(out, name...)
	out = append(out, ": "...)
	words := strings.Split(value, " ")
	for i, w := range words {
		if left-len(w) <= 1 {
			out = append(out, "\r\n "...)
			left = maxLen - 3
		}
		out = append(out, w...)
		if i < len(words)-1 {
			out = append(out, ' ')
			left--
		}
		left -= len(w)
	}
	// go-mail drops the space before each fold.
	field := bytes.ReplaceAll(out[start:], []byte(" \r\n"), []byte("\r\n"))
	out = append(out[:start], field...)
	return append(out, "\r\n"...)
}

// randomBoundary is a multipart boundary as go-mail makes one: 30 random bytes in hex.
func randomBoundary() string {
	var b [30]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// unsubscribeURL checks a List-Unsubscribe link and returns it as the header carries it.
func unsubscribeURL(s string) (string, error) {
	if !strings.HasPrefix(s, "https://") || strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsAny(s, "<>") {
		return "", invalid("unsubscribe URL %q", s)
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", invalid("unsubscribe URL %q", s)
	}
	return u.String(), nil
}
