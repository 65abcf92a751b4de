package notifier_test

import (
	"context"
	netmail "net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// staffing is a meeting's interpretation service wired to the rig's stream, on the rig's
// clock, with the relay running until the test ends.
func (r *rig) staffing(t *testing.T, d *db.DB) (*agenda.Service, *interpretation.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	relay := outbox.NewRelay(d, r.js, nil, outbox.WithPollInterval(10*time.Millisecond))
	done := make(chan struct{})
	go func() { defer close(done); _ = relay.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	ag := agenda.NewService(d, agenda.WithClock(r.clock.Now), agenda.WithCommitHook(relay.Notify))
	ip := interpretation.NewService(d, ag, interpretation.WithClock(r.clock.Now), interpretation.WithCommitHook(relay.Notify))
	return ag, ip
}

// sentSince are the addresses of the emails received after the first n, with subjects.
func (r *rig) sentSince(n int) (to []string, subjects map[string]string, texts map[string]string) {
	subjects, texts = map[string]string{}, map[string]string{}
	for _, e := range r.emails()[n:] {
		a, err := netmail.ParseAddress(e.To)
		if err != nil {
			r.t.Fatalf("To: %q: %v", e.To, err)
		}
		to = append(to, a.Address)
		subjects[a.Address], texts[a.Address] = e.Subject, e.Text
	}
	slices.Sort(to)
	return to, subjects, texts
}

// An offer states its answer deadline in the interpreter's language and zone; an
// interpreter who has not answered is reminded 24 hours before the deadline, once; one
// who accepted or declined before then is not.
func TestOfferReminderBeforeTheDeadline(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		ctx := context.Background()
		ag, ip := r.staffing(t, d)
		m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Committee on Budget", "fr": "Commission du budget", "ar": "لجنة الميزانية"},
			VenueTZ: ptr("Europe/Paris"), InterpretationPolicy: ptr("aiic")})
		if err != nil {
			t.Fatal(err)
		}
		// Ten days ahead of the clock (Monday 23 November 2026, 09:00 UTC).
		if _, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Morning sitting", "fr": "Séance du matin", "ar": "الجلسة الصباحية"},
			Start: ptr("2026-12-03T10:00"), DurationMin: ptr(180), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr"}}); err != nil {
			t.Fatal(err)
		}
		pool := []struct{ name, email, locale, tz, a, c string }{
			{"Claire Dubois", "claire@example.org", "fr-CA", "America/Montreal", "fr", "en"},
			{"Étienne Moreau", "etienne@example.org", "fr", "Europe/Paris", "fr", "en"},
			{"Layla Haddad", "layla@example.org", "ar", "Asia/Riyadh", "en", "fr"},
			{"James Wright", "james@example.org", "en", "Europe/London", "en", "fr"},
		}
		ids := map[string]string{}
		for _, p := range pool {
			it, err := ip.CreateInterpreter(ctx, interpretation.InterpreterInput{Name: ptr(p.name), Email: ptr(p.email), Locale: ptr(p.locale), TZ: ptr(p.tz),
				Languages: []interp.LangSkill{{Lang: interp.Lang(p.a), Class: interp.ClassA}, {Lang: interp.Lang(p.c), Class: interp.ClassC}}})
			if err != nil {
				t.Fatal(err)
			}
			ids[it.ID] = p.email
		}
		if _, err := ip.Plan(ctx, m.ID, true); err != nil {
			t.Fatal(err)
		}
		res, err := ip.Offer(ctx, m.ID, interpretation.OfferInput{})
		if err != nil || len(res.Offered) != 4 {
			t.Fatalf("offered %d seats, %v; want the 4 of two booths of two", len(res.Offered), err)
		}
		seat := map[string]string{}
		for _, o := range res.Offered {
			seat[ids[o.Assignment.InterpreterID]] = o.Assignment.ID
		}
		r.waitDelivered()
		r.tick(t0)
		to, _, texts := r.sentSince(0)
		if len(to) != 4 {
			t.Fatalf("offers went to %q, want the 4 interpreters", to)
		}
		// The deadline, 48 hours after the offer: Wednesday 25 November 2026, 09:00 UTC,
		// written as ICU writes dates for each interpreter's locale (fr-CA "04 h 00"), in their
		// own zone, with Plenary's offset ("UTC" when there is none).
		for email, want := range map[string]string{
			"claire@example.org":  "Délai de réponse (America/Montreal) : mercredi 25 novembre 2026 à 04 h 00 (UTC-05:00)",
			"etienne@example.org": "Délai de réponse (Europe/Paris) : mercredi 25 novembre 2026 à 10:00 (UTC+01:00)",
			"layla@example.org":   "آخر موعد للرد (Asia/Riyadh): الأربعاء، 25 نوفمبر 2026 في 12:00 م (UTC+03:00)",
			"james@example.org":   "Answer by (Europe/London): Wednesday, November 25, 2026 at 9:00 AM (UTC)",
		} {
			if !strings.Contains(texts[email], want) {
				t.Errorf("the offer to %s does not say %q:\n%s", email, want, texts[email])
			}
		}

		// Claire accepts and Étienne declines before the reminders are due.
		r.clock.Set(t0.Add(2 * time.Hour))
		if _, err := ip.Transition(ctx, seat["claire@example.org"], -1, interpretation.StateAccepted); err != nil {
			t.Fatal(err)
		}
		if _, err := ip.Transition(ctx, seat["etienne@example.org"], -1, interpretation.StateDeclined); err != nil {
			t.Fatal(err)
		}
		r.waitDelivered()
		r.tick(t0.Add(2 * time.Hour))
		r.tick(t0.Add(23*time.Hour + 59*time.Minute))
		if to, _, _ := r.sentSince(4); len(to) != 0 {
			t.Fatalf("before the reminders are due, mail went to %q", to)
		}
		// 24 hours before the deadline: the two who have not answered, in their language.
		r.tick(t0.Add(24 * time.Hour))
		to, subjects, texts := r.sentSince(4)
		if want := []string{"james@example.org", "layla@example.org"}; !slices.Equal(to, want) {
			t.Fatalf("reminders went to %q, want %q", to, want)
		}
		if got, want := subjects["james@example.org"], "Reminder: answer the offer for Morning sitting, EN booth"; got != want {
			t.Errorf("reminder subject %q, want %q", got, want)
		}
		if want := "It lapses in 24 hours"; !strings.Contains(texts["james@example.org"], want) {
			t.Errorf("the reminder does not say %q:\n%s", want, texts["james@example.org"])
		}
		if want := "تذكير: يُرجى الرد على عرض الجلسة الصباحية، مقصورة EN"; subjects["layla@example.org"] != want {
			t.Errorf("Arabic reminder subject %q, want %q", subjects["layla@example.org"], want)
		}
		// Sent once: later ticks, and the answers after it, send nothing more.
		r.tick(t0.Add(25 * time.Hour))
		r.clock.Set(t0.Add(26 * time.Hour))
		if _, err := ip.Transition(ctx, seat["james@example.org"], -1, interpretation.StateAccepted); err != nil {
			t.Fatal(err)
		}
		r.waitDelivered()
		r.tick(t0.Add(30 * time.Hour))
		if to, _, _ := r.sentSince(6); len(to) != 0 {
			t.Fatalf("after the reminders, mail went to %q", to)
		}
		var planned int
		if err := d.QueryRow(`SELECT COUNT(*) FROM notifier_deliveries WHERE kind = 'offer_reminder' AND state = 'planned'`).Scan(&planned); err != nil {
			t.Fatal(err)
		}
		if planned != 0 {
			t.Errorf("%d offer reminders still planned", planned)
		}
	})
}

