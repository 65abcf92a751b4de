// Package notifier turns Plenary's events into email: registration confirmations,
// reminders, change and cancellation notices, and interpreters' assignment offers with
// calendar invites.
//
// It consumes the PLENARY stream with a durable JetStream pull consumer ("notifier",
// explicit ack). Events are applied in batches in stream order, each batch in one database
// transaction that also records every event's id in notifier_processed_events, so an event
// delivered twice changes nothing the second time, and the last stream sequence applied,
// so notifiers sharing the consumer apply events in stream order (order.go). The notifier keeps its own projection of meetings, sessions, registrations and
// assignments, built only from events: it never reads the services' tables and can be
// rebuilt by replaying the stream.
//
// Applying an event plans deliveries: rows with a UTC due time and a unique key (recipient,
// session, rule and schedule version for reminders; recipient, session and change for
// notices). A robfig/cron ticker claims due rows and sends them:
//
//  1. claim: each sending worker moves a few due rows (Batch) from planned to sending in
//     one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL), under a lease of seconds in
//     the name of this process (lease_owner); a heartbeat renews the process's leases
//     while it lives. Their Message-ID was fixed when they were planned (a digest of the
//     unique key);
//  2. render one row and transfer it through the mail.Sender up to its hand-over (for
//     SMTP: MAIL, RCPT, DATA and the body, all but the end-of-data dot), in parallel with
//     the other workers;
//  3. inside the process's one hand-over gate (mail.Gate): the dot, the server's reply,
//     and the row marked sent; then the gate is free for the next worker's message.
//
// A process killed at any point leaves its claimed rows in sending; once their lease has
// run out (seconds, not minutes) a peer or the restarted process claims them again. Only
// the one message inside the gate at the instant of the kill can arrive twice (with the
// SAME Message-ID, so the receiving side can collapse the copies): at most one duplicate
// per kill. A row whose due time has passed by more than the grace period is marked
// missed instead of being sent late.
package notifier

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/robfig/cron/v3"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/signed"
)

// Audiences of reminder rules.
const (
	Registrants  = "registrant"
	Interpreters = "interpreter"
	// Offers are interpreters with an offer they have not answered: their rules count
	// back from the offer's answer deadline, not from the session's start.
	Offers = "offer"
)

// ReminderRule sends a reminder Before a session's start to an audience (Before the
// answer deadline for Offers).
type ReminderRule struct {
	Audience string
	Name     string // e.g. "24h"; part of the delivery's unique key
	Before   time.Duration
}

// DefaultRules are the rules of a meeting that has none of its own.
var DefaultRules = []ReminderRule{
	{Audience: Registrants, Name: "24h", Before: 24 * time.Hour},
	{Audience: Registrants, Name: "1h", Before: time.Hour},
	{Audience: Interpreters, Name: "48h", Before: 48 * time.Hour},
	{Audience: Offers, Name: "24h", Before: 24 * time.Hour},
}

// ParseRules reads reminder rules from configuration: "audience:lead,..." such as
// "registrant:24h,registrant:1h,interpreter:48h,offer:24h". Each rule is named by its
// lead time.
func ParseRules(s string) ([]ReminderRule, error) {
	var out []ReminderRule
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		audience, lead, ok := strings.Cut(part, ":")
		if !ok || (audience != Registrants && audience != Interpreters && audience != Offers) {
			return nil, fmt.Errorf("reminder rule %q: want registrant:LEAD, interpreter:LEAD or offer:LEAD", part)
		}
		d, err := time.ParseDuration(lead)
		if err != nil || d < time.Minute || d > 60*24*time.Hour {
			return nil, fmt.Errorf("reminder rule %q: lead time from 1m to 1440h, e.g. 24h", part)
		}
		d = d.Truncate(time.Minute)
		r := ReminderRule{Audience: audience, Name: FormatLead(d), Before: d}
		if seen[audience+r.Name] {
			return nil, fmt.Errorf("reminder rule %q is given twice", part)
		}
		seen[audience+r.Name] = true
		out = append(out, r)
	}
	return out, nil
}

// FormatLead writes a lead time as rules are written and named: whole hours and minutes,
// "24h", "30m", "668h30m", never "24h0m0s". It is the one formatter of lead times: what it
// writes, ParseRules (and time.ParseDuration) read back to the same duration, and a rule's
// name is its lead time in this form, so a rule typed "1440m" or "24h" is the same rule.
// Seconds are dropped, as ParseRules truncates lead times to the minute.
func FormatLead(d time.Duration) string {
	d = d.Truncate(time.Minute)
	if d <= 0 {
		return "0m"
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return strconv.FormatInt(h, 10) + "h"
	case h == 0:
		return strconv.FormatInt(m, 10) + "m"
	}
	return strconv.FormatInt(h, 10) + "h" + strconv.FormatInt(m, 10) + "m"
}

