package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/signed"
)

// smtpConfig is the SMTP server of `plenary notifier`.
type smtpConfig struct {
	Host     string
	Port     int
	User     string
	Password string
	TLS      string // mandatory, opportunistic, implicit or none
}

func smtpFlags(fs *flag.FlagSet, c *smtpConfig) {
	port, _ := strconv.Atoi(env("SMTP_PORT", "587"))
	fs.StringVar(&c.Host, "smtp-host", env("SMTP_HOST", ""), "SMTP server host (PLENARY_SMTP_HOST)")
	fs.IntVar(&c.Port, "smtp-port", port, "SMTP server port (PLENARY_SMTP_PORT)")
	fs.StringVar(&c.User, "smtp-user", env("SMTP_USER", ""), "SMTP user; AUTH PLAIN when set (PLENARY_SMTP_USER)")
	fs.StringVar(&c.Password, "smtp-password", env("SMTP_PASSWORD", ""), "SMTP password (PLENARY_SMTP_PASSWORD)")
	fs.StringVar(&c.TLS, "smtp-tls", env("SMTP_TLS", "mandatory"), "mandatory (STARTTLS), opportunistic, implicit (port 465) or none (PLENARY_SMTP_TLS)")
}

func (c smtpConfig) sender() (*mail.SMTPSender, error) {
	policies := map[string]mail.TLSPolicy{"mandatory": mail.TLSMandatory, "opportunistic": mail.TLSOpportunistic,
		"implicit": mail.TLSImplicit, "none": mail.TLSNone}
	tls, ok := policies[strings.ToLower(c.TLS)]
	if !ok {
		return nil, fmt.Errorf("smtp tls %q: want mandatory, opportunistic, implicit or none", c.TLS)
	}
	cfg := mail.SMTPConfig{Host: c.Host, Port: c.Port, TLS: tls}
	if c.User != "" {
		cfg.Auth, cfg.Username, cfg.Password = mail.AuthPlain, c.User, c.Password
	}
	return mail.NewSMTPSender(cfg)
}

// readOnlyNotifier serves the notifier's tables over the API; it neither consumes nor sends.
// It needs the sender all the same: the calendar feeds name it as their organizer (RFC 5545
// wants one, and without it every feed failed).
func readOnlyNotifier(c config, d *db.DB, links signed.Links, log *slog.Logger) (*notifier.Notifier, error) {
	from, err := senderAddress(c)
	if err != nil {
		return nil, err
	}
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	return notifier.New(notifier.Config{DB: d, Renderer: r, Links: links, From: from, Log: log.With("component", "notifier")})
}

func senderAddress(c config) (mail.Address, error) {
	from, err := netmail.ParseAddress(c.MailFrom)
	if err != nil {
		return mail.Address{}, fmt.Errorf("mail from %q: %w", c.MailFrom, err)
	}
	return mail.Address{Name: from.Name, Email: from.Address}, nil
}

func newNotifier(c config, d *db.DB, links signed.Links, sender mail.Sender, log *slog.Logger, m *notifier.Metrics) (*notifier.Notifier, error) {
	from, err := netmail.ParseAddress(c.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", c.MailFrom, err)
	}
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	rules, err := notifier.ParseRules(c.ReminderRules)
	if err != nil {
		return nil, err
	}
	if len(rules) == 0 {
		rules = notifier.DefaultRules
	}
	domain := "plenary.invalid"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	return notifier.New(notifier.Config{
		DB: d, Sender: sender, Renderer: r, Links: links, Log: log.With("component", "notifier"),
		From: mail.Address{Name: from.Name, Email: from.Address}, MessageDomain: domain, Schedule: c.NotifierSchedule,
		Rules: rules, Stream: c.streamOptions(), Metrics: m,
	})
}

// notifierLoops are the notifier's two loops: the event consumer and the delivery ticker.
// Both stop when the context ends, the consumer after draining the event in hand.
func notifierLoops(n *notifier.Notifier, js jetstream.JetStream) []func(ctx context.Context) error {
	return []func(ctx context.Context) error{
		func(ctx context.Context) error {
			if err := n.Consume(ctx, js); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("notifier consumer: %w", err)
			}
			return nil
		},
		n.RunTicker,
	}
}

func runNotifier(ctx context.Context, c config) error {
	log := newLogger(c, os.Stderr)
	if c.SMTP.Host == "" {
		return errors.New("notifier needs --smtp-host or PLENARY_SMTP_HOST")
	}
	p, err := connect(ctx, c, "plenary-notifier", log)
	if err != nil {
		return err
	}
	defer p.close()
	d, nc, js, links := p.db, p.nc, p.js, p.links
	sender, err := c.SMTP.sender()
	if err != nil {
		return err
	}
	defer sender.Close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := notifier.NewMetrics(reg)
	if err != nil {
		return err
	}
	n, err := newNotifier(c, d, links, sender, log, m)
	if err != nil {
		return err
	}
	log.Info("notifier started", "schedule", c.NotifierSchedule)
	g, gctx := errgroup.WithContext(ctx)
	for _, f := range notifierLoops(n, js) {
		g.Go(func() error { return f(gctx) })
	}
	if c.MetricsAddr != "" {
		g.Go(func() error { return serveNotifierMetrics(gctx, c, reg, d, nc, log) })
	}
	return g.Wait()
}

// serveNotifierMetrics answers /metrics, /healthz and /readyz (database and NATS) for a
// notifier process on --metrics-addr until ctx ends.
func serveNotifierMetrics(ctx context.Context, c config, reg *prometheus.Registry, d *db.DB, nc *nats.Conn, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		checks := map[string]string{"database": "ok", "nats": "ok"}
		status := http.StatusOK
		if err := d.PingContext(rctx); err != nil {
			checks["database"], status = "unavailable", http.StatusServiceUnavailable
		}
		if !nc.IsConnected() {
			checks["nats"], status = "unavailable", http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"status": map[bool]string{true: "ready", false: "unready"}[status == http.StatusOK], "checks": checks})
	})
	mc := c
	mc.Addr = c.MetricsAddr
	return serveHTTP(ctx, mc, nil, mux, log, nil)
}
