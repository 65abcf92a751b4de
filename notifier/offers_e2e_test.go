package notifier_test

import (
	"context"
	netmail "net/mail"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// waitDelivered waits until every outbox row is published and the notifier has applied it.
func (r *rig) waitDelivered() {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := r.d.QueryRow(`SELECT COUNT(*) FROM outbox WHERE published_at IS NULL`).Scan(&n); err != nil {
			r.t.Fatal(err)
		}
		if n == 0 {
			r.waitStreamAcked()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatal("the outbox did not drain")
}

// recipients lists who received an email whose subject starts with prefix, sorted.
func (r *rig) recipients(prefix string) []string {
	var out []string
	for _, e := range r.emails() {
		if strings.HasPrefix(e.Subject, prefix) {
			a, err := netmail.ParseAddress(e.To)
			if err != nil {
				r.t.Fatalf("To: %q: %v", e.To, err)
			}
			out = append(out, a.Address)
		}
	}
	sort.Strings(out)
	return out
}

// reserve is the interpreter with A language lang whom the plan left out.
func reserve(lang string, pool []struct{ name, email, a, c string }, seat map[string]interpretation.Assignment) string {
	for _, p := range pool {
		if _, seated := seat[p.email]; p.a == lang && !seated {
			return p.email
		}
	}
	return ""
}

// The secretariat's working day, from the plan to the inboxes: offering a plan sends
// one email per seat, once; a decline and an offer left unanswered at its deadline each
// put the next candidate in the seat and, with auto_escalate, offer it at once.
func TestOffersDeadlinesAndEscalation(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		relay := outbox.NewRelay(d, r.js, nil, outbox.WithPollInterval(10*time.Millisecond))
		done := make(chan struct{})
		go func() { defer close(done); _ = relay.Run(ctx) }()
		defer func() { cancel(); <-done }()

		ag := agenda.NewService(d, agenda.WithClock(r.clock.Now), agenda.WithCommitHook(relay.Notify))
		ip := interpretation.NewService(d, ag, interpretation.WithClock(r.clock.Now), interpretation.WithCommitHook(relay.Notify))
		m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Committee on Budget", "fr": "Commission du budget"},
			VenueTZ: ptr("Europe/Paris"), InterpretationPolicy: ptr("aiic")})
		if err != nil {
			t.Fatal(err)
		}
		// Ten days ahead: 10:00-13:00 in Paris, a morning sitting with English and French.
		x, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Morning sitting", "fr": "Séance du matin"},
			Start: ptr("2026-12-03T10:00"), DurationMin: ptr(180), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr"}})
		if err != nil {
			t.Fatal(err)
		}
		// Three of each booth's language: two to staff each booth and one in reserve.
		pool := []struct{ name, email, a, c string }{
			{"Claire Dubois", "claire@example.org", "fr", "en"}, {"Étienne Moreau", "etienne@example.org", "fr", "en"},
			{"Lucie Fontaine", "lucie@example.org", "fr", "en"}, {"James Wright", "james@example.org", "en", "fr"},
			{"Olivia Brown", "olivia@example.org", "en", "fr"}, {"Henry Clarke", "henry@example.org", "en", "fr"},
		}
		for _, p := range pool {
			if _, err := ip.CreateInterpreter(ctx, interpretation.InterpreterInput{Name: ptr(p.name), Email: ptr(p.email), TZ: ptr("Europe/Paris"),
				Languages: []interp.LangSkill{{Lang: interp.Lang(p.a), Class: interp.ClassA}, {Lang: interp.Lang(p.c), Class: interp.ClassC}}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := ip.Plan(ctx, m.ID, true); err != nil {
			t.Fatal(err)
		}
		res, err := ip.Offer(ctx, m.ID, interpretation.OfferInput{AutoEscalate: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Offered) != 4 || !res.AutoEscalate {
			t.Fatalf("offered %d seats (auto_escalate %v), want the 4 of two booths of two", len(res.Offered), res.AutoEscalate)
		}
		for _, o := range res.Offered {
			if want := t0.Add(48 * time.Hour); !o.Deadline.Equal(want) {
				t.Fatalf("deadline %s, want 48 h after the offer, %s", o.Deadline, want)
			}
		}
		again, err := ip.Offer(ctx, m.ID, interpretation.OfferInput{})
		if err != nil || len(again.Offered) != 0 || again.AlreadyOffered != 4 {
			t.Fatalf("offering again: %d offered, %d already, %v", len(again.Offered), again.AlreadyOffered, err)
		}
		r.waitDelivered()
		r.tick(t0)
		r.tick(t0.Add(time.Minute))
		offered := r.recipients("Assignment offer")
		if len(offered) != 4 || len(slices.Compact(slices.Clone(offered))) != 4 {
			t.Fatalf("offer emails to %q, want one to each of 4 interpreters", offered)
		}

		// Two accept at once; one declines an hour later: the reserve of that booth is
		// offered the seat at once, with 48 hours to answer.
		seat := map[string]interpretation.Assignment{}
		names := map[string]string{}
		for _, p := range pool {
			names[p.email] = p.name
		}
		for _, o := range res.Offered {
			it, err := ip.Interpreter(ctx, o.Assignment.InterpreterID)
			if err != nil {
				t.Fatal(err)
			}
			seat[it.Email] = o.Assignment
		}
		byBooth := map[string][]string{}
		for email, a := range seat {
			byBooth[a.Booth] = append(byBooth[a.Booth], email)
		}
		for _, b := range byBooth {
			sort.Strings(b)
		}
		accept := []string{byBooth["en"][0], byBooth["fr"][0]}
		decliner, silent := byBooth["en"][1], byBooth["fr"][1]
		for _, e := range accept {
			if _, err := ip.Transition(ctx, seat[e].ID, -1, interpretation.StateAccepted); err != nil {
				t.Fatal(err)
			}
		}
		r.clock.Set(t0.Add(time.Hour))
		tr, err := ip.Transition(ctx, seat[decliner].ID, -1, interpretation.StateDeclined)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Replacements) != 1 || tr.Replacements[0].State != interpretation.StateOffered || tr.Replacements[0].Booth != "en" {
			t.Fatalf("after the decline: replacements %+v gaps %+v", tr.Replacements, tr.Gaps)
		}
		r.waitDelivered()
		r.tick(t0.Add(time.Hour))
		offered = r.recipients("Assignment offer")
		reserveEN := reserve("en", pool, seat)
		if len(offered) != 5 || !slices.Contains(offered, reserveEN) {
			t.Fatalf("after the decline, offers went to %q; want the English reserve %s too", offered, reserveEN)
		}

		// Nobody expires before the deadline.
		r.clock.Set(t0.Add(47 * time.Hour))
		if n, err := ip.ExpireOffers(ctx); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d expired, %v", n, err)
		}
		// The French offer nobody answered expires at its deadline; the English reserve's
		// offer, made an hour later, does not yet.
		r.clock.Set(t0.Add(48 * time.Hour))
		if n, err := ip.ExpireOffers(ctx); err != nil || n != 1 {
			t.Fatalf("at the deadline: %d expired, want 1: %v", n, err)
		}
		if n, err := ip.ExpireOffers(ctx); err != nil || n != 0 {
			t.Fatalf("expiring twice: %d, %v", n, err)
		}
		r.waitDelivered()
		r.tick(t0.Add(48 * time.Hour))
		if got := r.recipients("Offer expired"); !slices.Equal(got, []string{silent}) {
			t.Fatalf("expiry emails to %q, want %s", got, silent)
		}
		offered = r.recipients("Assignment offer")
		reserveFR := reserve("fr", pool, seat)
		if len(offered) != 6 || !slices.Contains(offered, reserveFR) {
			t.Fatalf("after the expiry, offers went to %q; want the French reserve %s too", offered, reserveFR)
		}
		// One email per seat and event, never twice.
		r.tick(t0.Add(48*time.Hour + time.Minute))
		if n := len(r.recipients("Assignment offer")); n != 6 {
			t.Fatalf("%d offer emails after another tick, want 6", n)
		}

		states := map[string]int{}
		all, err := ip.MeetingAssignments(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			states[a.State]++
		}
		want := map[string]int{"accepted": 2, "declined": 1, "expired": 1, "offered": 2}
		if len(states) != len(want) {
			t.Fatalf("states %v, want %v", states, want)
		}
		for k, v := range want {
			if states[k] != v {
				t.Fatalf("states %v, want %v", states, want)
			}
		}

		// The board shows each state with names and deadlines; nothing is open.
		b, err := ip.Board(ctx, m.ID, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Sessions) != 1 || b.Sessions[0].SessionID != x.ID || len(b.Sessions[0].Booths) != 2 {
			t.Fatalf("board sessions %+v", b.Sessions)
		}
		seen := map[string]string{}
		for _, bb := range b.Sessions[0].Booths {
			if bb.Active != 2 || bb.Accepted != 1 {
				t.Errorf("booth %s: %d active, %d accepted; want 2 and 1", bb.Booth, bb.Active, bb.Accepted)
			}
			for _, s := range bb.Seats {
				seen[s.InterpreterName] = s.State
				if (s.State == interpretation.StateOffered) != (s.Deadline != nil) {
					t.Errorf("seat %s %s deadline %v", s.InterpreterName, s.State, s.Deadline)
				}
			}
		}
		wantSeen := map[string]string{names[accept[0]]: "accepted", names[accept[1]]: "accepted", names[decliner]: "declined",
			names[silent]: "expired", names[reserveEN]: "offered", names[reserveFR]: "offered"}
		for k, v := range wantSeen {
			if seen[k] != v {
				t.Errorf("board: %s is %q, want %q (board %v)", k, seen[k], v, seen)
			}
		}
		for _, dcs := range b.Decisions {
			if dcs.Kind == "open_seat" || dcs.Kind == "to_offer" {
				t.Errorf("board wants a decision on a filled seat: %+v", dcs)
			}
		}

		// The secretariat moves the sitting an hour later. Each interpreter who holds or is
		// offered a seat is told once, with an invite ical.js reads as the answer stands:
		// accepted seats CONFIRMED and asked nothing, offers TENTATIVE and still asked.
		before := len(r.emails())
		cur, err := ag.Session(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ag.UpdateSession(ctx, x.ID, cur.Version, agenda.SessionInput{Start: ptr("2026-12-03T11:00")}); err != nil {
			t.Fatal(err)
		}
		r.waitDelivered()
		r.tick(t0.Add(48*time.Hour + 10*time.Minute))
		changed := r.emails()[before:]
		if len(changed) != 4 {
			t.Fatalf("%d emails after the move, want one to each of the 2 accepted and 2 offered interpreters", len(changed))
		}
		for i, ev := range invites(t, changed) {
			to, _ := netmail.ParseAddress(changed[i].To)
			accepted := slices.Contains(accept, to.Address)
			want := "REQUEST TENTATIVE NEEDS-ACTION TRUE"
			if accepted {
				want = "REQUEST CONFIRMED ACCEPTED FALSE"
			}
			if len(ev.Attendees) != 1 {
				t.Fatalf("change to %s: %d attendees", to.Address, len(ev.Attendees))
			}
			got := ev.Status + " " + ev.Attendees[0].PartStat + " " + ev.Attendees[0].RSVP
			if got != want || !strings.HasPrefix(changed[i].Subject, "Assignment changed") {
				t.Errorf("change to %s (accepted %v, %q): %s, want %s", to.Address, accepted, changed[i].Subject, got, want)
			}
			// 11:00 in Paris on 3 December (UTC+1) is 10:00 UTC.
			if ev.DTStart.UTC != "2026-12-03T10:00:00.000Z" {
				t.Errorf("change to %s starts %s", to.Address, ev.DTStart.UTC)
			}
		}
	})
}
