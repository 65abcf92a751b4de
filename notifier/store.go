package notifier

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/db"
)

// querier is the platform's db.Querier: *sql.DB or *sql.Tx.
type querier = db.Querier

// store is the notifier's SQL: its projection and its deliveries. It reads and writes
// only notifier_* tables.
type store struct {
	db *db.DB

	// markMu guards markStmt, the one-row setState prepared once: the delivery loop marks
	// every email on its own, and on SQLite parsing the statement cost a third of it.
	markMu   sync.Mutex
	markStmt *sql.Stmt
	// sentStmt is recordSent's statement, prepared once (under markMu).
	sentStmt *sql.Stmt
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// meeting is the projection of a meeting.
type meeting struct {
	ID          string
	Title       contracts.Text
	VenueTZ     string
	DefaultLang string
	// SecretariatEmail is where notices for the secretariat go; empty: nowhere.
	SecretariatEmail string
	Deleted          bool
	Version          int64
}

// session is the projection of a session.
type session struct {
	ID              string
	MeetingID       string
	Title           contracts.Text
	Start, End      time.Time
	TZ              string
	Status          string
	CancelReason    string
	ScheduleVersion int64
	Version         int64
}

func (x session) cancelled() bool { return x.Status == "cancelled" }

// registrant is the projection of a registration.
type registrant struct {
	ID           string
	MeetingID    string
	Name, Email  string
	Locale, TZ   string
	Sessions     []string
	Consent      bool
	Unsubscribed bool
	// Pending: a self-registration not confirmed yet; it gets the confirmation request
	// and nothing else (no reminder, no notice).
	Pending bool
	Deleted bool
	Version int64
}

func (r registrant) covers(sessionID string) bool {
	if len(r.Sessions) == 0 {
		return true
	}
	for _, s := range r.Sessions {
		if s == sessionID {
			return true
		}
	}
	return false
}

// assignment is the projection of an assignment with its interpreter.
type assignment struct {
	ID, MeetingID, SessionID string
	InterpreterID            string
	Name, Email, Locale, TZ  string
	Booth, Role, State       string
	Sequence                 int64 // the assignment's revision in interpretation: orders its events
	Team                     []contracts.TeamMember
	// Deadline is when the offer lapses unanswered (an offered assignment; zero otherwise).
	Deadline time.Time
}

func (s *store) upsertMeeting(ctx context.Context, q querier, m contracts.Meeting, deleted bool) error {
	_, err := q.ExecContext(ctx, `INSERT INTO notifier_meetings (id, title, venue_tz, default_lang, deleted, version, secretariat_email)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, venue_tz = excluded.venue_tz,
			default_lang = excluded.default_lang, deleted = excluded.deleted, version = excluded.version,
			secretariat_email = excluded.secretariat_email
		WHERE notifier_meetings.version <= excluded.version`,
		m.ID, jsonText(m.Title), m.VenueTZ, m.DefaultLang, deleted, m.Version, m.SecretariatEmail)
	if err != nil {
		return fmt.Errorf("project meeting %s: %w", m.ID, err)
	}
	return nil
}

func (s *store) meeting(ctx context.Context, q querier, id string) (meeting, bool, error) {
	var m meeting
	var title string
	err := q.QueryRowContext(ctx, `SELECT id, title, venue_tz, default_lang, deleted, version, secretariat_email FROM notifier_meetings WHERE id = $1`, id).
		Scan(&m.ID, &title, &m.VenueTZ, &m.DefaultLang, &m.Deleted, &m.Version, &m.SecretariatEmail)
	if db.NotFound(err) {
		return meeting{}, false, nil
	}
	if err != nil {
		return meeting{}, false, fmt.Errorf("read meeting %s: %w", id, err)
	}
	_ = json.Unmarshal([]byte(title), &m.Title)
	return m, true, nil
}

// upsertSession stores a session unless a newer version is stored; it reports whether
// the event's state was applied.
func (s *store) upsertSession(ctx context.Context, q querier, x contracts.Session, reason string) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO notifier_sessions (id, meeting_id, title, start_utc, end_utc, tz, status, cancel_reason, schedule_version, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, title = excluded.title, start_utc = excluded.start_utc,
			end_utc = excluded.end_utc, tz = excluded.tz, status = excluded.status, cancel_reason = excluded.cancel_reason,
			schedule_version = excluded.schedule_version, version = excluded.version
		WHERE notifier_sessions.version <= excluded.version`,
		x.ID, x.MeetingID, jsonText(x.Title), x.StartUTC.UTC(), x.EndUTC.UTC(), x.TZ, x.Status, reason, x.ScheduleVersion, x.Version)
	if err != nil {
		return false, fmt.Errorf("project session %s: %w", x.ID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

const sessionCols = `id, meeting_id, title, start_utc, end_utc, tz, status, cancel_reason, schedule_version, version`

func scanSession(row interface{ Scan(...any) error }) (session, error) {
	var x session
	var title string
	if err := row.Scan(&x.ID, &x.MeetingID, &title, &x.Start, &x.End, &x.TZ, &x.Status, &x.CancelReason, &x.ScheduleVersion, &x.Version); err != nil {
		return session{}, err
	}
	_ = json.Unmarshal([]byte(title), &x.Title)
	x.Start, x.End = x.Start.UTC(), x.End.UTC()
	return x, nil
}

// asStored is the session as upsertSession stores x (and session reads it back), for
// an event whose state was just applied.
func asStored(x contracts.Session, reason string) session {
	return session{ID: x.ID, MeetingID: x.MeetingID, Title: x.Title, Start: x.StartUTC.UTC(), End: x.EndUTC.UTC(), TZ: x.TZ,
		Status: x.Status, CancelReason: reason, ScheduleVersion: x.ScheduleVersion, Version: x.Version}
}

func (s *store) session(ctx context.Context, q querier, id string) (session, bool, error) {
	x, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM notifier_sessions WHERE id = $1`, id))
	if db.NotFound(err) {
		return session{}, false, nil
	}
	if err != nil {
		return session{}, false, fmt.Errorf("read session %s: %w", id, err)
	}
	return x, true, nil
}

