// Command plenary is Plenary's one binary.
//
//	plenary serve     all-in-one: API + event relay, SQLite and an embedded NATS in a data directory, demo data
//	plenary api       the production API: PostgreSQL and an external NATS JetStream
//	plenary notifier  the production notifier: PostgreSQL, an external NATS JetStream, SMTP
//	plenary migrate   bring a database's schema up to date
//	plenary version   print the version and the tz database in use
//	plenary token     create, list or revoke secretariat API tokens
//
// main only reads configuration (flags and PLENARY_* variables) and wires; run returns an
// error so every exit path is one place.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/plenary/plenary/services/platform/natsx"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "plenary:", err)
		os.Exit(1)
	}
}

const usage = `usage: plenary <command> [flags]

commands:
  serve     all-in-one service with demo data: API, event relay, embedded NATS, SQLite
  api       production API process: PostgreSQL and an external NATS JetStream
  notifier  production notifier process: PostgreSQL, NATS JetStream, SMTP
  migrate   bring a database's schema up to date
  version   print the version and the tz database in use
  token     create, list or revoke secretariat API tokens

Run 'plenary <command> -h' for the flags of a command. Every flag can also be set
with a PLENARY_* environment variable (shown in the flag help).
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		cfg, err := parseConfig(cmd, rest, stderr)
		if err != nil {
			return err
		}
		return runServe(ctx, cfg, stdout)
	case "api":
		cfg, err := parseConfig(cmd, rest, stderr)
		if err != nil {
			return err
		}
		return runAPI(ctx, cfg)
	case "notifier":
		cfg, err := parseConfig(cmd, rest, stderr)
		if err != nil {
			return err
		}
		return runNotifier(ctx, cfg)
	case "migrate":
		cfg, err := parseConfig(cmd, rest, stderr)
		if err != nil {
			return err
		}
		return runMigrate(ctx, cfg)
	case "version":
		return runVersion(stdout)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// config is every setting, read from flags with PLENARY_* environment defaults.
type config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	NATSURL       string
	LogLevel      string
	LogFormat     string
	ShutdownGrace time.Duration
	Demo          bool
	ReadTimeout   time.Duration
	WriteTimeout  time.Duration
	// LinkKeys signs the links of emails ("id:hex,..."); random per process when empty.
	LinkKeys string
	// PublicURL is the base of every link in an email.
	PublicURL string
	// Notifier: the sender address, the ticker's schedule and the SMTP server.
	MailFrom         string
	NotifierSchedule string
	ReminderRules    string
	SMTP             smtpConfig
	// CORSOrigins may call the API from a browser (comma-separated); none when empty.
	CORSOrigins string
	// TrustedProxies (comma-separated addresses or CIDRs) may name the client in
	// X-Forwarded-For; none when empty.
	TrustedProxies string
	// RateToken and RatePublic are requests a second per API token and per anonymous
	// client address (0: defaults, negative: off).
	RateToken  float64
	RatePublic float64
	// StreamReplicas is the replica count of the PLENARY stream on a NATS cluster; the
	// API and the notifier must agree, as either may create or update the stream.
	StreamReplicas int
	// RecheckHold delays each staffing re-check round of `plenary api` (fault injection
	// only: the fault suite kills the process inside it); zero in production.
	RecheckHold time.Duration
	// MetricsAddr is where a notifier process answers /metrics, /healthz and /readyz;
	// off when empty.
	MetricsAddr string
}

// maxStreamReplicas is the most replicas JetStream keeps of a stream.
const maxStreamReplicas = 5

// streamOptions are the settings of the PLENARY stream this process creates or updates.
func (c config) streamOptions() []natsx.StreamOption {
	if c.StreamReplicas > 1 {
		return []natsx.StreamOption{natsx.Replicas(c.StreamReplicas)}
	}
	return nil
}

func envInt(key string, def int) int {
	if v, ok := os.LookupEnv("PLENARY_" + key); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func env(key, def string) string {
	if v, ok := os.LookupEnv("PLENARY_" + key); ok {
		return v
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv("PLENARY_" + key); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func envFloat(key string, def float64) float64 {
	if v, ok := os.LookupEnv("PLENARY_" + key); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return def
}

func envBool(key string, def bool) bool {
	if v, ok := os.LookupEnv("PLENARY_" + key); ok {
		return v == "1" || strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
	}
	return def
}

func parseConfig(cmd string, args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("plenary "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "HTTP listen address (PLENARY_ADDR)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (PLENARY_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "json"), "json or text (PLENARY_LOG_FORMAT)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", envDuration("SHUTDOWN_GRACE", 15*time.Second), "how long to drain on SIGTERM (PLENARY_SHUTDOWN_GRACE)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", envDuration("READ_TIMEOUT", 15*time.Second), "HTTP read timeout (PLENARY_READ_TIMEOUT)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", envDuration("WRITE_TIMEOUT", 30*time.Second), "HTTP write timeout (PLENARY_WRITE_TIMEOUT)")
	fs.StringVar(&c.LinkKeys, "link-keys", env("LINK_KEYS", ""), "keys that sign email links, id:hex,... the first signing; random per process when empty (PLENARY_LINK_KEYS)")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "public base URL of the links in emails and pages; http://<addr> when empty (PLENARY_PUBLIC_URL)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", env("CORS_ORIGINS", ""), "browser origins allowed to call the API, comma-separated; CORS is off when empty (PLENARY_CORS_ORIGINS)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "proxies whose X-Forwarded-For is believed, comma-separated IPs or CIDRs (PLENARY_TRUSTED_PROXIES)")
	fs.Float64Var(&c.RateToken, "rate-token", envFloat("RATE_TOKEN", 0), "requests a second per API token; 0 default, negative off (PLENARY_RATE_TOKEN)")
	fs.Float64Var(&c.RatePublic, "rate-public", envFloat("RATE_PUBLIC", 0), "requests a second per address without a token; 0 default, negative off (PLENARY_RATE_PUBLIC)")
	// The API needs the sender too: it is the organizer of the calendar feeds it serves.
	fs.StringVar(&c.MailFrom, "mail-from", env("SMTP_FROM", "Plenary <notices@plenary.invalid>"), "sender of notification emails and organizer of calendar feeds (PLENARY_SMTP_FROM)")
	if cmd == "serve" || cmd == "notifier" {
		fs.StringVar(&c.NotifierSchedule, "notifier-schedule", env("NOTIFIER_SCHEDULE", "@every 10s"), "cron schedule of the delivery ticker (PLENARY_NOTIFIER_SCHEDULE)")
		fs.StringVar(&c.ReminderRules, "reminder-rules", env("REMINDER_RULES", "registrant:24h,registrant:1h,interpreter:48h,offer:24h"), "default reminder rules, audience:lead,... (PLENARY_REMINDER_RULES)")
	}
	if cmd == "api" || cmd == "notifier" {
		fs.IntVar(&c.StreamReplicas, "stream-replicas", envInt("STREAM_REPLICAS", 1), "replicas of the event stream: 1 on one NATS server, 3 on a cluster; the same for the API and the notifier (PLENARY_STREAM_REPLICAS)")
	}
	switch cmd {
	case "notifier":
		fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL DSN, postgres://... (PLENARY_DATABASE_URL)")
		fs.StringVar(&c.NATSURL, "nats-url", env("NATS_URL", "nats://127.0.0.1:4222"), "NATS server URL(s), comma-separated (PLENARY_NATS_URL)")
		smtpFlags(fs, &c.SMTP)
		fs.StringVar(&c.MetricsAddr, "metrics-addr", env("METRICS_ADDR", ""), "listen address of /metrics, /healthz and /readyz; off when empty (PLENARY_METRICS_ADDR)")
	case "serve":
		fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./var"), "data directory: SQLite database, NATS store, mail folder (PLENARY_DATA_DIR)")
		fs.BoolVar(&c.Demo, "demo", envBool("DEMO", true), "seed demo data into an empty database (PLENARY_DEMO)")
	case "api":
		fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL DSN, postgres://... (PLENARY_DATABASE_URL)")
		fs.StringVar(&c.NATSURL, "nats-url", env("NATS_URL", "nats://127.0.0.1:4222"), "NATS server URL(s), comma-separated (PLENARY_NATS_URL)")
		fs.DurationVar(&c.RecheckHold, "recheck-hold", envDuration("RECHECK_HOLD", 0), "fault injection: hold each staffing re-check round this long, unacknowledged (PLENARY_RECHECK_HOLD)")
	case "migrate":
		fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "database DSN: postgres://... or sqlite:PATH (PLENARY_DATABASE_URL)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if (cmd == "api" || cmd == "notifier") && (c.StreamReplicas < 1 || c.StreamReplicas > maxStreamReplicas) {
		return c, fmt.Errorf("--stream-replicas must be 1 to %d, not %d", maxStreamReplicas, c.StreamReplicas)
	}
	if (cmd == "api" || cmd == "migrate" || cmd == "notifier") && c.DatabaseURL == "" {
		return c, fmt.Errorf("%s needs --database-url or PLENARY_DATABASE_URL", cmd)
	}
	return c, nil
}

func newLogger(c config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
