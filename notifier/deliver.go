package notifier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/registration"
)

// TickStats counts what one tick did.
type TickStats struct {
	Sent, Missed, Cancelled, Failed, Retried int
}

// errSkip marks a delivery that must not go out any more (recipient gone, session moved).
var errSkip = errors.New("delivery no longer wanted")

// Tick claims every due delivery, batch after batch, and sends it.
func (n *Notifier) Tick(ctx context.Context) (TickStats, error) {
	n.tick.Lock()
	defer n.tick.Unlock()
	var st TickStats
	for {
		batch, missed, err := n.claim(ctx)
		if err != nil {
			return st, err
		}
		st.Missed += missed
		if len(batch) == 0 && missed == 0 {
			return st, nil
		}
		if err := n.sendBatch(ctx, batch, &st); err != nil {
			return st, err
		}
	}
}

// claim moves up to Batch due rows to sending (and rows past their grace to missed) in
// one transaction. Rows left in sending by a notifier that stopped between send and mark
// are claimed again once their lease has run out.
func (n *Notifier) claim(ctx context.Context) ([]Delivery, int, error) {
	var out []Delivery
	missed := 0
	err := n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		out, missed = nil, 0
		now := n.now()
		ds, err := n.store.deliveries(ctx, tx, `(state = 'planned' AND due_at <= $1) OR (state = 'sending' AND lease_until <= $1)
			ORDER BY due_at, id LIMIT `+fmt.Sprint(n.cfg.Batch)+n.cfg.DB.SkipLocked(), now)
		if err != nil {
			return err
		}
		var late, claim []string
		for _, d := range ds {
			grace := n.cfg.Grace
			if d.Kind != render.Reminder {
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
		for len(claim) > 0 {
			chunk := claim[:min(len(claim), 500)]
			claim = claim[len(chunk):]
			args := []any{now, now.Add(n.cfg.Lease)}
			ph := make([]string, len(chunk))
			for i, id := range chunk {
				args = append(args, id)
				ph[i] = fmt.Sprintf("$%d", i+3)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notifier_deliveries SET state = 'sending', lease_until = $2, attempts = attempts + 1,
				updated_at = $1 WHERE id IN (`+strings.Join(ph, ",")+`)`, args...); err != nil {
				return fmt.Errorf("claim deliveries: %w", err)
			}
		}
		return nil
	})
	return out, missed, err
}

// world is the projection a batch of deliveries needs, read once per batch.
type world struct {
	meetings    map[string]meeting
	sessions    map[string]session
	registrants map[string]registrant
	assignments map[string]assignment
}

func (n *Notifier) load(ctx context.Context, q querier, ds []Delivery) (world, error) {
	w := world{map[string]meeting{}, map[string]session{}, map[string]registrant{}, map[string]assignment{}}
	var regIDs []string
	confirmed := map[string]bool{}
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
		if _, ok := w.sessions[d.SessionID]; !ok && d.SessionID != "" {
			x, _, err := n.store.session(ctx, q, d.SessionID)
			if err != nil {
				return w, err
			}
			w.sessions[d.SessionID] = x
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
	// Registrants are read in chunks: a batch of reminders is mostly one per registrant.
	for len(regIDs) > 0 {
		chunk := regIDs[:min(len(regIDs), 500)]
		regIDs = regIDs[len(chunk):]
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := q.QueryContext(ctx, `SELECT `+registrantCols+` FROM notifier_registrations WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return w, fmt.Errorf("read registrations: %w", err)
		}
		for rows.Next() {
			r, err := scanRegistrant(rows)
			if err != nil {
				rows.Close()
				return w, fmt.Errorf("scan registration: %w", err)
			}
			w.registrants[r.ID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return w, err
		}
	}
	return w, nil
}

type outcome struct {
	d   Delivery
	err error
}

func (n *Notifier) sendBatch(ctx context.Context, batch []Delivery, st *TickStats) error {
	if len(batch) == 0 {
		return nil
	}
	w, err := n.load(ctx, n.cfg.DB, batch)
	if err != nil {
		return err
	}
	now := n.now()
	results := make([]outcome, len(batch))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var crash error
	var crashOnce sync.Once
	for range n.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d := batch[i]
				msg, err := n.compose(d, w, now)
				if err == nil {
					err = n.cfg.Sender.Send(ctx, msg)
					if err == nil && n.cfg.AfterSend != nil {
						if herr := n.cfg.AfterSend(ctx, d); herr != nil {
							crashOnce.Do(func() { crash = herr })
						}
					}
				}
				results[i] = outcome{d: d, err: err}
			}
		}()
	}
	for i := range batch {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if crash != nil {
		// Stop as a crash would: nothing is marked, the rows stay in sending.
		return fmt.Errorf("stopped after send: %w", crash)
	}

	var sent, skipped []string
	var failed []outcome
	for _, r := range results {
		switch {
		case r.err == nil:
			sent = append(sent, r.d.ID)
		case errors.Is(r.err, errSkip):
			skipped = append(skipped, r.d.ID)
		default:
			failed = append(failed, r)
		}
	}
	return n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := n.store.setState(ctx, tx, sent, Sent, "", now); err != nil {
			return err
		}
		if err := n.store.setState(ctx, tx, skipped, Cancelled, "", now); err != nil {
			return err
		}
		st.Sent += len(sent)
		st.Cancelled += len(skipped)
		for _, f := range failed {
			state := Failed
			// A temporary failure (the sender has already retried with backoff) is tried
			// again at the next tick, up to three claims.
			if mail.IsTemporary(f.err) && f.d.Attempts+1 < 3 {
				state = Planned
				st.Retried++
			} else {
				st.Failed++
			}
			n.log.Warn("delivery failed", "delivery", f.d.ID, "kind", f.d.Kind, "state", state, "error", f.err.Error())
			if err := n.store.setState(ctx, tx, []string{f.d.ID}, state, f.err.Error(), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// compose renders a delivery for its recipient, or returns errSkip when it must not go
// out any more.
func (n *Notifier) compose(d Delivery, w world, now time.Time) (mail.Message, error) {
	in, to, cal, unsubscribe, err := n.input(d, w, now, true)
	if err != nil {
		return mail.Message{}, err
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
	msg := mail.Message{
		From: n.cfg.From, To: to, Subject: out.Subject, Text: out.Text, HTML: out.HTML, Lang: out.Lang,
		MessageID: d.MessageID, Date: d.DueAt, Calendar: cal,
	}
	// List-Unsubscribe must be https (RFC 8058); a development server on http keeps the
	// link in the body only.
	if strings.HasPrefix(unsubscribe, "https://") {
		msg.Unsubscribe = unsubscribe
	}
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
	links := n.cfg.Links
	if id, ok := strings.CutPrefix(d.Recipient, toRegistration); ok {
		r := w.registrants[id]
		if r.ID == "" || skip(r.Deleted || r.Unsubscribed || (d.Kind == render.Reminder && (!r.Consent || !r.covers(x.ID)))) {
			return in, mail.Address{}, nil, "", errSkip
		}
		in.RecipientName, in.Locale, in.Zone = r.Name, r.Locale, location(r.TZ)
		in.Links.Manage = links.Manage(r.ID, now)
		in.Links.Unsubscribe = links.Unsubscribe(r.ID, now)
		if d.Kind == render.RegistrationConfirmed {
			in.Sessions = len(r.Sessions)
			if in.Sessions == 0 {
				in.Sessions = w.countSessions(m.ID)
			}
		}
		return in, mail.Address{Name: r.Name, Email: r.Email}, nil, in.Links.Unsubscribe, nil
	}
	id, _ := strings.CutPrefix(d.Recipient, toAssignment)
	a := w.assignments[id]
	if a.ID == "" || skip(d.Kind == render.Reminder && a.State != "accepted") {
		return in, mail.Address{}, nil, "", errSkip
	}
	in.RecipientName, in.Locale, in.Zone, in.Booth = a.Name, a.Locale, location(a.TZ), a.Booth
	for _, t := range a.Team {
		in.Team = append(in.Team, t.Name)
	}
	if d.Kind == render.AssignmentOffered {
		in.Links.Accept = links.AssignmentRespond(a.ID, now) + "&action=accept"
		in.Links.Decline = links.AssignmentRespond(a.ID, now) + "&action=decline"
	}
	to := mail.Address{Name: a.Name, Email: a.Email}
	cal, err := n.invite(d, a, in, to)
	return in, to, cal, "", err
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
	case render.AssignmentWithdrawn, render.SessionCancelled:
		method = mail.CalendarCancel
	default:
		return nil, nil
	}
	lang := n.cfg.Renderer.Language(a.Locale, in.DefaultLang)
	ev := ics.Event{
		SessionID: a.SessionID, RecipientID: registration.CalendarInterpreter + a.InterpreterID, Sequence: d.Payload.Sequence,
		Start: in.Session.Start, End: in.Session.End, Summary: titleIn(in.SessionTitle, lang.String(), in.MeetingTitle),
		Description: "Booth " + a.Booth, Lang: lang.String(),
		Organizer: ics.Person{Name: n.cfg.From.Name, Email: n.cfg.From.Email},
		Attendee:  ics.Attendee{Person: ics.Person{Name: to.Name, Email: to.Email}, RSVP: method == mail.CalendarRequest},
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

// titleIn picks a title in lang, else English, else any; the meeting's when the session
// has none.
func titleIn(t map[string]string, lang string, fallback map[string]string) string {
	for _, src := range []map[string]string{t, fallback} {
		for _, k := range []string{lang, "en"} {
			if v := src[k]; v != "" {
				return v
			}
		}
		for _, v := range src {
			if v != "" {
				return v
			}
		}
	}
	return "Plenary"
}
