package agenda

import (
	"context"
	"testing"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/problem"
)

// A replica validates a new session against the meeting as it last saw it, and writes
// only if the meeting is still that version: after another replica moved the venue to
// Tokyo, a session typed without a zone is in Tokyo's, not Nairobi's; after it deleted
// the meeting, the session is refused and nothing is written.
func TestCreationSeesAnotherReplicasMeetingChange(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		here, there := NewService(d), NewService(d)
		nairobi, tokyo := "Africa/Nairobi", "Asia/Tokyo"
		m, err := there.CreateMeeting(ctx, MeetingInput{Title: contracts.Text{"en": "Regional Consultation on Drought"}, VenueTZ: &nairobi})
		if err != nil {
			t.Fatal(err)
		}
		create := func(start string) (Session, error) {
			dur := 60
			return here.CreateSession(ctx, m.ID, SessionInput{Title: contracts.Text{"en": "Sitting"}, Start: &start, DurationMin: &dur, Floor: []string{"en"}})
		}
		first, err := create("2026-12-08T09:00")
		if err != nil || first.TZ != nairobi || first.StartUTC.Format("15:04") != "06:00" {
			t.Fatalf("first session: %v in %s at %s UTC, want Africa/Nairobi, 06:00", err, first.TZ, first.StartUTC.Format("15:04"))
		}
		if _, err := there.UpdateMeeting(ctx, m.ID, m.Version, MeetingInput{VenueTZ: &tokyo}); err != nil {
			t.Fatal(err)
		}
		second, err := create("2026-12-08T09:00")
		if err != nil || second.TZ != tokyo || second.StartUTC.Format("15:04") != "00:00" {
			t.Fatalf("after the move: %v in %s at %s UTC, want Asia/Tokyo, 00:00", err, second.TZ, second.StartUTC.Format("15:04"))
		}
		m, err = there.Meeting(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := there.DeleteMeeting(ctx, m.ID, m.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := create("2026-12-09T09:00"); err == nil || problem.From(err).Kind != problem.KindNotFound {
			t.Fatalf("in a deleted meeting: %v, want not found", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE meeting_id = $1`, m.ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d sessions left in the deleted meeting (%v), want 0", n, err)
		}
	})
}
