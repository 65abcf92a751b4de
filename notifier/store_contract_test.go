package notifier

import (
	"context"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// The projection's store, on SQLite and PostgreSQL: events arrive at least once and, on
// a replay or after a redelivery, out of order. Each kind of row keeps the newest state
// it was given (by version, or an assignment's sequence), whatever the order of the
// writes; a state given twice is applied once; a registrant's tombstone is never
// overwritten by an older or newer copy of the registration.
func TestProjectionStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &store{db: d}
		start := time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC)

		meeting := func(v int64, title string) contracts.Meeting {
			return contracts.Meeting{ID: "m1", Title: contracts.Text{"en": title}, VenueTZ: "Europe/Paris", DefaultLang: "en", Version: v}
		}
		for _, m := range []contracts.Meeting{meeting(2, "Committee on Migration"), meeting(1, "Committee"), meeting(2, "Committee on Migration")} {
			if err := s.upsertMeeting(ctx, d, m, false); err != nil {
				t.Fatal(err)
			}
		}
		if m, ok, err := s.meeting(ctx, d, "m1"); err != nil || !ok || m.Version != 2 || m.Title["en"] != "Committee on Migration" {
			t.Fatalf("meeting after v2, v1, v2: %+v %v %v", m, ok, err)
		}

		session := func(v int64, hour int) contracts.Session {
			return contracts.Session{ID: "s1", MeetingID: "m1", Title: contracts.Text{"en": "Opening"}, StartUTC: start.Add(time.Duration(hour) * time.Hour),
				EndUTC: start.Add(time.Duration(hour+2) * time.Hour), TZ: "Europe/Paris", Status: "scheduled", ScheduleVersion: v, Version: v}
		}
		for _, c := range []struct {
			x       contracts.Session
			applied bool
		}{{session(3, 4), true}, {session(2, 2), false}, {session(1, 0), false}, {session(3, 4), true}} {
			applied, err := s.upsertSession(ctx, d, c.x, "")
			if err != nil || applied != c.applied {
				t.Fatalf("session v%d: applied %v %v, want %v", c.x.Version, applied, err, c.applied)
			}
		}
		if x, ok, err := s.session(ctx, d, "s1"); err != nil || !ok || x.Version != 3 || !x.Start.Equal(start.Add(4*time.Hour)) {
			t.Fatalf("session after v3, v2, v1, v3: %+v %v %v", x, ok, err)
		}

		reg := func(v int64, email string) contracts.Registration {
			return contracts.Registration{ID: "r1", MeetingID: "m1", Name: "Léa Tremblay", Email: email, Locale: "fr-CA", TZ: "America/Montreal",
				ConsentReminders: true, Version: v}
		}
		if _, err := s.upsertRegistrant(ctx, d, reg(2, "lea.tremblay@example.org"), false); err != nil {
			t.Fatal(err)
		}
		if applied, err := s.upsertRegistrant(ctx, d, reg(1, "lea@example.org"), false); err != nil || applied {
			t.Fatalf("an older registration applied: %v %v", applied, err)
		}
		if r, _, err := s.registrant(ctx, d, "r1"); err != nil || r.Email != "lea.tremblay@example.org" || r.Version != 2 {
			t.Fatalf("registrant after v2, v1: %+v %v", r, err)
		}
		// The tombstone an erasure leaves: no copy of the registration, older or newer,
		// writes the person back.
		if _, err := s.upsertRegistrant(ctx, d, contracts.Registration{ID: "r1", MeetingID: "m1", Version: 3}, true); err != nil {
			t.Fatal(err)
		}
		for _, v := range []int64{2, 4} {
			if applied, err := s.upsertRegistrant(ctx, d, reg(v, "lea.tremblay@example.org"), false); err != nil || applied {
				t.Fatalf("registration v%d over a tombstone: applied %v %v", v, applied, err)
			}
		}
		if r, _, err := s.registrant(ctx, d, "r1"); err != nil || !r.Deleted || r.Email != "" || r.Name != "" {
			t.Fatalf("tombstone after replays: %+v %v", r, err)
		}

		asg := func(seq int64, state string) contracts.Assignment {
			return contracts.Assignment{ID: "a1", MeetingID: "m1", SessionID: "s1", Booth: "fr", Role: "interpreter", State: state, Sequence: seq,
				Interpreter: contracts.Interpreter{ID: "i1", Name: "Claire Dubois", Email: "claire.dubois@example.org", Locale: "fr", TZ: "Europe/Zurich"}}
		}
		for _, a := range []contracts.Assignment{asg(2, "accepted"), asg(1, "offered"), asg(2, "accepted")} {
			if err := s.upsertAssignment(ctx, d, a); err != nil {
				t.Fatal(err)
			}
		}
		if a, ok, err := s.assignment(ctx, d, "a1"); err != nil || !ok || a.State != "accepted" || a.Sequence != 2 {
			t.Fatalf("assignment after seq 2, 1, 2: %+v %v %v", a, ok, err)
		}
	})
}
