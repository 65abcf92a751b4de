package auth

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
)

// AccessKind is who may call a route.
type AccessKind int

const (
	// AccessPublic: anyone, without credentials.
	AccessPublic AccessKind = iota + 1
	// AccessLink: the bearer of a signed link of one purpose; the route's handler checks
	// the link too.
	AccessLink
	// AccessRole: a secretariat token of at least a role, within its meeting scope.
	AccessRole
)

// ScopeKind says how a route relates to meetings, for tokens limited to some meetings.
type ScopeKind int

const (
	// ScopeAll: the route concerns all meetings or the whole service (create a meeting,
	// tokens, metrics). Tokens limited to meetings are refused.
	ScopeAll ScopeKind = iota
	// ScopeFiltered: limited tokens may call it because it reads no meeting's data (time
	// computations) or its service lists only the caller's meetings (MeetingScope).
	ScopeFiltered
	// ScopeMeeting: the route concerns one meeting, found from a path or query parameter.
	ScopeMeeting
)

// MeetingResolver returns the meeting that a resource belongs to. Services provide them
// (a session's meeting, a registration's meeting ...). An unknown resource is a
// problem.NotFound error.
type MeetingResolver func(ctx context.Context, id string) (string, error)

// Scope is how a route finds its meeting.
type Scope struct {
	Kind ScopeKind
	// Resource names what Param identifies: "meeting", "session", "registration" ...
	Resource string
	// Param is the path parameter (":id") or, with Query, the query parameter holding it.
	Param string
	Query bool
	// Resolve maps the parameter to its meeting; nil when the parameter is the meeting id.
	Resolve MeetingResolver
}

// AllMeetings is the scope of a route about the whole service.
func AllMeetings() Scope { return Scope{Kind: ScopeAll} }

// Filtered is the scope of a route that limited tokens may call: its service shows them
// only their meetings, or it reads no meeting data at all.
func Filtered() Scope { return Scope{Kind: ScopeFiltered} }

// MeetingParam is the scope of a route whose path parameter is a meeting id.
func MeetingParam(param string) Scope {
	return Scope{Kind: ScopeMeeting, Resource: "meeting", Param: param}
}

// MeetingQuery is the scope of a route whose query parameter names a meeting. Without the
// parameter the route concerns all meetings, which only unlimited tokens may see.
func MeetingQuery(name string) Scope {
	return Scope{Kind: ScopeMeeting, Resource: "meeting", Param: name, Query: true}
}

// ResourceParam is the scope of a route whose path parameter identifies a resource of a
// meeting, such as a session, found with resolve.
func ResourceParam(resource, param string, resolve MeetingResolver) Scope {
	return Scope{Kind: ScopeMeeting, Resource: resource, Param: param, Resolve: resolve}
}

// Access is the declared access of one route.
type Access struct {
	Kind  AccessKind
	Role  Role  // AccessRole
	Scope Scope // AccessRole

	// AccessLink: the link's purpose; the token is in the path parameter TokenParam (with
	// TokenSuffix such as ".ics" removed) or else in ?token=. When SubjectParam is set the
	// link's subject must be that path parameter (prefixed with SubjectPrefix).
	Purpose       signed.Purpose
	TokenParam    string
	TokenSuffix   string
	SubjectParam  string
	SubjectPrefix string

	// PublicWhen, when set on a role route, opens it to everyone when it returns true
	// (the agenda of a meeting marked public).
	PublicWhen func(ctx context.Context, c *gin.Context) (bool, error)

	// Probe marks a public health or readiness route: it ignores credentials and is never
	// rate limited, so neither a flood of anonymous requests nor a token store outage
	// can make an orchestrator's probe fail.
	Probe bool
}

// Public is the access of a route open to everyone.
func Public() Access { return Access{Kind: AccessPublic} }

// Probe is the access of a health or readiness route: public, credentials ignored, no
// rate limit.
func Probe() Access { return Access{Kind: AccessPublic, Probe: true} }

