package api_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/bench"
	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
)

func serveOn(b *testing.B, h http.Handler) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

type benchItem struct {
	title      contracts.Text
	start, end string
	speakers   []agenda.Speaker
}

var benchSpeakers = []agenda.Speaker{
	{Name: "H.E. Ms. Amina Diallo", Affiliation: "Permanent Mission of Senegal", StakeholderGroup: "Member States", RegionalGroup: "African Group", Language: "fr"},
	{Name: "Mr. Kenji Watanabe", Affiliation: "Ministry of Foreign Affairs of Japan", StakeholderGroup: "Member States", RegionalGroup: "Asia-Pacific Group", Language: "en"},
	{Name: "Sra. Lucía Fernández", Affiliation: "Red Latinoamericana de Parlamentarios", StakeholderGroup: "Parliamentarians", RegionalGroup: "Latin American and Caribbean Group", Language: "es"},
}

// seedMeeting creates a public meeting in Geneva with n two-hour sessions, four a day,
// each with an opening, a debate with speakers, a coffee break and a closing item.
func seedMeeting(b *testing.B, svc *agenda.Service, n int) agenda.Meeting {
	b.Helper()
	ctx := context.Background()
	m, err := svc.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Forum on Sustainable Development", "fr": "Forum sur le développement durable", "es": "Foro sobre el Desarrollo Sostenible"},
		VenueTZ: ptr("Europe/Zurich"), Format: ptr("hybrid"), Public: ptr(true)})
	if err != nil {
		b.Fatal(err)
	}
	day := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		date := day.AddDate(0, 0, i/4).Format("2006-01-02")
		h := 8 + (i%4)*3 // 08:00, 11:00, 14:00, 17:00
		start := fmt.Sprintf("%sT%02d:00", date, h)
		x, err := svc.CreateSession(ctx, m.ID, agenda.SessionInput{
			Title: contracts.Text{"en": fmt.Sprintf("Plenary meeting %d", i+1), "fr": fmt.Sprintf("%de séance plénière", i+1), "es": fmt.Sprintf("%sª sesión plenaria", fmt.Sprint(i+1))},
			Start: &start, DurationMin: ptr(120), Floor: []string{"en", "fr", "es"}, Outputs: []string{"en", "fr", "es", "ar"},
			Audience: []string{"Africa, Europe and the Americas"}})
		if err != nil {
			b.Fatal(err)
		}
		items := []benchItem{
			{title: contracts.Text{"en": "Opening of the meeting", "fr": "Ouverture de la séance", "es": "Apertura de la sesión"}, start: fmt.Sprintf("%02d:00", h), end: fmt.Sprintf("%02d:10", h)},
			{title: contracts.Text{"en": "General debate", "fr": "Débat général", "es": "Debate general"}, start: fmt.Sprintf("%02d:10", h), end: fmt.Sprintf("%02d:50", h), speakers: benchSpeakers},
			{title: contracts.Text{"en": "Coffee break", "fr": "Pause café", "es": "Pausa café"}, start: fmt.Sprintf("%02d:50", h), end: fmt.Sprintf("%02d:10", h+1)},
			{title: contracts.Text{"en": "Closing of the meeting", "fr": "Clôture de la séance", "es": "Clausura de la sesión"}, start: fmt.Sprintf("%02d:40", h+1), end: fmt.Sprintf("%02d:00", h+2)},
		}
		for _, it := range items {
			if _, err := svc.AddItem(ctx, x.ID, agenda.ItemInput{Title: it.title, Start: ptr(it.start), End: ptr(it.end), Speakers: it.speakers}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return m
}

// agendaLoad is the load of one side: 32 connections, a bounded count and time; raw
// reads the answers as wrk does (bench.Load.Raw), else through net/http's client.
func agendaLoad(url string, hdr http.Header, status int, raw bool) bench.Load {
	n := 6000
	if raw {
		n = 15000 // the same time on either side: a raw request costs the client far less
	}
	return bench.Load{URL: url, Header: hdr, Requests: n, Conns: 32, MaxDuration: 20 * time.Second, Status: status, Raw: raw}
}

// BenchmarkPublicAgenda measures the public agenda (no token, as registrants and the
// public read it) of a 50-session meeting, localized (Asia/Tokyo, French), through the
// whole API beside a bare Gin handler serving the same bytes, alternating the two (bare
// Gin first) for bench.Rounds rounds: as browsers read it (Accept-Encoding: gzip, bare
// Gin serving the same gzip bytes), then plain (no Accept-Encoding), then a 304
// revalidation of the gzip bytes, whose baseline is a bare Gin handler comparing
// If-None-Match.
//
// The goals' rows are loaded by the raw client (bench.Load.Raw): the load generator runs
// on the same two cores, and net/http's client costs each request about as much CPU as
// bare Gin's whole answer, which pulls every ratio toward 1 and charges the API for the
// client parsing its headers. The raw client lets each side run about half again as
// many requests a second and measures more of the servers' own cost. The same gzip load
// through net/http's client is reported beside them, to compare with the earlier tables.
func BenchmarkPublicAgenda(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	svc := agenda.NewService(d)
	m := seedMeeting(b, svc, 50)
	path := "/v1/meetings/" + m.ID + "/agenda?tz=Asia/Tokyo&lang=fr"
	full := serveOn(b, api.NewServer(api.Deps{DB: d, Agenda: svc, Limits: auth.Limits{PerToken: -1, PerIP: -1}}))
	gzipped := http.Header{"Accept-Encoding": {"gzip"}}
	body, etag, _ := fetchAgenda(b, full+path, nil, "")
	gz, gzTag, gzHeader := fetchAgenda(b, full+path, gzipped, "gzip")

	bare := gin.New()
	bare.GET("/v1/meetings/:id/agenda", func(c *gin.Context) {
		b, tag := body, etag
		if strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
			b, tag = gz, gzTag
			c.Header("Content-Encoding", "gzip")
		}
		c.Header("ETag", tag)
		if c.GetHeader("If-None-Match") == tag {
			c.Status(http.StatusNotModified)
			return
		}
		c.Header("Content-Length", strconv.Itoa(len(b))) // as the API sends it (unchunked)
		c.Data(200, "application/json; charset=utf-8", b)
	})
	bareURL := serveOn(b, bare)
	// The same bytes on the wire: the API's own response headers too (security, caching,
	// request id), which the plain baseline does not send. It tells the cost of Plenary's
	// code from that of the headers every answer carries (net/http's and the client's
	// header maps grow past eight entries), and has no goal of its own.
	sameHeaders := gin.New()
	sameHeaders.GET("/v1/meetings/:id/agenda", func(c *gin.Context) {
		h := c.Writer.Header()
		for k, v := range gzHeader {
			if k != "Date" {
				h[k] = v
			}
		}
		c.Data(200, gzHeader.Get("Content-Type"), gz)
	})
	sameHeadersURL := serveOn(b, sameHeaders)

	rounds := bench.Rounds()
	for b.Loop() {
		gzGet, gzP99s, gzBareP99s, err := agendaRounds(ctx, rounds, full+path, bareURL+path, gzipped, 200, true)
		if err != nil {
			b.Fatal(err)
		}
		get, p99s, bareP99s, err := agendaRounds(ctx, rounds, full+path, bareURL+path, nil, 200, true)
		if err != nil {
			b.Fatal(err)
		}
		gzSame, _, _, err := agendaRounds(ctx, rounds, full+path, sameHeadersURL+path, gzipped, 200, true)
		if err != nil {
			b.Fatal(err)
		}
		inm := http.Header{"If-None-Match": {gzTag}, "Accept-Encoding": {"gzip"}}
		notModified, _, _, err := agendaRounds(ctx, rounds, full+path, bareURL+path, inm, 304, true)
		if err != nil {
			b.Fatal(err)
		}
		gzClient, _, _, err := agendaRounds(ctx, rounds, full+path, bareURL+path, gzipped, 200, false)
		if err != nil {
			b.Fatal(err)
		}
		bench.Record(b, bench.AtLeast(fmt.Sprintf("public agenda GET, gzip (%d KB of %d KB), 50 sessions, fr/Asia/Tokyo, 32 conns", len(gz)/1024, len(body)/1024), "req/s", "bare Gin, same gzip bytes", gzGet, 0.8))
		bench.Record(b, p99Row("public agenda GET, gzip, p99 at 32 conns", gzP99s, gzBareP99s))
		same := bench.AtLeast("public agenda GET, gzip, against the same bytes and response headers", "req/s", "bare Gin, same bytes and headers", gzSame, 0)
		same.Goal, same.Met = "reported", true
		bench.Record(b, same)
		bench.Record(b, bench.AtLeast(fmt.Sprintf("public agenda GET, identity, 50 sessions, fr/Asia/Tokyo (%d KB), 32 conns", len(body)/1024), "req/s", "bare Gin, same bytes", get, 0.8))
		bench.Record(b, p99Row("public agenda GET, identity, p99 at 32 conns", p99s, bareP99s))
		bench.Record(b, bench.AtLeast("public agenda 304 (If-None-Match, gzip tag), 32 conns", "req/s", "bare Gin 304", notModified, 0.5))
		through := bench.AtLeast("public agenda GET, gzip, loaded through net/http's client (as the tables before 2026-12-03)", "req/s", "bare Gin, same gzip bytes", gzClient, 0)
		through.Goal, through.Met = "reported", true
		bench.Record(b, through)
	}
}

