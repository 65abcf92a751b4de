package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// TLSPolicy says how the connection to the SMTP server is protected.
type TLSPolicy int

// TLS policies. The zero value is TLSMandatory: nothing goes out in clear text unless
// the configuration says so.
const (
	TLSMandatory     TLSPolicy = iota // STARTTLS required
	TLSOpportunistic                  // STARTTLS when offered
	TLSImplicit                       // TLS from the first byte (port 465)
	TLSNone                           // clear text (local relays, tests)
)

// AuthMethod is an SMTP AUTH mechanism.
type AuthMethod string

// Supported mechanisms. PLAIN and LOGIN are refused over clear text except to localhost.
const (
	AuthNone  AuthMethod = ""
	AuthPlain AuthMethod = "plain"
	AuthLogin AuthMethod = "login"
)

// SMTPConfig configures an SMTPSender. main reads it from flags and PLENARY_* variables.
type SMTPConfig struct {
	Host      string
	Port      int // 587 when zero (465 for TLSImplicit)
	TLS       TLSPolicy
	TLSConfig *tls.Config // custom roots or server name; nil for the system's
	Auth      AuthMethod
	Username  string
	Password  string
	HELO      string // EHLO name; the host name when empty

	// Timeout bounds connecting and each command. 30 s when zero.
	Timeout time.Duration
	// Attempts is how many times a message is tried on temporary failures. 5 when zero.
	Attempts int
	// Backoff is the wait before the second attempt; it doubles up to MaxBackoff.
	// 2 s and 2 min when zero.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxIdle is how many open connections are kept for reuse. 4 when zero.
	MaxIdle int
	// Now is the clock for the Date header of messages without one.
	Now func() time.Time
}

// SMTPSender sends messages through an SMTP server with go-mail. It is safe for concurrent
// use: each Send takes a connection from a small pool (or dials one) and returns it after
// a clean delivery.
type SMTPSender struct {
	cfg    SMTPConfig
	client *gomail.Client
	idle   chan *smtp.Client
}

// NewSMTPSender checks cfg and prepares a sender; it does not connect.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: host is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 2 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 2 * time.Minute
	}
	if cfg.MaxIdle <= 0 {
		cfg.MaxIdle = 4
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout)}
	port := cfg.Port
	switch cfg.TLS {
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("smtp: unknown TLS policy %d", cfg.TLS)
	}
	if port == 0 {
		port = 587
	}
	opts = append(opts, gomail.WithPort(port))
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	switch cfg.Auth {
	case AuthNone:
	case AuthPlain:
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	case AuthLogin:
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthLogin),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	default:
		return nil, fmt.Errorf("smtp: unknown auth method %q", cfg.Auth)
	}
	if cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(cfg.HELO))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &SMTPSender{cfg: cfg, client: client, idle: make(chan *smtp.Client, cfg.MaxIdle)}, nil
}

// DeliveryError is the error of a message that could not be delivered.
type DeliveryError struct {
	MessageID string
	Attempts  int
	Code      int  // SMTP reply code, 0 when there was none (network error)
	Temporary bool // a later retry may succeed (4xx, connection errors)
	Err       error
}

func (e *DeliveryError) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	return fmt.Sprintf("deliver %s: %s failure after %d attempt(s): %v", e.MessageID, kind, e.Attempts, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// IsTemporary reports whether err is a delivery failure that a later attempt may overcome.
// Invalid messages and 5xx replies are not.
func IsTemporary(err error) bool {
	var de *DeliveryError
	return errors.As(err, &de) && de.Temporary
}

// Send delivers m, retrying temporary failures with exponential backoff. Every attempt
// carries the same Message-ID and Date. It returns a *DeliveryError, an error wrapping
// ErrInvalidMessage, or the context's error.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	return s.SendGated(ctx, m, nil)
}

