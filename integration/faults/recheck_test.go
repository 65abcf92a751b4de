//go:build integration

package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/interpretation"
)

// 6. `plenary api` killed with SIGKILL between a session change's commit and its staffing
// re-check: the change's event is delivered to the re-check consumer and held there,
// unacknowledged (PLENARY_RECHECK_HOLD), when the process dies. After a restart the
// agenda shows the checker's verdict for the revision of that change: the re-check was
// not lost with the process.
func TestFaultAPIKilledBeforeStaffingRecheck(t *testing.T) {
	pg := startPostgres(t)
	ns := newNATS(t, "n1")
	ns.start()
	dsn := pg.dsn("plenary")
	api := startPlenary(t, "api", "PLENARY_DATABASE_URL="+dsn, "PLENARY_NATS_URL="+ns.url())
	base := append([]string{}, api.env...)
	c := newClient(adminToken(t, dsn), 30*time.Second)

	// A meeting with one EN/FR session and nobody to staff it: the checker's verdict is
	// that both booths are short, computed for the agenda revision it was asked for.
	m := c.must(t, 201, api.addr, "POST", "/v1/meetings", map[string]any{
		"title": map[string]string{"en": "Committee on Migration", "fr": "Commission des migrations"}, "venue_tz": "Europe/Paris",
		"default_lang": "en"})
	meeting := m["id"].(string)
	x := c.must(t, 201, api.addr, "POST", "/v1/meetings/"+meeting+"/sessions", map[string]any{
		"title": map[string]string{"en": "Opening", "fr": "Ouverture"}, "start": "2027-03-10T10:00", "duration_min": 120, "tz": "Europe/Paris",
		"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
	session := x["id"].(string)
	agendaPath := "/v1/meetings/" + meeting + "/agenda"
	verdict := func() (agendaRev, verdictRev any, v map[string]any) {
		a := c.must(t, 200, api.addr, "GET", agendaPath, nil)
		v, _ = a["interpretation"].(map[string]any)
		if v == nil {
			return a["revision"], nil, nil
		}
		return a["revision"], v["revision"], v
	}
	var before any
	waitFor(t, "the first verdict", 2*time.Minute, func() bool {
		rev, vrev, _ := verdict()
		before = rev
		return vrev != nil && vrev == rev
	})

	// The process comes back holding every re-check round; the session is moved.
	api.p.kill()
	api.env = append(append([]string{}, base...), "PLENARY_RECHECK_HOLD=10m")
	api.start()
	cur := c.must(t, 200, api.addr, "GET", "/v1/sessions/"+session, nil)
	body, _ := json.Marshal(map[string]any{"start": "2027-03-10T14:00", "duration_min": 120, "tz": "Europe/Paris"})
	a, err := c.do(context.Background(), api.addr, "PATCH", "/v1/sessions/"+session, "application/json", body, "If-Match", fmt.Sprintf(`"%v"`, cur["version"]))
	if err != nil || a.status != 200 {
		t.Fatalf("move the session: %d %s %v", a.status, a.body, err)
	}
	moved, _, _ := verdict()
	if moved == before {
		t.Fatalf("the agenda revision did not move with the session: %v", moved)
	}
	// The change's event has reached the re-check consumer, which holds it unacknowledged;
	// the verdict is still the one of the revision before.
	db := pg.open("plenary")
	defer db.Close()
	waitFor(t, "the re-check consumer to hold the session's event", 2*time.Minute, func() bool {
		var unpublished int
		if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE published_at IS NULL`).Scan(&unpublished); err != nil || unpublished > 0 {
			return false
		}
		info := recheckConsumer(t, ns.url())
		return info.NumPending == 0 && info.NumAckPending > 0
	})
	var heldRev int64
	if err := db.QueryRow(`SELECT agenda_revision FROM interpretation_checks WHERE meeting_id = $1`, meeting).Scan(&heldRev); err != nil || float64(heldRev) == moved {
		t.Fatalf("the held re-check ran: stored verdict of revision %d (%v), want still %v", heldRev, err, before)
	}

	// kill -9 inside the hold, and a restart without it.
	killedAt := time.Now()
	t.Logf("killed at %s", killedAt.UTC().Format(time.RFC3339Nano))
	api.p.kill()
	api.env = base
	api.start()
	// The verdict is read where the checker stores it. A re-check that confirms the same
	// problems for the moved session raises the agenda revision once more (so that an
	// agenda cached at the moved revision shows it), so the verdict is that of the moved
	// revision or a later one.
	var storedRev int64
	var storedOK bool
	waitFor(t, "the verdict for the moved session's revision after the restart", 4*time.Minute, func() bool {
		err := db.QueryRow(`SELECT agenda_revision, violations <> '[]' FROM interpretation_checks WHERE meeting_id = $1`, meeting).Scan(&storedRev, &storedOK)
		m, _ := moved.(float64)
		return err == nil && float64(storedRev) >= m
	})
	if !storedOK {
		t.Errorf("verdict after the restart has no violations; want the unstaffed booths reported")
	}
	info := recheckConsumer(t, ns.url())
	report(row{scenario: "6. API kill -9 between a session's commit and its staffing re-check", expected: 1, sent: 1,
		note: fmt.Sprintf("verdict for revision %v arrived %s after the kill (redelivered after the consumer's ack wait); %d events pending", moved,
			time.Since(killedAt).Round(time.Second), info.NumAckPending)})
}

// recheckConsumer reads the state of interpretation's durable re-check consumer.
func recheckConsumer(t *testing.T, url string) *jetstream.ConsumerInfo {
	t.Helper()
	js, done := jetStreamAt(t, url)
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cons, err := js.Consumer(ctx, contracts.Stream, interpretation.RecheckConsumer)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info
}
