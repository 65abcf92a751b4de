package agenda

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/versioned/versionedtest"
)

func TestMeetingStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		versionedtest.Run(t, versionedtest.Subject[Meeting]{
			Resource: s.meetingResource(),
			Tx:       s.tx,
			New: func(t *testing.T) string {
				tz := "Africa/Nairobi"
				m, err := s.CreateMeeting(context.Background(), MeetingInput{Title: contracts.Text{"en": "Regional Consultation on Drought", "fr": "Consultation régionale sur la sécheresse"}, VenueTZ: &tz})
				if err != nil {
					t.Fatal(err)
				}
				return m.ID
			},
			Change: func(m *Meeting, n int) error {
				m.Title = contracts.Text{"en": fmt.Sprintf("Regional Consultation on Drought (%d)", n)}
				return nil
			},
		})
	})
}

// newSession stores a meeting with one session and answers the session.
func newSession(t *testing.T, s *Service) Session {
	t.Helper()
	ctx := context.Background()
	tz := "Africa/Nairobi"
	m, err := s.CreateMeeting(ctx, MeetingInput{Title: contracts.Text{"en": "Regional Consultation on Drought"}, VenueTZ: &tz})
	if err != nil {
		t.Fatal(err)
	}
	start, dur := "2026-12-08T09:00", 90
	x, err := s.CreateSession(ctx, m.ID, SessionInput{Title: contracts.Text{"en": "Opening", "sw": "Ufunguzi"}, Start: &start, DurationMin: &dur, TZ: &tz,
		Floor: []string{"en"}, Outputs: []string{"en", "fr"}})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestSessionStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		versionedtest.Run(t, versionedtest.Subject[Session]{
			Resource: s.sessionResource(),
			Tx:       s.tx,
			New:      func(t *testing.T) string { return newSession(t, s).ID },
			Change: func(x *Session, n int) error {
				x.Title = contracts.Text{"en": fmt.Sprintf("Opening (%d)", n)}
				return nil
			},
		})
	})
}

func TestItemStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		var x Session
		versionedtest.Run(t, versionedtest.Subject[Item]{
			Resource: s.itemResource(Session{}, s.clock()),
			Tx:       s.tx,
			New: func(t *testing.T) string {
				x = newSession(t, s)
				it, err := s.AddItem(context.Background(), x.ID, ItemInput{Title: contracts.Text{"en": "Adoption of the agenda", "fr": "Adoption de l'ordre du jour"}})
				if err != nil {
					t.Fatal(err)
				}
				return it.ID
			},
			Change: func(it *Item, n int) error {
				it.Title = contracts.Text{"en": fmt.Sprintf("Adoption of the agenda (%d)", n)}
				return nil
			},
		})
	})
}
