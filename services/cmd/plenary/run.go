package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/devmail"
	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/demo"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// listen opens the HTTP listener before anything is wired, so that links can name the
// address actually bound: without --public-url every printed and emailed link follows
// --addr (a port 0 included), with a wildcard host read as loopback.
func listen(c *config) (net.Listener, error) {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	if c.PublicURL == "" {
		c.PublicURL = baseURLOf(ln.Addr().String())
	}
	return ln, nil
}

// baseURLOf is the http:// URL of a listen address, a wildcard host read as loopback.
func baseURLOf(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// app is the wired API process: database, event relay and HTTP handler.
type app struct {
	log     *slog.Logger
	db      *db.DB
	relay   *outbox.Relay
	agenda  *agenda.Service
	interp  *interpretation.Service
	handler http.Handler
	reg     *prometheus.Registry
	// listener is where the HTTP server serves (opened by listen).
	listener net.Listener
	// background runs beside the relay and the HTTP server until the context ends (the
	// in-process notifier of serve).
	background []func(ctx context.Context) error
}

// linker builds the signer of email links from configuration: PLENARY_LINK_KEYS, or a
// random key per process (links then stop working at restart; fine for development).
func linker(c config, log *slog.Logger) (signed.Links, error) {
	var keys *signed.Keys
	if c.LinkKeys != "" {
		k, err := signed.ParseKeys(c.LinkKeys)
		if err != nil {
			return signed.Links{}, fmt.Errorf("link keys: %w", err)
		}
		keys = k
	} else {
		keys, _ = signed.NewRandomKeys()
		log.Warn("no PLENARY_LINK_KEYS: email links are signed with a random key and stop working at restart")
	}
	base := c.PublicURL
	if base == "" {
		// A process that does not listen (the notifier) links to the API's --addr.
		base = baseURLOf(c.Addr)
	}
	return signed.Links{Keys: keys, BaseURL: base}, nil
}

// mailPageFile is where `plenary serve` keeps the signed link of its mail page.
const mailPageFile = "mail-url"

// mailPageLink signs a link to /dev/mail, valid for a year, so that a browser can open the
// page; it is printed and kept in <data-dir>/mail-url (0600).
func mailPageLink(c config, links signed.Links, stdout io.Writer) error {
	u := signed.Links{Keys: links.Keys, BaseURL: c.PublicURL, TTL: 365 * 24 * time.Hour}.DevMail(time.Now())
	path := filepath.Join(c.DataDir, mailPageFile)
	if err := os.WriteFile(path, []byte(u+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "Mail page (kept in %s):\n%s\n", path, u)
	return nil
}

// dataDirLinkKeys keeps the all-in-one's link key in <data-dir>/link-keys (0600), made
// on first start, so the links in mail written before a restart still work after it.
func dataDirLinkKeys(dir string) (string, error) {
	path := filepath.Join(dir, "link-keys")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read link keys: %w", err)
	}
	_, spec := signed.NewRandomKeys()
	if err := os.WriteFile(path, []byte(spec+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write link keys: %w", err)
	}
	return spec, nil
}

func newApp(c config, d *db.DB, js jetstream.JetStream, log *slog.Logger, links signed.Links, ready []api.Check, stream []natsx.StreamOption, opts ...func(*api.Deps)) (*app, error) {
	sec := c.security()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	relay := outbox.NewRelay(d, js, log,
		outbox.WithSetup(func(ctx context.Context) error {
			_, err := natsx.EnsureStream(ctx, js, stream...)
			return err
		}))
	if err := relay.RegisterMetrics(reg); err != nil {
		return nil, fmt.Errorf("register relay metrics: %w", err)
	}
	ag := agenda.NewService(d, agenda.WithCommitHook(relay.Notify))
	regs := registration.NewService(d, registration.AgendaMeetings{Agenda: ag}, links, registration.WithCommitHook(relay.Notify))
	ip := interpretation.NewService(d, ag, interpretation.WithCommitHook(relay.Notify), interpretation.WithLogger(log.With("component", "interpretation")),
		interpretation.WithRecheckHold(c.RecheckHold))
	ready = append([]api.Check{{Name: "database", Fn: d.PingContext}}, ready...)
	// The API reads the notifier's tables for the deliveries listing and the calendar
	// feeds; the notifier that consumes and sends runs elsewhere (or beside it in serve).
	feeds, err := readOnlyNotifier(c, d, links, log)
	if err != nil {
		return nil, err
	}
	from, err := senderAddress(c)
	if err != nil {
		return nil, err
	}
	deps := api.Deps{Log: log, DB: d, Registry: reg, Agenda: ag, Registrations: regs, Notifier: feeds, Interpretation: ip, Ready: ready,
		Links: links, Organizer: ics.Person{Name: from.Name, Email: from.Email},
		LinkKeys: links.Keys, Limits: sec.Limits, CORSOrigins: sec.CORSOrigins, TrustedProxies: sec.TrustedProxies,
		RequestBudget: sec.RequestBudget}
	for _, o := range opts {
		o(&deps)
	}
	h := api.NewServer(deps)
	a := &app{log: log, db: d, relay: relay, agenda: ag, interp: ip, handler: h, reg: reg}
	// The public agenda is served from the meeting heads this process keeps; another
	// replica's write retires them when its event goes by (every replica hears it).
	a.background = append(a.background, func(ctx context.Context) error {
		if err := ag.ForgetHeadsOnEvents(ctx, js.Conn()); err != nil {
			log.Warn("agenda heads will follow other replicas' writes within their freshness only", "error", err.Error())
		}
		return nil
	})
	// Interpretation re-checks staffing after session changes from their events (a durable
	// consumer), so a crash between a session's commit and its re-check loses nothing.
	a.background = append(a.background, func(ctx context.Context) error {
		if err := ip.ConsumeSessionEvents(ctx, js, stream...); err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("interpretation re-check consumer: %w", err)
		}
		return nil
	})
	return a, nil
}

// serveHTTP runs the HTTP server until ctx ends, then drains for up to grace.
// ln is the listener opened by listen, or nil to listen on c.Addr here.
func serveHTTP(ctx context.Context, c config, ln net.Listener, h http.Handler, log *slog.Logger, ready chan<- string) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", c.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", c.Addr, err)
		}
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("listening", "addr", ln.Addr().String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests", "grace", c.ShutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("drain http server: %w", err)
	}
	return nil
}

