package notifier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/httpx"
)

// Process applies one event: projection and planning in one transaction with the record
// of the event's id. An event already processed changes nothing; it reports whether the
// event was new.
func (n *Notifier) Process(ctx context.Context, ev contracts.Event) (bool, error) {
	fresh := false
	err := n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		fresh, err = n.processIn(ctx, tx, ev, true, nil)
		return err
	})
	if errors.Is(err, errPoison) {
		// An event that can never be applied must not hold back the stream behind it:
		// it is recorded as processed, with nothing else, and logged.
		n.log.Error("event cannot be applied; skipped", "event", ev.ID, "type", ev.Type, "error", err.Error())
		err = n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
			_, err := n.processIn(ctx, tx, ev, false, nil)
			return err
		})
		return false, err
	}
	return fresh, err
}

// processIn records ev as processed in tx and, when it is new and apply is set, applies
// it there, as one of the batch b when b is not nil (which then records it with the rest
// at its end). It reports whether ev was new. An envelope whose id or type cannot even
// be recorded (a NUL character) can never be applied nor remembered: it is skipped, not
// redelivered for ever.
func (n *Notifier) processIn(ctx context.Context, tx *sql.Tx, ev contracts.Event, apply bool, b *batch) (bool, error) {
	if err := httpx.Storable(ev); err != nil {
		n.log.Error("event envelope cannot be stored; dropped", "error", err.Error())
		return false, nil
	}
	now := n.now()
	if b != nil && b.seen != nil {
		if b.seen[ev.ID] {
			return false, nil
		}
		b.seen[ev.ID] = true
		b.record = append(b.record, processedEvent{id: ev.ID, typ: ev.Type, at: now})
	} else {
		res, err := tx.ExecContext(ctx, `INSERT INTO notifier_processed_events (event_id, event_type, processed_at) VALUES ($1, $2, $3)
		ON CONFLICT (event_id) DO NOTHING`, ev.ID, ev.Type, now)
		if err != nil {
			return false, fmt.Errorf("record event %s: %w", ev.ID, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return false, nil
		}
	}
	if !apply {
		return false, nil
	}
	return true, n.apply(ctx, tx, ev, now, b)
}

// errPoison marks an event whose payload does not decode.
var errPoison = errors.New("undecodable event")

func decode(ev contracts.Event, v any) error {
	if err := ev.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", errPoison, err)
	}
	// Text PostgreSQL cannot store would fail the event's transaction at every
	// redelivery: such an event is as undecodable as malformed JSON.
	if err := httpx.Storable(v); err != nil {
		return fmt.Errorf("%w: %w", errPoison, err)
	}
	return nil
}

// noticeTime is when a notice about ev is due: when the change happened, so that a
// projection rebuilt by replaying the stream finds old notices past their grace period
// (missed, not sent again), while events merely delayed by an outage still go out.
func noticeTime(ev contracts.Event, now time.Time) time.Time {
	if ev.OccurredAt.IsZero() || ev.OccurredAt.After(now) {
		return now
	}
	return ev.OccurredAt.UTC().Truncate(time.Microsecond)
}

func (n *Notifier) apply(ctx context.Context, tx *sql.Tx, ev contracts.Event, now time.Time, b *batch) error {
	at := noticeTime(ev, now)
	if ev.Type != contracts.SessionRescheduled {
		// Whatever else it is, it finds the reminders as applying the moves before it
		// one at a time would have left them.
		if err := n.replanMoved(ctx, tx, b); err != nil {
			return err
		}
	}
	switch ev.Type {
	case contracts.MeetingCreated, contracts.MeetingUpdated, contracts.MeetingDeleted:
		var p contracts.MeetingEvent
		if err := decode(ev, &p); err != nil {
			return err
		}
		return n.store.upsertMeeting(ctx, tx, p.Meeting, ev.Type == contracts.MeetingDeleted)

	case contracts.SessionScheduled, contracts.SessionUpdated:
		var p contracts.SessionEvent
		if err := decode(ev, &p); err != nil {
			return err
		}
		if _, err := n.store.upsertSession(ctx, tx, p.Session, ""); err != nil {
			return err
		}
		return n.reconcile(ctx, tx, p.Session.ID, "", now)

	case contracts.SessionRescheduled:
		var p contracts.SessionRescheduledEvent
		if err := decode(ev, &p); err != nil {
			return err
		}
		applied, err := n.store.upsertSession(ctx, tx, p.Session, "")
		if err != nil || !applied {
			return err
		}
		return n.applyMove(ctx, tx, p, at, now, b)

	case contracts.SessionCancelled:
		var p contracts.SessionEvent
		if err := decode(ev, &p); err != nil {
			return err
		}
		applied, err := n.store.upsertSession(ctx, tx, p.Session, p.Reason)
		if err != nil || !applied {
			return err
		}
		if err := n.reconcile(ctx, tx, p.Session.ID, "", now); err != nil {
			return err
		}
		return n.cancellationNotices(ctx, tx, p, at, now)

	case contracts.RegistrationCreated, contracts.RegistrationUpdated, contracts.RegistrationDeleted:
		return n.applyRegistration(ctx, tx, ev, at, now)

	case contracts.AssignmentOffered, contracts.AssignmentAccepted, contracts.AssignmentDeclined, contracts.AssignmentWithdrawn,
		contracts.AssignmentExpired:
		return n.applyAssignment(ctx, tx, ev, at, now)

	case contracts.InterpretationSeatsOpen:
		return n.applySeatsOpen(ctx, tx, ev, at, now)
	}
	return nil // an event type the notifier has no use for
}

