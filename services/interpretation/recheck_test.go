package interpretation_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// process is what a `plenary api` process runs behind the HTTP server for session
// re-checks: the outbox relay and interpretation's consumer, over the test's database and
// a JetStream server that outlives it.
type process struct {
	stop func()
	done chan struct{}
	svc  *interpretation.Service
}

// stream starts a JetStream server for the test and returns a connection to it.
func stream(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns := natstest.Start(t)
	nc, err := nats.Connect(ns.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := natsx.EnsureStream(context.Background(), js); err != nil {
		t.Fatal(err)
	}
	return js
}

// startProcess starts the relay and a fresh interpretation service's consumer (a new
// process: nothing is shared with the one before but the database and the stream).
func (e *env) startProcess(js jetstream.JetStream) *process {
	e.t.Helper()
	clock := func() time.Time { return e.now }
	svc := interpretation.NewService(e.db, agenda.NewService(e.db, agenda.WithClock(clock)), interpretation.WithClock(clock))
	relay := outbox.NewRelay(e.db, js, nil, outbox.WithPollInterval(20*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{stop: cancel, done: make(chan struct{}), svc: svc}
	go func() {
		defer close(p.done)
		errc := make(chan error, 2)
		go func() { errc <- relay.Run(ctx) }()
		go func() { errc <- svc.ConsumeSessionEvents(ctx, js) }()
		for range 2 {
			if err := <-errc; err != nil && ctx.Err() == nil {
				e.t.Errorf("process: %v", err)
			}
		}
	}()
	e.t.Cleanup(p.kill)
	return p
}

// kill stops the process at once: whatever it had not done is left undone.
func (p *process) kill() {
	if p.stop != nil {
		p.stop()
		<-p.done
		p.stop = nil
	}
}

// followSessions runs a process for the rest of the test, as `plenary api` does.
func (e *env) followSessions() { e.startProcess(stream(e.t)) }

// waitCheck waits until the stored verdict on a meeting satisfies ok.
func (e *env) waitCheck(meetingID string, ok func(interpretation.CheckResult) bool) interpretation.CheckResult {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		last, had, err := e.svc.LastCheck(context.Background(), meetingID)
		if err != nil {
			e.t.Fatal(err)
		}
		if had && ok(last) {
			return last
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the stored verdict on %s never came: %+v", meetingID, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func bookedTwice(who string) func(interpretation.CheckResult) bool {
	return func(c interpretation.CheckResult) bool {
		v := byRule(c.Violations, interp.RuleDoubleBooking)
		return len(v) > 0 && v[0].InterpreterID == who
	}
}

// A process killed right after a session change committed, before anything re-checked
// the staffing, loses no re-check: the event waits in the outbox (or the stream), and
// the next process re-checks both meetings that share the interpreter.
func TestSessionRecheckSurvivesACrash(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		js := stream(t)
		first := e.startProcess(js)
		yara := e.interpreter("Yara Haddad", "ar:A en:C fr:C", nil)
		m1, m2 := e.meeting("aiic"), e.meeting("aiic")
		s1 := e.session(m1, "2026-12-09T10:00", "2026-12-09T12:00", []string{"en"}, []string{"ar"})
		s2 := e.session(m2, "2026-12-09T14:30", "2026-12-09T16:30", []string{"fr"}, []string{"ar"})
		e.must(201, e.assign(s1, "ar", yara))
		e.must(201, e.assign(s2, "ar", yara))
		for _, m := range []string{m1, m2} {
			e.waitCheck(m, func(c interpretation.CheckResult) bool {
				return len(byRule(c.Violations, interp.RuleDoubleBooking)) == 0
			})
		}

		relayOnly := func() {
			// A relay alone publishes the outbox to the stream, and dies before any
			// consumer runs.
			relay := outbox.NewRelay(e.db, js, nil, outbox.WithPollInterval(20*time.Millisecond))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); _ = relay.Run(ctx) }()
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if n, err := relay.Pending(context.Background()); err == nil && n == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the relay never published the outbox")
				}
			}
			cancel()
			<-done
		}
		noDoubleBooking := func(c interpretation.CheckResult) bool {
			return len(byRule(c.Violations, interp.RuleDoubleBooking)) == 0
		}
		rounds := []struct {
			name       string
			start, end string // Europe/Paris, on 9 December (UTC+1)
			inStream   bool
			want       func(interpretation.CheckResult) bool
			startUTC   string
		}{
			// Onto the other meeting's session (10:00-12:00 Paris): the event stays in the outbox.
			{"event in the outbox", "2026-12-09T11:00", "2026-12-09T13:00", false, bookedTwice(yara), "2026-12-09T10:00:00Z"},
			// Away again: the event has reached the stream, nobody consumed it.
			{"event in the stream", "2026-12-09T15:00", "2026-12-09T17:00", true, noDoubleBooking, "2026-12-09T14:00:00Z"},
		}
		for _, r := range rounds {
			first.kill()
			before, _, _ := e.svc.LastCheck(context.Background(), m1)
			x := e.must(200, e.do("GET", "/v1/sessions/"+s2, nil))
			e.must(200, e.do("PATCH", "/v1/sessions/"+s2, map[string]any{"start": r.start, "end": r.end, "tz": "Europe/Paris"},
				"If-Match", fmt.Sprintf(`"%v"`, x["version"])))
			if r.inStream {
				relayOnly()
			}
			// Nothing re-checked yet: the write itself no longer does.
			if last, _, _ := e.svc.LastCheck(context.Background(), m1); !reflect.DeepEqual(last.Violations, before.Violations) || last.Revision != before.Revision {
				t.Fatalf("%s: the session write re-checked in line: %+v", r.name, last)
			}
			first = e.startProcess(js)
			for _, m := range []string{m1, m2} {
				e.waitCheck(m, r.want)
			}
			as := e.assignments(m2)
			if len(as) != 1 || !strings.HasPrefix(as[0].StartUTC, r.startUTC) {
				t.Fatalf("%s: assignment times not refreshed: %+v", r.name, as)
			}
		}
	})
}
