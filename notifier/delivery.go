package notifier

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
)

// Delivery states.
const (
	Planned   = "planned"
	Sending   = "sending"
	Sent      = "sent"
	Cancelled = "cancelled"
	Missed    = "missed"
	Failed    = "failed"
)

// Recipient prefixes: a delivery goes to a registration or to the interpreter of an
// assignment.
const (
	toRegistration = "registration:"
	toAssignment   = "assignment:"
	// toSecretariat is a meeting's secretariat ("secretariat:<meeting id>").
	toSecretariat = "secretariat:"
)

// Delivery is one planned email.
type Delivery struct {
	ID              string
	Key             string // unique: recipient, session, rule or change, schedule version
	Kind            render.Kind
	Recipient       string // "registration:<id>" or "assignment:<id>"
	MeetingID       string
	SessionID       string
	Rule            string
	ScheduleVersion int64
	DueAt           time.Time
	State           string
	Payload         Payload
	MessageID       string
	Attempts        int
	LastError       string
}

// Payload is what a notice needs beyond the projection.
type Payload struct {
	Previous *contracts.Interval `json:"previous,omitempty"` // a change notice's old times
	Reason   string              `json:"reason,omitempty"`
	Sequence int64               `json:"sequence,omitempty"` // SEQUENCE of the attached invite
	// Deadline is the answer deadline of an offer (an offer and its reminders).
	Deadline *time.Time `json:"deadline,omitempty"`
	// Seats are the open seats a notice to the secretariat lists.
	Seats []contracts.OpenSeat `json:"seats,omitempty"`
}

func (n *Notifier) newDelivery(kind render.Kind, key, recipient, meetingID, sessionID string, due time.Time) Delivery {
	return Delivery{
		ID: uuid.Must(uuid.NewV7()).String(), Key: key, Kind: kind, Recipient: recipient, MeetingID: meetingID,
		SessionID: sessionID, DueAt: due.UTC(), State: Planned, MessageID: mail.MessageID(key, n.cfg.MessageDomain),
	}
}

// insert plans d. A row with the same key is left alone, except that a cancelled reminder
// is planned again (a registrant who subscribes again gets the reminders back).
func (s *store) insert(ctx context.Context, q querier, d Delivery, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id, rule,
			schedule_version, due_at, state, payload, message_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
		ON CONFLICT (dedupe_key) DO UPDATE SET state = 'planned', due_at = excluded.due_at, updated_at = excluded.updated_at
		WHERE notifier_deliveries.state = 'cancelled' AND notifier_deliveries.kind = 'reminder'`,
		d.ID, d.Key, string(d.Kind), d.Recipient, d.MeetingID, d.SessionID, d.Rule, d.ScheduleVersion, d.DueAt,
		Planned, jsonText(d.Payload), d.MessageID, now)
	if err != nil {
		return fmt.Errorf("plan delivery %s: %w", d.Key, err)
	}
	return nil
}

// insertAll plans ds as insert plans each, in statements of up to 200 rows: a session's
// move re-plans a reminder per recipient and rule, and a statement each was most of the
// event's time on PostgreSQL. Their keys must differ (one statement cannot touch a row
// twice).
func (s *store) insertAll(ctx context.Context, q querier, ds []Delivery, now time.Time) error {
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), 200)]
		ds = ds[len(chunk):]
		var sql strings.Builder
		sql.WriteString(`INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id, rule,
			schedule_version, due_at, state, payload, message_id, created_at, updated_at) VALUES `)
		args := make([]any, 0, 1+12*len(chunk))
		args = append(args, now)
		for i, d := range chunk {
			if i > 0 {
				sql.WriteByte(',')
			}
			sql.WriteByte('(')
			for j := range 12 {
				fmt.Fprintf(&sql, "$%d, ", 2+12*i+j)
			}
			sql.WriteString("$1, $1)")
			args = append(args, d.ID, d.Key, string(d.Kind), d.Recipient, d.MeetingID, d.SessionID, d.Rule, d.ScheduleVersion, d.DueAt,
				Planned, jsonText(d.Payload), d.MessageID)
		}
		sql.WriteString(` ON CONFLICT (dedupe_key) DO UPDATE SET state = 'planned', due_at = excluded.due_at, updated_at = excluded.updated_at
			WHERE notifier_deliveries.state = 'cancelled' AND notifier_deliveries.kind = 'reminder'`)
		if _, err := q.ExecContext(ctx, sql.String(), args...); err != nil {
			return fmt.Errorf("plan %d deliveries (%s...): %w", len(chunk), chunk[0].Key, err)
		}
	}
	return nil
}

const deliveryCols = `id, dedupe_key, kind, recipient, meeting_id, session_id, rule, schedule_version, due_at, state, payload, message_id, attempts, last_error`

func scanDelivery(row interface{ Scan(...any) error }) (Delivery, error) {
	var d Delivery
	var kind, payload string
	if err := row.Scan(&d.ID, &d.Key, &kind, &d.Recipient, &d.MeetingID, &d.SessionID, &d.Rule, &d.ScheduleVersion,
		&d.DueAt, &d.State, &payload, &d.MessageID, &d.Attempts, &d.LastError); err != nil {
		return Delivery{}, err
	}
	d.Kind = render.Kind(kind)
	d.DueAt = d.DueAt.UTC()
	if err := json.Unmarshal([]byte(payload), &d.Payload); err != nil {
		return Delivery{}, fmt.Errorf("decode payload of delivery %s: %w", d.ID, err)
	}
	return d, nil
}

func (s *store) deliveries(ctx context.Context, q querier, where string, args ...any) ([]Delivery, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+deliveryCols+` FROM notifier_deliveries WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const setStateSQL = `UPDATE notifier_deliveries SET state = $1, last_error = $2, updated_at = $3, lease_until = NULL, lease_owner = NULL
	WHERE id IN (`

