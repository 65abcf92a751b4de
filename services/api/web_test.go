package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"golang.org/x/net/html"

	"github.com/plenary/plenary/notifier/ics/icaljstest"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/web"
)

// page is a fetched HTML page, parsed by x/net/html (the HTML5 parsing algorithm
// browsers use).
type page struct {
	resp
	doc *html.Node
}

func (e *env) page(method, path string, form url.Values, headers ...string) page {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// Redirects are followed by hand, so that a test sees the 303 of a form.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{resp: resp{Status: res.StatusCode, Header: res.Header, Body: b}}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = html.Parse(bytes.NewReader(b)); err != nil {
			e.t.Fatalf("%s %s: not HTML: %v", method, path, err)
		}
	}
	return p
}

// isPage fails unless the answer is an HTML page of status in lang and dir.
func (p page) isPage(t *testing.T, status int, lang, dir string) {
	t.Helper()
	if p.Status != status || p.doc == nil {
		t.Fatalf("status %d (%s), want an HTML page with %d:\n%.600s", p.Status, p.Header.Get("Content-Type"), status, p.Body)
	}
	h := find(p.doc, func(n *html.Node) bool { return n.Data == "html" })
	if attr(h, "lang") != lang || attr(h, "dir") != dir {
		t.Fatalf("<html lang=%q dir=%q>, want lang=%q dir=%q", attr(h, "lang"), attr(h, "dir"), lang, dir)
	}
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := find(c, match); m != nil {
			return m
		}
	}
	return nil
}

