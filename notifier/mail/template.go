package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net/url"
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
	base    Message
	holes   []string
	subject []piece
	size    int // about the length of a message, so that it is written without growing
	head    []segment
	text    []qpChunk
	mid     []segment // from the end of the text to the start of the HTML
	html    []qpChunk
	tail    []segment
}

// segment is literal wire bytes, or a field or boundary written per message.
type segment struct {
	kind segKind
	lit  []byte
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
)

// perMessage are the header fields a template writes for each message.
var perMessage = map[string]segKind{"Date": segDate, "Message-ID": segMessageID, "Subject": segSubject, "To": segTo, "List-Unsubscribe": segUnsubscribe}

// qpChunk is quoted-printable text: lines without holes encoded once, or one line with
// holes (pieces) encoded per message. Quoted-printable text encodes each line on its own
// (a hard line break resets the encoder), so the chunks' encodings end to end are the
// encoding of the whole.
type qpChunk struct {
	raw     string
	encoded []byte
	line    []piece
}

// piece is literal text followed by the value of hole (-1: none).
type piece struct {
	lit  string
	hole int
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
	got, err := t.bytes(self, boundary)
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
	t.head = headSegments(want[:end+2], boundary)
	body := want[end+2:]
	textAt, textEnd, ok := partBody(body, "text/plain", quoted(t.base.Text), boundary)
	if !ok {
		return ErrNoTemplate
	}
	htmlAt, htmlEnd, ok := partBody(body[textEnd:], "text/html", quoted(t.base.HTML), boundary)
	if !ok {
		return ErrNoTemplate
	}
	htmlAt, htmlEnd = htmlAt+textEnd, htmlEnd+textEnd
	pre := withBoundaries(body[:textAt], boundary)
	t.head = append(t.head, pre...)
	t.mid = withBoundaries(body[textEnd:htmlAt], boundary)
	t.tail = withBoundaries(body[htmlEnd:], boundary)
	t.text = qpChunks(t.base.Text, t.holes)
	t.html = qpChunks(t.base.HTML, t.holes)
	t.subject = pieces(t.base.Subject, t.holes)
	t.size = len(want) + 1024
	return nil
}

// headSegments cuts a header block into fields, those written per message apart.
func headSegments(head []byte, boundary string) []segment {
	var out []segment
	for len(head) > 0 {
		n := fieldLen(head)
		field := head[:n]
		head = head[n:]
		name, _, _ := bytes.Cut(field, []byte(":"))
		if kind, ok := perMessage[string(name)]; ok {
			out = append(out, segment{kind: kind})
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

// withBoundaries is b as literal segments with each boundary a segment of its own.
func withBoundaries(b []byte, boundary string) []segment {
	var out []segment
	for {
		before, after, found := bytes.Cut(b, []byte(boundary))
		if len(before) > 0 {
			out = append(out, segment{kind: segLiteral, lit: before})
		}
		if !found {
			return out
		}
		out = append(out, segment{kind: segBoundary})
		b = after
	}
}

// quoted is s quoted-printable encoded as go-mail encodes a part.
func quoted(s string) []byte {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

// qpChunks cuts s into runs of lines without holes, encoded now, and lines with holes.
func qpChunks(s string, holes []string) []qpChunk {
	var out []qpChunk
	plain := 0 // start of the run of lines without holes
	for at := 0; at < len(s); {
		end := strings.IndexByte(s[at:], '\n') + 1
		if end == 0 {
			end = len(s) - at
		}
		line := s[at : at+end]
		if ps := pieces(line, holes); len(ps) > 1 {
			if plain < at {
				out = append(out, qpChunk{raw: s[plain:at], encoded: quoted(s[plain:at])})
			}
			out = append(out, qpChunk{line: ps})
			plain = at + end
		}
		at += end
	}
	if plain < len(s) {
		out = append(out, qpChunk{raw: s[plain:], encoded: quoted(s[plain:])})
	}
	return out
}

// pieces cuts s at its holes; a single piece when it has none.
func pieces(s string, holes []string) []piece {
	var out []piece
	for {
		at, which := -1, -1
		for i, h := range holes {
			if j := strings.Index(s, h); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if at < 0 {
			return append(out, piece{lit: s, hole: -1})
		}
		out = append(out, piece{lit: s[:at], hole: which})
		s = s[at+len(holes[which]):]
	}
}

func fillPieces(ps []piece, values []string) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.lit)
		if p.hole >= 0 {
			b.WriteString(values[p.hole])
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
	m.Subject = fillPieces(t.subject, r.Text)
	m.Text = fillChunks(t.text, r.Text)
	m.HTML = fillChunks(t.html, r.HTML)
	wire, err := t.bytes(r, randomBoundary())
	if err != nil {
		return Message{}, err
	}
	m.wire = wire
	return m, nil
}

func fillChunks(cs []qpChunk, values []string) string {
	n := 0
	for _, c := range cs {
		n += len(c.raw)
		for _, p := range c.line {
			n += len(p.lit) + 64
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, c := range cs {
		if c.line != nil {
			b.WriteString(fillPieces(c.line, values))
		} else {
			b.WriteString(c.raw)
		}
	}
	return b.String()
}

// bytes writes the message of r with boundary.
func (t *Template) bytes(r Recipient, boundary string) ([]byte, error) {
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
	subject := subjectValue(fillPieces(t.subject, r.Text))
	out := make([]byte, 0, t.size)
	put := func(ss []segment) {
		for _, s := range ss {
			switch s.kind {
			case segLiteral:
				out = append(out, s.lit...)
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
			}
		}
	}
	put(t.head)
	out = appendQuoted(out, t.text, r.Text)
	put(t.mid)
	out = appendQuoted(out, t.html, r.HTML)
	put(t.tail)
	return out, nil
}

func appendQuoted(out []byte, cs []qpChunk, values []string) []byte {
	for _, c := range cs {
		if c.line == nil {
			out = append(out, c.encoded...)
			continue
		}
		w := appender{&out}
		q := quotedprintable.NewWriter(w)
		_, _ = q.Write([]byte(fillPieces(c.line, values)))
		_ = q.Close()
	}
	return out
}

// appender is an io.Writer that appends to a slice.
type appender struct{ b *[]byte }

func (a appender) Write(p []byte) (int, error) {
	*a.b = append(*a.b, p...)
	return len(p), nil
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
