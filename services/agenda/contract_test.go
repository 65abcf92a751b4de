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
