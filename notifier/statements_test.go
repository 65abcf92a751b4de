package notifier_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/signed"
)

// maxMoveStatements is what applying a session's move on its own may ask of PostgreSQL,
// its transaction's BEGIN and COMMIT included, and maxBatchedMoveStatements what a move
// in a batch of ten moves of the session may (the batch's statements, with ApplyRun's read
// of the position, over ten): on a busy
// shared server every statement waits its turn, so the count sets the notifier's lag under
// 100 moves a second.
const (
	maxMoveStatements        = 13
	maxBatchedMoveStatements = 7
)

// moves is a meeting whose sessions s1 and s2 have registrants (one without consent to
// reminders) and interpreters (accepted on s1, offered on s2), projected by a notifier that
// applies each event on its own; move makes the event of the next move of a session by an
// hour.
type moves struct {
	t        *testing.T
	n        *notifier.Notifier
	sessions map[string]*contracts.Session
}

func newMoves(t *testing.T, d *db.DB) *moves {
	t.Helper()
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: "127.0.0.1", Port: 1, TLS: mail.TLSNone, HELO: "plenary.test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
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
	m := &moves{t: t, n: n, sessions: map[string]*contracts.Session{}}
	m.apply(m.event(contracts.MeetingCreated, contracts.MeetingEvent{Meeting: contracts.Meeting{ID: "m1", Title: contracts.Text{"en": "Forum"},
		VenueTZ: "Europe/Zurich", DefaultLang: "en", Version: 1}}))
	for i, id := range []string{"s1", "s2"} {
		start := t0.Add(time.Duration(30+i) * 24 * time.Hour)
		x := &contracts.Session{ID: id, MeetingID: "m1", Title: contracts.Text{"en": "Plenary " + id}, StartUTC: start, EndUTC: start.Add(2 * time.Hour),
			TZ: "Europe/Zurich", Status: "scheduled", ScheduleVersion: 1, Version: 1}
		m.sessions[id] = x
		m.apply(m.event(contracts.SessionScheduled, contracts.SessionEvent{Session: *x}))
	}
	for i := range 5 {
		m.apply(m.registration(fmt.Sprintf("r%d", i), []string{[]string{"s1", "s2"}[i%2]}, i != 4))
	}
	for i, state := range []string{"accepted", "offered"} {
		x := m.sessions[fmt.Sprintf("s%d", i+1)]
		m.apply(m.event("assignment."+state, contracts.AssignmentEvent{Assignment: contracts.Assignment{ID: fmt.Sprintf("a%d", i+1), SessionID: x.ID,
			MeetingID: "m1", Session: *x, Interpreter: contracts.Interpreter{ID: fmt.Sprintf("i%d", i+1), Name: "Interpreter", Email: fmt.Sprintf("i%d@example.org", i+1)},
			Booth: "fr", State: state, Sequence: 1}}))
	}
	return m
}

func (m *moves) event(typ string, data any) contracts.Event {
	m.t.Helper()
	ev, err := outbox.NewEvent(typ, "test", t0, data)
	if err != nil {
		m.t.Fatal(err)
	}
	return ev
}

func (m *moves) apply(ev contracts.Event) {
	m.t.Helper()
	if _, err := m.n.Process(context.Background(), ev); err != nil {
		m.t.Fatal(err)
	}
}

func (m *moves) registration(id string, sessions []string, consent bool) contracts.Event {
	return m.event(contracts.RegistrationCreated, contracts.RegistrationEvent{Registration: contracts.Registration{ID: id, MeetingID: "m1",
		Name: "Reader", Email: id + "@example.org", Locale: "en", TZ: "Europe/Zurich", Sessions: sessions, ConsentReminders: consent, Version: 1}})
}

func (m *moves) move(id string) contracts.Event {
	x := m.sessions[id]
	prev := contracts.Interval{StartUTC: x.StartUTC, EndUTC: x.EndUTC}
	x.StartUTC, x.EndUTC = x.StartUTC.Add(time.Hour), x.EndUTC.Add(time.Hour)
	x.ScheduleVersion, x.Version = x.ScheduleVersion+1, x.Version+1
	return m.event(contracts.SessionRescheduled, contracts.SessionRescheduledEvent{Session: *x, Previous: prev, PreviousVersion: x.ScheduleVersion - 1})
}