// SendGated is Send with the hand-over of each attempt (the end-of-data dot and the
// server's reply) passed through g; on a nil error g is held (see GatedSender).
func (s *SMTPSender) SendGated(ctx context.Context, m Message, g *Gate) error {
	if m.Date.IsZero() {
		m.Date = s.cfg.Now()
	}
	env, err := envelopeOf(m)
	if err != nil {
		return err
	}
	wait := s.cfg.Backoff
	var last *DeliveryError
	for attempt := 1; attempt <= s.cfg.Attempts; attempt++ {
		if attempt > 1 {
			if err := sleep(ctx, jitter(wait)); err != nil {
				return fmt.Errorf("deliver %s: %w (last failure: %v)", m.MessageID, err, last)
			}
			wait = min(wait*2, s.cfg.MaxBackoff)
		}
		code, temporary, err := s.attempt(ctx, env, g)
		if err == nil {
			return nil
		}
		last = &DeliveryError{MessageID: m.MessageID, Attempts: attempt, Code: code, Temporary: temporary, Err: err}
		if !temporary {
			return last
		}
		if ctx.Err() != nil {
			return fmt.Errorf("deliver %s: %w (last failure: %v)", m.MessageID, ctx.Err(), last)
		}
	}
	return last
}

// envelope is a message as a transfer sends it: the reverse path, the recipients, and
// the data, dot-stuffed.
type envelope struct {
	from      string
	rcpts     []string
	data      []byte
	unencoded bool // the data is 8-bit: the server must offer 8BITMIME
}

// envelopeOf builds m once for all its attempts: from its wire form when a Template made
// it, else with go-mail. Every attempt carries the same bytes, Message-ID and Date.
func envelopeOf(m Message) (envelope, error) {
	if m.wire != nil {
		// The template checked both addresses when it made the wire form.
		return envelope{from: (&netmail.Address{Address: m.From.Email}).String(),
			rcpts: []string{(&netmail.Address{Address: m.To.Email}).String()}, data: dotStuffed(m.wire)}, nil
	}
	msg, err := m.Msg(m.Date)
	if err != nil {
		return envelope{}, err
	}
	from, err := msg.GetSender(false)
	if err != nil {
		return envelope{}, fmt.Errorf("%w: sender: %w", ErrInvalidMessage, err)
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return envelope{}, fmt.Errorf("%w: recipients: %w", ErrInvalidMessage, err)
	}
	var body bytes.Buffer
	if _, err := msg.WriteTo(&body); err != nil {
		return envelope{}, fmt.Errorf("write message %s: %w", m.MessageID, err)
	}
	return envelope{from: from, rcpts: rcpts, data: dotStuffed(body.Bytes()), unencoded: msg.Encoding() == gomail.NoEncoding.String()}, nil
}

// attempt makes one delivery on a pooled or fresh connection. On success g is held.
func (s *SMTPSender) attempt(ctx context.Context, env envelope, g *Gate) (code int, temporary bool, err error) {
	conn, pooled, err := s.conn(ctx)
	if err != nil {
		code, temporary := classify(err)
		return code, temporary, fmt.Errorf("connect to %s: %w", s.client.ServerAddr(), err)
	}
	stage, err := s.transfer(ctx, conn, env, g)
	if err != nil && pooled && stage == atMail {
		// An idle connection the server has dropped (or is closing, 421) meanwhile: not a
		// failure of this message, which has not reached the server, so it does not use
		// up an attempt.
		_ = conn.Close()
		if conn, err = s.client.DialToSMTPClientWithContext(ctx); err != nil {
			code, temporary := classify(err)
			return code, temporary, fmt.Errorf("connect to %s: %w", s.client.ServerAddr(), err)
		}
		stage, err = s.transfer(ctx, conn, env, g)
	}
	if err != nil {
		if stage >= inData || conn.Reset() != nil {
			// From DATA on the connection cannot carry another message; closed without
			// the dot, the server drops what it got of this one.
			_ = conn.Close()
		} else {
			s.putIdle(conn)
		}
		code, temporary := classify(err)
		return code, temporary, err
	}
	s.putIdle(conn)
	return 0, false, nil
}

