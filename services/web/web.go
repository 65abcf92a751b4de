// Package web serves the pages people open in a browser: a public meeting's agenda in the
// reader's language and zone with its registration form (double opt-in), and, on the
// signed links of their emails, a registrant's pages to confirm, manage, unsubscribe and
// add sessions to a calendar. Pages are server-rendered html/template, work without
// script (one small script reads the browser's zone), carry lang and dir, and answer a
// localized page, never JSON, for a link that does not open.
//
// Every rule lives in the services the API uses (agenda, registration); this package
// parses forms, calls them and renders.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the pages need; main builds them.
type Deps struct {
	Agenda        *agenda.Service
	Registrations *registration.Service
	// Links sign the confirmation and calendar links (the keys that verify them too).
	Links signed.Links
	// Organizer names the sender in the .ics of a session (RFC 5545 wants one).
	Organizer ics.Person
	Now       func() time.Time
	Log       *slog.Logger
	// Limits of the registration form; zero values are the defaults.
	Limits Limits
}

// Handlers serves the pages.
type Handlers struct {
	d     Deps
	tmpl  *template.Template
	byIP  *limiter
	byKey *limiter
	zones []string
}

// New parses the templates.
func New(d Deps) *Handlers {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Organizer.Email == "" {
		// The address of --mail-from's default: an .ics needs an organizer.
		d.Organizer = ics.Person{Name: "Plenary", Email: "notices@plenary.invalid"}
	}
	lim := d.Limits.withDefaults()
	return &Handlers{
		d:     d,
		tmpl:  template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")),
		byIP:  newLimiter(lim.PerIP, lim.Window),
		byKey: newLimiter(lim.PerEmail, lim.Window),
		zones: zone.Names(),
	}
}

var funcs = template.FuncMap{
	"dirOf": i18n.DirOf,
}

// Register mounts the pages. Their access is public in the API's policy: each handler
// verifies its signed link itself, so that a link that does not open gets a page in the
// reader's language instead of the API's problem+json.
func (h *Handlers) Register(r gin.IRoutes) {
	r.GET("/m/:id", h.publicPage)
	r.POST("/m/:id/register", h.register)
	r.GET("/r/:id", h.registrantPage(h.managePage))
	r.POST("/r/:id", h.registrantPage(h.update))
	r.GET("/r/:id/confirm", h.registrantPage(h.confirm))
	r.POST("/r/:id/unregister", h.registrantPage(h.unregister))
	r.GET("/r/:id/ics/:session", h.registrantPage(h.sessionICS))
	r.GET("/u/:token", h.unsubscribePage)
	r.POST("/u/:token", h.unsubscribe)
	r.GET("/static/:file", h.static)
}

// tr prints the catalogue's sentences in one language; templates call {{.T.S "key"}}.
type tr struct {
	tag language.Tag
}

// S prints a message with its arguments.
func (t tr) S(key string, args ...any) string { return i18n.Printer(t.tag).Sprintf(key, args...) }

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// frame is what every page's layout shows.
type frame struct {
	T       tr
	Lang    string
	Dir     string
	Title   string
	Langs   []langLink
	Script  bool // the zone script (public page only)
	Content any
}

func (h *Handlers) newFrame(lang language.Tag, title string, switchURL func(code string) string) frame {
	f := frame{T: tr{lang}, Lang: lang.String(), Dir: i18n.Dir(lang), Title: title}
	if switchURL != nil {
		for _, l := range i18n.Languages {
			f.Langs = append(f.Langs, langLink{Code: l.String(), Name: i18n.SelfName(l), URL: switchURL(l.String()), Current: l == lang})
		}
	}
	return f
}

