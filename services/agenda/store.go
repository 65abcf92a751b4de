package agenda

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// querier is the platform's db.Querier: *sql.DB or *sql.Tx.
type querier = db.Querier

// store is the SQL side of the service; portable across SQLite and PostgreSQL.
type store struct{ db *db.DB }

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps of strings and slices of plain structs reach here.
		panic(fmt.Sprintf("encode column: %v", err))
	}
	return string(b)
}

func decodeInto(s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode column: %w", err)
	}
	return nil
}

const meetingCols = `id, title, venue_tz, format, default_lang, platform, interpretation_policy, public, agenda_revision, version, created_at, updated_at, regions, secretariat_email, open_seats_notice_hours`

func scanMeeting(row interface{ Scan(...any) error }) (Meeting, error) {
	var m Meeting
	var title, regions string
	if err := row.Scan(&m.ID, &title, &m.VenueTZ, &m.Format, &m.DefaultLang, &m.Platform, &m.InterpretationPolicy,
		&m.Public, &m.AgendaRevision, &m.Version, &m.CreatedAt, &m.UpdatedAt, &regions, &m.SecretariatEmail, &m.OpenSeatsNoticeHours); err != nil {
		return m, err
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	if err := decodeInto(regions, &m.Regions); err != nil {
		return m, err
	}
	return m, decodeText(title, &m.Title)
}

// encodeRegions writes a meeting's regions; none is an empty list, not null.
func encodeRegions(rs []planner.Region) string {
	if rs == nil {
		rs = []planner.Region{}
	}
	return encode(rs)
}

func (s *store) insertMeeting(ctx context.Context, q querier, m Meeting) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meetings (`+meetingCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
		m.ID, encode(m.Title), m.VenueTZ, m.Format, m.DefaultLang, m.Platform, m.InterpretationPolicy, m.Public,
		m.AgendaRevision, m.Version, m.CreatedAt, m.UpdatedAt, encodeRegions(m.Regions), m.SecretariatEmail, m.OpenSeatsNoticeHours)
	if err != nil {
		return fmt.Errorf("insert meeting: %w", err)
	}
	return nil
}

func (s *store) updateMeeting(ctx context.Context, q querier, m Meeting) error {
	_, err := q.ExecContext(ctx, `UPDATE meetings SET title=$2, venue_tz=$3, format=$4, default_lang=$5, platform=$6,
		interpretation_policy=$7, public=$8, agenda_revision=$9, version=$10, updated_at=$11, regions=$12,
		secretariat_email=$13, open_seats_notice_hours=$14 WHERE id=$1`,
		m.ID, encode(m.Title), m.VenueTZ, m.Format, m.DefaultLang, m.Platform, m.InterpretationPolicy, m.Public,
		m.AgendaRevision, m.Version, m.UpdatedAt, encodeRegions(m.Regions), m.SecretariatEmail, m.OpenSeatsNoticeHours)
	if err != nil {
		return fmt.Errorf("update meeting %s: %w", m.ID, err)
	}
	return nil
}

// bumpAgenda raises a meeting's agenda revision after a change to its sessions or items.
func (s *store) bumpAgenda(ctx context.Context, q querier, meetingID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE meetings SET agenda_revision = agenda_revision + 1, updated_at = $2 WHERE id = $1`, meetingID, now)
	if err != nil {
		return fmt.Errorf("bump agenda revision of %s: %w", meetingID, err)
	}
	return nil
}