// The stages of a transfer, for what a failure means.
const (
	atMail = iota // MAIL FROM: on a pooled connection, a dropped connection shows here
	atRcpt        // RCPT TO or DATA refused: the connection is still usable after RSET
	inData        // writing the body: the server has part of it, the connection is spent
	atEnd         // the dot is written: the server's reply decides
)

// transfer sends one message on conn: MAIL, RCPT, DATA and the body in parallel with
// other senders, then, inside g, the end-of-data dot and the server's reply. It needs
// no NOOP before (a dropped connection fails at MAIL) nor RSET after (a 250 to the dot
// ends the transaction, RFC 5321 4.1.1.4), two round trips a message that go-mail's
// Send spends. On success g is held.
func (s *SMTPSender) transfer(ctx context.Context, conn *smtp.Client, env envelope, g *Gate) (int, error) {
	if env.unencoded {
		if ok, _ := conn.Extension("8BITMIME"); !ok {
			return atMail, errNoUnencoded
		}
	}
	if err := conn.UpdateDeadline(s.cfg.Timeout); err != nil {
		return atMail, err
	}
	end, stage, err := begin(conn, env)
	if err != nil {
		return stage, err
	}
	// The message is dot-stuffed in one pass and written as one block beside the data
	// writer, which would take it byte by byte; untouched, the writer's Close sends
	// only the final dot.
	if _, err := conn.Text.W.Write(env.data); err != nil {
		return inData, err
	}
	// Everything but the dot is on the wire before the gate, so that the hand-over is
	// one short write and one reply.
	if err := conn.Text.W.Flush(); err != nil {
		return inData, err
	}
	if err := g.Enter(ctx); err != nil {
		return inData, err
	}
	// The wait for the gate may have been long: the dot and its reply get a full timeout.
	if err := conn.UpdateDeadline(s.cfg.Timeout); err != nil {
		g.Leave()
		return inData, err
	}
	if err := end(); err != nil {
		g.Leave()
		return atEnd, err
	}
	return atEnd, nil
}

// begin opens the transaction of env on conn, up to the server's go-ahead for the data,
// and returns what ends the data: the dot and the server's reply to it. A server that
// offers PIPELINING (RFC 2920) is sent MAIL, RCPT and DATA in one write, two round trips
// a message fewer than one command at a time.
func begin(conn *smtp.Client, env envelope) (func() error, int, error) {
	if ok, _ := conn.Extension("PIPELINING"); !ok {
		if err := conn.Mail(env.from); err != nil {
			return nil, atMail, err
		}
		for _, rcpt := range env.rcpts {
			if err := conn.Rcpt(rcpt); err != nil {
				return nil, atRcpt, err
			}
		}
		w, err := conn.Data()
		if err != nil {
			return nil, atRcpt, err
		}
		return w.Close, inData, nil
	}
	stage, err := pipelined(conn, env)
	if err != nil {
		return nil, stage, err
	}
	return func() error {
		// The data ends with CRLF (dotStuffed): the terminator is the dot's own line.
		if _, err := conn.Text.W.WriteString(".\r\n"); err != nil {
			return err
		}
		if err := conn.Text.W.Flush(); err != nil {
			return err
		}
		_, _, err := conn.Text.ReadResponse(250)
		return err
	}, inData, nil
}