// fetchAgenda reads the agenda once with hdr and returns its bytes as sent (not
// decompressed), its ETag and its response headers, checking that they are in coding
// ("" for identity).
func fetchAgenda(b *testing.B, url string, hdr http.Header, coding string) ([]byte, string, http.Header) {
	b.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, etag := readAll(b, res), res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" || res.Header.Get("Content-Encoding") != coding {
		b.Fatalf("public agenda: %d, ETag %q, Content-Encoding %q (want %q)", res.StatusCode, etag, res.Header.Get("Content-Encoding"), coding)
	}
	return body, etag, res.Header
}

// agendaRounds alternates the load with hdr on the API and on bare Gin, and returns
// their rates and each round's p99 (ms). Both servers and the load share this process,
// so each side starts from a collected heap: the garbage of the side before (the API
// makes more) is not collected on the other's time.
func agendaRounds(ctx context.Context, rounds int, url, bareURL string, hdr http.Header, status int, raw bool) (rate bench.Pair, p99s, bareP99s []float64, err error) {
	rate, err = bench.Alternate(rounds, func() (float64, error) {
		runtime.GC()
		r, err := agendaLoad(url, hdr, status, raw).Run(ctx)
		p99s = append(p99s, float64(r.P99.Microseconds())/1000)
		return r.RPS, err
	}, func() (float64, error) {
		runtime.GC()
		r, err := agendaLoad(bareURL, hdr, status, raw).Run(ctx)
		bareP99s = append(bareP99s, float64(r.P99.Microseconds())/1000)
		return r.RPS, err
	})
	return rate, p99s, bareP99s, err
}

