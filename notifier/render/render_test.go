package render

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func load(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func renderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sample is a session in Geneva at 16:30 local on 6 Dec 2025, 24 hours ahead of the clock.
func sample(t *testing.T, kind Kind, locale string, tz string) Input {
	start := time.Date(2025, 12, 6, 15, 30, 0, 0, time.UTC)
	in := Input{
		Kind:          kind,
		RecipientName: "Amélie Tremblay",
		Locale:        locale,
		Zone:          load(t, tz),
		DefaultLang:   "en",
		MeetingTitle: contracts.Text{
			"en": "Global Forum on Water", "fr": "Forum mondial de l’eau",
			"es": "Foro Mundial del Agua", "ar": "المنتدى العالمي للمياه",
			"zh": "全球水论坛", "ru": "Глобальный форум по водным ресурсам", "pt": "Fórum Mundial da Água",
		},
		SessionTitle: contracts.Text{
			"en": "Session 2: Africa, Europe and the Americas", "fr": "Séance 2 : Afrique, Europe et Amériques",
			"es": "Sesión 2: África, Europa y las Américas", "ar": "الجلسة ٢: أفريقيا وأوروبا والأمريكتان",
			"zh": "第2场：非洲、欧洲和美洲", "ru": "Заседание 2: Африка, Европа и Америка", "pt": "Sessão 2: África, Europa e Américas",
		},
		VenueZone: load(t, "Europe/Zurich"),
		Venue:     "Palais des Nations, Room XVII",
		Session:   Interval{Start: start, End: start.Add(2 * time.Hour)},
		Now:       start.Add(-24 * time.Hour),
		Sessions:  3,
		Booth:     "fr",
		Team:      []string{"Anne Martin", "Karim Haddad"},
		Links: Links{
			Join:        "https://meet.example.org/j/123",
			Manage:      "https://plenary.example/r/tok?sig=abc",
			Unsubscribe: "https://plenary.example/u/tok?sig=abc",
		},
	}
	if kind == SessionChanged || kind == AssignmentChanged {
		in.Previous = &Interval{Start: start.Add(-26 * time.Hour), End: start.Add(-24 * time.Hour)}
	}
	switch kind {
	case RegistrationPending:
		in.Links = Links{Confirm: "https://plenary.example/confirm/tok"}
	case SessionCancelled:
		in.Reason = "Le quorum n’est pas atteint."
	case OpenSeats:
		// The secretariat reads the meeting's notice in the venue's zone: two booths of
		// the session short of interpreters.
		in.RecipientName, in.SessionTitle, in.VenueZone, in.Links = "", nil, nil, Links{}
		in.OpenSeats = []OpenSeat{
			{SessionTitle: in.SessionTitle, Session: in.Session, Booth: "ar", Needed: 3, Accepted: 1, Offered: 1, Unstaffed: 1, Lapsed: 1,
				NextDeadline: start.Add(-4 * time.Hour)},
			{SessionTitle: contracts.Text{"en": "Session 3: Asia and the Pacific", "fr": "Séance 3 : Asie et Pacifique"},
				Session: Interval{Start: start.Add(24 * time.Hour), End: start.Add(26 * time.Hour)}, Booth: "fr", Needed: 2, Proposed: 2},
		}
		in.OpenSeats[0].SessionTitle = contracts.Text{"en": "Session 2: Africa, Europe and the Americas", "fr": "Séance 2 : Afrique, Europe et Amériques"}
	case AssignmentOffered, AssignmentChanged, AssignmentWithdrawn, AssignmentExpired, OfferReminder:
		if kind == AssignmentOffered || kind == OfferReminder {
			// Answer by 11:30 UTC on the day, 20 hours after the clock.
			in.Deadline = start.Add(-4 * time.Hour)
		}
		in.Links = Links{
			Join:    "https://meet.example.org/j/123",
			Accept:  "https://plenary.example/a/tok/accept?sig=abc",
			Decline: "https://plenary.example/a/tok/decline?sig=abc",
		}
	}
	return in
}

func goldenFile(r Rendered) string {
	return fmt.Sprintf("Lang: %s\nDir: %s\nSubject: %s\n\n--- text\n%s\n--- html\n%s", r.Lang, r.Dir, r.Subject, r.Text, r.HTML)
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	r := renderer(t)
	zones := map[string]string{"en": "Asia/Tokyo", "fr": "America/Montreal", "es": "America/Bogota", "ar": "Asia/Riyadh",
		"zh": "Asia/Shanghai", "ru": "Europe/Moscow", "pt": "America/Sao_Paulo"}
	for _, kind := range Kinds {
		for _, lang := range i18n.Codes() {
			t.Run(string(kind)+"/"+lang, func(t *testing.T) {
				out, err := r.Render(sample(t, kind, lang, zones[lang]))
				if err != nil {
					t.Fatal(err)
				}
				if out.Lang != lang {
					t.Errorf("Lang = %q", out.Lang)
				}
				checkGolden(t, string(kind)+"."+lang+".golden", goldenFile(out))
			})
		}
	}
}

func TestFrenchCanadianInMontreal(t *testing.T) {
	r := renderer(t)
	out, err := r.Render(sample(t, Reminder, "fr-CA", "America/Montreal"))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "reminder.fr-CA.golden", goldenFile(out))
	if out.Lang != "fr" || out.Dir != "ltr" {
		t.Errorf("Lang %q Dir %q", out.Lang, out.Dir)
	}
	for _, want := range []string{
		"Rappel : Séance 2 : Afrique, Europe et Amériques dans 24 heures",
	} {
		if out.Subject != want {
			t.Errorf("Subject = %q, want %q", out.Subject, want)
		}
	}
	for _, want := range []string{
		"Bonjour Amélie Tremblay,",
		// As ICU writes fr-CA (Intl.DateTimeFormat, dateStyle full + timeStyle short).
		"Votre heure (America/Montreal) : samedi 6 décembre 2025 à 10 h 30 (UTC-05:00) – 12 h 30",
		"Heure du lieu (Europe/Zurich) : samedi 6 décembre 2025 à 16 h 30 (UTC+01:00) – 18 h 30",
	} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, out.Text)
		}
	}
	if !strings.Contains(out.HTML, `<html lang="fr" dir="ltr">`) {
		t.Errorf("html head:\n%s", out.HTML)
	}
}

