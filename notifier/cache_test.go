package notifier

import (
	"bytes"
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail"
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

// A cached reminder's email, made from the entry's MIME template, is byte for byte the
// email built whole from the reminder rendered for the recipient (the boundary, random in
// each message, aside), for names in other scripts and right-to-left Arabic, names that
// fold the To field, long signed links and long Subjects that fold.
func TestCachedMIMEMatchesBuilt(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	zurich, _ := time.LoadLocation("Europe/Zurich")
	long := "Forum mondial sur le développement durable et la résilience climatique des petits États insulaires en développement"
	var c reminderCache
	for _, locale := range []string{"en", "fr-CA", "es", "ar", "zh", "ru"} {
		for i, name := range []string{"Amélie O'Brien", `<b>Ana & "Co"</b>`, "  Layla   Haddad ", "فاطمة الزهراء", "\u200fمحمد بن سلمان\u200f", "王小明",
			"Nguyễn Thị Lan", "Maximilian Alexander Konstantin von Hohenzollern-Sigmaringen Habsburg-Lothringen"} {
			token := strings.Repeat("a.b_c-d", i+1)
			in := render.Input{Kind: render.Reminder, RecipientName: name, Locale: locale, Zone: zurich, DefaultLang: "en",
				MeetingTitle: contracts.Text{"en": "Forum", "fr": long}, SessionTitle: contracts.Text{"en": "Opening", "ar": "الجلسة الافتتاحية للمنتدى العالمي", "fr": long},
				VenueZone: zurich, Session: render.Interval{Start: start, End: start.Add(2 * time.Hour)}, Now: start.Add(-time.Hour),
				Links: render.Links{Manage: "https://plenary.example.org/v1/registrations/r1?token=" + token, Unsubscribe: "https://plenary.example.org/v1/unsubscribe/" + token}}
			base := mail.Message{From: mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"}, To: mail.Address{Name: name, Email: fmt.Sprintf("r%d@example.org", i)},
				MessageID: fmt.Sprintf("<r%d-%s@plenary.test>", i, locale), Date: start.Add(-24 * time.Hour), Unsubscribe: in.Links.Unsubscribe}
			cached, err := c.message(r, in, "s1", 1, base)
			if err != nil {
				t.Fatal(err)
			}
			rendered, err := r.Render(in)
			if err != nil {
				t.Fatal(err)
			}
			built := base
			built.Subject, built.Text, built.HTML, built.Lang = rendered.Subject, rendered.Text, rendered.HTML, rendered.Lang
			got, err := cached.Bytes(start)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := cached.Bytes(start); !bytes.Equal(got, again) {
				t.Fatalf("%s %q: the cached email was built whole (a new boundary each time), not made from its template", locale, name)
			}
			want, err := built.Bytes(start)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := sameBoundary(t, got), sameBoundary(t, want); !bytes.Equal(got, want) {
				t.Errorf("%s %q: the cached email differs from the one built whole\n--- cached\n%s\n--- built\n%s", locale, name, got, want)
			}
		}
	}
}

// sameBoundary is b with its multipart boundary replaced by a fixed one.
func sameBoundary(t *testing.T, b []byte) []byte {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		t.Fatalf("no boundary in %q: %v", msg.Header.Get("Content-Type"), err)
	}
	return bytes.ReplaceAll(b, []byte(params["boundary"]), []byte("BOUNDARY"))
}
