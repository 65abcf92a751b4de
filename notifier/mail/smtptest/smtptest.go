// Package smtptest runs an in-process SMTP server (github.com/emersion/go-smtp) for tests
// of Plenary's mail delivery: it speaks the real protocol on 127.0.0.1, records every
// message it receives, and can be told to refuse the next deliveries with a 4xx or 5xx
// reply.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Delivery is one message the server received in full (after DATA), accepted or not.
type Delivery struct {
	From     string
	To       []string
	Data     []byte
	Accepted bool
	Code     int // the reply code: 250, or the one of the injected failure
	User     string
}

// Server is a running test SMTP server.
type Server struct {
	Addr string // host:port
	Host string
	Port int

	srv *smtp.Server

	mu         sync.Mutex
	deliveries []Delivery
	failures   []*smtp.SMTPError
	user, pass string
	sessions   int
	discard    bool
	discarded  int // deliveries counted, not kept (WithDiscard)
	onData     func(data []byte)
	idle       time.Duration
}

// Option configures a Server.
type Option func(*Server)

// WithAuth requires SMTP AUTH PLAIN with these credentials (over clear text, as the
// server listens on loopback only).
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass = user, pass }
}

// WithDiscard makes the server count deliveries without keeping them (Deliveries is
// empty, Count counts them), for benchmarks with many messages: the server runs in the
// benchmark's process, whose resident set they measure.
func WithDiscard() Option {
	return func(s *Server) { s.discard = true }
}

// WithOnData calls f with each message's content once its data has ended (the dot has
// arrived) and before the server replies to it: the instant the server takes the
// message. Calls may run concurrently, one per connection.
func WithOnData(f func(data []byte)) Option {
	return func(s *Server) { s.onData = f }
}

// WithIdleTimeout makes the server drop a connection idle for d (10 s by default), as
// real servers drop the idle connections of a client's pool.
func WithIdleTimeout(d time.Duration) Option {
	return func(s *Server) { s.idle = d }
}

// Start runs a server on 127.0.0.1 on a free port until the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{}
	for _, o := range opts {
		o(s)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smtptest: listen: %v", err)
	}
	addr := l.Addr().(*net.TCPAddr)
	s.Addr, s.Host, s.Port = addr.String(), "127.0.0.1", addr.Port
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "smtptest.local"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	if s.idle > 0 {
		s.srv.ReadTimeout = s.idle
	}
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 50
	s.srv.EnableSMTPUTF8 = true
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			tb.Errorf("smtptest: serve: %v", err)
		}
	}()
	tb.Cleanup(func() {
		s.srv.Close()
		<-done
	})
	return s
}

// FailNext makes the next n deliveries fail at the end of DATA with code (4xx or 5xx) and
// message; the server still records them, so a test can compare attempts.
func (s *Server) FailNext(n, code int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, &smtp.SMTPError{
			Code:         code,
			EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0},
			Message:      message,
		})
	}
}

// Deliveries returns every message received so far, accepted or refused, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Count is the number of messages received so far, accepted or refused, kept or not.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.deliveries) + s.discarded
}

// Messages returns the accepted messages, in order.
func (s *Server) Messages() []Delivery {
	var out []Delivery
	for _, d := range s.Deliveries() {
		if d.Accepted {
			out = append(out, d)
		}
	}
	return out
}

// Sessions is the number of SMTP connections the server has seen.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.sessions++
	b.s.mu.Unlock()
	return &session{s: b.s}, nil
}

type session struct {
	s      *Server
	authed string
	from   string
	to     []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.authed == "" {
		return errAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	if ss.s.onData != nil {
		ss.s.onData(buf.Bytes())
	}
	d := Delivery{From: ss.from, To: append([]string(nil), ss.to...), User: ss.authed, Code: 250, Accepted: true}
	if !ss.s.discard {
		d.Data = buf.Bytes()
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	var fail *smtp.SMTPError
	if len(ss.s.failures) > 0 {
		fail, ss.s.failures = ss.s.failures[0], ss.s.failures[1:]
		d.Accepted, d.Code = false, fail.Code
	}
	if ss.s.discard {
		ss.s.discarded++
	} else {
		ss.s.deliveries = append(ss.s.deliveries, d)
	}
	if fail != nil {
		return fail
	}
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error { return nil }
