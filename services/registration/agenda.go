package registration

import (
	"context"

	"github.com/plenary/plenary/services/agenda"
)

// AgendaMeetings answers Meetings from the agenda service of the same process.
type AgendaMeetings struct{ Agenda *agenda.Service }

// SessionIDs lists the ids of a meeting's sessions (cancelled ones included: a registrant
// may keep a cancelled session on their list; the notifier sends nothing for it).
func (a AgendaMeetings) SessionIDs(ctx context.Context, meetingID string) ([]string, error) {
	xs, err := a.Agenda.Sessions(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = x.ID
	}
	return ids, nil
}

// Defaults are the meeting's default language and venue zone.
func (a AgendaMeetings) Defaults(ctx context.Context, meetingID string) (string, string, error) {
	m, err := a.Agenda.Meeting(ctx, meetingID)
	if err != nil {
		return "", "", err
	}
	return m.DefaultLang, m.VenueTZ, nil
}

// Public reports whether a meeting is marked public (its page and form are open to all).
func (a AgendaMeetings) Public(ctx context.Context, meetingID string) (bool, error) {
	m, err := a.Agenda.Meeting(ctx, meetingID)
	if err != nil {
		return false, err
	}
	return m.Public, nil
}
