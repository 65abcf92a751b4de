package signed_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/signed"
)

// Each link opens its route with a token of its own purpose and subject, valid for the
// TTL and no longer; URLs are read back with net/url, as a mail client's browser would.
func TestLinksNameTheirRouteAndPurpose(t *testing.T) {
	keys, _ := signed.NewRandomKeys()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := signed.Links{Keys: keys, BaseURL: "https://plenary.example.org/", TTL: 30 * 24 * time.Hour}
	reg, asg := "01938f0e-7d1c-7a2b-9c3d-4e5f60718293", "01938f0e-aaaa-7bbb-8ccc-0123456789ab"
	tests := []struct {
		name, link, path, subject string
		purpose                   signed.Purpose
		inPath                    bool
	}{
		{"manage", l.Manage(reg, now), "/v1/registrations/" + reg, reg, signed.Registration, false},
		{"confirm", l.Confirm(reg, now), "/r/" + reg + "/confirm", reg, signed.Registration, false},
		{"unsubscribe", l.Unsubscribe(reg, now), "/v1/unsubscribe/", reg, signed.Unsubscribe, true},
		{"calendar", l.Calendar(signed.CalendarInterpreter+"it-7", now), "/v1/calendar/", "interpreter:it-7", signed.Calendar, true},
		{"respond", l.AssignmentRespond(asg, now), "/v1/assignments/" + asg + "/respond", asg, signed.Assignment, false},
		{"dev mail", l.DevMail(now), "/dev/mail", "mail", signed.DevMail, false},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.link)
		if err != nil || u.Scheme != "https" || u.Host != "plenary.example.org" || strings.Contains(u.Path, "//") {
			t.Fatalf("%s: %q is not a link on the base URL: %v", tc.name, tc.link, err)
		}
		token := u.Query().Get("token")
		if tc.inPath {
			if !strings.HasPrefix(u.Path, tc.path) {
				t.Fatalf("%s: path %q, want under %q", tc.name, u.Path, tc.path)
			}
			token = strings.TrimSuffix(strings.TrimPrefix(u.Path, tc.path), ".ics")
		} else if u.Path != tc.path {
			t.Fatalf("%s: path %q, want %q", tc.name, u.Path, tc.path)
		}
		if sub, err := keys.Verify(token, tc.purpose, now.Add(29*24*time.Hour)); err != nil || sub != tc.subject {
			t.Fatalf("%s: token verifies to %q, %v; want %q", tc.name, sub, err, tc.subject)
		}
		if _, err := keys.Verify(token, tc.purpose, now.Add(31*24*time.Hour)); err == nil {
			t.Fatalf("%s: token still valid after its TTL", tc.name)
		}
		for _, other := range []signed.Purpose{signed.Registration, signed.Unsubscribe, signed.Calendar, signed.Assignment, signed.DevMail} {
			if other != tc.purpose {
				if _, err := keys.Verify(token, other, now); err == nil {
					t.Fatalf("%s: token also opens %s", tc.name, other)
				}
			}
		}
	}
}
