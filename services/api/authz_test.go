package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/devmail"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// matrixWorld is one meeting's resources, by the resource names of the policy's scopes
// ("meeting", "session", "registration" ...) plus "item". A new kind of resource in the
// policy needs a fixture here.
type matrixWorld map[string]string

// newWorld creates a meeting with a session, an item and a registration.
func newWorld(t *testing.T, deps api.Deps, public bool) matrixWorld {
	t.Helper()
	ctx := context.Background()
	m, err := deps.Agenda.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Forum"}, VenueTZ: ptr("Europe/Zurich"), Public: ptr(public)})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	x, err := deps.Agenda.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Opening"}, Start: ptr("2026-12-08T10:00"),
		DurationMin: ptr(90), Floor: []string{"en"}})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	it, err := deps.Agenda.AddItem(ctx, x.ID, agenda.ItemInput{Title: contracts.Text{"en": "Welcome"}})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	r, err := deps.Registrations.Register(ctx, m.ID, registration.Input{Name: ptr("Ana"), Email: ptr(fmt.Sprintf("ana+%d@example.org", time.Now().UnixNano())),
		Locale: ptr("en"), TZ: ptr("Europe/Zurich"), Sessions: &[]string{x.ID}, ConsentReminders: ptr(true)})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	// An interpreter with an assignment in an interpreted session of the meeting.
	booth, err := deps.Agenda.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Debate"}, Start: ptr("2026-12-08T14:00"),
		DurationMin: ptr(90), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr"}})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	ip, err := deps.Interpretation.CreateInterpreter(ctx, interpretation.InterpreterInput{Name: ptr("Inès"), Email: ptr(fmt.Sprintf("ines+%d@example.org", time.Now().UnixNano())),
		TZ: ptr("Europe/Paris"), Languages: []interp.LangSkill{{Lang: "fr", Class: "A"}, {Lang: "en", Class: "C"}}})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	as, err := deps.Interpretation.CreateAssignment(ctx, interpretation.AssignmentInput{SessionID: booth.ID, Booth: "fr", InterpreterID: ip.ID})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	return matrixWorld{"meeting": m.ID, "session": x.ID, "item": it.ID, "registration": r.ID, "interpreter": ip.ID, "assignment": as.ID}
}

// linkSubject is the subject a signed link of each purpose names, as the services sign it.
func linkSubject(p signed.Purpose, w matrixWorld) (resource, prefix string) {
	switch p {
	case signed.Calendar:
		return "registration", signed.CalendarRegistration
	case signed.Assignment:
		return "assignment", ""
	case signed.DevMail:
		return "mail", ""
	default:
		return "registration", ""
	}
}

// someoneElse is a world of resources that exist nowhere: links to them are another's.
var someoneElse = matrixWorld{"registration": "someone-else", "assignment": "someone-else", "interpreter": "someone-else"}

var purposes = []signed.Purpose{signed.Registration, signed.Unsubscribe, signed.Calendar, signed.Assignment, signed.DevMail}

// caller is one identity of the matrix and what the policy says it may reach.
type caller struct {
	name   string
	bearer string
	// link makes the signed link this caller carries (?token= and any token path parameter).
	link func(a auth.Access, w matrixWorld) string
	// world is the meeting whose resources the request names: "other" (a private meeting
	// the limited tokens are not limited to), "own" (theirs) or "public".
	world   string
	allowed func(a auth.Access) bool
}

