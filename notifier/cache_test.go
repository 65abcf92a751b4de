package notifier

import (
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/render"
)

// The cached reminder must be the reminder rendered for the recipient.
func TestReminderCacheMatchesRender(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	var c reminderCache
	for _, locale := range []string{"en", "fr-CA", "es", "ar"} {
		for _, name := range []string{"Amélie O'Brien", `<b>Ana & "Co"</b>`, "  Layla   Haddad "} {
			zurich, _ := time.LoadLocation("Europe/Zurich")
			in := render.Input{Kind: render.Reminder, RecipientName: name, Locale: locale, Zone: zurich, DefaultLang: "en",
				MeetingTitle: contracts.Text{"en": "Forum"}, SessionTitle: contracts.Text{"en": "Opening", "ar": "الافتتاح"},
				VenueZone: zurich, Session: render.Interval{Start: start, End: start.Add(2 * time.Hour)}, Now: start.Add(-time.Hour),
				Links: render.Links{Manage: "https://plenary.example.org/v1/registrations/r1?token=a.b_c-d", Unsubscribe: "https://plenary.example.org/v1/unsubscribe/x.y"}}
			want, err := r.Render(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.render(r, in, "s1", 1)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s %q: cached reminder differs\n--- cached\n%s\n%s\n--- rendered\n%s\n%s", locale, name, got.Text, got.HTML, want.Text, want.HTML)
			}
		}
	}
	if c.entries.Len() != 4 {
		t.Errorf("%d cache entries, want one per language", c.entries.Len())
	}
}