// applyRegistration projects a registration event, re-plans the registrant's reminders
// and plans the confirmation (or the request to confirm) once.
func (n *Notifier) applyRegistration(ctx context.Context, tx *sql.Tx, ev contracts.Event, at, now time.Time) error {
	var p contracts.RegistrationEvent
	if err := decode(ev, &p); err != nil {
		return err
	}
	deleted := ev.Type == contracts.RegistrationDeleted
	applied, err := n.store.upsertRegistrant(ctx, tx, p.Registration, deleted)
	if err != nil || !applied {
		return err
	}
	r := p.Registration
	sessions, err := n.store.sessionsOf(ctx, tx, r.MeetingID)
	if err != nil {
		return err
	}
	for _, x := range sessions {
		if err := n.reconcile(ctx, tx, x.ID, toRegistration+r.ID, now); err != nil {
			return err
		}
	}
	if deleted || r.Unsubscribed {
		// Notices not yet sent are dropped too.
		pending, err := n.store.deliveries(ctx, tx, `recipient = $1 AND state = 'planned'`, toRegistration+r.ID)
		if err != nil {
			return err
		}
		return n.store.setState(ctx, tx, ids(pending), Cancelled, "", now)
	}
	switch {
	case r.Pending && ev.Type == contracts.RegistrationCreated:
		// Double opt-in: only the request to open the confirmation link.
		d := n.newDelivery(render.RegistrationPending, "pending|"+r.ID, toRegistration+r.ID, r.MeetingID, "", at)
		return n.store.insert(ctx, tx, d, now)
	case !r.Pending && ev.Type != contracts.RegistrationDeleted:
		// Active from creation (the secretariat's) or from its confirmation: one
		// confirmation, whichever event comes first (the key makes it once).
		d := n.newDelivery(render.RegistrationConfirmed, "confirm|"+r.ID, toRegistration+r.ID, r.MeetingID, "", at)
		return n.store.insert(ctx, tx, d, now)
	}
	return nil
}