// TestAuthorizationMatrix calls every route of the router (engine.Routes(), so routes added
// later are included) as anonymous, each role, tokens limited to another meeting and to
// the route's meeting, revoked and malformed tokens, and a valid, expired, tampered and
// wrong-subject signed link of every purpose; each answer must match the route's declared
// access. A route without a policy entry fails.
func TestAuthorizationMatrix(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	// The mail page of `plenary serve` is in the matrix too.
	mailDir := t.TempDir()
	deps.Mount = append(deps.Mount, func(r *gin.Engine, _ *gin.RouterGroup) { devmail.Mount(r, mailDir) })
	e := startEnv(t, d, clock, deps, keys, links)
	h := api.NewServer(deps)
	engine, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("server is %T, want *gin.Engine", h)
	}
	policy := api.Policy(deps)
	for _, k := range policy.Missing(engine.Routes()) {
		t.Errorf("route %s has no access policy: %s", k, auth.HowToAdd)
	}
	mounted := map[string]bool{}
	for _, r := range engine.Routes() {
		mounted[auth.Key(r.Method, r.Path)] = true
	}
	for k := range policy {
		if !mounted[k] {
			t.Logf("policy entry %q names no mounted route (declared ahead of its service, or stale)", k)
		}
	}

	ctx := context.Background()
	tok := func(n auth.NewToken) string { return e.newToken(n) }
	viewer := tok(auth.NewToken{Role: auth.RoleViewer})
	planner := tok(auth.NewToken{Role: auth.RolePlanner})
	admin := tok(auth.NewToken{Role: auth.RoleAdmin})
	revoked := tok(auth.NewToken{Role: auth.RoleAdmin})
	ts, err := e.tokens.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tokens.Revoke(ctx, ts[len(ts)-1].ID); err != nil {
		t.Fatal(err)
	}
	// The limited tokens' meeting: each route gets fresh "other" and "own" worlds, and the
	// limited tokens are made for the "own" one.
	role := func(need auth.Role, have auth.Role) bool { return have.Includes(need) }
	public := func(a auth.Access) bool { return a.Kind == auth.AccessPublic }

	var callers []caller
	callers = append(callers,
		caller{name: "anonymous", world: "other", allowed: public},
		caller{name: "anonymous on a public meeting", world: "public", allowed: func(a auth.Access) bool { return public(a) || a.PublicWhen != nil }},
		// Probes ignore credentials: a bad token does not fail a health check.
		caller{name: "malformed bearer", bearer: "pln_short", world: "other", allowed: func(a auth.Access) bool { return a.Probe }},
		caller{name: "revoked admin", bearer: revoked, world: "other", allowed: func(a auth.Access) bool { return a.Probe }},
	)
	for _, c := range []struct {
		name, secret string
		role         auth.Role
	}{{"viewer", viewer, auth.RoleViewer}, {"planner", planner, auth.RolePlanner}, {"admin", admin, auth.RoleAdmin}} {
		callers = append(callers, caller{name: c.name, bearer: c.secret, world: "other", allowed: func(a auth.Access) bool {
			return public(a) || a.Kind == auth.AccessRole && role(a.Role, c.role)
		}})
	}
	// Limited tokens are created per route (their meeting is per route): see below.
	for _, p := range purposes {
		sign := func(w matrixWorld, subjectWorld matrixWorld, exp time.Duration) string {
			res, prefix := linkSubject(p, w)
			id, ok := subjectWorld[res]
			if !ok {
				id = "no-" + res
			}
			return keys.Sign(p, prefix+id, clock.Now().Add(exp))
		}
		grants := func(a auth.Access) bool { return a.Kind == auth.AccessLink && a.Purpose == p }
		callers = append(callers,
			caller{name: string(p) + " link", world: "other", link: func(a auth.Access, w matrixWorld) string { return sign(w, w, time.Hour) },
				allowed: func(a auth.Access) bool { return public(a) || grants(a) }},
			caller{name: "expired " + string(p) + " link", world: "other", link: func(a auth.Access, w matrixWorld) string { return sign(w, w, -time.Second) },
				allowed: public},
			caller{name: "tampered " + string(p) + " link", world: "other", link: func(a auth.Access, w matrixWorld) string { return tamper(t, sign(w, w, -time.Second)) },
				allowed: public},
			caller{name: string(p) + " link of someone else", world: "other", link: func(a auth.Access, w matrixWorld) string { return sign(w, someoneElse, time.Hour) },
				allowed: func(a auth.Access) bool { return public(a) || grants(a) && a.SubjectParam == "" }},
		)
	}

	routes := engine.Routes()
	slices.SortFunc(routes, func(a, b gin.RouteInfo) int { return strings.Compare(a.Path+a.Method, b.Path+b.Method) })
	checked, unexpected := 0, 0
	for _, r := range routes {
		key := auth.Key(r.Method, r.Path)
		access, ok := policy[key]
		if !ok {
			continue
		}
		other, own, pub := newWorld(t, deps, false), newWorld(t, deps, false), newWorld(t, deps, true)
		worlds := map[string]matrixWorld{"other": other, "own": own, "public": pub}
		cs := slices.Clone(callers)
		for _, lr := range []auth.Role{auth.RoleViewer, auth.RolePlanner} {
			secret := tok(auth.NewToken{Role: lr, Meetings: []string{own["meeting"]}})
			cs = append(cs,
				caller{name: string(lr) + " limited to another meeting", bearer: secret, world: "other", allowed: func(a auth.Access) bool {
					return public(a) || a.Kind == auth.AccessRole && role(a.Role, lr) && a.Scope.Kind == auth.ScopeFiltered
				}},
				caller{name: string(lr) + " limited to this meeting", bearer: secret, world: "own", allowed: func(a auth.Access) bool {
					return public(a) || a.Kind == auth.AccessRole && role(a.Role, lr) && a.Scope.Kind != auth.ScopeAll
				}})
		}
		// Refusals first: an allowed call may delete what the next one needs.
		slices.SortStableFunc(cs, func(a, b caller) int {
			x, y := a.allowed(access), b.allowed(access)
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		})
		for _, c := range cs {
			w := worlds[c.world]
			link := ""
			if c.link != nil {
				link = c.link(access, w)
			}
			path, err := fillPath(r.Path, access, w, link)
			if err != nil {
				t.Errorf("%s: %v", key, err)
				break
			}
			q := []string{}
			if link != "" {
				q = append(q, "token="+link)
			}
			if access.Kind == auth.AccessRole && access.Scope.Kind == auth.ScopeMeeting && access.Scope.Query {
				q = append(q, access.Scope.Param+"="+w["meeting"])
			}
			if len(q) > 0 {
				path += "?" + strings.Join(q, "&")
			}
			var body any
			if r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut {
				body = map[string]any{}
			}
			e.token = c.bearer
			res := e.do(r.Method, path, body)
			denied := isDenial(res)
			want := c.allowed(access)
			checked++
			switch {
			case want && denied:
				t.Errorf("%s as %s (%s): refused, but the policy says %s: %d %s", key, c.name, path, access, res.Status, res.Body)
			case want && res.Status >= 500:
				t.Errorf("%s as %s (%s): %d; wire the route's service in newDeps (apitest_test.go): %s", key, c.name, path, res.Status, res.Body)
			case !want && !denied && res.Status >= 500:
				t.Errorf("%s as %s (%s): %d instead of a refusal: %s", key, c.name, path, res.Status, res.Body)
			case !want && !denied:
				unexpected++
				t.Errorf("UNEXPECTED ACCESS: %s as %s (%s): %d, but the policy says %s: %s", key, c.name, path, res.Status, access, res.Body)
			}
		}
	}
	t.Logf("authorization matrix: %d routes, %d calls, %d unexpected accesses", len(routes), checked, unexpected)
	if checked < 20*len(routes) {
		t.Fatalf("only %d calls for %d routes", checked, len(routes))
	}
}

