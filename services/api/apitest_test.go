package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// testClock is a settable fixed clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// env is a real API server over a fresh database. Requests carry the planner token unless
// a test sets token (empty: anonymous).
type env struct {
	t      testing.TB
	srv    *httptest.Server
	db     *db.DB
	clock  *testClock
	deps   api.Deps
	tokens *auth.Store
	keys   *signed.Keys
	links  signed.Links
	// token is sent as the bearer of every request; planner is the default.
	token   string
	planner string
	admin   string
}

// newDeps wires every service as main does, over d with a fixed clock, rate limits off.
// Add new services here so that the authorization matrix reaches their routes.
func newDeps(d *db.DB, clock *testClock) (api.Deps, *signed.Keys, signed.Links) {
	ag := agenda.NewService(d, agenda.WithClock(clock.Now))
	keys, _ := signed.NewRandomKeys()
	links := signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"}
	regs := registration.NewService(d, registration.AgendaMeetings{Agenda: ag}, links, registration.WithClock(clock.Now))
	rd, err := render.New()
	if err != nil {
		panic(err)
	}
	feeds, err := notifier.New(notifier.Config{DB: d, Renderer: rd, Links: links, Now: clock.Now})
	if err != nil {
		panic(err)
	}
	interp := interpretation.NewService(d, ag, interpretation.WithClock(clock.Now))
	return api.Deps{DB: d, Agenda: ag, Registrations: regs, Notifier: feeds, Interpretation: interp, Now: clock.Now, LinkKeys: keys,
		Tokens: auth.NewStore(d, clock.Now), Limits: auth.Limits{PerToken: -1, PerIP: -1},
		Ready: []api.Check{{Name: "database", Fn: d.PingContext}}}, keys, links
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	return startEnv(t, d, clock, deps, keys, links)
}

func startEnv(t testing.TB, d *db.DB, clock *testClock, deps api.Deps, keys *signed.Keys, links signed.Links) *env {
	t.Helper()
	var srv *httptest.Server
	if _, fuzz := t.(*testing.F); fuzz {
		// A fuzz target may not report through its *testing.F, which the checker would
		// do from the server; fuzz inputs are checked for 4xx answers by the target itself.
		srv = httptest.NewServer(api.NewServer(deps))
		t.Cleanup(srv.Close)
	} else {
		srv = openapitest.NewServer(t, api.NewServer(deps))
	}
	e := &env{t: t, srv: srv, db: d, clock: clock, deps: deps, tokens: deps.Tokens, keys: keys, links: links}
	e.planner = e.newToken(auth.NewToken{Name: "test planner", Role: auth.RolePlanner})
	e.admin = e.newToken(auth.NewToken{Name: "test admin", Role: auth.RoleAdmin})
	e.token = e.planner
	return e
}

// newToken creates a token and returns its secret.
func (e *env) newToken(n auth.NewToken) string {
	e.t.Helper()
	_, secret, err := e.tokens.Create(context.Background(), n)
	if err != nil {
		e.t.Fatalf("create token: %v", err)
	}
	return secret
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Problem checks the response is a problem document with the status and code.
func (r resp) Problem(t testing.TB, status int, code string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	m := r.JSON(t)
	if m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, r.Body)
	}
	if m["status"] != float64(status) || m["type"] == "" || m["title"] == "" || m["detail"] == "" {
		t.Fatalf("incomplete problem document: %s", r.Body)
	}
	return m
}

func (e *env) do(method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (e *env) must(status int, r resp) map[string]any {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if len(r.Body) == 0 {
		return nil
	}
	return r.JSON(e.t)
}

func (e *env) createMeeting() string {
	e.t.Helper()
	m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
		"title":    map[string]string{"en": "Forum on Climate Resilience", "fr": "Forum sur la résilience climatique"},
		"venue_tz": "Europe/Paris", "format": "virtual", "default_lang": "en", "platform": "zoom",
	}))
	return m["id"].(string)
}

func (e *env) createSession(meetingID string, body map[string]any) map[string]any {
	e.t.Helper()
	return e.must(201, e.do("POST", "/v1/meetings/"+meetingID+"/sessions", body))
}

// outboxTypes lists the subjects written to the outbox, in order.
func (e *env) outboxSubjects() []string {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT subject FROM outbox ORDER BY seq`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, strings.TrimPrefix(s, "plenary.v1."))
	}
	return out
}

// forEachDialect runs the test body against a fresh server on SQLite and on PostgreSQL.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) { fn(t, newEnv(t, d)) })
}