// A meeting's own offer rule replaces the default: set to 6 hours, the reminder of an
// open offer moves to 6 hours before its deadline, and a withdrawn offer is not reminded.
func TestMeetingOfferRule(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		deadline := t0.Add(48 * time.Hour)
		a := asg("offered", 1, sess(1, 1, start))
		a.Deadline = &deadline
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: a})
		r.tick(t0)
		due := func() []time.Time {
			var out []time.Time
			rows, err := d.Query(`SELECT due_at FROM notifier_deliveries WHERE kind = 'offer_reminder' AND state = 'planned'`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var at time.Time
				if err := rows.Scan(&at); err != nil {
					t.Fatal(err)
				}
				out = append(out, at.UTC())
			}
			return out
		}
		if got := due(); len(got) != 1 || !got[0].Equal(deadline.Add(-24*time.Hour)) {
			t.Fatalf("offer reminders due %v, want one 24 h before the deadline", got)
		}
		if err := r.n.SetRules(context.Background(), "m1", []notifier.ReminderRule{{Audience: notifier.Offers, Name: "6h", Before: 6 * time.Hour}}); err != nil {
			t.Fatal(err)
		}
		if got := due(); len(got) != 1 || !got[0].Equal(deadline.Add(-6*time.Hour)) {
			t.Fatalf("offer reminders due %v, want one 6 h before the deadline", got)
		}
		r.tick(deadline.Add(-7 * time.Hour))
		if n := len(r.emails()); n != 1 { // the offer
			t.Fatalf("%d emails before the reminder is due, want the offer alone", n)
		}
		w := asg("withdrawn", 2, sess(1, 1, start))
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: w})
		r.tick(deadline.Add(-6 * time.Hour))
		var subjects []string
		for _, e := range r.emails() {
			subjects = append(subjects, e.Subject)
		}
		if len(subjects) != 2 || !strings.HasPrefix(subjects[1], "Affectation retirée") {
			t.Fatalf("emails %q: want the offer and its withdrawal, no reminder", subjects)
		}
	})
}
