package interpretation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/plenary/plenary/services/agenda"
)

// The open seats of a meeting under the UN policy (two per booth, three in the Arabic
// booth): each booth of a session ahead with fewer accepted interpreters than that, and
// where its seats stand; a filled booth, a cancelled session and a past one are left out.
func TestOpenSeats(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m := e.meeting("un")
		langs := []string{"en", "fr", "ar"}
		x := e.session(m, "2026-12-03T10:00", "2026-12-03T13:00", langs, langs)
		gone := e.session(m, "2026-12-04T10:00", "2026-12-04T13:00", langs, langs)
		x2 := e.must(200, e.do("GET", "/v1/sessions/"+gone, nil))
		e.must(200, e.do("POST", "/v1/sessions/"+gone+"/cancel", map[string]any{"reason": "merged"}, "If-Match", fmt.Sprintf(`"%v"`, x2["version"])))
		seat := func(booth, langs, state string) {
			id := e.interpreter("Interpreter "+booth, langs, nil)
			a := e.must(201, e.assign(x, booth, id))
			if state == "proposed" {
				return
			}
			e.must(200, e.transition(a["id"].(string), 1, "offered"))
			if state == "accepted" {
				e.must(200, e.transition(a["id"].(string), 2, "accepted"))
			}
		}
		seat("en", "en:A fr:C ar:C", "accepted")
		seat("en", "en:A fr:C ar:C", "accepted")
		seat("fr", "fr:A en:C ar:C", "proposed")
		seat("fr", "fr:A en:C ar:C", "proposed")
		seat("ar", "ar:A en:C fr:C", "accepted")
		seat("ar", "ar:A en:C fr:C", "offered")

		got, err := e.svc.OpenSeats(context.Background(), agenda.Meeting{ID: m, InterpretationPolicy: "un"}, e.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("open seats %+v, want the Arabic and French booths", got)
		}
		ar, fr := got[0], got[1]
		// The offer made now has the policy's 48 hours: 25 November 2026, 09:00 UTC.
		deadline := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		if ar.SessionID != x || ar.Booth != "ar" || ar.Needed != 3 || ar.Accepted != 1 || ar.Offered != 1 || ar.Proposed != 0 ||
			ar.Unstaffed != 1 || ar.NextDeadline == nil || !ar.NextDeadline.Equal(deadline) {
			t.Errorf("Arabic booth %+v, want 3 needed, 1 accepted, 1 offered until %s, 1 unstaffed", ar, deadline)
		}
		if fr.Booth != "fr" || fr.Needed != 2 || fr.Accepted != 0 || fr.Proposed != 2 || fr.Unstaffed != 0 || fr.NextDeadline != nil {
			t.Errorf("French booth %+v, want 2 needed, 2 proposed", fr)
		}
		// After the session has started, nothing of it is open any more.
		if later, err := e.svc.OpenSeats(context.Background(), agenda.Meeting{ID: m, InterpretationPolicy: "un"}, time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)); err != nil || len(later) != 0 {
			t.Errorf("at the session's start: %+v, %v", later, err)
		}
	})
}
