package interpretation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// querier is the platform's db.Querier: *sql.DB or *sql.Tx.
type querier = db.Querier

// store is the SQL side of the service; portable across SQLite and PostgreSQL.
type store struct{ db *db.DB }

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode column: %w", err)
	}
	return string(b), nil
}

func decodeInto(s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode column: %w", err)
	}
	return nil
}

// storedCaps is Caps with the rest in minutes (a stable column format).
type storedCaps struct {
	BoothMinutesPerDay  int `json:"booth_minutes_per_day"`
	BoothMinutesPerWeek int `json:"booth_minutes_per_week"`
	SessionsPerDay      int `json:"sessions_per_day"`
	MinRestMinutes      int `json:"min_rest_minutes"`
}

const interpreterCols = `id, name, email, locale, tz, languages, retour, remote, hours_start, hours_end, caps, unavailable, preferences, version, created_at, updated_at`

func scanInterpreter(row interface{ Scan(...any) error }) (Interpreter, error) {
	var it Interpreter
	var langs, caps, unav, prefs string
	if err := row.Scan(&it.ID, &it.Name, &it.Email, &it.Locale, &it.TZ, &langs, &it.Retour, &it.Remote, &it.Hours.Start, &it.Hours.End,
		&caps, &unav, &prefs, &it.Version, &it.CreatedAt, &it.UpdatedAt); err != nil {
		return it, err
	}
	it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	var sc storedCaps
	for _, p := range []struct {
		s string
		v any
	}{{langs, &it.Languages}, {caps, &sc}, {unav, &it.Unavailable}, {prefs, &it.Preferences}} {
		if err := decodeInto(p.s, p.v); err != nil {
			return it, err
		}
	}
	it.Caps = interp.Caps{BoothMinutesPerDay: sc.BoothMinutesPerDay, BoothMinutesPerWeek: sc.BoothMinutesPerWeek,
		SessionsPerDay: sc.SessionsPerDay, MinRest: time.Duration(sc.MinRestMinutes) * time.Minute}
	if z, err := zone.Parse(it.TZ); err == nil {
		it.Location = z.Location
	}
	return it, nil
}

func interpreterArgs(it Interpreter) ([]any, error) {
	langs, err := encode(it.Languages)
	if err != nil {
		return nil, err
	}
	caps, err := encode(storedCaps{it.Caps.BoothMinutesPerDay, it.Caps.BoothMinutesPerWeek, it.Caps.SessionsPerDay, int(it.Caps.MinRest / time.Minute)})
	if err != nil {
		return nil, err
	}
	unav := it.Unavailable
	if unav == nil {
		unav = []interp.Interval{}
	}
	u, err := encode(unav)
	if err != nil {
		return nil, err
	}
	prefs, err := encode(it.Preferences)
	if err != nil {
		return nil, err
	}
	return []any{it.ID, it.Name, it.Email, it.Locale, it.TZ, langs, it.Retour, it.Remote, it.Hours.Start, it.Hours.End,
		caps, u, prefs, it.Version, it.CreatedAt, it.UpdatedAt}, nil
}

func (s *store) insertInterpreter(ctx context.Context, q querier, it Interpreter) error {
	args, err := interpreterArgs(it)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO interpreters (`+interpreterCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`, args...); err != nil {
		return fmt.Errorf("insert interpreter: %w", err)
	}
	return nil
}