func runServe(ctx context.Context, c config, stdout io.Writer) error {
	return serve(ctx, c, stdout, nil)
}

// serve is runServe with a channel told the listen address (for tests).
func serve(ctx context.Context, c config, stdout io.Writer, ready chan<- string) error {
	log := newLogger(c, os.Stderr)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	ln, err := listen(&c)
	if err != nil {
		return err
	}
	defer ln.Close()
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(c.DataDir, "plenary.db"))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.Migrate(ctx, d, log); err != nil {
		return err
	}
	emb, err := natsx.StartEmbedded(ctx, filepath.Join(c.DataDir, "nats"), log.With("component", "nats"))
	if err != nil {
		return err
	}
	defer emb.Close()
	if c.LinkKeys == "" {
		if c.LinkKeys, err = dataDirLinkKeys(c.DataDir); err != nil {
			return err
		}
	}
	links, err := linker(c, log)
	if err != nil {
		return err
	}
	mailDir := filepath.Join(c.DataDir, "mail")
	// The embedded NATS lives and dies with this process: when it is down nothing brings
	// it back but a restart, so it makes serve unready (unlike an external cluster).
	embeddedCheck := api.Check{Name: "embedded_nats", Fn: func(context.Context) error {
		if !emb.Server().Running() || !emb.Server().JetStreamEnabled() || !emb.Conn().IsConnected() {
			return errors.New("embedded NATS JetStream is not running")
		}
		return nil
	}}
	a, err := newApp(c, d, emb.JetStream(), log, links, []api.Check{embeddedCheck}, nil, func(deps *api.Deps) {
		deps.Mount = append(deps.Mount, func(r *gin.Engine, _ *gin.RouterGroup) { devmail.Mount(r, mailDir) })
	})
	if err != nil {
		return err
	}
	a.listener = ln
	// The notifier runs in the process on the embedded NATS; its mail goes to the folder
	// that /dev/mail shows.
	nm, err := notifier.NewMetrics(a.reg)
	if err != nil {
		return err
	}
	nt, err := newNotifier(c, d, links, mail.FolderSender{Dir: mailDir}, log, nm)
	if err != nil {
		return err
	}
	a.background = append(a.background, notifierLoops(nt, emb.JetStream())...)
	if err := firstAdminToken(ctx, d, c.DataDir, stdout); err != nil {
		return err
	}
	if err := mailPageLink(c, links, stdout); err != nil {
		return err
	}
	if c.Demo {
		if err := seedDemo(ctx, a, log); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Plenary is running at %s (data in %s)\n", c.PublicURL, c.DataDir)
	return runProcesses(ctx, c, a, ready)
}