func byID(n *html.Node, id string) *html.Node {
	return find(n, func(n *html.Node) bool { return attr(n, "id") == id })
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// publicForum is a public meeting in Geneva on 8 December 2026 with three sessions: an
// opening with a speaker, a session later moved, and one cancelled.
func (e *env) publicForum() (meeting string, sessions []string) {
	e.t.Helper()
	m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
		"title":    map[string]string{"en": "Global Forum on Water", "fr": "Forum mondial de l’eau", "ar": "المنتدى العالمي للمياه"},
		"venue_tz": "Europe/Zurich", "format": "hybrid", "default_lang": "en", "platform": "zoom", "public": true,
	}))["id"].(string)
	open := e.createSession(m, map[string]any{"title": map[string]string{"en": "Opening plenary", "fr": "Séance plénière d’ouverture"},
		"start": "2026-12-08T16:30", "duration_min": 120, "tz": "Europe/Zurich",
		"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "es", "ar"}})["id"].(string)
	e.must(201, e.do("POST", "/v1/sessions/"+open+"/items", map[string]any{"title": map[string]string{"en": "Welcome", "fr": "Allocution de bienvenue"},
		"start": "16:30", "end": "16:45", "speakers": []map[string]string{{"name": "Amina Diallo", "affiliation": "Ministry of Water, Senegal",
			"stakeholder_group": "Governments", "regional_group": "African Group", "language": "fr"}}}))
	moved := e.createSession(m, map[string]any{"title": map[string]string{"en": "Regional dialogue: Africa"},
		"start": "2026-12-09T09:00", "duration_min": 90, "tz": "Europe/Zurich", "floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})["id"].(string)
	e.must(200, e.do("PATCH", "/v1/sessions/"+moved, map[string]any{"start": "2026-12-09T10:00", "tz": "Europe/Zurich"}, "If-Match", `"1"`))
	gone := e.createSession(m, map[string]any{"title": map[string]string{"en": "Field visit", "fr": "Visite de terrain"},
		"start": "2026-12-09T14:00", "duration_min": 60, "tz": "Europe/Zurich", "floor_languages": []string{"en"}})["id"].(string)
	e.must(200, e.do("POST", "/v1/sessions/"+gone+"/cancel", map[string]any{"reason": "weather"}))
	return m, []string{open, moved, gone}
}

// A French reader in Montreal: the agenda in French, each time in Montreal and in Geneva
// (CLDR's full date and time pattern of fr-CA, the reader's locale), channels named in French, the speaker with affiliation and
// regional group, moved and cancelled sessions marked; revalidation answers 304.
func TestPublicPageInTheReadersLanguageAndZone(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m, xs := e.publicForum()
	e.token = ""
	p := e.page("GET", "/m/"+m+"?tz=America/Montreal", nil, "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
	p.isPage(t, 200, "fr", "ltr")
	if h1 := textOf(find(p.doc, func(n *html.Node) bool { return n.Data == "h1" })); h1 != "Forum mondial de l’eau" {
		t.Errorf("h1 %q", h1)
	}
	open := byID(p.doc, "h-"+xs[0]).Parent
	for _, want := range []string{
		"Séance plénière d’ouverture",
		"mardi 8 décembre 2026 à 10 h 30 (UTC-05:00) – 12 h 30",
		"mardi 8 décembre 2026 à 16 h 30 (UTC+01:00) – 18 h 30",
		"anglais, français, espagnol, arabe",
		"Allocution de bienvenue", "Amina Diallo", "Ministry of Water, Senegal", "African Group",
	} {
		if !strings.Contains(textOf(open), want) {
			t.Errorf("opening session lacks %q:\n%s", want, textOf(open))
		}
	}
	if got := textOf(byID(p.doc, "h-"+xs[1])); !strings.Contains(got, "Reprogrammée") {
		t.Errorf("moved session heading %q", got)
	}
	// The moved session has no French title: said, and marked as English for readers.
	moved := byID(p.doc, "h-"+xs[1])
	if span := find(moved, func(n *html.Node) bool { return attr(n, "lang") == "en" }); span == nil ||
		!strings.Contains(textOf(moved.Parent), "Ce titre n’est pas disponible en français ; il est affiché en anglais.") {
		t.Errorf("untranslated title not said:\n%s", textOf(moved.Parent))
	}
	if got := textOf(byID(p.doc, "h-"+xs[2]).Parent); !strings.Contains(got, "Annulée") || !strings.Contains(got, "weather") {
		t.Errorf("cancelled session: %s", got)
	}
	// The zone picker works without script; the consent box is not ticked.
	if sel := byID(p.doc, "tz-picker"); sel == nil || find(sel, func(n *html.Node) bool { return attr(n, "selected") != "" || hasAttr(n, "selected") }) == nil {
		t.Errorf("no zone picker with the zone chosen")
	}
	if c := byID(p.doc, "f-consent"); c == nil || hasAttr(c, "checked") {
		t.Errorf("consent box missing or ticked by default")
	}
	etag := p.Header.Get("ETag")
	if etag == "" || p.Header.Get("Last-Modified") == "" {
		t.Fatalf("no ETag/Last-Modified: %v", p.Header)
	}
	again := e.page("GET", "/m/"+m+"?tz=America/Montreal", nil, "Accept-Language", "fr-CA", "If-None-Match", etag)
	if again.Status != http.StatusNotModified {
		t.Errorf("revalidation: %d", again.Status)
	}
	// A reader in Tokyo reads the opening on the next day.
	tokyo := e.page("GET", "/m/"+m+"?tz=Asia/Tokyo&lang=fr", nil)
	if got := textOf(byID(tokyo.doc, "h-"+xs[0]).Parent); !strings.Contains(got, "mercredi 9 décembre 2026 à 00:30") || !strings.Contains(got, "+1 jour") {
		t.Errorf("Tokyo: %s", got)
	}
	// Right to left in Arabic, Chinese with the missing title said in Chinese.
	e.page("GET", "/m/"+m+"?lang=ar", nil).isPage(t, 200, "ar", "rtl")
	zh := e.page("GET", "/m/"+m, nil, "Accept-Language", "zh-CN,zh;q=0.9")
	zh.isPage(t, 200, "zh", "ltr")
	if !strings.Contains(textOf(zh.doc), "此标题暂无中文版本，现以英语显示。") {
		t.Errorf("Chinese page does not say the title is in English")
	}
	// A program asking for JSON gets the JSON agenda on the same route.
	j := e.do("GET", "/m/"+m+"?tz=America/Montreal", nil, "Accept", "application/json")
	if j.Status != 200 || j.JSON(t)["meeting"] == nil {
		t.Errorf("JSON agenda: %d %s", j.Status, j.Body)
	}
	// A private meeting has no public page.
	e.token = e.planner
	private := e.createMeeting()
	e.token = ""
	e.page("GET", "/m/"+private, nil, "Accept-Language", "es").isPage(t, 404, "es", "ltr")
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func regForm(name, email, locale, tz string, sessions ...string) url.Values {
	v := url.Values{"name": {name}, "email": {email}, "locale": {locale}, "tz": {tz}, "consent": {"yes"}}
	if len(sessions) > 0 {
		v.Set("scope", "some")
		v["session"] = sessions
	} else {
		v.Set("scope", "all")
	}
	return v
}

func (e *env) registrationByEmail(email string) (id string, pending bool) {
	e.t.Helper()
	err := e.db.QueryRowContext(context.Background(), `SELECT id, pending FROM registrations WHERE email = $1`, email).Scan(&id, &pending)
	if err != nil {
		e.t.Fatalf("registration of %s: %v", email, err)
	}
	return id, pending
}

// Double opt-in: the form makes a pending registration whose event says so; only the
// confirmation link makes it active, once.
func TestSelfRegistrationNeedsTheConfirmationLink(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m, xs := e.publicForum()
		e.token = ""
		p := e.page("POST", "/m/"+m+"/register?lang=fr&tz=America/Montreal", regForm("Léa Tremblay", "Lea@Example.org", "fr-CA", "America/Montreal", xs[0]))
		p.isPage(t, 200, "fr", "ltr")
		if !strings.Contains(textOf(p.doc), "Nous avons envoyé un lien de confirmation à lea@example.org.") {
			t.Fatalf("sent page: %s", textOf(p.doc))
		}
		id, pending := e.registrationByEmail("lea@example.org")
		if !pending {
			t.Fatal("a self-registration is active before its confirmation")
		}
		var payload string
		if err := d.QueryRow(`SELECT payload FROM outbox WHERE subject = 'plenary.v1.registration.created'`).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(payload, `"pending":true`) {
			t.Fatalf("created event: %s", payload)
		}
		confirm, _ := url.Parse(e.links.Confirm(id, e.clock.Now()))
		for range 2 {
			c := e.page("GET", confirm.RequestURI(), nil)
			c.isPage(t, 200, "fr", "ltr")
			if !strings.Contains(textOf(c.doc), "Merci : votre inscription est confirmée.") {
				t.Fatalf("confirm page: %s", textOf(c.doc))
			}
		}
		if _, pending := e.registrationByEmail("lea@example.org"); pending {
			t.Fatal("still pending after the confirmation link")
		}
		if got := strings.Join(e.outboxSubjects(), ","); strings.Count(got, "registration.updated") != 1 {
			t.Errorf("events %s: want one registration.updated for the confirmation", got)
		}
	})
}

// Field errors are next to their field, in the reader's language, with what was typed;
// a honeypot submission stores nothing; a flood from one address is refused.
func TestRegistrationFormRefusals(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	deps.WebLimits = web.Limits{PerIP: 3, PerEmail: 2, Window: time.Hour}
	e := startEnv(t, d, clock, deps, keys, links)
	m, xs := e.publicForum()
	e.token = ""

	p := e.page("POST", "/m/"+m+"/register?lang=es", url.Values{"name": {"  "}, "email": {"ana.garcia@"}, "locale": {"es-MX"}, "tz": {"Mars/Olympus"}, "scope": {"some"}})
	p.isPage(t, 422, "es", "ltr")
	for field, want := range map[string]string{
		"name": "Indique su nombre.", "email": "Indique un correo electrónico como nombre@ejemplo.org.",
		"tz": "Elija una zona horaria de la lista, por ejemplo America/Montreal.", "sessions": "Marque al menos una sesión o elija todas las sesiones.",
	} {
		msg := byID(p.doc, "e-"+field)
		if textOf(msg) != want {
			t.Errorf("%s error %q, want %q", field, textOf(msg), want)
		}
		// Next to its field: in the same field block, and named by the field's
		// aria-describedby.
		if msg != nil && !strings.Contains(attr(msg.Parent, "class"), "has-error") {
			t.Errorf("%s error is not in its field's block", field)
		}
	}
	if email := byID(p.doc, "f-email"); attr(email, "value") != "ana.garcia@" || attr(email, "aria-describedby") != "e-email" || attr(email, "aria-invalid") != "true" {
		t.Errorf("email field lost what was typed or its error link: %v", email.Attr)
	}

	// Sessions chosen but the name missing: the ticked box stays ticked.
	p = e.page("POST", "/m/"+m+"/register?lang=es", url.Values{"email": {"ana@example.org"}, "locale": {"es"}, "tz": {"America/Mexico_City"}, "scope": {"some"}, "session": {xs[1]}})
	p.isPage(t, 422, "es", "ltr")
	if !hasAttr(byID(p.doc, "s-"+xs[1]), "checked") || hasAttr(byID(p.doc, "s-"+xs[0]), "checked") {
		t.Errorf("ticked sessions not kept")
	}

	// The honeypot: a person never fills it; a bot is told what a person would be.
	hp := regForm("Bot", "bot@example.org", "en", "UTC")
	hp.Set("website", "http://spam.example")
	e.page("POST", "/m/"+m+"/register", hp).isPage(t, 200, "en", "ltr")
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM registrations WHERE email = 'bot@example.org'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("honeypot stored %d (%v)", n, err)
	}

	// The same address may not be flooded with confirmation requests, nor the form from
	// one client address (3 in the window: the two refused forms above count, the
	// honeypot does not).
	e.page("POST", "/m/"+m+"/register", regForm("Ana García", "ana@example.org", "es", "America/Mexico_City")).isPage(t, 200, "en", "ltr")
	flood := e.page("POST", "/m/"+m+"/register?lang=fr", regForm("Ana García", "ana2@example.org", "es", "America/Mexico_City"))
	flood.isPage(t, 429, "fr", "ltr")
	if !strings.Contains(textOf(flood.doc), "Trop d’inscriptions") {
		t.Errorf("flood page: %s", textOf(flood.doc))
	}
}

// A full session refuses the form with the reason next to it; a closed meeting says so.
func TestSeatCapsAndClosedRegistration(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m, xs := e.publicForum()
	e.must(200, e.do("PUT", "/v1/meetings/"+m+"/registration-settings", map[string]any{"seats": map[string]int{xs[0]: 1}}))
	e.do("PUT", "/v1/meetings/"+m+"/registration-settings", map[string]any{"seats": map[string]int{"nope": 1}}).Problem(t, 422, "validation_failed")
	e.token = ""
	before := e.page("GET", "/m/"+m+"?lang=en", nil)
	if !strings.Contains(textOf(byID(before.doc, "h-"+xs[0]).Parent), "1 seat left") {
		t.Errorf("seats left not shown: %s", textOf(byID(before.doc, "h-"+xs[0]).Parent))
	}
	e.page("POST", "/m/"+m+"/register", regForm("Kofi Mensah", "kofi@example.org", "en", "Africa/Accra", xs[0])).isPage(t, 200, "en", "ltr")
	full := e.page("POST", "/m/"+m+"/register?lang=fr", regForm("Léa Tremblay", "lea@example.org", "fr-CA", "America/Montreal", xs[0], xs[1]))
	full.isPage(t, 409, "fr", "ltr")
	if got := textOf(byID(full.doc, "e-s-"+xs[0])); got != "Cette séance est complète : décochez-la pour vous inscrire aux autres." {
		t.Errorf("full session error %q", got)
	}
	if byID(full.doc, "e-s-"+xs[1]) != nil {
		t.Error("the session with seats is marked full")
	}
	// Registering for all sessions includes the full one.
	e.page("POST", "/m/"+m+"/register", regForm("Léa Tremblay", "lea@example.org", "fr-CA", "America/Montreal")).isPage(t, 409, "en", "ltr")
	e.page("POST", "/m/"+m+"/register", regForm("Léa Tremblay", "lea@example.org", "fr-CA", "America/Montreal", xs[1])).isPage(t, 200, "en", "ltr")

	e.token = e.planner
	e.must(200, e.do("PUT", "/v1/meetings/"+m+"/registration-settings", map[string]any{"closed": true}))
	e.token = ""
	closed := e.page("GET", "/m/"+m+"?lang=pt", nil)
	if !strings.Contains(textOf(closed.doc), "As inscrições para esta reunião estão encerradas.") || byID(closed.doc, "f-name") != nil {
		t.Errorf("closed page still shows the form")
	}
	e.page("POST", "/m/"+m+"/register", regForm("Rui Costa", "rui@example.org", "pt-BR", "America/Sao_Paulo")).isPage(t, 409, "en", "ltr")
}

// The registrant's pages on their signed links: change the zone, download a session's
// .ics, unsubscribe by the page and by RFC 8058's one-click POST, unregister.
func TestRegistrantPages(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m, xs := e.publicForum()
	reg := e.must(201, e.do("POST", "/v1/meetings/"+m+"/registrations", map[string]any{"name": "Léa Tremblay", "email": "lea@example.org",
		"locale": "fr-CA", "tz": "America/Montreal", "sessions": []string{xs[0]}, "consent_reminders": true}))
	id, links := reg["id"].(string), reg["links"].(map[string]any)
	e.token = ""
	// The email's JSON manage link opens the page in a browser; programs keep the JSON.
	manage, _ := url.Parse(links["manage"].(string))
	hop := e.page("GET", manage.RequestURI(), nil)
	if hop.Status != http.StatusSeeOther || !strings.HasPrefix(hop.Header.Get("Location"), "/r/"+id+"?token=") {
		t.Fatalf("browser on the manage link: %d %v", hop.Status, hop.Header)
	}
	if j := e.do("GET", manage.RequestURI(), nil); j.Status != 200 || j.JSON(t)["id"] != id {
		t.Fatalf("program on the manage link: %d", j.Status)
	}
	p := e.page("GET", hop.Header.Get("Location"), nil)
	p.isPage(t, 200, "fr", "ltr")
	if p.Header.Get("Cache-Control") != "no-store" || p.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("private page headers %v", p.Header)
	}
	action := attr(find(p.doc, func(n *html.Node) bool { return n.Data == "form" }), "action")
	saved := e.page("POST", action, url.Values{"locale": {"fr-CA"}, "tz": {"Europe/Paris"}, "scope": {"some"}, "session": {xs[0], xs[1]}, "consent": {"yes"}})
	if saved.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", saved.Status, saved.Body)
	}
	after := e.page("GET", saved.Header.Get("Location"), nil)
	if !strings.Contains(textOf(after.doc), "Vos modifications sont enregistrées.") || !strings.Contains(textOf(after.doc), "Europe/Paris") {
		t.Errorf("after save: %s", textOf(after.doc))
	}
	r := e.do("GET", manage.RequestURI(), nil).JSON(t)
	if r["tz"] != "Europe/Paris" || len(r["sessions"].([]any)) != 2 {
		t.Errorf("registration after save: %v", r)
	}
	// One session's .ics, read by a real iCalendar parser.
	icsLink := find(after.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "href"), "/ics/"+xs[0]) })
	ics := e.do("GET", attr(icsLink, "href"), nil)
	cal, err := ical.NewDecoder(bytes.NewReader(ics.Body)).Decode()
	if err != nil || ics.Status != 200 {
		t.Fatalf("ics %d: %v\n%s", ics.Status, err, ics.Body)
	}
	ev := cal.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	if start, err := ev[0].DateTimeStart(time.UTC); err != nil || !start.Equal(time.Date(2026, 12, 8, 15, 30, 0, 0, time.UTC)) {
		t.Errorf("DTSTART %v %v", start, err)
	}
	// And by Mozilla's ical.js: the meeting and the session in French, tagged fr;
	// 16:30 in Zurich (UTC+1 in December) is 15:30 UTC.
	if r := icaljstest.One(t, ics.Body); len(r.Events) != 1 || r.Events[0].Summary == nil ||
		r.Events[0].Summary.Value != "Forum mondial de l’eau — Séance plénière d’ouverture" || r.Events[0].Summary.Language != "fr" ||
		r.Events[0].DTStart.UTC != "2026-12-08T15:30:00.000Z" || r.Events[0].Status != "CONFIRMED" {
		t.Errorf("the session's .ics by ical.js: %+v", r.Events)
	}
	google := find(after.doc, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "href"), "https://calendar.google.com/") })
	if g, _ := url.Parse(attr(google, "href")); g == nil || g.Query().Get("dates") != "20261208T153000Z/20261208T173000Z" {
		t.Errorf("Google link %v", attr(google, "href"))
	}

	// Unsubscribe: the page names the meeting in French and changes nothing; the button does.
	unsub, _ := url.Parse(links["unsubscribe"].(string))
	hop = e.page("GET", unsub.RequestURI(), nil)
	u := e.page("GET", hop.Header.Get("Location"), nil)
	u.isPage(t, 200, "fr", "ltr")
	if !strings.Contains(textOf(u.doc), "Forum mondial de l’eau") {
		t.Errorf("unsubscribe page does not name the meeting: %s", textOf(u.doc))
	}
	if r := e.do("GET", manage.RequestURI(), nil).JSON(t); r["unsubscribed"] != false {
		t.Fatal("the page's GET unsubscribed")
	}
	form := find(u.doc, func(n *html.Node) bool { return n.Data == "form" })
	done := e.page("POST", attr(form, "action"), url.Values{})
	if !strings.Contains(textOf(done.doc), "Vous ne recevrez plus de courriel au sujet de Forum mondial de l’eau.") {
		t.Errorf("done: %s", textOf(done.doc))
	}
	oneClick := e.page("POST", attr(form, "action"), url.Values{"List-Unsubscribe": {"One-Click"}})
	if oneClick.Status != 200 {
		t.Errorf("RFC 8058 one-click: %d", oneClick.Status)
	}
	if r := e.do("GET", manage.RequestURI(), nil).JSON(t); r["unsubscribed"] != true {
		t.Fatal("not unsubscribed")
	}

	// Unregister.
	un := find(after.doc, func(n *html.Node) bool { return n.Data == "form" && strings.Contains(attr(n, "action"), "/unregister") })
	bye := e.page("POST", attr(un, "action"), url.Values{})
	bye.isPage(t, 200, "fr", "ltr")
	if e.do("GET", manage.RequestURI(), nil).Status != http.StatusNotFound {
		t.Error("registration still there")
	}
}

