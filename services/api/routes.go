package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/privacy"
	"github.com/plenary/plenary/services/registration"
	"github.com/plenary/plenary/services/timeapi"
	"github.com/plenary/plenary/services/web"
)

// routes is the one place every route of the API is mounted, and policy the one place
// each declares who may call it. A route without a policy entry is refused at runtime
// and fails TestAuthorizationMatrix.
func routes(r *gin.Engine, d Deps) {
	links := d.Links
	if links.Keys == nil {
		links.Keys = d.LinkKeys
	}
	pages := web.New(web.Deps{Agenda: d.Agenda, Registrations: d.Registrations, Links: links, Organizer: d.Organizer,
		Now: d.Now, Log: d.Log, Limits: d.WebLimits})
	r.Use(web.BrowserLinks(), auth.CORS(d.CORSOrigins), auth.Enforce(auth.Config{
		Policy: policy(d), Tokens: d.Tokens, LinkKeys: d.LinkKeys, Now: d.Now, Limits: d.Limits,
		Page: pages.Refused,
	}))

	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d.Ready))
	r.GET("/metrics", metricsHandler(d.Registry))
	r.GET("/openapi.yaml", openapi)

	v1 := r.Group("/v1", httpx.Idempotency(d.DB, func() time.Time { return d.Now() }))
	agenda.NewHandlers(d.Agenda).Register(v1)
	timeapi.Register(v1)
	registration.NewHandlers(d.Registrations).Register(v1)
	notifier.NewHandlers(d.Notifier).Register(v1)
	auth.NewHandlers(d.Tokens).Register(v1)
	audit.NewHandlers(audit.NewLog(d.DB)).Register(v1)
	privacy.NewHandlers(privacy.NewService(privacyOwners(d), d.Now)).Register(v1)
	interp := interpretation.NewHandlers(d.Interpretation, d.LinkKeys, d.Now)
	interp.Register(v1)
	interp.RegisterSelfService(v1)
	pages.Register(r)

	for _, m := range d.Mount {
		m(r, v1)
	}
}

