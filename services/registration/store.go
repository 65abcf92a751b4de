package registration

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// store is the SQL side of the service; portable across SQLite and PostgreSQL.
type store struct{ db *db.DB }

const cols = `id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, version, created_at, updated_at`

func (s *store) get(ctx context.Context, q querier, id string, forUpdate bool) (Registration, error) {
	query := `SELECT ` + cols + ` FROM registrations WHERE id = $1`
	if forUpdate && s.db.Dialect == db.Postgres {
		query += ` FOR UPDATE`
	}
	var r Registration
	var sessions string
	err := q.QueryRowContext(ctx, query, id).Scan(&r.ID, &r.MeetingID, &r.Name, &r.Email, &r.Locale, &r.TZ,
		&sessions, &r.ConsentReminders, &r.Unsubscribed, &r.Version, &r.CreatedAt, &r.UpdatedAt)
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
	_, err := q.ExecContext(ctx, `INSERT INTO registrations (`+cols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ID, r.MeetingID, r.Name, r.Email, r.Locale, r.TZ, sessionsColumn(r.Sessions), r.ConsentReminders,
		r.Unsubscribed, r.Version, r.CreatedAt, r.UpdatedAt)
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
		consent_reminders = $7, unsubscribed = $8, version = $9, updated_at = $10 WHERE id = $1`,
		r.ID, r.Name, r.Email, r.Locale, r.TZ, sessionsColumn(r.Sessions), r.ConsentReminders, r.Unsubscribed, r.Version, r.UpdatedAt)
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
