package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary/plenary/contracts"
)

func TestPersonalDataExportAndErasure(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m1, m2 := e.createMeeting(), e.createMeeting()
		person := map[string]any{"name": "Ana Pérez", "email": "Ana@Example.org", "locale": "es", "tz": "America/Bogota", "consent_reminders": true}
		r1 := e.must(201, e.do("POST", "/v1/meetings/"+m1+"/registrations", person))
		e.must(201, e.do("POST", "/v1/meetings/"+m2+"/registrations", person))
		other := e.must(201, e.do("POST", "/v1/meetings/"+m1+"/registrations", map[string]any{"name": "Bo", "email": "bo@example.org", "locale": "en", "tz": "UTC"}))
		id1 := r1["id"].(string)
		// What the notifier keeps of Ana: its copy of the registration and a reminder.
		if _, err := e.db.Exec(`INSERT INTO notifier_registrations (id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, version)
			VALUES ($1, $2, 'Ana Pérez', 'ana@example.org', 'es', 'America/Bogota', '[]', TRUE, FALSE, 1)`, id1, m1); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Exec(`INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id, rule, schedule_version, due_at, state, payload, created_at, updated_at)
			VALUES ('d1', 'k1', 'reminder', $1, $2, 's1', '24h', 1, $3, 'planned', '{"to":"ana@example.org"}', $3, $3)`, "registration:"+id1, m1, e.clock.Now()); err != nil {
			t.Fatal(err)
		}

		// The secretariat's registrations are in the trail, with the token that made them.
		before := e.must(200, e.do("GET", "/v1/audit?meeting="+m1, nil))
		var creates int
		for _, x := range before["items"].([]any) {
			en := x.(map[string]any)
			if en["action"] == "registration.create" && en["resource_id"] == id1 {
				if en["actor"].(map[string]any)["kind"] != "token" || !strings.Contains(fmt.Sprint(en["after"]), "ana@example.org") {
					t.Fatalf("registration entry: %v", en)
				}
				creates++
			}
		}
		if creates != 1 {
			t.Fatalf("the registration is not in the trail: %v", before)
		}

		body := map[string]any{"email": "ana@example.org"}
		e.do("POST", "/v1/people/export", body).Problem(t, 403, "role_insufficient")
		e.token = e.admin
		e.do("POST", "/v1/people/export", map[string]any{"email": "not an address"}).Problem(t, 400, "invalid_email")
		exp := e.must(200, e.do("POST", "/v1/people/export", body))
		if len(exp["registrations"].([]any)) != 2 || len(exp["deliveries"].([]any)) != 1 || strings.Contains(string(e.do("POST", "/v1/people/export", body).Body), "bo@example.org") {
			t.Fatalf("export: %v", exp)
		}

		erased := e.must(200, e.do("POST", "/v1/people/erase", body))
		if erased["registrations"] != float64(2) || erased["deliveries"] != float64(1) {
			t.Fatalf("erase: %v", erased)
		}
		var name, email string
		if err := e.db.QueryRow(`SELECT name, email FROM notifier_registrations WHERE id = $1`, id1).Scan(&name, &email); err != nil || name != "" || email != "" {
			t.Fatalf("notifier copy after erasure: %q %q %v", name, email, err)
		}
		// The registration the notifier had not seen yet gets a tombstone, so that its
		// events, still on their way, cannot bring her name back.
		var tombstones int
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM notifier_registrations WHERE deleted AND name = '' AND email = '' AND meeting_id = $1`, m2).Scan(&tombstones); err != nil || tombstones != 1 {
			t.Fatalf("tombstones in %s: %d %v", m2, tombstones, err)
		}
		// Her self-service link now finds nothing; Bo is untouched.
		e.token = ""
		e.do("GET", "/v1/registrations/"+id1+"?token="+linkToken(r1), nil).Problem(t, 404, "registration_not_found")
		e.must(200, e.do("GET", "/v1/registrations/"+other["id"].(string)+"?token="+linkToken(other), nil))
		e.token = e.admin
		if exp := e.must(200, e.do("POST", "/v1/people/export", body)); len(exp["registrations"].([]any)) != 0 || len(exp["deliveries"].([]any)) != 0 {
			t.Fatalf("export after erasure: %v", exp)
		}
		trail := e.do("GET", "/v1/audit?meeting="+m1, nil)
		e.must(200, trail)
		if !strings.Contains(string(trail.Body), `"person.erase"`) || strings.Contains(strings.ToLower(string(trail.Body)), "ana@example.org") {
			t.Fatalf("audit of the erasure: %s", trail.Body)
		}
	})
}

func TestInterpreterDataExportAndErasure(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		x := e.createSession(mid, map[string]any{"title": map[string]string{"en": "S"}, "start": "2026-12-08T10:00", "duration_min": 60,
			"floor_languages": []string{"en"}, "output_languages": []string{"fr"}})
		it := e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": "Claire Dubois", "email": "Claire@example.org", "locale": "fr-CH",
			"tz": "Europe/Zurich", "languages": []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "C"}}}))
		iid := it["id"].(string)
		asg := e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": x["id"], "booth": "fr", "interpreter_id": iid}))
		e.must(200, e.do("PATCH", "/v1/interpreters/"+iid, map[string]any{"remote": true}, "If-Match", `"1"`))

		e.token = e.admin
		body := map[string]any{"email": "claire@example.org"}
		exp := e.must(200, e.do("POST", "/v1/people/export", body))
		its := exp["interpreters"].([]any)
		if len(its) != 1 || its[0].(map[string]any)["name"] != "Claire Dubois" || len(its[0].(map[string]any)["assignments"].([]any)) != 1 {
			t.Fatalf("export: %v", exp)
		}
		// An assignment to come must be withdrawn first.
		e.do("POST", "/v1/people/erase", body).Problem(t, 409, "interpreter_has_assignments")
		e.token = e.planner
		e.must(200, e.do("PATCH", "/v1/assignments/"+asg["id"].(string), map[string]any{"state": "withdrawn"}, "If-Match", fmt.Sprintf(`"%v"`, asg["version"])))
		e.token = e.admin
		if got := e.must(200, e.do("POST", "/v1/people/erase", body)); got["interpreters"] != float64(1) {
			t.Fatalf("erase: %v", got)
		}
		after := e.must(200, e.do("GET", "/v1/interpreters/"+iid, nil))
		if after["name"] != "(erased)" || after["email"] != "" {
			t.Fatalf("interpreter after erasure: %v", after)
		}
		trail := e.do("GET", "/v1/audit", nil)
		e.must(200, trail)
		if strings.Contains(string(trail.Body), "Claire") || strings.Contains(strings.ToLower(string(trail.Body)), "claire@example.org") {
			t.Fatalf("the trail still holds the interpreter: %s", trail.Body)
		}
	})
}

// replayOutbox applies every event of the outbox to the notifier, in order, as a new
// notifier replaying the whole stream would: the record of processed events is cleared
// first, so that nothing is skipped as already seen.
func (e *env) replayOutbox(t *testing.T, forget bool) {
	t.Helper()
	if forget {
		if _, err := e.db.Exec(`DELETE FROM notifier_processed_events`); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := e.db.Query(`SELECT payload FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var evs []contracts.Event
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var ev contracts.Event
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	rows.Close()
	for _, ev := range evs {
		if _, err := e.deps.Notifier.Process(context.Background(), ev); err != nil {
			t.Fatalf("apply %s: %v", ev.Type, err)
		}
	}
}