// A link that does not open (altered, of another purpose, expired, missing) gets a page in
// the reader's language with 403, 410 or 401, never JSON and never a 500; through the
// email's JSON link too.
func TestPagesRefuseLinksThatDoNotOpen(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m, xs := e.publicForum()
	reg := e.must(201, e.do("POST", "/v1/meetings/"+m+"/registrations", map[string]any{"name": "Ana", "email": "ana@example.org",
		"locale": "es", "tz": "America/Bogota", "consent_reminders": true}))
	id := reg["id"].(string)
	e.token = ""
	good := e.keys.Sign(signed.Registration, id, e.clock.Now().Add(time.Hour))
	tampered := good[:len(good)-2] + "xx"
	other := e.keys.Sign(signed.Calendar, id, e.clock.Now().Add(time.Hour))
	expired := e.keys.Sign(signed.Registration, id, e.clock.Now().Add(-time.Minute))
	unsubExpired := e.keys.Sign(signed.Unsubscribe, id, e.clock.Now().Add(-time.Minute))
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/r/" + id + "?token=" + url.QueryEscape(tampered), 403, "Este enlace no funciona"},
		{"GET", "/r/" + id + "?token=" + url.QueryEscape(other), 403, "Este enlace no funciona"},
		{"GET", "/r/" + id + "?token=" + url.QueryEscape(expired), 410, "Este enlace ha caducado."},
		{"GET", "/r/" + id, 401, "Este enlace no funciona"},
		{"GET", "/r/" + id + "/confirm?token=" + url.QueryEscape(tampered), 403, "Este enlace no funciona"},
		{"POST", "/r/" + id + "?token=" + url.QueryEscape(expired), 410, "Este enlace ha caducado."},
		{"POST", "/r/" + id + "/unregister?token=" + url.QueryEscape(tampered), 403, "Este enlace no funciona"},
		{"GET", "/r/" + id + "/ics/" + xs[0] + "?token=" + url.QueryEscape(tampered), 403, "Este enlace no funciona"},
		{"GET", "/r/someone-else?token=" + url.QueryEscape(good), 403, "Este enlace no funciona"},
		{"GET", "/u/" + url.PathEscape(tampered), 403, "Este enlace no funciona"},
		{"GET", "/u/" + url.PathEscape(unsubExpired), 410, "Este enlace ha caducado."},
		{"POST", "/u/" + url.PathEscape(tampered), 403, "Este enlace no funciona"},
	} {
		var form url.Values
		if tc.method == "POST" {
			form = url.Values{}
		}
		p := e.page(tc.method, tc.path, form, "Accept-Language", "es-CO,es;q=0.9")
		if p.Status != tc.status || p.doc == nil || !strings.Contains(textOf(p.doc), tc.want) {
			t.Errorf("%s %s: %d %s\n%.300s", tc.method, tc.path, p.Status, p.Header.Get("Content-Type"), p.Body)
		}
	}
	// The email's JSON link, altered, opened in a browser: the page, not problem+json.
	hop := e.page("GET", "/v1/registrations/"+id+"?token="+url.QueryEscape(tampered), nil, "Accept-Language", "ar")
	p := e.page("GET", hop.Header.Get("Location"), nil, "Accept-Language", "ar")
	p.isPage(t, 403, "ar", "rtl")
}