func seedDemo(ctx context.Context, a *app, log *slog.Logger) error {
	ms, err := a.agenda.Meetings(ctx, "", 1)
	if err != nil {
		return err
	}
	if len(ms) > 0 {
		return nil
	}
	s, err := demo.Seed(ctx, a.agenda, time.Now())
	if err != nil {
		return err
	}
	pool, err := demo.SeedInterpreters(ctx, a.interp)
	if err != nil {
		return err
	}
	log.Info("seeded demo data", "meeting", s.MeetingID, "webinar", s.WebinarID, "interpreters", len(pool))
	return nil
}

// runProcesses runs the relay and the HTTP server until ctx ends or one fails.
func runProcesses(ctx context.Context, c config, a *app, ready chan<- string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := a.relay.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("outbox relay: %w", err)
		}
		return nil
	})
	for _, f := range a.background {
		g.Go(func() error { return f(gctx) })
	}
	g.Go(func() error { purgeIdempotencyKeys(gctx, a.db, a.log, 10*time.Minute); return nil })
	g.Go(func() error { expireOffers(gctx, a.interp, a.log, time.Minute); return nil })
	g.Go(func() error { return serveHTTP(gctx, c, a.listener, a.handler, a.log, ready) })
	return g.Wait()
}

// purgeIdempotencyKeys deletes expired idempotency keys at start and then every interval,
// until ctx ends. A failed sweep is logged and tried again at the next tick.
func purgeIdempotencyKeys(ctx context.Context, d *db.DB, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := httpx.PurgeIdempotencyKeys(ctx, d, time.Now().Add(-httpx.IdempotencyRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("purge idempotency keys", "error", err.Error())
		case n > 0:
			log.Info("purged idempotency keys", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireOffers expires the interpreters' offers whose answer deadline has passed (and
// escalates their seats), and tells secretariats of seats still open when their notice
// time has come, at start and then every interval, until ctx ends. Replicas may
// all run it: an offer expires once, the others find it no longer offered.
func expireOffers(ctx context.Context, ip *interpretation.Service, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := ip.ExpireOffers(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("expire offers", "error", err.Error())
		case n > 0:
			log.Info("expired unanswered offers", "expired", n)
		}
		// The same minute tells secretariats of seats still open before their meetings.
		n, err = ip.NoticeOpenSeats(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("notice open seats", "error", err.Error())
		case n > 0:
			log.Info("told secretariats of open seats", "meetings", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// process is what a production process (plenary api, plenary notifier) runs on: the
// database, migrated, NATS JetStream under the process's connection name, and the keys
// of the signed links.
type process struct {
	db    *db.DB
	nc    *nats.Conn
	js    jetstream.JetStream
	links signed.Links
}

// connect opens what a production process runs on; close releases it.
func connect(ctx context.Context, c config, name string, log *slog.Logger) (*process, error) {
	p := &process{}
	if err := p.open(ctx, c, name, log); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *process) open(ctx context.Context, c config, name string, log *slog.Logger) (err error) {
	if p.db, err = db.Open(ctx, c.DatabaseURL); err != nil {
		return err
	}
	if err = db.Migrate(ctx, p.db, log); err != nil {
		return err
	}
	if p.nc, err = natsx.Connect(ctx, c.NATSURL, name, log.With("component", "nats")); err != nil {
		return err
	}
	if p.js, err = jetstream.New(p.nc); err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	p.links, err = linker(c, log)
	return err
}

func (p *process) close() {
	if p.nc != nil {
		p.nc.Close()
	}
	if p.db != nil {
		p.db.Close()
	}
}

func runAPI(ctx context.Context, c config) error { return apiProcess(ctx, c, nil) }

// apiProcess is runAPI with a channel told the listen address (for tests).
func apiProcess(ctx context.Context, c config, ready chan<- string) error {
	log := newLogger(c, os.Stderr)
	ln, err := listen(&c)
	if err != nil {
		return err
	}
	defer ln.Close()
	p, err := connect(ctx, c, "plenary-api", log)
	if err != nil {
		return err
	}
	defer p.close()
	d, nc, js, links := p.db, p.nc, p.js, p.links
	a, err := newApp(c, d, js, log, links, []api.Check{{Name: "nats", Fn: func(context.Context) error {
		if !nc.IsConnected() {
			return errors.New("not connected")
		}
		return nil
	}, Degraded: true}}, c.streamOptions())
	if err != nil {
		return err
	}
	a.listener = ln
	return runProcesses(ctx, c, a, ready)
}

func runMigrate(ctx context.Context, c config) error {
	log := newLogger(c, os.Stderr)
	d, err := db.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	return db.Migrate(ctx, d, log)
}

func runVersion(w io.Writer) error {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(w, "plenary %s\ntzdata %s\n", v, zone.TZDataVersion())
	return nil
}
