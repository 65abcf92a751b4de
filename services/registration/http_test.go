package registration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

var fixedNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type fixture struct {
	srv      *httptest.Server
	d        *db.DB
	meeting  string
	sessions []string
	keys     *signed.Keys
}

func ptr[T any](v T) *T { return &v }

func setup(t *testing.T, d *db.DB) fixture {
	t.Helper()
	ctx := context.Background()
	clock := func() time.Time { return fixedNow }
	ag := agenda.NewService(d, agenda.WithClock(clock))
	m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Plenary"}, VenueTZ: ptr("Europe/Zurich")})
	if err != nil {
		t.Fatalf("%v %+v", err, problem.From(err).Fields)
	}
	var ids []string
	for _, start := range []string{"2026-12-01T10:00", "2026-12-02T10:00"} {
		x, err := ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Session"}, Start: ptr(start), DurationMin: ptr(90), Floor: []string{"en"}, Outputs: []string{"fr"}})
		if err != nil {
			t.Fatalf("%v %+v", err, problem.From(err).Fields)
		}
		ids = append(ids, x.ID)
	}
	keys, _ := signed.NewRandomKeys()
	links := signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"}
	svc := registration.NewService(d, registration.AgendaMeetings{Agenda: ag}, links, registration.WithClock(clock))
	r := httpx.NewEngine(httpx.Options{})
	v1 := r.Group("/v1")
	agenda.NewHandlers(ag).Register(v1)
	registration.NewHandlers(svc).Register(v1)
	srv := openapitest.NewServer(t, r)
	return fixture{srv: srv, d: d, meeting: m.ID, sessions: ids, keys: keys}
}

func (f fixture) do(t *testing.T, method, path string, body any, hdr ...string) (int, map[string]any, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out, res.Header
}

