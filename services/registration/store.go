package registration

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// store is the SQL side of the service; portable across SQLite and PostgreSQL.
type store struct{ db *db.DB }

const cols = `id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, version, created_at, updated_at, pending`

func (s *store) get(ctx context.Context, q querier, id string, forUpdate bool) (Registration, error) {
	query := `SELECT ` + cols + ` FROM registrations WHERE id = $1`
	if forUpdate && s.db.Dialect == db.Postgres {
		query += ` FOR UPDATE`
	}
	var r Registration
	var sessions string
	err := q.QueryRowContext(ctx, query, id).Scan(&r.ID, &r.MeetingID, &r.Name, &r.Email, &r.Locale, &r.TZ,
		&sessions, &r.ConsentReminders, &r.Unsubscribed, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.Pending)
	if db.NotFound(err) {
		return Registration{}, problem.NotFound("registration", id)
	}
	if err != nil {
		return Registration{}, fmt.Errorf("read registration %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(sessions), &r.Sessions); err != nil {
		return Registration{}, fmt.Errorf("decode sessions of registration %s: %w", id, err)
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

func sessionsColumn(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(ids) // a slice of strings always encodes
	return string(b)
}

func duplicate(err error) error {
	if db.IsUniqueViolation(err) {
		return problem.New(problem.KindConflict, "already_registered", "this email address is already registered for the meeting")
	}
	return err
}

func (s *store) insert(ctx context.Context, q querier, r Registration) error {
	_, err := q.ExecContext(ctx, `INSERT INTO registrations (`+cols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.ID, r.MeetingID, r.Name, r.Email, r.Locale, r.TZ, sessionsColumn(r.Sessions), r.ConsentReminders,
		r.Unsubscribed, r.Version, r.CreatedAt, r.UpdatedAt, r.Pending)
	if err != nil {
		if e := duplicate(err); e != err {
			return e
		}
		return fmt.Errorf("insert registration: %w", err)
	}
	return nil
}

func (s *store) update(ctx context.Context, q querier, r Registration) error {
	_, err := q.ExecContext(ctx, `UPDATE registrations SET name = $2, email = $3, locale = $4, tz = $5, sessions = $6,
		consent_reminders = $7, unsubscribed = $8, version = $9, updated_at = $10, pending = $11 WHERE id = $1`,
		r.ID, r.Name, r.Email, r.Locale, r.TZ, sessionsColumn(r.Sessions), r.ConsentReminders, r.Unsubscribed, r.Version, r.UpdatedAt, r.Pending)
	if err != nil {
		if e := duplicate(err); e != err {
			return e
		}
		return fmt.Errorf("update registration %s: %w", r.ID, err)
	}
	return nil
}

func (s *store) delete(ctx context.Context, q querier, id string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM registrations WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete registration %s: %w", id, err)
	}
	return nil
}

// idsByEmail lists the ids of an address's registrations (addresses are stored as
// ValidEmail normalises them).
func (s *store) idsByEmail(ctx context.Context, q db.Querier, email string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM registrations WHERE email = $1 ORDER BY id`, email)
	if err != nil {
		return nil, fmt.Errorf("find registrations: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find registrations: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// seatsTaken counts, per session, the registrations of a meeting that hold a seat in it:
// pending ones too (a seat is kept for the confirmation link), unsubscribed ones too (they
// stopped the email, not their seat). A registration for every session holds one in each.
func (s *store) seatsTaken(ctx context.Context, q querier, meetingID string, sessionIDs []string) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT sessions FROM registrations WHERE meeting_id = $1`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("count seats of %s: %w", meetingID, err)
	}
	defer rows.Close()
	taken := map[string]int{}
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("count seats of %s: %w", meetingID, err)
		}
		var ids []string
		if err := json.Unmarshal([]byte(raw), &ids); err != nil {
			return nil, fmt.Errorf("decode sessions of a registration of %s: %w", meetingID, err)
		}
		if len(ids) == 0 {
			ids = sessionIDs
		}
		for _, id := range ids {
			taken[id]++
		}
	}
	return taken, rows.Err()
}

// Settings are a meeting's registration settings: whether the public form is closed and
// the seats of each capped session.
type Settings struct {
	MeetingID string         `json:"meeting_id"`
	Closed    bool           `json:"closed"`
	Seats     map[string]int `json:"seats"`
	Version   int64          `json:"version"`
}

func (s *store) settings(ctx context.Context, q querier, meetingID string, forUpdate bool) (Settings, error) {
	query := `SELECT closed, seats, version FROM registration_settings WHERE meeting_id = $1`
	if forUpdate && s.db.Dialect == db.Postgres {
		query += ` FOR UPDATE`
	}
	out := Settings{MeetingID: meetingID, Seats: map[string]int{}}
	var seats string
	err := q.QueryRowContext(ctx, query, meetingID).Scan(&out.Closed, &seats, &out.Version)
	if db.NotFound(err) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("read registration settings of %s: %w", meetingID, err)
	}
	if err := json.Unmarshal([]byte(seats), &out.Seats); err != nil {
		return out, fmt.Errorf("decode seats of %s: %w", meetingID, err)
	}
	return out, nil
}

func (s *store) putSettings(ctx context.Context, q querier, st Settings, now time.Time) error {
	seats, _ := json.Marshal(st.Seats) // a map of ints always encodes
	_, err := q.ExecContext(ctx, `INSERT INTO registration_settings (meeting_id, closed, seats, version, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (meeting_id) DO UPDATE SET closed = excluded.closed, seats = excluded.seats, version = excluded.version,
			updated_at = excluded.updated_at`, st.MeetingID, st.Closed, string(seats), st.Version, now)
	if err != nil {
		return fmt.Errorf("write registration settings of %s: %w", st.MeetingID, err)
	}
	return nil
}
