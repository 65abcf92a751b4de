package contracts

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func session() Session {
	return Session{
		ID: "01938a2e-0000-7000-8000-000000000002", MeetingID: "01938a2e-0000-7000-8000-000000000001",
		Title:    Text{"en": "Session for Africa, Europe and the Americas", "fr": "Séance pour l'Afrique, l'Europe et les Amériques"},
		StartUTC: at("2026-12-08T15:30:00Z"), EndUTC: at("2026-12-08T17:30:00Z"), TZ: "Europe/Paris",
		FloorLanguages: []string{"en", "fr", "es", "ar"}, OutputLanguages: []string{"en", "fr", "es", "ar"},
		Audience: []string{"Africa, Europe and the Americas"},
		StaffedChannels: []StaffedChannel{{Language: "ar", StaffedBy: "delegation", Interpreters: []ChannelInterpreter{
			{Name: "Layla Mansour", Email: "layla.mansour@delegation.example.org"}, {Name: "Karim Nasser"}}}},
		Status: "scheduled", ScheduleVersion: 2, Version: 3,
	}
}

// goldenEvents is one example of every event type. A change to a payload's JSON shape
// shows up as a golden-file diff: additions are fine; a rename or removal is a new
// subject version, never an edit.
func goldenEvents() map[string]any {
	meeting := Meeting{ID: "01938a2e-0000-7000-8000-000000000001", Title: Text{"en": "Inter-Parliamentary Forum", "fr": "Forum interparlementaire"},
		VenueTZ: "Europe/Paris", Format: "virtual", DefaultLang: "en", Platform: "zoom", SecretariatEmail: "interpretation@example.org", Version: 1}
	start := at("2026-12-08T15:30:00Z")
	end := at("2026-12-08T15:45:00Z")
	deadline := at("2026-12-06T09:00:00Z")
	reg := Registration{ID: "01938a2e-0000-7000-8000-000000000003", MeetingID: meeting.ID, Name: "Léa Tremblay", Email: "lea@example.org",
		Locale: "fr-CA", TZ: "America/Montreal", Sessions: []string{}, ConsentReminders: true, Version: 1}
	asg := Assignment{ID: "01938a2e-0000-7000-8000-000000000004", MeetingID: meeting.ID, SessionID: session().ID, Booth: "ar", Role: "interpreter",
		State: "offered", Sequence: 1, Interpreter: Interpreter{ID: "01938a2e-0000-7000-8000-000000000005", Name: "Samir Haddad", Email: "samir@example.org", Locale: "ar", TZ: "Asia/Beirut"},
		Team: []TeamMember{{Name: "Samir Haddad", Role: "interpreter"}, {Name: "Nour Saleh", Role: "interpreter"}, {Name: "Omar Aziz", Role: "interpreter"}}, Session: session()}
	return map[string]any{
		MeetingCreated:      MeetingEvent{Meeting: meeting},
		MeetingUpdated:      MeetingEvent{Meeting: meeting},
		MeetingDeleted:      MeetingEvent{Meeting: meeting},
		SessionScheduled:    SessionEvent{Session: session()},
		SessionUpdated:      SessionEvent{Session: session()},
		SessionRescheduled:  SessionRescheduledEvent{Session: session(), Previous: Interval{StartUTC: at("2026-12-08T15:00:00Z"), EndUTC: at("2026-12-08T17:00:00Z")}, PreviousVersion: 1},
		SessionCancelled:    SessionEvent{Session: session(), Reason: "venue unavailable"},
		AgendaChanged:       AgendaChangedEvent{MeetingID: meeting.ID, SessionID: session().ID, Items: []AgendaItem{{ID: "i1", Title: Text{"en": "Opening remarks"}, StartUTC: &start, EndUTC: &end, Speakers: []Speaker{{Name: "Hon. Amina Diallo", Affiliation: "National Assembly of Senegal", StakeholderGroup: "Parliamentarians", RegionalGroup: "African", Language: "fr"}}, Language: "fr"}}},
		RegistrationCreated: RegistrationEvent{Registration: reg},
		RegistrationUpdated: RegistrationEvent{Registration: reg},
		RegistrationDeleted: RegistrationEvent{Registration: reg},
		AssignmentOffered:   AssignmentEvent{Assignment: asg},
		AssignmentAccepted:  AssignmentEvent{Assignment: asg},
		AssignmentDeclined:  AssignmentEvent{Assignment: asg},
		AssignmentWithdrawn: AssignmentEvent{Assignment: asg},
		InterpretationSeatsOpen: SeatsOpenEvent{MeetingID: meeting.ID, NoticeMinutes: 72 * 60, CheckedAt: at("2026-12-05T15:30:00Z"),
			Seats: []OpenSeat{{SessionID: session().ID, SessionTitle: session().Title, StartUTC: session().StartUTC, EndUTC: session().EndUTC,
				Booth: "ar", Needed: 3, Accepted: 1, Offered: 1, Unstaffed: 1, Declined: 1, NextDeadline: &deadline}}},
	}
}

func TestEventGoldenJSON(t *testing.T) {
	for typ, payload := range goldenEvents() {
		t.Run(typ, func(t *testing.T) {
			data, err := json.Marshal(payload)
			if err != nil {
				t.Fatal(err)
			}
			ev := Event{ID: "01938a2e-0000-7000-8000-0000000000ff", Type: typ, Source: "plenary/test", OccurredAt: at("2026-11-23T09:00:00Z"), Data: data}
			got, err := json.MarshalIndent(ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", typ+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file missing (run go test ./contracts -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s changed its wire form:\n got %s\nwant %s", typ, got, want)
			}
			// The golden file decodes back into the same payload.
			var back Event
			if err := json.Unmarshal(want, &back); err != nil {
				t.Fatal(err)
			}
			if back.Subject() != "plenary.v1."+typ {
				t.Fatalf("subject %q", back.Subject())
			}
			decoded := reflect.New(reflect.TypeOf(payload))
			if err := back.Decode(decoded.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(decoded.Elem().Interface(), payload) {
				t.Fatalf("round trip changed the payload:\n%#v\n%#v", decoded.Elem().Interface(), payload)
			}
		})
	}
}

func TestEveryEventTypeHasAGoldenFile(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	events := goldenEvents()
	for _, f := range files {
		typ := strings.TrimSuffix(filepath.Base(f), ".json")
		if _, ok := events[typ]; !ok {
			t.Errorf("golden file %s has no event type", f)
		}
	}
	if len(files) != len(events) {
		t.Errorf("%d golden files for %d event types", len(files), len(events))
	}
}

func TestDecodeNamesTheEvent(t *testing.T) {
	ev := Event{ID: "x", Type: SessionScheduled, Data: json.RawMessage(`{"session": 5}`)}
	var p SessionEvent
	if err := ev.Decode(&p); err == nil || !strings.Contains(err.Error(), "session.scheduled event x") {
		t.Fatalf("error %v", err)
	}
}