// bumpAgendaFrom raises the agenda revision of a meeting still at rev; false when it is
// not (or the meeting is gone).
func (s *store) bumpAgendaFrom(ctx context.Context, q querier, meetingID string, rev int64, now time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE meetings SET agenda_revision = agenda_revision + 1, updated_at = $2 WHERE id = $1 AND agenda_revision = $3`, meetingID, now, rev)
	if err != nil {
		return false, fmt.Errorf("bump agenda revision of %s: %w", meetingID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// createSession writes x with the rows of its trail and event, and raises the agenda
// revision of m, all in one statement on PostgreSQL, provided m is unchanged since it was
// read (its version: every change of the zone and regions x was validated against raises
// it). False: m changed or is gone, and nothing was written.
func (s *store) createSession(ctx context.Context, m Meeting, x Session, trail []db.Row) (bool, error) {
	var rev int64
	ok, err := s.db.GuardedInsert(ctx, db.Guard{
		SQL:  `UPDATE meetings SET agenda_revision = agenda_revision + 1, updated_at = $2 WHERE id = $1 AND version = $3 RETURNING agenda_revision`,
		Args: []any{m.ID, x.CreatedAt, m.Version},
	}, []any{&rev}, append([]db.Row{sessionRow(x)}, trail...)...)
	if err != nil {
		return false, fmt.Errorf("create session in %s: %w", m.ID, err)
	}
	return ok, nil
}

func (s *store) meeting(ctx context.Context, q querier, id string, forUpdate bool) (Meeting, error) {
	lock := ""
	if forUpdate && s.db.Dialect == db.Postgres {
		lock = " FOR UPDATE"
	}
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM meetings WHERE id = $1`+lock, id))
	if db.NotFound(err) {
		return m, problem.NotFound("meeting", id)
	}
	if err != nil {
		return m, fmt.Errorf("read meeting %s: %w", id, err)
	}
	return m, nil
}

func (s *store) agendaRevision(ctx context.Context, id string) (int64, error) {
	var rev int64
	err := s.db.QueryRowContext(ctx, `SELECT agenda_revision FROM meetings WHERE id = $1`, id).Scan(&rev)
	if db.NotFound(err) {
		return 0, problem.NotFound("meeting", id)
	}
	if err != nil {
		return 0, fmt.Errorf("read agenda revision of %s: %w", id, err)
	}
	return rev, nil
}

func (s *store) listMeetings(ctx context.Context, after string, limit int) ([]Meeting, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+meetingCols+` FROM meetings WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	defer rows.Close()
	var out []Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("list meetings: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *store) deleteMeeting(ctx context.Context, q querier, id string) error {
	// Children first: SQLite enforces cascades only with foreign keys on, and this keeps
	// both engines alike whatever their settings.
	if _, err := q.ExecContext(ctx, `DELETE FROM agenda_items WHERE session_id IN (SELECT id FROM sessions WHERE meeting_id = $1)`, id); err != nil {
		return fmt.Errorf("delete agenda items of meeting %s: %w", id, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE meeting_id = $1`, id); err != nil {
		return fmt.Errorf("delete sessions of meeting %s: %w", id, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM meetings WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete meeting %s: %w", id, err)
	}
	return nil
}

const sessionCols = `id, meeting_id, title, start_utc, end_utc, tz, tz_input, start_input, end_input, floor_languages,
	output_languages, audience, status, cancel_reason, schedule_version, version, created_at, updated_at, staffed_channels`

func scanSession(row interface{ Scan(...any) error }) (Session, error) {
	var x Session
	var title, floor, outputs, audience, staffed string
	if err := row.Scan(&x.ID, &x.MeetingID, &title, &x.StartUTC, &x.EndUTC, &x.TZ, &x.TZInput, &x.StartInput, &x.EndInput,
		&floor, &outputs, &audience, &x.Status, &x.CancelReason, &x.ScheduleVersion, &x.Version, &x.CreatedAt, &x.UpdatedAt, &staffed); err != nil {
		return x, err
	}
	x.StartUTC, x.EndUTC = x.StartUTC.UTC(), x.EndUTC.UTC()
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	return x, decodeSessionColumns(&x, title, floor, outputs, audience, staffed)
}

// decodeSessionColumns fills x's title, languages, audience and staffed channels from
// their JSON columns.
func decodeSessionColumns(x *Session, title, floor, outputs, audience, staffed string) error {
	if err := decodeText(title, &x.Title); err != nil {
		return err
	}
	for _, p := range []struct {
		s string
		v *[]string
	}{{floor, &x.Floor}, {outputs, &x.Outputs}, {audience, &x.Audience}} {
		if err := decodeStrings(p.s, p.v); err != nil {
			return err
		}
	}
	if staffed == "[]" {
		// What encoding/json makes of it, without its reflection: nearly every session.
		x.StaffedChannels = []StaffedChannel{}
		return nil
	}
	return decodeInto(staffed, &x.StaffedChannels)
}

