package auth

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestRoles(t *testing.T) {
	cases := []struct {
		have, need Role
		ok         bool
	}{
		{RoleAdmin, RolePlanner, true}, {RoleAdmin, RoleViewer, true}, {RolePlanner, RoleViewer, true},
		{RolePlanner, RoleAdmin, false}, {RoleViewer, RolePlanner, false}, {"root", RoleViewer, false}, {RoleAdmin, "", false},
	}
	for _, c := range cases {
		if got := c.have.Includes(c.need); got != c.ok {
			t.Errorf("%q includes %q: %v, want %v", c.have, c.need, got, c.ok)
		}
	}
}

func TestTokenStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d, func() time.Time { return t0 })
		tok, secret, err := s.Create(ctx, NewToken{Role: RoleViewer, Meetings: []string{"m1"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != len(TokenPrefix)+43 || tok.Name != "viewer token" {
			t.Fatalf("token %q %+v", secret, tok)
		}
		var stored string
		if err := d.QueryRow(`SELECT token_hash FROM api_tokens WHERE id = $1`, tok.ID).Scan(&stored); err != nil || stored != Hash(secret) || strings.Contains(stored, secret) {
			t.Fatalf("stored %q, %v", stored, err)
		}
		got, err := s.Authenticate(ctx, secret)
		if err != nil || got.ID != tok.ID || got.Actor().CanSee("m2") || !got.Actor().CanSee("m1") {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		if _, err := s.Authenticate(ctx, secret+"x"); problem.From(err).Kind != problem.KindUnauthorized {
			t.Fatalf("wrong secret: %v", err)
		}
		if _, err := s.Revoke(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, secret); problem.From(err).Kind != problem.KindUnauthorized {
			t.Fatalf("revoked token: %v", err)
		}
		if n, err := s.Count(ctx); err != nil || n != 0 {
			t.Fatalf("count %d %v", n, err)
		}
		if _, _, err := s.Create(ctx, NewToken{Role: RolePlanner, Name: "a\r\nb"}); problem.From(err).Kind != problem.KindInvalid {
			t.Fatalf("name with CR/LF: %v", err)
		}
	})
}

// A revocation goes through the one update helper: it is written and recorded once; a
// second revocation changes nothing and records nothing; an unknown token is a 404.
func TestRevokeIsRecordedOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := t0
		s := NewStore(d, func() time.Time { return now })
		var trail []string
		s.Audit = func(_ context.Context, _ *sql.Tx, action string, tok Token, before, after any) error {
			b, _ := before.(Token)
			a, _ := after.(Token)
			trail = append(trail, fmt.Sprintf("%s %s revoked %v->%v", action, tok.ID, b.RevokedAt != nil, a.RevokedAt != nil))
			return nil
		}
		tok, _, err := s.Create(ctx, NewToken{Role: RolePlanner, Name: "secretariat"})
		if err != nil {
			t.Fatal(err)
		}
		now = t0.Add(time.Hour)
		got, err := s.Revoke(ctx, tok.ID)
		if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("revoke: %+v %v", got, err)
		}
		now = t0.Add(2 * time.Hour)
		again, err := s.Revoke(ctx, tok.ID)
		if err != nil || again.RevokedAt == nil || !again.RevokedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("a second revocation moved the time: %+v %v", again, err)
		}
		var stored time.Time
		if err := d.QueryRow(`SELECT revoked_at FROM api_tokens WHERE id = $1`, tok.ID).Scan(&stored); err != nil || !stored.Equal(t0.Add(time.Hour)) {
			t.Fatalf("stored revoked_at %v %v", stored, err)
		}
		want := []string{"token.create " + tok.ID + " revoked false->false", "token.revoke " + tok.ID + " revoked false->true"}
		if fmt.Sprint(trail) != fmt.Sprint(want) {
			t.Fatalf("trail %q, want %q", trail, want)
		}
		if _, err := s.Revoke(ctx, "0192f6a0-0000-7000-8000-000000000000"); problem.From(err).Kind != problem.KindNotFound {
			t.Fatalf("unknown token: %v", err)
		}
	})
}

