package notifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

var (
	start = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC) // 10:00 in Montreal, 16:00 in Zurich
	mtg   = contracts.Meeting{ID: "m1", Title: contracts.Text{"en": "World Water Forum", "fr": "Forum mondial de l’eau", "ar": "المنتدى العالمي للمياه"},
		VenueTZ: "Europe/Zurich", DefaultLang: "en", Version: 1}
)

func sess(v, sv int64, at time.Time) contracts.Session {
	return contracts.Session{ID: "s1", MeetingID: "m1", Title: contracts.Text{"en": "Opening", "fr": "Ouverture", "ar": "الافتتاح"},
		StartUTC: at, EndUTC: at.Add(2 * time.Hour), TZ: "Europe/Zurich", Status: "scheduled", ScheduleVersion: sv, Version: v}
}

func reg(id, locale, tz string, consent bool) contracts.Registration {
	return contracts.Registration{ID: id, MeetingID: "m1", Name: "Person " + id, Email: id + "@example.org",
		Locale: locale, TZ: tz, Sessions: []string{}, ConsentReminders: consent, Version: 1}
}

func (r *rig) seed(regs ...contracts.Registration) {
	r.publish(contracts.MeetingCreated, contracts.MeetingEvent{Meeting: mtg})
	r.publish(contracts.SessionScheduled, contracts.SessionEvent{Session: sess(1, 1, start)})
	for _, g := range regs {
		r.publish(contracts.RegistrationCreated, contracts.RegistrationEvent{Registration: g})
	}
}

func (r *rig) states(where string) map[string]int {
	r.t.Helper()
	rows, err := r.d.Query(`SELECT state, COUNT(*) FROM notifier_deliveries WHERE ` + where + ` GROUP BY state`)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		_ = rows.Scan(&s, &n)
		out[s] = n
	}
	return out
}

// recordedInFiles counts the rows matching where whose hand-over is recorded in the
// files beside an SQLite database.
func (r *rig) recordedInFiles(where string) int {
	r.t.Helper()
	files, err := notifier.RecordedInFiles(r.d)
	if err != nil {
		r.t.Fatal(err)
	}
	rows, err := r.d.Query(`SELECT id FROM notifier_deliveries WHERE ` + where)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			r.t.Fatal(err)
		}
		if files[id] {
			n++
		}
	}
	return n
}

func TestLocalizedReminders(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("amelie", "fr-CA", "America/Montreal", true), reg("layla", "ar", "Asia/Riyadh", true))
		if st := r.tick(t0); st.Sent != 2 {
			t.Fatalf("confirmations: %+v", st)
		}
		if st := r.tick(start.Add(-24*time.Hour + time.Minute)); st.Sent != 2 {
			t.Fatalf("24 h reminders: %+v", st)
		}
		ems := r.emails()
		var fr, ar email
		for _, e := range ems[2:] {
			if strings.Contains(e.To, "amelie") {
				fr = e
			} else {
				ar = e
			}
		}
		if !strings.HasPrefix(fr.Subject, "Rappel") || !strings.Contains(fr.Text, "Ouverture") {
			t.Errorf("French reminder: %q\n%s", fr.Subject, fr.Text)
		}
		// fr-CA writes "10 h 00" (CLDR; Intl.DateTimeFormat agrees).
		if !strings.Contains(fr.Text, "America/Montreal") || !strings.Contains(fr.Text, "10 h 00") || !strings.Contains(fr.Text, "16 h 00") {
			t.Errorf("French reminder lacks the Montreal (10 h 00) and venue (16 h 00) times:\n%s", fr.Text)
		}
		if !strings.Contains(ar.HTML, `dir="rtl"`) || !strings.Contains(ar.HTML, `lang="ar"`) || ar.Text == "" || ar.Lang != "ar" {
			t.Errorf("Arabic reminder is not right-to-left with a text part: lang %q\n%s", ar.Lang, ar.HTML)
		}
		if u := fr.Header.Get("List-Unsubscribe"); !strings.Contains(u, "https://plenary.example.org/v1/unsubscribe/") ||
			fr.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("reminder lacks one-click unsubscribe: %q", u)
		}
		if !strings.Contains(ar.Text, "الافتتاح") {
			t.Errorf("Arabic reminder lacks the Arabic title:\n%s", ar.Text)
		}
		if st := r.tick(start.Add(-time.Hour)); st.Sent != 2 {
			t.Fatalf("1 h reminders: %+v", st)
		}
		if st := r.tick(start.Add(-time.Minute)); st.Sent != 0 {
			t.Fatalf("nothing more is due: %+v", st)
		}
		if got := len(r.emails()); got != 6 {
			t.Fatalf("%d emails, want 6", got)
		}
	})
}

