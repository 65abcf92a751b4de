package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/dbtest"
)

// maxCreateTrips is what a session creation through the API may ask of PostgreSQL: one
// statement that raises the agenda's revision, if the meeting is still the version the
// session was validated against, and writes the session, its audit entry and its event.
// The meeting was read by the creation before (the first of the test). On a busy shared
// server every round trip waits its turn, so the count, not the work of each, sets the
// rate.
const maxCreateTrips = 1

// A session creation costs the same few round trips to PostgreSQL in a meeting of one
// session and in one of sixty (nothing it does reads the meeting's sessions), counted on
// the wire by a proxy, and no more than maxCreateTrips.
func TestSessionCreationRoundTrips(t *testing.T) {
	if !dbtest.PostgresEnabled() {
		t.Skip("PLENARY_TEST_POSTGRES=off")
	}
	d, wire := dbtest.OpenCounted(t)
	e := newEnv(t, d)
	mid := e.createMeeting()
	create := func(k int) dbtest.Counts {
		before := wire.Now()
		e.createSession(mid, map[string]any{"title": map[string]string{"en": fmt.Sprintf("Sitting %d", k)},
			"start": time.Date(2027, 3, 1+k/4, 8+(k%4)*3, 0, 0, 0, time.UTC).Format("2006-01-02T15:04"), "duration_min": 120,
			"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "es", "ar"}})
		return wire.Now().Sub(before)
	}
	create(0) // reads the meeting, prepares the statements on the connection
	second := create(1)
	for k := 2; k < 60; k++ {
		create(k)
	}
	sixtieth := create(60)
	t.Logf("round trips of a creation: %+v (2nd), %+v (61st)", second, sixtieth)
	if second.Trips != sixtieth.Trips || second.Statements != sixtieth.Statements {
		t.Errorf("a creation costs %+v in a meeting of one session, %+v in one of sixty", second, sixtieth)
	}
	if second.Trips > maxCreateTrips {
		t.Errorf("a creation costs %d round trips to PostgreSQL (%+v), want at most %d", second.Trips, second, maxCreateTrips)
	}
}
