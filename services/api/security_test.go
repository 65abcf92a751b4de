package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

func TestTokenAdministration(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.token = e.planner
		e.do("POST", "/v1/tokens", map[string]any{"role": "admin"}).Problem(t, 403, "role_insufficient")
		e.do("GET", "/v1/tokens", nil).Problem(t, 403, "role_insufficient")

		e.token = e.admin
		e.do("POST", "/v1/tokens", map[string]any{"role": "root"}).Problem(t, 400, "invalid_token_request")
		e.do("POST", "/v1/tokens", map[string]any{"role": "admin", "meetings": []string{"m"}}).Problem(t, 400, "invalid_token_request")
		created := e.do("POST", "/v1/tokens", map[string]any{"role": "viewer", "name": "press office"})
		tok := e.must(201, created)
		secret, id := tok["token"].(string), tok["id"].(string)
		if _, ok := auth.ParseBearer("Bearer " + secret); !ok || created.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("created token %q, headers %v", secret, created.Header)
		}
		list := e.do("GET", "/v1/tokens", nil)
		e.must(200, list)
		if bytes.Contains(list.Body, []byte(secret)) || bytes.Contains(list.Body, []byte(auth.Hash(secret))) || !bytes.Contains(list.Body, []byte("press office")) {
			t.Fatalf("token list shows a secret or misses the token: %s", list.Body)
		}

		// Use: recorded at most once a minute.
		e.token = secret
		e.must(200, e.do("GET", "/v1/meetings", nil))
		e.do("POST", "/v1/meetings", map[string]any{}).Problem(t, 403, "role_insufficient")
		used := func() string {
			var s string
			if err := e.db.QueryRow(`SELECT COALESCE(CAST(last_used_at AS TEXT), '') FROM api_tokens WHERE id = $1`, id).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		first := used()
		if first == "" {
			t.Fatal("last_used_at not recorded")
		}
		e.clock.mu.Lock()
		e.clock.t = e.clock.t.Add(30 * time.Second)
		e.clock.mu.Unlock()
		e.must(200, e.do("GET", "/v1/meetings", nil))
		if used() != first {
			t.Fatal("last_used_at written again within a minute")
		}
		e.clock.mu.Lock()
		e.clock.t = e.clock.t.Add(time.Minute)
		e.clock.mu.Unlock()
		e.must(200, e.do("GET", "/v1/meetings", nil))
		if used() == first {
			t.Fatal("last_used_at not updated after a minute")
		}

		e.token = e.admin
		e.must(204, e.do("DELETE", "/v1/tokens/"+id, nil))
		e.must(204, e.do("DELETE", "/v1/tokens/"+id, nil))
		e.do("DELETE", "/v1/tokens/nope", nil).Problem(t, 404, "token_not_found")
		e.token = secret
		r := e.do("GET", "/v1/meetings", nil)
		r.Problem(t, 401, "invalid_token")
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Fatal("401 without WWW-Authenticate")
		}
		e.token = "pln_" + strings.Repeat("A", 43)
		e.do("GET", "/v1/meetings", nil).Problem(t, 401, "invalid_token")
		e.token = ""
		e.do("GET", "/v1/meetings", nil).Problem(t, 401, "token_required")

		e.token = e.admin
		audit := e.must(200, e.do("GET", "/v1/audit", nil))
		items := audit["items"].([]any)
		revoke, create := items[0].(map[string]any), items[1].(map[string]any)
		if revoke["action"] != "token.revoke" || create["action"] != "token.create" || create["resource_id"] != id ||
			create["actor"].(map[string]any)["name"] != "test admin" || bytes.Contains(audit0(t, e), []byte(secret)) {
			t.Fatalf("token audit: %v", items[:2])
		}
	})
}

func audit0(t *testing.T, e *env) []byte { return e.do("GET", "/v1/audit", nil).Body }

