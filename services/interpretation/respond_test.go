package interpretation_test

import (
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/signed"
)

// offeredTo seats a new interpreter (extra: locale, tz, email ...) in the French booth of a
// session on Tuesday 8 December 2026, 10:00-12:00 in Paris, of a meeting whose default
// language is defaultLang, offers the seat and returns its id and a signed link token.
func (e *env) offeredTo(name string, extra map[string]any, defaultLang string) (id, token string) {
	e.t.Helper()
	mid := e.must(201, e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "Forum"},
		"venue_tz": "Europe/Paris", "interpretation_policy": "aiic", "default_lang": defaultLang}))["id"].(string)
	sid := e.session(mid, "2026-12-08T10:00", "2026-12-08T12:00", []string{"en"}, []string{"fr"})
	id = e.must(201, e.assign(sid, "fr", e.interpreter(name, "fr:A en:C", extra)))["id"].(string)
	e.must(200, e.transition(id, 1, "offered"))
	return id, url.QueryEscape(e.keys.Sign(signed.Assignment, id, e.now.Add(time.Hour)))
}

func (e *env) respondPage(id, token, query string) string {
	e.t.Helper()
	r := e.anonymous("GET", "/v1/assignments/"+id+"/respond?token="+token+query)
	if r.Status != 200 {
		e.t.Fatalf("respond page: %d %s", r.Status, r.Body)
	}
	return string(r.Body)
}

// The page speaks the interpreter's language: the locale or its base language, then the
// meeting's default language, then English; dates name the day in that language.
func TestRespondPageSpeaksTheInterpretersLanguage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			locale, meetingDefault string
			want, not              []string
		}{
			{"fr-CA", "en",
				[]string{`<html lang="fr" dir="ltr">`, "<title>Affectation d’interprétation</title>", "Bonjour <bdi>Ida</bdi>,",
					"<dt>Cabine</dt><dd>FR</dd>", "<dt>Rôle</dt><dd>interprète</dd>", "<dt>Séance</dt>", "Horaire (<bdi>Europe/Paris</bdi>)",
					// Dates as ICU writes the interpreter's own locale (Intl.DateTimeFormat).
					"mardi 8 décembre 2026 à 10 h 00 (UTC+01:00) – 12 h 00", "<dt>Statut</dt><dd>offerte</dd>",
					">Accepter</button>", ">Refuser</button>",
					// The title exists in English only: the page says so to the browser.
					`<dd lang="en" dir="ltr">Sitting</dd>`},
				[]string{"Booth", "Dear", "Tuesday", ">Accept<", ">Decline<", "offered"}},
			{"ar", "en",
				[]string{`<html lang="ar" dir="rtl">`, "<title>تكليف بالترجمة الفورية</title>", "مرحبًا <bdi>Ida</bdi>،",
					"<dt>المقصورة</dt>", "<dt>الجلسة</dt>", "الثلاثاء، 8 ديسمبر 2026 في 10:00 ص (UTC+01:00) – 12:00 م", "<dd>معروض</dd>",
					">قبول</button>", ">رفض</button>", `<dd lang="en" dir="ltr">Sitting</dd>`},
				[]string{"Booth", "Tuesday", "١٠:٠٠", "offered"}},
			{"es-419", "en",
				[]string{`<html lang="es" dir="ltr">`, "Estimado/a <bdi>Ida</bdi>:", "<dt>Cabina</dt>", "<dt>Sesión</dt>",
					"martes, 8 de diciembre de 2026, 10:00 a.m. (UTC+01:00) – 12:00 p.m.", ">Aceptar</button>", ">Rechazar</button>", "<dd>ofrecida</dd>"},
				[]string{"Booth", "Tuesday"}},
			// No page in German, nor in the meeting's language: English.
			{"de", "en",
				[]string{`<html lang="en" dir="ltr">`, "<title>Interpretation assignment</title>", "Dear <bdi>Ida</bdi>,",
					"<dt>Booth</dt><dd>FR</dd>", "<dt>Role</dt><dd>interpreter</dd>", "Time (<bdi>Europe/Paris</bdi>)",
					"Tuesday, December 8, 2026 at 10:00 AM (UTC+01:00) – 12:00 PM", "<dd>offered</dd>", ">Accept</button>", ">Decline</button>",
					"<dd>Sitting</dd>"},
				[]string{"Dienstag", "mardi", "Cabine", `<dd lang=`}},
			// No page in German, but the meeting's default language is Spanish.
			{"de", "es",
				[]string{`<html lang="es" dir="ltr">`, "<dt>Cabina</dt>", "martes"},
				[]string{"Booth", "Tuesday"}},
		} {
			id, token := e.offeredTo("Ida", map[string]any{"locale": tc.locale}, tc.meetingDefault)
			// The page escapes "+" as &#43;: compare the text a browser shows.
			body := html.UnescapeString(e.respondPage(id, token, ""))
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s (meeting %s): page lacks %q:\n%s", tc.locale, tc.meetingDefault, w, body)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("%s (meeting %s): page shows %q:\n%s", tc.locale, tc.meetingDefault, n, body)
				}
			}
		}
	})
}

