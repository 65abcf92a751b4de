package notifier_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

// invites has ical.js read the calendar part of every email, in the order received.
func invites(t *testing.T, ems []email) []icaljstest.Event {
	t.Helper()
	var objs [][]byte
	for i, e := range ems {
		if len(e.Calendar) == 0 {
			t.Fatalf("email %d (%q) has no invite", i, e.Subject)
		}
		objs = append(objs, e.Calendar)
	}
	var out []icaljstest.Event
	for i, r := range icaljstest.Parse(t, objs...) {
		if !r.OK || len(r.Events) != 1 {
			t.Fatalf("invite %d: ical.js: %s, %d events\n%s", i, r.Error, len(r.Events), objs[i])
		}
		ev := r.Events[0]
		ev.Status = r.Method + " " + ev.Status // METHOD and STATUS read together below
		out = append(out, ev)
	}
	return out
}

func seq(e icaljstest.Event) int64 {
	if e.Sequence == nil {
		return -1
	}
	return *e.Sequence
}

// asgOf is interpreter i1's assignment id in a booth of session s1.
func asgOf(id, booth, state string, sequence int64, x contracts.Session) contracts.Assignment {
	a := asg(state, sequence, x)
	a.ID, a.Booth = id, booth
	return a
}

// A seat withdrawn while a change notice waits out the settle window: the CANCEL goes
// out, and the change notice must not follow it (nor take the UID's SEQUENCE back).
func TestNoChangeNoticeAfterTheCancellation(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 1, x)})
		r.tick(t0)
		r.publish(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: asg("accepted", 2, x)})
		moved := sess(2, 2, start.Add(time.Hour))
		r.clock.Set(t0.Add(time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: moved,
			Previous: contracts.Interval{StartUTC: start, EndUTC: start.Add(2 * time.Hour)}, PreviousVersion: 1})
		// Within the settle window (2 min), the seat is withdrawn; the CANCEL goes at once.
		r.clock.Set(t0.Add(time.Hour + time.Minute))
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: asg("withdrawn", 3, moved)})
		r.tick(t0.Add(time.Hour + time.Minute))
		r.tick(t0.Add(time.Hour + 10*time.Minute)) // the settle window is long over

		ems := r.emails()
		evs := invites(t, ems)
		var got []string
		for i, e := range evs {
			got = append(got, e.Status)
			if i > 0 && seq(e) <= seq(evs[i-1]) {
				t.Errorf("invite %d: SEQUENCE %d after %d", i, seq(e), seq(evs[i-1]))
			}
		}
		if strings.Join(got, ",") != "REQUEST TENTATIVE,CANCEL CANCELLED" {
			t.Fatalf("invites %v, want the offer and its cancellation only", got)
		}
		if st := r.states(`kind = 'assignment_changed'`); st["sent"] != 0 || st["planned"] != 0 {
			t.Errorf("change notices after the withdrawal: %v", st)
		}
	})
}

// The invite SEQUENCE has one owner, the notifier, which numbers the invites of a UID
// 0, 1, 2... whatever the assignment events carry, and across every assignment of the
// same interpreter to the same session (they share the UID).
func TestInviteSequenceIsTheNotifiers(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asgOf("as1", "FR", "offered", 5, x)})
		r.tick(t0)
		r.publish(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: asgOf("as1", "FR", "accepted", 6, x)})
		moved := sess(2, 2, start.Add(time.Hour))
		r.clock.Set(t0.Add(time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: moved,
			Previous: contracts.Interval{StartUTC: start, EndUTC: start.Add(2 * time.Hour)}, PreviousVersion: 1})
		r.tick(t0.Add(time.Hour + 3*time.Minute))
		r.clock.Set(t0.Add(2 * time.Hour))
		r.publish(contracts.AssignmentWithdrawn, contracts.AssignmentEvent{Assignment: asgOf("as1", "FR", "withdrawn", 9, moved)})
		r.tick(t0.Add(2 * time.Hour))
		// The same interpreter offered a seat in another booth of the same session: a new
		// assignment, its own events numbered from 1, the same UID in their calendar.
		r.clock.Set(t0.Add(3 * time.Hour))
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asgOf("as2", "EN", "offered", 1, moved)})
		r.tick(t0.Add(3 * time.Hour))

		evs := invites(t, r.emails())
		want := []struct {
			status string
			seq    int64
		}{{"REQUEST TENTATIVE", 0}, {"REQUEST CONFIRMED", 1}, {"CANCEL CANCELLED", 2}, {"REQUEST TENTATIVE", 3}}
		if len(evs) != len(want) {
			t.Fatalf("%d invites, want offer, change, cancellation, second offer", len(evs))
		}
		uid := ics.UID("s1", signed.CalendarInterpreter+"i1")
		for i, e := range evs {
			if e.UID != uid || e.Status != want[i].status || seq(e) != want[i].seq {
				t.Errorf("invite %d: UID %s %s SEQUENCE %d, want %s %s %d", i, e.UID, e.Status, seq(e), uid, want[i].status, want[i].seq)
			}
		}
	})
}

