package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/services/platform/db"
)

// relayLockKey is the PostgreSQL advisory lock ("plenary" + 1) that lets one relay at a
// time publish, whichever API replica it runs in.
const relayLockKey int64 = 0x706c656e61727901

// Defaults of a Relay. A round costs five statements on PostgreSQL whatever its size
// (begin, lock, load, mark, commit), each a few milliseconds on a busy server: rounds of
// 500 keep that under a fifth of a backlog's publish time where rounds of 100 made it
// most of it (an import of 10,000 registrations is a backlog of 10,000 events).
const (
	DefaultBatchSize      = 500
	DefaultPollInterval   = 300 * time.Millisecond
	DefaultMinBackoff     = 100 * time.Millisecond
	DefaultMaxBackoff     = 5 * time.Second
	DefaultPublishTimeout = 5 * time.Second
)

// errNotConnected is the round's outcome while the NATS connection is down: nothing is
// attempted, so nothing piles up in the client's reconnect buffer.
var errNotConnected = errors.New("nats connection is down")

// Relay publishes committed outbox rows to JetStream in seq order and marks each one
// published once JetStream has acknowledged it. Every publish carries the event id as
// Nats-Msg-Id, so a publish repeated after a lost ack, a crash or a race between relays is
// stored once (within the stream's duplicate window).
//
// Order: a round loads the oldest unpublished rows and publishes them one by one, waiting
// for each ack; it stops at the first failure, marks the acknowledged rows published in
// one statement, and the next round (after a backoff) starts again from the failed row,
// so events reach the stream in seq order even across an outage.
//
// Replicas: on PostgreSQL a round runs in one transaction that first takes the advisory
// lock pg_try_advisory_xact_lock; a relay that does not get it skips the round, so only
// one replica publishes at a time. Rows are claimed FOR UPDATE SKIP LOCKED and marked in
// the same transaction. On SQLite, one process writes; the round runs outside a
// transaction so that a slow publish never holds the database's single writer.
//
// Seq order is commit order on SQLite. On PostgreSQL seq is drawn at insert, so two
// concurrent transactions can commit out of seq order and the later-numbered event may be
// published first; none is skipped, since a round always starts from the oldest
// unpublished row. Events of one aggregate stay in order because its writers serialise on
// the aggregate's row lock before they Emit.
//
// Run a Relay once; call Notify and Pending from any goroutine.
type Relay struct {
	db  *db.DB
	js  jetstream.JetStream
	log *slog.Logger

	batchSize      int
	pollInterval   time.Duration
	minBackoff     time.Duration
	maxBackoff     time.Duration
	publishTimeout time.Duration
	retention      time.Duration
	now            func() time.Time
	setup          func(context.Context) error
	setupDone      bool

	wake    chan struct{}
	metrics *relayMetrics
}

// Option configures a Relay.
type Option func(*Relay)

// WithBatchSize sets how many rows a round loads at most.
func WithBatchSize(n int) Option {
	return func(r *Relay) {
		if n > 0 {
			r.batchSize = n
		}
	}
}

// WithPollInterval sets how often the relay looks for rows without being notified:
// events committed by other processes, or after a Notify was missed.
func WithPollInterval(d time.Duration) Option {
	return func(r *Relay) {
		if d > 0 {
			r.pollInterval = d
		}
	}
}

// WithBackoff sets the wait after a failed round: min, doubling (with jitter) up to max.
// Keep max well below the stream's duplicate window.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(r *Relay) {
		if minWait > 0 && maxWait >= minWait {
			r.minBackoff, r.maxBackoff = minWait, maxWait
		}
	}
}

// WithPublishTimeout bounds the wait for one JetStream ack.
func WithPublishTimeout(d time.Duration) Option {
	return func(r *Relay) {
		if d > 0 {
			r.publishTimeout = d
		}
	}
}

// WithRetention makes Run delete published rows older than d (zero keeps them all).
func WithRetention(d time.Duration) Option {
	return func(r *Relay) { r.retention = max(d, 0) }
}

// WithClock sets the clock that stamps published_at and ages rows for retention.
func WithClock(now func() time.Time) Option {
	return func(r *Relay) {
		if now != nil {
			r.now = now
		}
	}
}

// WithSetup gives a step that must succeed once before the first publish, typically
// natsx.EnsureStream: when NATS is down at start it is retried with the relay's backoff
// instead of failing the process.
func WithSetup(fn func(context.Context) error) Option {
	return func(r *Relay) { r.setup = fn }
}