// csp allows the page's own stylesheet and script, and forms that post to itself.
const csp = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// render writes a page. private pages (signed links) are never cached and never leak
// their token through the Referer.
func (h *Handlers) render(c *gin.Context, status int, name string, f frame, private bool) {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, f); err != nil {
		h.d.Log.Error("render page", "page", name, "error", err.Error())
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error"))
		return
	}
	c.Header("Content-Security-Policy", csp)
	c.Header("Content-Language", f.Lang)
	if private {
		c.Header("Cache-Control", "no-store")
		c.Header("Referrer-Policy", "no-referrer")
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// message is a page with a heading and a sentence (confirmations, errors).
type message struct {
	Heading, Text string
	Back          string // a link back, optional
}

// fail answers a failure as a page in lang: link errors, not found, refused, internal.
func (h *Handlers) fail(c *gin.Context, lang language.Tag, err error) {
	p := problem.From(err)
	t := tr{lang}
	status := p.Kind.Status()
	m := message{Heading: t.S("page.error_title"), Text: t.S("page.error")}
	switch {
	case p.Code == "link_expired":
		m = message{Heading: t.S("page.link_invalid_title"), Text: t.S("page.link_expired")}
	case p.Code == "link_invalid" || p.Code == "token_required":
		m = message{Heading: t.S("page.link_invalid_title"), Text: t.S("page.link_invalid")}
	case p.Kind == problem.KindTooManyRequests:
		m = message{Heading: t.S("page.rate_title"), Text: t.S("page.rate_limited")}
	case p.Kind == problem.KindNotFound:
		m = message{Heading: t.S("page.not_found_title"), Text: t.S("page.not_found")}
	case p.Kind == problem.KindInternal:
		httpx.Logger(c).Error("page failed", "error", err.Error())
	}
	f := h.newFrame(lang, m.Heading, nil)
	f.Content = m
	h.render(c, status, "message.html", f, true)
}

// IsPage reports whether a route (as Gin names it) is one of the pages a browser reads.
func IsPage(route string) bool {
	for _, prefix := range []string{"/m/", "/r/", "/u/"} {
		if strings.HasPrefix(route, prefix) {
			return true
		}
	}
	return false
}

// Refused answers a refusal of the API's access check (the per-address rate limit) on a
// page route as a page in the reader's language, and reports whether it did: a reader
// in a browser gets a sentence, not problem+json. API routes, and a client of a page
// route that asks for JSON, are left to the API. The
// meeting is not read (the refusal comes before any work), so the chain is ?lang=, the
// browser's languages, then English.
func (h *Handlers) Refused(c *gin.Context, err error) bool {
	if !IsPage(c.FullPath()) || c.NegotiateFormat(gin.MIMEHTML, gin.MIMEJSON) == gin.MIMEJSON {
		return false // a program asking a page route for JSON (the public agenda) keeps JSON
	}
	h.fail(c, readerLanguage(c, ""), err)
	return true
}

// readerLanguage is the language of a page for a reader without a registration: the
// ?lang= switcher, else the browser's Accept-Language, else the meeting's default.
func readerLanguage(c *gin.Context, meetingDefault string) language.Tag {
	return i18n.Choose(c.Query("lang"), i18n.FromAcceptLanguage(c.GetHeader("Accept-Language")), meetingDefault)
}

// verify checks a signed link of purpose p naming subject (any subject when "").
func (h *Handlers) verify(token string, p signed.Purpose, subject string) (string, error) {
	if token == "" {
		return "", problem.New(problem.KindUnauthorized, "token_required", "this link needs its token")
	}
	got, err := h.d.Links.Keys.Verify(token, p, h.d.Now())
	switch {
	case errors.Is(err, signed.ErrExpired):
		return "", problem.New(problem.KindGone, "link_expired", "this link has expired")
	case err != nil || (subject != "" && got != subject):
		return "", problem.New(problem.KindForbidden, "link_invalid", "this link is not valid")
	}
	return got, nil
}

// etagOf is a strong ETag of a rendered page.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"p-` + hex.EncodeToString(sum[:12]) + `"`
}

func (h *Handlers) static(c *gin.Context) {
	name := c.Param("file")
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil || strings.Contains(name, "/") {
		c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("not found"))
		return
	}
	ct := "text/css; charset=utf-8"
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, ct, b)
}

// withQuery returns path with the query values set (empty values dropped).
func withQuery(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// BrowserLinks sends a browser that opens an email's JSON link to its page: the manage
// link (/v1/registrations/{id}?token=) to /r/{id}, the unsubscribe link to /u/{token}.
// Programs (no Accept, */*, application/json) keep the JSON API on the same routes. It runs
// before the API's access check, so that a link that does not open still gets a page.
func BrowserLinks() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodGet {
			return
		}
		// The route first: reading Accept on every GET would cost every reader of the API.
		var to string
		switch c.FullPath() {
		case "/v1/registrations/:id":
			to = manageURL(c.Param("id"), c.Query("token"), "")
		case "/v1/unsubscribe/:token":
			to = "/u/" + url.PathEscape(c.Param("token"))
		default:
			return
		}
		if c.NegotiateFormat(gin.MIMEJSON, gin.MIMEHTML) != gin.MIMEHTML {
			return
		}
		c.Header("Referrer-Policy", "no-referrer")
		c.Redirect(http.StatusSeeOther, to)
		c.Abort()
	}
}
