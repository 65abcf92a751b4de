package api_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// The README tour's roster: imported, planned, offered in one call, read on the board.
func TestOffersInOneStepAndTheBoard(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		roster, err := os.ReadFile("../../testdata/roster.csv")
		if err != nil {
			t.Fatal(err)
		}
		rep := decodeReport(t, e.do("POST", "/v1/interpreters/import?commit=true", roster, "Content-Type", "text/csv"))
		if rep.Created != 12 || rep.Invalid != 0 {
			t.Fatalf("roster import: %v", rep)
		}
		m := e.createMeeting()
		// Ten days after the test clock (23 Nov 2026, 09:00 UTC): 3 Dec, 10:00-13:00 Paris.
		x := e.createSession(m, map[string]any{"title": map[string]string{"en": "Plenary", "fr": "Plénière"}, "start": "2026-12-03T10:00",
			"duration_min": 180, "tz": "Europe/Paris", "floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
		e.must(201, e.do("POST", "/v1/meetings/"+m+"/interpretation/plan?commit=true", nil))

		// A deadline in the past or later than the minimum notice is refused; nothing is offered.
		e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", map[string]any{"deadline": "2026-11-22T09:00:00Z"}).Problem(t, 422, "deadline_past")
		e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", map[string]any{"deadline": "2026-12-01T09:00:00Z"}).Problem(t, 422, "deadline_too_late")
		e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", map[string]any{"sessions": []string{"nope"}}).Problem(t, 422, "unknown_session")

		out := e.must(200, e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", nil))
		offered := out["offered"].([]any)
		if len(offered) != 4 || out["already_offered"] != float64(0) || out["auto_escalate"] != false {
			t.Fatalf("offers: %v", out)
		}
		for _, o := range offered {
			a := o.(map[string]any)
			if a["state"] != "offered" || a["deadline"] != "2026-11-25T09:00:00Z" || a["interpreter_name"] == "" {
				t.Fatalf("offered seat %v: want a 48 h deadline and the interpreter's name", a)
			}
		}
		again := e.must(200, e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", map[string]any{"sessions": []string{x["id"].(string)}}))
		if len(again["offered"].([]any)) != 0 || again["already_offered"] != float64(4) {
			t.Fatalf("offering again: %v", again)
		}

		// The list names the interpreters and carries the deadlines.
		items := e.must(200, e.do("GET", "/v1/meetings/"+m+"/assignments", nil))["items"].([]any)
		first := items[0].(map[string]any)
		if first["interpreter_name"] == nil || first["deadline"] == nil {
			t.Fatalf("assignment list item %v", first)
		}
		id := first["id"].(string)
		e.do("PATCH", "/v1/assignments/"+id, map[string]any{"state": "expired"}, "If-Match", "*").Problem(t, 422, "invalid_state")
		e.clock.mu.Lock()
		e.clock.t = e.clock.t.Add(time.Hour)
		e.clock.mu.Unlock()
		e.must(200, e.do("PATCH", "/v1/assignments/"+id, map[string]any{"state": "declined"}, "If-Match", "*"))

		// The board: the decline is open (auto_escalate is off), its replacement is
		// proposed and waits to be offered.
		b := e.must(200, e.do("GET", "/v1/meetings/"+m+"/interpretation/board", nil))
		sessions := b["sessions"].([]any)
		if len(sessions) != 1 {
			t.Fatalf("board %v", b)
		}
		states := map[string]int{}
		for _, bb := range sessions[0].(map[string]any)["booths"].([]any) {
			for _, s := range bb.(map[string]any)["seats"].([]any) {
				states[s.(map[string]any)["state"].(string)]++
			}
		}
		if states["offered"] != 3 || states["declined"] != 1 || states["proposed"] != 1 {
			t.Fatalf("board states %v", states)
		}
		kinds := map[string]int{}
		for _, dc := range b["decisions"].([]any) {
			kinds[dc.(map[string]any)["kind"].(string)]++
		}
		if kinds["to_offer"] != 1 || kinds["open_seat"] != 0 {
			t.Fatalf("decisions %v", b["decisions"])
		}
		// Offering again offers the replacement only.
		if n := len(e.must(200, e.do("POST", "/v1/meetings/"+m+"/interpretation/offers", nil))["offered"].([]any)); n != 1 {
			t.Fatalf("second round offered %d, want the replacement", n)
		}
		csv := e.do("GET", "/v1/meetings/"+m+"/interpretation/board?format=csv", nil)
		if csv.Status != 200 || !strings.HasPrefix(string(csv.Body), "\ufeffsession_start_utc,session,booth,interpreter,role,state,deadline_utc,needs_decision\r\n") {
			t.Fatalf("board csv: %d %.300s", csv.Status, csv.Body)
		}
		if lines := strings.Count(string(csv.Body), "\r\n"); lines != 1+5 {
			t.Fatalf("board csv has %d lines, want a header and 5 seats:\n%s", lines, csv.Body)
		}
		if !strings.Contains(string(csv.Body), "2026-12-03T09:00:00Z,Plenary,") || !strings.Contains(string(csv.Body), ",declined,,") {
			t.Fatalf("board csv:\n%s", csv.Body)
		}
		e.do("GET", "/v1/meetings/"+m+"/interpretation/board?format=xlsx", nil).Problem(t, 400, "invalid_format")
	})
}
