package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/signed"
)

// The personal calendar feeds of a registrant and of an interpreter, fetched from the API
// process wired as `plenary api` runs it (PostgreSQL, NATS, the notifier as a process of
// its own filling its tables): both answer a calendar whose events name the organizer
// given by --mail-from. The API's read-only notifier had no sender and every feed with an
// event answered 500.
func TestCalendarFeedsThroughAPIProcess(t *testing.T) {
	if !dbtest.PostgresEnabled() {
		t.Skip("PostgreSQL is off (PLENARY_TEST_POSTGRES=off)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	dsn := dbtest.NewPostgresDatabase(t)
	ns := natstest.Start(t)
	smtp := smtptest.Start(t)
	_, spec := signed.NewRandomKeys()
	common := []string{"--database-url", dsn, "--nats-url", ns.URL(), "--link-keys", spec, "--log-level", "error",
		"--mail-from", "Secretariat of the Water Forum <secretariat@water-forum.example>"}
	ac, err := parseConfig("api", append([]string{"--addr", "127.0.0.1:0"}, common...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := parseConfig("notifier", append([]string{"--smtp-host", smtp.Host, "--smtp-port", strconv.Itoa(smtp.Port),
		"--smtp-tls", "none", "--notifier-schedule", "@every 1s"}, common...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	done := make(chan error, 2)
	go func() { done <- apiProcess(ctx, ac, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("api stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("api did not start")
	}
	go func() { done <- runNotifier(ctx, nc) }()
	defer func() {
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				t.Errorf("process: %v", err)
			}
		}
	}()

	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, secret, err := auth.NewStore(d, time.Now).Create(ctx, auth.NewToken{Name: "feeds test", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path string, body any, header ...string) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, "http://"+addr+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return out
	}
	start := time.Now().UTC().AddDate(0, 0, 20).Format("2006-01-02") + "T16:30"
	m := call("POST", "/v1/meetings", map[string]any{"title": map[string]string{"en": "Global Forum on Water", "fr": "Forum mondial de l’eau"},
		"venue_tz": "Europe/Zurich", "format": "virtual", "default_lang": "en", "platform": "zoom"})
	x := call("POST", "/v1/meetings/"+m["id"].(string)+"/sessions", map[string]any{"title": map[string]string{"en": "Opening plenary"},
		"start": start, "duration_min": 120, "tz": "Europe/Zurich", "floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
	r := call("POST", "/v1/meetings/"+m["id"].(string)+"/registrations", map[string]any{"name": "Léa Tremblay", "email": "lea@example.org",
		"locale": "fr-CA", "tz": "America/Montreal", "consent_reminders": true})
	it := call("POST", "/v1/interpreters", map[string]any{"name": "Claire Dubois", "email": "claire@example.org", "locale": "fr-CH",
		"tz": "Europe/Zurich", "languages": []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "C"}}})
	asg := call("POST", "/v1/assignments", map[string]any{"session_id": x["id"], "booth": "fr", "interpreter_id": it["id"]})
	// An offer is what the notifier hears of (a proposal stays with the secretariat).
	call("PATCH", "/v1/assignments/"+asg["id"].(string), map[string]any{"state": "offered"}, "If-Match", `"1"`)

	keys, err := signed.ParseKeys(spec)
	if err != nil {
		t.Fatal(err)
	}
	feeds := map[string]string{
		"registrant":  r["links"].(map[string]any)["calendar"].(string),
		"interpreter": signed.Links{Keys: keys, BaseURL: "http://" + addr}.Calendar(signed.CalendarInterpreter+it["id"].(string), time.Now()),
	}
	for who, link := range feeds {
		if !strings.HasPrefix(link, "http://"+addr+"/") {
			t.Errorf("%s feed link %s does not follow --addr %s", who, link, addr)
		}
		// The notifier projects the events it consumes; the feed shows the session once
		// it has, and knows the registrant or interpreter (404 before) only then.
		var code int
		var body string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			res, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			code, body = res.StatusCode, string(raw)
			if code != http.StatusNotFound && (code != http.StatusOK || strings.Contains(body, "BEGIN:VEVENT")) {
				break
			}
		}
		if code != http.StatusOK {
			t.Fatalf("%s feed: %d %s", who, code, body)
		}
		unfolded := strings.ReplaceAll(body, "\r\n ", "")
		if !strings.Contains(unfolded, "BEGIN:VEVENT") || !strings.Contains(unfolded, "mailto:secretariat@water-forum.example") {
			t.Errorf("%s feed lacks the event or its organizer:\n%s", who, body)
		}
	}
}