func TestLimitedTokenSeesOnlyItsMeetings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m1, m2, m3 := e.createMeeting(), e.createMeeting(), e.createMeeting()
		x := e.createSession(m2, map[string]any{"title": map[string]string{"en": "S"}, "start": "2026-12-08T10:00", "duration_min": 60, "floor_languages": []string{"en"}})
		e.token = e.newToken(auth.NewToken{Role: auth.RolePlanner, Meetings: []string{m2, m3}})
		var seen []string
		for cursor := ""; ; {
			page := e.must(200, e.do("GET", "/v1/meetings?limit=1&cursor="+cursor, nil))
			for _, it := range page["items"].([]any) {
				seen = append(seen, it.(map[string]any)["id"].(string))
			}
			if cursor, _ = page["next_cursor"].(string); cursor == "" {
				break
			}
		}
		if strings.Join(seen, ",") != m2+","+m3 {
			t.Fatalf("limited token lists %v, want [%s %s]", seen, m2, m3)
		}
		e.do("GET", "/v1/meetings/"+m1, nil).Problem(t, 403, "outside_token_scope")
		e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "x"}, "venue_tz": "UTC"}).Problem(t, 403, "outside_token_scope")
		e.must(200, e.do("GET", "/v1/sessions/"+x["id"].(string), nil))
		e.do("GET", "/v1/sessions/nope", nil).Problem(t, 404, "session_not_found")
		e.do("GET", "/v1/audit", nil).Problem(t, 403, "outside_token_scope")
		e.do("GET", "/v1/audit?meeting="+m1, nil).Problem(t, 403, "outside_token_scope")
		e.must(200, e.do("GET", "/v1/audit?meeting="+m2, nil))
	})
}

func TestAuditTrailSaysWhoMovedASession(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		x := e.createSession(mid, map[string]any{"title": map[string]string{"en": "S"}, "start": "2026-12-08T10:00", "duration_min": 60, "floor_languages": []string{"en"}})
		sid := x["id"].(string)
		e.token = e.newToken(auth.NewToken{Role: auth.RolePlanner, Name: "Ana's laptop"})
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2026-12-08T14:00"}, "If-Match", `"1"`))
		// A refused change leaves no trace: the record is in the change's transaction.
		e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2026-12-08T15:00"}, "If-Match", `"1"`).Problem(t, 412, "version_mismatch")

		e.token = e.newToken(auth.NewToken{Role: auth.RoleViewer})
		e.do("GET", "/v1/audit?meeting="+mid, nil).Problem(t, 403, "role_insufficient")
		e.token = e.planner
		page := e.must(200, e.do("GET", "/v1/audit?meeting="+mid+"&limit=1", nil))
		items := page["items"].([]any)
		if len(items) != 1 || page["next_cursor"] == nil {
			t.Fatalf("first page: %v", page)
		}
		got := items[0].(map[string]any)
		actor := got["actor"].(map[string]any)
		before, after := got["before"].(map[string]any), got["after"].(map[string]any)
		if got["action"] != "session.reschedule" || actor["name"] != "Ana's laptop" || actor["kind"] != "token" || got["resource_id"] != sid ||
			before["start_utc"] != "2026-12-08T09:00:00Z" || after["start_utc"] != "2026-12-08T13:00:00Z" || got["request_id"] == "" {
			t.Fatalf("audit entry: %v", got)
		}
		var actions []string
		for cursor := ""; ; {
			p := e.must(200, e.do("GET", "/v1/audit?meeting="+mid+"&limit=1&cursor="+cursor, nil))
			for _, it := range p["items"].([]any) {
				actions = append(actions, it.(map[string]any)["action"].(string))
			}
			if cursor, _ = p["next_cursor"].(string); cursor == "" {
				break
			}
		}
		if strings.Join(actions, ",") != "session.reschedule,session.create,meeting.create" {
			t.Fatalf("audit of the meeting: %v", actions)
		}
		e.do("GET", "/v1/audit?cursor=!!", nil).Problem(t, 400, "invalid_cursor")
	})
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestSecretsStayOutOfResponsesAndLogs(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	var logs syncBuffer
	deps.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := startEnv(t, d, clock, deps, keys, links)
	mid := e.createMeeting()
	reg := e.must(201, e.do("POST", "/v1/meetings/"+mid+"/registrations", map[string]any{"name": "Ana", "email": "ana@example.org", "locale": "en", "tz": "UTC", "consent_reminders": true}))
	manage := reg["links"].(map[string]any)["manage"].(string)
	link := manage[strings.Index(manage, "token=")+len("token="):]
	e.token = ""
	e.must(200, e.do("GET", "/v1/registrations/"+reg["id"].(string)+"?token="+link, nil))
	e.token = "pln_" + strings.Repeat("B", 43)
	e.do("GET", "/v1/meetings", nil).Problem(t, 401, "invalid_token")

	// An internal failure: its cause is logged, never shown.
	e.token = e.planner
	if _, err := d.Exec(`DROP TABLE audit_log`); err != nil {
		t.Fatal(err)
	}
	r := e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "x"}, "venue_tz": "UTC"})
	r.Problem(t, 500, "internal")
	if bytes.Contains(bytes.ToLower(r.Body), []byte("audit_log")) || bytes.Contains(r.Body, []byte("table")) {
		t.Fatalf("internal error text in the response: %s", r.Body)
	}
	out := logs.String()
	if !strings.Contains(out, "audit_log") {
		t.Fatalf("the internal error was not logged: %s", out)
	}
	for _, secret := range []string{e.planner, e.admin, link, "pln_" + strings.Repeat("B", 43), auth.Hash(e.planner)} {
		if strings.Contains(out, secret) {
			t.Fatalf("a secret is in the logs: %.20s...", secret)
		}
	}
}

