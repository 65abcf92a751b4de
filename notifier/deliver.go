package notifier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/signed"
)

// TickStats counts what one tick did.
type TickStats struct {
	Sent, Missed, Cancelled, Failed, Retried int
}

// errSkip marks a delivery that must not go out any more (recipient gone, session moved).
var errSkip = errors.New("delivery no longer wanted")

// Tick claims every due delivery and sends it. Each of Concurrency workers claims a few
// rows at a time (Batch), renders and transfers them one by one, and hands each message
// over (the end-of-data dot and the server's reply) through one gate for the whole
// process, marking the row sent before it leaves the gate. So at any instant at most one
// message is accepted by the mail server and not yet marked: a crash at any point
// repeats at most one message. A heartbeat renews the short leases of the rows this
// process holds for as long as the tick runs; the rows of a process that died are
// claimed again once their lease (seconds) has run out.
//
// The gate is the cost of that bound: hand-overs and marks run one at a time, so the
// process sends at most one message per (server's reply to the dot + one row update).
// Ticks of a Notifier never overlap and a process runs one Notifier, so a gate per tick
// is a gate per process.
func (n *Notifier) Tick(ctx context.Context) (TickStats, error) {
	n.tick.Lock()
	defer n.tick.Unlock()
	gate := mail.NewGate()
	// A simulated crash (AfterSend) stops the other workers where they are, as a kill
	// would: cancelled before the gate, their messages never reach the server.
	ctx, crash := context.WithCancel(ctx)
	defer crash()
	hbCtx, stopHeartbeat := context.WithCancel(ctx)
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		n.heartbeat(hbCtx)
	}()
	defer func() {
		stopHeartbeat()
		<-hbDone
	}()

	t := &tickRun{gate: gate, crash: crash}
	var wg sync.WaitGroup
	for range n.cfg.Concurrency {
		wg.Go(func() { n.work(ctx, t) })
	}
	wg.Wait()
	if !errors.Is(t.firstErr, errCrashed) { // a killed process leaves its records as they are
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dbTimeout)
		n.accepts.settle(sctx, n.cfg.DB)
		cancel()
	}
	if n.metrics != nil {
		n.metrics.observeTick(ctx, n, t.st)
	}
	return t.st, t.firstErr
}

// tickRun is what a tick's workers share.
type tickRun struct {
	gate  *mail.Gate
	crash context.CancelFunc // a simulated crash (AfterSend) cancels the tick
	stop  atomic.Bool
	// sweepAfter is when claims look at rows in sending again (unix ns; 0: now).
	sweepAfter atomic.Int64

	mu       sync.Mutex
	st       TickStats
	firstErr error
}

// work is one sending worker of a tick: it claims a batch and sends it until nothing is
// due, the tick stops or an error stops it (and the tick).
func (n *Notifier) work(ctx context.Context, t *tickRun) {
	// The rows of this worker's last batch whose email the server accepted (recorded
	// inside the gate): its next claim moves them to sent in its own transaction, one
	// commit a batch fewer; the last batch's, on the way out.
	var accepted []string
	defer func() { n.finishSent(ctx, accepted) }()
	for !t.stop.Load() && ctx.Err() == nil {
		var local TickStats
		sweep := time.Now().UnixNano() >= t.sweepAfter.Load()
		batch, missed, stopped, err := n.claim(ctx, sweep, accepted)
		if err == nil {
			accepted = nil
		}
		if err == nil && sweep && stopped == 0 {
			t.sweepAfter.Store(time.Now().Add(n.cfg.Lease / 4).UnixNano())
			n.accepts.collect(ctx, n.cfg.DB)
		}
		local.Missed = missed
		if err == nil && len(batch) > 0 {
			accepted, err = n.sendBatch(ctx, batch, t.gate, &local, &t.stop)
		}
		t.mu.Lock()
		t.st.add(local)
		if err != nil && t.firstErr == nil {
			t.firstErr = err
		}
		t.mu.Unlock()
		if err != nil {
			t.stop.Store(true)
			if errors.Is(err, errCrashed) {
				t.crash()
			}
			return
		}
		if len(batch) == 0 && missed == 0 {
			return
		}
	}
}

func (s *TickStats) add(o TickStats) {
	s.Sent += o.Sent
	s.Missed += o.Missed
	s.Cancelled += o.Cancelled
	s.Failed += o.Failed
	s.Retried += o.Retried
}