// The confirmation asked by the email's links, and the answer to the form, are in the
// interpreter's language too.
func TestRespondConfirmsAndAnswersInTheInterpretersLanguage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			locale, action                string
			confirm, thanks, state, other string
		}{
			{"fr-CA", "accept", "Veuillez confirmer que vous acceptez cette affectation.",
				"Merci\u00a0: vous avez accepté cette affectation.", "<dd>acceptée</dd>", "Voir les deux choix"},
			{"fr", "decline", "Veuillez confirmer que vous refusez cette affectation.",
				"Merci\u00a0: vous avez refusé cette affectation. Le secrétariat en a été informé.", "<dd>refusée</dd>", "Voir les deux choix"},
			{"es", "decline", "Confirme, por favor, que rechaza esta asignación.",
				"Gracias: ha rechazado esta asignación.", "<dd>rechazada</dd>", "Ver ambas opciones"},
			{"ar", "accept", "يُرجى تأكيد قبولك لهذا التكليف.", "شكرًا لك: لقد قبلت هذا التكليف.", "<dd>مقبول</dd>", "عرض الخيارين"},
			{"ar", "decline", "يُرجى تأكيد رفضك لهذا التكليف.", "شكرًا لك: لقد رفضت هذا التكليف.", "<dd>مرفوض</dd>", "عرض الخيارين"},
		} {
			id, token := e.offeredTo("Ida", map[string]any{"locale": tc.locale}, "en")
			if body := e.respondPage(id, token, "&action="+tc.action); !strings.Contains(body, tc.confirm) || !strings.Contains(body, tc.other) {
				t.Errorf("%s %s: page lacks %q or %q:\n%s", tc.locale, tc.action, tc.confirm, tc.other, body)
			}
			r := e.anonymous("POST", "/v1/assignments/"+id+"/"+tc.action+"?token="+token, "Accept", "text/html")
			if body := string(r.Body); r.Status != 200 || !strings.Contains(body, tc.thanks) || !strings.Contains(body, tc.state) {
				t.Errorf("%s %s: answer %d lacks %q or %q:\n%s", tc.locale, tc.action, r.Status, tc.thanks, tc.state, body)
			}
		}
	})
}

// Opening the link again once answered (or withdrawn) says so, in the interpreter's
// language, with the state's name translated.
func TestRespondPageSaysThereIsNothingToAnswer(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, tc := range []struct{ locale, want string }{
			{"fr-CA", "Cette affectation est retirée\u00a0; il n’y a rien à répondre."},
			{"es", "Esta asignación está retirada; no hay nada que responder."},
			{"ar", "هذا التكليف مسحوب؛ لا حاجة إلى أي رد."},
			{"de", "This assignment is withdrawn; there is nothing to answer."},
		} {
			id, token := e.offeredTo("Ida", map[string]any{"locale": tc.locale}, "en")
			e.must(200, e.transition(id, 2, "withdrawn"))
			if body := e.respondPage(id, token, ""); !strings.Contains(body, tc.want) || strings.Contains(body, "<form") {
				t.Errorf("%s: page lacks %q or still has a form:\n%s", tc.locale, tc.want, body)
			}
		}
	})
}

// Names and titles are user text: the page escapes them in every language.
func TestRespondPageEscapesUserText(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		const name, title = `<script>alert(1)</script>`, `<img src=x onerror=alert(2)>`
		mid := e.meeting("aiic")
		sid := e.must(201, e.do("POST", "/v1/meetings/"+mid+"/sessions", map[string]any{
			"title": map[string]string{"en": title, "ar": title}, "start": "2026-12-08T10:00", "end": "2026-12-08T12:00",
			"tz": "Europe/Paris", "floor_languages": []string{"en"}, "output_languages": []string{"fr"}}))["id"].(string)
		for _, locale := range []string{"en", "ar"} {
			who := e.interpreter("Mallory", "fr:A en:C", map[string]any{"name": name, "locale": locale,
				"email": "mallory-" + locale + "@example.org"})
			id := e.must(201, e.assign(sid, "fr", who))["id"].(string)
			e.must(200, e.transition(id, 1, "offered"))
			token := url.QueryEscape(e.keys.Sign(signed.Assignment, id, e.now.Add(time.Hour)))
			body := e.respondPage(id, token, "")
			if strings.Contains(body, "<script>") || strings.Contains(body, "<img") ||
				!strings.Contains(body, "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>") ||
				!strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;") {
				t.Errorf("%s: user text not escaped:\n%s", locale, body)
			}
		}
	})
}
