package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/demo"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

func TestMeetingLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", "/v1/meetings", map[string]any{
			"title": map[string]string{"en": "Forum", "fr": "Forum"}, "venue_tz": "Europe/Paris",
		})
		m := e.must(201, r)
		id := m["id"].(string)
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/v1/meetings/"+id {
			t.Fatalf("ETag %q Location %q", r.Header.Get("ETag"), r.Header.Get("Location"))
		}
		if m["format"] != "hybrid" || m["platform"] != "none" || m["default_lang"] != "en" || m["interpretation_policy"] != "aiic" {
			t.Fatalf("defaults not applied: %v", m)
		}

		got := e.do("GET", "/v1/meetings/"+id, nil)
		if e.must(200, got)["venue_tz"] != "Europe/Paris" || got.Header.Get("ETag") != `"1"` {
			t.Fatalf("GET meeting: %s", got.Body)
		}

		patch := map[string]any{"platform": "webex"}
		e.do("PATCH", "/v1/meetings/"+id, patch).Problem(t, 428, "if_match_required")
		e.do("PATCH", "/v1/meetings/"+id, patch, "If-Match", `"7"`).Problem(t, 412, "version_mismatch")
		e.do("PATCH", "/v1/meetings/"+id, patch, "If-Match", `banana`).Problem(t, 400, "invalid_if_match")
		up := e.do("PATCH", "/v1/meetings/"+id, patch, "If-Match", `"1"`)
		if m := e.must(200, up); m["platform"] != "webex" || m["version"] != float64(2) || up.Header.Get("ETag") != `"2"` {
			t.Fatalf("PATCH meeting: %s", up.Body)
		}
		e.do("PATCH", "/v1/meetings/"+id, patch, "If-Match", `"1"`).Problem(t, 412, "version_mismatch")

		e.must(204, e.do("DELETE", "/v1/meetings/"+id, nil, "If-Match", `"2"`))
		e.do("GET", "/v1/meetings/"+id, nil).Problem(t, 404, "meeting_not_found")
		if got, want := e.outboxSubjects(), []string{"meeting.created", "meeting.updated", "meeting.deleted"}; !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
	})
}

func TestMeetingListPaginates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		var ids []string
		for range 5 {
			ids = append(ids, e.createMeeting())
		}
		var seen []string
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			page := e.must(200, e.do("GET", "/v1/meetings?limit=2&cursor="+cursor, nil))
			for _, it := range page["items"].([]any) {
				seen = append(seen, it.(map[string]any)["id"].(string))
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if !slices.Equal(seen, ids) {
			t.Fatalf("paged through %v, want %v", seen, ids)
		}
		e.do("GET", "/v1/meetings?limit=0", nil).Problem(t, 400, "invalid_limit")
		e.do("GET", "/v1/meetings?limit=5000", nil).Problem(t, 400, "invalid_limit")
		e.do("GET", "/v1/meetings?cursor=!!!", nil).Problem(t, 400, "invalid_cursor")
	})
}

func TestSessionTimesAcrossZones(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		cases := []struct {
			name             string
			body             map[string]any
			startUTC, endUTC string
			venueStart       string
			plannedTZ        string
		}{
			{"venue zone by default", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				"2026-12-08T15:30:00Z", "2026-12-08T17:30:00Z", "2026-12-08T16:30:00+01:00", "Europe/Paris"},
			{"GMT-3 is three hours behind UTC", map[string]any{"start": "2026-12-10T10:00", "duration_min": 90, "tz": "GMT-3"},
				"2026-12-10T13:00:00Z", "2026-12-10T14:30:00Z", "2026-12-10T14:00:00+01:00", "UTC-03:00"},
			{"UTC+5:30", map[string]any{"start": "2026-12-10T10:00", "end": "2026-12-10T11:00", "tz": "UTC+5:30"},
				"2026-12-10T04:30:00Z", "2026-12-10T05:30:00Z", "2026-12-10T05:30:00+01:00", "UTC+05:30"},
			{"ISO offset", map[string]any{"start": "2026-12-10T10:00", "end": "2026-12-10T11:00", "tz": "-05:00"},
				"2026-12-10T15:00:00Z", "2026-12-10T16:00:00Z", "2026-12-10T16:00:00+01:00", "UTC-05:00"},
			{"IANA southern hemisphere in summer", map[string]any{"start": "2026-12-10T09:00", "end": "2026-12-10T10:00", "tz": "Australia/Sydney"},
				"2026-12-09T22:00:00Z", "2026-12-09T23:00:00Z", "2026-12-09T23:00:00+01:00", "Australia/Sydney"},
			{"UTC", map[string]any{"start": "2026-12-10T09:00", "end": "2026-12-10T10:00", "tz": "UTC"},
				"2026-12-10T09:00:00Z", "2026-12-10T10:00:00Z", "2026-12-10T10:00:00+01:00", "UTC"},
			// Zones spelled as notices print them: a place.
			{"a place as notices print it", map[string]any{"start": "2026-12-10T19:00", "end": "2026-12-10T20:00", "tz": "Bangkok time"},
				"2026-12-10T12:00:00Z", "2026-12-10T13:00:00Z", "2026-12-10T13:00:00+01:00", "Asia/Bangkok"},
			{"a country", map[string]any{"start": "2026-12-10T08:00", "end": "2026-12-10T09:00", "tz": "local time in Chile"},
				"2026-12-10T11:00:00Z", "2026-12-10T12:00:00Z", "2026-12-10T12:00:00+01:00", "America/Santiago"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := map[string]any{"title": map[string]string{"en": tc.name}, "floor_languages": []string{"en"}}
				for k, v := range tc.body {
					body[k] = v
				}
				s := e.createSession(mid, body)
				venue := s["venue"].(map[string]any)
				planned := s["planned"].(map[string]any)
				if s["start_utc"] != tc.startUTC || s["end_utc"] != tc.endUTC || venue["start"] != tc.venueStart || venue["tz"] != "Europe/Paris" || planned["tz"] != tc.plannedTZ {
					t.Fatalf("got start_utc %v end_utc %v venue %v planned %v", s["start_utc"], s["end_utc"], venue, planned)
				}
			})
		}
	})
}