func TestRescheduleSendsOneChangeAndOnlyNewReminders(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("amelie", "fr-CA", "America/Montreal", true))
		r.tick(t0)
		if got := r.states(`kind = 'reminder'`); got["planned"] != 2 {
			t.Fatalf("reminders planned: %v", got)
		}
		// Two moves within the settle window: one notice, old time of the first.
		moved1, moved2 := start.Add(24*time.Hour), start.Add(48*time.Hour)
		r.clock.Set(t0.Add(time.Hour))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: sess(2, 2, moved1),
			Previous: contracts.Interval{StartUTC: start, EndUTC: start.Add(2 * time.Hour)}, PreviousVersion: 1})
		r.clock.Set(t0.Add(time.Hour + 30*time.Second))
		r.publish(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: sess(3, 3, moved2),
			Previous: contracts.Interval{StartUTC: moved1, EndUTC: moved1.Add(2 * time.Hour)}, PreviousVersion: 2})
		if st := r.tick(t0.Add(time.Hour + 90*time.Second)); st.Sent != 0 {
			t.Fatalf("a change notice went out inside the settle window: %+v", st)
		}
		if st := r.tick(t0.Add(time.Hour + 3*time.Minute)); st.Sent != 1 {
			t.Fatalf("change notices: %+v", st)
		}
		notice := r.emails()[1]
		if !strings.Contains(notice.Text, "1 décembre") || !strings.Contains(notice.Text, "3 décembre") {
			t.Errorf("change notice should show the first old time (1 Dec) and the new one (3 Dec):\n%s", notice.Text)
		}
		// The old reminders' moments pass: nothing; the new ones go.
		for _, at := range []time.Time{start.Add(-24 * time.Hour), start.Add(-time.Hour), moved1.Add(-time.Hour)} {
			if st := r.tick(at); st.Sent != 0 {
				t.Fatalf("old-version reminder sent at %s: %+v", at, st)
			}
		}
		r.tick(moved2.Add(-24 * time.Hour))
		r.tick(moved2.Add(-time.Hour))
		if got := len(r.emails()); got != 4 {
			t.Fatalf("%d emails, want confirmation, one change notice and two reminders", got)
		}
		if got := r.states(`kind = 'reminder'`); got["sent"] != 2 || got["cancelled"] != 4 || got["planned"] != 0 {
			t.Fatalf("reminder states %v", got)
		}
	})
}

func TestCancelledSessionAndUnsubscribedGetNothingMore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		a, b := reg("a", "en", "Europe/London", true), reg("b", "es", "America/Bogota", true)
		r.seed(a, b)
		r.tick(t0)
		b.Unsubscribed, b.Version = true, 2
		r.publish(contracts.RegistrationUpdated, contracts.RegistrationEvent{Registration: b})
		if st := r.tick(start.Add(-24 * time.Hour)); st.Sent != 1 {
			t.Fatalf("only the subscribed registrant is reminded: %+v", st)
		}
		x := sess(2, 1, start)
		x.Status = "cancelled"
		r.publish(contracts.SessionCancelled, contracts.SessionEvent{Session: x, Reason: "Room unavailable"})
		if st := r.tick(start.Add(-23 * time.Hour)); st.Sent != 1 {
			t.Fatalf("one cancellation notice (to a, not to the unsubscribed b): %+v", st)
		}
		last := r.emails()[len(r.emails())-1]
		if !strings.Contains(last.To, "a@example.org") || !strings.Contains(last.Text, "Room unavailable") {
			t.Errorf("cancellation notice: %s\n%s", last.To, last.Text)
		}
		for _, at := range []time.Time{start.Add(-time.Hour), start} {
			if st := r.tick(at); st.Sent != 0 {
				t.Fatalf("sent after cancellation: %+v", st)
			}
		}
		for _, e := range r.emails()[2:] {
			if strings.Contains(e.To, "b@example.org") {
				t.Errorf("unsubscribed registrant got %q", e.Subject)
			}
		}
		if got := len(r.emails()); got != 4 {
			t.Fatalf("%d emails, want 2 confirmations, 1 reminder, 1 cancellation", got)
		}
	})
}

func TestSameEventTwiceSendsOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed()
		ev := r.publish(contracts.RegistrationCreated, contracts.RegistrationEvent{Registration: reg("a", "en", "UTC", true)})
		// Again through the consumer (a redelivery without the stream's dedupe) and directly.
		again := ev
		raw, _ := jsonMarshal(again)
		if _, err := r.js.Publish(context.Background(), contracts.Subject(ev.Type), raw); err != nil {
			t.Fatal(err)
		}
		fresh, err := r.n.Process(context.Background(), ev)
		if err != nil || fresh {
			t.Fatalf("second processing: fresh %v, %v", fresh, err)
		}
		r.waitStreamAcked()
		r.tick(t0)
		r.tick(start.Add(-24 * time.Hour))
		if got := len(r.emails()); got != 2 {
			t.Fatalf("%d emails, want one confirmation and one reminder", got)
		}
	})
}

// waitStreamAcked waits until the consumer has acknowledged everything in the stream.
func (r *rig) waitStreamAcked() {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := r.js.Consumer(context.Background(), contracts.Stream, notifier.ConsumerName)
		if err == nil {
			info, err := c.Info(context.Background())
			if err == nil && info.NumPending == 0 && info.NumAckPending == 0 {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.t.Fatal("consumer did not catch up")
}

// A notifier killed in the middle of a fan-out: of its workers, exactly one had a message
// accepted by the mail server and not yet marked (the hand-over gate lets no other
// message reach the server until that one is marked). That one, and only that one, goes
// out a second time (with the same Message-ID); every row marked before the crash and
// every row the dead process had claimed but not sent goes out exactly once, once the
// short lease of the dead process has run out.
func TestCrashMidFanOutResendsOnlyTheMessagesInFlight(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		const registrants, workers, crashAt = 60, 8, 10
		crash := errors.New("killed after send")
		var mu sync.Mutex
		sends := 0
		inFlight := map[string]bool{} // message ids accepted by the server, never marked
		r := newRig(t, d, func(c *notifier.Config) {
			c.Concurrency, c.Batch = workers, 4
			c.AfterSend = func(_ context.Context, dl notifier.Delivery) error {
				mu.Lock()
				defer mu.Unlock()
				if sends++; sends >= crashAt {
					// From the crash on, every worker that gets a message accepted dies
					// with it in flight.
					inFlight[dl.MessageID] = true
					return crash
				}
				return nil
			}
		})
		var regs []contracts.Registration
		for i := range registrants {
			regs = append(regs, reg(fmt.Sprintf("r%02d", i), "en", "UTC", false))
		}
		r.seed(regs...)
		r.clock.Set(t0)
		if _, err := r.n.Tick(context.Background()); !errors.Is(err, crash) {
			t.Fatalf("tick: %v", err)
		}
		before := r.states(`kind = 'registration_confirmed'`)
		// Recorded sent: moved to sent, or accepted and noted (sent_at) inside the gate,
		// left in sending by the crash for a later claim to finish.
		recorded := before["sent"] + r.states(`kind = 'registration_confirmed' AND state = 'sending' AND sent_at IS NOT NULL`)["sending"] + r.recordedInFiles(`kind = 'registration_confirmed' AND state = 'sending' AND sent_at IS NULL`)
		received := len(r.emails())
		if len(inFlight) != 1 {
			t.Fatalf("%d messages accepted and unmarked at the crash, want 1 (of %d workers)", len(inFlight), workers)
		}
		if received != recorded+len(inFlight) {
			t.Fatalf("the server has %d messages, the notifier recorded %d sent with %d in flight: a message was sent and not recorded beyond those in flight",
				received, recorded, len(inFlight))
		}
		held := before["sending"]
		if held < len(inFlight) {
			t.Fatalf("after the crash %v, want at least the %d in flight still sending", before, len(inFlight))
		}

		// A fresh notifier on the same database, without the hook. Inside the dead
		// process's lease its rows stay its own; after it, they are sent.
		r.halt()
		r.cfg.AfterSend = nil
		r.start()
		r.tick(t0.Add(5 * time.Second))
		if got := r.states(`kind = 'registration_confirmed'`); got["sending"] != held {
			t.Fatalf("inside the lease: %v, want the %d rows of the dead process still sending", got, held)
		}
		r.tick(t0.Add(20 * time.Second))
		if got := r.states(`kind = 'registration_confirmed'`); got["sent"] != registrants {
			t.Fatalf("after the lease: %v, want all %d sent", got, registrants)
		}
		if st := r.tick(t0.Add(time.Minute)); st.Sent != 0 {
			t.Fatalf("sent again: %+v", st)
		}
		copies := map[string]int{}
		for _, e := range r.emails() {
			copies[e.MessageID]++
		}
		if len(copies) != registrants {
			t.Fatalf("%d distinct Message-IDs, want %d (one per registrant)", len(copies), registrants)
		}
		for id, n := range copies {
			want := 1
			if inFlight[id] {
				want = 2
			}
			if n != want {
				t.Errorf("%s arrived %d times, want %d (in flight at the crash: %v)", id, n, want, inFlight[id])
			}
		}
	})
}