// policy declares the access of every route, keyed as Gin names the route. To add a
// route: pick its access (auth.Public, auth.LinkInQuery/LinkInPath for signed links,
// auth.Viewer, auth.Planner, auth.Admin) and, for secretariat routes, how a token limited
// to some meetings finds the route's meeting: meeting(":id is a meeting"), session(":id is
// a session"), a resolver of your service (auth.ResourceParam), auth.Filtered() when your
// service lists only the caller's meetings or reads no meeting data, or
// auth.AllMeetings() to refuse limited tokens.
//
// It is long because it is one table with a line per route: split, a route's access
// could no longer be read beside its neighbours' or checked against the route list.
func policy(d Deps) auth.Policy {
	meeting := auth.MeetingParam("id")
	session := auth.ResourceParam("session", "id", sessionMeeting(d.Agenda))
	published := d.Agenda.PublishedMeeting("id")
	assignment := auth.ResourceParam("assignment", "id", assignmentMeeting(d.Interpretation))
	return auth.Policy{
		// Operations. /metrics needs a token (Prometheus sends it with
		// authorization.credentials): route names and rates are not for everyone.
		// Probes ignore credentials and are never rate limited (auth.Probe).
		"GET /healthz":      auth.Probe(),
		"GET /readyz":       auth.Probe(),
		"GET /openapi.yaml": auth.Public(),
		"GET /metrics":      auth.Viewer(auth.AllMeetings()),

		// Agenda. A limited token lists only its meetings (agenda.Service.Meetings) and
		// cannot create meetings outside its scope.
		"POST /v1/meetings":                   auth.Planner(auth.AllMeetings()),
		"GET /v1/meetings":                    auth.Viewer(auth.Filtered()),
		"GET /v1/meetings/:id":                auth.Viewer(meeting),
		"PATCH /v1/meetings/:id":              auth.Planner(meeting),
		"DELETE /v1/meetings/:id":             auth.Planner(meeting),
		"POST /v1/meetings/:id/sessions":      auth.Planner(meeting),
		"GET /v1/meetings/:id/sessions":       auth.Viewer(meeting),
		"GET /v1/meetings/:id/agenda":         auth.Viewer(meeting).OrPublicWhen(published),
		"GET /v1/sessions/:id":                auth.Viewer(session),
		"PATCH /v1/sessions/:id":              auth.Planner(session),
		"POST /v1/sessions/:id/cancel":        auth.Planner(session),
		"POST /v1/sessions/:id/items":         auth.Planner(session),
		"GET /v1/sessions/:id/items":          auth.Viewer(session),
		"GET /v1/sessions/:id/items/:item":    auth.Viewer(session),
		"PATCH /v1/sessions/:id/items/:item":  auth.Planner(session),
		"DELETE /v1/sessions/:id/items/:item": auth.Planner(session),

		// Registrations: the secretariat registers people; each registrant manages their
		// own registration with its signed link.
		"POST /v1/meetings/:id/registrations":        auth.Planner(meeting),
		"GET /v1/registrations/:id":                  auth.LinkInQuery(signed.Registration, "id"),
		"PATCH /v1/registrations/:id":                auth.LinkInQuery(signed.Registration, "id"),
		"DELETE /v1/registrations/:id":               auth.LinkInQuery(signed.Registration, "id"),
		"GET /v1/unsubscribe/:token":                 auth.LinkInPath(signed.Unsubscribe, "token", ""),
		"POST /v1/unsubscribe/:token":                auth.LinkInPath(signed.Unsubscribe, "token", ""),
		"GET /v1/meetings/:id/registration-settings": auth.Viewer(meeting),
		"PUT /v1/meetings/:id/registration-settings": auth.Planner(meeting),

		// Pages (services/web). The public meeting page and its form are open to all (the
		// page answers not found for a meeting not marked public). The registrant's pages
		// are public routes too because each handler verifies its signed link itself:
		// a link that does not open must get a page in the reader's language, not the
		// problem+json this policy answers.
		"GET /m/:id":              auth.Public(),
		"POST /m/:id/register":    auth.Public(),
		"GET /r/:id":              auth.Public(),
		"POST /r/:id":             auth.Public(),
		"GET /r/:id/confirm":      auth.Public(),
		"POST /r/:id/unregister":  auth.Public(),
		"GET /r/:id/ics/:session": auth.Public(),
		"GET /u/:token":           auth.Public(),
		"POST /u/:token":          auth.Public(),
		"GET /static/:file":       auth.Public(),

		// Lists of registrants in and out as CSV: personal data of many people, so the
		// planner's, like registering them.
		"POST /v1/meetings/:id/registrations/import":    auth.Planner(meeting),
		"GET /v1/meetings/:id/registrations/export.csv": auth.Planner(meeting),

		// Notifier: the deliveries of a registration (secretariat) and personal calendar
		// feeds (signed Calendar link, "<token>.ics"). The mail page exists only in
		// `plenary serve`, which listens on loopback for one developer.
		"GET /v1/registrations/:id/reminders": auth.Viewer(auth.ResourceParam("registration", "id", registrationMeeting(d.Registrations))),
		"GET /v1/calendar/:token.ics":         auth.LinkInPath(signed.Calendar, "token.ics", ".ics"),
		"GET /v1/meetings/:id/reminder-rules": auth.Viewer(meeting),
		"PUT /v1/meetings/:id/reminder-rules": auth.Planner(meeting),
		"GET /dev/mail":                       auth.LinkInQuery(signed.DevMail, ""),
		"GET /dev/mail/:name":                 auth.LinkInQuery(signed.DevMail, ""),

		// Time-zone computations read no stored data.
		"GET /v1/time/tzdata":     auth.Viewer(auth.Filtered()),
		"POST /v1/time/convert":   auth.Viewer(auth.Filtered()),
		"POST /v1/time/check":     auth.Viewer(auth.Filtered()),
		"POST /v1/planning/slots": auth.Viewer(auth.Filtered()),

		// Interpretation. The pool serves every meeting, so its routes refuse limited
		// tokens; a manual assignment checks the session's meeting against the token's
		// scope itself. Interpreters answer their own assignment with its signed link.
		"POST /v1/interpreters":                      auth.Planner(auth.AllMeetings()),
		"GET /v1/interpreters":                       auth.Viewer(auth.AllMeetings()),
		"POST /v1/interpreters/import":               auth.Planner(auth.AllMeetings()),
		"GET /v1/interpreters/export.csv":            auth.Viewer(auth.AllMeetings()),
		"GET /v1/interpreters/:id":                   auth.Viewer(auth.AllMeetings()),
		"PATCH /v1/interpreters/:id":                 auth.Planner(auth.AllMeetings()),
		"POST /v1/meetings/:id/interpretation/plan":  auth.Planner(meeting),
		"POST /v1/interpretation/plan":               auth.Planner(auth.AllMeetings()),
		"GET /v1/meetings/:id/interpretation/check":  auth.Viewer(meeting),
		"GET /v1/meetings/:id/assignments":           auth.Viewer(meeting),
		"POST /v1/assignments":                       auth.Planner(auth.Filtered()),
		"GET /v1/assignments/:id":                    auth.Viewer(assignment),
		"PATCH /v1/assignments/:id":                  auth.Planner(assignment),
		"GET /v1/sessions/:id/interpretation/export": auth.Viewer(session),
		"GET /v1/assignments/:id/respond":            auth.LinkInQuery(signed.Assignment, "id"),
		"POST /v1/assignments/:id/accept":            auth.LinkInQuery(signed.Assignment, "id"),
		"POST /v1/assignments/:id/decline":           auth.LinkInQuery(signed.Assignment, "id"),

		// Offers in one step, and the staffing board of a meeting.
		"POST /v1/meetings/:id/interpretation/offers": auth.Planner(meeting),
		"GET /v1/meetings/:id/interpretation/board":   auth.Viewer(meeting),

		// Tokens and the audit trail.
		"POST /v1/tokens":       auth.Admin(),
		"GET /v1/tokens":        auth.Admin(),
		"DELETE /v1/tokens/:id": auth.Admin(),
		"GET /v1/audit":         auth.Planner(auth.MeetingQuery("meeting")),

		// A person's data across meetings (export and erasure requests): admin only.
		"POST /v1/people/export": auth.Admin(),
		"POST /v1/people/erase":  auth.Admin(),
	}
}