func TestSessionTimeRejections(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		base := func(kv ...any) map[string]any {
			b := map[string]any{"title": map[string]string{"en": "S"}, "floor_languages": []string{"en"}}
			for i := 0; i+1 < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
		path := "/v1/meetings/" + mid + "/sessions"
		// Clocks jump from 02:00 to 03:00 in Paris on 28 March 2027.
		p := e.do("POST", path, base("start", "2027-03-28T02:30", "end", "2027-03-28T04:00", "tz", "Europe/Paris")).Problem(t, 422, "nonexistent_local_time")
		if !strings.Contains(p["detail"].(string), "does not exist") {
			t.Fatalf("gap message unhelpful: %v", p["detail"])
		}
		// 02:30 happens twice in Paris on 25 October 2026.
		p = e.do("POST", path, base("start", "2026-10-25T02:30", "end", "2026-10-25T04:00", "tz", "Europe/Paris")).Problem(t, 422, "ambiguous_local_time")
		extra := p["extra"].(map[string]any)
		if c, _ := extra["candidates"].([]any); len(c) != 2 {
			t.Fatalf("overlap should name both candidate instants: %v", extra)
		}
		s := e.createSession(mid, base("start", "2026-10-25T02:30", "end", "2026-10-25T04:00", "tz", "Europe/Paris", "fold", "later"))
		if s["start_utc"] != "2026-10-25T01:30:00Z" {
			t.Fatalf("fold later chose %v", s["start_utc"])
		}
		e.do("POST", path, base("start", "2026-12-08T10:00", "end", "2026-12-08T11:00", "tz", "Mars/Olympus")).Problem(t, 422, "unknown_zone")
		e.do("POST", path, base("start", "2026-12-08T10:00", "end", "2026-12-08T11:00", "tz", "CST")).Problem(t, 422, "ambiguous_abbreviation")
		e.do("POST", path, base("start", "2026-12-08T10:00", "end", "2026-12-08T09:00")).Problem(t, 422, "end_before_start")
		e.do("POST", path, base("start", "2026-13-45T10:00", "end", "2026-12-08T11:00")).Problem(t, 422, "invalid_wall_clock")
		e.do("POST", path, base("start", "yesterday", "end", "2026-12-08T11:00")).Problem(t, 422, "invalid_wall_clock")
		e.do("POST", path, base("start", "2026-12-08T10:00")).Problem(t, 422, "validation_failed")
		e.do("POST", path, base("start", "2026-12-08T10:00", "end", "2026-12-09T10:00")).Problem(t, 422, "validation_failed")
		e.do("POST", path, base("start", "2026-12-08T10:00", "duration_min", 0)).Problem(t, 422, "validation_failed")
		p = e.do("POST", path, base("start", "2026-12-08T10:00", "duration_min", 60, "floor_languages", []string{"english"}, "output_languages", []string{"fr", "fr"})).Problem(t, 422, "validation_failed")
		if errs := p["errors"].([]any); len(errs) != 2 {
			t.Fatalf("want one field error per bad language, got %v", errs)
		}
		e.do("POST", "/v1/meetings/nope/sessions", base("start", "2026-12-08T10:00", "duration_min", 60)).Problem(t, 404, "meeting_not_found")
	})
}