// An offer is tentative and asks for an answer; once accepted, a change is confirmed and
// asks nothing (the assignment page has nothing to answer either); a change to an offer
// still unanswered stays tentative and still asks.
func TestInviteStatusAndRSVPFollowTheAnswer(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 1, x)})
		r.tick(t0)
		move := func(v int64, at time.Time, prev contracts.Session) contracts.Session {
			moved := sess(v, v, at)
			r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: moved,
				Previous: contracts.Interval{StartUTC: prev.StartUTC, EndUTC: prev.EndUTC}, PreviousVersion: prev.ScheduleVersion})
			return moved
		}
		r.clock.Set(t0.Add(time.Hour))
		x2 := move(2, start.Add(time.Hour), x)
		r.tick(t0.Add(time.Hour + 3*time.Minute))
		r.clock.Set(t0.Add(2 * time.Hour))
		r.publish(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: asg("accepted", 2, x2)})
		x3 := move(3, start.Add(2*time.Hour), x2)
		r.tick(t0.Add(2*time.Hour + 3*time.Minute))

		ems := r.emails()
		evs := invites(t, ems)
		if len(evs) != 3 {
			t.Fatalf("%d invites, want offer, change of the offer, change of the accepted seat", len(evs))
		}
		want := []struct{ status, partstat, rsvp string }{
			{"REQUEST TENTATIVE", "NEEDS-ACTION", "TRUE"},
			{"REQUEST TENTATIVE", "NEEDS-ACTION", "TRUE"},
			{"REQUEST CONFIRMED", "ACCEPTED", "FALSE"},
		}
		for i, e := range evs {
			if len(e.Attendees) != 1 {
				t.Fatalf("invite %d: %d attendees", i, len(e.Attendees))
			}
			a := e.Attendees[0]
			if e.Status != want[i].status || a.PartStat != want[i].partstat || a.RSVP != want[i].rsvp {
				t.Errorf("invite %d: %s PARTSTAT=%s RSVP=%s, want %s PARTSTAT=%s RSVP=%s", i, e.Status, a.PartStat, a.RSVP,
					want[i].status, want[i].partstat, want[i].rsvp)
			}
		}
		if last := evs[2]; last.DTStart.UTC != x3.StartUTC.Format("2006-01-02T15:04:05.000Z") {
			t.Errorf("change of the accepted seat starts %s, want %s", last.DTStart.UTC, x3.StartUTC)
		}
		// The accepted seat's notice carries no link to answer, like its page.
		if strings.Contains(ems[2].Text, "action=accept") {
			t.Errorf("the change of an accepted seat asks to accept:\n%s", ems[2].Text)
		}
	})
}

// SUMMARY names the meeting and the session; DESCRIPTION is written in the interpreter's
// language; each text is tagged with the language it is in (none when it mixes two); URL
// is the signed link of the assignment page.
func TestInviteTextLanguageAndLink(t *testing.T) {
	enOnly := func(v int64, at time.Time) contracts.Session {
		x := sess(v, v, at)
		x.Title = contracts.Text{"en": "Opening"}
		return x
	}
	for _, c := range []struct {
		name, locale   string
		session        contracts.Session
		summary        string
		summaryLang    string // "" for no LANGUAGE parameter
		description    string // the booth label, then the booth
		descriptionTag string
	}{
		{"fr reads French", "fr-CA", sess(1, 1, start), "Forum mondial de l’eau — Ouverture", "fr", "Cabine FR", "fr"},
		{"fr reads an English-only session", "fr", enOnly(1, start), "Forum mondial de l’eau — Opening", "", "Cabine FR", "fr"},
		{"de falls back to English", "de", enOnly(1, start), "World Water Forum — Opening", "en", "Booth FR", "en"},
		{"ar reads Arabic", "ar", sess(1, 1, start), "المنتدى العالمي للمياه — الافتتاح", "ar", "المقصورة FR", "ar"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
				r := newRig(t, d)
				r.publish(contracts.MeetingCreated, contracts.MeetingEvent{Meeting: mtg})
				r.publish(contracts.SessionScheduled, contracts.SessionEvent{Session: c.session})
				a := asg("offered", 1, c.session)
				a.Interpreter.Locale = c.locale
				r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: a})
				r.tick(t0)
				evs := invites(t, r.emails())
				if len(evs) != 1 {
					t.Fatalf("%d invites", len(evs))
				}
				e := evs[0]
				if e.Summary == nil || e.Summary.Value != c.summary || e.Summary.Language != c.summaryLang {
					t.Errorf("SUMMARY %+v, want %q LANGUAGE=%q", e.Summary, c.summary, c.summaryLang)
				}
				if e.Description == nil || !strings.HasPrefix(e.Description.Value, c.description) || e.Description.Language != c.descriptionTag {
					t.Errorf("DESCRIPTION %+v, want %q... LANGUAGE=%q", e.Description, c.description, c.descriptionTag)
				}
				checkPageLink(t, r, e.URL, "as1")
			})
		})
	}
}