// sessionsByID reads the sessions of ids that exist (in chunks of 500).
func (s *store) sessionsByID(ctx context.Context, q querier, ids []string) ([]session, error) {
	var out []session
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		rows, err := q.QueryContext(ctx, `SELECT `+sessionCols+` FROM notifier_sessions WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read sessions: %w", err)
		}
		for rows.Next() {
			x, err := scanSession(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan session: %w", err)
			}
			out = append(out, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read sessions: %w", err)
		}
	}
	return out, nil
}

func (s *store) sessionsOf(ctx context.Context, q querier, meetingID string) ([]session, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sessionCols+` FROM notifier_sessions WHERE meeting_id = $1 ORDER BY start_utc, id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", meetingID, err)
	}
	defer rows.Close()
	var out []session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func (s *store) upsertRegistrant(ctx context.Context, q querier, r contracts.Registration, deleted bool) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO notifier_registrations (id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, deleted, version, pending)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, locale = excluded.locale, tz = excluded.tz,
			sessions = excluded.sessions, consent_reminders = excluded.consent_reminders, unsubscribed = excluded.unsubscribed,
			deleted = excluded.deleted, version = excluded.version, pending = excluded.pending
		WHERE notifier_registrations.version <= excluded.version AND NOT notifier_registrations.deleted`,
		r.ID, r.MeetingID, r.Name, r.Email, r.Locale, r.TZ, jsonText(nonNil(r.Sessions)), r.ConsentReminders, r.Unsubscribed, deleted, r.Version, r.Pending)
	if err != nil {
		return false, fmt.Errorf("project registration %s: %w", r.ID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const registrantCols = `id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, deleted, version, pending`

func scanRegistrant(row interface{ Scan(...any) error }) (registrant, error) {
	var r registrant
	var sessions string
	if err := row.Scan(&r.ID, &r.MeetingID, &r.Name, &r.Email, &r.Locale, &r.TZ, &sessions, &r.Consent, &r.Unsubscribed, &r.Deleted, &r.Version, &r.Pending); err != nil {
		return registrant{}, err
	}
	_ = json.Unmarshal([]byte(sessions), &r.Sessions)
	return r, nil
}

func (s *store) registrant(ctx context.Context, q querier, id string) (registrant, bool, error) {
	r, err := scanRegistrant(q.QueryRowContext(ctx, `SELECT `+registrantCols+` FROM notifier_registrations WHERE id = $1`, id))
	if db.NotFound(err) {
		return registrant{}, false, nil
	}
	if err != nil {
		return registrant{}, false, fmt.Errorf("read registration %s: %w", id, err)
	}
	return r, true, nil
}

// registrantsCovering are the registrants of a meeting who may cover a session: those
// of all sessions and those whose list names it. The list is JSON text, so the test is a
// LIKE on the id as JSON writes it; callers still check covers. A session's change used
// to read and decode every registrant of its meeting.
func (s *store) registrantsCovering(ctx context.Context, q querier, meetingID, sessionID string) ([]registrant, error) {
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(jsonText(sessionID))
	rows, err := q.QueryContext(ctx, `SELECT `+registrantCols+` FROM notifier_registrations
		WHERE meeting_id = $1 AND NOT deleted AND (sessions IN ('[]', 'null', '') OR sessions LIKE $2 ESCAPE '\')
		ORDER BY id`, meetingID, "%"+like+"%")
	if err != nil {
		return nil, fmt.Errorf("list registrations of %s for %s: %w", meetingID, sessionID, err)
	}
	defer rows.Close()
	var out []registrant
	for rows.Next() {
		r, err := scanRegistrant(rows)
		if err != nil {
			return nil, fmt.Errorf("scan registration: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *store) upsertAssignment(ctx context.Context, q querier, a contracts.Assignment) error {
	var deadline sql.NullTime
	if a.Deadline != nil && a.State == "offered" {
		deadline = sql.NullTime{Time: a.Deadline.UTC(), Valid: true}
	}
	_, err := q.ExecContext(ctx, `INSERT INTO notifier_assignments (id, meeting_id, session_id, interpreter_id, name, email, locale, tz, booth, role, state, sequence, team, deadline)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, session_id = excluded.session_id,
			interpreter_id = excluded.interpreter_id, name = excluded.name, email = excluded.email, locale = excluded.locale,
			tz = excluded.tz, booth = excluded.booth, role = excluded.role, state = excluded.state,
			sequence = excluded.sequence, team = excluded.team, deadline = excluded.deadline
		WHERE notifier_assignments.sequence <= excluded.sequence`,
		a.ID, a.MeetingID, a.SessionID, a.Interpreter.ID, a.Interpreter.Name, a.Interpreter.Email, a.Interpreter.Locale,
		a.Interpreter.TZ, a.Booth, a.Role, a.State, a.Sequence, jsonText(a.Team), deadline)
	if err != nil {
		return fmt.Errorf("project assignment %s: %w", a.ID, err)
	}
	return nil
}

const assignmentCols = `id, meeting_id, session_id, interpreter_id, name, email, locale, tz, booth, role, state, sequence, team, deadline`

func scanAssignment(row interface{ Scan(...any) error }) (assignment, error) {
	var a assignment
	var team string
	var deadline sql.NullTime
	if err := row.Scan(&a.ID, &a.MeetingID, &a.SessionID, &a.InterpreterID, &a.Name, &a.Email, &a.Locale, &a.TZ,
		&a.Booth, &a.Role, &a.State, &a.Sequence, &team, &deadline); err != nil {
		return assignment{}, err
	}
	_ = json.Unmarshal([]byte(team), &a.Team)
	if deadline.Valid {
		a.Deadline = deadline.Time.UTC()
	}
	return a, nil
}

func (s *store) assignment(ctx context.Context, q querier, id string) (assignment, bool, error) {
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentCols+` FROM notifier_assignments WHERE id = $1`, id))
	if db.NotFound(err) {
		return assignment{}, false, nil
	}
	if err != nil {
		return assignment{}, false, fmt.Errorf("read assignment %s: %w", id, err)
	}
	return a, true, nil
}

func (s *store) assignmentsWhere(ctx context.Context, q querier, where string, arg string) ([]assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+assignmentCols+` FROM notifier_assignments WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, fmt.Errorf("list assignments: %w", err)
	}
	defer rows.Close()
	var out []assignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, fmt.Errorf("scan assignment: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// nextInviteSequence raises and returns the SEQUENCE of the next invite of the UID that
// sessionID and interpreterID make (ics.UID): 0 for the first, one more than the last
// for each later one, whichever of the interpreter's assignments to the session it is
// about. The notifier is the only owner of this number: interpretation's assignment
// sequence only orders an assignment's events.
func (s *store) nextInviteSequence(ctx context.Context, q querier, sessionID, interpreterID string) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `INSERT INTO notifier_invite_sequences (session_id, interpreter_id, sequence) VALUES ($1, $2, 0)
		ON CONFLICT (session_id, interpreter_id) DO UPDATE SET sequence = notifier_invite_sequences.sequence + 1
		RETURNING sequence`, sessionID, interpreterID).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("raise the invite sequence of session %s for interpreter %s: %w", sessionID, interpreterID, err)
	}
	return seq, nil
}

