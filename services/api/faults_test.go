package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
)

// Every route, with a NUL byte or bytes that are not UTF-8 in each path parameter or in
// the query, is a 400 invalid_text on both databases, with or without a token:
// PostgreSQL cannot store such text and used to answer 500 from inside a query.
func TestUnstorableTextInPathOrQueryIs400(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		var keys []string
		for k := range api.Policy(e.deps) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		checked := 0
		for _, k := range keys {
			method, route, _ := strings.Cut(k, " ")
			var parts []string
			hasParam := false
			for _, seg := range strings.Split(route, "/") {
				if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
					hasParam = true
					seg = mid + "%00"
				}
				parts = append(parts, seg)
			}
			paths := []string{route + "?tz=Europe%2FParis%00&lang=fr", route + "?lang=%FF%FE"}
			if hasParam {
				paths = append(paths, strings.Join(parts, "/"), strings.ReplaceAll(strings.Join(parts, "/"), "%00", "%C3%28"))
			}
			for _, p := range paths {
				for _, token := range []string{e.planner, ""} {
					e.token = token
					r := e.do(method, p, nil)
					if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"code":"invalid_text"`) {
						t.Errorf("%s %s (token %v): %d %s, want 400 invalid_text", method, p, token != "", r.Status, r.Body)
					}
					checked++
				}
			}
		}
		e.token = e.planner
		if checked < 4*40 {
			t.Fatalf("only %d requests checked: the route list is too short", checked)
		}
	})
}

// A NUL character in a JSON string (\u0000) of any body is a 400 invalid_text naming the
// field, before anything is written.
func TestNULInBodyIs400NamingTheField(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", "/v1/meetings", `{"title": {"en": "Forum\u0000"}, "venue_tz": "Europe/Paris", "format": "virtual", "default_lang": "en", "platform": "zoom"}`)
		m := r.Problem(t, 400, "invalid_text")
		if fe := m["errors"].([]any)[0].(map[string]any); fe["field"] != "title/en" {
			t.Fatalf("field %v, want title/en", fe["field"])
		}
		mid := e.createMeeting()
		r = e.do("POST", "/v1/meetings/"+mid+"/sessions", `{"title": {"en": "Opening"}, "start": "2027-02-01T16:30", "duration_min": 90,
			"tz": "Europe/Paris", "floor_languages": ["en"], "audience": ["Western European\u0000 and Others Group"]}`)
		m = r.Problem(t, 400, "invalid_text")
		if fe := m["errors"].([]any)[0].(map[string]any); fe["field"] != "audience/0" {
			t.Fatalf("field %v, want audience/0", fe["field"])
		}
		if got := e.outboxSubjects(); len(got) != 1 {
			t.Fatalf("outbox %v: a refused write left an event", got)
		}
	})
}

// Instants that some zone would show outside the years 1 to 9999 are a 422 on both
// databases (RFC 3339 and JSON have four-digit years, and an agenda shows each instant in
// the venue's zone and in any reader's): a session that would end in the year 10000, or
// start before the year 1, in UTC or in the venue's zone (Paris) or in Pacific/Kiritimati
// (UTC+14:00), where 9999-12-31T10:00Z is already 10000-01-01.
func TestInstantsOutsideYears1To9999Are422(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		for _, tc := range []struct {
			body  string
			field string
		}{
			{`{"title": {"en": "Last session"}, "start": "9999-12-31T22:00", "duration_min": 180, "tz": "UTC", "floor_languages": ["en"]}`, "start"},
			{`{"title": {"en": "Last session"}, "start": "9999-12-31T23:30", "end": "9999-12-31T23:45", "tz": "GMT-3", "floor_languages": ["en"]}`, "start"},
			{`{"title": {"en": "First session"}, "start": "0001-01-01T01:00", "duration_min": 60, "tz": "Asia/Tokyo", "floor_languages": ["en"]}`, "start"},
			// Stored, this one's venue end was 10000-01-01T00:30+01:00.
			{`{"title": {"en": "Last session"}, "start": "9999-12-31T22:30", "duration_min": 60, "tz": "UTC", "floor_languages": ["en"]}`, "start"},
			{`{"title": {"en": "Last session"}, "start": "9999-12-31T09:30", "duration_min": 60, "tz": "UTC", "floor_languages": ["en"]}`, "end"},
			{`{"title": {"en": "First session"}, "start": "0001-01-01T14:00", "duration_min": 60, "tz": "UTC", "floor_languages": ["en"]}`, "start"},
		} {
			r := e.do("POST", "/v1/meetings/"+mid+"/sessions", tc.body)
			m := r.Problem(t, 422, "instant_out_of_range")
			if fe := m["errors"].([]any)[0].(map[string]any); fe["field"] != tc.field {
				t.Errorf("%s: field %v, want %s", tc.body, fe["field"], tc.field)
			}
		}
		// The last minutes every zone shows within the year 9999 are fine, and the agenda
		// read from the far east of the date line stays RFC 3339 (the contract checks it).
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/sessions", map[string]any{"title": map[string]string{"en": "Last session"},
			"start": "9999-12-31T09:00", "duration_min": 59, "tz": "UTC", "floor_languages": []string{"en"}}))
		a := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=Pacific/Kiritimati", nil))
		if local := a["sessions"].([]any)[0].(map[string]any)["local"].(map[string]any); local["end"] != "9999-12-31T23:59:00+14:00" {
			t.Errorf("local end %v", local["end"])
		}
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/sessions", map[string]any{"title": map[string]string{"en": "First session"},
			"start": "0001-01-01T16:00", "duration_min": 60, "tz": "UTC", "floor_languages": []string{"en"}}))
		e.must(200, e.do("GET", "/v1/meetings/"+mid+"/agenda?tz=America/Los_Angeles", nil))
	})
}

// unreachable is a PostgreSQL handle to a port where nothing listens.
func unreachable(t *testing.T) *db.DB {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sqldb, err := sql.Open("pgx", "postgres://postgres@"+addr+"/plenary?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.Close() })
	return &db.DB{DB: sqldb, Dialect: db.Postgres}
}

// frozen is a PostgreSQL handle to a server that accepts connections and never answers,
// as a SIGSTOPped PostgreSQL does.
func frozen(t *testing.T) *db.DB {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read
		}
	}()
	t.Cleanup(func() { ln.Close() })
	sqldb, err := sql.Open("pgx", "postgres://postgres@"+ln.Addr().String()+"/plenary?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.Close() })
	return &db.DB{DB: sqldb, Dialect: db.Postgres}
}

// With the database unreachable or frozen, every request that needs it is a 503
// unavailable with Retry-After, within the request budget: a valid-looking token is
// neither treated as anonymous nor thrown into the anonymous rate limit (429), and no
// request is left without an answer. Health is never rate limited; readiness says the
// database is down.
func TestDatabaseOutageAnswers503(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    func(*testing.T) *db.DB
	}{{"unreachable", unreachable}, {"frozen", frozen}} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d(t)
			clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
			deps, _, _ := newDeps(d, clock)
			deps.Limits = auth.Limits{PerToken: 1, TokenBurst: 2, PerIP: 1, IPBurst: 2}
			deps.RequestBudget = 500 * time.Millisecond
			srv := httptest.NewServer(api.NewServer(deps))
			defer srv.Close()
			client := &http.Client{Timeout: 10 * time.Second} // a hang is a failure, not a wait
			do := func(method, path, token string) (*http.Response, string) {
				t.Helper()
				req, _ := http.NewRequestWithContext(context.Background(), method, srv.URL+path, strings.NewReader(`{"title": {"en": "Forum"}, "venue_tz": "UTC"}`))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				res, err := client.Do(req)
				if err != nil {
					t.Fatalf("%s %s: no answer: %v", method, path, err)
				}
				defer res.Body.Close()
				var b strings.Builder
				buf := make([]byte, 4096)
				for {
					n, err := res.Body.Read(buf)
					b.Write(buf[:n])
					if err != nil {
						break
					}
				}
				return res, b.String()
			}
			token := "pln_" + strings.Repeat("A", 43)
			for i := range 6 {
				for _, rq := range [][2]string{{"GET", "/v1/meetings"}, {"POST", "/v1/meetings"}} {
					res, body := do(rq[0], rq[1], token)
					if res.StatusCode != 503 || !strings.Contains(body, `"code":"unavailable"`) || res.Header.Get("Retry-After") == "" {
						t.Fatalf("%s %s with a token, try %d: %d %q Retry-After %q, want 503 unavailable with Retry-After",
							rq[0], rq[1], i, res.StatusCode, body, res.Header.Get("Retry-After"))
					}
				}
			}
			// The public agenda (no token) needs the database to know the meeting is public.
			if res, body := do("GET", "/v1/meetings/m1/agenda", ""); res.StatusCode != 503 {
				t.Fatalf("public agenda: %d %s, want 503", res.StatusCode, body)
			}
			for range 20 {
				if res, body := do("GET", "/healthz", ""); res.StatusCode != 200 {
					t.Fatalf("healthz during a flood: %d %s", res.StatusCode, body)
				}
			}
			for range 5 {
				res, body := do("GET", "/readyz", "")
				if res.StatusCode != 503 || !strings.Contains(body, `"database":"unavailable"`) {
					t.Fatalf("readyz: %d %s, want 503 with the database unavailable", res.StatusCode, body)
				}
			}
		})
	}
}

// TestTitlesAreOneLine: a meeting, session or item title with a line break, a tab or
// another control character (as a title pasted from a printed notice may carry) is a
// 422 invalid_text naming the language: such a title would break a mail Subject, a
// calendar SUMMARY and a page heading. Bidi marks, which mixed Arabic and Latin titles
// need, are kept.
func TestTitlesAreOneLine(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		for _, title := range []string{"Opening\r\nBcc: all@example.org", "Plenary\tsitting", "Plénière\u2028suite", "Side\u0085event"} {
			for _, c := range []struct{ path, body string }{
				{"/v1/meetings", `{"title": {"fr": ` + jsonString(title) + `}, "venue_tz": "Europe/Paris"}`},
				{"/v1/meetings/" + mid + "/sessions", `{"title": {"fr": ` + jsonString(title) + `}, "start": "2027-03-02T10:00", "duration_min": 60, "tz": "Europe/Paris", "floor_languages": ["fr"]}`},
			} {
				m := e.do("POST", c.path, c.body).Problem(t, 422, "validation_failed")
				fe := m["errors"].([]any)[0].(map[string]any)
				if fe["field"] != "title/fr" || fe["code"] != "invalid_text" {
					t.Errorf("%s %q: %v", c.path, title, fe)
				}
			}
		}
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/sessions", map[string]any{
			"title": map[string]string{"ar": "\u200fجلسة \u200eCOP31\u200e العامة"}, "start": "2027-03-02T10:00", "duration_min": 60,
			"tz": "Europe/Paris", "floor_languages": []string{"ar"}}))
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