// recordSent notes that the mail server accepted d's email at: one column, no index, so
// that the statement inside the hand-over gate is as short as a write can be. The row is
// still in sending until finishSent (or a later claim) moves it to sent.
func (s *store) recordSent(ctx context.Context, id string, at time.Time) error {
	s.markMu.Lock()
	if s.sentStmt == nil {
		if st, err := s.db.PrepareContext(ctx, `UPDATE notifier_deliveries SET sent_at = $1 WHERE id = $2`); err == nil {
			s.sentStmt = st
		}
	}
	st := s.sentStmt
	s.markMu.Unlock()
	var err error
	if st != nil {
		_, err = st.ExecContext(ctx, at, id)
	} else { // not prepared (the database is away): the plain statement says why
		_, err = s.db.ExecContext(ctx, `UPDATE notifier_deliveries SET sent_at = $1 WHERE id = $2`, at, id)
	}
	if err != nil {
		return fmt.Errorf("record delivery %s sent: %w", id, err)
	}
	return nil
}

// finishSentSQL moves rows whose email was accepted (sent_at) from sending to sent.
const finishSentSQL = `UPDATE notifier_deliveries SET state = 'sent', last_error = '', updated_at = sent_at,
	lease_until = NULL, lease_owner = NULL WHERE state = 'sending' AND sent_at IS NOT NULL`

// finishAcceptedSQL moves this process's rows whose email was accepted from sending to
// sent; a row recorded in the file beside an SQLite database gets its sent_at here (the
// batch's end, within a batch's time of the acceptance).
const finishAcceptedSQL = `UPDATE notifier_deliveries SET state = 'sent', last_error = '', sent_at = COALESCE(sent_at, $1),
	updated_at = COALESCE(sent_at, $1), lease_until = NULL, lease_owner = NULL WHERE state = 'sending' AND lease_owner = $2 AND id IN (`

// finishSent moves the given rows of owner, recorded sent, to the state sent in one
// statement per 500.
func (s *store) finishSent(ctx context.Context, q querier, ids []string, owner string, at time.Time) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, 0, len(chunk)+2)
		args = append(args, at, owner)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", i+3)
		}
		if _, err := q.ExecContext(ctx, finishAcceptedSQL+strings.Join(ph, ",")+`)`, args...); err != nil {
			return fmt.Errorf("mark deliveries sent: %w", err)
		}
	}
	return nil
}

// markOne moves one row to state outside any transaction, with a prepared statement.
func (s *store) markOne(ctx context.Context, id, state, lastError string, now time.Time) error {
	s.markMu.Lock()
	if s.markStmt == nil {
		if st, err := s.db.PrepareContext(ctx, setStateSQL+`$4)`); err == nil {
			s.markStmt = st
		}
	}
	st := s.markStmt
	s.markMu.Unlock()
	if st == nil { // not prepared (the database is away): the plain statement says why
		return s.setState(ctx, s.db, []string{id}, state, lastError, now)
	}
	if _, err := st.ExecContext(ctx, state, lastError, now, id); err != nil {
		return fmt.Errorf("mark delivery %s: %w", state, err)
	}
	return nil
}

// markRetry puts one row back to planned, not to be claimed before notBefore (held in
// lease_until, with no owner).
func (s *store) markRetry(ctx context.Context, id, lastError string, now, notBefore time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE notifier_deliveries SET state = 'planned', last_error = $1, updated_at = $2,
		lease_until = $3, lease_owner = NULL WHERE id = $4`, lastError, now, notBefore, id)
	if err != nil {
		return fmt.Errorf("put delivery %s back for a retry: %w", id, err)
	}
	return nil
}

// setState moves the rows to state (with an error text for failures).
func (s *store) setState(ctx context.Context, q querier, ids []string, state, lastError string, now time.Time) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := []any{state, lastError, now}
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", i+4)
		}
		_, err := q.ExecContext(ctx, setStateSQL+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return fmt.Errorf("mark deliveries %s: %w", state, err)
		}
	}
	return nil
}

// movePlanned gives the planned deliveries ids a new due time and schedule version, their
// payload unchanged, in statements of at most 500 rows.
func (s *store) movePlanned(ctx context.Context, q querier, ids []string, due time.Time, version int64, now time.Time) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := []any{due, version, now}
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", i+4)
		}
		if _, err := q.ExecContext(ctx, `UPDATE notifier_deliveries SET due_at = $1, schedule_version = $2, updated_at = $3
			WHERE state = 'planned' AND id IN (`+strings.Join(ph, ",")+`)`, args...); err != nil {
			return fmt.Errorf("move %d planned deliveries: %w", len(chunk), err)
		}
	}
	return nil
}

func (s *store) updatePlanned(ctx context.Context, q querier, d Delivery, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE notifier_deliveries SET due_at = $2, schedule_version = $3, payload = $4, updated_at = $5
		WHERE id = $1 AND state = 'planned'`, d.ID, d.DueAt, d.ScheduleVersion, jsonText(d.Payload), now)
	if err != nil {
		return fmt.Errorf("update delivery %s: %w", d.ID, err)
	}
	return nil
}