func (s *store) updateInterpreter(ctx context.Context, q querier, it Interpreter) error {
	args, err := interpreterArgs(it)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE interpreters SET name=$2, email=$3, locale=$4, tz=$5, languages=$6, retour=$7, remote=$8,
		hours_start=$9, hours_end=$10, caps=$11, unavailable=$12, preferences=$13, version=$14, created_at=$15, updated_at=$16 WHERE id=$1`, args...)
	if err != nil {
		return fmt.Errorf("update interpreter: %w", err)
	}
	return nil
}

func (s *store) interpreter(ctx context.Context, q querier, id string) (Interpreter, error) {
	it, err := scanInterpreter(q.QueryRowContext(ctx, `SELECT `+interpreterCols+` FROM interpreters WHERE id = $1`, id))
	if db.NotFound(err) {
		return it, problem.NotFound("interpreter", id)
	}
	if err != nil {
		return it, fmt.Errorf("read interpreter %s: %w", id, err)
	}
	return it, nil
}

// interpreters lists the pool in id order after the cursor; limit <= 0 means all.
// interpretersIn reads the named interpreters, in id order; unknown ids are skipped.
func (s *store) interpretersIn(ctx context.Context, q querier, ids []string) ([]Interpreter, error) {
	var out []Interpreter
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args[i] = id
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+interpreterCols+` FROM interpreters WHERE id IN (`+strings.Join(marks, ", ")+`) ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("read interpreters: %w", err)
		}
		for rows.Next() {
			it, err := scanInterpreter(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("read interpreters: %w", err)
			}
			out = append(out, it)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read interpreters: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b Interpreter) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *store) interpreters(ctx context.Context, q querier, after string, limit int) ([]Interpreter, error) {
	query := `SELECT ` + interpreterCols + ` FROM interpreters WHERE id > $1 ORDER BY id`
	args := []any{after}
	if limit > 0 {
		query += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list interpreters: %w", err)
	}
	defer rows.Close()
	var out []Interpreter
	for rows.Next() {
		it, err := scanInterpreter(rows)
		if err != nil {
			return nil, fmt.Errorf("list interpreters: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

const assignmentCols = `id, meeting_id, session_id, booth, interpreter_id, role, state, start_utc, end_utc, live, sequence, version, created_at, updated_at`

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.MeetingID, &a.SessionID, &a.Booth, &a.InterpreterID, &a.Role, &a.State, &a.StartUTC, &a.EndUTC,
		&a.Live, &a.Sequence, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	a.StartUTC, a.EndUTC, a.CreatedAt, a.UpdatedAt = a.StartUTC.UTC(), a.EndUTC.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func (s *store) insertAssignment(ctx context.Context, q querier, a Assignment) error {
	_, err := q.ExecContext(ctx, `INSERT INTO assignments (`+assignmentCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
		a.ID, a.MeetingID, a.SessionID, a.Booth, a.InterpreterID, a.Role, a.State, a.StartUTC, a.EndUTC, a.Live, a.Sequence, a.Version, a.CreatedAt, a.UpdatedAt)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return problem.New(problem.KindConflict, "already_assigned", "interpreter %s already has a seat in session %s", a.InterpreterID, a.SessionID)
		}
		return fmt.Errorf("insert assignment: %w", err)
	}
	return nil
}

func (s *store) updateAssignment(ctx context.Context, q querier, a Assignment) error {
	_, err := q.ExecContext(ctx, `UPDATE assignments SET role=$2, state=$3, start_utc=$4, end_utc=$5, live=$6, sequence=$7, version=$8, updated_at=$9 WHERE id=$1`,
		a.ID, a.Role, a.State, a.StartUTC, a.EndUTC, a.Live, a.Sequence, a.Version, a.UpdatedAt)
	if err != nil {
		return fmt.Errorf("update assignment %s: %w", a.ID, err)
	}
	return nil
}

func (s *store) assignment(ctx context.Context, q querier, id string) (Assignment, error) {
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE id = $1`, id))
	if db.NotFound(err) {
		return a, problem.NotFound("assignment", id)
	}
	if err != nil {
		return a, fmt.Errorf("read assignment %s: %w", id, err)
	}
	return a, nil
}

func (s *store) queryAssignments(ctx context.Context, q querier, where string, args ...any) ([]Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE `+where+` ORDER BY session_id, booth, interpreter_id, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list assignments: %w", err)
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, fmt.Errorf("list assignments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

var activeIn = `state IN ('` + strings.Join(activeStates, `','`) + `')`

// ofMeeting lists every assignment of a meeting, in any state.
func (s *store) ofMeeting(ctx context.Context, q querier, meetingID string) ([]Assignment, error) {
	return s.queryAssignments(ctx, q, `meeting_id = $1`, meetingID)
}

// ofSession lists the active assignments of a session.
func (s *store) ofSession(ctx context.Context, q querier, sessionID string) ([]Assignment, error) {
	return s.queryAssignments(ctx, q, `session_id = $1 AND `+activeIn, sessionID)
}

// commitments lists the active, live assignments of other meetings that overlap [from, to).
func (s *store) commitments(ctx context.Context, q querier, meetingID string, from, to time.Time) ([]Assignment, error) {
	return s.queryAssignments(ctx, q, `meeting_id <> $1 AND live AND `+activeIn+` AND start_utc < $3 AND end_utc > $2`, meetingID, from, to)
}

// clashes lists the active, live assignments of an interpreter overlapping [start, end),
// other than the one named by except. It is the read of the double-booking check; run
// inside the writing transaction.
func (s *store) clashes(ctx context.Context, q querier, interpreterID string, start, end time.Time, except string) ([]Assignment, error) {
	return s.queryAssignments(ctx, q, `interpreter_id = $1 AND live AND `+activeIn+` AND start_utc < $3 AND end_utc > $2 AND id <> $4`,
		interpreterID, start, end, except)
}

func (s *store) deleteProposed(ctx context.Context, q querier, meetingID string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM assignments WHERE meeting_id = $1 AND state = $2`, meetingID, StateProposed); err != nil {
		return fmt.Errorf("delete proposed assignments: %w", err)
	}
	return nil
}

// deleteProposedOf deletes the proposed seats of the given sessions, any meeting's.
func (s *store) deleteProposedOf(ctx context.Context, q querier, sessionIDs []string) error {
	for chunk := range slices.Chunk(sessionIDs, 500) {
		args := []any{StateProposed}
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM assignments WHERE state = $1 AND session_id IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("delete proposed assignments of %d sessions: %w", len(chunk), err)
		}
	}
	return nil
}