// NewRelay returns a relay from d's outbox to js. Start it with Run.
func NewRelay(d *db.DB, js jetstream.JetStream, log *slog.Logger, opts ...Option) *Relay {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Relay{
		db:             d,
		js:             js,
		log:            log.With("component", "outbox-relay"),
		batchSize:      DefaultBatchSize,
		pollInterval:   DefaultPollInterval,
		minBackoff:     DefaultMinBackoff,
		maxBackoff:     DefaultMaxBackoff,
		publishTimeout: DefaultPublishTimeout,
		now:            time.Now,
		wake:           make(chan struct{}, 1),
		metrics:        newRelayMetrics(),
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Notify wakes the relay to publish without waiting for the next poll. Call it after a
// transaction that added events has committed. It never blocks.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default: // a wake-up is already pending; it will see this event too
	}
}

// Run relays until ctx is cancelled, then returns nil. Failures (NATS down, no ack, a
// database error) are logged and retried with backoff; they never end Run.
func (r *Relay) Run(ctx context.Context) error {
	r.log.Info("outbox relay started", "poll_interval", r.pollInterval, "batch_size", r.batchSize)
	defer r.log.Info("outbox relay stopped")

	failures := 0
	var lastSweep time.Time
	for {
		n, err := r.round(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			failures++
			r.logFailure(failures, err)
			if !sleep(ctx, r.backoff(failures)) {
				return nil
			}
			continue
		}
		if failures > 0 {
			r.log.Info("outbox relay recovered", "failed_rounds", failures)
			failures = 0
		}
		if r.retention > 0 && r.now().Sub(lastSweep) >= r.sweepInterval() {
			lastSweep = r.now()
			if _, err := DeletePublished(ctx, r.db, lastSweep.Add(-r.retention)); err != nil && ctx.Err() == nil {
				r.log.Warn("delete published outbox rows", "err", err)
			}
		}
		if n >= r.batchSize {
			continue // more rows are waiting
		}
		t := time.NewTimer(r.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-r.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// logFailure logs the first failed rounds and then every power of two, so an outage of
// hours writes a few dozen lines, not thousands.
func (r *Relay) logFailure(failures int, err error) {
	if failures&(failures-1) != 0 {
		return
	}
	r.log.Warn("outbox relay round failed; retrying", "failed_rounds", failures, "err", err)
}

func (r *Relay) sweepInterval() time.Duration { return min(r.retention, 10*time.Minute) }

// backoff is the wait after the n-th consecutive failed round: full jitter over an
// exponentially growing ceiling, so replicas recovering together do not retry in step.
func (r *Relay) backoff(failures int) time.Duration {
	ceil := r.minBackoff
	for i := 1; i < failures && ceil < r.maxBackoff; i++ {
		ceil *= 2
	}
	ceil = min(ceil, r.maxBackoff)
	return r.minBackoff/2 + rand.N(ceil-r.minBackoff/2+1)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// round publishes up to one batch and returns how many rows it published.
func (r *Relay) round(ctx context.Context) (int, error) {
	if nc := r.js.Conn(); nc != nil && !nc.IsConnected() {
		return 0, errNotConnected
	}
	if r.setup != nil && !r.setupDone {
		if err := r.setup(ctx); err != nil {
			return 0, fmt.Errorf("relay setup: %w", err)
		}
		r.setupDone = true // Run is the only caller, from one goroutine
	}
	if r.db.Dialect != db.Postgres {
		return r.publishPending(ctx, r.db.DB)
	}

	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin relay round: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var mine bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, relayLockKey).Scan(&mine); err != nil {
		return 0, fmt.Errorf("take relay lock: %w", err)
	}
	if !mine {
		return 0, nil // another replica is publishing; it keeps the order
	}
	n, perr := r.publishPending(ctx, tx)
	// Commit what was published (and the failed attempt) even when the round stopped early.
	if err := tx.Commit(); err != nil {
		return 0, errors.Join(perr, fmt.Errorf("commit relay round: %w", err))
	}
	return n, perr
}

// querier is what a round needs from *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type pendingRow struct {
	seq       int64
	eventID   string
	subject   string
	payload   string
	createdAt time.Time
}

func (r *Relay) publishPending(ctx context.Context, q querier) (int, error) {
	batch, err := loadPending(ctx, q, r.batchSize, r.db.SkipLocked())
	if err != nil {
		return 0, err
	}
	// Publish in order, each awaiting its ack; mark what was acknowledged in one
	// statement at the end (a statement per row cost four times the publish itself on
	// PostgreSQL). A crash before the mark republishes the batch: the duplicate window
	// absorbs it, as it absorbs a lost ack.
	seqs := make([]int64, 0, len(batch))
	acked := make([]time.Time, 0, len(batch))
	var perr error
	for _, row := range batch {
		pctx, cancel := context.WithTimeout(ctx, r.publishTimeout)
		ack, err := r.js.Publish(pctx, row.subject, []byte(row.payload), jetstream.WithMsgID(row.eventID))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				perr = ctx.Err()
				break
			}
			r.metrics.failures.Inc()
			if errors.Is(err, jetstream.ErrNoStreamResponse) {
				// No stream takes the subject: it was deleted or its store lost. Run
				// the setup again before the next round so it is recreated.
				r.setupDone = false
			}
			if _, uerr := q.ExecContext(ctx,
				`UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE seq = $2`,
				truncate(err.Error(), 1000), row.seq); uerr != nil {
				err = errors.Join(err, fmt.Errorf("record failed attempt: %w", uerr))
			}
			perr = fmt.Errorf("publish event %s (outbox seq %d): %w", row.eventID, row.seq, err)
			break
		}
		seqs = append(seqs, row.seq)
		acked = append(acked, r.now().UTC())
		if ack.Duplicate {
			r.metrics.duplicates.Inc()
		}
	}
	if len(seqs) == 0 {
		return 0, perr
	}
	if err := markPublished(ctx, q, seqs, acked[len(acked)-1]); err != nil {
		// JetStream has the events; the next round publishes them again and the
		// duplicate window absorbs them.
		return 0, errors.Join(perr, err)
	}
	r.metrics.published.Add(float64(len(seqs)))
	for i, row := range batch[:len(seqs)] {
		r.metrics.lag.Observe(max(acked[i].Sub(row.createdAt), 0).Seconds())
	}
	return len(seqs), perr
}