func TestRescheduleUpdateAndCancel(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		s := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Plenary"}, "start": "2026-12-08T16:30", "end": "2026-12-08T18:30",
			"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}, "audience": []string{"Africa, Europe and the Americas"}})
		sid := s["id"].(string)
		path := "/v1/sessions/" + sid

		// A title change is an update, not a reschedule.
		u := e.must(200, e.do("PATCH", path, map[string]any{"title": map[string]string{"en": "Plenary", "fr": "Plénière"}}, "If-Match", `"1"`))
		if u["schedule_version"] != float64(1) || u["version"] != float64(2) {
			t.Fatalf("title change: %v", u)
		}
		// Moving the start moves the session with its length, and raises the schedule version.
		u = e.must(200, e.do("PATCH", path, map[string]any{"start": "2026-12-08T17:00"}, "If-Match", `"2"`))
		if u["schedule_version"] != float64(2) || u["start_utc"] != "2026-12-08T16:00:00Z" || u["end_utc"] != "2026-12-08T18:00:00Z" {
			t.Fatalf("reschedule: %v", u)
		}
		e.do("PATCH", path, map[string]any{"start": "2026-12-08T18:00"}, "If-Match", `"2"`).Problem(t, 412, "version_mismatch")
		// A PATCH that fails validation changes nothing.
		e.do("PATCH", path, map[string]any{"end": "2026-12-08T10:00"}, "If-Match", `"3"`).Problem(t, 422, "end_before_start")
		if got := e.must(200, e.do("GET", path, nil)); got["version"] != float64(3) || got["end_utc"] != "2026-12-08T18:00:00Z" {
			t.Fatalf("failed PATCH changed the session: %v", got)
		}

		c := e.must(200, e.do("POST", path+"/cancel", map[string]any{"reason": "venue unavailable"}))
		if c["status"] != "cancelled" || c["cancel_reason"] != "venue unavailable" {
			t.Fatalf("cancel: %v", c)
		}
		e.must(200, e.do("POST", path+"/cancel", nil)) // cancelling twice is harmless
		e.do("PATCH", path, map[string]any{"start": "2026-12-08T18:00"}, "If-Match", `"4"`).Problem(t, 409, "session_cancelled")

		want := []string{"meeting.created", "session.scheduled", "session.updated", "session.rescheduled", "session.cancelled"}
		if got := e.outboxSubjects(); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		var payload string
		if err := e.db.QueryRow(`SELECT payload FROM outbox WHERE subject = 'plenary.v1.session.rescheduled'`).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"previous":{"start_utc":"2026-12-08T15:30:00Z","end_utc":"2026-12-08T17:30:00Z"}`, `"schedule_version":2`, `"previous_schedule_version":1`} {
			if !strings.Contains(payload, want) {
				t.Fatalf("rescheduled event lacks %s: %s", want, payload)
			}
		}
	})
}

func TestAgendaItemsAndLocalizedAgenda(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		s := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Session for Asia/Pacific"}, "start": "2026-12-08T07:00", "end": "2026-12-08T09:00",
			"floor_languages": []string{"en"}, "audience": []string{"Asia/Pacific"}})
		sid := s["id"].(string)
		items := "/v1/sessions/" + sid + "/items"
		it := e.must(201, e.do("POST", items, map[string]any{
			"title": map[string]string{"en": "Opening", "fr": "Ouverture"}, "start": "07:00", "end": "07:20",
			"speakers": []map[string]string{{"name": "Hon. Mere Tane", "affiliation": "Parliament of New Zealand", "stakeholder_group": "Parliamentarians", "regional_group": "Asia-Pacific Group", "language": "en"}},
		}))
		iid := it["id"].(string)
		if it["start_utc"] != "2026-12-08T06:00:00Z" {
			t.Fatalf("item time: %v", it)
		}
		e.do("POST", items, map[string]any{"title": map[string]string{"en": "Late"}, "start": "10:00"}).Problem(t, 422, "item_outside_session")
		e.do("POST", items, map[string]any{"title": map[string]string{"en": "X"}, "speakers": []map[string]string{{"name": "A", "regional_group": "Atlantis"}}}).Problem(t, 422, "validation_failed")
		e.must(200, e.do("PATCH", items+"/"+iid, map[string]any{"end": "07:30"}, "If-Match", `"1"`))
		second := e.must(201, e.do("POST", items, map[string]any{"title": map[string]string{"en": "Debate"}}))
		if second["position"] != float64(1) {
			t.Fatalf("a new item goes last: %v", second)
		}
		e.must(204, e.do("DELETE", items+"/"+second["id"].(string), nil))
		e.do("GET", "/v1/sessions/other/items/"+iid, nil).Problem(t, 404, "agenda_item_not_found")

		r := e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=Asia/Tokyo&lang=fr", nil)
		a := e.must(200, r)
		etag := r.Header.Get("ETag")
		sess := a["sessions"].([]any)[0].(map[string]any)
		local := sess["local"].(map[string]any)
		title := sess["title"].(map[string]any)
		if local["tz"] != "Asia/Tokyo" || local["start"] != "2026-12-08T15:00:00+09:00" || local["end"] != "2026-12-08T17:00:00+09:00" {
			t.Fatalf("local times: %v", local)
		}
		if title["text"] != "Session for Asia/Pacific" || title["translation_missing"] != true || title["lang"] != "en" {
			t.Fatalf("fallback title: %v", title)
		}
		item := sess["items"].([]any)[0].(map[string]any)
		if item["title"].(map[string]any)["text"] != "Ouverture" || item["local"].(map[string]any)["start"] != "2026-12-08T15:00:00+09:00" {
			t.Fatalf("item in agenda: %v", item)
		}
		if mt := a["meeting"].(map[string]any)["title"].(map[string]any); mt["text"] != "Forum sur la résilience climatique" || mt["translation_missing"] != false {
			t.Fatalf("meeting title: %v", mt)
		}
		// Unchanged agenda: 304. Changed agenda: a new ETag.
		if r := e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=Asia/Tokyo&lang=fr", nil, "If-None-Match", etag); r.Status != 304 {
			t.Fatalf("If-None-Match: %d", r.Status)
		}
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2026-12-08T07:30"}, "If-Match", `"1"`))
		r2 := e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=Asia/Tokyo&lang=fr", nil, "If-None-Match", etag)
		if r2.Status != 200 || r2.Header.Get("ETag") == etag {
			t.Fatalf("agenda after a change: status %d etag %s", r2.Status, r2.Header.Get("ETag"))
		}
		if got := r2.JSON(t)["sessions"].([]any)[0].(map[string]any)["local"].(map[string]any)["start"]; got != "2026-12-08T15:30:00+09:00" {
			t.Fatalf("agenda served stale times: %v", got)
		}
		e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=Nowhere/Land", nil).Problem(t, 422, "unknown_zone")
		e.do("GET", "/v1/meetings/"+mid+"/agenda?lang=not_a_tag!", nil).Problem(t, 400, "invalid_language")
		e.do("GET", "/v1/meetings/missing/agenda", nil).Problem(t, 404, "meeting_not_found")

		// Items moved with their session.
		if got := r2.JSON(t)["sessions"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["start_utc"]; got != "2026-12-08T06:30:00Z" {
			t.Fatalf("item did not move with its session: %v", got)
		}
		subjects := e.outboxSubjects()
		want := []string{"meeting.created", "session.scheduled", "agenda.changed", "agenda.changed", "agenda.changed", "agenda.changed", "session.rescheduled", "agenda.changed"}
		if !slices.Equal(subjects, want) {
			t.Fatalf("events %v, want %v", subjects, want)
		}
	})
}

func TestBadInputIsAClearClientError(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		e.do("POST", "/v1/meetings", `{"title": {"en": "x"`).Problem(t, 400, "malformed_json")
		e.do("POST", "/v1/meetings", `{"title": {"en": "x"}} {}`).Problem(t, 400, "malformed_json")
		e.do("POST", "/v1/meetings", `[1,2]`).Problem(t, 400, "invalid_field_type")
		e.do("POST", "/v1/meetings", `{"title": "just a string", "venue_tz": "UTC"}`).Problem(t, 400, "invalid_field_type")
		p := e.do("POST", "/v1/meetings", `{"title": {"en": "x"}, "venue_tz": "UTC", "colour": "blue"}`).Problem(t, 400, "unknown_field")
		if !strings.Contains(p["detail"].(string), "colour") {
			t.Fatalf("unknown field not named: %v", p)
		}
		e.do("POST", "/v1/meetings", ``).Problem(t, 400, "empty_body")
		big := `{"title": {"en": "` + strings.Repeat("x", 10<<20) + `"}}`
		e.do("POST", "/v1/meetings", big).Problem(t, 413, "body_too_large")
		e.do("POST", "/v1/meetings", `{}`, "Content-Type", "text/plain").Problem(t, 415, "unsupported_media_type")
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "x"}}).Problem(t, 422, "validation_failed")
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "x"}, "venue_tz": "Nowhere/Land"}).Problem(t, 422, "validation_failed")
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "x", "not a tag": "y"}, "venue_tz": "UTC", "format": "telepathy"}).Problem(t, 422, "validation_failed")
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": " "}, "venue_tz": "UTC"}).Problem(t, 422, "validation_failed")
		e.do("GET", "/v1/nowhere", nil).Problem(t, 404, "route_not_found")
		e.do("PUT", "/v1/meetings/"+mid, map[string]any{}).Problem(t, 405, "method_not_allowed")
		// SQL metacharacters are data, not SQL.
		evil := `x'); DROP TABLE meetings; --`
		m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": evil}, "venue_tz": "UTC"}))
		if got := e.must(200, e.do("GET", "/v1/meetings/"+m["id"].(string), nil))["title"].(map[string]any)["en"]; got != evil {
			t.Fatalf("title round trip: %v", got)
		}
		if r := e.do("GET", "/v1/meetings/"+`' OR '1'='1`, nil); r.Status != 404 {
			t.Fatalf("injection in path: %d", r.Status)
		}
	})
}

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		body := map[string]any{"title": map[string]string{"en": "Forum"}, "venue_tz": "UTC"}
		first := e.do("POST", "/v1/meetings", body, "Idempotency-Key", "k-1")
		second := e.do("POST", "/v1/meetings", body, "Idempotency-Key", "k-1")
		if e.must(201, first)["id"] != e.must(201, second)["id"] || second.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %s / %s", first.Body, second.Body)
		}
		list := e.must(200, e.do("GET", "/v1/meetings", nil))
		if n := len(list["items"].([]any)); n != 1 {
			t.Fatalf("%d meetings created, want 1", n)
		}
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "Other"}, "venue_tz": "UTC"}, "Idempotency-Key", "k-1").
			Problem(t, 422, "idempotency_key_reused")
		// A failed request is replayed as it was; a new key acts anew.
		bad := map[string]any{"title": map[string]string{"en": "Forum"}}
		e.do("POST", "/v1/meetings", bad, "Idempotency-Key", "k-2").Problem(t, 422, "validation_failed")
		e.do("POST", "/v1/meetings", bad, "Idempotency-Key", "k-2").Problem(t, 422, "validation_failed")
		e.must(201, e.do("POST", "/v1/meetings", body, "Idempotency-Key", "k-3"))
		if got := len(e.outboxSubjects()); got != 2 {
			t.Fatalf("%d events, want 2", got)
		}
	})
}