// applyAssignment projects an assignment event (blanking erased interpreters), re-plans
// the interpreter's reminders and plans the email the event calls for, with its invite.
func (n *Notifier) applyAssignment(ctx context.Context, tx *sql.Tx, ev contracts.Event, at, now time.Time) error {
	var p contracts.AssignmentEvent
	if err := decode(ev, &p); err != nil {
		return err
	}
	a := p.Assignment
	if a.Session.ID != "" {
		if _, err := n.store.upsertSession(ctx, tx, a.Session, ""); err != nil {
			return err
		}
	}
	erased, err := n.store.erasedAmong(ctx, tx, a)
	if err != nil {
		return err
	}
	a = withoutErased(a, erased)
	if err := n.store.upsertAssignment(ctx, tx, a); err != nil {
		return err
	}
	if slices.Contains(erased, a.Interpreter.ID) {
		return nil // nothing is ever sent to an erased interpreter
	}
	if err := n.reconcile(ctx, tx, a.SessionID, toAssignment+a.ID, now); err != nil {
		return err
	}
	stored, ok, err := n.store.assignment(ctx, tx, a.ID)
	if err != nil || !ok {
		return err
	}
	if err := n.reconcileOffer(ctx, tx, stored, now); err != nil {
		return err
	}
	var kind render.Kind
	switch ev.Type {
	case contracts.AssignmentOffered:
		kind = render.AssignmentOffered
	case contracts.AssignmentWithdrawn:
		kind = render.AssignmentWithdrawn
	case contracts.AssignmentExpired:
		kind = render.AssignmentExpired
	default:
		return nil
	}
	if kind == render.AssignmentWithdrawn || kind == render.AssignmentExpired {
		told, err := n.offerReached(ctx, tx, toAssignment+a.ID, now)
		if err != nil || !told {
			return err
		}
	}
	// The new invite tells the calendar everything: a change notice still waiting out the
	// settle window for the same UID would follow it with an older SEQUENCE, and after a
	// cancellation it would put back what the CANCEL removed.
	if err := n.dropPendingChanges(ctx, tx, stored.SessionID, stored.InterpreterID, now); err != nil {
		return err
	}
	seq, err := n.store.nextInviteSequence(ctx, tx, stored.SessionID, stored.InterpreterID)
	if err != nil {
		return err
	}
	d := n.newDelivery(kind, fmt.Sprintf("%s|%s|seq%d", kind, a.ID, seq), toAssignment+a.ID, a.MeetingID, a.SessionID, at)
	d.Payload.Sequence = seq
	if kind == render.AssignmentOffered && !stored.Deadline.IsZero() {
		d.Payload.Deadline = &stored.Deadline
	}
	return n.store.insert(ctx, tx, d, now)
}

// dropPendingChanges cancels the change notices still planned for the invites of one UID
// (every assignment of the interpreter to the session). A change notice is the only
// invite that waits (the settle window); every other goes out when it is planned.
func (n *Notifier) dropPendingChanges(ctx context.Context, tx *sql.Tx, sessionID, interpreterID string, now time.Time) error {
	pending, err := n.store.deliveries(ctx, tx, `session_id = $1 AND kind = $2 AND state = 'planned'
		AND recipient IN (SELECT 'assignment:' || id FROM notifier_assignments WHERE session_id = $1 AND interpreter_id = $3)`,
		sessionID, string(render.AssignmentChanged), interpreterID)
	if err != nil {
		return err
	}
	return n.store.setState(ctx, tx, ids(pending), Cancelled, "", now)
}

// offerReached says whether the interpreter was sent the offer of an assignment (or may
// have been: a send in progress). An offer still planned is cancelled: a seat withdrawn
// before anyone heard of it, such as a proposal the secretariat drops, needs no email.
func (n *Notifier) offerReached(ctx context.Context, tx *sql.Tx, recipient string, now time.Time) (bool, error) {
	offers, err := n.store.deliveries(ctx, tx, `recipient = $1 AND kind = $2`, recipient, string(render.AssignmentOffered))
	if err != nil {
		return false, err
	}
	var planned []Delivery
	told := false
	for _, d := range offers {
		switch d.State {
		case Sent, Sending:
			told = true
		case Planned:
			planned = append(planned, d)
		}
	}
	if err := n.store.setState(ctx, tx, ids(planned), Cancelled, "", now); err != nil {
		return false, err
	}
	return told, nil
}

