package interpretation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/demo"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
)

// env is the real API server over a fresh database, with a planner token.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	db    *db.DB
	keys  *signed.Keys
	svc   *interpretation.Service
	token string
	now   time.Time
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ag := agenda.NewService(d, agenda.WithClock(clock))
	svc := interpretation.NewService(d, ag, interpretation.WithClock(clock))
	keys, _ := signed.NewRandomKeys()
	tokens := auth.NewStore(d, clock)
	h := api.NewServer(api.Deps{DB: d, Agenda: ag, Interpretation: svc, Now: clock, LinkKeys: keys, Tokens: tokens,
		Limits: auth.Limits{PerToken: -1, PerIP: -1}})
	srv := openapitest.NewServer(t, h)
	_, secret, err := tokens.Create(context.Background(), auth.NewToken{Name: "planner", Role: auth.RolePlanner})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, db: d, keys: keys, svc: svc, token: secret, now: now}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) { fn(t, newEnv(t, d)) })
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// request sends one request; bearer "" sends none.
func (e *env) request(bearer, method, path string, body any, headers ...string) (resp, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return resp{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		return resp{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Header: res.Header, Body: b}, err
}

func (e *env) do(method, path string, body any, headers ...string) resp {
	e.t.Helper()
	r, err := e.request(e.token, method, path, body, headers...)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) anonymous(method, path string, headers ...string) resp {
	e.t.Helper()
	r, err := e.request("", method, path, nil, headers...)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) must(status int, r resp) map[string]any {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	var m map[string]any
	if len(r.Body) > 0 {
		r.into(e.t, &m)
	}
	return m
}

func (e *env) problem(r resp, status int, code string) map[string]any {
	e.t.Helper()
	m := e.must(status, r)
	if m["code"] != code || r.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Fatalf("problem %v (%s), want %s: %s", m["code"], r.Header.Get("Content-Type"), code, r.Body)
	}
	return m
}

func (e *env) meeting(policy string) string {
	e.t.Helper()
	return e.must(201, e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "Forum"},
		"venue_tz": "Europe/Paris", "interpretation_policy": policy}))["id"].(string)
}

func (e *env) session(meetingID, start, end string, floor, outputs []string) string {
	e.t.Helper()
	return e.must(201, e.do("POST", "/v1/meetings/"+meetingID+"/sessions", map[string]any{"title": map[string]string{"en": "Sitting"},
		"start": start, "end": end, "tz": "Europe/Paris", "floor_languages": floor, "output_languages": outputs}))["id"].(string)
}

func (e *env) interpreter(name, langs string, extra map[string]any) string {
	e.t.Helper()
	var ls []map[string]string
	for _, f := range strings.Fields(langs) {
		l, c, _ := strings.Cut(f, ":")
		ls = append(ls, map[string]string{"lang": l, "class": c})
	}
	body := map[string]any{"name": name, "email": strings.ToLower(strings.ReplaceAll(strings.Fields(name)[0], "<", "")) + fmt.Sprintf("%d@example.org", time.Now().UnixNano()),
		"tz": "Europe/Paris", "languages": ls}
	for k, v := range extra {
		body[k] = v
	}
	return e.must(201, e.do("POST", "/v1/interpreters", body))["id"].(string)
}

func (e *env) demoPool() map[string]string {
	e.t.Helper()
	ids := map[string]string{}
	for _, p := range demo.Pool {
		r := e.must(201, e.do("POST", "/v1/interpreters", p.Input()))
		ids[r["id"].(string)] = p.Name
	}
	return ids
}

func (e *env) plan(meetingID string, commit bool) interpretation.PlanResult {
	e.t.Helper()
	path, status := "/v1/meetings/"+meetingID+"/interpretation/plan", 200
	if commit {
		path, status = path+"?commit=true", 201
	}
	r := e.do("POST", path, nil)
	e.must(status, r)
	var p interpretation.PlanResult
	r.into(e.t, &p)
	return p
}

func (e *env) check(meetingID string) interpretation.CheckResult {
	e.t.Helper()
	r := e.do("GET", "/v1/meetings/"+meetingID+"/interpretation/check", nil)
	e.must(200, r)
	var c interpretation.CheckResult
	r.into(e.t, &c)
	return c
}

func (e *env) assignments(meetingID string) []interpretation.AssignmentJSON {
	e.t.Helper()
	r := e.do("GET", "/v1/meetings/"+meetingID+"/assignments", nil)
	e.must(200, r)
	var l struct {
		Items []interpretation.AssignmentJSON
	}
	r.into(e.t, &l)
	return l.Items
}

func (e *env) assign(sessionID, booth, interpreterID string) resp {
	e.t.Helper()
	return e.do("POST", "/v1/assignments", map[string]any{"session_id": sessionID, "booth": booth, "interpreter_id": interpreterID})
}

