//go:build integration

package faults

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
)

// reminderLead is the reminder rule of the fan-out scenarios (PLENARY_REMINDER_RULES), so
// that reminders fall due a minute or two into the test instead of a day.
const reminderLead = time.Minute

func notifierEnv(sink *mailSink, extra ...string) []string {
	return append([]string{
		"PLENARY_SMTP_HOST=127.0.0.1", fmt.Sprintf("PLENARY_SMTP_PORT=%d", sink.port), "PLENARY_SMTP_TLS=none",
		"PLENARY_NOTIFIER_SCHEDULE=@every 1s", "PLENARY_REMINDER_RULES=registrant:1m",
	}, extra...)
}

var (
	locales = []string{"en", "fr-CA", "es-MX", "ar", "zh-Hans", "ru", "pt-BR"}
	zones   = []string{"Europe/Zurich", "America/New_York", "Asia/Tokyo", "Africa/Nairobi", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Auckland"}
)

// meetingWithSession creates a meeting and one session starting at start (UTC).
func meetingWithSession(t *testing.T, c *client, addr string, start time.Time) (string, string) {
	t.Helper()
	m := c.must(t, 201, addr, "POST", "/v1/meetings", map[string]any{
		"title":    map[string]string{"en": "Intergovernmental Committee on Water, 12th session", "fr": "Comité intergouvernemental de l’eau, 12e session"},
		"venue_tz": "Europe/Zurich", "format": "hybrid", "default_lang": "en", "platform": "zoom",
	})
	mid := m["id"].(string)
	x := c.must(t, 201, addr, "POST", "/v1/meetings/"+mid+"/sessions", map[string]any{
		"title": map[string]string{"en": "Opening plenary", "fr": "Séance plénière d’ouverture"},
		"start": start.UTC().Format("2006-01-02T15:04"), "duration_min": 120, "tz": "UTC",
		"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "es", "ar"},
	})
	return mid, x["id"].(string)
}

// importRegistrants registers n people (consenting to reminders) through the API's
// import, in chunks spread over the API processes; it returns their addresses.
func importRegistrants(t *testing.T, c *client, addrs []string, mid string, n int, tag string, between func(chunk int)) []string {
	t.Helper()
	const chunk = 1000
	var emails []string
	for i, k := 0, 0; i < n; i, k = i+chunk, k+1 {
		var b strings.Builder
		b.WriteString("name,email,locale,tz,sessions,consent_reminders\n")
		for j := i; j < min(i+chunk, n); j++ {
			email := fmt.Sprintf("delegate-%s-%05d@example.org", tag, j)
			emails = append(emails, email)
			fmt.Fprintf(&b, "Delegate %d,%s,%s,%s,,yes\n", j, email, locales[j%len(locales)], zones[j%len(zones)])
		}
		a, err := c.do(context.Background(), addrs[k%len(addrs)], "POST", "/v1/meetings/"+mid+"/registrations/import?commit=true", "text/csv", []byte(b.String()))
		if err != nil || a.status != 200 {
			t.Fatalf("import chunk %d: %d %s (%v)", k, a.status, a.body, err)
		}
		if between != nil {
			between(k)
		}
	}
	return emails
}

// delivery is what the notifier planned for one email (read from its tables at the end,
// for due times; the counts come from the SMTP server and from what the test created).
type delivery struct {
	due, planned time.Time
	kind         string
	state        string
	attempts     int
}

func deliveries(t *testing.T, pg *pgServer) map[string]delivery {
	t.Helper()
	db := pg.open("plenary")
	defer db.Close()
	rows, err := db.Query(`SELECT message_id, due_at, created_at, kind, state, attempts FROM notifier_deliveries`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]delivery{}
	for rows.Next() {
		var id string
		var d delivery
		if err := rows.Scan(&id, &d.due, &d.planned, &d.kind, &d.state, &d.attempts); err != nil {
			t.Fatal(err)
		}
		out[id] = d
	}
	return out
}

// tally compares what the SMTP server received with what was expected: per address,
// the kinds of email each registrant must get once.
type tally struct {
	expected, sent, duplicates, lost, late int
	delays                                 []time.Duration
	stranded                               int
}

// count checks the arrivals against the expected addresses (each owed perAddress distinct
// emails) and measures each email's delay from the later of its due time and its planning.
func count(arrivals []arrival, emails []string, perAddress int, plan map[string]delivery, lateAfter time.Duration) tally {
	tl := tally{expected: len(emails) * perAddress}
	want := map[string]bool{}
	for _, e := range emails {
		want[strings.ToLower(e)] = true
	}
	byID := map[string]int{}
	distinct := map[string]map[string]bool{}
	for _, a := range arrivals {
		to := strings.ToLower(strings.Trim(a.to, "<>"))
		if !want[to] {
			continue
		}
		byID[a.messageID]++
		if distinct[to] == nil {
			distinct[to] = map[string]bool{}
		}
		if byID[a.messageID] > 1 {
			tl.duplicates++
			continue
		}
		distinct[to][a.messageID] = true
		tl.sent++
		if d, ok := plan[a.messageID]; ok {
			from := d.due
			if d.planned.After(from) {
				from = d.planned
			}
			delay := max(a.at.Sub(from), 0)
			tl.delays = append(tl.delays, delay)
			if delay > lateAfter {
				tl.late++
			}
		}
	}
	for _, e := range emails {
		if got := len(distinct[strings.ToLower(e)]); got < perAddress {
			tl.lost += perAddress - got
		}
	}
	for _, d := range plan {
		if d.attempts > 1 {
			tl.stranded++
		}
	}
	return tl
}

// waitArrivals waits until the sink holds at least n emails, or fails after timeout.
func waitArrivals(t *testing.T, sink *mailSink, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for sink.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d emails arrived within %s, want %d", sink.count(), timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitDistinct waits until every expected address has its emails (or timeout), then a
// little longer for late repeats.
func waitDistinct(sink *mailSink, emails []string, perAddress int, timeout, settle time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if tl := count(sink.got(), emails, perAddress, nil, time.Hour); tl.lost == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(settle)
}

// 1. A notifier killed with SIGKILL at random points of a fan-out (confirmations, then
// reminders), restarted at once each time: nothing is lost, a duplicate is possible only
// for the one email accepted by the server and not yet marked at a kill, and what a killed process had claimed is sent within
// a minute (its lease is 15 s).
func TestFaultNotifierKilledDuringFanOut(t *testing.T) {
	n, kills := 1000, 5
	if soak {
		n, kills = 10000, 20
	}
	pg := startPostgres(t)
	ns := newNATS(t, "n1")
	ns.start()
	sink := startSink(t)
	dsn := pg.dsn("plenary")
	common := []string{"PLENARY_DATABASE_URL=" + dsn, "PLENARY_NATS_URL=" + ns.url()}
	api := startPlenary(t, "api", common...)
	nt := startPlenary(t, "notifier", notifierEnv(sink, common...)...)
	c := newClient(adminToken(t, dsn), 2*time.Minute)

	// Reminders fall due once the import and the confirmations are well under way.
	lead := 90 * time.Second
	if soak {
		lead = 4 * time.Minute
	}
	start := time.Now().Add(reminderLead + lead).Truncate(time.Minute).Add(time.Minute)
	mid, _ := meetingWithSession(t, c, api.addr, start)
	emails := importRegistrants(t, c, []string{api.addr}, mid, n, randomHex(3), nil)
	expected := 2 * n

	// Every half second: the longest a row has sat in sending with a lease nobody renews.
	// A stranded row waited at most its lease (15 s from its last renewal, before the
	// kill) plus that, since the kill.
	lease := 15 * time.Second
	var worstExpired atomic.Int64
	pollCtx, stopPoll := context.WithCancel(context.Background())
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		db := pg.open("plenary")
		defer db.Close()
		for pollCtx.Err() == nil {
			var secs float64
			err := db.QueryRowContext(pollCtx, `SELECT COALESCE(MAX(EXTRACT(EPOCH FROM now() - lease_until)), 0)
				FROM notifier_deliveries WHERE state = 'sending' AND lease_until < now()`).Scan(&secs)
			if err == nil && int64(secs*1000) > worstExpired.Load() {
				worstExpired.Store(int64(secs * 1000))
			}
			select {
			case <-pollCtx.Done():
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for k := 1; k <= kills; k++ {
		// Spread over the whole fan-out, at a random point of each stretch.
		at := expected*(k-1)/kills + rng.IntN(max(expected/kills, 1))
		waitArrivals(t, sink, at, 10*time.Minute)
		nt.restart()
	}
	waitDistinct(sink, emails, 2, 10*time.Minute, 20*time.Second)
	stopPoll()
	<-polled
	stranded := lease + time.Duration(worstExpired.Load())*time.Millisecond
	tl := count(sink.got(), emails, 2, deliveries(t, pg), time.Minute)
	r := row{scenario: fmt.Sprintf("1. notifier kill -9 x%d during %d confirmations + %d reminders", kills, n, n),
		expected: tl.expected, sent: tl.sent, duplicates: tl.duplicates, lost: tl.lost, late: tl.late, p99: percentile(tl.delays, .99),
		note: fmt.Sprintf("%d rows re-claimed after a kill, each within %s of it; duplicates bound %d (one per kill)",
			tl.stranded, stranded.Round(time.Second), kills)}
	report(r)
	if tl.lost != 0 || tl.sent != expected {
		t.Errorf("lost %d, sent %d distinct of %d", tl.lost, tl.sent, expected)
	}
	// The notifier hands one message at a time over to the SMTP server and marks it
	// before the next (its hand-over gate): a kill repeats at most that one.
	if tl.duplicates > kills {
		t.Errorf("%d duplicates for %d kills: more than one per kill", tl.duplicates, kills)
	}
	if tl.late != 0 {
		t.Errorf("%d emails sent more than a minute after they were due and planned (p99 %s)", tl.late, r.p99)
	}
	if stranded > time.Minute {
		t.Errorf("a stranded row sat unclaimed up to %s after its process was killed, want within a minute", stranded)
	}
}

// writeOutcome classifies an answer to a write: acknowledged, refused cleanly (503 with
// Retry-After, or 409 while an earlier try of the same key is settled), or bad.
type writeOutcome int

const (
	acked writeOutcome = iota
	clean
	bad
)

func classify(a answer, err error, writeTimeout time.Duration) (writeOutcome, string) {
	switch {
	case err != nil:
		return bad, "no answer: " + err.Error()
	case a.elapsed > writeTimeout:
		return bad, fmt.Sprintf("answered after %s, past the write timeout", a.elapsed.Round(time.Millisecond))
	case a.status >= 200 && a.status < 300:
		return acked, ""
	case a.status == http.StatusServiceUnavailable && a.header.Get("Retry-After") != "" && strings.Contains(string(a.body), `"code":"unavailable"`):
		return clean, ""
	case a.status == http.StatusConflict && strings.Contains(string(a.body), `"code":"idempotency_`):
		return clean, ""
	default:
		return bad, fmt.Sprintf("%d %s", a.status, a.body)
	}
}

// writer posts registrations one after the other, each retried with its Idempotency-Key
// until acknowledged (or stop), and remembers what was acknowledged when.
type writer struct {
	mu     sync.Mutex
	ackAt  map[string]time.Time // email -> acknowledgement
	tried  map[string]bool
	counts map[string]int
	bad    []string
}

func newWriter() *writer {
	return &writer{ackAt: map[string]time.Time{}, tried: map[string]bool{}, counts: map[string]int{}}
}

func (w *writer) run(ctx context.Context, c *client, addrs []string, mid, tag string, id int, writeTimeout time.Duration) {
	for i := 0; ctx.Err() == nil; i++ {
		email := fmt.Sprintf("writer-%s-%d-%05d@example.org", tag, id, i)
		key := "reg-" + email
		body := map[string]any{"name": fmt.Sprintf("Delegate %d.%d", id, i), "email": email, "locale": locales[i%len(locales)],
			"tz": zones[i%len(zones)], "consent_reminders": true}
		w.mu.Lock()
		w.tried[email] = true
		w.mu.Unlock()
		for try := 0; ctx.Err() == nil; try++ {
			a, err := c.post(context.Background(), addrs[(i+try)%len(addrs)], "/v1/meetings/"+mid+"/registrations", body, "Idempotency-Key", key)
			o, why := classify(a, err, writeTimeout)
			w.mu.Lock()
			w.counts[fmt.Sprint(a.status)]++
			switch o {
			case acked:
				w.ackAt[email] = time.Now()
			case bad:
				w.bad = append(w.bad, why)
			}
			w.mu.Unlock()
			if o == acked {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *writer) acked() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for e := range w.ackAt {
		out = append(out, e)
	}
	return out
}

// 2. NATS stopped for 30 s while the API takes writes: every write is acknowledged or
// refused cleanly, and each acknowledged registration's confirmation reaches the SMTP
// server once, after NATS is back.
func TestFaultNATSStoppedUnderWrites(t *testing.T) {
	outage := 30 * time.Second
	pg := startPostgres(t)
	ns := newNATS(t, "n1")
	ns.start()
	sink := startSink(t)
	dsn := pg.dsn("plenary")
	common := []string{"PLENARY_DATABASE_URL=" + dsn, "PLENARY_NATS_URL=" + ns.url()}
	api := startPlenary(t, "api", common...)
	startPlenary(t, "notifier", notifierEnv(sink, common...)...)
	c := newClient(adminToken(t, dsn), 40*time.Second)
	mid, _ := meetingWithSession(t, c, api.addr, time.Now().AddDate(0, 1, 0))

	w := newWriter()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); w.run(ctx, c, []string{api.addr}, mid, randomHex(3), i, 30*time.Second) }()
	}
	time.Sleep(5 * time.Second)
	ns.p.stop(syscall.SIGTERM, 10*time.Second)
	down := time.Now()
	time.Sleep(outage)
	ns.start()
	back := time.Now()
	time.Sleep(10 * time.Second)
	cancel()
	wg.Wait()

	emails := w.acked()
	waitDistinct(sink, emails, 1, 3*time.Minute, 10*time.Second)
	tl := count(sink.got(), emails, 1, deliveries(t, pg), 2*time.Minute)
	during := 0
	w.mu.Lock()
	for _, at := range w.ackAt {
		if at.After(down) && at.Before(back) {
			during++
		}
	}
	badN := len(w.bad)
	counts := fmt.Sprint(w.counts)
	w.mu.Unlock()
	report(row{scenario: fmt.Sprintf("2. NATS stopped %s under writes (confirmation each)", outage), expected: tl.expected, sent: tl.sent,
		duplicates: tl.duplicates, lost: tl.lost, late: tl.late, p99: percentile(tl.delays, .99),
		note: fmt.Sprintf("%d writes acknowledged during the outage; answers %s; bad %d", during, counts, badN)})
	if badN > 0 {
		t.Errorf("%d writes were not answered cleanly, e.g. %s", badN, w.bad[0])
	}
	if during == 0 {
		t.Error("no write was acknowledged while NATS was down")
	}
	if tl.lost != 0 || tl.duplicates != 0 {
		t.Errorf("lost %d, duplicates %d of %d confirmations", tl.lost, tl.duplicates, tl.expected)
	}
}

// 3. Two API and two notifier replicas on one PostgreSQL and a three-node NATS cluster
// (stream replicas 3); one NATS node is killed during the traffic. Every confirmation and
// every reminder is sent exactly once.
func TestFaultReplicasAndNATSNodeLoss(t *testing.T) {
	n := 600
	if soak {
		n = 4000
	}
	pg := startPostgres(t)
	cluster := natsCluster(t)
	var urls []string
	for _, s := range cluster {
		urls = append(urls, s.url())
	}
	sink := startSink(t)
	dsn := pg.dsn("plenary")
	common := []string{"PLENARY_DATABASE_URL=" + dsn, "PLENARY_NATS_URL=" + strings.Join(urls, ","), "PLENARY_STREAM_REPLICAS=3"}
	apis := []*plenaryProc{startPlenary(t, "api", common...), startPlenary(t, "api", common...)}
	startPlenary(t, "notifier", notifierEnv(sink, common...)...)
	startPlenary(t, "notifier", notifierEnv(sink, common...)...)
	c := newClient(adminToken(t, dsn), 2*time.Minute)

	start := time.Now().Add(reminderLead + 90*time.Second).Truncate(time.Minute).Add(time.Minute)
	mid, _ := meetingWithSession(t, c, apis[0].addr, start)
	killed := ""
	var emails []string
	const chunks = 3
	for k := range chunks {
		part := importRegistrants(t, c, []string{apis[k%2].addr, apis[(k+1)%2].addr}, mid, n/chunks, fmt.Sprintf("%s%d", randomHex(2), k), nil)
		emails = append(emails, part...)
		if k == 0 {
			// Kill the node the first API's connection uses? Any node: the stream has
			// three replicas; kill the first, which every client tried first.
			cluster[0].p.kill()
			killed = cluster[0].name
		}
	}
	waitDistinct(sink, emails, 2, 6*time.Minute, 20*time.Second)
	tl := count(sink.got(), emails, 2, deliveries(t, pg), time.Minute)
	report(row{scenario: fmt.Sprintf("3. 2 API + 2 notifiers, 3-node NATS, node %s killed", killed), expected: tl.expected, sent: tl.sent,
		duplicates: tl.duplicates, lost: tl.lost, late: tl.late, p99: percentile(tl.delays, .99),
		note: fmt.Sprintf("%d registrants in %d imports over both APIs", len(emails), chunks)})
	if tl.lost != 0 || tl.duplicates != 0 || tl.sent != tl.expected {
		t.Errorf("sent %d of %d, lost %d, duplicates %d: want each exactly once", tl.sent, tl.expected, tl.lost, tl.duplicates)
	}
}

// 4. PostgreSQL restarted, then frozen (SIGSTOP on the postmaster and every backend),
// under traffic: every request is answered within the write timeout, with 2xx or 503 and
// Retry-After (or the 409 of a key whose earlier try is settling), never 500; the API
// recovers by itself; no acknowledged write is lost or applied twice.
func TestFaultPostgresRestartedThenFrozen(t *testing.T) {
	freeze := 15 * time.Second
	if soak {
		freeze = 45 * time.Second
	}
	const writeTimeout = 6 * time.Second
	pg := startPostgres(t)
	ns := newNATS(t, "n1")
	ns.start()
	dsn := pg.dsn("plenary")
	api := startPlenary(t, "api", "PLENARY_DATABASE_URL="+dsn, "PLENARY_NATS_URL="+ns.url(), "PLENARY_WRITE_TIMEOUT="+writeTimeout.String())
	c := newClient(adminToken(t, dsn), writeTimeout+10*time.Second)

	type result struct {
		o       writeOutcome
		why     string
		elapsed time.Duration
		status  int
	}
	var mu sync.Mutex
	var results []result
	ackedIDs := map[string]string{} // idempotency key -> meeting id
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	tag := randomHex(3)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				key := fmt.Sprintf("pg-%s-%d-%d", tag, w, i)
				body := map[string]any{"title": map[string]string{"en": "Working group " + key}, "venue_tz": "Europe/Vienna"}
				for ctx.Err() == nil {
					a, err := c.post(context.Background(), api.addr, "/v1/meetings", body, "Idempotency-Key", key)
					o, why := classify(a, err, writeTimeout)
					mu.Lock()
					results = append(results, result{o, why, a.elapsed, a.status})
					if o == acked {
						ackedIDs[key], _ = a.json()["id"].(string)
					}
					mu.Unlock()
					if o == acked {
						break
					}
					time.Sleep(300 * time.Millisecond)
				}
				// A read beside each write.
				a, err := c.do(context.Background(), api.addr, "GET", "/v1/meetings?limit=5", "", nil)
				o, why := classify(a, err, writeTimeout)
				mu.Lock()
				results = append(results, result{o, why, a.elapsed, a.status})
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	time.Sleep(5 * time.Second)
	pg.restart(3 * time.Second)
	time.Sleep(5 * time.Second)
	if err := pg.p.group(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(freeze)
	if err := pg.p.group(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	thawed := time.Now()
	// Recovery without a restart: a write succeeds again within a minute.
	recovered := time.Duration(0)
	for time.Since(thawed) < time.Minute {
		a, err := c.post(context.Background(), api.addr, "/v1/meetings", map[string]any{"title": map[string]string{"en": "After the thaw"}, "venue_tz": "UTC"})
		if err == nil && a.status == 201 {
			recovered = time.Since(thawed)
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(5 * time.Second)
	cancel()
	wg.Wait()

	db := pg.open("plenary")
	defer db.Close()
	stored := map[string]int{}
	rows, err := db.Query(`SELECT id, title FROM meetings`)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]int{}
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			t.Fatal(err)
		}
		stored[id]++
		titles[title]++
	}
	rows.Close()
	lost, dup := 0, 0
	for _, id := range ackedIDs {
		if stored[id] == 0 {
			lost++
		}
	}
	for _, n := range titles {
		if n > 1 {
			dup += n - 1
		}
	}
	var elapsed []time.Duration
	statuses := map[int]int{}
	badN, late := 0, 0
	var firstBad string
	for _, r := range results {
		elapsed = append(elapsed, r.elapsed)
		statuses[r.status]++
		if r.o == bad {
			badN++
			if firstBad == "" {
				firstBad = r.why
			}
		}
		if r.elapsed > writeTimeout {
			late++
		}
	}
	report(row{scenario: fmt.Sprintf("4. PostgreSQL restarted, then frozen %s, under traffic", freeze), expected: len(ackedIDs), sent: len(ackedIDs) - lost,
		duplicates: dup, lost: lost, late: late, p99: percentile(elapsed, .99),
		note: fmt.Sprintf("%d requests, statuses %v, bad %d; writes again %s after the thaw", len(results), statuses, badN, recovered.Round(100*time.Millisecond))})
	if badN > 0 {
		t.Errorf("%d answers were neither 2xx nor a clean 503 within %s, e.g. %s", badN, writeTimeout, firstBad)
	}
	if statuses[500] > 0 {
		t.Errorf("%d answers were 500", statuses[500])
	}
	if recovered == 0 {
		t.Error("the API did not take a write within a minute of the thaw")
	}
	if lost > 0 || dup > 0 {
		t.Errorf("%d acknowledged writes lost, %d applied twice", lost, dup)
	}
}

// jetStreamAt connects to the JetStream of the NATS server at url; done closes the
// connection (callers poll, so each closes its own at once).
func jetStreamAt(t *testing.T, url string) (js jetstream.JetStream, done func()) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	js, err = jetstream.New(nc)
	if err != nil {
		nc.Close()
		t.Fatal(err)
	}
	return js, nc.Close
}

// streamEvents reads every event of the PLENARY stream.
func streamEvents(t *testing.T, url string) []contracts.Event {
	t.Helper()
	js, done := jetStreamAt(t, url)
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := js.Stream(ctx, contracts.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []contracts.Event
	for uint64(len(out)) < info.State.Msgs {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			var e contracts.Event
			if err := json.Unmarshal(m.Data(), &e); err != nil {
				t.Fatalf("event %s: %v", m.Subject(), err)
			}
			out = append(out, e)
			got++
		}
		if got == 0 {
			break
		}
	}
	return out
}

func entityID(e contracts.Event) string {
	var m struct {
		Meeting struct {
			ID string `json:"id"`
		} `json:"meeting"`
	}
	_ = json.Unmarshal(e.Data, &m)
	return m.Meeting.ID
}

// 5. The API killed with SIGKILL in the middle of a burst of writes, and started again:
// every acknowledged write is stored with exactly one event in the stream, and every
// stored meeting's event is published.
func TestFaultAPIKilledMidBurst(t *testing.T) {
	clients, perClient, killAfter := 4, 50, 60
	if soak {
		clients, perClient, killAfter = 8, 250, 500
	}
	pg := startPostgres(t)
	ns := newNATS(t, "n1")
	ns.start()
	dsn := pg.dsn("plenary")
	api := startPlenary(t, "api", "PLENARY_DATABASE_URL="+dsn, "PLENARY_NATS_URL="+ns.url())
	c := newClient(adminToken(t, dsn), 30*time.Second)

	var mu sync.Mutex
	confirmed := map[string]string{}
	unknown := 0
	var ok atomic.Int64
	var killedAt time.Time
	killDone := make(chan struct{})
	go func() {
		defer close(killDone)
		for ok.Load() < int64(killAfter) {
			time.Sleep(5 * time.Millisecond)
		}
		killedAt = time.Now()
		api.restart()
	}()
	tag := randomHex(3)
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perClient {
				key := fmt.Sprintf("burst-%s-%d-%d", tag, w, i)
				body := map[string]any{"title": map[string]string{"en": "Burst " + key}, "venue_tz": "Africa/Nairobi"}
				inProgress := 0
				for try := 0; try < 600; try++ {
					a, err := c.post(context.Background(), api.addr, "/v1/meetings", body, "Idempotency-Key", key)
					if err == nil && (a.status == 201 || a.status == 200) {
						mu.Lock()
						confirmed[key], _ = a.json()["id"].(string)
						mu.Unlock()
						ok.Add(1)
						break
					}
					if err == nil && a.status == 409 && strings.Contains(string(a.body), "idempotency_") {
						// The killed process held the key; it is freed once its budget has
						// passed, or stays if its write committed.
						if inProgress++; inProgress > 450 || strings.Contains(string(a.body), "idempotency_outcome_lost") {
							mu.Lock()
							unknown++
							mu.Unlock()
							break
						}
					} else if err == nil && a.status < 500 {
						t.Errorf("POST %s: %d %s", key, a.status, a.body)
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	<-killDone

	// The outbox drains to JetStream.
	db := pg.open("plenary")
	defer db.Close()
	waitFor(t, "the outbox to drain", 2*time.Minute, func() bool {
		var pending int
		err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE published_at IS NULL`).Scan(&pending)
		return err == nil && pending == 0
	})
	created := map[string]int{}
	for _, e := range streamEvents(t, ns.url()) {
		if e.Type == contracts.MeetingCreated {
			created[entityID(e)]++
		}
	}
	stored := storedMeetings(t, db)
	lost, dup, unpublished := 0, 0, 0
	for _, id := range confirmed {
		if created[id] == 0 || !stored[id] {
			lost++
		}
	}
	for id, n := range created {
		if n > 1 {
			dup += n - 1
		}
		if !stored[id] {
			t.Errorf("meeting.created for %s, which is not stored", id)
		}
	}
	for id := range stored {
		if created[id] == 0 {
			unpublished++
		}
	}
	report(row{scenario: fmt.Sprintf("5. API kill -9 mid-burst (%d writes, kill after %d)", clients*perClient, killAfter),
		expected: len(confirmed), sent: len(confirmed) - lost, duplicates: dup, lost: lost + unpublished,
		note: fmt.Sprintf("%d stored, %d events, %d outcomes unknown to the client; killed at %s", len(stored), len(created), unknown, killedAt.Format("15:04:05.000"))})
	if lost > 0 || dup > 0 || unpublished > 0 {
		t.Errorf("acknowledged writes lost %d, duplicate events %d, stored meetings without an event %d", lost, dup, unpublished)
	}
	if len(stored) > clients*perClient {
		t.Errorf("%d meetings stored for %d writes: a retried write was applied twice", len(stored), clients*perClient)
	}
}

func storedMeetings(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	rows, err := db.Query(`SELECT id FROM meetings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	return out
}