// p99Row is a p99 goal of 10 ms beside bare Gin's p99 in the same rounds.
func p99Row(name string, p99s, bareP99s []float64) bench.Row {
	p99 := bench.Below(name, "ms", p99s, 10, false)
	p99.Baseline, p99.BaselineName, p99.BaselineSamples = bench.Median(bareP99s), "bare Gin p99", bareP99s
	p99.Ratio = p99.Figure / p99.Baseline
	return p99
}

// BenchmarkAgendaCold500 renders the agenda of a 500-session meeting with nothing cached
// (a new service each time, as after a deploy or for a new zone and language).
func BenchmarkAgendaCold500(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	m := seedMeeting(b, agenda.NewService(d), 500)
	var ms []float64
	for b.Loop() {
		ms = ms[:0]
		for range bench.Rounds() {
			svc := agenda.NewService(d)
			t0 := time.Now()
			a, err := svc.AgendaJSON(ctx, m.ID, "America/Mexico_City", "es", false)
			if err != nil || len(a.Body) == 0 {
				b.Fatal(err)
			}
			ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
		}
		bench.Record(b, bench.Below("agenda of 500 sessions rendered cold, es/America/Mexico_City", "ms", ms, 50, false))
	}
}

func readAll(b *testing.B, res *http.Response) []byte {
	b.Helper()
	defer res.Body.Close()
	var buf []byte
	tmp := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if err != nil {
			break
		}
	}
	return buf
}

func ptr[T any](v T) *T { return &v }