// Viewer is the access of a route that reads.
func Viewer(s Scope) Access { return Access{Kind: AccessRole, Role: RoleViewer, Scope: s} }

// Planner is the access of a route that changes meetings or their people.
func Planner(s Scope) Access { return Access{Kind: AccessRole, Role: RolePlanner, Scope: s} }

// Admin is the access of a route about tokens or settings.
func Admin() Access { return Access{Kind: AccessRole, Role: RoleAdmin, Scope: AllMeetings()} }

// LinkInQuery is the access of a self-service route whose signed link of purpose is in
// ?token= and names the resource in the path parameter subjectParam.
func LinkInQuery(p signed.Purpose, subjectParam string) Access {
	return Access{Kind: AccessLink, Purpose: p, SubjectParam: subjectParam}
}

// LinkInPath is the access of a route whose signed link of purpose is the path parameter
// tokenParam (without suffix, e.g. ".ics").
func LinkInPath(p signed.Purpose, tokenParam, suffix string) Access {
	return Access{Kind: AccessLink, Purpose: p, TokenParam: tokenParam, TokenSuffix: suffix}
}

// OrPublicWhen returns a with the route open to everyone when f says so.
func (a Access) OrPublicWhen(f func(ctx context.Context, c *gin.Context) (bool, error)) Access {
	a.PublicWhen = f
	return a
}

// String describes the access, for test messages and documentation.
func (a Access) String() string {
	switch a.Kind {
	case AccessPublic:
		return "public"
	case AccessLink:
		return "signed link (" + string(a.Purpose) + ")"
	case AccessRole:
		s := string(a.Role)
		if a.PublicWhen != nil {
			s += " or public when published"
		}
		return s
	}
	return "invalid"
}

// Policy maps each route ("GET /v1/meetings/:id", as Gin names it) to its access.
type Policy map[string]Access

// Key names a route in a Policy.
func Key(method, path string) string { return method + " " + path }

// Missing lists the routes of the engine without an entry in the policy, sorted.
func (p Policy) Missing(routes gin.RoutesInfo) []string {
	var out []string
	for _, r := range routes {
		if _, ok := p[Key(r.Method, r.Path)]; !ok {
			out = append(out, Key(r.Method, r.Path))
		}
	}
	sort.Strings(out)
	return out
}

// HowToAdd is the advice given when a route has no policy entry.
const HowToAdd = `declare its access in the policy of services/api/routes.go, e.g. "GET /v1/meetings/:id/things": auth.Viewer(meeting) (public, signed link, viewer, planner or admin, with how a meeting-limited token finds the route's meeting)`

// Config is what Enforce needs.
type Config struct {
	Policy   Policy
	Tokens   *Store
	LinkKeys *signed.Keys // nil: every signed link is refused
	Now      func() time.Time
	Limits   Limits
	// Page, when set, may answer a refusal as a page for a browser (the page routes of
	// services/web) and reports whether it did; otherwise the refusal is problem+json.
	Page func(c *gin.Context, err error) bool
}

