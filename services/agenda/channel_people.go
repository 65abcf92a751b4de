package agenda

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
)

// ChannelInterpreterEntry is a delegation's or partner's interpreter as a session's
// staffed channel lists them: what the agenda holds about that person.
type ChannelInterpreterEntry struct {
	SessionID string `json:"session_id"`
	MeetingID string `json:"meeting_id"`
	Language  string `json:"language"`
	StaffedBy string `json:"staffed_by"`
	Name      string `json:"name"`
	Email     string `json:"email"`
}

// sessionsListing reads the sessions whose staffed channels may list email (a prefilter
// on the stored JSON; the caller matches exactly).
// An address's _ or % only widens the prefilter.
func (s *store) sessionsListing(ctx context.Context, q querier, email string, forUpdate bool) ([]Session, error) {
	enc, _ := json.Marshal(email) // the address as the column spells it, quotes included
	lock := ""
	if forUpdate && s.db.Dialect == db.Postgres {
		lock = " FOR UPDATE"
	}
	return querySessions(ctx, q, "sessions listing a channel interpreter",
		`SELECT `+sessionCols+` FROM sessions WHERE staffed_channels LIKE $1 ORDER BY start_utc, id`+lock, "%"+string(enc)+"%")
}

// ChannelInterpretersByEmail lists where a session's staffed channel names the address
// (normalised, lower-case), for a person's access request.
func (s *Service) ChannelInterpretersByEmail(ctx context.Context, email string) ([]ChannelInterpreterEntry, error) {
	xs, err := s.store.sessionsListing(ctx, s.db, email, false)
	if err != nil {
		return nil, err
	}
	out := []ChannelInterpreterEntry{}
	for _, x := range xs {
		for _, c := range x.StaffedChannels {
			for _, it := range c.Interpreters {
				if it.Email == email {
					out = append(out, ChannelInterpreterEntry{SessionID: x.ID, MeetingID: x.MeetingID, Language: c.Language, StaffedBy: c.StaffedBy, Name: it.Name, Email: it.Email})
				}
			}
		}
	}
	return out, nil
}

// EraseChannelInterpreter removes the address, with the name beside it, from every
// staffed channel that lists it, in one transaction: each session changed is a new
// version with its session.updated event (the state without the person) and a trail
// entry that holds no personal data. It returns the sessions changed; the trail's earlier
// entries that hold the address are the trail's to forget (audit.Erasure.Containing).
func (s *Service) EraseChannelInterpreter(ctx context.Context, email string) ([]Session, error) {
	var changed []Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		changed = changed[:0]
		xs, err := s.store.sessionsListing(ctx, tx, email, true)
		if err != nil {
			return err
		}
		now := s.clock()
		for _, x := range xs {
			n := 0
			for i := range x.StaffedChannels {
				c := &x.StaffedChannels[i]
				before := len(c.Interpreters)
				c.Interpreters = slices.DeleteFunc(c.Interpreters, func(it contracts.ChannelInterpreter) bool { return it.Email == email })
				n += before - len(c.Interpreters)
			}
			if n == 0 {
				continue
			}
			x.Version++
			x.UpdatedAt = now
			if err := s.store.updateSession(ctx, tx, x); err != nil {
				return err
			}
			if err := s.store.bumpAgenda(ctx, tx, x.MeetingID, now); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Action: "session.erase_channel_interpreter", Resource: "session", ID: x.ID, MeetingID: x.MeetingID,
				After: map[string]any{"removed": n}}); err != nil {
				return err
			}
			if err := outbox.Emit(ctx, tx, contracts.SessionUpdated, Source, now, contracts.SessionEvent{Session: sessionContract(x)}); err != nil {
				return err
			}
			changed = append(changed, x)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("erase a channel interpreter: %w", err)
	}
	return changed, nil
}
