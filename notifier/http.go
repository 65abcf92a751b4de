package notifier

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
)

// Handlers serve what the notifier knows over the API: a registration's deliveries for
// the secretariat, and personal calendar feeds. They read only the notifier's tables.
type Handlers struct{ n *Notifier }

// NewHandlers returns the notifier's handlers.
func NewHandlers(n *Notifier) *Handlers { return &Handlers{n: n} }

// Register mounts the routes on rg (the /v1 group).
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.GET("/registrations/:id/reminders", h.reminders)
	rg.GET("/meetings/:id/reminder-rules", h.getRules)
	rg.PUT("/meetings/:id/reminder-rules", h.putRules)
	// The parameter is the whole last segment, "<token>.ics".
	rg.GET("/calendar/:token.ics", h.calendar)
}

// PreviewJSON is a delivery's email as it would be rendered now.
type PreviewJSON struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	Lang    string `json:"lang"`
	Dir     string `json:"dir"`
}

// DeliveryJSON is one delivery for the secretariat.
type DeliveryJSON struct {
	ID              string       `json:"id"`
	Kind            string       `json:"kind"`
	Rule            string       `json:"rule,omitempty"`
	SessionID       string       `json:"session_id,omitempty"`
	ScheduleVersion int64        `json:"schedule_version,omitempty"`
	DueAt           time.Time    `json:"due_at"`
	State           string       `json:"state"`
	MessageID       string       `json:"message_id"`
	Attempts        int          `json:"attempts"`
	LastError       string       `json:"last_error,omitempty"`
	Preview         *PreviewJSON `json:"preview"`
}

// Deliveries lists the deliveries of a registration, by due time, with previews.
func (n *Notifier) Deliveries(c context.Context, registrationID string) ([]DeliveryJSON, error) {
	ds, err := n.store.deliveries(c, n.cfg.DB, `recipient = $1 ORDER BY due_at, id`, toRegistration+registrationID)
	if err != nil {
		return nil, err
	}
	w, err := n.load(c, n.cfg.DB, ds)
	if err != nil {
		return nil, err
	}
	// The count of "all sessions" needs the meeting's sessions.
	for id := range w.meetings {
		xs, err := n.store.sessionsOf(c, n.cfg.DB, id)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			w.sessions[x.ID] = x
		}
	}
	out := make([]DeliveryJSON, 0, len(ds))
	for _, d := range ds {
		j := DeliveryJSON{ID: d.ID, Kind: string(d.Kind), Rule: d.Rule, SessionID: d.SessionID, ScheduleVersion: d.ScheduleVersion,
			DueAt: d.DueAt, State: d.State, MessageID: d.MessageID, Attempts: d.Attempts, LastError: d.LastError}
		if in, _, _, _, err := n.input(d, w, d.DueAt, false); err == nil {
			if out, err := n.cfg.Renderer.Render(in); err == nil {
				j.Preview = &PreviewJSON{Subject: out.Subject, Text: out.Text, HTML: out.HTML, Lang: out.Lang, Dir: out.Dir}
			}
		}
		out = append(out, j)
	}
	return out, nil
}

func (h *Handlers) reminders(c *gin.Context) {
	id := c.Param("id")
	if _, ok, err := h.n.store.registrant(c, h.n.cfg.DB, id); err != nil {
		httpx.Fail(c, err)
		return
	} else if !ok {
		httpx.Fail(c, problem.NotFound("registration", id))
		return
	}
	items, err := h.n.Deliveries(c, id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, httpx.List[DeliveryJSON]{Items: items})
}

func (h *Handlers) calendar(c *gin.Context) {
	token, ok := strings.CutSuffix(c.Param("token.ics"), ".ics")
	if !ok {
		httpx.Fail(c, problem.NotFound("calendar", c.Param("token.ics")))
		return
	}
	subject, err := h.n.cfg.Links.Keys.Verify(token, signed.Calendar, h.n.now())
	if err != nil {
		httpx.Fail(c, problem.New(problem.KindForbidden, "link_invalid", "this calendar link is not valid or has expired"))
		return
	}
	body, err := h.n.Feed(c, subject)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Header("Referrer-Policy", "no-referrer")
	c.Data(http.StatusOK, ics.MIMEType+"; charset=utf-8", body)
}