// Enforce is the middleware that applies the policy to every request: it identifies the
// caller (bearer token, signed link or nobody), refuses what the route's access does not
// allow, limits rates, and puts the actor into the request's context. A route without a
// policy entry is refused: access is never granted by omission.
func Enforce(cfg Config) gin.HandlerFunc {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	tokenLimits := newLimiterSet(cfg.Limits.perToken())
	ipLimits := newLimiterSet(cfg.Limits.perIP())
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" {
			c.Next() // no such route or method: the engine answers 404 or 405
			return
		}
		access, ok := cfg.Policy[Key(c.Request.Method, route)]
		if !ok {
			httpx.Logger(c).Error("route without access policy", "route", Key(c.Request.Method, route))
			httpx.Fail(c, problem.New(problem.KindForbidden, "route_without_policy",
				"%s %s has no access policy; %s", c.Request.Method, route, HowToAdd))
			return
		}
		if access.Probe {
			c.Next()
			return
		}
		now := cfg.Now()
		actor, authErr, ok := identify(c, cfg.Tokens)
		if !ok {
			return
		}
		// Rates: per token for the secretariat, per address for everyone else, before any
		// further work, so that guessing tokens or links is slow too.
		limited := false
		if actor.Kind == ActorToken {
			limited = !tokenLimits.allow(actor.ID, now)
		} else {
			limited = !ipLimits.allow(c.ClientIP(), now)
		}
		if limited {
			refuseRate(c, cfg.Page)
			return
		}
		if authErr != nil {
			c.Header("WWW-Authenticate", `Bearer realm="plenary"`)
			httpx.Fail(c, authErr)
			return
		}
		actor, err := checkAccess(c, cfg.LinkKeys, access, route, now, actor)
		if err != nil {
			if problem.From(err).Kind == problem.KindUnauthorized {
				c.Header("WWW-Authenticate", `Bearer realm="plenary"`)
			}
			httpx.Fail(c, err)
			return
		}
		if c.GetHeader(httpx.IdempotencyHeader) != "" {
			// Only a request with a key is ever replayed: the others need no scope.
			httpx.SetIdempotencyScope(c, string(actor.Kind)+":"+actor.ID)
		}
		c.Request = c.Request.WithContext(WithActor(c.Request.Context(), actor))
		c.Next()
	}
}

// identify names the caller by its bearer token, public without one. A token that does
// not authenticate is authErr, refused after the rate limit; a token store that cannot
// answer is answered here (ok false): the caller is neither anonymous nor refused, and
// must not fall into the anonymous rate limit.
func identify(c *gin.Context, tokens *Store) (actor Actor, authErr error, ok bool) {
	actor = Actor{Kind: ActorPublic, ID: "public", Name: "public", RequestID: httpx.RequestID(c)}
	h := c.GetHeader("Authorization")
	if h == "" {
		return actor, nil, true
	}
	secret, ok := ParseBearer(h)
	switch {
	case !ok:
		return actor, problem.New(problem.KindUnauthorized, "invalid_token", "send a Plenary API token as Authorization: Bearer pln_..."), true
	case tokens == nil:
		return actor, errUnknownToken, true
	}
	t, err := tokens.Authenticate(c.Request.Context(), secret)
	if err != nil {
		if pe := problem.From(err); pe.Kind != problem.KindUnauthorized {
			httpx.Fail(c, problem.Unavailable("authentication", err))
			return actor, err, false
		}
		return actor, err, true
	}
	actor = t.Actor()
	actor.RequestID = httpx.RequestID(c)
	return actor, nil, true
}

// refuseRate answers a caller over its rate, as a page where page takes it.
func refuseRate(c *gin.Context, page func(c *gin.Context, err error) bool) {
	c.Header("Retry-After", "1")
	err := problem.New(problem.KindTooManyRequests, "rate_limited", "too many requests; slow down and retry")
	if page != nil && page(c, err) {
		c.Abort()
		return
	}
	httpx.Fail(c, err)
}

// checkAccess applies the route's access to the caller: anyone, a valid signed link
// (the actor becomes the link's subject), or a token with the role.
func checkAccess(c *gin.Context, keys *signed.Keys, access Access, route string, now time.Time, actor Actor) (Actor, error) {
	switch access.Kind {
	case AccessPublic:
		return actor, nil
	case AccessLink:
		return checkLink(c, keys, access, now, actor)
	case AccessRole:
		return actor, checkRole(c, access, actor)
	}
	return actor, problem.New(problem.KindForbidden, "route_without_policy", "%s %s has an invalid access policy", c.Request.Method, route)
}

