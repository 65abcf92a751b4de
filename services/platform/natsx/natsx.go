// Package natsx connects Plenary to NATS JetStream: an in-process server for `plenary serve`
// (no TCP port, store in the data directory), a resilient client connection for the
// production processes, and the definition of the PLENARY stream every event travels on.
package natsx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
)

// Embedded is an in-process NATS server with JetStream and the one connection to it.
// It opens no TCP port: only this process can reach it.
type Embedded struct {
	srv    *server.Server
	nc     *nats.Conn
	js     jetstream.JetStream
	closed chan struct{}
}

// StartEmbedded starts a JetStream server inside the process with its store in storeDir
// and connects to it in-process. It waits for the server to be ready until ctx is done
// (or 30 seconds when ctx has no deadline).
func StartEmbedded(ctx context.Context, storeDir string, log *slog.Logger) (*Embedded, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := &server.Options{
		ServerName: "plenary-embedded",
		DontListen: true,
		JetStream:  true,
		StoreDir:   storeDir,
		NoSigs:     true, // the process owns signals and shuts the server down itself
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats server: %w", err)
	}
	srv.SetLoggerV2(serverLog{log.With("component", "nats-server")}, false, false, false)
	go srv.Start()

	wait := 30 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	if !srv.ReadyForConnections(wait) {
		srv.Shutdown()
		srv.WaitForShutdown()
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("embedded nats server not ready: %w", err)
		}
		return nil, errors.New("embedded nats server not ready")
	}

	e := &Embedded{srv: srv, closed: make(chan struct{})}
	nc, err := nats.Connect("", // the in-process provider replaces any URL
		nats.Name("plenary-embedded"),
		nats.InProcessServer(srv),
		nats.ClosedHandler(func(*nats.Conn) { close(e.closed) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			log.Error("nats async error", "subject", subjectOf(sub), "err", err)
		}),
	)
	if err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("connect to embedded nats server: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("jetstream context: %w", err)
	}
	e.nc, e.js = nc, js
	log.Info("embedded nats server started", "store_dir", storeDir, "version", server.VERSION)
	return e, nil
}

// Conn is the in-process client connection.
func (e *Embedded) Conn() *nats.Conn { return e.nc }

// JetStream is the JetStream context on Conn.
func (e *Embedded) JetStream() jetstream.JetStream { return e.js }

// Server is the embedded server, for callers that need its state (monitoring, tests).
func (e *Embedded) Server() *server.Server { return e.srv }

// Close drains the connection (pending acks and publishes are flushed, subscriptions
// finish their in-flight messages) and then shuts the server down.
func (e *Embedded) Close() error {
	var err error
	if derr := e.nc.Drain(); derr != nil && !errors.Is(derr, nats.ErrConnectionClosed) {
		err = fmt.Errorf("drain nats connection: %w", derr)
		e.nc.Close()
	}
	// Drain is asynchronous; the closed handler tells when it has finished. The drain
	// timeout of the connection (30 s by default) bounds the wait.
	<-e.closed
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	return err
}

// Connect dials the NATS cluster at url (a comma-separated list of servers is allowed) for
// a production process. It does not wait for a server: when NATS is down at start the
// connection keeps retrying in the background, so the API serves while NATS is out (the
// outbox holds its events). Once connected it reconnects forever with a capped exponential
// backoff, and disconnects and reconnects are logged. Extra options are applied last.
func Connect(ctx context.Context, url string, name string, log *slog.Logger, extra ...nats.Option) (*nats.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "nats", "conn", name)
	opts := []nats.Option{
		nats.Name(name),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(ReconnectDelay),
		// Notice a dead server within about a minute even when no traffic flows.
		nats.PingInterval(20 * time.Second),
		nats.MaxPingsOutstanding(3),
		nats.ConnectHandler(func(nc *nats.Conn) {
			log.Info("nats connected", "url", nc.ConnectedUrlRedacted())
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
				return
			}
			log.Info("nats disconnected")
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted(), "reconnects", nc.Stats().Reconnects)
		}),
		nats.ClosedHandler(func(*nats.Conn) { log.Info("nats connection closed") }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			log.Error("nats async error", "subject", subjectOf(sub), "err", err)
		}),
	}
	nc, err := nats.Connect(url, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", name, err)
	}
	return nc, nil
}