// tamper extends a link's expiry without re-signing it: the signature must no longer match.
func tamper(t *testing.T, token string) string {
	enc, sig, _ := strings.Cut(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(payload), "|")
	parts[3] = "4102444800" // 2100-01-01
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "|"))) + "." + sig
}

// authCodes are the codes of refusals by access control (the middleware and the
// self-service handlers' own link checks).
var authCodes = []string{"token_required", "invalid_token", "role_insufficient", "outside_token_scope", "link_invalid", "link_expired", "route_without_policy"}

func isDenial(r resp) bool {
	if r.Status != 401 && r.Status != 403 && r.Status != 410 {
		return false
	}
	var code string
	if m := tryJSON(r.Body); m != nil {
		code, _ = m["code"].(string)
	}
	return slices.Contains(authCodes, code)
}

// fillPath puts the world's ids into the route's parameters.
func fillPath(route string, a auth.Access, w matrixWorld, link string) (string, error) {
	segs := strings.Split(route, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") && !strings.HasPrefix(s, "*") {
			continue
		}
		name := s[1:]
		var v string
		switch {
		case a.Kind == auth.AccessRole && a.Scope.Kind == auth.ScopeMeeting && !a.Scope.Query && name == a.Scope.Param:
			id, ok := w[a.Scope.Resource]
			if !ok {
				return "", fmt.Errorf("the matrix has no %q fixture: add one in newWorld (authz_test.go)", a.Scope.Resource)
			}
			v = id
		case a.Kind == auth.AccessLink && name == a.TokenParam:
			v = link + a.TokenSuffix
			if link == "" {
				v = "no-token" + a.TokenSuffix
			}
		case a.Kind == auth.AccessLink && name == a.SubjectParam:
			res, _ := linkSubject(a.Purpose, w)
			id, ok := w[res]
			if !ok {
				return "", fmt.Errorf("the matrix has no %q fixture for %s links: add one in newWorld (authz_test.go)", res, a.Purpose)
			}
			v = id
		case w[name] != "":
			v = w[name]
		default:
			v = "01a20000-0000-7000-8000-000000000000"
		}
		segs[i] = v
	}
	return strings.Join(segs, "/"), nil
}