func checkLink(c *gin.Context, keys *signed.Keys, a Access, now time.Time, actor Actor) (Actor, error) {
	var token string
	if a.TokenParam != "" {
		token = strings.TrimSuffix(c.Param(a.TokenParam), a.TokenSuffix)
	} else {
		token = c.Query("token")
	}
	if token == "" {
		return actor, problem.New(problem.KindUnauthorized, "token_required", "this link needs its token (?token=...)")
	}
	if keys == nil {
		return actor, problem.New(problem.KindForbidden, "link_invalid", "this link is not valid")
	}
	subject, err := keys.Verify(token, a.Purpose, now)
	switch {
	case errors.Is(err, signed.ErrExpired):
		return actor, problem.New(problem.KindGone, "link_expired", "this link has expired")
	case err != nil:
		return actor, problem.New(problem.KindForbidden, "link_invalid", "this link is not valid")
	case a.SubjectParam != "" && subject != a.SubjectPrefix+c.Param(a.SubjectParam):
		return actor, problem.New(problem.KindForbidden, "link_invalid", "this link is not valid for this resource")
	}
	// A link in the URL must not leak through the Referer of a followed link.
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-store")
	return Actor{Kind: ActorLink, ID: string(a.Purpose) + ":" + subject, Name: string(a.Purpose) + " link", RequestID: actor.RequestID}, nil
}

func checkRole(c *gin.Context, a Access, actor Actor) error {
	if a.PublicWhen != nil && actor.Kind != ActorToken {
		// No token (the public reading a published page): ask the route first, with
		// nothing spent on a token check that can only fail.
		open, err := publicWhen(c, a)
		if err != nil || open {
			return err
		}
		return checkToken(c, a, actor)
	}
	err := checkToken(c, a, actor)
	if err == nil || a.PublicWhen == nil {
		return err
	}
	// Only when the token does not suffice: the check costs a read.
	open, perr := publicWhen(c, a)
	if perr != nil {
		return perr
	}
	if open {
		return nil
	}
	return err
}

// publicWhen asks whether the route is open to everyone. Only a failure to answer (the
// database is away: 503, or broken: 500) is an error; not found and the like just leave
// the route closed, so they say nothing a token check would not.
func publicWhen(c *gin.Context, a Access) (bool, error) {
	open, err := a.PublicWhen(c.Request.Context(), c)
	if err != nil {
		if k := problem.From(err).Kind; k == problem.KindInternal || k == problem.KindUnavailable {
			return false, err
		}
		return false, nil
	}
	return open, nil
}

func checkToken(c *gin.Context, a Access, actor Actor) error {
	if actor.Kind != ActorToken {
		return problem.New(problem.KindUnauthorized, "token_required", "this route needs a Plenary API token: Authorization: Bearer pln_...")
	}
	if !actor.Role.Includes(a.Role) {
		return problem.New(problem.KindForbidden, "role_insufficient", "this route needs a %s token; this one is %s", a.Role, actor.Role)
	}
	if !actor.Scoped() {
		return nil
	}
	switch a.Scope.Kind {
	case ScopeFiltered:
		return nil
	case ScopeMeeting:
		var id string
		if a.Scope.Query {
			id = c.Query(a.Scope.Param)
		} else {
			id = c.Param(a.Scope.Param)
		}
		if id == "" {
			break // the route then concerns every meeting
		}
		meeting := id
		if a.Scope.Resolve != nil {
			m, err := a.Scope.Resolve(c.Request.Context(), id)
			if err != nil {
				return err
			}
			meeting = m
		}
		if actor.CanSee(meeting) {
			return nil
		}
		return problem.New(problem.KindForbidden, "outside_token_scope", "this token is limited to other meetings")
	}
	return problem.New(problem.KindForbidden, "outside_token_scope", "this route concerns all meetings; a token limited to meetings cannot use it")
}

// Describe renders the policy as "METHOD /path  access" lines, sorted (for review).
func (p Policy) Describe() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%-60s %s\n", k, p[k])
	}
	return b.String()
}
