package notifier_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/signed"
)

// maxMoveStatements is what applying a session's move may ask of PostgreSQL, its
// transaction's BEGIN and COMMIT included: on a busy shared server every statement
// waits its turn, so the count sets the notifier's lag under 100 moves a second.
const maxMoveStatements = 14

// A session's move, with five registrants and an accepted interpreter, costs the same
// statements on the wire at the second move and the tenth, and no more than
// maxMoveStatements.
func TestASessionMoveStatements(t *testing.T) {
	if !dbtest.PostgresEnabled() {
		t.Skip("PLENARY_TEST_POSTGRES=off")
	}
	d, wire := dbtest.OpenCounted(t)
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: "127.0.0.1", Port: 1, TLS: mail.TLSNone, HELO: "plenary.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	keys, err := signed.NewKeys("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	n, err := notifier.New(notifier.Config{DB: d, Sender: sender, Renderer: renderer, MessageDomain: "plenary.test",
		Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
		From:  mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"}, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	apply := func(typ string, data any) {
		t.Helper()
		ev, err := outbox.NewEvent(typ, "test", t0, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Process(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	apply(contracts.MeetingCreated, contracts.MeetingEvent{Meeting: contracts.Meeting{ID: "m1", Title: contracts.Text{"en": "Forum"},
		VenueTZ: "Europe/Zurich", DefaultLang: "en", Version: 1}})
	start := t0.Add(30 * 24 * time.Hour)
	x := contracts.Session{ID: "s1", MeetingID: "m1", Title: contracts.Text{"en": "Plenary"}, StartUTC: start, EndUTC: start.Add(2 * time.Hour),
		TZ: "Europe/Zurich", Status: "scheduled", ScheduleVersion: 1, Version: 1}
	apply(contracts.SessionScheduled, contracts.SessionEvent{Session: x})
	for i := range 5 {
		apply(contracts.RegistrationCreated, contracts.RegistrationEvent{Registration: contracts.Registration{ID: fmt.Sprintf("r%d", i),
			MeetingID: "m1", Name: "Reader", Email: fmt.Sprintf("r%d@example.org", i), Locale: "en", TZ: "Europe/Zurich",
			Sessions: []string{"s1"}, ConsentReminders: true, Version: 1}})
	}
	apply(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: contracts.Assignment{ID: "a1", SessionID: "s1", MeetingID: "m1",
		Session: x, Interpreter: contracts.Interpreter{ID: "i1", Name: "Interpreter", Email: "i1@example.org"}, Booth: "fr", State: "accepted", Sequence: 1}})
	move := func(k int) dbtest.Counts {
		prev := contracts.Interval{StartUTC: x.StartUTC, EndUTC: x.EndUTC}
		x.StartUTC, x.EndUTC = x.StartUTC.Add(time.Hour), x.EndUTC.Add(time.Hour)
		x.ScheduleVersion, x.Version = x.ScheduleVersion+1, x.Version+1
		before := wire.Now()
		apply(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: x, Previous: prev, PreviousVersion: x.ScheduleVersion - 1})
		return wire.Now().Sub(before)
	}
	move(1)
	second := move(2)
	for k := 3; k < 10; k++ {
		move(k)
	}
	tenth := move(10)
	t.Logf("statements of a move: %+v (2nd), %+v (10th)", second, tenth)
	if second.Statements != tenth.Statements {
		t.Errorf("a move costs %+v at the second, %+v at the tenth", second, tenth)
	}
	if second.Statements > maxMoveStatements {
		t.Errorf("a move costs %d statements (%+v), want at most %d", second.Statements, second, maxMoveStatements)
	}
}