// A session's move, of a session with two registrants reminded, one not, and an accepted
// interpreter, costs the same statements on the wire at the second move and the tenth, and
// no more than maxMoveStatements; in a batch of ten moves, no more than
// maxBatchedMoveStatements a move.
func TestASessionMoveStatements(t *testing.T) {
	if !dbtest.PostgresEnabled() {
		t.Skip("PLENARY_TEST_POSTGRES=off")
	}
	d, wire := dbtest.OpenCounted(t)
	m := newMoves(t, d)
	move := func() dbtest.Counts {
		ev := m.move("s1")
		before := wire.Now()
		m.apply(ev)
		return wire.Now().Sub(before)
	}
	move()
	second := move()
	for range 7 {
		move()
	}
	tenth := move()
	t.Logf("statements of a move: %+v (2nd), %+v (10th)", second, tenth)
	if second.Statements != tenth.Statements {
		t.Errorf("a move costs %+v at the second, %+v at the tenth", second, tenth)
	}
	if second.Statements > maxMoveStatements {
		t.Errorf("a move costs %d statements (%+v), want at most %d", second.Statements, second, maxMoveStatements)
	}
	var evs []contracts.Event
	for range 10 {
		evs = append(evs, m.move("s1"))
	}
	before := wire.Now()
	if err := notifier.ApplyRun(context.Background(), m.n, evs); err != nil {
		t.Fatal(err)
	}
	batch := wire.Now().Sub(before)
	t.Logf("statements of a batch of ten moves: %+v", batch)
	if batch.Statements > 10*maxBatchedMoveStatements {
		t.Errorf("a batch of ten moves costs %d statements (%+v), want at most %d", batch.Statements, batch, 10*maxBatchedMoveStatements)
	}
	// A batch of one move costs what the move on its own does, with the position's read
	// and write and ApplyRun's read of it (BEGIN, SELECT, ROLLBACK): five statements more.
	ev := m.move("s1")
	before = wire.Now()
	if err := notifier.ApplyRun(context.Background(), m.n, []contracts.Event{ev}); err != nil {
		t.Fatal(err)
	}
	single := wire.Now().Sub(before)
	t.Logf("statements of a batch of one move: %+v", single)
	if single.Statements > second.Statements+5 {
		t.Errorf("a batch of one move costs %d statements (%+v), a move on its own %d", single.Statements, single, second.Statements)
	}
}

// A batch of moves of two sessions, with a registration among them, leaves the planned
// reminders, change notices and invite sequences that applying its events one at a time
// leaves, and re-plans each session's reminders once per run of moves: fewer reminder
// rows are ever written.
func TestABatchOfMovesPlansWhatMovesOneAtATimePlan(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(string(dialect), func(t *testing.T) {
			one, batched := dbtest.Open(t, dialect), dbtest.Open(t, dialect)
			a, b := newMoves(t, one), newMoves(t, batched)
			var evs []contracts.Event
			for _, m := range []*moves{a, b} {
				evs = []contracts.Event{m.move("s1"), m.move("s1"), m.move("s2"), m.move("s1"),
					m.registration("r5", []string{"s1"}, true), m.move("s1"), m.move("s2"), m.move("s2")}
			}
			for _, ev := range evs {
				a.apply(ev)
			}
			if err := notifier.ApplyRun(context.Background(), b.n, evs); err != nil {
				t.Fatal(err)
			}
			wantPlanned, gotPlanned := planned(t, one), planned(t, batched)
			if len(wantPlanned) == 0 || !slices.Equal(gotPlanned, wantPlanned) {
				t.Errorf("planned after the batch:\n%q\none at a time:\n%q", gotPlanned, wantPlanned)
			}
			if want, got := inviteSequences(t, one), inviteSequences(t, batched); !slices.Equal(got, want) {
				t.Errorf("invite sequences after the batch %q, one at a time %q", got, want)
			}
			if want, got := reminderRows(t, one), reminderRows(t, batched); got >= want {
				t.Errorf("the batch wrote %d reminder rows, one at a time %d: the reminders were re-planned at every move", got, want)
			}
		})
	}
}

// planned lists the planned deliveries by what identifies and schedules them.
func planned(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(`SELECT dedupe_key, kind, recipient, due_at, schedule_version, payload, message_id FROM notifier_deliveries
		WHERE state = 'planned' ORDER BY dedupe_key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var key, kind, rc, payload, mid string
		var due time.Time
		var version int64
		if err := rows.Scan(&key, &kind, &rc, &due, &version, &payload, &mid); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s v%d %s %s", key, kind, rc, due.UTC().Format(time.RFC3339Nano), version, payload, mid))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func inviteSequences(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(`SELECT session_id, interpreter_id, sequence FROM notifier_invite_sequences ORDER BY session_id, interpreter_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s, i string
		var seq int64
		if err := rows.Scan(&s, &i, &seq); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %d", s, i, seq))
	}
	return out
}

func reminderRows(t *testing.T, d *db.DB) int {
	t.Helper()
	var c int
	if err := d.QueryRow(`SELECT COUNT(*) FROM notifier_deliveries WHERE kind = 'reminder'`).Scan(&c); err != nil {
		t.Fatal(err)
	}
	return c
}