// sessionMeeting is the meeting of a session, for limited tokens.
func sessionMeeting(a *agenda.Service) auth.MeetingResolver {
	return func(ctx context.Context, id string) (string, error) {
		x, err := a.Session(ctx, id)
		if err != nil {
			return "", err
		}
		return x.MeetingID, nil
	}
}

// assignmentMeeting is the meeting of an interpretation assignment, for limited tokens.
func assignmentMeeting(s *interpretation.Service) auth.MeetingResolver {
	return func(ctx context.Context, id string) (string, error) {
		a, err := s.Assignment(ctx, id)
		if err != nil {
			return "", err
		}
		return a.MeetingID, nil
	}
}

// registrationMeeting is the meeting of a registration, for limited tokens.
func registrationMeeting(s *registration.Service) auth.MeetingResolver {
	return func(ctx context.Context, id string) (string, error) {
		r, err := s.Get(ctx, id)
		if err != nil {
			return "", err
		}
		return r.MeetingID, nil
	}
}

// privacyOwners are the owners of personal data that this process has; a service left
// out (nil) holds nothing here.
func privacyOwners(d Deps) privacy.Owners {
	o := privacy.Owners{Trail: audit.NewLog(d.DB)}
	if d.Registrations != nil {
		o.Registrations = d.Registrations
	}
	if d.Interpretation != nil {
		o.Interpreters = d.Interpretation
	}
	if d.Notifier != nil {
		o.Notifier = d.Notifier
	}
	if d.Agenda != nil {
		o.Channels = d.Agenda
	}
	return o
}