func (e *env) transition(id string, version int64, state string) resp {
	e.t.Helper()
	return e.do("PATCH", "/v1/assignments/"+id, map[string]any{"state": state}, "If-Match", fmt.Sprintf(`"%d"`, version))
}

// events lists the assignment events of the outbox, in order.
func (e *env) events() []contracts.Event {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT payload FROM outbox WHERE subject LIKE 'plenary.v1.assignment.%' ORDER BY seq`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []contracts.Event
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			e.t.Fatal(err)
		}
		var ev contracts.Event
		if err := json.Unmarshal([]byte(p), &ev); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

func byRule(vs []interp.Violation, rule string) []interp.Violation {
	var out []interp.Violation
	for _, v := range vs {
		if v.Rule == rule {
			out = append(out, v)
		}
	}
	return out
}

func TestInterpreters(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", "/v1/interpreters", map[string]any{"name": "Claire Dubois", "email": "claire@example.org", "locale": "fr-CH",
			"tz": "CET", "languages": []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "B"}},
			"retour": true, "remote": true, "working_hours": map[string]string{"start": "07:30", "end": "19:00"},
			"caps":        map[string]int{"booth_minutes_per_day": 240, "min_rest_minutes": 90},
			"unavailable": []map[string]string{{"start": "2026-12-24T00:00:00+01:00", "end": "2026-12-27T00:00:00+01:00"}}})
		it := e.must(201, r)
		id := it["id"].(string)
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/v1/interpreters/"+id {
			t.Fatalf("ETag %q Location %q", r.Header.Get("ETag"), r.Header.Get("Location"))
		}
		if it["tz"] != "Europe/Paris" && it["tz"] != "CET" {
			t.Fatalf("tz %v", it["tz"])
		}
		if wh := it["working_hours"].(map[string]any); wh["start"] != "07:30" || wh["end"] != "19:00" {
			t.Fatalf("working hours %v", wh)
		}
		if u := it["unavailable"].([]any)[0].(map[string]any); u["start"] != "2026-12-23T23:00:00Z" {
			t.Fatalf("unavailable kept as %v, want UTC", u)
		}

		// Validation: every field named, 422 with the interpreter code.
		bad := e.do("POST", "/v1/interpreters", map[string]any{"name": "X", "email": "not an email", "tz": "Mars/Olympus",
			"locale": "!!", "languages": []map[string]string{{"lang": "xx", "class": "A"}, {"lang": "en", "class": "D"}},
			"working_hours": map[string]string{"start": "25:00", "end": "08:00"}})
		p := e.problem(bad, 422, "invalid_interpreter")
		var fields []string
		for _, f := range p["errors"].([]any) {
			fields = append(fields, f.(map[string]any)["field"].(string))
		}
		for _, want := range []string{"email", "tz", "locale", "working_hours.start"} {
			if !slices.Contains(fields, want) {
				t.Errorf("no error for %s in %v", want, fields)
			}
		}
		noA := e.do("POST", "/v1/interpreters", map[string]any{"name": "Y", "email": "y@example.org", "tz": "UTC",
			"languages": []map[string]string{{"lang": "xx", "class": "B"}, {"lang": "en", "class": "C"}}})
		p = e.problem(noA, 422, "invalid_interpreter")
		codes := map[string]string{}
		for _, f := range p["errors"].([]any) {
			codes[f.(map[string]any)["field"].(string)] = f.(map[string]any)["code"].(string)
		}
		if codes["languages"] != "no_a_language" || codes["languages[0].lang"] != "invalid_language" {
			t.Fatalf("field errors %v", codes)
		}

		// Update with If-Match.
		patch := map[string]any{"remote": false, "languages": []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "B"}, {"lang": "es", "class": "C"}}}
		e.problem(e.do("PATCH", "/v1/interpreters/"+id, patch), 428, "if_match_required")
		e.problem(e.do("PATCH", "/v1/interpreters/"+id, patch, "If-Match", `"9"`), 412, "version_mismatch")
		up := e.must(200, e.do("PATCH", "/v1/interpreters/"+id, patch, "If-Match", `"1"`))
		if up["remote"] != false || len(up["languages"].([]any)) != 3 || up["version"] != float64(2) || up["email"] != "claire@example.org" {
			t.Fatalf("after PATCH: %v", up)
		}
		e.problem(e.do("PATCH", "/v1/interpreters/"+id, map[string]any{"retour": true, "languages": []map[string]string{{"lang": "fr", "class": "A"}}}, "If-Match", `"2"`),
			422, "invalid_interpreter")
		e.problem(e.do("GET", "/v1/interpreters/nobody", nil), 404, "interpreter_not_found")

		// Pagination.
		ids := []string{id}
		for i := range 4 {
			ids = append(ids, e.interpreter(fmt.Sprintf("Person %d", i), "en:A", nil))
		}
		var seen []string
		cursor := ""
		for range 10 {
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			e.do("GET", "/v1/interpreters?limit=2&cursor="+cursor, nil).into(t, &page)
			for _, it := range page.Items {
				seen = append(seen, it.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(seen, ids) {
			t.Fatalf("paged %v, want %v", seen, ids)
		}
	})
}

// The demo meeting: an English-only session and an EN/FR/ES/AR one, UN policy.
func TestPlanDemoMeeting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		names := e.demoPool()
		mid := e.meeting("un")
		english := e.session(mid, "2026-12-08T07:00", "2026-12-08T09:00", []string{"en"}, []string{})
		world := e.session(mid, "2026-12-08T16:30", "2026-12-08T18:30", []string{"en", "fr", "es", "ar"}, []string{"en", "fr", "es", "ar"})

		p := e.plan(mid, false)
		if p.Committed || p.Policy != "un" || len(p.Gaps) != 0 {
			t.Fatalf("plan: committed %v policy %s gaps %+v", p.Committed, p.Policy, p.Gaps)
		}
		size := map[string]int{}
		for _, b := range p.Booths {
			if b.SessionID == english {
				t.Fatalf("the English-only session got a booth: %+v", b)
			}
			size[string(b.Booth)] = b.Size
		}
		if want := map[string]int{"en": 2, "fr": 2, "es": 2, "ar": 3}; !mapsEqual(size, want) {
			t.Fatalf("booths %v, want %v", size, want)
		}
		staffed := map[string]int{}
		for _, a := range p.Assignments {
			if a.SessionID != world || a.State != "proposed" || a.ID != "" || names[a.InterpreterID] == "" {
				t.Fatalf("assignment %+v", a)
			}
			staffed[a.Booth]++
		}
		if !mapsEqual(staffed, size) {
			t.Fatalf("staffed %v, want %v", staffed, size)
		}
		if len(e.assignments(mid)) != 0 {
			t.Fatal("a dry run stored assignments")
		}
		if c := e.check(mid); c.OK || len(byRule(c.Violations, interp.RuleTeamSize)) != 4 {
			t.Fatalf("before commit the checker should report four empty booths: %+v", c)
		}

		committed := e.plan(mid, true)
		if !committed.Committed || len(committed.Assignments) != 9 || committed.Assignments[0].ID == "" {
			t.Fatalf("commit: %+v", committed)
		}
		if got := e.assignments(mid); len(got) != 9 {
			t.Fatalf("stored %d assignments, want 9", len(got))
		}
		if c := e.check(mid); !c.OK || c.Assignments != 9 {
			t.Fatalf("the checker rejects the committed plan: %+v", c)
		}
		// A second commit replaces the proposals, it does not add to them.
		e.plan(mid, true)
		if got := e.assignments(mid); len(got) != 9 {
			t.Fatalf("after a second commit %d assignments, want 9", len(got))
		}
		// Nothing was offered: no event yet.
		if evs := e.events(); len(evs) != 0 {
			t.Fatalf("events before any offer: %v", evs)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Two meetings share an interpreter at different times; moving one session onto the
// other creates a double booking that the agenda accepts and the checker reports.
func TestRescheduleDoubleBookingShowsInChecker(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.followSessions()
		inès := e.interpreter("Inès", "fr:A en:C", nil)
		m1, m2 := e.meeting("aiic"), e.meeting("aiic")
		s1 := e.session(m1, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
		s2 := e.session(m2, "2026-12-08T15:00", "2026-12-08T17:00", []string{"en"}, []string{"fr"})
		e.must(201, e.assign(s1, "fr", inès))
		e.must(201, e.assign(s2, "fr", inès))
		for _, m := range []string{m1, m2} {
			if v := byRule(e.check(m).Violations, interp.RuleDoubleBooking); len(v) != 0 {
				t.Fatalf("double booking before the move: %+v", v)
			}
		}
		// Overlapping by hand is refused.
		s3 := e.session(m2, "2026-12-08T11:00", "2026-12-08T13:00", []string{"en"}, []string{"fr"})
		e.problem(e.assign(s3, "fr", inès), 409, "interpreter_double_booked")

		x := e.must(200, e.do("GET", "/v1/sessions/"+s2, nil))
		e.must(200, e.do("PATCH", "/v1/sessions/"+s2, map[string]any{"start": "2026-12-08T11:00", "end": "2026-12-08T13:00", "tz": "Europe/Paris"},
			"If-Match", fmt.Sprintf(`"%v"`, x["version"])))

		// The stored result is refreshed from the session's event, in both meetings.
		for _, m := range []string{m1, m2} {
			e.waitCheck(m, bookedTwice(inès))
			if v := byRule(e.check(m).Violations, interp.RuleDoubleBooking); len(v) == 0 {
				t.Fatalf("check of %s misses the double booking", m)
			}
		}
		as := e.assignments(m2)
		if len(as) != 1 || !strings.HasPrefix(as[0].StartUTC, "2026-12-08T10:00:00Z") {
			t.Fatalf("assignment times not refreshed: %+v", as)
		}

		// Cancelling the session frees the interpreter and the checker says to withdraw.
		x = e.must(200, e.do("GET", "/v1/sessions/"+s2, nil))
		e.must(200, e.do("POST", "/v1/sessions/"+s2+"/cancel", map[string]any{"reason": "merged"}, "If-Match", fmt.Sprintf(`"%v"`, x["version"])))
		for deadline := time.Now().Add(20 * time.Second); e.assignments(m2)[0].SessionLive; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the cancellation never reached the assignment")
			}
		}
		c := e.check(m2)
		if len(byRule(c.Violations, interp.RuleCancelled)) != 1 || len(byRule(c.Violations, interp.RuleDoubleBooking)) != 0 {
			t.Fatalf("after cancel: %+v", c.Violations)
		}
		s4 := e.session(m1, "2026-12-08T12:30", "2026-12-08T13:30", []string{"en"}, []string{"fr"})
		e.must(201, e.assign(s4, "fr", inès))
	})
}

func TestAssignmentLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		anna := e.interpreter("Anna", "fr:A en:C", map[string]any{"locale": "fr-CH", "tz": "Europe/Zurich"})
		bruno := e.interpreter("Bruno", "fr:A en:C", nil)
		mid := e.meeting("aiic")
		sid := e.session(mid, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
		a := e.must(201, e.assign(sid, "fr", anna))
		e.must(201, e.assign(sid, "fr", bruno))
		id := a["id"].(string)
		if a["state"] != "proposed" || a["sequence"] != float64(0) {
			t.Fatalf("new assignment %v", a)
		}
		e.problem(e.assign(sid, "fr", anna), 409, "already_assigned")
		e.problem(e.assign(sid, "xx", bruno), 422, "validation_failed")
		e.problem(e.assign(sid, "es", bruno), 422, "unknown_booth")

		e.problem(e.transition(id, 1, "accepted"), 409, "invalid_transition")
		e.problem(e.do("PATCH", "/v1/assignments/"+id, map[string]any{"state": "offered"}), 428, "if_match_required")
		e.problem(e.transition(id, 7, "offered"), 412, "version_mismatch")
		e.problem(e.transition(id, 1, "maybe"), 422, "invalid_state")
		off := e.must(200, e.transition(id, 1, "offered"))
		if off["state"] != "offered" || off["sequence"] != float64(1) || off["version"] != float64(2) {
			t.Fatalf("offered: %v", off)
		}
		acc := e.must(200, e.transition(id, 2, "accepted"))
		if acc["sequence"] != float64(2) {
			t.Fatalf("accepted: %v", acc)
		}
		e.problem(e.transition(id, 3, "offered"), 409, "invalid_transition")
		e.problem(e.transition(id, 3, "declined"), 409, "invalid_transition")
		e.must(200, e.transition(id, 3, "withdrawn"))
		p := e.problem(e.transition(id, 4, "withdrawn"), 409, "invalid_transition")
		if p["extra"].(map[string]any)["state"] != "withdrawn" {
			t.Fatalf("problem should name the current state: %v", p)
		}

		evs := e.events()
		var types []string
		for _, ev := range evs {
			types = append(types, ev.Type)
		}
		if want := []string{"assignment.offered", "assignment.accepted", "assignment.withdrawn"}; !slices.Equal(types, want) {
			t.Fatalf("events %v, want %v", types, want)
		}
		var offered contracts.AssignmentEvent
		if err := evs[0].Decode(&offered); err != nil {
			t.Fatal(err)
		}
		got := offered.Assignment
		if got.ID != id || got.State != "offered" || got.Sequence != 1 || got.Booth != "fr" || got.MeetingID != mid ||
			got.Interpreter.Name != "Anna" || got.Interpreter.Locale != "fr-CH" || got.Interpreter.TZ != "Europe/Zurich" || !strings.Contains(got.Interpreter.Email, "@") ||
			len(got.Team) != 1 || got.Team[0].Name != "Bruno" ||
			got.Session.ID != sid || !got.Session.StartUTC.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) || got.Session.Status != "scheduled" {
			t.Fatalf("offered event: %+v", got)
		}
		var seqs []int64
		for _, ev := range evs {
			var ae contracts.AssignmentEvent
			if err := ev.Decode(&ae); err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, ae.Assignment.Sequence)
		}
		if !slices.Equal(seqs, []int64{1, 2, 3}) {
			t.Fatalf("sequences %v", seqs)
		}
		// The interpreter is free again: the withdrawn seat no longer blocks.
		e.must(201, e.assign(sid, "fr", anna))
	})
}

// The interpreter declines through the signed link; the allocator proposes the third
// French interpreter in her place.
func TestDeclineBySignedLinkProposesReplacement(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.interpreter("Emma", "en:A fr:C", nil)
		e.interpreter("Ewan", "en:A fr:C", nil)
		f1 := e.interpreter("Fanny <b>Roux</b>", "fr:A en:C", nil)
		e.interpreter("Félix", "fr:A en:C", nil)
		e.interpreter("Flore", "fr:A en:C", nil)
		mid := e.meeting("aiic")
		sid := e.session(mid, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en", "fr"}, []string{"en", "fr"})
		e.plan(mid, true)
		var mine interpretation.AssignmentJSON
		frBefore := map[string]bool{}
		for _, a := range e.assignments(mid) {
			if a.Booth == "fr" {
				frBefore[a.InterpreterID] = true
			}
			if a.InterpreterID == f1 {
				mine = a
			}
		}
		if mine.ID == "" || len(frBefore) != 2 {
			t.Fatalf("the plan should seat Fanny among two French interpreters: %v", frBefore)
		}
		e.must(200, e.transition(mine.ID, 1, "offered"))

		token := url.QueryEscape(e.keys.Sign(signed.Assignment, mine.ID, e.now.Add(72*time.Hour)))
		other := url.QueryEscape(e.keys.Sign(signed.Assignment, "someone-else", e.now.Add(72*time.Hour)))
		expired := url.QueryEscape(e.keys.Sign(signed.Assignment, mine.ID, e.now.Add(-time.Minute)))
		base := "/v1/assignments/" + mine.ID
		e.must(401, e.anonymous("GET", base+"/respond"))
		e.must(403, e.anonymous("GET", base+"/respond?token="+other))
		e.must(410, e.anonymous("POST", base+"/decline?token="+expired))

		page := e.anonymous("GET", base+"/respond?token="+token)
		if page.Status != 200 || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("respond page: %d %s", page.Status, page.Body)
		}
		html := string(page.Body)
		if strings.Contains(html, "<b>Roux</b>") || !strings.Contains(html, "Fanny &lt;b&gt;Roux&lt;/b&gt;") ||
			!strings.Contains(html, `method="post"`) || !strings.Contains(html, "/decline?token=") {
			t.Fatalf("respond page not escaped or without forms:\n%s", html)
		}
		if a, _ := e.svc.Assignment(context.Background(), mine.ID); a.State != "offered" {
			t.Fatalf("reading the page changed the state to %s", a.State)
		}
		e.must(405, e.anonymous("GET", base+"/decline?token="+token))

		r := e.anonymous("POST", base+"/decline?token="+token)
		var tr interpretation.TransitionJSON
		e.must(200, r)
		r.into(t, &tr)
		if tr.State != "declined" || len(tr.Replacements) != 1 {
			t.Fatalf("decline: %s", r.Body)
		}
		rep := tr.Replacements[0]
		if rep.Booth != "fr" || rep.SessionID != sid || rep.State != "proposed" || frBefore[rep.InterpreterID] {
			t.Fatalf("replacement %+v should be the third French interpreter", rep)
		}
		e.problem(e.anonymous("POST", base+"/accept?token="+token), 409, "invalid_transition")
		// Re-planning keeps the decline: Fanny is not proposed again.
		for _, a := range e.plan(mid, false).Assignments {
			if a.InterpreterID == f1 {
				t.Fatalf("declined interpreter proposed again: %+v", a)
			}
		}
		var types []string
		for _, ev := range e.events() {
			types = append(types, ev.Type)
		}
		if !slices.Equal(types, []string{"assignment.offered", "assignment.declined"}) {
			t.Fatalf("events %v", types)
		}
	})
}

func TestAcceptBySignedLinkAnswersHTMLToForms(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ida := e.interpreter("Ida", "fr:A en:C", nil)
		mid := e.meeting("aiic")
		sid := e.session(mid, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
		id := e.must(201, e.assign(sid, "fr", ida))["id"].(string)
		e.must(200, e.transition(id, 1, "offered"))
		token := url.QueryEscape(e.keys.Sign(signed.Assignment, id, e.now.Add(time.Hour)))
		r := e.anonymous("POST", "/v1/assignments/"+id+"/accept?token="+token, "Accept", "text/html")
		if r.Status != 200 || !strings.Contains(string(r.Body), "you accepted") {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		if a, _ := e.svc.Assignment(context.Background(), id); a.State != "accepted" {
			t.Fatalf("state %s", a.State)
		}
	})
}

var countryPair = regexp.MustCompile(`^[A-Z]{2},[A-Z]{2}$`)

func TestExports(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.demoPool()
		mid := e.meeting("un")
		world := e.session(mid, "2026-12-08T16:30", "2026-12-08T18:30", []string{"en", "fr", "es", "ar"}, []string{"en", "fr", "es", "ar"})
		e.plan(mid, true)

		// Arabic is not one of Zoom's system languages: a clear problem, not a payload
		// Zoom would refuse.
		p := e.problem(e.do("GET", "/v1/sessions/"+world+"/interpretation/export?platform=zoom", nil), 422, "zoom_unsupported_language")
		if !strings.Contains(p["detail"].(string), "custom interpretation language") {
			t.Fatalf("the problem should say how to fix it: %v", p["detail"])
		}
		m3 := e.meeting("un")
		three := e.session(m3, "2026-12-10T09:30", "2026-12-10T11:30", []string{"en", "fr", "es"}, []string{"en", "fr", "es"})
		// The plan says how each floor language reaches each booth and what sized it.
		pl := e.plan(m3, true)
		if len(pl.Routes) != 6 || len(pl.Teams) != 3 || pl.Teams[0].Rule != "team_sizes" {
			t.Fatalf("plan routes %+v teams %+v", pl.Routes, pl.Teams)
		}
		for _, r := range pl.Routes {
			if r.Mode != "direct" && r.Mode != "relay" {
				t.Fatalf("route %+v", r)
			}
		}
		var zoom interpretation.ZoomExport
		e.do("GET", "/v1/sessions/"+three+"/interpretation/export?platform=zoom", nil).into(t, &zoom)
		zi := zoom.Settings.LanguageInterpretation
		if !zi.Enable || len(zi.Interpreters) != 6 {
			t.Fatalf("zoom: %+v", zoom)
		}
		names := map[string]string{"US": "English", "FR": "French", "ES": "Spanish"}
		for _, z := range zi.Interpreters {
			c1, c2, _ := strings.Cut(z.Languages, ",")
			if !countryPair.MatchString(z.Languages) || !strings.Contains(z.Email, "@") || z.InterpreterLanguages != names[c1]+","+names[c2] {
				t.Fatalf("zoom entry %+v", z)
			}
		}
		r := e.do("GET", "/v1/sessions/"+world+"/interpretation/export?platform=webex", nil)
		e.must(200, r)
		var webex interpretation.WebexExport
		r.into(t, &webex)
		wi := webex.SimultaneousInterpretation
		emails := map[string]bool{}
		for _, w := range wi.Interpreters {
			if len(w.LanguageCode1) != 2 || len(w.LanguageCode2) != 2 || w.LanguageCode1 == w.LanguageCode2 || emails[w.Email] {
				t.Fatalf("webex entry %+v", w)
			}
			emails[w.Email] = true
		}
		if !wi.Enabled || len(wi.Interpreters) != 9 || !strings.Contains(string(r.Body), `"languageCode1"`) {
			t.Fatalf("webex: %s", r.Body)
		}
		e.problem(e.do("GET", "/v1/sessions/"+world+"/interpretation/export?platform=teams", nil), 400, "invalid_platform")

		// Zoom takes at most 20 interpreters.
		m2 := e.meeting("aiic")
		big := e.session(m2, "2026-12-09T10:00", "2026-12-09T12:00", []string{"en"}, []string{"fr"})
		for i := range 21 {
			e.must(201, e.assign(big, "fr", e.interpreter(fmt.Sprintf("Fr%02d", i), "fr:A en:C", nil)))
		}
		p = e.problem(e.do("GET", "/v1/sessions/"+big+"/interpretation/export?platform=zoom", nil), 422, "zoom_too_many_interpreters")
		if !strings.Contains(p["detail"].(string), "20") {
			t.Fatalf("the problem should name the limit: %v", p["detail"])
		}
		e.must(200, e.do("GET", "/v1/sessions/"+big+"/interpretation/export?platform=webex", nil))

		// Once offers are out, the secretariat can export only those who accepted.
		as := e.assignments(mid)
		e.must(200, e.transition(as[0].ID, as[0].Version, "offered"))
		e.must(200, e.transition(as[0].ID, as[0].Version+1, "accepted"))
		var only interpretation.WebexExport
		e.do("GET", "/v1/sessions/"+world+"/interpretation/export?platform=webex&states=accepted", nil).into(t, &only)
		if got := only.SimultaneousInterpretation.Interpreters; len(got) != 1 {
			t.Fatalf("accepted only: %+v", got)
		}
		e.problem(e.do("GET", "/v1/sessions/"+world+"/interpretation/export?platform=zoom&states=declined", nil), 400, "invalid_states")
	})
}

// 100 concurrent requests put one interpreter into overlapping sessions of different
// meetings: the database lets exactly one through.
func TestConcurrentConflictingAssignments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ida := e.interpreter("Ida", "fr:A en:C", nil)
		var sessions []string
		for i := range 5 {
			m := e.meeting("aiic")
			start := fmt.Sprintf("2026-12-08T%02d:00", 10+i%2)
			sessions = append(sessions, e.session(m, start, "2026-12-08T12:30", []string{"en"}, []string{"fr"}))
		}
		const n = 100
		statuses := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r, err := e.request(e.token, "POST", "/v1/assignments", map[string]any{"session_id": sessions[i%len(sessions)], "booth": "fr", "interpreter_id": ida})
				if err != nil {
					bodies[i] = err.Error()
					return
				}
				statuses[i], bodies[i] = r.Status, string(r.Body)
			}()
		}
		close(start)
		wg.Wait()
		won, conflicts := 0, 0
		for i, s := range statuses {
			switch {
			case s >= 200 && s < 300:
				won++
			case s == http.StatusConflict:
				conflicts++
			default:
				t.Errorf("request %d: %d %s", i, s, bodies[i])
			}
		}
		if won != 1 || conflicts != n-1 {
			t.Fatalf("%d succeeded and %d conflicted, want 1 and %d", won, conflicts, n-1)
		}
		var active int
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM assignments WHERE interpreter_id = $1`, ida).Scan(&active); err != nil || active != 1 {
			t.Fatalf("%d assignments stored (%v), want 1", active, err)
		}
	})
}