// A session created with an Idempotency-Key is created once: the retry replays the first
// answer, the meeting has one session, the trail one entry and the outbox one event, and
// the key is marked as taken effect with the write (one statement on PostgreSQL, the
// mark beside it in its transaction).
func TestIdempotencyKeyCreatesASessionOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		body := map[string]any{"title": map[string]string{"en": "Opening plenary"}, "start": "2026-12-08T10:00", "duration_min": 90, "floor_languages": []string{"en"}}
		first := e.must(201, e.do("POST", "/v1/meetings/"+mid+"/sessions", body, "Idempotency-Key", "s-1"))
		again := e.do("POST", "/v1/meetings/"+mid+"/sessions", body, "Idempotency-Key", "s-1")
		if e.must(201, again)["id"] != first["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %v / %s", first, again.Body)
		}
		if n := len(e.must(200, e.do("GET", "/v1/meetings/"+mid+"/sessions", nil))["items"].([]any)); n != 1 {
			t.Fatalf("%d sessions, want 1", n)
		}
		if got := strings.Join(e.outboxSubjects(), " "); got != "meeting.created session.scheduled" {
			t.Fatalf("events %q, want one meeting.created and one session.scheduled", got)
		}
		var entries, committed int
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'session.create' AND resource_id = $1`, first["id"]).Scan(&entries); err != nil || entries != 1 {
			t.Fatalf("%d trail entries of the creation (%v), want 1", entries, err)
		}
		if err := e.db.QueryRow(`SELECT committed FROM idempotency_keys WHERE key = 's-1'`).Scan(&committed); err != nil || committed != 1 {
			t.Fatalf("key marked %d (%v), want 1: committed with the session", committed, err)
		}
		e.do("POST", "/v1/meetings/nope/sessions", body, "Idempotency-Key", "s-2").Problem(t, 404, "meeting_not_found")
		if err := e.db.QueryRow(`SELECT committed FROM idempotency_keys WHERE key = 's-2'`).Scan(&committed); err != nil || committed != 0 {
			t.Fatalf("key of a creation in no meeting marked %d (%v), want 0: nothing was written", committed, err)
		}
	})
}

func TestOperationalEndpoints(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.must(200, e.do("GET", "/healthz", nil))
		if r := e.must(200, e.do("GET", "/readyz", nil)); r["ready"] != true {
			t.Fatalf("readyz: %v", r)
		}
		r := e.do("GET", "/metrics", nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), "plenary_http_requests_total") {
			t.Fatalf("metrics: %d %.300s", r.Status, r.Body)
		}
		r = e.do("GET", "/openapi.yaml", nil)
		if r.Status != 200 || !strings.HasPrefix(string(r.Body), "openapi: 3.1") {
			t.Fatalf("openapi: %d %.100s", r.Status, r.Body)
		}
		if r.Header.Get("X-Request-Id") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("headers: %v", r.Header)
		}
		// The document is the contract's bytes in each coding, each with its own tag.
		raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
		tags := map[string]bool{}
		for coding, decode := range map[string]func(io.Reader) (io.Reader, error){
			"":     func(r io.Reader) (io.Reader, error) { return r, nil },
			"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/openapi.yaml", nil)
			req.Header.Set("Accept-Encoding", coding)
			res, err := raw.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := decode(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := io.ReadAll(zr)
			res.Body.Close()
			if err != nil || res.Header.Get("Content-Encoding") != coding || !bytes.Equal(doc, contracts.OpenAPI) {
				t.Fatalf("openapi.yaml in %q: %d %v, %d bytes (%v), want the contract's %d", coding, res.StatusCode, res.Header, len(doc), err, len(contracts.OpenAPI))
			}
			tags[res.Header.Get("ETag")] = true
			req.Header.Set("If-None-Match", res.Header.Get("ETag"))
			again, err := raw.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			again.Body.Close()
			if again.StatusCode != 304 || again.Header.Get("ETag") != res.Header.Get("ETag") {
				t.Fatalf("openapi.yaml revalidated in %q: %d %v", coding, again.StatusCode, again.Header)
			}
		}
		if len(tags) != 3 {
			t.Fatalf("tags %v: one per coding wanted", tags)
		}
	})
}

func TestSessionAudienceFitIsFlagged(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		// 07:00 Paris suits Asia/Pacific; 16:30 Paris is after midnight in Tokyo and Sydney.
		good := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Asia/Pacific"}, "start": "2026-12-08T07:00", "end": "2026-12-08T09:00",
			"floor_languages": []string{"en"}, "audience": []string{"Asia/Pacific"}})
		late := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Asia/Pacific, late"}, "start": "2026-12-08T16:30", "end": "2026-12-08T18:30",
			"floor_languages": []string{"en"}, "audience": []string{"Asia/Pacific"}})
		if fit := good["audience_fit"].(map[string]any); fit["mostly_outside"] != false || good["warnings"] != nil {
			t.Fatalf("07:00 Paris for Asia/Pacific: %v %v", fit, good["warnings"])
		}
		fit := late["audience_fit"].(map[string]any)
		warnings, _ := late["warnings"].([]any)
		if fit["mostly_outside"] != true || len(warnings) != 1 || warnings[0].(map[string]any)["code"] != "audience_outside_working_hours" {
			t.Fatalf("16:30 Paris for Asia/Pacific must be flagged: %v %v", fit, late["warnings"])
		}
		a := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/agenda", nil))
		flags := []any{}
		for _, s := range a["sessions"].([]any) {
			flags = append(flags, s.(map[string]any)["outside_working_hours"])
		}
		if fmt.Sprint(flags) != "[false true]" {
			t.Fatalf("agenda flags %v", flags)
		}
		e.do("POST", "/v1/meetings/"+mid+"/sessions", map[string]any{"title": map[string]string{"en": "X"}, "start": "2026-12-08T07:00", "duration_min": 60,
			"floor_languages": []string{"en"}, "audience": []string{"Atlantis"}}).Problem(t, 422, "unknown_region")
	})
}

// A NATS outage keeps the API ready (events wait in the outbox); a database outage does not.
func TestReadinessDegradesOnNATSButFailsOnTheDatabase(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	down := func(context.Context) error { return errors.New("down") }
	for _, tc := range []struct {
		name   string
		checks []api.Check
		status int
		state  string
	}{
		{"nats down", []api.Check{{Name: "nats", Fn: down, Degraded: true}}, 200, "degraded"},
		{"database down", []api.Check{{Name: "database", Fn: down}}, 503, "unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deps, keys, links := newDeps(d, clock)
			deps.Ready = tc.checks
			e := startEnv(t, d, clock, deps, keys, links)
			r := e.do("GET", "/readyz", nil)
			m := r.JSON(t)
			if r.Status != tc.status || m["checks"].(map[string]any)[tc.checks[0].Name] != tc.state {
				t.Fatalf("readyz: %d %s", r.Status, r.Body)
			}
		})
	}
}

// The agenda shows the interpretation checker's verdict with the revision it was computed
// for, and a change that breaks the staffing (here a reschedule onto another meeting's
// session of the same interpreters) shows up in the agenda as soon as it is re-checked,
// not after the cache expires.
func TestAgendaShowsTheInterpretationVerdict(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.followSessions()
		seeded, err := demo.Seed(ctx, e.deps.Agenda, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.SeedInterpreters(ctx, e.deps.Interpretation); err != nil {
			t.Fatal(err)
		}
		agendaPath := "/v1/meetings/" + seeded.MeetingID + "/agenda"
		// The checker runs on the seeded sessions from their events: their booths are unstaffed.
		settled := func(map[string]any) bool { return true }
		a := e.settledAgenda(agendaPath, settled)
		if v, _ := a["interpretation"].(map[string]any); v == nil || v["ok"] != false || v["assignments"] != float64(0) {
			t.Fatalf("an unplanned meeting shows its unstaffed booths: %v", a["interpretation"])
		}
		for _, p := range a["interpretation"].(map[string]any)["violations"].([]any) {
			if p.(map[string]any)["rule"] != "team_size" {
				t.Fatalf("an unstaffed booth breaks only the team size: %v", p)
			}
		}
		// In French, the verdict reads in French (the catalogue's sentence, by hand from its
		// values: the UN policy staffs FR with two, AR with three), its code and values kept.
		fr := e.settledAgenda(agendaPath+"?lang=fr", settled)
		sessions := fr["sessions"].([]any)
		worldID := sessions[1].(map[string]any)["id"].(string)
		want := map[string]string{
			"fr": "La cabine FR de la séance " + worldID + " compte 0 interprète(s) ; la politique UN en exige 2.",
			"ar": "La cabine AR de la séance " + worldID + " compte 0 interprète(s) ; la politique UN en exige 3.",
		}
		for _, p := range fr["interpretation"].(map[string]any)["violations"].([]any) {
			v := p.(map[string]any)
			args, _ := v["args"].(map[string]any)
			if v["code"] != "team_size" || args["booth"] != v["booth"] || args["policy"] != "un" {
				t.Errorf("code and values: %v", v)
			}
			if w, ok := want[v["booth"].(string)]; ok && v["session_id"] == worldID {
				if v["message"] != w {
					t.Errorf("French verdict %q, want %q", v["message"], w)
				}
				delete(want, v["booth"].(string))
			}
		}
		if len(want) != 0 {
			t.Errorf("no French verdict for %v", want)
		}
		en := e.settledAgenda(agendaPath+"?lang=en", settled)
		for _, p := range en["interpretation"].(map[string]any)["violations"].([]any) {
			if v := p.(map[string]any); v["booth"] == "fr" && v["session_id"] == worldID &&
				v["message"] != "The FR booth of session "+worldID+" has 0 interpreters; the UN policy requires 2." {
				t.Errorf("English verdict %q", v["message"])
			}
		}
		e.must(201, e.do("POST", "/v1/meetings/"+seeded.MeetingID+"/interpretation/plan?commit=true", nil))
		a = e.settledAgenda(agendaPath, settled)
		verdict, _ := a["interpretation"].(map[string]any)
		if verdict == nil || verdict["ok"] != true || verdict["assignments"] != float64(9) {
			t.Fatalf("verdict after planning: %v", a["interpretation"])
		}
		world := a["sessions"].([]any)[1].(map[string]any)
		if si := world["interpretation"].(map[string]any); si["ok"] != true {
			t.Fatalf("session verdict: %v", si)
		}

		// A second meeting takes the same interpreters at the same time, then the demo
		// session is moved onto it: the checker flags double bookings in the agenda.
		other := e.createMeeting()
		x := e.createSession(other, map[string]any{"title": map[string]string{"en": "Clash"}, "start": demo.Day(e.clock.Now()).Format("2006-01-02") + "T10:00", "end": demo.Day(e.clock.Now()).Format("2006-01-02") + "T12:00",
			"floor_languages": []string{"en", "fr", "es", "ar"}, "output_languages": []string{"en", "fr", "es", "ar"}})
		e.must(201, e.do("POST", "/v1/meetings/"+other+"/interpretation/plan?commit=true", nil))
		cur := e.must(200, e.do("GET", "/v1/sessions/"+world["id"].(string), nil))
		e.must(200, e.do("PATCH", "/v1/sessions/"+world["id"].(string), map[string]any{"start": demo.Day(e.clock.Now()).Format("2006-01-02") + "T10:00",
			"end": demo.Day(e.clock.Now()).Format("2006-01-02") + "T12:00", "tz": "Europe/Paris"}, "If-Match", fmt.Sprintf(`"%v"`, cur["version"])))
		// The re-check follows from the session's event; the agenda says when its verdict
		// is that of the moved session (computed for the agenda's revision).
		a = e.settledAgenda(agendaPath, func(a map[string]any) bool { return a["interpretation"].(map[string]any)["ok"] == false })
		verdict = a["interpretation"].(map[string]any)
		moved := a["sessions"].([]any)
		var si map[string]any
		for _, s := range moved {
			if s.(map[string]any)["id"] == world["id"] {
				si = s.(map[string]any)["interpretation"].(map[string]any)
			}
		}
		if verdict["ok"] != false || si == nil || si["ok"] != false || len(si["violations"].([]any)) == 0 {
			t.Fatalf("a double booking must show in the agenda: %v / %v (other session %v)", verdict, si, x["id"])
		}
		staff := e.do("GET", agendaPath, nil)
		// The public agenda of this public meeting does not carry the verdict, whose
		// messages name interpreters and their other bookings.
		token := e.token
		e.token = ""
		public := e.do("GET", agendaPath, nil)
		e.token = token
		if public.Status != 200 || strings.Contains(string(public.Body), `"interpretation"`) || strings.Contains(string(public.Body), "double_booking") {
			t.Fatalf("public agenda: %d %.300s", public.Status, public.Body)
		}
		for _, p := range demo.Pool {
			if strings.Contains(string(public.Body), p.Email) || strings.Contains(string(public.Body), p.Name+" is booked") {
				t.Fatalf("the public agenda tells of interpreter %s", p.Name)
			}
		}
		if !strings.Contains(string(staff.Body), " is booked ") {
			t.Fatalf("the secretariat's agenda explains the double booking: %.400s", staff.Body)
		}
		if public.Header.Get("ETag") == staff.Header.Get("ETag") || public.Header.Get("Vary") != "Authorization, Accept-Encoding" {
			t.Fatalf("the two audiences share a validator: %q %q (Vary %q)", public.Header.Get("ETag"), staff.Header.Get("ETag"), public.Header.Get("Vary"))
		}
	})
}

// TestMovingASessionKeepsItsLength: PATCHing only start moves the session whole (the
// issue's case: 16:30-18:30 moved to 17:00 must end at 19:00, not 18:30); an explicit
// end or duration_min wins; a change of zone alone keeps the wall clocks as typed.
func TestMovingASessionKeepsItsLength(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		base := map[string]any{"title": map[string]string{"en": "Roundtable"}, "floor_languages": []string{"en"}}
		create := func(kv map[string]any) string {
			b := map[string]any{}
			for k, v := range base {
				b[k] = v
			}
			for k, v := range kv {
				b[k] = v
			}
			return e.createSession(mid, b)["id"].(string)
		}
		type want struct{ start, end string }
		tests := []struct {
			name   string
			create map[string]any
			patch  map[string]any
			want   want
			minute float64
			input  string // planned.input.end after the move
		}{
			{"typed with an end, start moved", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				map[string]any{"start": "2026-12-08T17:00"}, want{"2026-12-08T16:00:00Z", "2026-12-08T18:00:00Z"}, 120, "2026-12-08T19:00"},
			{"typed with a duration, start moved", map[string]any{"start": "2026-12-08T16:30", "duration_min": 90},
				map[string]any{"start": "2026-12-08T09:00"}, want{"2026-12-08T08:00:00Z", "2026-12-08T09:30:00Z"}, 90, ""},
			{"start and end given", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				map[string]any{"start": "2026-12-08T17:00", "end": "2026-12-08T18:00"}, want{"2026-12-08T16:00:00Z", "2026-12-08T17:00:00Z"}, 60, "2026-12-08T18:00"},
			{"start and duration given", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				map[string]any{"start": "2026-12-08T17:00", "duration_min": 45}, want{"2026-12-08T16:00:00Z", "2026-12-08T16:45:00Z"}, 45, ""},
			{"end alone", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				map[string]any{"end": "2026-12-08T18:00"}, want{"2026-12-08T15:30:00Z", "2026-12-08T17:00:00Z"}, 90, "2026-12-08T18:00"},
			// Across the end of summer time the length kept is the elapsed one: 2 h.
			{"moved across a DST change", map[string]any{"start": "2026-10-24T23:30", "end": "2026-10-25T01:30"},
				map[string]any{"start": "2026-10-25T01:30", "fold": "earlier"}, want{"2026-10-24T23:30:00Z", "2026-10-25T01:30:00Z"}, 120, "2026-10-25T02:30+01:00"},
			{"zone alone keeps the typed wall clocks", map[string]any{"start": "2026-12-08T16:30", "end": "2026-12-08T18:30"},
				map[string]any{"tz": "Europe/London"}, want{"2026-12-08T16:30:00Z", "2026-12-08T18:30:00Z"}, 120, "2026-12-08T18:30"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sid := create(tc.create)
				s := e.must(200, e.do("PATCH", "/v1/sessions/"+sid, tc.patch, "If-Match", `"1"`))
				if s["start_utc"] != tc.want.start || s["end_utc"] != tc.want.end || s["duration_min"] != tc.minute {
					t.Fatalf("got %v - %v (%v min), want %s - %s (%v min)", s["start_utc"], s["end_utc"], s["duration_min"], tc.want.start, tc.want.end, tc.minute)
				}
				in := s["planned"].(map[string]any)["input"].(map[string]any)
				if got, _ := in["end"].(string); got != tc.input {
					t.Fatalf("planned input end %q, want %q", got, tc.input)
				}
			})
		}
	})
}