// inviteSequence is the last SEQUENCE given to an invite of the UID, 0 when none was.
func (s *store) inviteSequence(ctx context.Context, q querier, sessionID, interpreterID string) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `SELECT sequence FROM notifier_invite_sequences WHERE session_id = $1 AND interpreter_id = $2`,
		sessionID, interpreterID).Scan(&seq)
	if db.NotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the invite sequence of session %s: %w", sessionID, err)
	}
	return seq, nil
}

func (s *store) rules(ctx context.Context, q querier, meetingID string, defaults []ReminderRule) ([]ReminderRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT audience, name, before_minutes FROM notifier_reminder_rules WHERE meeting_id = $1 ORDER BY audience, name`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("read reminder rules of %s: %w", meetingID, err)
	}
	defer rows.Close()
	var out []ReminderRule
	for rows.Next() {
		var r ReminderRule
		var mins int
		if err := rows.Scan(&r.Audience, &r.Name, &mins); err != nil {
			return nil, err
		}
		r.Before = time.Duration(mins) * time.Minute
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return defaults, nil
	}
	return out, nil
}

// liveRules are a meeting's reminder rules (defaults when it has none of its own) and
// whether the meeting is deleted (not when it is not projected), in one statement: a
// session's move asks for both, and on a busy server each statement waits its turn.
func (s *store) liveRules(ctx context.Context, q querier, meetingID string, defaults []ReminderRule) ([]ReminderRule, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT (SELECT deleted FROM notifier_meetings WHERE id = $1), r.audience, r.name, r.before_minutes
		FROM (SELECT 1 AS one) AS one LEFT JOIN notifier_reminder_rules r ON r.meeting_id = $1 ORDER BY r.audience, r.name`, meetingID)
	if err != nil {
		return nil, false, fmt.Errorf("read meeting %s and its reminder rules: %w", meetingID, err)
	}
	defer rows.Close()
	var out []ReminderRule
	deleted := false
	for rows.Next() {
		var del sql.NullBool
		var audience, name sql.NullString
		var mins sql.NullInt64
		if err := rows.Scan(&del, &audience, &name, &mins); err != nil {
			return nil, false, fmt.Errorf("read meeting %s and its reminder rules: %w", meetingID, err)
		}
		deleted = del.Valid && del.Bool
		if audience.Valid {
			out = append(out, ReminderRule{Audience: audience.String, Name: name.String, Before: time.Duration(mins.Int64) * time.Minute})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read meeting %s and its reminder rules: %w", meetingID, err)
	}
	if len(out) == 0 {
		return defaults, deleted, nil
	}
	return out, deleted, nil
}