// ReconnectDelay is the wait before reconnect attempt n (counted per pass over the server
// list): 100 ms doubling to a cap of 5 s, so a short blip heals fast and a long outage
// costs one attempt every few seconds per process.
func ReconnectDelay(attempts int) time.Duration {
	const (
		first = 100 * time.Millisecond
		ceil  = 5 * time.Second
	)
	d := first
	for i := 1; i < attempts && d < ceil; i++ {
		d *= 2
	}
	return min(d, ceil)
}

func subjectOf(sub *nats.Subscription) string {
	if sub == nil {
		return ""
	}
	return sub.Subject
}

// serverLog routes the embedded server's log lines to slog.
type serverLog struct{ log *slog.Logger }

func (l serverLog) Noticef(format string, v ...any) { l.log.Info(fmt.Sprintf(format, v...)) }
func (l serverLog) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l serverLog) Fatalf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l serverLog) Errorf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l serverLog) Debugf(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l serverLog) Tracef(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }

// Stream limits. Every event is small (a few KiB of JSON); the stream is the notifier's
// source to rebuild its projection, so it keeps a year of history.
const (
	// DuplicateWindow is how long JetStream remembers a Nats-Msg-Id. The outbox relay
	// retries an unacknowledged publish within seconds (its backoff is capped well below
	// this), so a publish whose ack was lost is stored once. A retry after a longer gap
	// (a NATS outage of more than this window right after a lost ack) can store a second
	// copy; consumers dedupe by event id for that case.
	DuplicateWindow = 10 * time.Minute
	// MaxAge is how long events are kept.
	MaxAge = 365 * 24 * time.Hour
	// MaxMsgSize rejects a runaway payload instead of storing it.
	MaxMsgSize = 1 << 20
)

// StreamOption adjusts the stream configuration, e.g. Replicas(3) on a cluster.
type StreamOption func(*jetstream.StreamConfig)

// Replicas sets the number of stream replicas (1 on a single server, 3 on a cluster).
func Replicas(n int) StreamOption {
	return func(c *jetstream.StreamConfig) { c.Replicas = n }
}

// MaxBytes caps the stream's disk use; the oldest events are dropped first. JetStream
// reserves the cap against the server's store limit, so it is off unless a deployment sets it.
func MaxBytes(n int64) StreamOption {
	return func(c *jetstream.StreamConfig) { c.MaxBytes = n }
}

// StreamConfig is the configuration of the PLENARY stream.
func StreamConfig(opts ...StreamOption) jetstream.StreamConfig {
	cfg := jetstream.StreamConfig{
		Name:        contracts.Stream,
		Description: "Plenary events (transactional outbox)",
		Subjects:    []string{contracts.StreamSubjects},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      MaxAge,
		MaxBytes:    -1, // bounded by MaxAge; a byte cap is a deployment choice (MaxBytes)
		MaxMsgs:     -1,
		MaxMsgSize:  MaxMsgSize,
		Duplicates:  DuplicateWindow,
		Replicas:    1,
		// Events are history: nobody deletes or purges one by hand.
		DenyDelete: true,
		DenyPurge:  true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// EnsureStream creates the PLENARY stream, or updates an existing one to StreamConfig.
func EnsureStream(ctx context.Context, js jetstream.JetStream, opts ...StreamOption) (jetstream.Stream, error) {
	s, err := js.CreateOrUpdateStream(ctx, StreamConfig(opts...))
	if err != nil {
		return nil, fmt.Errorf("ensure stream %s: %w", contracts.Stream, err)
	}
	return s, nil
}