// BenchmarkSessionWrites creates 500 sessions in one meeting through the API on
// PostgreSQL, one POST after another with a planner token, and reports the rate of the
// first and the last hundred: flat means a write does not grow with the meeting.
//
// The API is wired as `plenary api` wires it (productionAPI): the outbox relay publishes
// each creation's event to JetStream, and interpretation's re-check consumer re-checks
// the meeting's staffing from those events (reading every session of the meeting, about
// once a second during the burst), both in the process and on the same database as the
// requests, as in production. Not included: the notifier, a process of its own that
// applies the same events to its tables (its own benchmark is the agenda change to
// notifier). An untimed warm-up opens the connections first; each round waits for the
// re-checks of its meeting to settle before the next begins, so that no round pays for
// the one before.
func BenchmarkSessionWrites(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.Postgres)
	w := productionAPI(b, d)
	url, svc := w.url, w.agenda
	_, secret, err := auth.NewStore(d, nil).Create(ctx, auth.NewToken{Role: auth.RolePlanner, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	// Untimed: the connections opened and the statements prepared, so that the first
	// round's first hundred does not pay for them and flatter the flatness.
	warm := seedMeeting(b, svc, 0)
	for k := range 50 {
		createBenchSession(b, url, secret, warm.ID, k)
	}
	awaitVerdict(b, w, warm.ID)
	var first, last []float64
	for b.Loop() {
		first, last = first[:0], last[:0]
		for range bench.Rounds() {
			m := seedMeeting(b, svc, 0)
			var rates []float64
			for hundred := range 5 {
				began := time.Now()
				for i := range 100 {
					createBenchSession(b, url, secret, m.ID, hundred*100+i)
				}
				rates = append(rates, 100/time.Since(began).Seconds())
			}
			first, last = append(first, rates[0]), append(last, rates[4])
			awaitVerdict(b, w, m.ID)
		}
		bench.Record(b, bench.AtLeast("session creations through the API, PostgreSQL: sessions 401-500 against 1-100", "req/s", "first 100", bench.Pair{A: last, B: first, MedianA: bench.Median(last), MedianB: bench.Median(first)}, 0.9))
		rate := bench.Median(first)
		bench.Record(b, bench.Row{Benchmark: "session creations through the API, PostgreSQL, first 100", Figure: rate, Unit: "req/s",
			Goal: ">= 300 req/s", Met: rate >= 300, Rounds: len(first), Samples: first})
	}
}

// createBenchSession creates the k-th session of the benchmark's meeting: four a day.
func createBenchSession(b *testing.B, url, secret, meetingID string, k int) {
	body := fmt.Sprintf(`{"title": {"en": "Plenary meeting %d", "fr": "%de séance plénière"}, "start": "2027-%02d-%02dT%02d:00", "duration_min": 120,
		"floor_languages": ["en", "fr"], "output_languages": ["en", "fr", "es", "ar"], "audience": ["Africa, Europe and the Americas"]}`,
		k+1, k+1, 3+k/112, 1+(k/4)%28, 8+(k%4)*3)
	req, _ := http.NewRequest("POST", url+"/v1/meetings/"+meetingID+"/sessions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated {
		b.Fatalf("session %d: %d %s", k, res.StatusCode, readAll(b, res))
	}
	res.Body.Close()
}

// productionAPI serves the API over d as `plenary api` runs it: agenda and interpretation
// waking the outbox relay after each commit, the relay publishing to JetStream (an
// embedded server), interpretation's re-check consumer and the agenda's head watcher
// following the stream, until the benchmark ends.
func productionAPI(b *testing.B, d *db.DB) production {
	b.Helper()
	ns := natstest.Start(b)
	nc, err := nats.Connect(ns.URL())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := natsx.EnsureStream(context.Background(), js); err != nil {
		b.Fatal(err)
	}
	relay := outbox.NewRelay(d, js, nil)
	ag := agenda.NewService(d, agenda.WithCommitHook(relay.Notify))
	ip := interpretation.NewService(d, ag, interpretation.WithCommitHook(relay.Notify))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range []func() error{
		func() error { return relay.Run(ctx) },
		func() error { return ip.ConsumeSessionEvents(ctx, js) },
		func() error { return ag.ForgetHeadsOnEvents(ctx, nc) },
	} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = run() }()
	}
	b.Cleanup(func() { cancel(); wg.Wait() })
	url := serveOn(b, api.NewServer(api.Deps{DB: d, Agenda: ag, Interpretation: ip, Limits: auth.Limits{PerToken: -1, PerIP: -1}}))
	return production{url: url, agenda: ag, interpretation: ip}
}

// production is the API productionAPI serves and the services behind it.
type production struct {
	url            string
	agenda         *agenda.Service
	interpretation *interpretation.Service
}

// awaitVerdict waits until the meeting's stored staffing verdict is the one of its
// agenda's revision: every creation re-checked. It reads what the re-check stored, not
// the agenda: an agenda rendered between the re-check's two writes of its verdict can
// keep showing the verdict one revision behind (see README, Performance).
func awaitVerdict(b *testing.B, w production, meetingID string) {
	b.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		rev, err := w.agenda.AgendaRevision(ctx, meetingID)
		if err != nil {
			b.Fatal(err)
		}
		c, ok, err := w.interpretation.LastCheck(ctx, meetingID)
		if err != nil {
			b.Fatal(err)
		}
		if ok && c.Revision >= rev {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("the staffing verdict of meeting %s never caught up with its agenda: revision %d, verdict of %d", meetingID, rev, c.Revision)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