// SetRules replaces a meeting's reminder rules (empty: back to the defaults) and plans the
// meeting's reminders again under them, in one transaction.
func (n *Notifier) SetRules(ctx context.Context, meetingID string, rules []ReminderRule) error {
	return n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := n.store.rules(ctx, tx, meetingID, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notifier_reminder_rules WHERE meeting_id = $1`, meetingID); err != nil {
			return fmt.Errorf("clear reminder rules: %w", err)
		}
		for _, r := range rules {
			if r.Before < time.Minute || (r.Audience != Registrants && r.Audience != Interpreters && r.Audience != Offers) || strings.TrimSpace(r.Name) == "" {
				return fmt.Errorf("reminder rule %+v: want a name, an audience and a lead time of a minute or more", r)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_reminder_rules (meeting_id, audience, name, before_minutes) VALUES ($1, $2, $3, $4)`,
				meetingID, r.Audience, r.Name, int(r.Before/time.Minute)); err != nil {
				if db.IsUniqueViolation(err) {
					return fmt.Errorf("reminder rule %s %s is given twice", r.Audience, r.Name)
				}
				return fmt.Errorf("write reminder rule: %w", err)
			}
		}
		now := n.now()
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "reminder_rules.set", Resource: "meeting", ID: meetingID, MeetingID: meetingID,
			Before: rulesJSON(before, len(before) == 0), After: rulesJSON(rules, len(rules) == 0)}); err != nil {
			return err
		}
		xs, err := n.store.sessionsOf(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		for _, x := range xs {
			if err := n.reconcile(ctx, tx, x.ID, "", now); err != nil {
				return err
			}
		}
		return n.reconcileOffersOf(ctx, tx, meetingID, now)
	})
}

// Rules returns a meeting's reminder rules and whether they are the defaults.
func (n *Notifier) Rules(ctx context.Context, meetingID string) ([]ReminderRule, bool, error) {
	rules, err := n.store.rules(ctx, n.cfg.DB, meetingID, nil)
	if err != nil {
		return nil, false, err
	}
	if len(rules) == 0 {
		return n.cfg.Rules, true, nil
	}
	return rules, false, nil
}