// heartbeatSQL renews the leases of a process's rows in sending ($2) to $1. On PostgreSQL
// it passes over rows another transaction has locked (FOR UPDATE SKIP LOCKED, appended):
// those are this process's own, being moved to sent or marked by a worker, or a peer's
// that took them over once the lease had run out. Taking them in its own order it
// deadlocked with a worker's move of its batch to sent, which locks the batch's rows in
// another order and holds them to its claim's commit; a row passed over is renewed at the
// next beat, a third of a lease on.
const heartbeatSQL = `UPDATE notifier_deliveries SET lease_until = $1 WHERE id IN (
	SELECT id FROM notifier_deliveries WHERE state = 'sending' AND lease_owner = $2`

// heartbeat renews the leases of the rows this process holds until ctx ends.
func (n *Notifier) heartbeat(ctx context.Context) {
	t := time.NewTicker(n.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := n.now()
		dctx, cancel := context.WithTimeout(ctx, n.cfg.Lease/3)
		_, err := n.cfg.DB.ExecContext(dctx, heartbeatSQL+n.cfg.DB.SkipLocked()+`)`, now.Add(n.cfg.Lease), n.owner)
		cancel()
		if err != nil && ctx.Err() == nil {
			n.log.Warn("renew delivery leases", "error", err.Error())
		}
	}
}

// claim moves the rows of finish (this process's, accepted by the server) to sent, and
// up to Batch due rows to sending under this process's lease (and rows past their grace
// to missed), in one transaction. With sweep, rows left in sending by a
// notifier that died are finished (accepted by the server and recorded) or claimed
// again once their lease has run out; stopped counts them.
//
// Those two statements read every row in sending (each worker's claimed batch: 800 rows
// at 8 workers of 100) on every claim, a third of a claim's cost, for rows that only a
// process's death leaves: Tick sweeps while sweeps find such rows, and then once every
// quarter lease. A dead process's rows wait up to a quarter lease longer, or until the
// next tick's first claim, which always sweeps.
func (n *Notifier) claim(ctx context.Context, sweep bool, finish []string) ([]Delivery, int, int, error) {
	var out []Delivery
	missed, stopped := 0, 0
	ctx, cancel := context.WithTimeout(ctx, dbTimeout)
	defer cancel()
	err := n.claimTx(ctx, func(tx *sql.Tx) error {
		out, missed, stopped = nil, 0, 0
		now := n.now()
		if err := inIndexOrder(ctx, tx, n.cfg.DB.Dialect); err != nil {
			return err
		}
		if err := n.store.finishSent(ctx, tx, finish, n.owner, now); err != nil {
			return err
		}
		// Two reads, each in the order of the index (state, due_at, id), merged: one read
		// with OR sorted every due row on every claim (100,000 due rows, 5,000 claims).
		limit := ` ORDER BY due_at, id LIMIT ` + fmt.Sprint(n.cfg.Batch) + n.cfg.DB.SkipLocked()
		var expired []Delivery
		if sweep {
			// The hand-over records a stopped process kept beside the database become
			// the sent_at of its rows.
			if err := n.accepts.recover(ctx, tx, now); err != nil {
				return err
			}
			// Rows of a process that died after the server accepted their email and the
			// gate recorded it, before the row moved to sent: sent, not claimed.
			res, err := tx.ExecContext(ctx, finishSentSQL+` AND lease_until <= $1`, now)
			if err != nil {
				return fmt.Errorf("finish deliveries sent by a stopped notifier: %w", err)
			}
			finished, _ := res.RowsAffected()
			if expired, err = n.store.deliveries(ctx, tx, expiredWhere+limit, now); err != nil {
				return err
			}
			stopped = int(finished) + len(expired)
		}
		due, err := n.store.deliveries(ctx, tx, dueWhere+limit, now)
		if err != nil {
			return err
		}
		ds := earliest(due, expired, n.cfg.Batch)
		var late, claim []string
		for _, d := range ds {
			grace := n.cfg.Grace
			if !isReminder(d.Kind) {
				grace = n.cfg.NoticeGrace
			}
			if d.State == Planned && d.DueAt.Before(now.Add(-grace)) {
				late = append(late, d.ID)
				continue
			}
			claim = append(claim, d.ID)
			out = append(out, d)
		}
		missed = len(late)
		if err := n.store.setState(ctx, tx, late, Missed, "due time passed beyond the grace period", now); err != nil {
			return err
		}
		if len(claim) == 0 {
			return nil
		}
		args := []any{now, now.Add(n.cfg.Lease), n.owner}
		ph := make([]string, len(claim))
		for i, id := range claim {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", i+4)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notifier_deliveries SET state = 'sending', lease_until = $2, lease_owner = $3,
			attempts = attempts + 1, updated_at = $1 WHERE id IN (`+strings.Join(ph, ",")+`)`, args...); err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		return nil
	})
	if err == nil && n.metrics != nil && missed > 0 {
		n.metrics.missed.Add(float64(missed))
	}
	return out, missed, stopped, err
}

// The claim's two reads, each in (due_at, id) order from its index (TestDeliveryReadsUseTheirIndexes):
// due planned rows (a planned row with a lease is a retry that waits until then,
// retryDelay), and rows in sending whose lease has run out.
const (
	dueWhere     = `state = 'planned' AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)`
	expiredWhere = `state = 'sending' AND lease_until <= $1`
)

// inIndexOrder makes PostgreSQL read the claim's rows in the order of the index (state,
// due_at, id) for the rest of tx, stopping at the batch, whatever its statistics say.
// A wave of reminders planned since the table was last analysed is estimated at a few
// rows, and for a few rows the planner reads every due row through a bitmap and sorts
// them: for each claim of 100, all 100,000 rows of a wave (TestDeliveryReadsUseTheirIndexes
// asks on a table just filled, before any analysis). SQLite reads the index in order.
func inIndexOrder(ctx context.Context, tx *sql.Tx, dialect db.Dialect) error {
	if dialect != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off`); err != nil {
		return fmt.Errorf("claim deliveries: %w", err)
	}
	return nil
}

// claimTx runs a claim's transaction, again after a deadlock or a serialization failure
// (PostgreSQL picks one of the transactions of a lock cycle and aborts it; the claim is
// made again from the start), up to claimAttempts times.
func (n *Notifier) claimTx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := n.cfg.DB.Tx(ctx, fn)
		if !db.IsSerializationFailure(err) || attempt == claimAttempts || ctx.Err() != nil {
			return err
		}
		n.log.Warn("claim deliveries again", "attempt", attempt, "error", err.Error())
	}
}