func outboxTypes(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(`SELECT subject FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		if strings.Contains(s, "registration") {
			out = append(out, strings.TrimPrefix(s, contracts.SubjectPrefix))
		}
	}
	return out
}

func TestRegistrationLifecycle(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		code, body, hdr := f.do(t, "POST", "/v1/meetings/"+f.meeting+"/registrations", map[string]any{
			"name": "Amélie Tremblay", "email": "Amelie@Example.org", "locale": "fr-ca", "tz": "America/Montreal",
			"sessions": []string{f.sessions[1]}, "consent_reminders": true,
		})
		if code != http.StatusCreated {
			t.Fatalf("create: %d %v", code, body)
		}
		if body["email"] != "amelie@example.org" || body["locale"] != "fr-CA" || hdr.Get("ETag") != `"1"` {
			t.Fatalf("create answer %v", body)
		}
		id := body["id"].(string)
		links := body["links"].(map[string]any)
		manage, _ := url.Parse(links["manage"].(string))
		token := manage.Query().Get("token")
		if manage.Path != "/v1/registrations/"+id || token == "" {
			t.Fatalf("manage link %s", manage)
		}

		// Without, with a wrong and with a right token.
		if code, _, _ := f.do(t, "GET", "/v1/registrations/"+id, nil); code != http.StatusUnauthorized {
			t.Fatalf("no token: %d", code)
		}
		other := f.keys.Sign(signed.Registration, "someone-else", fixedNow.Add(time.Hour))
		if code, _, _ := f.do(t, "GET", "/v1/registrations/"+id+"?token="+other, nil); code != http.StatusForbidden {
			t.Fatalf("other's token: %d", code)
		}
		calTok := f.keys.Sign(signed.Calendar, id, fixedNow.Add(time.Hour))
		if code, _, _ := f.do(t, "GET", "/v1/registrations/"+id+"?token="+calTok, nil); code != http.StatusForbidden {
			t.Fatalf("token of another purpose: %d", code)
		}
		expired := f.keys.Sign(signed.Registration, id, fixedNow.Add(-time.Minute))
		if code, _, _ := f.do(t, "GET", "/v1/registrations/"+id+"?token="+expired, nil); code != http.StatusGone {
			t.Fatalf("expired token: %d", code)
		}
		q := "?token=" + url.QueryEscape(token)
		if code, body, _ := f.do(t, "GET", "/v1/registrations/"+id+q, nil); code != http.StatusOK || body["name"] != "Amélie Tremblay" {
			t.Fatalf("get: %d %v", code, body)
		}

		// PATCH needs If-Match, and a current one.
		if code, _, _ := f.do(t, "PATCH", "/v1/registrations/"+id+q, map[string]any{"tz": "Asia/Tokyo"}); code != http.StatusPreconditionRequired {
			t.Fatalf("patch without If-Match: %d", code)
		}
		if code, _, _ := f.do(t, "PATCH", "/v1/registrations/"+id+q, map[string]any{"tz": "Asia/Tokyo"}, "If-Match", `"7"`); code != http.StatusPreconditionFailed {
			t.Fatalf("stale If-Match: %d", code)
		}
		code, body, _ = f.do(t, "PATCH", "/v1/registrations/"+id+q, map[string]any{"tz": "Asia/Tokyo", "sessions": []string{}}, "If-Match", `"1"`)
		if code != http.StatusOK || body["tz"] != "Asia/Tokyo" || body["version"] != float64(2) || len(body["sessions"].([]any)) != 0 {
			t.Fatalf("patch: %d %v", code, body)
		}

		// Unsubscribe: the page changes nothing; the one-click POST does, once.
		unsub, _ := url.Parse(links["unsubscribe"].(string))
		res, err := http.Get(f.srv.URL + unsub.Path)
		if err != nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("unsubscribe page: %v %v", err, res)
		}
		res.Body.Close()
		if got := outboxTypes(t, d); strings.Join(got, ",") != "registration.created,registration.updated" {
			t.Fatalf("events after the page: %v", got)
		}
		for range 2 {
			res, err = http.Post(f.srv.URL+unsub.Path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("one-click unsubscribe: %v %v", err, res)
			}
			res.Body.Close()
		}
		if code, body, _ := f.do(t, "GET", "/v1/registrations/"+id+q, nil); code != http.StatusOK || body["unsubscribed"] != true {
			t.Fatalf("after unsubscribe: %v", body)
		}

		if code, _, _ := f.do(t, "DELETE", "/v1/registrations/"+id+q, nil); code != http.StatusNoContent {
			t.Fatalf("delete: %d", code)
		}
		if code, _, _ := f.do(t, "GET", "/v1/registrations/"+id+q, nil); code != http.StatusNotFound {
			t.Fatalf("after delete: %d", code)
		}
		want := "registration.created,registration.updated,registration.updated,registration.deleted"
		if got := strings.Join(outboxTypes(t, d), ","); got != want {
			t.Fatalf("events %s, want %s", got, want)
		}
		// Each change is in the audit trail too, with what it was before and after.
		rows, err := d.Query(`SELECT action, before_json, after_json FROM audit_log WHERE resource_type = 'registration' AND resource_id = $1 ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var trail []string
		for rows.Next() {
			var action, before, after string
			if err := rows.Scan(&action, &before, &after); err != nil {
				t.Fatal(err)
			}
			trail = append(trail, action)
			if action == "registration.update" && !strings.Contains(before, "America/Montreal") && !strings.Contains(after, `"unsubscribed":true`) {
				t.Fatalf("update entry without its change: %s -> %s", before, after)
			}
		}
		if got := strings.Join(trail, ","); got != "registration.create,registration.update,registration.update,registration.delete" {
			t.Fatalf("audit trail %s", got)
		}
	})
}

func TestRegistrationValidation(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		code, body, _ := f.do(t, "POST", "/v1/meetings/"+f.meeting+"/registrations", map[string]any{
			"name": " ", "email": "Ana <ana@example.org>", "locale": "not a tag!", "tz": "Mars/Olympus",
			"sessions": []string{"nope", f.sessions[0], f.sessions[0]},
		})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d %v", code, body)
		}
		got := map[string]string{}
		for _, e := range body["errors"].([]any) {
			fe := e.(map[string]any)
			got[fe["field"].(string)] = fe["code"].(string)
		}
		for _, field := range []string{"name", "email", "locale", "tz", "sessions/0", "sessions/2"} {
			if got[field] == "" {
				t.Errorf("no error for %s (got %v)", field, got)
			}
		}
		if _, ok := got["sessions/1"]; ok {
			t.Errorf("valid session flagged: %v", got)
		}
		if code, _, _ := f.do(t, "POST", "/v1/meetings/missing/registrations", map[string]any{"name": "A", "email": "a@example.org", "locale": "en", "tz": "UTC"}); code != http.StatusNotFound {
			t.Fatalf("unknown meeting: %d", code)
		}
		in := map[string]any{"name": "A", "email": "a@example.org", "locale": "ar", "tz": "Asia/Riyadh"}
		if code, _, _ := f.do(t, "POST", "/v1/meetings/"+f.meeting+"/registrations", in); code != http.StatusCreated {
			t.Fatalf("first: %d", code)
		}
		in["email"] = "A@example.org"
		if code, _, _ := f.do(t, "POST", "/v1/meetings/"+f.meeting+"/registrations", in); code != http.StatusConflict {
			t.Fatalf("duplicate address: %d", code)
		}
	})
}