func (e *env) planRange(body any, commit bool) interpretation.RangePlanResult {
	e.t.Helper()
	path, status := "/v1/interpretation/plan", 200
	if commit {
		path, status = path+"?commit=true", 201
	}
	r := e.do("POST", path, body)
	e.must(status, r)
	var p interpretation.RangePlanResult
	r.into(e.t, &p)
	return p
}

// A date-range plan staffs the sessions of several meetings together: two meetings that
// overlap cannot both get the same two interpreters, as two separate plans would give them.
func TestPlanDateRangeAcrossMeetings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		inès, marc := e.interpreter("Inès", "fr:A en:C", nil), e.interpreter("Marc", "fr:A en:C", nil)
		pair := []string{inès, marc}
		slices.Sort(pair)
		a, b := e.meeting("aiic"), e.meeting("aiic")
		sa := e.session(a, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
		sb := e.session(b, "2026-12-08T10:30", "2026-12-08T12:30", []string{"en"}, []string{"fr"})
		later := e.session(b, "2026-12-20T10:00", "2026-12-20T12:00", []string{"en"}, []string{"fr"})
		seated := func(p interpretation.PlanResult, session string) []string {
			var ids []string
			for _, x := range p.Assignments {
				if x.SessionID == session {
					ids = append(ids, x.InterpreterID)
				}
			}
			slices.Sort(ids)
			return ids
		}
		// Planned one at a time, each meeting takes both interpreters for the same hour.
		if pa, pb := e.plan(a, false), e.plan(b, false); !slices.Equal(seated(pa, sa), pair) || !slices.Equal(seated(pb, sb), pair) {
			t.Fatalf("separate plans: %+v / %+v", pa.Assignments, pb.Assignments)
		}
		// B's plan is stored, for both its sessions.
		e.plan(b, true)

		span := map[string]any{"from": "2026-12-01", "to": "2026-12-15", "tz": "Europe/Paris"}
		dry := e.planRange(span, false)
		if dry.Sessions != 2 || len(dry.Meetings) != 2 || dry.Meetings[0].MeetingID != a || dry.Meetings[1].MeetingID != b || dry.Committed {
			t.Fatalf("range plan covers the two sessions of the range, meeting A first: %+v", dry)
		}
		if got := seated(dry.Meetings[0], sa); !slices.Equal(got, pair) {
			t.Fatalf("A, first in the range, gets both: %v", got)
		}
		if got := seated(dry.Meetings[1], sb); len(got) != 0 || len(dry.Meetings[1].Gaps) == 0 || dry.Gaps != len(dry.Meetings[1].Gaps) {
			t.Fatalf("B's overlapping session is a gap, not a double booking: %v, gaps %+v", got, dry.Meetings[1].Gaps)
		}
		if got := seated(dry.Meetings[1], later); len(got) != 0 {
			t.Fatalf("a session outside the range is not planned: %v", got)
		}
		// The dry run stored nothing: B still holds its own stored plan.
		if as := e.assignments(a); len(as) != 0 {
			t.Fatalf("a dry run stores nothing: %+v", as)
		}
		if again := e.planRange(span, false); !reflect.DeepEqual(again.Meetings, dry.Meetings) {
			t.Fatalf("the same input gives the same plan:\n%+v\n%+v", again.Meetings, dry.Meetings)
		}

		// Only the hour of B's session, written in Tokyo time: B alone is planned and staffed.
		tokyo := e.planRange(map[string]any{"from": "2026-12-08T18:15", "to": "2026-12-08T19:00", "tz": "Asia/Tokyo"}, false)
		if tokyo.Sessions != 1 || len(tokyo.Meetings) != 1 || !slices.Equal(seated(tokyo.Meetings[0], sb), pair) ||
			!tokyo.From.Equal(time.Date(2026, 12, 8, 9, 15, 0, 0, time.UTC)) {
			t.Fatalf("range in Tokyo time: %+v", tokyo)
		}

		got := e.planRange(span, true)
		if !got.Committed || !reflect.DeepEqual(got.Meetings[1].Gaps, dry.Meetings[1].Gaps) {
			t.Fatalf("commit: %+v", got)
		}
		byA := e.assignments(a)
		if len(byA) != 2 || byA[0].SessionID != sa || byA[1].SessionID != sa {
			t.Fatalf("A's seats are stored: %+v", byA)
		}
		byB := e.assignments(b)
		if len(byB) != 2 || byB[0].SessionID != later || byB[1].SessionID != later {
			t.Fatalf("B keeps its seats outside the range and loses those in it: %+v", byB)
		}
		if c := e.check(a); !c.OK {
			t.Fatalf("A is staffed: %+v", c.Violations)
		}
		// The trail records the range plan per meeting: A got two new seats, B a gap.
		for m, want := range map[string]string{a: `"proposed":2`, b: `"gaps":1`} {
			var after string
			if err := e.db.QueryRow(`SELECT after_json FROM audit_log WHERE action = 'interpretation.plan' AND meeting_id = $1 AND after_json LIKE '%"from"%'`, m).Scan(&after); err != nil || !strings.Contains(after, want) {
				t.Fatalf("audit of the range plan for %s: %q %v", m, after, err)
			}
		}
		c := e.check(b)
		if len(byRule(c.Violations, interp.RuleDoubleBooking)) != 0 || len(byRule(c.Violations, interp.RuleTeamSize)) != 1 || byRule(c.Violations, interp.RuleTeamSize)[0].SessionID != sb {
			t.Fatalf("B's check shows its unstaffed session only: %+v", c.Violations)
		}

		for _, tc := range []struct {
			body   any
			status int
			code   string
		}{
			{map[string]any{"from": "2026-12-15", "to": "2026-12-01"}, 422, "invalid_range"},
			{map[string]any{"from": "2026-12-01", "to": "2026-12-01"}, 422, "invalid_range"},
			{map[string]any{"from": "2026-01-01", "to": "2026-12-01"}, 422, "range_too_large"},
			{map[string]any{"from": "2026-13-01", "to": "2026-12-01"}, 422, "invalid_range"},
			{map[string]any{"from": "2026-12-01"}, 422, "invalid_range"},
			{map[string]any{"from": "next week", "to": "2026-12-01"}, 422, "invalid_range"},
			{map[string]any{"from": "2026-12-01", "to": "2026-12-15", "tz": "Mars/Olympus"}, 422, "unknown_zone"},
		} {
			e.problem(e.do("POST", "/v1/interpretation/plan", tc.body), tc.status, tc.code)
		}
		e.problem(e.do("POST", "/v1/interpretation/plan?commit=yes", span), 400, "invalid_commit")
		if r := e.do("POST", "/v1/interpretation/plan", map[string]any{"from": "2026-12-01", "to": "2026-12-15", "meeting": a}); r.Status/100 != 4 {
			t.Fatalf("an unknown field is refused: %d %s", r.Status, r.Body)
		}
		if r := e.anonymous("POST", "/v1/interpretation/plan"); r.Status != 401 {
			t.Fatalf("anonymous: %d", r.Status)
		}
	})
}