const claimAttempts = 3

// earliest merges two lists sorted by (due_at, id) and keeps the first n.
func earliest(a, b []Delivery, n int) []Delivery {
	out := make([]Delivery, 0, min(n, len(a)+len(b)))
	for len(out) < n && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && (a[0].DueAt.Before(b[0].DueAt) || (a[0].DueAt.Equal(b[0].DueAt) && a[0].ID < b[0].ID))) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// retryDelay is how long an email refused for now waits before it is claimed again: not
// in the same tick, which would only repeat the sender's own retries at once.
const retryDelay = time.Minute

// dbTimeout bounds each statement of the delivery loop, so a hung database stalls a tick
// for seconds, not for ever.
const dbTimeout = 10 * time.Second

// world is the projection a batch of deliveries needs, read once per batch.
type world struct {
	meetings    map[string]meeting
	sessions    map[string]session
	registrants map[string]registrant
	assignments map[string]assignment
}

func (n *Notifier) load(ctx context.Context, q querier, ds []Delivery) (world, error) {
	w := world{map[string]meeting{}, map[string]session{}, map[string]registrant{}, map[string]assignment{}}
	var regIDs, sessionIDs []string
	confirmed, wantSession := map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		if d.Kind == render.RegistrationConfirmed && !confirmed[d.MeetingID] {
			// "All sessions" is counted from the meeting's sessions.
			confirmed[d.MeetingID] = true
			xs, err := n.store.sessionsOf(ctx, q, d.MeetingID)
			if err != nil {
				return w, err
			}
			for _, x := range xs {
				w.sessions[x.ID] = x
			}
		}
		if _, ok := w.meetings[d.MeetingID]; !ok && d.MeetingID != "" {
			m, _, err := n.store.meeting(ctx, q, d.MeetingID)
			if err != nil {
				return w, err
			}
			w.meetings[d.MeetingID] = m
		}
		if _, ok := w.sessions[d.SessionID]; !ok && d.SessionID != "" && !wantSession[d.SessionID] {
			wantSession[d.SessionID] = true
			sessionIDs = append(sessionIDs, d.SessionID)
		}
		if id, ok := strings.CutPrefix(d.Recipient, toRegistration); ok {
			if _, seen := w.registrants[id]; !seen {
				w.registrants[id] = registrant{}
				regIDs = append(regIDs, id)
			}
		}
		if id, ok := strings.CutPrefix(d.Recipient, toAssignment); ok {
			if _, seen := w.assignments[id]; !seen {
				a, _, err := n.store.assignment(ctx, q, id)
				if err != nil {
					return w, err
				}
				w.assignments[id] = a
			}
		}
	}
	// The batch's sessions in one read: a wave of reminders spans many sessions.
	for _, id := range sessionIDs {
		if _, ok := w.sessions[id]; ok {
			delete(wantSession, id) // read with its meeting's sessions
		}
	}
	if len(wantSession) > 0 {
		xs, err := n.store.sessionsByID(ctx, q, slices.Collect(maps.Keys(wantSession)))
		if err != nil {
			return w, err
		}
		for _, x := range xs {
			w.sessions[x.ID] = x
		}
	}
	if err := readRegistrants(ctx, q, regIDs, w.registrants); err != nil {
		return w, err
	}
	return w, nil
}

