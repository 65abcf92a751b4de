package api_test

import (
	"slices"
	"testing"
)

// A meeting names its secretariat's address (checked by the registrants' rule) and how
// long before its first session the secretariat is told of open seats; both are in the
// meeting's events, and a bad value is a 422 naming the field.
func TestMeetingSecretariatSettings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		title := map[string]string{"en": "Committee on Budget"}
		for _, c := range []struct {
			body  map[string]any
			field string
			code  string
		}{
			{map[string]any{"secretariat_email": "Budget <budget@example.org>"}, "secretariat_email", "invalid_email"},
			{map[string]any{"secretariat_email": "budget\u202e@example.org"}, "secretariat_email", "invalid_email"},
			{map[string]any{"secretariat_email": "budget@localhost"}, "secretariat_email", "invalid_email"},
			{map[string]any{"open_seats_notice_hours": 337}, "open_seats_notice_hours", "out_of_range"},
			{map[string]any{"open_seats_notice_hours": -1}, "open_seats_notice_hours", "out_of_range"},
		} {
			c.body["title"], c.body["venue_tz"] = title, "Europe/Paris"
			p := e.do("POST", "/v1/meetings", c.body).Problem(t, 422, "validation_failed")
			errs, _ := p["errors"].([]any)
			var fields []string
			for _, fe := range errs {
				m := fe.(map[string]any)
				fields = append(fields, m["field"].(string)+" "+m["code"].(string))
			}
			if !slices.Equal(fields, []string{c.field + " " + c.code}) {
				t.Errorf("%v: errors %v, want %s %s", c.body, fields, c.field, c.code)
			}
		}
		r := e.do("POST", "/v1/meetings", map[string]any{"title": title, "venue_tz": "Europe/Paris", "secretariat_email": " budget@example.org "})
		m := e.must(201, r)
		if m["secretariat_email"] != "budget@example.org" || m["open_seats_notice_hours"] != nil {
			t.Fatalf("created: secretariat %v, notice %v; want the trimmed address and the policy's default (null)", m["secretariat_email"], m["open_seats_notice_hours"])
		}
		id := m["id"].(string)
		up := e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"open_seats_notice_hours": 48}, "If-Match", `"1"`))
		if up["open_seats_notice_hours"] != float64(48) || up["secretariat_email"] != "budget@example.org" {
			t.Fatalf("updated: %v", up)
		}
		back := e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"open_seats_notice_hours": 0, "secretariat_email": ""}, "If-Match", `"2"`))
		if back["open_seats_notice_hours"] != nil || back["secretariat_email"] != "" {
			t.Fatalf("cleared: %v", back)
		}
	})
}