// markPublished marks the rows seqs published at when, in statements of at most 500 rows
// (far below either engine's limit on parameters).
func markPublished(ctx context.Context, q querier, seqs []int64, when time.Time) error {
	for len(seqs) > 0 {
		chunk := seqs[:min(len(seqs), 500)]
		seqs = seqs[len(chunk):]
		var in strings.Builder
		args := make([]any, 0, len(chunk)+1)
		args = append(args, when)
		for i, seq := range chunk {
			if i > 0 {
				in.WriteByte(',')
			}
			in.WriteString("$" + strconv.Itoa(i+2))
			args = append(args, seq)
		}
		if _, err := q.ExecContext(ctx, `UPDATE outbox SET published_at = $1, attempts = attempts + 1 WHERE seq IN (`+in.String()+`)`, args...); err != nil {
			return fmt.Errorf("mark %d events published (outbox seq %d...): %w", len(chunk), chunk[0], err)
		}
	}
	return nil
}

func loadPending(ctx context.Context, q querier, limit int, lock string) ([]pendingRow, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT seq, event_id, subject, payload, created_at FROM outbox
		 WHERE published_at IS NULL ORDER BY seq LIMIT $1`+lock, limit)
	if err != nil {
		return nil, fmt.Errorf("load pending events: %w", err)
	}
	defer rows.Close()
	var batch []pendingRow
	for rows.Next() {
		var p pendingRow
		if err := rows.Scan(&p.seq, &p.eventID, &p.subject, &p.payload, &p.createdAt); err != nil {
			return nil, fmt.Errorf("scan pending event: %w", err)
		}
		batch = append(batch, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load pending events: %w", err)
	}
	return batch, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Pending counts the events not yet acknowledged by JetStream, for /readyz and metrics.
func (r *Relay) Pending(ctx context.Context) (int, error) { return Pending(ctx, r.db) }

// Pending counts the events of d's outbox not yet acknowledged by JetStream.
func Pending(ctx context.Context, d *db.DB) (int, error) {
	var n int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending events: %w", err)
	}
	return n, nil
}

// DeletePublished deletes the rows published before the given instant and returns how
// many it deleted. Unpublished rows are never deleted.
func DeletePublished(ctx context.Context, d *db.DB, before time.Time) (int64, error) {
	res, err := d.ExecContext(ctx,
		`DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete published events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete published events: %w", err)
	}
	return n, nil
}