// sessionRow is x's row in sessions.
func sessionRow(x Session) db.Row {
	return db.Row{Table: "sessions", Columns: sessionColumns, Values: []any{
		x.ID, x.MeetingID, encode(x.Title), x.StartUTC, x.EndUTC, x.TZ, x.TZInput, x.StartInput, x.EndInput,
		encode(x.Floor), encode(x.Outputs), encode(x.Audience), x.Status, x.CancelReason, x.ScheduleVersion, x.Version, x.CreatedAt, x.UpdatedAt,
		encode(nonNilChannels(x.StaffedChannels))}}
}

var sessionColumns = strings.Split(strings.Join(strings.Fields(sessionCols), ""), ",")

func (s *store) updateSession(ctx context.Context, q querier, x Session) error {
	_, err := q.ExecContext(ctx, `UPDATE sessions SET title=$2, start_utc=$3, end_utc=$4, tz=$5, tz_input=$6, start_input=$7,
		end_input=$8, floor_languages=$9, output_languages=$10, audience=$11, status=$12, cancel_reason=$13,
		schedule_version=$14, version=$15, updated_at=$16, staffed_channels=$17 WHERE id=$1`,
		x.ID, encode(x.Title), x.StartUTC, x.EndUTC, x.TZ, x.TZInput, x.StartInput, x.EndInput,
		encode(x.Floor), encode(x.Outputs), encode(x.Audience), x.Status, x.CancelReason, x.ScheduleVersion, x.Version, x.UpdatedAt,
		encode(nonNilChannels(x.StaffedChannels)))
	if err != nil {
		return fmt.Errorf("update session %s: %w", x.ID, err)
	}
	return nil
}