// Config is what a Notifier needs; main builds it.
type Config struct {
	DB       *db.DB
	Sender   mail.Sender
	Renderer *render.Renderer
	Links    signed.Links
	From     mail.Address
	// MessageDomain is the right-hand side of every Message-ID.
	MessageDomain string
	Log           *slog.Logger
	Now           func() time.Time

	Rules       []ReminderRule // DefaultRules when nil
	Settle      time.Duration  // edits within it make one change notice; 2 min when zero
	Grace       time.Duration  // a reminder later than this is missed; 15 min when zero
	NoticeGrace time.Duration  // the same for notices; 24 h when zero
	// Lease is how long a claimed row stays this process's without a heartbeat (renewed
	// every third of it while the process lives); 15 s when zero.
	Lease time.Duration
	// Batch is how many rows a sending worker claims at a time; 100 when zero. A claim
	// and the batch's move to sent are one statement each, so a larger batch costs fewer
	// commits per email (20 gave 0.33 of the plain sender's rate, 100 0.37, same run); a
	// kill strands at most Concurrency x Batch rows for one lease, and repeats none of
	// them.
	Batch       int
	Concurrency int    // sending workers; 8 when zero
	Schedule    string // cron spec of the ticker; "@every 10s" when empty
	// Stream are the settings of the PLENARY stream when the notifier creates or updates
	// it (natsx.Replicas on a cluster); they must be the API's.
	Stream []natsx.StreamOption

	// AfterSend, when set, runs after each successful send and before the row is marked
	// sent; an error stops the tick there (tests use it to simulate a crash).
	AfterSend func(ctx context.Context, d Delivery) error

	// Metrics, when set, counts deliveries for /metrics (NewMetrics).
	Metrics *Metrics
}

// Notifier consumes events, plans deliveries and sends them.
type Notifier struct {
	cfg   Config
	store *store
	log   *slog.Logger
	tick  sync.Mutex // one tick at a time in this process
	// owner names this process on the rows it has claimed (lease_owner).
	owner string
	// accepts is where the hand-over gate records the emails the server accepted.
	accepts acceptLog
	metrics *Metrics
	// reminders caches rendered reminders shared by many recipients.
	reminders reminderCache
	// ackWait, when set, replaces the consumer's AckWait (tests of a notifier that dies
	// holding events).
	ackWait time.Duration
}

// New returns a Notifier; Run starts it.
func New(cfg Config) (*Notifier, error) {
	if cfg.DB == nil || cfg.Renderer == nil || cfg.Links.Keys == nil {
		return nil, errors.New("notifier: DB, Renderer and Links are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Rules == nil {
		cfg.Rules = DefaultRules
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Settle, 2*time.Minute)
	def(&cfg.Grace, 15*time.Minute)
	def(&cfg.NoticeGrace, 24*time.Hour)
	def(&cfg.Lease, 15*time.Second)
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Schedule == "" {
		cfg.Schedule = "@every 10s"
	}
	if cfg.MessageDomain == "" {
		cfg.MessageDomain = "plenary.invalid"
	}
	n := &Notifier{cfg: cfg, store: &store{db: cfg.DB}, log: cfg.Log, owner: uuid.Must(uuid.NewV7()).String(), metrics: cfg.Metrics}
	n.accepts = dbAccepts{n.store}
	if cfg.DB.Dialect == db.SQLite && cfg.DB.Path != "" {
		n.accepts = newFileAccepts(cfg.DB.Path, n.owner, cfg.Lease, n.store)
	}
	return n, nil
}

func (n *Notifier) now() time.Time { return n.cfg.Now().UTC().Truncate(time.Microsecond) }

// RunTicker claims and sends due deliveries on the cron schedule until ctx ends; the tick
// in progress finishes (its context is not cancelled mid-send) before it returns.
func (n *Notifier) RunTicker(ctx context.Context) error {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	tickCtx := context.WithoutCancel(ctx)
	_, err := c.AddFunc(n.cfg.Schedule, func() {
		if ctx.Err() != nil {
			return
		}
		if _, err := n.Tick(tickCtx); err != nil {
			n.log.Error("notifier tick", "error", err.Error())
		}
	})
	if err != nil {
		return fmt.Errorf("notifier schedule %q: %w", n.cfg.Schedule, err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