func ids(ds []Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// reconcile makes the planned reminders of a session (for one recipient, or all when
// recipient is empty) what the rules say now: reminders of an old schedule version, of a
// cancelled session, or of someone who no longer wants them are cancelled; missing ones
// are planned.
func (n *Notifier) reconcile(ctx context.Context, tx *sql.Tx, sessionID, recipient string, now time.Time) error {
	x, ok, err := n.store.session(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	want, err := n.wantedReminders(ctx, tx, x, ok, recipient, nil, now)
	if err != nil {
		return err
	}
	where, args := `session_id = $1 AND kind = 'reminder' AND state = 'planned'`, []any{sessionID}
	if recipient != "" {
		where, args = where+` AND recipient = $2`, append(args, recipient)
	}
	have, err := n.store.deliveries(ctx, tx, where, args...)
	if err != nil {
		return err
	}
	return n.replacePlanned(ctx, tx, have, want, now)
}

// batch is what the events applied in one transaction share. A session's move re-plans
// its reminders only when the batch ends or another kind of event comes (the last move
// wins: the reminders of the versions in between would only be planned and cancelled),
// and the people of a moved session are read once for all its moves until then; its
// change notices are planned at each move, as each requires.
//
// The events of a batch are recorded as processed in one statement at its end: seen holds
// the ids of those processed before it or in it (read in one query when it begins).
type batch struct {
	order  []string           // sessions moved whose reminders wait, in order of first move
	moved  map[string]session // by id: as the last move left it
	people map[string]sessionPeople
	seen   map[string]bool
	record []processedEvent
}

type processedEvent struct {
	id, typ string
	at      time.Time
}

// replanMoved re-plans the reminders of the sessions moved in b since it last did.
func (n *Notifier) replanMoved(ctx context.Context, tx *sql.Tx, b *batch) error {
	if b == nil || len(b.order) == 0 {
		return nil
	}
	now := n.now()
	for _, id := range b.order {
		x, people := b.moved[id], b.people[id]
		if err := n.replanReminders(ctx, tx, x, &people, nil, now); err != nil {
			return err
		}
	}
	b.order = b.order[:0]
	clear(b.moved)
	clear(b.people)
	return nil
}

// replanReminders makes the planned reminders of a session, whose people are known, what
// the rules want now; planned are its planned reminders when already read.
func (n *Notifier) replanReminders(ctx context.Context, tx *sql.Tx, x session, people *sessionPeople, planned []Delivery, now time.Time) error {
	if planned == nil {
		var err error
		if planned, err = n.store.deliveries(ctx, tx, `session_id = $1 AND kind = 'reminder' AND state = 'planned'`, x.ID); err != nil {
			return err
		}
	}
	want, err := n.wantedReminders(ctx, tx, x, true, "", people, now)
	if err != nil {
		return err
	}
	return n.replacePlanned(ctx, tx, planned, want, now)
}

// applyMove re-plans a session's reminders after a move (at the end of the batch, when it
// is one of b) and plans its change notices, from one read of the people it concerns and
// of its planned reminders and notices. The session is the one the move just stored.
func (n *Notifier) applyMove(ctx context.Context, tx *sql.Tx, p contracts.SessionRescheduledEvent, at, now time.Time, b *batch) error {
	x := asStored(p.Session, "")
	people, known := sessionPeople{}, false
	if b != nil {
		people, known = b.people[x.ID]
	}
	if !known {
		var err error
		if people, err = n.peopleOf(ctx, tx, x); err != nil {
			return err
		}
	}
	if b != nil {
		waiting, err := n.store.deliveries(ctx, tx, `session_id = $1 AND kind IN ($2, $3) AND state = 'planned' ORDER BY id`,
			x.ID, string(render.SessionChanged), string(render.AssignmentChanged))
		if err != nil {
			return err
		}
		b.wait(x, people)
		return n.changeNotices(ctx, tx, p, x, people, waiting, at, now)
	}
	planned, err := n.store.deliveries(ctx, tx, `session_id = $1 AND state = 'planned' AND kind IN ('reminder', $2, $3) ORDER BY id`,
		x.ID, string(render.SessionChanged), string(render.AssignmentChanged))
	if err != nil {
		return err
	}
	reminders, waiting := []Delivery{}, []Delivery(nil)
	for _, d := range planned {
		if d.Kind == render.Reminder {
			reminders = append(reminders, d)
		} else {
			waiting = append(waiting, d)
		}
	}
	if err := n.replanReminders(ctx, tx, x, &people, reminders, now); err != nil {
		return err
	}
	return n.changeNotices(ctx, tx, p, x, people, waiting, at, now)
}

// wait notes that x's reminders are to be re-planned, with its people, when the batch ends.
func (b *batch) wait(x session, people sessionPeople) {
	if b.moved == nil {
		b.moved, b.people = map[string]session{}, map[string]sessionPeople{}
	}
	if _, ok := b.moved[x.ID]; !ok {
		b.order = append(b.order, x.ID)
	}
	b.moved[x.ID], b.people[x.ID] = x, people
}

// wantedReminders are the reminders the rules want for a session now (for one recipient,
// or all when recipient is empty), by key: none for a session gone, cancelled, or of a
// deleted meeting. known, when given, are the session's people, already read.
func (n *Notifier) wantedReminders(ctx context.Context, tx *sql.Tx, x session, ok bool, recipient string, known *sessionPeople, now time.Time) (map[string]Delivery, error) {
	want := map[string]Delivery{}
	if !ok || x.cancelled() {
		return want, nil
	}
	rules, deleted, err := n.store.liveRules(ctx, tx, x.MeetingID, n.cfg.Rules)
	if err != nil || deleted {
		return want, err
	}
	recipients, err := n.reminderRecipients(ctx, tx, x, recipient, known)
	if err != nil {
		return nil, err
	}
	for _, rc := range recipients {
		if recipient != "" && rc != recipient {
			continue
		}
		audience := Registrants
		if rc[:len(toAssignment)] == toAssignment {
			audience = Interpreters
		}
		for _, rule := range rules {
			due := x.Start.Add(-rule.Before)
			if rule.Audience != audience || due.Before(now.Add(-n.cfg.Grace)) {
				continue // a reminder whose moment passed before it was planned
			}
			key := fmt.Sprintf("reminder|%s|%s|%s|v%d", rc, x.ID, rule.Name, x.ScheduleVersion)
			d := n.newDelivery(render.Reminder, key, rc, x.MeetingID, x.ID, due)
			d.Rule, d.ScheduleVersion = rule.Name, x.ScheduleVersion
			want[key] = d
		}
	}
	return want, nil
}

// reminderRecipients are who is reminded of a session (one recipient's change reads only
// them): registrants who cover it, consent and are active, and interpreters with an
// accepted assignment and an address. known, when given, are the session's people.
func (n *Notifier) reminderRecipients(ctx context.Context, tx *sql.Tx, x session, recipient string, known *sessionPeople) ([]string, error) {
	var regs []registrant
	var asgs []assignment
	id, one := strings.CutPrefix(recipient, toRegistration)
	var err error
	switch {
	case known != nil:
		regs, asgs = known.regs, known.asgs
	case one:
		// One registrant's change: read only them, not the whole meeting.
		r, found, err := n.store.registrant(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if found && !r.Deleted && r.MeetingID == x.MeetingID {
			regs = append(regs, r)
		}
	case recipient == "":
		if regs, err = n.store.registrantsCovering(ctx, tx, x.MeetingID, x.ID); err != nil {
			return nil, err
		}
	}
	if known == nil && !one {
		if asgs, err = n.store.assignmentsWhere(ctx, tx, `session_id = $1 AND state = 'accepted'`, x.ID); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, r := range regs {
		if r.Consent && !r.Unsubscribed && !r.Pending && r.covers(x.ID) {
			out = append(out, toRegistration+r.ID)
		}
	}
	for _, a := range asgs {
		if a.State == "accepted" && a.Email != "" { // an erased interpreter has no address
			out = append(out, toAssignment+a.ID)
		}
	}
	return out, nil
}

// sessionPeople are the people a change to a session may concern: the registrants of its
// meeting who may cover it and the interpreters with an offered or accepted assignment
// to it and an address (an erased interpreter has none and is never told anything).
type sessionPeople struct {
	regs []registrant
	asgs []assignment
}

func (n *Notifier) peopleOf(ctx context.Context, tx *sql.Tx, x session) (sessionPeople, error) {
	regs, err := n.store.registrantsCovering(ctx, tx, x.MeetingID, x.ID)
	if err != nil {
		return sessionPeople{}, err
	}
	asgs, err := n.store.assignmentsWhere(ctx, tx, `session_id = $1 AND state IN ('offered', 'accepted')`, x.ID)
	asgs = slices.DeleteFunc(asgs, func(a assignment) bool { return a.Email == "" })
	return sessionPeople{regs: regs, asgs: asgs}, err
}

// noticeRecipients are the registrants told of a change to a session: those who cover it
// and have not unsubscribed (consent to reminders is not needed for a change notice). The
// interpreters told are all of people.asgs.
func noticeRecipients(x session, people sessionPeople) []string {
	var out []string
	for _, r := range people.regs {
		if !r.Unsubscribed && !r.Pending && r.covers(x.ID) {
			out = append(out, toRegistration+r.ID)
		}
	}
	return out
}

// changeNotices plans one change notice per recipient. A notice still waiting out the
// settle window absorbs the new change: it keeps the oldest previous time and waits again.
// waiting are the session's change notices still planned, by id. The registrants' waiting
// notices are moved in one statement and the new ones inserted in one: a move of a session
// with many registrants used to cost two statements per registrant.
func (n *Notifier) changeNotices(ctx context.Context, tx *sql.Tx, p contracts.SessionRescheduledEvent, x session, people sessionPeople,
	waiting []Delivery, at, now time.Time) error {
	regs, asgs := noticeRecipients(x, people), people.asgs
	pending := map[string]Delivery{} // by kind and recipient: the first, as one query each found it
	for _, d := range waiting {
		if _, ok := pending[string(d.Kind)+" "+d.Recipient]; !ok {
			pending[string(d.Kind)+" "+d.Recipient] = d
		}
	}
	due := at.Add(n.cfg.Settle)
	var moved []string
	var fresh []Delivery
	newNotice := func(kind render.Kind, rc string, seq int64) Delivery {
		d := n.newDelivery(kind, fmt.Sprintf("change|%s|%s|v%d", rc, x.ID, x.ScheduleVersion), rc, x.MeetingID, x.ID, due)
		d.ScheduleVersion = x.ScheduleVersion
		prev := p.Previous
		d.Payload = Payload{Previous: &prev, Sequence: seq}
		return d
	}
	for _, rc := range regs {
		if d, ok := pending[string(render.SessionChanged)+" "+rc]; ok {
			moved = append(moved, d.ID)
			continue
		}
		fresh = append(fresh, newNotice(render.SessionChanged, rc, 0))
	}
	if err := n.store.movePlanned(ctx, tx, moved, due, x.ScheduleVersion, now); err != nil {
		return err
	}
	for _, a := range asgs {
		seq, err := n.store.nextInviteSequence(ctx, tx, a.SessionID, a.InterpreterID)
		if err != nil {
			return err
		}
		rc := toAssignment + a.ID
		d, ok := pending[string(render.AssignmentChanged)+" "+rc]
		if !ok {
			fresh = append(fresh, newNotice(render.AssignmentChanged, rc, seq))
			continue
		}
		d.DueAt, d.ScheduleVersion = due, x.ScheduleVersion
		if seq > 0 {
			d.Payload.Sequence = seq
		}
		if err := n.store.updatePlanned(ctx, tx, d, now); err != nil {
			return err
		}
	}
	return n.store.insertAll(ctx, tx, fresh, now)
}

// cancellationNotices drops every pending email about the session and plans one
// cancellation notice per recipient (with a METHOD:CANCEL invite for interpreters).
func (n *Notifier) cancellationNotices(ctx context.Context, tx *sql.Tx, p contracts.SessionEvent, at, now time.Time) error {
	pending, err := n.store.deliveries(ctx, tx, `session_id = $1 AND state = 'planned'`, p.Session.ID)
	if err != nil {
		return err
	}
	if err := n.store.setState(ctx, tx, ids(pending), Cancelled, "", now); err != nil {
		return err
	}
	x, _, err := n.store.session(ctx, tx, p.Session.ID)
	if err != nil {
		return err
	}
	people, err := n.peopleOf(ctx, tx, x)
	if err != nil {
		return err
	}
	regs, asgs := noticeRecipients(x, people), people.asgs
	for _, rc := range regs {
		d := n.newDelivery(render.SessionCancelled, "cancel|"+rc+"|"+x.ID, rc, x.MeetingID, x.ID, at)
		d.Payload.Reason = p.Reason
		if err := n.store.insert(ctx, tx, d, now); err != nil {
			return err
		}
	}
	for _, a := range asgs {
		seq, err := n.store.nextInviteSequence(ctx, tx, a.SessionID, a.InterpreterID)
		if err != nil {
			return err
		}
		d := n.newDelivery(render.SessionCancelled, "cancel|"+toAssignment+a.ID+"|"+x.ID, toAssignment+a.ID, x.MeetingID, x.ID, at)
		d.Payload = Payload{Reason: p.Reason, Sequence: seq}
		if err := n.store.insert(ctx, tx, d, now); err != nil {
			return err
		}
	}
	return nil
}

// replacePlanned makes the planned deliveries have what want says (by key): a planned
// delivery no longer wanted is cancelled, a wanted one not yet planned is inserted (in key
// order, so replays plan alike), and one planned and wanted stays as it is.
func (n *Notifier) replacePlanned(ctx context.Context, tx *sql.Tx, have []Delivery, want map[string]Delivery, now time.Time) error {
	var drop []string
	for _, d := range have {
		if _, ok := want[d.Key]; ok {
			delete(want, d.Key)
			continue
		}
		drop = append(drop, d.ID)
	}
	if err := n.store.setState(ctx, tx, drop, Cancelled, "", now); err != nil {
		return err
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	plan := make([]Delivery, len(keys))
	for i, k := range keys {
		plan[i] = want[k]
	}
	return n.store.insertAll(ctx, tx, plan, now)
}