func TestParseBearer(t *testing.T) {
	good := TokenPrefix + strings.Repeat("A", 43)
	for h, ok := range map[string]bool{
		"Bearer " + good: true, "bearer " + good: true, "Bearer  " + good: true,
		good: false, "Basic " + good: false, "Bearer " + good + "A": false, "Bearer pln_" + strings.Repeat("A", 42) + "!": false,
		"Bearer xyz_" + strings.Repeat("A", 43): false, "": false, "Bearer ": false,
	} {
		if _, got := ParseBearer(h); got != ok {
			t.Errorf("ParseBearer(%q) = %v, want %v", h, got, ok)
		}
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := newLimiterSet(limitSpec{every: 1, burst: 2, max: 100})
	for i := range 10000 {
		l.allow(fmt.Sprintf("203.0.113.%d/%d", i%250, i), t0)
	}
	if n := l.size(); n > 100 {
		t.Fatalf("%d buckets kept, limit 100", n)
	}
	// A key seen again keeps its bucket: two allowed, then refused (no time passes).
	var got []bool
	for range 3 {
		got = append(got, l.allow("k", t0))
	}
	if !got[0] || !got[1] || got[2] {
		t.Fatalf("burst of 2: %v", got)
	}
	if !l.allow("k", t0.Add(time.Second)) {
		t.Fatal("bucket did not refill")
	}
}

// fuzzEngine is a router with one route of each access kind and no token store, so that
// no bearer can authenticate.
func fuzzEngine(keys *signed.Keys) *gin.Engine {
	r := httpx.NewEngine(httpx.Options{})
	ok := func(c *gin.Context) { c.String(http.StatusOK, "ok") }
	r.Use(Enforce(Config{Now: func() time.Time { return t0 }, LinkKeys: keys, Limits: Limits{PerToken: -1, PerIP: -1}, Policy: Policy{
		"GET /role/:id":     Viewer(MeetingParam("id")),
		"GET /link/:id":     LinkInQuery(signed.Registration, "id"),
		"GET /path/:token":  LinkInPath(signed.Unsubscribe, "token", ""),
		"GET /public":       Public(),
		"GET /unregistered": {},
	}}))
	for _, p := range []string{"/role/:id", "/link/:id", "/path/:token", "/public", "/unregistered", "/nopolicy"} {
		r.GET(p, ok)
	}
	return r
}

// FuzzEnforce sends arbitrary bearer headers and link tokens: nothing but the public route
// may answer 200, and nothing may fail with a 500.
func FuzzEnforce(f *testing.F) {
	keys, _ := signed.NewKeys("k1", map[string][]byte{"k1": []byte(strings.Repeat("k", 32))})
	valid := keys.Sign(signed.Registration, "r1", t0.Add(time.Hour))
	f.Add("Bearer "+TokenPrefix+strings.Repeat("A", 43), valid, "r1")
	f.Add("Bearer", "", "")
	f.Add("Basic dXNlcjpwYXNz", valid+"x", "r2")
	f.Add("Bearer pln_\r\n", "a.b", "../r1")
	engine := fuzzEngine(keys)
	f.Fuzz(func(t *testing.T, header, token, id string) {
		for _, path := range []string{"/role/", "/link/", "/path/", "/unregistered", "/nopolicy"} {
			target := path
			if strings.HasSuffix(path, "/") {
				target += url.PathEscape(id)
			}
			if path == "/path/" {
				target = path + url.PathEscape(token)
			}
			req := httptest.NewRequest("GET", "http://plenary.test"+target+"?token="+url.QueryEscape(token), nil)
			if strings.ContainsAny(header, "\r\n\x00") {
				header = strings.Map(func(r rune) rune {
					if r == '\r' || r == '\n' || r == 0 {
						return -1
					}
					return r
				}, header)
			}
			req.Header.Set("Authorization", header)
			w := httptest.NewRecorder()
			engine.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("GET %s with %q: %d %s", target, header, w.Code, w.Body)
			}
			linkOK := path == "/link/" && token == valid && id == "r1" && header == ""
			if w.Code < 300 && !linkOK {
				t.Fatalf("GET %s with Authorization %q, token %q: %d", target, header, token, w.Code)
			}
		}
	})
}

// FuzzParseBearer: never a panic; an accepted token is exactly the prefix and 43
// base64url characters.
func FuzzParseBearer(f *testing.F) {
	f.Add("Bearer " + TokenPrefix + strings.Repeat("A", 43))
	f.Add("Bearer pln_")
	f.Add("bearer\tpln_" + strings.Repeat("_", 43))
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := ParseBearer(h)
		if !ok {
			return
		}
		if !strings.HasPrefix(tok, TokenPrefix) || len(tok) != len(TokenPrefix)+43 || !strings.Contains(h, tok) {
			t.Fatalf("ParseBearer(%q) accepted %q", h, tok)
		}
	})
}