// CheckResult is the checker's latest verdict on a meeting's plan.
type CheckResult struct {
	MeetingID   string             `json:"meeting_id"`
	CheckedAt   time.Time          `json:"checked_at"`
	Assignments int                `json:"assignments"`
	OK          bool               `json:"ok"`
	Violations  []interp.Violation `json:"violations"`
	// Revision is the agenda revision the verdict was computed for.
	Revision int64 `json:"revision"`
	// Routes are the language routes read off the seats (interp.InferRoutes), stored
	// with the verdict: the agenda shows them per session and booth.
	Routes []interp.Route `json:"routes"`
}

// saveCheck stores a meeting's verdict unless the one stored was computed for a later
// agenda revision (concurrent checks: the older never overwrites the newer).
func (s *store) saveCheck(ctx context.Context, q querier, r CheckResult) error {
	v, err := encode(r.Violations)
	if err != nil {
		return err
	}
	routes, err := encode(nonNil(r.Routes))
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO interpretation_checks (meeting_id, checked_at, assignments, violations, agenda_revision, routes) VALUES ($1,$2,$3,$4,$5,$6)
		ON CONFLICT (meeting_id) DO UPDATE SET checked_at = excluded.checked_at, assignments = excluded.assignments, violations = excluded.violations,
			agenda_revision = excluded.agenda_revision, routes = excluded.routes
		WHERE interpretation_checks.agenda_revision <= excluded.agenda_revision`,
		r.MeetingID, r.CheckedAt, r.Assignments, v, r.Revision, routes)
	if err != nil {
		return fmt.Errorf("save check of %s: %w", r.MeetingID, err)
	}
	return nil
}

func (s *store) lastCheck(ctx context.Context, q querier, meetingID string) (CheckResult, bool, error) {
	r := CheckResult{MeetingID: meetingID}
	var v, routes string
	err := q.QueryRowContext(ctx, `SELECT checked_at, assignments, violations, agenda_revision, routes FROM interpretation_checks WHERE meeting_id = $1`, meetingID).
		Scan(&r.CheckedAt, &r.Assignments, &v, &r.Revision, &routes)
	if db.NotFound(err) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read check of %s: %w", meetingID, err)
	}
	r.CheckedAt = r.CheckedAt.UTC()
	if err := decodeInto(v, &r.Violations); err != nil {
		return r, false, err
	}
	if err := decodeInto(routes, &r.Routes); err != nil {
		return r, false, err
	}
	r.Routes = nonNil(r.Routes)
	r.OK = len(r.Violations) == 0
	return r, true, nil
}

// interpretersByEmail reads the profiles of an address; addresses are kept as typed, so
// they are compared without case (email is the normalised, lower-case address).
func (s *store) interpretersByEmail(ctx context.Context, q querier, email string) ([]Interpreter, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+interpreterCols+` FROM interpreters WHERE LOWER(email) = $1 ORDER BY id`, email)
	if err != nil {
		return nil, fmt.Errorf("find interpreters: %w", err)
	}
	defer rows.Close()
	var out []Interpreter
	for rows.Next() {
		it, err := scanInterpreter(rows)
		if err != nil {
			return nil, fmt.Errorf("find interpreters: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// anonymise keeps an interpreter's row, for the assignments that name it, without the
// person: no name, address, absences or preferences.
func (s *store) anonymise(ctx context.Context, q querier, id, name string, now time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE interpreters SET name = $2, email = '', unavailable = '[]', preferences = '{}', updated_at = $3, version = version + 1 WHERE id = $1`,
		id, name, now); err != nil {
		return fmt.Errorf("erase interpreter %s: %w", id, err)
	}
	return nil
}
