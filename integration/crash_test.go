//go:build integration

package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dc "github.com/ory/dockertest/v3/docker"

	"github.com/plenary/plenary/contracts"
)

// The API is killed with SIGKILL in the middle of a burst of writes from concurrent
// clients and started again. Every write that got a 2xx has exactly one event in the
// stream, every meeting in the database has exactly one, and no event speaks of a meeting
// that does not exist. Clients retry with the same Idempotency-Key, so no write is
// applied twice either.
func TestAPIKilledMidBurstLosesNoEvent(t *testing.T) {
	s := newStack(t)
	const (
		clients   = 4
		perClient = 50
		killAfter = 60 // successful writes before the kill
	)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	var (
		mu        sync.Mutex
		confirmed = map[string]string{} // idempotency key -> meeting id, from a 2xx
		stuck     []string              // keys whose outcome the client never learned
		ok        atomic.Int64
		killed    atomic.Bool
		okAfter   atomic.Int64 // 2xx after the API came back
		failures  atomic.Int64 // transport errors and 5xx, retried
		throttled atomic.Int64 // 429s, retried
	)
	killDone := make(chan error, 1)
	go func() {
		for ok.Load() < killAfter {
			if ctx.Err() != nil {
				killDone <- ctx.Err()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := pool.Client.KillContainer(dc.KillContainerOptions{ID: s.api.Container.ID, Signal: dc.SIGKILL}); err != nil {
			killDone <- fmt.Errorf("kill api: %w", err)
			return
		}
		wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
		defer wcancel()
		if _, err := pool.Client.WaitContainerWithContext(s.api.Container.ID, wctx); err != nil {
			killDone <- fmt.Errorf("wait for the killed api: %w", err)
			return
		}
		killed.Store(true)
		time.Sleep(500 * time.Millisecond) // a short outage, as an orchestrator's restart
		killDone <- pool.Client.StartContainer(s.api.Container.ID, nil)
	}()

	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perClient {
				key := fmt.Sprintf("burst-%s-%d-%d", runID, c, i)
				body := meetingBody(fmt.Sprintf("Burst %d.%d", c, i))
				inProgress := 0
				for ctx.Err() == nil {
					r, err := s.do("POST", "/v1/meetings", body, "Idempotency-Key", key)
					switch {
					case err == nil && (r.Status == http.StatusCreated || r.Status == http.StatusOK):
						id, _ := r.Body["id"].(string)
						mu.Lock()
						confirmed[key] = id
						mu.Unlock()
						ok.Add(1)
						if killed.Load() {
							okAfter.Add(1)
						}
					case err == nil && r.Status == http.StatusConflict && strings.Contains(string(r.Raw), "idempotency_in_progress"):
						// The killed process reserved the key and died before recording the
						// outcome. Give it a few tries, then count the write as unknown.
						if inProgress++; inProgress < 10 {
							time.Sleep(100 * time.Millisecond)
							continue
						}
						mu.Lock()
						stuck = append(stuck, key)
						mu.Unlock()
					case err == nil && r.Status == http.StatusTooManyRequests:
						// The per-token rate limit: a well-behaved client waits and retries.
						throttled.Add(1)
						time.Sleep(200 * time.Millisecond)
						continue
					case err == nil && r.Status < 500:
						t.Errorf("POST /v1/meetings (%s): status %d: %s", key, r.Status, r.Raw)
					default:
						failures.Add(1)
						time.Sleep(50 * time.Millisecond)
						continue
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	if err := <-killDone; err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the burst did not finish in time: %d confirmed", ok.Load())
	}
	if okAfter.Load() == 0 {
		t.Fatalf("no write succeeded after the restart (%d before)", ok.Load())
	}
	t.Logf("confirmed %d writes (%d after the restart), %d retried failures, %d throttled, %d outcomes unknown (key left in progress by the killed process)",
		ok.Load(), okAfter.Load(), failures.Load(), throttled.Load(), len(stuck))

	s.waitReady()
	s.waitPublished(2 * time.Minute)
	evs := s.events()
	checkEnvelopes(t, evs)

	created := map[string]int{}
	for _, e := range evs {
		if e.Type == contracts.MeetingCreated {
			created[entityID(t, e)]++
		}
	}
	for key, id := range confirmed {
		if n := created[id]; n != 1 {
			t.Errorf("write %s (meeting %s) got a 2xx and has %d meeting.created events", key, id, n)
		}
	}
	rows, err := s.db.QueryContext(context.Background(), `SELECT id FROM meetings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	inDB := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		inDB[id] = true
		if n := created[id]; n != 1 {
			t.Errorf("meeting %s is stored and has %d meeting.created events", id, n)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for id := range created {
		if !inDB[id] {
			t.Errorf("meeting.created for %s, which is not stored", id)
		}
	}
	t.Logf("%d meetings stored, %d confirmed: %d writes committed without the client learning it", len(inDB), len(confirmed), len(inDB)-len(confirmed))
	if len(inDB) > clients*perClient {
		t.Errorf("%d meetings stored for %d writes: a retried write was applied twice", len(inDB), clients*perClient)
	}
}

// SIGTERM drains: a request whose body is still arriving when the signal comes is
// answered, new connections are refused, the process exits 0, and the write's event is
// published (by the next process, if this one had no time to).
func TestSIGTERMDrainsInFlightRequest(t *testing.T) {
	s := newStack(t)
	body, err := json.Marshal(meetingBody("Drained on shutdown"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", s.apiAddr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	head := "POST /v1/meetings HTTP/1.1\r\nHost: " + s.apiAddr + "\r\nContent-Type: application/json\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n", len(body))
	if s.token != "" {
		head += "Authorization: Bearer " + s.token + "\r\n"
	}
	half := len(body) / 2
	if _, err := conn.Write(append([]byte(head+"\r\n"), body[:half]...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server has the headers: the request is in flight

	if err := pool.Client.KillContainer(dc.KillContainerOptions{ID: s.api.Container.ID, Signal: dc.SIGTERM}); err != nil {
		t.Fatalf("SIGTERM api: %v", err)
	}
	// Draining: the listener closes, so a new connection is refused, while the process lives on.
	refused := false
	for range 100 {
		c, err := net.DialTimeout("tcp", s.apiAddr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	if !refused {
		t.Fatal("the API still accepts connections 5 s after SIGTERM")
	}
	st, err := pool.Client.InspectContainer(s.api.Container.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.State.Running {
		t.Fatalf("the API exited (code %d) with a request in flight", st.State.ExitCode)
	}

	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("finish the in-flight request: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response: %v", err)
	}
	var m struct{ ID string }
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || err != nil || m.ID == "" {
		t.Fatalf("in-flight request: status %d, id %q, err %v", resp.StatusCode, m.ID, err)
	}

	wctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	code, err := pool.Client.WaitContainerWithContext(s.api.Container.ID, wctx)
	if err != nil {
		t.Fatalf("wait for the api to exit: %v", err)
	}
	if code != 0 {
		t.Fatalf("the API exited %d after SIGTERM, want 0", code)
	}

	// The write committed with its event; a new process publishes it if this one did not.
	if err := pool.Client.StartContainer(s.api.Container.ID, nil); err != nil {
		t.Fatalf("restart api: %v", err)
	}
	s.waitReady()
	s.waitPublished(time.Minute)
	evs := s.events()
	checkEnvelopes(t, evs)
	n := 0
	for _, e := range evs {
		if e.Type == contracts.MeetingCreated && entityID(t, e) == m.ID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("meeting %s has %d meeting.created events, want 1", m.ID, n)
	}
}
