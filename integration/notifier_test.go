//go:build integration

package integration

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// The notifier process consumes the events the API published and mails a registrant,
// over real SMTP, exactly one confirmation; it records every event of the stream as
// processed.
func TestNotifierConfirmsRegistration(t *testing.T) {
	if !commands["notifier"] {
		t.Fatal("the binary has no notifier subcommand")
	}
	s := newStack(t)
	mid := s.createMeeting("Human Rights Council")
	s.createSession(mid, 3)
	const email = "amelie@example.org"
	s.must(http.StatusCreated, "POST", "/v1/meetings/"+mid+"/registrations", map[string]any{
		"name": "Amélie", "email": email, "locale": "fr", "tz": "America/Montreal", "consent_reminders": true,
	})
	s.waitPublished(time.Minute)

	to := func() int {
		n := 0
		for _, d := range s.smtp.Messages() {
			if slices.Contains(d.To, email) {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(time.Minute)
	for to() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no email to %s within a minute\n%s", email, containerLogs(s.notifier, "40"))
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // a few more ticks of the delivery schedule
	if n := to(); n != 1 {
		t.Fatalf("%d emails to %s, want one confirmation", n, email)
	}
	for _, d := range s.smtp.Messages() {
		if slices.Contains(d.To, email) && !strings.Contains(string(d.Data), "Message-ID:") && !strings.Contains(string(d.Data), "Message-Id:") {
			t.Errorf("the confirmation has no Message-ID header:\n%s", d.Data)
		}
	}

	evs := s.events()
	checkEnvelopes(t, evs)
	deadline = time.Now().Add(time.Minute)
	for {
		var missing []string
		for _, e := range evs {
			var one int
			err := s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM notifier_processed_events WHERE event_id = $1`, e.ID).Scan(&one)
			if err != nil {
				t.Fatal(err)
			}
			if one != 1 {
				missing = append(missing, e.Type+" "+e.ID)
			}
		}
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the notifier did not process %v\n%s", missing, containerLogs(s.notifier, "40"))
		}
		time.Sleep(250 * time.Millisecond)
	}
	st, err := pool.Client.InspectContainer(s.notifier.Container.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.State.Running {
		t.Fatalf("the notifier exited (code %d)\n%s", st.State.ExitCode, containerLogs(s.notifier, "40"))
	}
}
