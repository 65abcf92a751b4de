package api_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// load sends n GETs to url from workers concurrent clients over loopback and returns the
// rate and the 99th percentile latency.
func load(b *testing.B, url string, n, workers int, header http.Header) (rps float64, p99 time.Duration) {
	b.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	lat := make([]time.Duration, n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				req, _ := http.NewRequest("GET", url, nil)
				req.Header = header.Clone()
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	return float64(n) / elapsed.Seconds(), lat[n*99/100]
}

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

// BenchmarkAgenda50Sessions measures GET of a localized 50-session agenda through the
// whole API (middleware, revision check, cached rendering) beside a bare Gin handler
// returning the same bytes, in the same run. It reports both rates, both p99s and the
// ratio (target: at least half of bare Gin).
func BenchmarkAgenda50Sessions(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	svc := agenda.NewService(d)
	m, err := svc.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Forum", "fr": "Forum"}, VenueTZ: ptr("Europe/Paris")})
	if err != nil {
		b.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range 50 {
		date := day.AddDate(0, 0, i/4).Format("2006-01-02")
		start := fmt.Sprintf("%sT%02d:00", date, 8+(i%4)*3)
		x, err := svc.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": fmt.Sprintf("Session %d", i)}, Start: &start,
			DurationMin: ptr(120), Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr", "es", "ar"}, Audience: []string{"Africa, Europe and the Americas"}})
		if err != nil {
			b.Fatal(err)
		}
		for j := range 3 {
			if _, err := svc.AddItem(ctx, x.ID, agenda.ItemInput{Title: contracts.Text{"en": fmt.Sprintf("Item %d", j), "fr": fmt.Sprintf("Point %d", j)},
				Speakers: []agenda.Speaker{{Name: "Speaker", Affiliation: "Parliament", RegionalGroup: "African Group"}}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	path := "/v1/meetings/" + m.ID + "/agenda?tz=Asia/Tokyo&lang=fr"
	full := serveOn(b, api.NewServer(api.Deps{DB: d, Agenda: svc, Limits: auth.Limits{PerToken: -1, PerIP: -1}}))
	hdr := benchHeader(b, d)
	body := fetch(b, full+path, hdr)

	bare := gin.New()
	bare.GET("/v1/meetings/:id/agenda", func(c *gin.Context) { c.Data(200, "application/json; charset=utf-8", body) })
	bareURL := serveOn(b, bare)

	const n, workers = 20000, 8
	b.ResetTimer()
	var apiRPS, bareRPS float64
	var apiP99, bareP99 time.Duration
	for range b.N {
		bareRPS, bareP99 = load(b, bareURL+path, n, workers, http.Header{})
		apiRPS, apiP99 = load(b, full+path, n, workers, hdr)
	}
	b.StopTimer()
	b.ReportMetric(apiRPS, "plenary-req/s")
	b.ReportMetric(float64(apiP99.Microseconds())/1000, "plenary-p99-ms")
	b.ReportMetric(bareRPS, "bare-gin-req/s")
	b.ReportMetric(float64(bareP99.Microseconds())/1000, "bare-gin-p99-ms")
	b.ReportMetric(apiRPS/bareRPS, "ratio")
	b.ReportMetric(float64(len(body)), "body-bytes")
}

func fetch(b *testing.B, url string, hdr http.Header) []byte {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header = hdr.Clone()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("agenda: %d %v %s", res.StatusCode, err, body)
	}
	return body
}

func ptr[T any](v T) *T { return &v }

// benchHeader returns the headers a secretariat reader sends: a viewer token.
func benchHeader(b *testing.B, d *db.DB) http.Header {
	_, secret, err := auth.NewStore(d, nil).Create(context.Background(), auth.NewToken{Role: auth.RoleViewer, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return http.Header{"Authorization": {"Bearer " + secret}}
}
