package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// needBrowser finds Debian's chromium and the axe-core that .ci/run installs with npm ci.
// Without them the test fails under CI and skips, saying why, on a developer's machine.
func needBrowser(t *testing.T) (chromium, axe string) {
	t.Helper()
	var missing []string
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		missing = append(missing, "chromium (apt-get install chromium)")
	}
	axe = filepath.Join("testdata", "browser", "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(axe); err != nil {
		missing = append(missing, "axe-core (npm ci in services/cmd/plenary/testdata/browser)")
	}
	if len(missing) > 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need %s", strings.Join(missing, " and "))
		}
		t.Skipf("browser tests skipped: %s missing", strings.Join(missing, " and "))
	}
	return chromium, axe
}

// screenshotDir is where the public page's screenshots go: $PLENARY_SCREENSHOTS, else
// bin/screenshots at the repository's root.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("PLENARY_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "bin", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stack is `plenary serve` on a fresh data directory, with a public meeting.
type stack struct {
	t       *testing.T
	base    string
	dir     string
	token   string
	meeting string
	open    string // a session with seats
	full    string // a session whose one seat is taken
	start   time.Time
}

func startServe(t *testing.T, ctx context.Context) *stack {
	t.Helper()
	dir := t.TempDir()
	c, err := parseConfig("serve", []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--demo=false", "--log-level", "error",
		"--notifier-schedule", "@every 1s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, io.Discard, ready) }()
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	s := &stack{t: t, dir: dir}
	select {
	case addr := <-ready:
		s.base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	s.token = strings.TrimSpace(mustRead(t, filepath.Join(dir, adminTokenFile)))
	// Three weeks ahead, 16:30-18:30 in Geneva; a coffee-break-separated second block.
	day := time.Now().UTC().AddDate(0, 0, 21).Format(time.DateOnly)
	zurich, _ := time.LoadLocation("Europe/Zurich")
	s.start, _ = time.ParseInLocation("2006-01-02T15:04", day+"T16:30", zurich)
	s.meeting = s.api("POST", "/v1/meetings", map[string]any{
		"title": map[string]string{"en": "Global Forum on Water", "fr": "Forum mondial de l’eau", "ar": "المنتدى العالمي للمياه",
			"zh": "全球水论坛", "es": "Foro Mundial del Agua"},
		"venue_tz": "Europe/Zurich", "format": "hybrid", "default_lang": "en", "platform": "zoom", "public": true})["id"].(string)
	s.open = s.api("POST", "/v1/meetings/"+s.meeting+"/sessions", map[string]any{
		"title": map[string]string{"en": "Opening plenary", "fr": "Séance plénière d’ouverture", "ar": "الجلسة العامة الافتتاحية", "zh": "开幕全体会议"},
		"start": day + "T16:30", "duration_min": 120, "tz": "Europe/Zurich",
		"floor_languages": []string{"en", "fr", "ar"}, "output_languages": []string{"en", "fr", "es", "ar", "zh"}})["id"].(string)
	s.api("POST", "/v1/sessions/"+s.open+"/items", map[string]any{"title": map[string]string{"en": "Welcome", "fr": "Allocution de bienvenue", "ar": "كلمة ترحيب"},
		"start": "16:30", "end": "16:45", "speakers": []map[string]string{{"name": "Amina Diallo", "affiliation": "Ministry of Water and Sanitation, Senegal",
			"stakeholder_group": "Governments", "regional_group": "African Group", "language": "fr"}}})
	s.full = s.api("POST", "/v1/meetings/"+s.meeting+"/sessions", map[string]any{
		"title": map[string]string{"en": "Side event: water diplomacy", "fr": "Manifestation parallèle : diplomatie de l’eau"},
		"start": day + "T19:00", "duration_min": 60, "tz": "Europe/Zurich", "floor_languages": []string{"en"}})["id"].(string)
	s.api("PUT", "/v1/meetings/"+s.meeting+"/registration-settings", map[string]any{"seats": map[string]int{s.full: 1}})
	s.api("POST", "/v1/meetings/"+s.meeting+"/registrations", map[string]any{"name": "Kofi Mensah", "email": "kofi@example.org",
		"locale": "en-GH", "tz": "Africa/Accra", "sessions": []string{s.full}, "consent_reminders": true})
	return s
}

func (s *stack) api(method, path string, body any) map[string]any {
	s.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// mailText is the plain-text part of each message of the mail folder sent to addr.
func (s *stack) mailTo(addr string, subjectPrefix string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(s.dir, "mail", "*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			msg, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil || !strings.Contains(msg.Header.Get("To"), addr) {
				continue
			}
			var dec mime.WordDecoder
			subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
			if !strings.HasPrefix(subject, subjectPrefix) {
				continue
			}
			if text := plainPart(s.t, msg.Header, msg.Body); text != "" {
				return text
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.t.Fatalf("no email %q… to %s in the mail folder", subjectPrefix, addr)
	return ""
}

func plainPart(t *testing.T, h interface{ Get(string) string }, body io.Reader) string {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if text := plainPart(t, p.Header, p); text != "" {
				return text
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	var r io.Reader = body
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(body)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

func linkWith(t *testing.T, text, part string) string {
	t.Helper()
	for _, l := range linkRE.FindAllString(text, -1) {
		if strings.Contains(l, part) {
			return l
		}
	}
	t.Fatalf("no link with %q in:\n%s", part, text)
	return ""
}

// tab is one browser tab of a reader: a language, a zone.
type tab struct {
	t   *testing.T
	ctx context.Context
	axe string
}

func newTab(t *testing.T, browser context.Context, axeSrc, acceptLanguage, zone string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": acceptLanguage}}); err != nil {
		t.Fatal(err)
	}
	return &tab{t: t, ctx: ctx, axe: axeSrc}
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// fill sets a field's value as typing would, by script (CSS selector, value).
func (b *tab) fill(fields ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		sel, _ := json.Marshal(fields[i])
		val, _ := json.Marshal(fields[i+1])
		if got := b.eval(`(() => { const e = document.querySelector(` + string(sel) + `); e.value = ` + string(val) + `; e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return e.value; })()`); got != fields[i+1] {
			b.t.Fatalf("fill %s: value %q", fields[i], got)
		}
	}
}

// waitText waits until the page's visible text contains want (a form's answer loads).
func (b *tab) waitText(want string) string {
	b.t.Helper()
	var text string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" && document.body ? document.body.innerText : ""`))
		cancel()
		if err == nil {
			text = v
			if strings.Contains(text, want) {
				return text
			}
		}
	}
	b.t.Fatalf("page never showed %q; it shows:\n%s", want, text)
	return ""
}

// accessible runs axe-core in the page: no violation of WCAG 2.x level A or AA.
func (b *tab) accessible(what string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](b.axe+"\n;true")); err != nil {
		b.t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe-core: %v", err)
	}
	if out != "[]" {
		b.t.Errorf("%s: accessibility violations (WCAG A/AA): %s", what, out)
	}
}

func (b *tab) screenshot(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

var frenchWeekdays = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// The pages in a real browser (Debian's chromium, headless, a fresh profile): the French
// reader in Montreal registers for one session through the public page, confirms by the
// link of the email in the mail folder, changes zone on the manage page and unsubscribes;
// an Arabic reader sees the page right to left; a full session refuses the form in the
// reader's language; axe-core finds no WCAG A/AA violation on the public page, the form
// with its errors, and the manage page; screenshots of the public page in en, fr, ar, zh.
func TestBrowser(t *testing.T) {
	chromium, axePath := needBrowser(t)
	axeSrc := mustRead(t, axePath)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startServe(t, ctx)
	t.Cleanup(cancel) // serve stops before its cleanup waits for it

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	// The browser belongs to this context, not to the first tab, so that closing a tab
	// leaves it running for the next.
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	shots := screenshotDir(t)
	page := s.base + "/m/" + s.meeting

	t.Run("French reader in Montreal", func(t *testing.T) {
		montreal, _ := time.LoadLocation("America/Montreal")
		local := s.start.In(montreal)
		b := newTab(t, browser, axeSrc, "fr-CA,fr;q=0.9,en;q=0.5", "America/Montreal")
		// No ?tz=: the page's script reads the browser's zone and shows the agenda in it.
		b.do(chromedp.Navigate(page))
		// ICU names Montreal's zone by its tzdata link target, America/Toronto.
		browserZone := b.eval(`Intl.DateTimeFormat().resolvedOptions().timeZone`)
		text := b.waitText("Votre heure (" + browserZone + ")")
		for _, want := range []string{"Forum mondial de l’eau", "Séance plénière d’ouverture",
			frenchWeekdays[local.Weekday()] + " " + fmt.Sprint(local.Day()), fmt.Sprintf("%d h %02d", local.Hour(), local.Minute()), "Heure du lieu (Europe/Zurich)", "16 h 30", // fr-CA's time form (CLDR)
			"Amina Diallo", "African Group", "anglais, français, espagnol, arabe, chinois"} {
			if !strings.Contains(text, want) {
				t.Errorf("French page lacks %q:\n%s", want, text)
			}
		}
		if lang := b.eval(`document.documentElement.lang + " " + document.documentElement.dir`); lang != "fr ltr" {
			t.Errorf("html lang/dir %q", lang)
		}
		if u := b.eval(`location.search`); !strings.Contains(u, "tz="+url.QueryEscape(browserZone)) {
			t.Errorf("the zone script did not pick the browser's zone: %s", u)
		}
		b.screenshot(filepath.Join(shots, "public-fr.png"))
		b.accessible("public page (fr)")
		// On a phone: nothing wider than the screen.
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		if w := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
			t.Errorf("the page scrolls sideways on a 390 px phone")
		}
		b.do(chromedp.EmulateViewport(1024, 900))

		// Register for the opening only, with consent.
		b.fill("#f-name", "Léa Tremblay", "#f-email", "lea@example.org")
		b.do(chromedp.Click(chromedp.CSS("#scope-some")), chromedp.Click(chromedp.CSS(`[id="s-`+s.open+`"]`)),
			chromedp.Click(chromedp.CSS("#f-consent")), chromedp.Click(chromedp.CSS(`form[action*="/register"] button[type=submit]`)))
		b.waitText("Nous avons envoyé un lien de confirmation à lea@example.org.")

		ask := s.mailTo("lea@example.org", "Veuillez confirmer votre inscription")
		b.do(chromedp.Navigate(linkWith(t, ask, "/confirm?token=")))
		b.waitText("Merci : votre inscription est confirmée.")
		b.accessible("manage page (fr)")

		// Change the zone on the manage page.
		b.fill("#f-tz", "Europe/Paris")
		b.do(chromedp.Click(chromedp.CSS(`form[action^="/r/"]:not([action*="unregister"]) button[type=submit]`)))
		text = b.waitText("Vos modifications sont enregistrées.")
		if !strings.Contains(text, "Europe/Paris") {
			t.Errorf("zone not changed:\n%s", text)
		}

		// Unsubscribe from the link of the confirmation email.
		confirmed := s.mailTo("lea@example.org", "Inscription confirmée")
		b.do(chromedp.Navigate(linkWith(t, confirmed, "/v1/unsubscribe/")))
		b.waitText("Ne plus recevoir aucun courriel au sujet de Forum mondial de l’eau")
		b.do(chromedp.Click(chromedp.CSS(`form[action^="/u/"] button`)))
		b.waitText("Vous ne recevrez plus de courriel au sujet de Forum mondial de l’eau.")
	})

	t.Run("Arabic reader sees the page right to left", func(t *testing.T) {
		b := newTab(t, browser, axeSrc, "ar-EG,ar;q=0.9", "Africa/Cairo")
		b.do(chromedp.Navigate(page + "?tz=Africa/Cairo"))
		b.waitText("المنتدى العالمي للمياه")
		if got := b.eval(`document.documentElement.lang + " " + document.documentElement.dir + " " + getComputedStyle(document.querySelector("h1")).direction`); got != "ar rtl rtl" {
			t.Errorf("Arabic page: %q, want ar rtl rtl", got)
		}
		// The heading starts at the right edge of the page.
		if got := b.eval(`String(document.querySelector("h1").getBoundingClientRect().right > document.documentElement.clientWidth / 2)`); got != "true" {
			t.Errorf("the Arabic heading is not on the right")
		}
		b.screenshot(filepath.Join(shots, "public-ar.png"))
		b.accessible("public page (ar)")
	})

	t.Run("a full session refuses the form", func(t *testing.T) {
		b := newTab(t, browser, axeSrc, "fr-FR,fr;q=0.9", "Europe/Paris")
		b.do(chromedp.Navigate(page + "?tz=Europe/Paris"))
		text := b.waitText("Manifestation parallèle")
		if !strings.Contains(text, "Complet : plus aucune place") {
			t.Errorf("the full session is not said full:\n%s", text)
		}
		b.fill("#f-name", "Jean Dupont", "#f-email", "jean@example.org")
		b.do(chromedp.Click(chromedp.CSS("#scope-some")), chromedp.Click(chromedp.CSS(`[id="s-`+s.full+`"]`)),
			chromedp.Click(chromedp.CSS(`form[action*="/register"] button[type=submit]`)))
		b.waitText("Cette séance est complète : décochez-la pour vous inscrire aux autres.")
		if v := b.eval(`document.querySelector("#f-name").value + "|" + document.querySelector("#f-email").value`); v != "Jean Dupont|jean@example.org" {
			t.Errorf("the form lost what was typed: %q", v)
		}
		b.accessible("registration form with its errors (fr)")
		// Field errors of the empty form, next to their fields.
		b.fill("#f-name", "", "#f-email", "jean@")
		b.do(chromedp.Click(chromedp.CSS(`form[action*="/register"] button[type=submit]`)))
		b.waitText("Indiquez votre nom.")
		b.accessible("registration form with field errors (fr)")
	})

	t.Run("screenshots in en and zh", func(t *testing.T) {
		for _, tc := range []struct{ lang, accept, zone, want string }{
			{"en", "en-GB,en;q=0.9", "Asia/Tokyo", "Global Forum on Water"},
			{"zh", "zh-CN,zh;q=0.9", "Asia/Shanghai", "全球水论坛"},
		} {
			b := newTab(t, browser, axeSrc, tc.accept, tc.zone)
			b.do(chromedp.Navigate(page + "?tz=" + url.QueryEscape(tc.zone)))
			b.waitText(tc.want)
			b.screenshot(filepath.Join(shots, "public-"+tc.lang+".png"))
			b.accessible("public page (" + tc.lang + ")")
		}
	})
	if errors.Is(ctx.Err(), context.Canceled) {
		t.Log("serve stopped early")
	}
}
