package api_test

import (
	"fmt"
	"testing"
	"time"
)

// pacificForum is a meeting's own region: three Pacific island capitals with office hours.
// Fiji (UTC+12) and Samoa (UTC+13) keep no summer time since 2022 and 2021, Papua New
// Guinea is UTC+10: the expected local times below follow the tz database's rules.
var pacificForum = map[string]any{"name": "Pacific Islands Forum", "hours": map[string]string{"start": "09:00", "end": "17:00"},
	"zones": []map[string]any{{"zone": "Pacific/Fiji", "country": "FJ"}, {"zone": "Pacific/Port_Moresby", "country": "PG"}, {"zone": "Pacific/Apia", "country": "WS"}}}

func TestMeetingRegionsInSessionAudience(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		session := func(audience ...string) map[string]any {
			// 22:00 in Paris (UTC+1 in December) is 21:00 UTC: 09:00 the next morning in Suva.
			return map[string]any{"title": map[string]string{"en": "Ocean finance"}, "start": "2026-12-08T22:00", "duration_min": 60,
				"floor_languages": []string{"en"}, "audience": audience}
		}
		// Before the meeting defines it, the region is unknown, as any other name.
		e.do("POST", "/v1/meetings/"+mid+"/sessions", session("Pacific Islands Forum")).Problem(t, 422, "unknown_region")

		m := e.must(200, e.do("GET", "/v1/meetings/"+mid, nil))
		m = e.must(200, e.do("PATCH", "/v1/meetings/"+mid, map[string]any{"regions": []any{pacificForum}}, "If-Match", etag(m)))
		if rs, _ := m["regions"].([]any); len(rs) != 1 || rs[0].(map[string]any)["name"] != "Pacific Islands Forum" {
			t.Fatalf("regions after update: %v", m["regions"])
		}

		x := e.createSession(mid, session("Pacific Islands Forum", "African Group"))
		fit := x["audience_fit"].(map[string]any)
		auds := fit["audiences"].([]any)
		if len(auds) != 2 || auds[0].(map[string]any)["audience"] != "Pacific Islands Forum" {
			t.Fatalf("audience fit %v", fit)
		}
		want := map[string]struct {
			start  string
			inside bool
		}{
			"Pacific/Fiji":         {"2026-12-09T09:00", true},
			"Pacific/Port_Moresby": {"2026-12-09T07:00", false},
			"Pacific/Apia":         {"2026-12-09T10:00", true},
		}
		zones := auds[0].(map[string]any)["zones"].([]any)
		if len(zones) != 3 {
			t.Fatalf("zones %v", zones)
		}
		for _, z := range zones {
			z := z.(map[string]any)
			w, ok := want[z["zone"].(string)]
			if !ok || z["local_start"] != w.start || z["inside"] != w.inside {
				t.Errorf("zone %v, want %+v", z, w)
			}
		}

		a := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/agenda", nil))
		ss := a["sessions"].([]any)
		if len(ss) != 1 {
			t.Fatalf("agenda sessions %v", ss)
		}
		if got := ss[0].(map[string]any)["audience"].([]any); len(got) != 2 || got[0] != "Pacific Islands Forum" {
			t.Fatalf("agenda audience %v", got)
		}

		// A name neither the meeting nor the UN groups define stays a clear 422.
		e.do("POST", "/v1/meetings/"+mid+"/sessions", session("Pacific Islands Forums", "Atlantis")).Problem(t, 422, "unknown_region")

		// The slot planner reads the same definition: given the meeting's regions, its best
		// hour is inside office hours in all three capitals (23:00 to 03:00 UTC), and a
		// session there is inside for the agenda too.
		plan := e.must(200, e.do("POST", "/v1/planning/slots", map[string]any{
			"from": "2026-12-08T12:00:00Z", "to": "2026-12-09T12:00:00Z", "duration_minutes": 60,
			"regions": m["regions"], "audiences": []map[string]string{{"name": "Pacific Islands Forum"}}}))
		best := plan["slots"].([]any)[0].(map[string]any)
		start, err := time.Parse(time.RFC3339, best["start"].(string))
		if err != nil || best["inside"] != true {
			t.Fatalf("best slot %v", best)
		}
		if h := start.UTC().Hour(); !(h == 23 || h <= 2) {
			t.Fatalf("best slot %v starts outside 23:00-03:00 UTC", start)
		}
		at := start.In(time.FixedZone("CET", 3600)).Format("2006-01-02T15:04")
		y := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Ocean finance II"}, "start": at, "duration_min": 60,
			"floor_languages": []string{"en"}, "audience": []string{"Pacific Islands Forum"}})
		if f := y["audience_fit"].(map[string]any); f["inside"] != true {
			t.Fatalf("session at the planner's slot %s: %v", at, f)
		}

		// A region a session still names cannot be removed; a broken definition is refused.
		m = e.must(200, e.do("GET", "/v1/meetings/"+mid, nil))
		e.do("PATCH", "/v1/meetings/"+mid, map[string]any{"regions": []any{}}, "If-Match", etag(m)).Problem(t, 409, "region_in_use")
		bad := map[string]any{"name": "Moon", "zones": []map[string]any{{"zone": "Moon/Tranquility"}}}
		e.do("PATCH", "/v1/meetings/"+mid, map[string]any{"regions": []any{pacificForum, bad}}, "If-Match", etag(m)).Problem(t, 422, "invalid_region")
	})
}

func etag(m map[string]any) string { return fmt.Sprintf("%q", fmt.Sprint(m["version"])) }
