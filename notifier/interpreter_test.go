package notifier_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/notifier/ics/icaljstest"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/signed"
)

func asg(state string, seq int64, x contracts.Session) contracts.Assignment {
	return contracts.Assignment{ID: "as1", MeetingID: "m1", SessionID: x.ID, Booth: "FR", Role: "interpreter", State: state, Sequence: seq,
		Interpreter: contracts.Interpreter{ID: "i1", Name: "Hélène Roy", Email: "helene@example.org", Locale: "fr", TZ: "Europe/Paris"},
		Team:        []contracts.TeamMember{{Name: "Marc Petit", Role: "interpreter"}}, Session: x}
}

// invite parses an email's calendar part with go-ical and returns METHOD, UID and SEQUENCE.
func invite(t *testing.T, e email) (method, uid string, seq int) {
	t.Helper()
	if len(e.Calendar) == 0 {
		t.Fatalf("email %q has no calendar part", e.Subject)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(e.Calendar)).Decode()
	if err != nil {
		t.Fatalf("invite does not parse: %v\n%s", err, e.Calendar)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	method = cal.Props.Get(ical.PropMethod).Value
	uid = evs[0].Props.Get(ical.PropUID).Value
	seq, err = evs[0].Props.Get(ical.PropSequence).Int()
	if err != nil {
		t.Fatalf("SEQUENCE: %v", err)
	}
	return method, uid, seq
}

func TestInterpreterInvitesRaiseSequence(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 0, x)})
		r.tick(t0)
		r.publish(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: asg("accepted", 1, x)})
		moved := start.Add(2 * time.Hour)
		r.clock.Set(t0.Add(time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: sess(2, 2, moved),
			Previous: contracts.Interval{StartUTC: start, EndUTC: start.Add(2 * time.Hour)}, PreviousVersion: 1})
		r.tick(t0.Add(time.Hour + 3*time.Minute))
		r.clock.Set(t0.Add(2 * time.Hour))
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: asg("withdrawn", 2, sess(2, 2, moved))})
		r.tick(t0.Add(2 * time.Hour))

		ems := r.emails()
		if len(ems) != 3 {
			t.Fatalf("%d emails, want offer, change, withdrawal", len(ems))
		}
		wantUID := ics.UID("s1", "interpreter:i1")
		wantMethods := []string{"REQUEST", "REQUEST", "CANCEL"}
		last := -1
		for i, e := range ems {
			method, uid, seq := invite(t, e)
			if method != wantMethods[i] || uid != wantUID {
				t.Errorf("email %d: METHOD %s UID %s, want %s %s", i, method, uid, wantMethods[i], wantUID)
			}
			if seq <= last {
				t.Errorf("email %d: SEQUENCE %d does not rise above %d", i, seq, last)
			}
			last = seq
		}
		offer := ems[0]
		if !strings.Contains(offer.Text, "https://plenary.example.org/v1/assignments/as1/respond?token=") {
			t.Errorf("offer lacks the signed respond link:\n%s", offer.Text)
		}
		// The interpreter's 48 h reminder was planned on acceptance and dropped on withdrawal.
		if got := r.states(`kind = 'reminder'`); got["planned"] != 0 || got["cancelled"] == 0 {
			t.Errorf("interpreter reminders %v", got)
		}
	})
}

func TestRemindersListAndCalendarFeed(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("amelie", "fr-CA", "America/Montreal", true))
		r.tick(t0)
		eng := httpx.NewEngine(httpx.Options{})
		notifier.NewHandlers(r.n).Register(eng.Group("/v1"))
		srv := openapitest.NewServer(t, eng)

		res, err := http.Get(srv.URL + "/v1/registrations/amelie/reminders")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("reminders: %v %v", err, res)
		}
		var list struct {
			Items []notifier.DeliveryJSON `json:"items"`
		}
		if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if len(list.Items) != 3 {
			t.Fatalf("%d deliveries, want confirmation and two reminders", len(list.Items))
		}
		states := []string{}
		for _, it := range list.Items {
			states = append(states, it.Kind+":"+it.State)
			if it.Preview == nil || it.Preview.Subject == "" || it.Preview.HTML == "" || it.Preview.Lang != "fr" {
				t.Errorf("preview of %s: %+v", it.Kind, it.Preview)
			}
			if it.DueAt.Location() != time.UTC {
				t.Errorf("due_at not UTC: %v", it.DueAt)
			}
		}
		if got := strings.Join(states, ","); got != "registration_confirmed:sent,reminder:planned,reminder:planned" {
			t.Errorf("states %s", got)
		}
		if !list.Items[1].DueAt.Equal(start.Add(-24 * time.Hour)) {
			t.Errorf("24 h reminder due %v", list.Items[1].DueAt)
		}

		feed := r.cfg.Links.Calendar("registration:amelie", t0)
		path := feed[strings.Index(feed, "/v1/"):]
		res, err = http.Get(srv.URL + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("feed: %v %v", err, res)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		// The registrant's feed names the meeting and the session, in French, tagged fr.
		if evs := icaljstest.One(t, body).Events; len(evs) != 1 || evs[0].Summary == nil ||
			evs[0].Summary.Value != "Forum mondial de l’eau — Ouverture" || evs[0].Summary.Language != "fr" || evs[0].Status != "CONFIRMED" {
			t.Errorf("feed events by ical.js: %+v", evs)
		}
		icaljstest.Check(t, body)
		cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
		if err != nil {
			t.Fatalf("feed does not parse: %v", err)
		}
		if evs := cal.Events(); len(evs) != 1 || evs[0].Props.Get(ical.PropUID).Value != ics.UID("s1", "registration:amelie") {
			t.Fatalf("feed events %v", evs)
		}
		bad := r.cfg.Links.Keys.Sign(signed.Registration, "registration:amelie", t0.Add(time.Hour))
		if res, _ := http.Get(srv.URL + "/v1/calendar/" + bad + ".ics"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("token of another purpose: %d", res.StatusCode)
		}
	})
}