// notifierText is everything the notifier keeps about people, as text.
func (e *env) notifierText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT name || ' ' || email || ' ' || team FROM notifier_assignments`,
		`SELECT name || ' ' || email FROM notifier_registrations`, `SELECT payload FROM notifier_deliveries`} {
		rows, err := e.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			b.WriteString(s + "\n")
		}
		rows.Close()
	}
	return b.String()
}

// An erased interpreter and an erased registrant stay erased when the notifier replays
// the whole stream, events from before the erasure included: as themselves, in a
// team-mate's team, and in the emails planned to them.
func TestReplayAfterErasureRestoresNobody(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		x := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Plenary, morning"}, "start": "2026-12-08T10:00", "duration_min": 180,
			"floor_languages": []string{"en"}, "output_languages": []string{"fr", "ar"}})
		sid := x["id"].(string)
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/registrations", map[string]any{"name": "Ana Pérez", "email": "ana.perez@example.org",
			"locale": "es", "tz": "America/Bogota", "consent_reminders": true}))
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/registrations", map[string]any{"name": "Bo Lindqvist", "email": "bo@example.org",
			"locale": "sv", "tz": "Europe/Stockholm", "consent_reminders": true}))
		fr := []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "C"}, {"lang": "es", "class": "C"}}
		claire := e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": "Claire Dubois", "email": "claire.dubois@example.org",
			"locale": "fr-CH", "tz": "Europe/Zurich", "languages": fr}))["id"].(string)
		marc := e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": "Marc Lefèvre", "email": "marc.lefevre@example.org",
			"locale": "fr", "tz": "Europe/Paris", "languages": fr}))["id"].(string)
		offer := func(interpreter string) map[string]any {
			a := e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": "fr", "interpreter_id": interpreter}))
			return e.must(200, e.do("PATCH", "/v1/assignments/"+a["id"].(string), map[string]any{"state": "offered"}, "If-Match", fmt.Sprintf(`"%v"`, a["version"])))
		}
		ca, ma := offer(claire), offer(marc)
		ca = e.must(200, e.do("PATCH", "/v1/assignments/"+ca["id"].(string), map[string]any{"state": "accepted"}, "If-Match", fmt.Sprintf(`"%v"`, ca["version"])))
		e.must(200, e.do("PATCH", "/v1/assignments/"+ma["id"].(string), map[string]any{"state": "accepted"}, "If-Match", fmt.Sprintf(`"%v"`, ma["version"])))
		// Marc's second offer names Claire as his team-mate.
		e.replayOutbox(t, false)
		before := e.notifierText(t)
		for _, want := range []string{"Ana Pérez", "ana.perez@example.org", "Claire Dubois", "claire.dubois@example.org", "Marc Lefèvre", "Bo Lindqvist"} {
			if !strings.Contains(before, want) {
				t.Fatalf("the notifier's projection lacks %q before the erasure:\n%s", want, before)
			}
		}

		// Claire's seat is withdrawn (erasure waits for that), then both people are erased.
		e.must(200, e.do("PATCH", "/v1/assignments/"+ca["id"].(string), map[string]any{"state": "withdrawn"}, "If-Match", fmt.Sprintf(`"%v"`, ca["version"])))
		e.token = e.admin
		if got := e.must(200, e.do("POST", "/v1/people/erase", map[string]any{"email": "claire.dubois@example.org"})); got["interpreters"] != float64(1) {
			t.Fatalf("erase Claire: %v", got)
		}
		if got := e.must(200, e.do("POST", "/v1/people/erase", map[string]any{"email": "ana.perez@example.org"})); got["registrations"] != float64(1) {
			t.Fatalf("erase Ana: %v", got)
		}

		for _, forget := range []bool{false, true} { // the events in flight, then the whole stream again
			e.replayOutbox(t, forget)
			after := e.notifierText(t)
			for _, gone := range []string{"Ana", "ana.perez@example.org", "Claire", "claire.dubois@example.org"} {
				if strings.Contains(after, gone) {
					t.Fatalf("replay (forget=%v) restored %q:\n%s", forget, gone, after)
				}
			}
			for _, kept := range []string{"Marc Lefèvre", "marc.lefevre@example.org", "Bo Lindqvist"} {
				if !strings.Contains(after, kept) {
					t.Fatalf("replay (forget=%v) lost %q, who was not erased:\n%s", forget, kept, after)
				}
			}
		}
		var planned int
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM notifier_deliveries WHERE recipient = $1`, "assignment:"+ca["id"].(string)).Scan(&planned); err != nil || planned != 0 {
			t.Fatalf("emails to the erased interpreter after the replay: %d %v", planned, err)
		}
	})
}