// pipelined sends MAIL (with the parameters go-mail's Mail adds), each RCPT and DATA
// together, then reads every reply in order, even after a refusal, so that the
// connection stays in step; the first refusal is the error, at the stage it tells.
func pipelined(conn *smtp.Client, env envelope) (int, error) {
	cmd := "MAIL FROM:" + env.from
	if ok, _ := conn.Extension("8BITMIME"); ok {
		cmd += " BODY=8BITMIME"
	}
	if ok, _ := conn.Extension("SMTPUTF8"); ok {
		cmd += " SMTPUTF8"
	}
	cmds := []string{cmd}
	for _, rcpt := range env.rcpts {
		cmds = append(cmds, "RCPT TO:"+rcpt)
	}
	for _, c := range cmds {
		if strings.ContainsAny(c, "\r\n") {
			return atMail, errors.New("smtp: A line must not contain CR or LF")
		}
	}
	w := conn.Text.W
	for _, c := range append(cmds, "DATA") {
		_, _ = w.WriteString(c)
		_, _ = w.WriteString("\r\n")
	}
	if err := w.Flush(); err != nil {
		return atMail, err
	}
	_, _, mailErr := conn.Text.ReadResponse(250)
	var rcptErr error
	for range env.rcpts {
		if _, _, err := conn.Text.ReadResponse(25); err != nil && rcptErr == nil {
			rcptErr = err
		}
	}
	_, _, dataErr := conn.Text.ReadResponse(354)
	stage, err := atMail, mailErr
	if err == nil {
		stage, err = atRcpt, rcptErr
	}
	if err == nil && dataErr != nil {
		return atRcpt, dataErr
	}
	if err == nil {
		return inData, nil
	}
	if dataErr == nil {
		// The server waits for data after a refused command: the connection is spent,
		// and closed without the dot the server drops the transaction.
		return inData, err
	}
	return stage, err
}

// dotStuffed is b as DATA carries it (RFC 5321 4.5.2): every line ended by CRLF (a bare
// LF becomes CRLF), a line that starts with a dot given a second one, and a CRLF at the
// end, so that the terminator that follows is a line of its own.
func dotStuffed(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/64+8)
	for len(b) > 0 {
		if b[0] == '.' {
			out = append(out, '.')
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b...)
			b = nil
			break
		}
		line := b[:i]
		line = bytes.TrimSuffix(line, []byte{'\r'})
		out = append(out, line...)
		out = append(out, '\r', '\n')
		b = b[i+1:]
	}
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\r\n")) {
		out = append(out, '\r', '\n')
	}
	return out
}

// errNoUnencoded is a message in 8-bit encoding for a server without 8BITMIME: no retry
// helps.
var errNoUnencoded = errors.New("server does not support 8BITMIME for an unencoded message")

// putIdle keeps conn for reuse, or ends it when the pool is full.
func (s *SMTPSender) putIdle(conn *smtp.Client) {
	select {
	case s.idle <- conn:
	default:
		_ = conn.Quit()
	}
}

// conn takes an idle connection, or dials a new one; pooled says which.
func (s *SMTPSender) conn(ctx context.Context) (c *smtp.Client, pooled bool, err error) {
	for {
		select {
		case c := <-s.idle:
			if c.HasConnection() {
				return c, true, nil
			}
		default:
			c, err := s.client.DialToSMTPClientWithContext(ctx)
			return c, false, err
		}
	}
}

// Close ends the pooled connections.
func (s *SMTPSender) Close() error {
	var errs []error
	for {
		select {
		case c := <-s.idle:
			if err := c.Quit(); err != nil {
				errs = append(errs, err)
			}
		default:
			return errors.Join(errs...)
		}
	}
}

// classify tells temporary failures (4xx replies, network errors) from permanent ones
// (5xx replies). go-mail reports a reply code when the server gave one; errors without
// a code come from the connection and are worth another try.
func classify(err error) (code int, temporary bool) {
	if errors.Is(err, errNoUnencoded) {
		return 0, false
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return 0, false
		}
		code = se.ErrorCode()
	}
	var te *textproto.Error
	if code == 0 && errors.As(err, &te) {
		code = te.Code
	}
	switch {
	case code >= 500:
		return code, false
	case code >= 400:
		return code, true
	}
	// No reply code: a network error, or a connection that could not be set up as
	// configured (no STARTTLS, certificate, AUTH mechanism). Both are treated as
	// temporary: they are fixed outside the message, which stays deliverable.
	return 0, true
}

func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