// readRegistrants reads the registrants of ids into into, in chunks: a batch of reminders
// is mostly one per registrant.
func readRegistrants(ctx context.Context, q querier, ids []string, into map[string]registrant) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := q.QueryContext(ctx, `SELECT `+registrantCols+` FROM notifier_registrations WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return fmt.Errorf("read registrations: %w", err)
		}
		for rows.Next() {
			r, err := scanRegistrant(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("scan registration: %w", err)
			}
			into[r.ID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// errCrashed wraps the error of AfterSend: the tick stops as a killed process would.
var errCrashed = errors.New("stopped after send")

// sendBatch sends the claimed rows one after the other and marks each as soon as its
// outcome is known: a message the server accepted is marked before the gate is left. It
// stops early, leaving the rest claimed, when stop is set (a peer worker failed) or
// AfterSend reports a crash.
//
// It returns the rows whose email the server accepted (recorded inside the gate), for the
// worker's next claim to move to sent together; until then they are in sending with
// their record (sent_at, or a line beside an SQLite file), and if the process stops first
// the claim that takes them over after their lease finishes them.
func (n *Notifier) sendBatch(ctx context.Context, batch []Delivery, gate *mail.Gate, st *TickStats, stop *atomic.Bool) (accepted []string, err error) {
	w, err := n.load(ctx, n.cfg.DB, batch)
	if err != nil {
		return nil, err
	}
	for _, d := range batch {
		if stop.Load() {
			return accepted, nil
		}
		now := n.now()
		msg, err := n.compose(d, w, now)
		held := false
		if err == nil {
			err = n.send(ctx, msg, gate)
			held = err == nil
			if err == nil && n.cfg.AfterSend != nil {
				if herr := n.cfg.AfterSend(ctx, d); herr != nil {
					// Stop as a crash would: this row stays in sending, unmarked, and the
					// gate stays taken, so no other message is handed over after it; the
					// rows recorded sent before it stay as a killed process leaves them.
					return nil, fmt.Errorf("%w: %w", errCrashed, herr)
				}
			}
		}
		err = n.mark(ctx, d, err, st)
		if err == nil && held {
			accepted = append(accepted, d.ID)
		}
		if held {
			gate.Leave()
		}
		if err != nil {
			return accepted, err
		}
	}
	return accepted, nil
}

// finishSent moves a worker's last accepted rows to sent when it stops claiming, even
// when ctx has ended: they are recorded, and a row left in sending only waits for its
// lease to run out before a claim finishes it.
func (n *Notifier) finishSent(ctx context.Context, accepted []string) {
	if len(accepted) == 0 {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dbTimeout)
	defer cancel()
	if err := n.store.finishSent(dctx, n.cfg.DB, accepted, n.owner, n.now()); err != nil {
		n.log.Warn("move sent deliveries to sent; a later claim will", "error", err.Error())
	}
}

// send hands msg to the Sender through gate; on nil the gate is held. A Sender that
// cannot pass its hand-over through the gate is sent to entirely inside it.
func (n *Notifier) send(ctx context.Context, msg mail.Message, gate *mail.Gate) error {
	if gs, ok := n.cfg.Sender.(mail.GatedSender); ok {
		return gs.SendGated(ctx, msg, gate)
	}
	if err := gate.Enter(ctx); err != nil {
		return err
	}
	if err := n.cfg.Sender.Send(ctx, msg); err != nil {
		gate.Leave()
		return err
	}
	return nil
}

// mark records one delivery's outcome: a sent one by its hand-over record only (inside
// the gate, the shortest durable write there is: acceptLog; the worker's next claim moves
// the batch's sent rows to sent), the others by their state. A mark that fails (the
// database is away) is tried again for up to a lease, while the heartbeat keeps the row
// ours: giving up early would let a peer send an accepted message again.
func (n *Notifier) mark(ctx context.Context, d Delivery, sendErr error, st *TickStats) error {
	state, lastError := Sent, ""
	switch {
	case sendErr == nil:
	case errors.Is(sendErr, errSkip):
		state = Cancelled
	default:
		state, lastError = Failed, sendErr.Error()
		// A temporary failure (the sender has already retried with backoff) is tried
		// again at a later tick, retryDelay on, up to three claims.
		if mail.IsTemporary(sendErr) && d.Attempts+1 < 3 {
			state = Planned
		}
	}
	deadline := time.Now().Add(n.cfg.Lease)
	for {
		dctx, cancel := context.WithTimeout(ctx, dbTimeout)
		var err error
		switch state {
		case Sent:
			err = n.accepts.record(dctx, d.ID, n.now())
		case Planned:
			err = n.store.markRetry(dctx, d.ID, lastError, n.now(), n.now().Add(retryDelay))
		default:
			err = n.store.markOne(dctx, d.ID, state, lastError, n.now())
		}
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return fmt.Errorf("mark delivery %s %s: %w", d.ID, state, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	lag := n.now().Sub(d.DueAt)
	switch state {
	case Sent:
		st.Sent++
		n.log.Info("mail sent", "delivery", d.ID, "kind", d.Kind, "message_id", d.MessageID, "attempt", d.Attempts+1, "lag_ms", lag.Milliseconds())
	case Cancelled:
		st.Cancelled++
	case Planned:
		st.Retried++
		n.log.Warn("mail failed, will retry", "delivery", d.ID, "kind", d.Kind, "attempt", d.Attempts+1, "error", withoutAddresses(sendErr))
	default:
		st.Failed++
		n.log.Warn("mail failed", "delivery", d.ID, "kind", d.Kind, "attempt", d.Attempts+1, "error", withoutAddresses(sendErr))
	}
	if n.metrics != nil {
		n.metrics.delivered(state, lag)
	}
	return nil
}

// compose renders a delivery for its recipient, or returns errSkip when it must not go
// out any more.
func (n *Notifier) compose(d Delivery, w world, now time.Time) (mail.Message, error) {
	in, to, cal, unsubscribe, err := n.input(d, w, now, true)
	if err != nil {
		return mail.Message{}, err
	}
	msg := mail.Message{From: n.cfg.From, To: to, MessageID: d.MessageID, Date: d.DueAt, Calendar: cal}
	// List-Unsubscribe must be https (RFC 8058); a development server on http keeps the
	// link in the body only.
	if strings.HasPrefix(unsubscribe, "https://") {
		msg.Unsubscribe = unsubscribe
	}
	if cacheable(in) && cal == nil {
		if msg, err = n.reminders.message(n.cfg.Renderer, in, d.SessionID, d.ScheduleVersion, msg); err != nil {
			return mail.Message{}, fmt.Errorf("render %s: %w", d.Kind, err)
		}
		return msg, nil
	}
	var out render.Rendered
	if cacheable(in) {
		out, err = n.reminders.render(n.cfg.Renderer, in, d.SessionID, d.ScheduleVersion)
	} else {
		out, err = n.cfg.Renderer.Render(in)
	}
	if err != nil {
		return mail.Message{}, fmt.Errorf("render %s: %w", d.Kind, err)
	}
	msg.Subject, msg.Text, msg.HTML, msg.Lang = out.Subject, out.Text, out.HTML, out.Lang
	return msg, nil
}

func location(tz string) *time.Location {
	if z, err := zone.Parse(tz); err == nil {
		return z.Location
	}
	return time.UTC
}

// input gathers everything a delivery's email needs from the projection, checking that
// it is still wanted.
func (n *Notifier) input(d Delivery, w world, now time.Time, check bool) (render.Input, mail.Address, *mail.Calendar, string, error) {
	skip := func(cond bool) bool { return check && cond }
	m := w.meetings[d.MeetingID]
	x, hasSession := w.sessions[d.SessionID]
	in := render.Input{Kind: d.Kind, DefaultLang: m.DefaultLang, MeetingTitle: m.Title, Now: now, Reason: d.Payload.Reason}
	if hasSession && x.ID != "" {
		in.SessionTitle = x.Title
		in.Session = render.Interval{Start: x.Start, End: x.End}
		venue := m.VenueTZ
		if venue == "" {
			venue = x.TZ
		}
		in.VenueZone = location(venue)
		if in.Reason == "" && d.Kind == render.SessionCancelled {
			in.Reason = x.CancelReason
		}
	}
	if p := d.Payload.Previous; p != nil {
		in.Previous = &render.Interval{Start: p.StartUTC, End: p.EndUTC}
	}
	// A reminder is for the schedule it was planned on, of a session that still happens.
	if skip(d.Kind == render.Reminder && (x.ID == "" || x.cancelled() || x.ScheduleVersion != d.ScheduleVersion || m.Deleted)) {
		return in, mail.Address{}, nil, "", errSkip
	}
	// Moved and moved back within the settle window: nothing to tell.
	if skip(in.Previous != nil && in.Previous.Start.Equal(x.Start) && in.Previous.End.Equal(x.End)) {
		return in, mail.Address{}, nil, "", errSkip
	}
	if _, ok := strings.CutPrefix(d.Recipient, toSecretariat); ok {
		return secretariatInput(d, m, in, check)
	}
	links := n.cfg.Links
	if id, ok := strings.CutPrefix(d.Recipient, toRegistration); ok {
		return n.registrantInput(d, w, w.registrants[id], x, m, in, now, skip)
	}
	id, _ := strings.CutPrefix(d.Recipient, toAssignment)
	a := w.assignments[id]
	if a.ID == "" || skip(d.Kind == render.Reminder && a.State != "accepted") || skip(d.Kind == render.OfferReminder && !offerStillOpen(d, a, now)) {
		return in, mail.Address{}, nil, "", errSkip
	}
	if dl := d.Payload.Deadline; dl != nil {
		in.Deadline = *dl
	}
	// A change notice is for a seat the interpreter still holds or may still take.
	if skip(d.Kind == render.AssignmentChanged && a.State != "offered" && a.State != "accepted") {
		return in, mail.Address{}, nil, "", errSkip
	}
	in.RecipientName, in.Locale, in.Zone, in.Booth = a.Name, a.Locale, location(a.TZ), a.Booth
	for _, t := range a.Team {
		in.Team = append(in.Team, t.Name)
	}
	if d.Kind == render.AssignmentOffered || d.Kind == render.OfferReminder {
		in.Links.Accept = links.AssignmentRespond(a.ID, now) + "&action=accept"
		in.Links.Decline = links.AssignmentRespond(a.ID, now) + "&action=decline"
	}
	to := mail.Address{Name: a.Name, Email: a.Email}
	cal, err := n.invite(d, a, in, to)
	return in, to, cal, "", err
}

// registrantInput is input for a registrant's email: skipped when the registrant is
// gone, unsubscribed, without consent to a reminder or no longer in the session, and a
// pending registration gets only its confirmation request.
func (n *Notifier) registrantInput(d Delivery, w world, r registrant, x session, m meeting, in render.Input, now time.Time, skip func(bool) bool) (render.Input, mail.Address, *mail.Calendar, string, error) {
	links := n.cfg.Links
	if r.ID == "" || skip(r.Deleted || r.Unsubscribed || (d.Kind == render.Reminder && (!r.Consent || !r.covers(x.ID)))) {
		return in, mail.Address{}, nil, "", errSkip
	}
	// A pending registration is sent its confirmation request and nothing else; a
	// confirmed one is not asked again.
	if skip((r.Pending && d.Kind != render.RegistrationPending) || (!r.Pending && d.Kind == render.RegistrationPending)) {
		return in, mail.Address{}, nil, "", errSkip
	}
	in.RecipientName, in.Locale, in.Zone = r.Name, r.Locale, location(r.TZ)
	in.Links.Manage = links.Manage(r.ID, now)
	in.Links.Unsubscribe = links.Unsubscribe(r.ID, now)
	if d.Kind == render.RegistrationPending {
		in.Links = render.Links{Confirm: links.Confirm(r.ID, now)}
		return in, mail.Address{Name: r.Name, Email: r.Email}, nil, "", nil
	}
	if d.Kind == render.RegistrationConfirmed {
		in.Sessions = len(r.Sessions)
		if in.Sessions == 0 {
			in.Sessions = w.countSessions(m.ID)
		}
	}
	return in, mail.Address{Name: r.Name, Email: r.Email}, nil, in.Links.Unsubscribe, nil
}

func (w world) countSessions(meetingID string) int {
	c := 0
	for _, x := range w.sessions {
		if x.MeetingID == meetingID && !x.cancelled() {
			c++
		}
	}
	return max(c, 1)
}

// invite is the calendar object attached to an interpreter's email: REQUEST for an offer
// or a change, CANCEL for a withdrawal or a cancelled session.
func (n *Notifier) invite(d Delivery, a assignment, in render.Input, to mail.Address) (*mail.Calendar, error) {
	var method mail.CalendarMethod
	switch d.Kind {
	case render.AssignmentOffered, render.AssignmentChanged:
		method = mail.CalendarRequest
	case render.AssignmentWithdrawn, render.AssignmentExpired, render.SessionCancelled:
		method = mail.CalendarCancel
	default:
		return nil, nil
	}
	ev := n.assignmentEvent(a, in.MeetingTitle, in.SessionTitle, in.DefaultLang, in.Now)
	ev.Sequence = d.Payload.Sequence
	ev.Start, ev.End = in.Session.Start, in.Session.End
	// An offer asks for an answer; an accepted seat has nothing to answer (its page says
	// so too), nor has a cancellation.
	ev.Attendee = ics.Attendee{Person: ics.Person{Name: to.Name, Email: to.Email}, PartStat: ics.NeedsAction,
		RSVP: method == mail.CalendarRequest && a.State != "accepted"}
	if a.State == "accepted" {
		ev.Attendee.PartStat = ics.Accepted
	}
	var data []byte
	var err error
	if method == mail.CalendarRequest {
		data, err = ics.Request(ev, d.DueAt)
	} else {
		data, err = ics.Cancel(ev, d.DueAt)
	}
	if err != nil {
		return nil, fmt.Errorf("invite for %s: %w", d.ID, err)
	}
	return &mail.Calendar{Method: method, Data: data, FileName: "invite.ics"}, nil
}

// assignmentEvent is the calendar event of an interpreter's seat, as the invites and the
// interpreter's feed show it: SUMMARY names the meeting and the session, DESCRIPTION the
// booth in the interpreter's language, each tagged with its language; URL is the signed
// link of the assignment's page; an offer not yet answered is TENTATIVE.
func (n *Notifier) assignmentEvent(a assignment, meetingTitle, sessionTitle map[string]string, defaultLang string, now time.Time) ics.Event {
	lang := n.cfg.Renderer.Language(a.Locale, defaultLang)
	ev := ics.Event{
		SessionID: a.SessionID, RecipientID: signed.CalendarInterpreter + a.InterpreterID,
		Description: i18n.Printer(lang).Sprintf("label.booth") + " " + a.Booth, DescriptionLang: lang.String(),
		URL:       n.cfg.Links.AssignmentRespond(a.ID, now),
		Organizer: ics.Person{Name: n.cfg.From.Name, Email: n.cfg.From.Email},
		Status:    ics.StatusConfirmed,
	}
	ev.Summary, ev.SummaryLang = summary(meetingTitle, sessionTitle, a.Locale, defaultLang)
	switch a.State {
	case "offered":
		ev.Status = ics.StatusTentative
	case "accepted":
	default:
		ev.Status = ics.StatusCancelled
	}
	return ev
}

// summary is the SUMMARY of a session's event for a reader of locale: the meeting's and
// the session's titles, each picked by the one chain of i18n, and the language they are
// in ("" when they are in two).
func summary(meeting, session map[string]string, locale, defaultLang string) (string, string) {
	m, x := i18n.Pick(meeting, locale, defaultLang), i18n.Pick(session, locale, defaultLang)
	if text, lang := ics.Title(m.Text, m.Lang, x.Text, x.Lang); text != "" {
		return text, lang
	}
	return "Plenary", ""
}

// titleIn picks a title for a reader of lang with the one chain of i18n (so the answer
// never depends on map order); the meeting's when the session has none.
func titleIn(t map[string]string, lang string, fallback map[string]string) string {
	for _, src := range []map[string]string{t, fallback} {
		if v := i18n.Pick(src, lang, "").Text; v != "" {
			return v
		}
	}
	return "Plenary"
}
