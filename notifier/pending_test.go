package notifier_test

import (
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// Double opt-in: a self-registration is sent the request to confirm and nothing else, not
// a reminder nor a change notice, until its confirmation link is opened; then it is sent
// the confirmation and its reminders.
func TestUnconfirmedRegistrationGetsNoReminder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		lea := reg("lea", "fr-CA", "America/Montreal", true)
		lea.Pending = true
		r.seed(lea)
		if st := r.tick(t0); st.Sent != 1 {
			t.Fatalf("confirmation request: %+v", st)
		}
		ask := r.emails()[0]
		if !strings.HasPrefix(ask.Subject, "Veuillez confirmer votre inscription") ||
			!strings.Contains(ask.Text, "https://plenary.example.org/r/lea/confirm?token=") {
			t.Fatalf("confirmation request: %q\n%s", ask.Subject, ask.Text)
		}
		if strings.Contains(ask.Text, "/v1/unsubscribe/") || ask.Header.Get("List-Unsubscribe") != "" {
			t.Errorf("a request to confirm offers to unsubscribe from what was never confirmed:\n%s", ask.Text)
		}
		// Unconfirmed: the session moves and its reminders come due; nothing is sent.
		moved := sess(2, 2, start.Add(time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: moved, Previous: contracts.Interval{StartUTC: start, EndUTC: start.Add(2 * time.Hour)}, PreviousVersion: 1})
		for _, at := range []time.Time{t0.Add(time.Hour), moved.StartUTC.Add(-24*time.Hour + time.Minute), moved.StartUTC.Add(-time.Hour + time.Minute)} {
			if st := r.tick(at); st.Sent != 0 {
				t.Fatalf("sent to an unconfirmed registration at %s: %+v", at, st)
			}
		}
		if n := r.states(`recipient = 'registration:lea' AND kind = 'reminder'`); len(n) != 0 {
			t.Fatalf("reminders planned for an unconfirmed registration: %v", n)
		}

		// Confirmed before the next session: the confirmation, then its reminders.
		r.clock.Set(t0.Add(2 * time.Hour))
		later := sess(3, 3, start.Add(48*time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: later, Previous: contracts.Interval{StartUTC: moved.StartUTC, EndUTC: moved.EndUTC}, PreviousVersion: 2})
		lea.Pending, lea.Version = false, 2
		r.publish(contracts.RegistrationUpdated, contracts.RegistrationEvent{Registration: lea})
		if st := r.tick(t0.Add(2 * time.Hour)); st.Sent != 1 {
			t.Fatalf("confirmation: %+v", st)
		}
		if got := r.emails()[1].Subject; !strings.HasPrefix(got, "Inscription confirmée") {
			t.Fatalf("confirmation subject %q", got)
		}
		if st := r.tick(later.StartUTC.Add(-24*time.Hour + time.Minute)); st.Sent != 1 {
			t.Fatalf("24 h reminder after confirmation: %+v", st)
		}
	})
}
