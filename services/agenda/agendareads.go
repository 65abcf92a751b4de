package agenda

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// The agenda reads every session and item of a meeting: 2,500 rows for 500 sessions,
// most of its cold rendering. It reads only the columns it shows (each time column is
// parsed, each JSON column scanned), and its items in no order, sorted here by session:
// SQLite sorted the whole joined result, every column of it, in a temporary B-tree.

// agendaSessionCols are the columns of a session the agenda shows.
const agendaSessionCols = `id, title, start_utc, end_utc, floor_languages, output_languages, audience, status, cancel_reason,
	schedule_version, staffed_channels`

// agendaSessions lists a meeting's sessions in agenda order (start, then id), holding
// what the agenda shows; MeetingID is meetingID.
func (s *store) agendaSessions(ctx context.Context, q querier, meetingID string) ([]Session, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+agendaSessionCols+` FROM sessions WHERE meeting_id = $1 ORDER BY start_utc, id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", meetingID, err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		x := Session{MeetingID: meetingID}
		var title, floor, outputs, audience, staffed string
		if err := rows.Scan(&x.ID, &title, &x.StartUTC, &x.EndUTC, &floor, &outputs, &audience, &x.Status, &x.CancelReason,
			&x.ScheduleVersion, &staffed); err != nil {
			return nil, fmt.Errorf("list sessions of %s: %w", meetingID, err)
		}
		x.StartUTC, x.EndUTC = x.StartUTC.UTC(), x.EndUTC.UTC()
		if err := decodeSessionColumns(&x, title, floor, outputs, audience, staffed); err != nil {
			return nil, fmt.Errorf("list sessions of %s: %w", meetingID, err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// agendaItemCols are the columns of an item the agenda shows.
const agendaItemCols = `i.id, i.session_id, i.position, i.title, i.start_utc, i.end_utc, i.speakers, i.language`

// agendaItems returns the items of a meeting's sessions grouped by session id, each
// session's in agenda order (position, then id), holding what the agenda shows.
func (s *store) agendaItems(ctx context.Context, q querier, meetingID string) (map[string][]Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+agendaItemCols+` FROM agenda_items i JOIN sessions s ON s.id = i.session_id
		WHERE s.meeting_id = $1`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list items of meeting %s: %w", meetingID, err)
	}
	defer rows.Close()
	out := map[string][]Item{}
	for rows.Next() {
		var it Item
		var title, speakers string
		var start, end sql.NullTime
		if err := rows.Scan(&it.ID, &it.SessionID, &it.Position, &title, &start, &end, &speakers, &it.Language); err != nil {
			return nil, fmt.Errorf("read agenda item: %w", err)
		}
		if err := decodeItemColumns(&it, title, start, end, speakers); err != nil {
			return nil, fmt.Errorf("read agenda item: %w", err)
		}
		out[it.SessionID] = append(out[it.SessionID], it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list items of meeting %s: %w", meetingID, err)
	}
	for _, items := range out {
		slices.SortFunc(items, func(a, b Item) int {
			return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
		})
	}
	return out, nil
}