// The per-address rate limit answers a reader of the pages with a page in their language
// (and Retry-After), while a program calling the API keeps problem+json.
func TestRateLimitedPagesAreLocalizedPages(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	deps.Limits = auth.Limits{PerToken: 1, TokenBurst: 100, PerIP: 1, IPBurst: 2}
	e := startEnv(t, d, clock, deps, keys, links)
	m, _ := e.publicForum() // with the planner's token: its own bucket
	e.token = ""
	// The clock stands still, so the address's bucket never refills.
	e.page("GET", "/m/"+m+"?lang=fr", nil).isPage(t, 200, "fr", "ltr")
	e.page("GET", "/m/"+m+"?lang=fr", nil).isPage(t, 200, "fr", "ltr")

	for _, tc := range []struct {
		path, acceptLanguage, lang, dir, heading, text string
	}{
		{"/m/" + m + "?lang=fr", "", "fr", "ltr", "Trop de demandes",
			"Trop de pages ont été demandées depuis votre connexion. Veuillez patienter un instant, puis réessayer."},
		{"/r/" + m + "/confirm?token=x", "ar-EG,ar;q=0.9", "ar", "rtl", "طلبات كثيرة جدًا",
			"طُلب عدد كبير جدًا من الصفحات من اتصالك. يُرجى الانتظار قليلًا ثم المحاولة مجددًا."},
		{"/m/" + m + "?lang=tlh", "tlh", "en", "ltr", "Too many requests",
			"Too many pages were requested from your connection. Please wait a moment, then try again."},
	} {
		headers := []string{}
		if tc.acceptLanguage != "" {
			headers = append(headers, "Accept-Language", tc.acceptLanguage)
		}
		p := e.page("GET", tc.path, nil, headers...)
		p.isPage(t, 429, tc.lang, tc.dir)
		if p.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 429 page without Retry-After", tc.path)
		}
		if h := textOf(find(p.doc, func(n *html.Node) bool { return n.Data == "h1" })); h != tc.heading {
			t.Errorf("%s: heading %q, want %q", tc.path, h, tc.heading)
		}
		if got := textOf(find(p.doc, func(n *html.Node) bool { return n.Data == "p" && attr(n, "role") == "status" })); got != tc.text {
			t.Errorf("%s: text %q, want %q", tc.path, got, tc.text)
		}
	}
	// A program asking the page route for the JSON agenda gets problem+json.
	e.do("GET", "/m/"+m, nil, "Accept", "application/json").Problem(t, 429, "rate_limited")
	// The API, even asked by a browser, keeps its problem+json.
	r := e.do("GET", "/v1/meetings/"+m+"/agenda", nil, "Accept", "text/html")
	r.Problem(t, 429, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}
