package api_test

import (
	"strings"
	"testing"
)

// TestPublicAgendaSeesEveryChangeAtOnce: the public agenda and its 304 come from memory
// between writes, and every kind of write (an item added, a session renamed, moved and
// cancelled, the meeting made private and public again, deleted) is seen by the very next
// anonymous GET, with the ETag the reader holds answered 200 with the new agenda.
func TestPublicAgendaSeesEveryChangeAtOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
			"title": map[string]string{"en": "Forum on Ocean Governance", "fr": "Forum sur la gouvernance des océans"}, "venue_tz": "Europe/Lisbon", "public": true,
		}))
		id := m["id"].(string)
		x := e.createSession(id, map[string]any{"title": map[string]string{"en": "Opening plenary"}, "start": "2027-03-01T10:00", "duration_min": 90,
			"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
		sid := x["id"].(string)
		path := "/v1/meetings/" + id + "/agenda?tz=Asia/Tokyo&lang=fr"

		planner := e.token
		read := func(etag string) resp {
			t.Helper()
			e.token = ""
			defer func() { e.token = planner }()
			if etag == "" {
				return e.do("GET", path, nil)
			}
			return e.do("GET", path, nil, "If-None-Match", etag)
		}
		// changed checks that the next anonymous read after a write, sent with the ETag
		// held before it, is a 200 with a new ETag and a body that has want.
		changed := func(what, etag, want string) string {
			t.Helper()
			r := read(etag)
			if r.Status != 200 || r.Header.Get("ETag") == etag || !strings.Contains(string(r.Body), want) {
				t.Fatalf("after %s: %d, ETag %q (held %q), body without %q: %s", what, r.Status, r.Header.Get("ETag"), etag, want, r.Body)
			}
			return r.Header.Get("ETag")
		}

		first := read("")
		etag := first.Header.Get("ETag")
		if first.Status != 200 || etag == "" || !strings.Contains(string(first.Body), "Opening plenary") {
			t.Fatalf("first read: %d %q %s", first.Status, etag, first.Body)
		}
		for range 3 { // unchanged: 304s, from memory
			if r := read(etag); r.Status != 304 || r.Header.Get("ETag") != etag {
				t.Fatalf("revalidation without a change: %d, ETag %q", r.Status, r.Header.Get("ETag"))
			}
		}

		e.must(201, e.do("POST", "/v1/sessions/"+sid+"/items", map[string]any{"title": map[string]string{"en": "Adoption of the agenda", "fr": "Adoption de l'ordre du jour"}}))
		etag = changed("an item added", etag, "Adoption de l'ordre du jour")

		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"title": map[string]string{"en": "Opening plenary", "fr": "Plénière d'ouverture"}}, "If-Match", `"1"`))
		etag = changed("a session renamed", etag, "Plénière d'ouverture")

		// 10:00 in Lisbon (WET, UTC+0 on 1 March) is 19:00 in Tokyo; 12:00 is 21:00.
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2027-03-01T12:00"}, "If-Match", `"2"`))
		etag = changed("a session moved", etag, "2027-03-01T21:00:00+09:00")

		e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"public": false}, "If-Match", `"1"`))
		if r := read(etag); r.Status != 401 {
			t.Fatalf("anonymous read of a meeting made private: %d %s", r.Status, r.Body)
		}
		e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"public": true}, "If-Match", `"2"`))
		etag = changed("the meeting made public again", etag, "Plénière d'ouverture")

		e.must(200, e.do("POST", "/v1/sessions/"+sid+"/cancel", map[string]any{"reason": "venue closed"}))
		etag = changed("a session cancelled", etag, `"status":"cancelled"`)

		e.must(204, e.do("DELETE", "/v1/meetings/"+id, nil, "If-Match", `"3"`))
		// Anonymous callers learn nothing of a meeting that is not public (gone or not).
		if r := read(etag); r.Status != 401 {
			t.Fatalf("anonymous read of a deleted meeting: %d %s", r.Status, r.Body)
		}
		e.do("GET", path, nil).Problem(t, 404, "meeting_not_found")
	})
}