// The email's Accept and Decline links open the page asking to confirm that one choice;
// the plain link shows both. The page itself changes nothing.
func TestRespondPageConfirmsTheChosenAction(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ida := e.interpreter("Ida", "fr:A en:C", nil)
		sid := e.session(e.meeting("aiic"), "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
		id := e.must(201, e.assign(sid, "fr", ida))["id"].(string)
		e.must(200, e.transition(id, 1, "offered"))
		token := url.QueryEscape(e.keys.Sign(signed.Assignment, id, e.now.Add(time.Hour)))
		page := func(action string) string {
			r := e.anonymous("GET", "/v1/assignments/"+id+"/respond?token="+token+action)
			if r.Status != 200 {
				t.Fatalf("respond page %q: %d %s", action, r.Status, r.Body)
			}
			return string(r.Body)
		}
		for _, tc := range []struct{ action, want, not string }{
			{"", "/decline?token=", "Please confirm"},
			{"&action=accept", "confirm that you accept", "/decline?token="},
			{"&action=decline", "confirm that you decline", "/accept?token="},
			{"&action=%3Cscript%3E", "/accept?token=", "<script>"},
		} {
			body := page(tc.action)
			if !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
				t.Fatalf("page %q lacks %q or shows %q:\n%s", tc.action, tc.want, tc.not, body)
			}
		}
		if a, _ := e.svc.Assignment(context.Background(), id); a.State != "offered" {
			t.Fatalf("opening the page changed the state to %s", a.State)
		}
	})
}