func tryJSON(b []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

// TestPolicyInvariants holds the policy to the rules of access that do not depend on
// what a route does: the matrix checks that the server enforces the policy, this checks
// the policy itself.
func TestPolicyInvariants(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	deps, _, _ := newDeps(d, &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)})
	policy := api.Policy(deps)
	// The only routes open to everyone; the published agenda is public only for meetings
	// marked public.
	openToAll := []string{"GET /healthz", "GET /readyz", "GET /openapi.yaml"}
	probes := []string{"GET /healthz", "GET /readyz"}
	// The pages (services/web): the public meeting page answers not found unless the
	// meeting is marked public, and each registrant page verifies its signed link in its
	// handler, so that a link that does not open gets a localized page, not problem+json
	// (TestPagesRefuseLinksThatDoNotOpen holds them to it).
	pages := []string{"GET /m/:id", "POST /m/:id/register", "GET /r/:id", "POST /r/:id", "GET /r/:id/confirm",
		"POST /r/:id/unregister", "GET /r/:id/ics/:session", "GET /u/:token", "POST /u/:token", "GET /static/:file"}
	publishable := []string{"GET /v1/meetings/:id/agenda"}
	// POSTs that compute and store nothing.
	computations := []string{"POST /v1/time/convert", "POST /v1/time/check", "POST /v1/planning/slots"}
	for key, a := range policy {
		method, path, _ := strings.Cut(key, " ")
		switch a.Kind {
		case auth.AccessPublic:
			if !slices.Contains(openToAll, key) && !slices.Contains(pages, key) {
				t.Errorf("%s is public; only %v may be", key, openToAll)
			}
			if a.Probe != slices.Contains(probes, key) {
				t.Errorf("%s: probe %v; only %v are probes (no credentials, no rate limit)", key, a.Probe, probes)
			}
		case auth.AccessLink:
			// The mail page's link is for the one mail folder of `plenary serve`.
			if a.TokenParam == "" && a.SubjectParam == "" && a.Purpose != signed.DevMail {
				t.Errorf("%s: a signed link in ?token= must name its resource (SubjectParam)", key)
			}
			if a.Purpose == signed.DevMail && !strings.HasPrefix(path, "/dev/mail") {
				t.Errorf("%s takes the mail page's link", key)
			}
		case auth.AccessRole:
			if a.PublicWhen != nil && !slices.Contains(publishable, key) {
				t.Errorf("%s may be public; only %v may be", key, publishable)
			}
			if method != http.MethodGet && !a.Role.Includes(auth.RolePlanner) && !slices.Contains(computations, key) {
				t.Errorf("%s changes data but only needs %s", key, a.Role)
			}
			if strings.HasPrefix(path, "/v1/tokens") && a.Role != auth.RoleAdmin {
				t.Errorf("%s manages tokens but needs %s, not admin", key, a.Role)
			}
			if a.Scope.Kind == auth.ScopeMeeting && a.Scope.Param == "" {
				t.Errorf("%s: a meeting scope needs its parameter", key)
			}
		default:
			t.Errorf("%s: unknown access kind %d", key, a.Kind)
		}
	}
	for _, k := range append(openToAll, publishable...) {
		if _, ok := policy[k]; !ok {
			t.Errorf("%s has no policy", k)
		}
	}
}