func TestRateLimits(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	deps.Limits = auth.Limits{PerToken: 1, TokenBurst: 3, PerIP: 1, IPBurst: 2}
	e := startEnv(t, d, clock, deps, keys, links)
	// The clock stands still, so no bucket refills during the test.
	e.token = ""
	if r := e.do("GET", "/openapi.yaml", nil); r.Status != 200 {
		t.Fatalf("openapi: %d", r.Status)
	}
	if r := e.do("GET", "/openapi.yaml", nil, "X-Forwarded-For", "203.0.113.9"); r.Status != 200 {
		t.Fatalf("openapi: %d", r.Status)
	}
	r := e.do("GET", "/openapi.yaml", nil, "X-Forwarded-For", "198.51.100.7") // untrusted: same client
	r.Problem(t, 429, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// Probes are never limited, even for a client that is.
	for range 50 {
		e.must(200, e.do("GET", "/healthz", nil))
		e.must(200, e.do("GET", "/readyz", nil))
	}
	// Guessing tokens counts against the address.
	e.token = "pln_" + strings.Repeat("C", 43)
	e.do("GET", "/v1/meetings", nil).Problem(t, 429, "rate_limited")

	e.token = e.planner
	for range 3 {
		e.must(200, e.do("GET", "/v1/meetings", nil))
	}
	e.do("GET", "/v1/meetings", nil).Problem(t, 429, "rate_limited")
	e.token = e.admin // another token has its own bucket
	e.must(200, e.do("GET", "/v1/meetings", nil))
	clock.mu.Lock()
	clock.t = clock.t.Add(2 * time.Second)
	clock.mu.Unlock()
	e.token = e.planner
	e.must(200, e.do("GET", "/v1/meetings", nil))
}

func TestCORSIsOffUnlessConfigured(t *testing.T) {
	for _, origins := range [][]string{nil, {"https://secretariat.example.org"}} {
		d := dbtest.Open(t, db.SQLite)
		clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
		deps, keys, links := newDeps(d, clock)
		deps.CORSOrigins = origins
		e := startEnv(t, d, clock, deps, keys, links)
		for _, origin := range []string{"https://secretariat.example.org", "https://evil.example"} {
			allowed := len(origins) > 0 && origin == origins[0]
			r := e.do("GET", "/v1/meetings", nil, "Origin", origin)
			if got := r.Header.Get("Access-Control-Allow-Origin"); (got == origin) != allowed || (!allowed && got != "") {
				t.Fatalf("origins %v, Origin %s: Access-Control-Allow-Origin %q", origins, origin, got)
			}
			// A cached representation names its own request headers in Vary beside the
			// Origin that CORS answered for, or a shared cache hands one origin's answer
			// to another.
			if allowed {
				mid := e.createMeeting()
				a := e.do("GET", "/v1/meetings/"+mid+"/agenda", nil, "Origin", origin, "Accept-Encoding", "gzip")
				vary := strings.Join(a.Header.Values("Vary"), ", ")
				for _, want := range []string{"Origin", "Authorization", "Accept-Encoding"} {
					if a.Status != 200 || !strings.Contains(vary, want) {
						t.Fatalf("agenda from an allowed origin: %d, Vary %q lacks %s", a.Status, vary, want)
					}
				}
			}
			pre := e.do("OPTIONS", "/v1/meetings", nil, "Origin", origin, "Access-Control-Request-Method", "POST")
			if allowed != (pre.Status == 204 && strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization")) {
				t.Fatalf("origins %v, preflight from %s: %d %v", origins, origin, pre.Status, pre.Header)
			}
		}
	}
}

func TestDeeplyNestedJSONIsACleanError(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	deep := `{"title": {"en": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}, "venue_tz": "UTC"}`
	r := e.do("POST", "/v1/meetings", deep)
	if r.Status != 400 {
		t.Fatalf("deeply nested JSON: %d %.200s", r.Status, r.Body)
	}
	e.token = e.admin
	e.do("POST", "/v1/tokens", `{"role": "viewer", "meetings": `+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`).Problem(t, 400, "malformed_json")
	_ = context.Background()
}

// TestHeaderInjectionAndMarkupAreRefusedOrInert: names and addresses that would add mail
// headers are refused at the edge; markup in titles travels as JSON data only.
func TestHeaderInjectionAndMarkupAreRefusedOrInert(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		path := "/v1/meetings/" + mid + "/registrations"
		base := map[string]any{"name": "Ana", "email": "ana@example.org", "locale": "en", "tz": "UTC", "consent_reminders": true}
		with := func(k, v string) map[string]any {
			m := map[string]any{}
			for a, b := range base {
				m[a] = b
			}
			m[k] = v
			return m
		}
		for _, bad := range []map[string]any{
			with("name", "Ana\r\nBcc: all@example.org"), with("name", "Ana\nSubject: hi"),
			with("email", "ana@example.org\r\nBcc: all@example.org"), with("email", "ana@example.org\nX: y"),
		} {
			// Refused, or kept on one line (the service folds whitespace).
			r := e.do("POST", path, bad)
			if r.Status == 201 {
				got := r.JSON(t)
				if strings.ContainsAny(got["name"].(string)+got["email"].(string), "\r\n") {
					t.Fatalf("registration kept a line break: %s", r.Body)
				}
				e.must(204, e.do("DELETE", "/v1/registrations/"+got["id"].(string)+"?token="+linkToken(got), nil))
				continue
			}
			if r.Status != 422 && r.Status != 400 {
				t.Fatalf("registration %v: %d %s", bad, r.Status, r.Body)
			}
		}
		xss := `<script>alert("x")</script><img src=x onerror=alert(1)>`
		m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": xss}, "venue_tz": "UTC", "public": true}))
		e.token = ""
		r := e.do("GET", "/v1/meetings/"+m["id"].(string)+"/agenda", nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("public agenda: %d %v", r.Status, r.Header)
		}
	})
}

// linkToken is the token of a registration's manage link.
func linkToken(reg map[string]any) string {
	manage := reg["links"].(map[string]any)["manage"].(string)
	return manage[strings.Index(manage, "token=")+len("token="):]
}

// TestIdempotencyKeysArePerCaller: one caller's key never replays another's response.
func TestIdempotencyKeysArePerCaller(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	body := map[string]any{"title": map[string]string{"en": "Forum"}, "venue_tz": "UTC"}
	first := e.must(201, e.do("POST", "/v1/meetings", body, "Idempotency-Key", "same"))
	e.token = e.admin
	r := e.do("POST", "/v1/meetings", body, "Idempotency-Key", "same")
	if e.must(201, r)["id"] == first["id"] || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another caller's key replayed: %s", r.Body)
	}
	e.token = e.planner
	if r := e.do("POST", "/v1/meetings", body, "Idempotency-Key", "same"); e.must(201, r)["id"] != first["id"] {
		t.Fatalf("own key not replayed: %s", r.Body)
	}
}

// TestTokenAdministrationIsInTheAdminsTrailOnly: planners read the trail of meetings, not
// of tokens.
func TestTokenAdministrationIsInTheAdminsTrailOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.token = e.admin
		e.must(201, e.do("POST", "/v1/tokens", map[string]any{"role": "viewer", "name": "press office"}))
		if r := e.do("GET", "/v1/audit", nil); !strings.Contains(string(r.Body), "press office") {
			t.Fatalf("admin's trail: %s", r.Body)
		}
		e.token = e.planner
		if r := e.do("GET", "/v1/audit", nil); r.Status != 200 || strings.Contains(string(r.Body), "press office") || strings.Contains(string(r.Body), "token.create") {
			t.Fatalf("planner's trail: %d %s", r.Status, r.Body)
		}
	})
}
