package interpretation

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
)

// verifyLink checks the signed link of an interpreter's self-service route: the token
// must be for purpose assignment and name this very assignment. The API's access policy
// checks the same before the handler runs; the handler does not rely on being mounted
// behind it.
func (h *Handlers) verifyLink(c *gin.Context) (string, error) {
	if h.keys == nil {
		return "", problem.New(problem.KindInternal, "links_unavailable", "signed links are not configured")
	}
	id := c.Param("id")
	subject, err := h.keys.Verify(c.Query("token"), signed.Assignment, h.now())
	switch {
	case errors.Is(err, signed.ErrExpired):
		return "", problem.New(problem.KindGone, "link_expired", "this link has expired; ask the secretariat for a new one")
	case err != nil || subject != id:
		return "", problem.New(problem.KindForbidden, "link_invalid", "this link is not valid for this assignment")
	}
	return id, nil
}

var respondPage = template.Must(template.New("respond").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.T.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}dt{font-weight:600}button{font-size:1rem;padding:.5rem 1.25rem;margin-inline-end:1rem}</style>
</head><body>
<h1>{{.T.Title}}</h1>
<p>{{.Dear.Before}}<bdi>{{.Name}}</bdi>{{.Dear.After}}</p>
<dl>
<dt>{{.T.Booth}}</dt><dd>{{.Booth}}</dd>
<dt>{{.T.Role}}</dt><dd>{{.Role}}</dd>
<dt>{{.T.Session}}</dt>{{if .SessionLang}}<dd lang="{{.SessionLang}}" dir="{{.SessionDir}}">{{else}}<dd>{{end}}{{.Session}}</dd>
<dt>{{.TimeLabel.Before}}<bdi>{{.TZ}}</bdi>{{.TimeLabel.After}}</dt><dd>{{.Start}} – {{.End}}</dd>
<dt>{{.T.Status}}</dt><dd>{{.State}}</dd>
</dl>
{{if .CanRespond}}
{{if eq .Action "accept"}}<p>{{.T.ConfirmAccept}}</p>{{else if eq .Action "decline"}}<p>{{.T.ConfirmDecline}}</p>{{end}}
{{if ne .Action "decline"}}<form method="post" action="{{.AcceptURL}}"><button type="submit">{{.T.Accept}}</button></form>{{end}}
{{if ne .Action "accept"}}<form method="post" action="{{.DeclineURL}}"><button type="submit">{{.T.Decline}}</button></form>{{end}}
{{if .Action}}<p><a href="{{.BothURL}}">{{.T.BothChoices}}</a></p>{{end}}
{{else}}<p>{{.Message}}</p>{{end}}
</body></html>`))

// respondText is every visible sentence of the interpreter's page in one language, read
// from the shared catalogue (services/platform/i18n), where the emails' sentences are too.
// Dear, Time and NothingToAnswer hold one %s: the name, the zone and the state's name.
type respondText struct {
	Title, Dear, Booth, Role, Session, Time, Status       string
	Accept, Decline, ConfirmAccept, ConfirmDecline        string
	BothChoices, Accepted, Declined, NothingToAnswer, Sep string
	States, Roles                                         map[string]string
}

var respondStates = []string{StateProposed, StateOffered, StateAccepted, StateDeclined, StateWithdrawn}

var respondRoles = []string{string(interp.RoleInterpreter), string(interp.RoleRetour), string(interp.RoleRelayGiver), string(interp.RoleRelayTaker)}

// respondTextIn reads the page's sentences in lang. A format with a hole is read with
// Sprintf("%s") kept as the hole.
func respondTextIn(lang language.Tag) respondText {
	p := i18n.Printer(lang)
	hole := func(key string) string { return p.Sprintf(key, "%s") }
	t := respondText{
		Title: p.Sprintf("assignment.title"), Dear: hole("assignment.dear"),
		Booth: p.Sprintf("label.booth"), Role: p.Sprintf("assignment.role"), Session: p.Sprintf("label.session"),
		Time: hole("assignment.time"), Status: p.Sprintf("assignment.status"),
		Accept: p.Sprintf("assignment.accept"), Decline: p.Sprintf("assignment.decline"),
		ConfirmAccept: p.Sprintf("assignment.confirm_accept"), ConfirmDecline: p.Sprintf("assignment.confirm_decline"),
		BothChoices: p.Sprintf("assignment.both_choices"), Accepted: p.Sprintf("assignment.accepted"),
		Declined: p.Sprintf("assignment.declined"), NothingToAnswer: hole("assignment.nothing_to_answer"),
		Sep: p.Sprintf("sep.list"), States: map[string]string{}, Roles: map[string]string{},
	}
	for _, st := range respondStates {
		t.States[st] = p.Sprintf("assignment.state." + st)
	}
	for _, r := range respondRoles {
		t.Roles[r] = p.Sprintf("assignment.role." + r)
	}
	return t
}

// respondLanguage picks the page's language with the one chain of i18n: the
// interpreter's locale or its base language (fr-CA -> fr), the meeting's default
// language, English.
func respondLanguage(locale, meetingDefault string) language.Tag {
	return i18n.Choose(locale, meetingDefault)
}

// direction is the writing direction of a language's usual script.
func direction(tag language.Tag) string { return i18n.Dir(tag) }

// hole is a sentence around user text, split at its %s so that the page can set the
// text apart in <bdi>: a Latin name then reads right in an Arabic sentence.
type hole struct{ Before, After string }

func split(format string) hole {
	b, a, _ := strings.Cut(format, "%s")
	return hole{Before: b, After: a}
}

// roleText names a role ("retour+relay_giver") in the page's language; unknown flags
// show as stored.
func (t respondText) roleText(role string) string {
	flags := strings.Split(role, "+")
	for i, f := range flags {
		if s, ok := t.Roles[f]; ok {
			flags[i] = s
		}
	}
	return strings.Join(flags, t.Sep)
}

func (t respondText) stateText(state string) string {
	if s, ok := t.States[state]; ok {
		return s
	}
	return state
}

type respondView struct {
	T                              respondText
	Lang, Dir                      string
	Dear, TimeLabel                hole
	Name, Booth, Role, Session, TZ string
	SessionLang, SessionDir        string // set when the title is not in the page's language
	Start, End, State, Message     string
	AcceptURL, DeclineURL, BothURL string
	// Action is the choice the email's link named ("accept" or "decline"): the page
	// asks to confirm that one. Empty shows both.
	Action     string
	CanRespond bool
}

// renderRespond writes the page in the interpreter's language. answered is the state the
// interpreter has just chosen through the page's form, or "" when only looking.
func (h *Handlers) renderRespond(c *gin.Context, status int, a Assignment, answered string) {
	it, err := h.svc.Interpreter(c, a.InterpreterID)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	x, err := h.svc.agenda.Session(c, a.SessionID)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	m, err := h.svc.agenda.Meeting(c, x.MeetingID)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	lang := respondLanguage(it.Locale, m.DefaultLang)
	t := respondTextIn(lang)
	// Dates take the locale itself when it is of the page's language, so that its
	// region's digits apply (ar: Arabic-Indic, ar-MA: Latin).
	dateLang := lang.String()
	if tag, err := language.Parse(it.Locale); err == nil {
		if b, _ := tag.Base(); b.String() == dateLang {
			dateLang = it.Locale
		}
	}
	loc := it.Zone()
	end := zone.FormatTime(x.EndUTC, loc, dateLang)
	if x.StartUTC.In(loc).Format(time.DateOnly) != x.EndUTC.In(loc).Format(time.DateOnly) {
		// A session past local midnight names the day it ends.
		end = zone.FormatDateTime(x.EndUTC, loc, dateLang)
	}
	title := i18n.Pick(x.Title, it.Locale, m.DefaultLang)
	q := "?token=" + url.QueryEscape(c.Query("token"))
	v := respondView{T: t, Lang: lang.String(), Dir: direction(lang), Dear: split(t.Dear), TimeLabel: split(t.Time),
		Name: it.Name, Booth: strings.ToUpper(a.Booth), Role: t.roleText(a.Role), Session: title.Text, TZ: it.TZ,
		Start: zone.FormatDateTime(x.StartUTC, loc, dateLang), End: end, State: t.stateText(a.State),
		CanRespond: a.State == StateOffered,
		AcceptURL:  signed.AssignmentPath(a.ID, "accept") + q, DeclineURL: signed.AssignmentPath(a.ID, "decline") + q,
		BothURL: signed.AssignmentPath(a.ID, "respond") + q}
	if tag, err := language.Parse(title.Lang); err == nil {
		if b, _ := tag.Base(); b.String() != lang.String() {
			v.SessionLang, v.SessionDir = tag.String(), direction(tag)
		}
	}
	if act := c.Query("action"); act == "accept" || act == "decline" {
		v.Action = act
	}
	switch {
	case answered == StateAccepted:
		v.Message = t.Accepted
	case answered == StateDeclined:
		v.Message = t.Declined
	case !v.CanRespond:
		v.Message = fmt.Sprintf(t.NothingToAnswer, v.State)
	}
	var buf bytes.Buffer
	if err := respondPage.Execute(&buf, v); err != nil {
		httpx.Fail(c, problem.Internal(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// respondPage shows the assignment with Accept and Decline buttons. It changes nothing:
// a link prefetcher or scanner that GETs it accepts nothing.
func (h *Handlers) respondPage(c *gin.Context) {
	id, err := h.verifyLink(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	a, err := h.svc.Assignment(c, id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	h.renderRespond(c, http.StatusOK, a, "")
}

// respond accepts or declines by POST with the signed link; an HTML form gets a page
// back, an API client JSON.
func (h *Handlers) respond(to string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := h.verifyLink(c)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		res, err := h.svc.Transition(c, id, -1, to)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		if strings.Contains(c.GetHeader("Accept"), "text/html") {
			h.renderRespond(c, http.StatusOK, res.Assignment, to)
			return
		}
		httpx.SetVersion(c, res.Assignment.Version)
		httpx.JSON(c, http.StatusOK, transitionJSON(res))
	}
}
