package interpretation

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
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
<html lang="en"><head><meta charset="utf-8"><title>Interpretation assignment</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}dt{font-weight:600}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:1rem}</style>
</head><body>
<h1>Interpretation assignment</h1>
<p>Dear {{.Name}},</p>
<dl>
<dt>Booth</dt><dd>{{.Booth}}</dd>
<dt>Role</dt><dd>{{.Role}}</dd>
<dt>Session</dt><dd>{{.Session}}</dd>
<dt>Time ({{.TZ}})</dt><dd>{{.Start}} – {{.End}}</dd>
<dt>Status</dt><dd>{{.State}}</dd>
</dl>
{{if .CanRespond}}
{{if eq .Action "accept"}}<p>Please confirm that you accept this assignment.</p>{{else if eq .Action "decline"}}<p>Please confirm that you decline this assignment.</p>{{end}}
{{if ne .Action "decline"}}<form method="post" action="{{.AcceptURL}}"><button type="submit">Accept</button></form>{{end}}
{{if ne .Action "accept"}}<form method="post" action="{{.DeclineURL}}"><button type="submit">Decline</button></form>{{end}}
{{if .Action}}<p><a href="{{.BothURL}}">See both choices</a></p>{{end}}
{{else}}<p>{{.Message}}</p>{{end}}
</body></html>`))

type respondView struct {
	Name, Booth, Role, Session, TZ, Start, End, State, Message string
	AcceptURL, DeclineURL, BothURL                             string
	// Action is the choice the email's link named ("accept" or "decline"): the page
	// asks to confirm that one. Empty shows both.
	Action     string
	CanRespond bool
}

func (h *Handlers) renderRespond(c *gin.Context, status int, a Assignment, message string) {
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
	loc := it.Zone()
	title := x.Title["en"]
	for _, lang := range []string{it.Locale, strings.SplitN(it.Locale, "-", 2)[0]} {
		if t, ok := x.Title[lang]; ok {
			title = t
			break
		}
	}
	if title == "" {
		for _, t := range x.Title {
			title = t
			break
		}
	}
	q := "?token=" + url.QueryEscape(c.Query("token"))
	v := respondView{Name: it.Name, Booth: strings.ToUpper(a.Booth), Role: a.Role, Session: title, TZ: it.TZ,
		Start: x.StartUTC.In(loc).Format("Mon 2 Jan 2006 15:04"), End: x.EndUTC.In(loc).Format("15:04"), State: a.State,
		Message: message, CanRespond: a.State == StateOffered,
		AcceptURL: "/v1/assignments/" + url.PathEscape(a.ID) + "/accept" + q, DeclineURL: "/v1/assignments/" + url.PathEscape(a.ID) + "/decline" + q,
		BothURL: "/v1/assignments/" + url.PathEscape(a.ID) + "/respond" + q}
	if act := c.Query("action"); act == "accept" || act == "decline" {
		v.Action = act
	}
	if v.Message == "" && !v.CanRespond {
		v.Message = "This assignment is " + a.State + "; there is nothing to answer."
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
			msg := "Thank you: you accepted this assignment. A calendar invitation follows by email."
			if to == StateDeclined {
				msg = "Thank you: you declined this assignment. The secretariat has been told."
			}
			h.renderRespond(c, http.StatusOK, res.Assignment, msg)
			return
		}
		httpx.SetVersion(c, res.Assignment.Version)
		httpx.JSON(c, http.StatusOK, transitionJSON(res))
	}
}

// RespondLink returns the path of the self-service page for an assignment, valid until
// expires (the notifier builds the same link with the shared keys).
func RespondLink(keys *signed.Keys, assignmentID string, expires time.Time) string {
	return "/v1/assignments/" + url.PathEscape(assignmentID) + "/respond?token=" + url.QueryEscape(keys.Sign(signed.Assignment, assignmentID, expires))
}
