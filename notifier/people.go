package notifier

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/plenary/plenary/contracts"
)

// Person is what the notifier may hold about one person, named by the owners' ids: their
// registrations, their interpreter profiles and those profiles' assignments. The notifier
// names its recipients itself ("registration:<id>", "assignment:<id>"); callers never
// spell those keys.
type Person struct {
	Registrations []PersonRegistration
	Interpreters  []string
	Assignments   []string
}

// PersonRegistration is one registration of the person; the meeting goes into its
// tombstone.
type PersonRegistration struct {
	ID, MeetingID string
	Version       int64
}

// PersonDelivery is one email planned or sent to the person, as exported.
type PersonDelivery struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	MeetingID string          `json:"meeting_id"`
	SessionID string          `json:"session_id"`
	State     string          `json:"state"`
	DueAt     time.Time       `json:"due_at"`
	Payload   json.RawMessage `json:"payload"`
}

func (p Person) recipients() []string {
	var out []string
	for _, r := range p.Registrations {
		out = append(out, toRegistration+r.ID)
	}
	for _, a := range p.Assignments {
		out = append(out, toAssignment+a)
	}
	return out
}

// PersonDeliveries lists the emails planned or sent to the person, oldest due first.
func (n *Notifier) PersonDeliveries(ctx context.Context, p Person) ([]PersonDelivery, error) {
	out := []PersonDelivery{}
	for _, rc := range p.recipients() {
		ds, err := n.store.deliveries(ctx, n.cfg.DB, `recipient = $1 ORDER BY due_at, id`, rc)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, PersonDelivery{ID: d.ID, Kind: string(d.Kind), MeetingID: d.MeetingID, SessionID: d.SessionID,
				State: d.State, DueAt: d.DueAt, Payload: json.RawMessage(jsonText(d.Payload))})
		}
	}
	return out, nil
}

// ErasePerson removes what the notifier holds about the person, in one transaction, and
// leaves tombstones so that nothing brings it back: not an event still on its way, not a
// replay of the whole stream. A registration's tombstone is its deleted, blank row (the
// projection never updates a deleted row); an interpreter's is a row of
// notifier_erased_interpreters, which blanks the interpreter in every assignment event
// applied later, as themselves or in a team-mate's team. It returns how many deliveries
// were removed.
func (n *Notifier) ErasePerson(ctx context.Context, p Person) (int, error) {
	var removed int
	err := n.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := n.now()
		for _, r := range p.Registrations {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_registrations (id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, deleted, version)
				VALUES ($1, $2, '', '', '', '', '[]', FALSE, TRUE, TRUE, $3)
				ON CONFLICT (id) DO UPDATE SET name = '', email = '', deleted = TRUE`, r.ID, r.MeetingID, r.Version+1); err != nil {
				return fmt.Errorf("tombstone registration %s: %w", r.ID, err)
			}
		}
		for _, id := range p.Interpreters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_erased_interpreters (interpreter_id, erased_at) VALUES ($1, $2)
				ON CONFLICT (interpreter_id) DO NOTHING`, id, now); err != nil {
				return fmt.Errorf("tombstone interpreter %s: %w", id, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notifier_assignments SET name = $2, email = '' WHERE interpreter_id = $1`, id, ErasedName); err != nil {
				return fmt.Errorf("erase interpreter %s: %w", id, err)
			}
		}
		if err := n.store.blankTeams(ctx, tx, p.Interpreters); err != nil {
			return err
		}
		for _, rc := range p.recipients() {
			res, err := tx.ExecContext(ctx, `DELETE FROM notifier_deliveries WHERE recipient = $1`, rc)
			if err != nil {
				return fmt.Errorf("erase deliveries of %s: %w", rc, err)
			}
			k, _ := res.RowsAffected()
			removed += int(k)
		}
		return nil
	})
	return removed, err
}

// ErasedName stands for an erased interpreter wherever the notifier would name them.
const ErasedName = "(erased)"

// blankTeams replaces the erased interpreters in the team lists of their team-mates'
// assignments.
func (s *store) blankTeams(ctx context.Context, tx *sql.Tx, erased []string) error {
	if len(erased) == 0 {
		return nil
	}
	for _, id := range erased {
		rows, err := s.assignmentsWhere(ctx, tx, `id IN (SELECT a.id FROM notifier_assignments a, notifier_assignments m
			WHERE m.interpreter_id = $1 AND a.session_id = m.session_id AND a.id <> m.id)`, id)
		if err != nil {
			return err
		}
		for _, a := range rows {
			team, changed := blankTeam(a.Team, erased)
			if !changed {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notifier_assignments SET team = $2 WHERE id = $1`, a.ID, jsonText(team)); err != nil {
				return fmt.Errorf("erase team of assignment %s: %w", a.ID, err)
			}
		}
	}
	return nil
}

func blankTeam(team []contracts.TeamMember, erased []string) ([]contracts.TeamMember, bool) {
	changed := false
	out := make([]contracts.TeamMember, len(team))
	for i, m := range team {
		if m.InterpreterID != "" && slices.Contains(erased, m.InterpreterID) && (m.Name != ErasedName) {
			m.Name, changed = ErasedName, true
		}
		out[i] = m
	}
	return out, changed
}

// erasedAmong returns which of the interpreters of an assignment event (the assignee and
// the team) were erased.
func (s *store) erasedAmong(ctx context.Context, q querier, a contracts.Assignment) ([]string, error) {
	ids := []string{a.Interpreter.ID}
	for _, m := range a.Team {
		if m.InterpreterID != "" {
			ids = append(ids, m.InterpreterID)
		}
	}
	var out []string
	for _, id := range ids {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM notifier_erased_interpreters WHERE interpreter_id = $1`, id).Scan(&one)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read tombstone of %s: %w", id, err)
		}
		out = append(out, id)
	}
	return out, nil
}

// withoutErased blanks the erased interpreters of an assignment event before it is
// projected.
func withoutErased(a contracts.Assignment, erased []string) contracts.Assignment {
	if len(erased) == 0 {
		return a
	}
	if slices.Contains(erased, a.Interpreter.ID) {
		a.Interpreter.Name, a.Interpreter.Email = ErasedName, ""
	}
	a.Team, _ = blankTeam(a.Team, erased)
	return a
}