// Feed is the personal calendar of a Calendar link's subject: "registration:<id>" (the
// registrant's sessions) or "interpreter:<id>" (their offered and accepted assignments).
func (n *Notifier) Feed(c context.Context, subject string) ([]byte, error) {
	now := n.now()
	var feed ics.Feed
	if id, ok := strings.CutPrefix(subject, signed.CalendarRegistration); ok {
		r, found, err := n.store.registrant(c, n.cfg.DB, id)
		if err != nil {
			return nil, err
		}
		if !found || r.Deleted {
			return nil, problem.NotFound("registration", id)
		}
		m, _, err := n.store.meeting(c, n.cfg.DB, r.MeetingID)
		if err != nil {
			return nil, err
		}
		lang := n.cfg.Renderer.Language(r.Locale, m.DefaultLang).String()
		feed.Name = titleIn(m.Title, lang, nil)
		xs, err := n.store.sessionsOf(c, n.cfg.DB, r.MeetingID)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			if !r.covers(x.ID) {
				continue
			}
			ev := ics.Event{SessionID: x.ID, RecipientID: subject, Sequence: x.ScheduleVersion,
				Start: x.Start, End: x.End, Organizer: n.organizer(), Status: ics.StatusConfirmed}
			ev.Summary, ev.SummaryLang = summary(m.Title, x.Title, r.Locale, m.DefaultLang)
			if x.cancelled() {
				ev.Status = ics.StatusCancelled
			}
			feed.Events = append(feed.Events, ev)
		}
	} else if id, ok := strings.CutPrefix(subject, signed.CalendarInterpreter); ok {
		asgs, err := n.store.assignmentsWhere(c, n.cfg.DB, `interpreter_id = $1`, id)
		if err != nil {
			return nil, err
		}
		feed.Name = "Plenary"
		for _, a := range held(asgs) {
			x, found, err := n.store.session(c, n.cfg.DB, a.SessionID)
			if err != nil {
				return nil, err
			}
			if !found {
				continue
			}
			m, _, err := n.store.meeting(c, n.cfg.DB, x.MeetingID)
			if err != nil {
				return nil, err
			}
			ev := n.assignmentEvent(a, m.Title, x.Title, m.DefaultLang, now)
			if ev.Sequence, err = n.store.inviteSequence(c, n.cfg.DB, a.SessionID, a.InterpreterID); err != nil {
				return nil, err
			}
			ev.Start, ev.End = x.Start, x.End
			if x.cancelled() {
				ev.Status = ics.StatusCancelled
			}
			feed.Events = append(feed.Events, ev)
		}
	} else {
		return nil, problem.New(problem.KindForbidden, "link_invalid", "this calendar link is not valid")
	}
	sort.Slice(feed.Events, func(i, j int) bool { return feed.Events[i].Start.Before(feed.Events[j].Start) })
	return ics.Publish(feed, now)
}

// held keeps one assignment per session, the one the feed shows: the seat the interpreter
// holds or is offered, else the latest. Every assignment of an interpreter to a session
// has the same UID, and a feed must not hold one UID twice.
func held(asgs []assignment) []assignment {
	bySession := map[string]int{}
	var out []assignment
	live := func(a assignment) bool { return a.State == "offered" || a.State == "accepted" }
	for _, a := range asgs {
		i, seen := bySession[a.SessionID]
		switch {
		case !seen:
			bySession[a.SessionID] = len(out)
			out = append(out, a)
		case live(a) || (!live(out[i]) && a.ID > out[i].ID): // ids are UUIDv7: later is larger
			out[i] = a
		}
	}
	return out
}

func (n *Notifier) organizer() ics.Person {
	return ics.Person{Name: n.cfg.From.Name, Email: n.cfg.From.Email}
}

// RuleJSON is a reminder rule over the API: an audience and a lead time ("24h", "90m").
type RuleJSON struct {
	Audience string `json:"audience"`
	Before   string `json:"before"`
}

// RulesJSON is a meeting's reminder rules.
type RulesJSON struct {
	Rules   []RuleJSON `json:"rules"`
	Default bool       `json:"default"` // the notifier's defaults, not the meeting's own
}

func rulesJSON(rules []ReminderRule, def bool) RulesJSON {
	out := RulesJSON{Rules: []RuleJSON{}, Default: def}
	for _, r := range rules {
		out.Rules = append(out.Rules, RuleJSON{Audience: r.Audience, Before: FormatLead(r.Before)})
	}
	return out
}

func (h *Handlers) getRules(c *gin.Context) {
	rules, def, err := h.n.Rules(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, rulesJSON(rules, def))
}

// putRules replaces the meeting's rules; an empty list restores the defaults. Planned
// reminders of the meeting follow at once.
func (h *Handlers) putRules(c *gin.Context) {
	var in struct {
		Rules []RuleJSON `json:"rules"`
	}
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	var spec []string
	for _, r := range in.Rules {
		spec = append(spec, r.Audience+":"+r.Before)
	}
	rules, err := ParseRules(strings.Join(spec, ","))
	if err != nil || len(in.Rules) > 10 {
		httpx.Fail(c, problem.Unprocessable("invalid_rules", "rules are {audience: registrant, interpreter or offer, before: a lead time from 1m to 1440h such as 24h}, at most 10, none twice"))
		return
	}
	if err := h.n.SetRules(c, c.Param("id"), rules); err != nil {
		httpx.Fail(c, err)
		return
	}
	rules, def, err := h.n.Rules(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, rulesJSON(rules, def))
}