// checkPageLink asserts that link is the signed link of assignment id's page.
func checkPageLink(t *testing.T, r *rig, link, id string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host != "plenary.example.org" || u.Path != "/v1/assignments/"+id+"/respond" {
		t.Fatalf("URL %q, want the assignment page https://plenary.example.org/v1/assignments/%s/respond", link, id)
	}
	if subject, err := r.cfg.Links.Keys.Verify(u.Query().Get("token"), signed.Assignment, r.clock.Now()); err != nil || subject != id {
		t.Errorf("URL token: subject %q, %v", subject, err)
	}
}

// The interpreter's feed: an unanswered offer is tentative, an accepted seat confirmed, a
// withdrawn one cancelled; texts are tagged with their own language.
func TestInterpreterFeedReadByICALJS(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		x := sess(1, 1, start)
		x2 := sess(1, 1, start.Add(24*time.Hour))
		x2.ID = "s2"
		x2.Title = contracts.Text{"en": "Closing"}
		r.publish(contracts.SessionScheduled, contracts.SessionEvent{Session: x2})
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: asg("offered", 1, x)})
		b := asgOf("as2", "FR", "offered", 1, x2)
		b.SessionID = "s2"
		r.publish(contracts.AssignmentOffered, contracts.AssignmentEvent{Assignment: b})
		b.State, b.Sequence = "accepted", 2
		r.publish(contracts.AssignmentAccepted, contracts.AssignmentEvent{Assignment: b})
		r.tick(t0)

		eng := httpx.NewEngine(httpx.Options{})
		notifier.NewHandlers(r.n).Register(eng.Group("/v1"))
		srv := openapitest.NewServer(t, eng).URL
		feed := r.cfg.Links.Calendar(signed.CalendarInterpreter+"i1", t0)
		res, err := http.Get(srv + feed[strings.Index(feed, "/v1/"):])
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("feed: %v %v", err, res)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		rep := icaljstest.One(t, body)
		if rep.Method != "PUBLISH" || len(rep.Events) != 2 {
			t.Fatalf("feed: METHOD %s, %d events\n%s", rep.Method, len(rep.Events), body)
		}
		offered, accepted := rep.Events[0], rep.Events[1]
		if offered.Status != "TENTATIVE" || accepted.Status != "CONFIRMED" {
			t.Errorf("STATUS offered %s, accepted %s; want TENTATIVE, CONFIRMED", offered.Status, accepted.Status)
		}
		if offered.UID != ics.UID("s1", signed.CalendarInterpreter+"i1") || seq(offered) != 0 {
			t.Errorf("offered: UID %s SEQUENCE %d, want the invite's UID and SEQUENCE 0", offered.UID, seq(offered))
		}
		if d := offered.Description; d == nil || !strings.HasPrefix(d.Value, "Cabine FR") || d.Language != "fr" {
			t.Errorf("DESCRIPTION %+v, want the French booth label tagged fr", d)
		}
		if s := accepted.Summary; s == nil || s.Value != "Forum mondial de l’eau — Closing" || s.Language != "" {
			t.Errorf("SUMMARY %+v, want the meeting and the session, untagged as they mix French and English", s)
		}
		if s := offered.Summary; s == nil || s.Value != "Forum mondial de l’eau — Ouverture" || s.Language != "fr" {
			t.Errorf("SUMMARY %+v", s)
		}
		checkPageLink(t, r, accepted.URL, "as2")
	})
}