func TestSessionCancellationCancelsInvites(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 3, x)})
		r.tick(t0)
		x.Status, x.Version = "cancelled", 2
		r.publish(contracts.SessionCancelled, contracts.SessionEvent{Session: x, Reason: "Budget"})
		r.tick(t0.Add(time.Minute))
		ems := r.emails()
		if len(ems) != 2 {
			t.Fatalf("%d emails, want the offer and its cancellation", len(ems))
		}
		m0, uid0, seq0 := invite(t, ems[0])
		m1, uid1, seq1 := invite(t, ems[1])
		// The notifier numbers the invites of a UID from 0, whatever sequence the
		// assignment's events carry (3 here).
		if m0 != "REQUEST" || m1 != "CANCEL" || uid0 != uid1 || seq0 != 0 || seq1 != 1 {
			t.Fatalf("offer %s %s #%d, cancellation %s %s #%d", m0, uid0, seq0, m1, uid1, seq1)
		}
		if !strings.Contains(ems[1].Text, "Budget") {
			t.Errorf("cancellation lacks the reason:\n%s", ems[1].Text)
		}
	})
}

func TestMeetingReminderRules(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("a", "en", "UTC", true))
		eng := httpx.NewEngine(httpx.Options{})
		notifier.NewHandlers(r.n).Register(eng.Group("/v1"))
		srv := openapitest.NewServer(t, eng)
		put := func(body string) (int, notifier.RulesJSON) {
			req, _ := http.NewRequest(http.MethodPut, srv.URL+"/v1/meetings/m1/reminder-rules", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out notifier.RulesJSON
			_ = json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, out
		}
		if code, _ := put(`{"rules":[{"audience":"speaker","before":"1h"}]}`); code != http.StatusUnprocessableEntity {
			t.Fatalf("invalid rule: %d", code)
		}
		code, out := put(`{"rules":[{"audience":"registrant","before":"2h"},{"audience":"interpreter","before":"72h"}]}`)
		if code != http.StatusOK || out.Default || len(out.Rules) != 2 {
			t.Fatalf("put: %d %+v", code, out)
		}
		// The rules echo as they were written, not as Go prints durations ("72h0m0s").
		if want := []notifier.RuleJSON{{Audience: "interpreter", Before: "72h"}, {Audience: "registrant", Before: "2h"}}; !slices.Equal(out.Rules, want) {
			t.Fatalf("rules echoed as %+v, want %+v", out.Rules, want)
		}
		if got := r.states(`kind = 'reminder'`); got["planned"] != 1 || got["cancelled"] != 2 {
			t.Fatalf("reminders after the new rules: %v", got)
		}
		r.tick(start.Add(-24 * time.Hour))
		if st := r.tick(start.Add(-2 * time.Hour)); st.Sent != 1 {
			t.Fatalf("2 h reminder: %+v", st)
		}
		if code, out := put(`{"rules":[]}`); code != http.StatusOK || !out.Default || len(out.Rules) != 4 { // registrant 24h and 1h, interpreter 48h, offer 24h
			t.Fatalf("back to defaults: %d %+v", code, out)
		}
		// Both changes are in the audit trail, with the rules before and after; the
		// refused one is not.
		rows, err := d.Query(`SELECT before_json, after_json FROM audit_log WHERE action = 'reminder_rules.set' AND meeting_id = 'm1' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var trail []string
		for rows.Next() {
			var before, after string
			if err := rows.Scan(&before, &after); err != nil {
				t.Fatal(err)
			}
			trail = append(trail, before+" -> "+after)
		}
		if len(trail) != 2 || !strings.Contains(trail[0], `"default":true`) || !strings.Contains(trail[0], `"before":"72h"`) ||
			!strings.Contains(trail[1], `"before":"2h"`) {
			t.Fatalf("audit trail of the rules: %v", trail)
		}
	})
}

// A seat withdrawn before its interpreter heard of it sends nothing: a proposal the
// secretariat drops, or an offer withdrawn before the notifier's tick sent it.
func TestWithdrawalOfAnUnsentOfferSendsNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: asg("withdrawn", 1, x)})
		r.tick(t0)
		if ems := r.emails(); len(ems) != 0 {
			t.Fatalf("a proposal withdrawn sends %d emails (%q)", len(ems), ems[0].Subject)
		}
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 2, x)})
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: asg("withdrawn", 3, x)})
		r.tick(t0.Add(time.Minute))
		if ems := r.emails(); len(ems) != 0 {
			t.Fatalf("an offer withdrawn before it went out sends %d emails (%q)", len(ems), ems[0].Subject)
		}
		if got := r.states(`kind = 'assignment_offered'`); got["cancelled"] != 1 {
			t.Fatalf("the unsent offer is cancelled: %v", got)
		}
	})
}
