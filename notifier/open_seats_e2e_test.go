package notifier_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// The secretariat is told once, 72 hours (the AIIC policy's notice) before a meeting's
// first session, of the seats still open, in one email listing the booths short of
// interpreters and why; a meeting whose seats are all accepted by then is not reported.
func TestOpenSeatsNotice(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		ctx := context.Background()
		ag, ip := r.staffing(t, d)
		pool := []struct{ name, email, a, c string }{
			{"Claire Dubois", "claire@example.org", "fr", "en"}, {"Étienne Moreau", "etienne@example.org", "fr", "en"},
			{"James Wright", "james@example.org", "en", "fr"}, {"Olivia Brown", "olivia@example.org", "en", "fr"},
		}
		email := map[string]string{}
		for _, p := range pool {
			it, err := ip.CreateInterpreter(ctx, interpretation.InterpreterInput{Name: ptr(p.name), Email: ptr(p.email), TZ: ptr("Europe/Paris"),
				Languages: []interp.LangSkill{{Lang: interp.Lang(p.a), Class: interp.ClassA}, {Lang: interp.Lang(p.c), Class: interp.ClassC}}})
			if err != nil {
				t.Fatal(err)
			}
			email[it.ID] = p.email
		}
		// Two meetings a week apart, each one three-hour EN/FR sitting at 10:00 in Paris.
		meeting := func(title, secretariat, start string) agenda.Meeting {
			m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": title}, VenueTZ: ptr("Europe/Paris"),
				InterpretationPolicy: ptr("aiic"), SecretariatEmail: ptr(secretariat)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Morning sitting"}, Start: ptr(start),
				DurationMin: ptr(180), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := ip.Plan(ctx, m.ID, true); err != nil {
				t.Fatal(err)
			}
			res, err := ip.Offer(ctx, m.ID, interpretation.OfferInput{})
			if err != nil || len(res.Offered) != 4 {
				t.Fatalf("%s: offered %d seats, %v", title, len(res.Offered), err)
			}
			r.clock.Set(t0.Add(time.Hour))
			for _, o := range res.Offered {
				to := interpretation.StateAccepted
				if title == "Committee on Budget" && email[o.Assignment.InterpreterID] == "olivia@example.org" {
					to = interpretation.StateDeclined // nobody is left to take her seat
				}
				if _, err := ip.Transition(ctx, o.Assignment.ID, -1, to); err != nil {
					t.Fatal(err)
				}
			}
			r.clock.Set(t0)
			return m
		}
		meeting("Committee on Budget", "budget.secretariat@example.org", "2026-12-03T10:00")
		meeting("Committee on Water", "water.secretariat@example.org", "2026-12-10T10:00")
		r.waitDelivered()
		r.tick(t0.Add(time.Hour))
		before := len(r.emails()) // the offers

		// 3 December 2026 10:00 in Paris is 09:00 UTC: the notice is due 72 hours before.
		due := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		r.clock.Set(due.Add(-time.Minute))
		if n, err := ip.NoticeOpenSeats(ctx); err != nil || n != 0 {
			t.Fatalf("a minute early: %d notices, %v", n, err)
		}
		r.clock.Set(due)
		if n, err := ip.NoticeOpenSeats(ctx); err != nil || n != 1 {
			t.Fatalf("at the notice time: %d notices, %v; want the budget committee's", n, err)
		}
		if n, err := ip.NoticeOpenSeats(ctx); err != nil || n != 0 {
			t.Fatalf("checking again: %d notices, %v", n, err)
		}
		r.waitDelivered()
		r.tick(due)
		r.tick(due.Add(time.Minute))
		to, subjects, texts := r.sentSince(before)
		if want := []string{"budget.secretariat@example.org"}; !slices.Equal(to, want) {
			t.Fatalf("notices went to %q, want %q", to, want)
		}
		if got, want := subjects[to[0]], "Interpretation seats still open: Committee on Budget"; got != want {
			t.Errorf("subject %q, want %q", got, want)
		}
		// Only the English booth: one of its two seats is open, declined, with no one
		// proposed in its place; times in the venue's zone.
		text := texts[to[0]]
		if want := "Morning sitting · Booth EN: Thursday, December 3, 2026 at 10:00 AM (UTC+01:00) – 1:00 PM — open: 1 of 2, no interpreter proposed: 1, declined or expired so far: 1"; !strings.Contains(text, want) {
			t.Errorf("the notice does not say %q:\n%s", want, text)
		}
		if strings.Contains(text, "Booth FR") {
			t.Errorf("the notice lists the filled French booth:\n%s", text)
		}

		// The water committee's notice time: every seat is accepted, so nothing is sent.
		wdue := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		r.clock.Set(wdue)
		if n, err := ip.NoticeOpenSeats(ctx); err != nil || n != 0 {
			t.Fatalf("a filled meeting: %d notices, %v", n, err)
		}
		r.waitDelivered()
		r.tick(wdue)
		if to, _, _ := r.sentSince(before); len(to) != 1 {
			t.Fatalf("after the filled meeting's notice time, notices went to %q", to)
		}
	})
}
