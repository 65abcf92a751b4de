package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/plenary/plenary/contracts"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

// The events as the services emit them, through the API, one golden file per type: a
// change to what a consumer receives (not only to the structs) shows up as a diff. Ids
// are replaced by their order of first appearance so that runs compare; the clock is the
// test's. Every event type has its file.
func TestServicesEmitTheGoldenEvents(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
			"title":    map[string]string{"en": "Inter-Parliamentary Forum on Water", "fr": "Forum interparlementaire sur l’eau"},
			"venue_tz": "Europe/Paris", "format": "hybrid", "default_lang": "en", "platform": "zoom"}))["id"].(string)
		ifMatch := func(v any) []string { return []string{"If-Match", fmt.Sprintf(`"%v"`, v)} }
		m := e.must(200, e.do("PATCH", "/v1/meetings/"+mid, map[string]any{"platform": "webex"}, ifMatch(1)...))
		x := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Plenary, morning sitting", "fr": "Séance plénière du matin"},
			"start": "2026-12-08T10:00", "end": "2026-12-08T13:00", "floor_languages": []string{"en", "fr"},
			"output_languages": []string{"en", "fr", "ar"}, "audience": []string{"African Group"}})
		sid := x["id"].(string)
		// A Chinese delegation brings its own interpreters for a Chinese channel.
		x = e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"title": map[string]string{"en": "Plenary, morning sitting (opening)",
			"fr": "Séance plénière du matin (ouverture)"}, "output_languages": []string{"en", "fr", "ar", "zh"},
			"staffed_channels": []map[string]any{{"language": "zh", "staffed_by": "delegation", "interpreters": []map[string]string{
				{"name": "Li Wei", "email": "li.wei@delegation.example.cn"}, {"name": "Zhang Min"}}}}}, ifMatch(x["version"])...))
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2026-12-08T10:30", "end": "2026-12-08T13:30"}, ifMatch(x["version"])...))
		e.must(201, e.do("POST", "/v1/sessions/"+sid+"/items", map[string]any{"title": map[string]string{"en": "Adoption of the agenda", "fr": "Adoption de l’ordre du jour"},
			"start": "10:30", "end": "10:45"}))
		r := e.must(201, e.do("POST", "/v1/meetings/"+mid+"/registrations", map[string]any{"name": "Léa Tremblay", "email": "lea@example.org",
			"locale": "fr-CA", "tz": "America/Montreal", "consent_reminders": true}))
		// The registrant changes and then deletes her registration through her signed link.
		self := "/v1/registrations/" + r["id"].(string) + "?token=" + linkToken(r)
		r = e.must(200, e.do("PATCH", self, map[string]any{"sessions": []string{sid}}, ifMatch(r["version"])...))
		e.must(204, e.do("DELETE", self, nil, ifMatch(r["version"])...))
		ar := []map[string]string{{"lang": "ar", "class": "A"}, {"lang": "en", "class": "C"}, {"lang": "fr", "class": "C"}}
		interpreter := func(name, email string) string {
			return e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": name, "email": email, "locale": "ar", "tz": "Africa/Cairo", "languages": ar}))["id"].(string)
		}
		samir, nour := interpreter("Samir Haddad", "samir.haddad@example.org"), interpreter("Nour Saleh", "nour.saleh@example.org")
		move := func(a map[string]any, to string) map[string]any {
			return e.must(200, e.do("PATCH", "/v1/assignments/"+a["id"].(string), map[string]any{"state": to}, ifMatch(a["version"])...))
		}
		a1 := e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": "ar", "interpreter_id": samir}))
		a2 := e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": "ar", "interpreter_id": nour}))
		move(move(a1, "offered"), "accepted")
		a2 = move(a2, "offered")
		move(a2, "declined")
		a1 = e.must(200, e.do("GET", "/v1/assignments/"+a1["id"].(string), nil))
		move(a1, "withdrawn")
		x = e.must(200, e.do("GET", "/v1/sessions/"+sid, nil))
		e.must(200, e.do("POST", "/v1/sessions/"+sid+"/cancel", map[string]any{"reason": "venue unavailable"}, ifMatch(x["version"])...))
		e.must(204, e.do("DELETE", "/v1/meetings/"+mid, nil, ifMatch(m["version"])...))

		rows, err := e.db.Query(`SELECT payload FROM outbox ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		first := map[string][]byte{}
		for rows.Next() {
			var raw string
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			norm := uuidRE.ReplaceAllStringFunc(raw, func(id string) string {
				if _, ok := ids[id]; !ok {
					ids[id] = fmt.Sprintf("01938a2e-0000-7000-8000-%012d", len(ids)+1)
				}
				return ids[id]
			})
			var ev contracts.Event
			if err := json.Unmarshal([]byte(norm), &ev); err != nil {
				t.Fatal(err)
			}
			if _, ok := first[ev.Type]; !ok {
				var out bytes.Buffer
				if err := json.Indent(&out, []byte(norm), "", "  "); err != nil {
					t.Fatal(err)
				}
				first[ev.Type] = append(out.Bytes(), '\n')
			}
		}
		rows.Close()
		types := []string{contracts.MeetingCreated, contracts.MeetingUpdated, contracts.MeetingDeleted, contracts.SessionScheduled,
			contracts.SessionUpdated, contracts.SessionRescheduled, contracts.SessionCancelled, contracts.AgendaChanged,
			contracts.RegistrationCreated, contracts.RegistrationUpdated, contracts.RegistrationDeleted, contracts.AssignmentOffered,
			contracts.AssignmentAccepted, contracts.AssignmentDeclined, contracts.AssignmentWithdrawn}
		for _, typ := range types {
			got, ok := first[typ]
			if !ok {
				t.Errorf("the scenario emitted no %s", typ)
				continue
			}
			path := filepath.Join("testdata", "events", typ+".json")
			if *updateGolden && e.db.Dialect == "sqlite" {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file missing (run go test ./services/api -run TestServicesEmitTheGoldenEvents -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s as emitted changed:\n got %s\nwant %s", typ, got, want)
			}
		}
	})
}