func TestArabicIsRightToLeft(t *testing.T) {
	r := renderer(t)
	out, err := r.Render(sample(t, Reminder, "ar", "Asia/Riyadh"))
	if err != nil {
		t.Fatal(err)
	}
	if out.Dir != "rtl" || !strings.Contains(out.HTML, `<html lang="ar" dir="rtl">`) {
		t.Errorf("Dir %q, html:\n%s", out.Dir, out.HTML)
	}
	// CLDR 48 writes "ar" with Latin digits (ICU: "6:30 م"), in the date and in the plural
	// count alike; ar-EG with Arabic-Indic ones.
	if !strings.Contains(out.Text, "6:30 م") || !strings.Contains(out.Subject, "بعد 24 ساعة") {
		t.Errorf("subject %q text:\n%s", out.Subject, out.Text)
	}
	eg, err := r.Render(sample(t, Reminder, "ar-EG", "Asia/Riyadh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(eg.Text, "٦:٣٠ م") || !strings.Contains(eg.Subject, "بعد ٢٤ ساعة") {
		t.Errorf("ar-EG: subject %q text:\n%s", eg.Subject, eg.Text)
	}
	if out.Text == "" || strings.Contains(out.Text, "<") {
		t.Errorf("plain-text part:\n%s", out.Text)
	}
}

func TestUserTextIsEscapedInHTML(t *testing.T) {
	r := renderer(t)
	in := sample(t, SessionCancelled, "en", "Europe/London")
	in.RecipientName = `<img src=x onerror=alert(1)>`
	in.SessionTitle = contracts.Text{"en": `<script>alert("title")</script> & co`}
	in.Reason = `</td><a href="javascript:alert(1)">click</a>`
	in.Venue = `"><iframe src=//evil>`
	out, err := r.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img", "<iframe", `<a href="javascript`} {
		if strings.Contains(out.HTML, bad) {
			t.Errorf("HTML contains %q:\n%s", bad, out.HTML)
		}
	}
	if !strings.Contains(out.HTML, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; co") {
		t.Errorf("escaped title missing:\n%s", out.HTML)
	}
	// The plain-text part shows the text as typed.
	if !strings.Contains(out.Text, `<script>alert("title")</script> & co`) {
		t.Errorf("text:\n%s", out.Text)
	}
	in.Links.Join = "javascript:alert(1)"
	in.Kind = Reminder
	if _, err := r.Render(in); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("javascript: link accepted: %v", err)
	}
}

func TestLanguageFallbackChain(t *testing.T) {
	r := renderer(t)
	for _, tc := range []struct{ locale, def, want string }{
		{"fr-CA", "en", "fr"},
		{"fr", "es", "fr"},
		{"es-MX", "fr", "es"},
		{"ar-EG", "en", "ar"},
		{"de-CH", "fr", "fr"}, // not written: the meeting's default
		{"de", "ru", "ru"},    // not written: the meeting's default
		{"de", "sw", "en"},    // neither: English
		{"", "es", "es"},
		{"not a tag!", "", "en"},
		{"pt-BR", "ar", "pt"},
		{"zh-Hans-CN", "en", "zh"},
		{"ru-RU", "fr", "ru"},
	} {
		if got := r.Language(tc.locale, tc.def).String(); got != tc.want {
			t.Errorf("Language(%q, %q) = %s, want %s", tc.locale, tc.def, got, tc.want)
		}
	}
}

func TestTitleInAnotherLanguageIsSaid(t *testing.T) {
	r := renderer(t)
	in := sample(t, Reminder, "es", "America/Bogota")
	in.DefaultLang = "fr"
	in.MeetingTitle = contracts.Text{"en": "Global Forum on Water", "fr": "Forum mondial de l’eau"}
	in.SessionTitle = contracts.Text{"fr-CA": "Séance de clôture"}
	out, err := r.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Lang != "es" {
		t.Fatalf("Lang %q", out.Lang)
	}
	// The meeting's default language comes before English for the title.
	if !strings.Contains(out.Text, "Reunión: Forum mondial de l’eau") {
		t.Errorf("text:\n%s", out.Text)
	}
	if !strings.Contains(out.Text, "Este título no está disponible en español; se muestra en francés.") {
		t.Errorf("no note on the title's language:\n%s", out.Text)
	}
	if strings.Count(out.Text, "no está disponible") != 1 {
		t.Errorf("note repeated:\n%s", out.Text)
	}

	in.MeetingTitle = contracts.Text{"es": "Foro Mundial del Agua"}
	in.SessionTitle = contracts.Text{"es": "Clausura"}
	out, _ = r.Render(in)
	if strings.Contains(out.Text, "no está disponible") {
		t.Errorf("note without reason:\n%s", out.Text)
	}
}

func TestPickTextRegionalValue(t *testing.T) {
	v, tag := pickText(contracts.Text{"fr-CA": "Clôture", "en": "Closing"}, "fr-FR", "en")
	if v != "Clôture" || tag.String() != "fr-CA" {
		t.Errorf("got %q %s", v, tag)
	}
	v, tag = pickText(contracts.Text{"fr-CA": "Clôture", "fr": "Clôture (FR)"}, "fr-CA", "en")
	if v != "Clôture" || tag.String() != "fr-CA" {
		t.Errorf("exact locale: got %q %s", v, tag)
	}
}

func TestPlurals(t *testing.T) {
	r := renderer(t)
	for _, tc := range []struct {
		lang  string
		ahead time.Duration
		want  string
	}{
		{"en", time.Hour, "in 1 hour"},
		{"en", 24 * time.Hour, "in 24 hours"},
		{"en", 30 * time.Minute, "in 30 minutes"},
		{"fr", time.Hour, "dans 1 heure"},
		{"fr", 48 * time.Hour, "dans 48 heures"},
		{"es", time.Hour, "dentro de 1 hora"},
		{"ar", time.Hour, "بعد ساعة واحدة"},
		{"ar", 2 * time.Hour, "بعد ساعتين"},
		{"ar-EG", 3 * time.Hour, "بعد ٣ ساعات"}, // ar-EG writes Arabic-Indic digits (CLDR)
		{"ar", 3 * time.Hour, "بعد 3 ساعات"},    // and ar Latin ones (CLDR 42 and later)
		{"ar-EG", 48 * time.Hour, "بعد ٤٨ ساعة"},
	} {
		in := sample(t, Reminder, tc.lang, "UTC")
		in.Now = in.Session.Start.Add(-tc.ahead)
		out, err := r.Render(in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.Subject, tc.want) {
			t.Errorf("%s %v: subject %q lacks %q", tc.lang, tc.ahead, out.Subject, tc.want)
		}
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "registered for 1 session;"},
		{"en", 3, "registered for 3 sessions;"},
		{"fr", 1, "inscrit(e) à 1 séance"},
		{"fr", 3, "inscrit(e) à 3 séances"},
		{"ar", 2, "في جلستين"},
		{"ar-EG", 5, "في ٥ جلسات"},
		{"ar", 5, "في 5 جلسات"},
		{"ar-EG", 12, "في ١٢ جلسة"},
	} {
		in := sample(t, RegistrationConfirmed, tc.lang, "UTC")
		in.Sessions = tc.n
		out, err := r.Render(in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.Text, tc.want) {
			t.Errorf("%s %d: text lacks %q:\n%s", tc.lang, tc.n, tc.want, out.Text)
		}
	}
}

func TestInvalidInput(t *testing.T) {
	r := renderer(t)
	for name, mutate := range map[string]func(*Input){
		"unknown kind":       func(in *Input) { in.Kind = "party" },
		"change no previous": func(in *Input) { in.Kind = SessionChanged; in.Previous = nil },
		"reminder no clock":  func(in *Input) { in.Now = time.Time{} },
		"no start":           func(in *Input) { in.Session = Interval{} },
		"relative link":      func(in *Input) { in.Links.Manage = "/r/tok" },
		"offer no accept":    func(in *Input) { in.Kind = AssignmentOffered; in.Links.Accept = "" },
	} {
		t.Run(name, func(t *testing.T) {
			in := sample(t, Reminder, "en", "UTC")
			mutate(&in)
			if _, err := r.Render(in); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestEmailDatesFollowTheRecipientsLocale: an email writes the session's times as ICU does
// for the recipient's own locale (expected texts: Node's Intl.DateTimeFormat, ICU 78.2 /
// CLDR 48, dateStyle full + timeStyle short), as the API does for the same locale: ar-EG
// with Arabic-Indic digits, ar with Latin ones, fr-CA "10 h 30", es-419 and en-US on a
// 12-hour clock.
func TestEmailDatesFollowTheRecipientsLocale(t *testing.T) {
	r := renderer(t)
	tests := []struct{ locale, tz, start, end string }{
		{"ar-EG", "Africa/Cairo", "السبت، ٦ ديسمبر ٢٠٢٥ في ٥:٣٠ م", "٧:٣٠ م"},
		{"ar", "Africa/Cairo", "السبت، 6 ديسمبر 2025 في 5:30 م", "7:30 م"},
		{"fr-CA", "America/Toronto", "samedi 6 décembre 2025 à 10 h 30", "12 h 30"},
		{"es-419", "America/Mexico_City", "sábado, 6 de diciembre de 2025, 9:30 a.m.", "11:30 a.m."},
		{"en-US", "America/New_York", "Saturday, December 6, 2025 at 10:30 AM", "12:30 PM"},
	}
	for _, tt := range tests {
		out, err := r.Render(sample(t, Reminder, tt.locale, tt.tz))
		if err != nil {
			t.Fatal(err)
		}
		want := tt.start + " (" + zone.UTCLabel(offsetAt(t, tt.tz)) + ") – " + tt.end
		if !strings.Contains(out.Text, want) {
			t.Errorf("%s: the email does not say %q:\n%s", tt.locale, want, out.Text)
		}
		if api := zone.FormatDateTime(time.Date(2025, 12, 6, 15, 30, 0, 0, time.UTC), load(t, tt.tz), tt.locale); !strings.Contains(out.Text, api) {
			t.Errorf("%s: the email and the API disagree: the API says %q", tt.locale, api)
		}
	}
}

func offsetAt(t *testing.T, tz string) int {
	_, off := time.Date(2025, 12, 6, 15, 30, 0, 0, time.UTC).In(load(t, tz)).Zone()
	return off
}