func (s *store) session(ctx context.Context, q querier, id string, forUpdate bool) (Session, error) {
	lock := ""
	if forUpdate && s.db.Dialect == db.Postgres {
		lock = " FOR UPDATE"
	}
	x, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = $1`+lock, id))
	if db.NotFound(err) {
		return x, problem.NotFound("session", id)
	}
	if err != nil {
		return x, fmt.Errorf("read session %s: %w", id, err)
	}
	return x, nil
}

func (s *store) sessionsOf(ctx context.Context, q querier, meetingID string, after string, limit int) ([]Session, error) {
	return querySessions(ctx, q, "list sessions of "+meetingID,
		`SELECT `+sessionCols+` FROM sessions WHERE meeting_id = $1 AND id > $2 ORDER BY start_utc, id LIMIT $3`, meetingID, after, limit)
}

// querySessions runs a query of sessionCols; what names it in errors.
func querySessions(ctx context.Context, q querier, what, query string, args ...any) ([]Session, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// sessionsStarting lists the scheduled sessions of every meeting that start in
// [from, to), in time order, at most limit of them.
func (s *store) sessionsStarting(ctx context.Context, q querier, from, to time.Time, limit int) ([]Session, error) {
	return querySessions(ctx, q, "list sessions starting "+from.Format(time.RFC3339)+" to "+to.Format(time.RFC3339),
		`SELECT `+sessionCols+` FROM sessions WHERE status = $1 AND start_utc >= $2 AND start_utc < $3 ORDER BY start_utc, id LIMIT $4`,
		StatusScheduled, from, to, limit)
}

const itemCols = `id, session_id, position, title, start_utc, end_utc, start_input, end_input, speakers, language, version`

func scanItem(row interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var title, speakers string
	var start, end sql.NullTime
	if err := row.Scan(&it.ID, &it.SessionID, &it.Position, &title, &start, &end, &it.StartInput, &it.EndInput, &speakers, &it.Language, &it.Version); err != nil {
		return it, err
	}
	return it, decodeItemColumns(&it, title, start, end, speakers)
}

// decodeItemColumns fills it's times, title and speakers from their columns.
func decodeItemColumns(it *Item, title string, start, end sql.NullTime, speakers string) error {
	if start.Valid {
		t := start.Time.UTC()
		it.StartUTC = &t
	}
	if end.Valid {
		t := end.Time.UTC()
		it.EndUTC = &t
	}
	if err := decodeText(title, &it.Title); err != nil {
		return err
	}
	return decodeSpeakers(speakers, &it.Speakers)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func (s *store) insertItem(ctx context.Context, q querier, it Item) error {
	_, err := q.ExecContext(ctx, `INSERT INTO agenda_items (`+itemCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
		it.ID, it.SessionID, it.Position, encode(it.Title), nullTime(it.StartUTC), nullTime(it.EndUTC), it.StartInput, it.EndInput,
		encode(it.Speakers), it.Language, it.Version)
	if err != nil {
		return fmt.Errorf("insert agenda item: %w", err)
	}
	return nil
}

func (s *store) updateItem(ctx context.Context, q querier, it Item) error {
	_, err := q.ExecContext(ctx, `UPDATE agenda_items SET position=$2, title=$3, start_utc=$4, end_utc=$5, start_input=$6, end_input=$7,
		speakers=$8, language=$9, version=$10 WHERE id=$1`,
		it.ID, it.Position, encode(it.Title), nullTime(it.StartUTC), nullTime(it.EndUTC), it.StartInput, it.EndInput,
		encode(it.Speakers), it.Language, it.Version)
	if err != nil {
		return fmt.Errorf("update agenda item %s: %w", it.ID, err)
	}
	return nil
}

func (s *store) item(ctx context.Context, q querier, id string) (Item, error) {
	return s.itemFor(ctx, q, id, false)
}

// itemFor reads an item, for update when forUpdate (on PostgreSQL the row stays locked
// until the transaction ends; SQLite has one writer).
func (s *store) itemFor(ctx context.Context, q querier, id string, forUpdate bool) (Item, error) {
	query := `SELECT ` + itemCols + ` FROM agenda_items WHERE id = $1`
	if forUpdate && s.db.Dialect == db.Postgres {
		query += ` FOR UPDATE`
	}
	it, err := scanItem(q.QueryRowContext(ctx, query, id))
	if db.NotFound(err) {
		return it, problem.NotFound("agenda_item", id)
	}
	if err != nil {
		return it, fmt.Errorf("read agenda item %s: %w", id, err)
	}
	return it, nil
}

func (s *store) deleteItem(ctx context.Context, q querier, id string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM agenda_items WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete agenda item %s: %w", id, err)
	}
	return nil
}

// itemsOfSession returns a session's items in agenda order.
func (s *store) itemsOfSession(ctx context.Context, q querier, sessionID string) ([]Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+itemCols+` FROM agenda_items WHERE session_id = $1 ORDER BY position, id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list items of %s: %w", sessionID, err)
	}
	return collectItems(rows)
}

func collectItems(rows *sql.Rows) ([]Item, error) {
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("read agenda item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// sessionContract is the event payload form of a session.
func sessionContract(x Session) contracts.Session {
	return contracts.Session{
		ID: x.ID, MeetingID: x.MeetingID, Title: x.Title, StartUTC: x.StartUTC, EndUTC: x.EndUTC, TZ: x.TZ,
		FloorLanguages: nonNil(x.Floor), OutputLanguages: nonNil(x.Outputs), Audience: nonNil(x.Audience),
		StaffedChannels: nonNilChannels(x.StaffedChannels), Status: x.Status, ScheduleVersion: x.ScheduleVersion, Version: x.Version,
	}
}

// nonNilChannels is the session's staffed channels with every list non-nil, as JSON
// carries them ([] rather than null).
func nonNilChannels(cs []StaffedChannel) []StaffedChannel {
	out := make([]StaffedChannel, len(cs))
	for i, c := range cs {
		out[i] = c
		if c.Interpreters == nil {
			out[i].Interpreters = []contracts.ChannelInterpreter{}
		}
	}
	return out
}

func meetingContract(m Meeting) contracts.Meeting {
	return contracts.Meeting{ID: m.ID, Title: m.Title, VenueTZ: m.VenueTZ, Format: m.Format, DefaultLang: m.DefaultLang,
		Platform: m.Platform, SecretariatEmail: m.SecretariatEmail, Version: m.Version}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
