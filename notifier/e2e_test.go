package notifier_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/registration"
)

func ptr[T any](v T) *T { return &v }

// From the services' writes to the inbox: agenda and registration write their events to
// the outbox, the relay publishes them to JetStream, the notifier consumes them and sends.
func TestFromServicesToInbox(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		relay := outbox.NewRelay(d, r.js, nil, outbox.WithPollInterval(10*time.Millisecond))
		done := make(chan struct{})
		go func() { defer close(done); _ = relay.Run(ctx) }()
		defer func() { cancel(); <-done }()

		ag := agenda.NewService(d, agenda.WithClock(r.clock.Now), agenda.WithCommitHook(relay.Notify))
		regs := registration.NewService(d, registration.AgendaMeetings{Agenda: ag}, r.cfg.Links,
			registration.WithClock(r.clock.Now), registration.WithCommitHook(relay.Notify))
		m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Forum", "fr": "Forum"}, VenueTZ: ptr("Europe/Zurich")})
		if err != nil {
			t.Fatal(err)
		}
		x, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Opening", "fr": "Ouverture"},
			Start: ptr("2026-12-01T16:00"), DurationMin: ptr(120), Floor: []string{"en"}, Outputs: []string{"fr"}})
		if err != nil {
			t.Fatal(err)
		}
		g, err := regs.Register(ctx, m.ID, registration.Input{Name: ptr("Amélie Tremblay"), Email: ptr("amelie@example.org"),
			Locale: ptr("fr-CA"), TZ: ptr("America/Montreal"), ConsentReminders: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		r.waitStreamCount(3)
		r.waitStreamAcked()
		r.tick(r.clock.Now())
		r.tick(x.StartUTC.Add(-24 * time.Hour))
		ems := r.emails()
		if len(ems) != 2 {
			t.Fatalf("%d emails, want a confirmation and a reminder", len(ems))
		}
		if !strings.Contains(ems[0].Text, "/v1/registrations/"+g.ID+"?token=") {
			t.Errorf("confirmation lacks the manage link:\n%s", ems[0].Text)
		}
		if !strings.HasPrefix(ems[1].Subject, "Rappel") || !strings.Contains(ems[1].Text, "10 h 00") { // fr-CA, as ICU writes it
			t.Errorf("reminder: %s\n%s", ems[1].Subject, ems[1].Text)
		}
	})
}

// waitStreamCount waits until the stream holds n messages.
func (r *rig) waitStreamCount(n uint64) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s, err := r.js.Stream(context.Background(), contracts.Stream)
		if err == nil {
			if info, err := s.Info(context.Background()); err == nil && info.State.Msgs >= n {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("stream did not reach %d messages", n)
}