func TestLateRemindersAreMissed(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("a", "en", "UTC", true))
		r.tick(t0)
		// The notifier was down across the 24 h reminder's moment and came back 20 minutes late.
		st := r.tick(start.Add(-24*time.Hour + 20*time.Minute))
		if st.Sent != 0 || st.Missed != 1 {
			t.Fatalf("%+v", st)
		}
		if st := r.tick(start.Add(-time.Hour + 10*time.Minute)); st.Sent != 1 {
			t.Fatalf("within the grace period: %+v", st)
		}
	})
}

// A notifier with an empty database rebuilds its projection by replaying the stream; the
// notices of long ago are missed, not sent again, and future reminders are planned.
func TestRebuildByReplay(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.seed(reg("a", "en", "UTC", true), reg("b", "fr", "Europe/Paris", false))
		if st := r.tick(t0); st.Sent != 2 {
			t.Fatalf("confirmations: %+v", st)
		}
		r.halt()
		if err := r.js.DeleteConsumer(context.Background(), contracts.Stream, notifier.ConsumerName); err != nil {
			t.Fatal(err)
		}
		r.d = dbtest.Open(t, d.Dialect)
		r.cfg.DB = r.d
		r.clock.Set(t0.Add(72 * time.Hour))
		r.start()
		r.waitStreamAcked()
		var regs int
		if err := r.d.QueryRow(`SELECT COUNT(*) FROM notifier_registrations`).Scan(&regs); err != nil || regs != 2 {
			t.Fatalf("rebuilt registrations: %d %v", regs, err)
		}
		if st := r.tick(t0.Add(72 * time.Hour)); st.Sent != 0 || st.Missed != 2 {
			t.Fatalf("after the rebuild: %+v", st)
		}
		if got := r.states(`kind = 'reminder'`); got["planned"] != 2 {
			t.Fatalf("rebuilt reminders %v (only a consented)", got)
		}
		if got := len(r.emails()); got != 2 {
			t.Fatalf("%d emails, want only the two first confirmations", got)
		}
	})
}

// An event whose payload does not decode is skipped; the events behind it still apply.
func TestPoisonEventDoesNotBlockTheStream(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.publishEvent(contracts.Event{ID: "bad-1", Type: contracts.SessionScheduled, Source: "test", OccurredAt: t0, Data: []byte(`"not a session"`)})
		r.seed(reg("a", "en", "UTC", true))
		if st := r.tick(t0); st.Sent != 1 {
			t.Fatalf("%+v", st)
		}
	})
}

// The notifier's Prometheus series count what the SMTP server received, and the lag from
// the due time to the send.
func TestMetricsCountSentMissedAndLag(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		registry := prometheus.NewRegistry()
		m, err := notifier.NewMetrics(registry)
		if err != nil {
			t.Fatal(err)
		}
		r := newRig(t, d, func(c *notifier.Config) { c.Metrics = m })
		r.seed(reg("a", "en", "UTC", true), reg("b", "fr", "Europe/Paris", true))
		r.tick(t0.Add(90 * time.Second)) // two confirmations, 90 s after they were due
		// Both 24 h reminders come 20 minutes late: past the grace period, missed.
		r.tick(start.Add(-24*time.Hour + 20*time.Minute))
		got := map[string]float64{}
		mfs, err := registry.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			for _, mm := range mf.GetMetric() {
				switch {
				case mm.GetCounter() != nil:
					got[mf.GetName()] = mm.GetCounter().GetValue()
				case mm.GetHistogram() != nil:
					got[mf.GetName()+"_count"] = float64(mm.GetHistogram().GetSampleCount())
					got[mf.GetName()+"_sum"] = mm.GetHistogram().GetSampleSum()
				case mm.GetGauge() != nil:
					got[mf.GetName()] = mm.GetGauge().GetValue()
				}
			}
		}
		sent := float64(len(r.emails()))
		want := map[string]float64{
			"plenary_notifier_mails_sent_total":       sent,
			"plenary_notifier_mails_missed_total":     2,
			"plenary_notifier_mails_failed_total":     0,
			"plenary_notifier_send_lag_seconds_count": sent,
			"plenary_notifier_send_lag_seconds_sum":   90 * sent,
			"plenary_notifier_queue_depth":            0,
		}
		if sent != 2 {
			t.Fatalf("%d emails, want the two confirmations", int(sent))
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v", k, got[k], v)
			}
		}
	})
}
