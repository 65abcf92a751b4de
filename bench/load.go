package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load describes an HTTP load: Requests GETs of URL over Conns keep-alive connections,
// stopped early at MaxDuration. Loopback only: the harness never leaves the machine.
type Load struct {
	URL         string
	Header      http.Header
	Requests    int
	Conns       int
	MaxDuration time.Duration
	// Status is the answer every request must get (200 when zero).
	Status int
}

// LoadResult is what a load measured.
type LoadResult struct {
	Requests int
	Elapsed  time.Duration
	RPS      float64
	P50, P99 time.Duration
	Bytes    int64
}

// Run sends the load and measures throughput and latency percentiles. A wrong status or
// a transport error fails the run: a fast error page must not pass for a fast agenda.
func (l Load) Run(ctx context.Context) (LoadResult, error) {
	if l.Status == 0 {
		l.Status = http.StatusOK
	}
	if l.Conns <= 0 {
		l.Conns = 1
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, l.MaxDuration)
	defer cancel()
	tr := &http.Transport{MaxIdleConns: l.Conns, MaxIdleConnsPerHost: l.Conns, MaxConnsPerHost: l.Conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	if err := l.warm(ctx, client); err != nil {
		return LoadResult{}, err
	}

	var wg sync.WaitGroup
	lat := make([]time.Duration, l.Requests)
	var next, done atomic.Int64
	var bytes atomic.Int64
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	for range l.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= l.Requests || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				n, _, err := l.one(ctx, client)
				if err != nil {
					if ctx.Err() == nil {
						errOnce.Do(func() { firstErr = err })
					}
					cancel()
					return
				}
				lat[i] = time.Since(t0)
				bytes.Add(n)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return LoadResult{}, firstErr
	}
	n := int(done.Load())
	if n == 0 {
		return LoadResult{}, fmt.Errorf("no request completed within %s", l.MaxDuration)
	}
	// Requests cut short by MaxDuration have no latency: measure the completed ones only.
	got := make([]time.Duration, 0, n)
	for _, d := range lat {
		if d > 0 {
			got = append(got, d)
		}
	}
	slices.Sort(got)
	return LoadResult{Requests: n, Elapsed: elapsed, RPS: float64(n) / elapsed.Seconds(),
		P50: percentile(got, 50), P99: percentile(got, 99), Bytes: bytes.Load()}, nil
}

// warm opens every connection with one request first, so that dialling is not measured.
func (l Load) warm(ctx context.Context, client *http.Client) error {
	var wg sync.WaitGroup
	warm := make(chan error, l.Conns)
	for range l.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := l.one(ctx, client)
			warm <- err
		}()
	}
	wg.Wait()
	close(warm)
	for err := range warm {
		if err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	return nil
}

func (l Load) one(ctx context.Context, client *http.Client) (int64, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.URL, nil)
	if err != nil {
		return 0, 0, err
	}
	for k, v := range l.Header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return 0, res.StatusCode, err
	}
	if res.StatusCode != l.Status {
		return n, res.StatusCode, fmt.Errorf("GET %s: status %d, want %d", l.URL, res.StatusCode, l.Status)
	}
	return n, res.StatusCode, nil
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}
