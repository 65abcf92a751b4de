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
	// Raw reads the answers off each connection's socket as wrk does (status line,
	// Content-Length, body; no header map, no transport goroutines) instead of through
	// net/http's client. The client shares the machine with the server; net/http's costs
	// some 40 us of CPU a request, more with each header, which shrinks every ratio toward
	// 1 and charges the server under test for the headers the client parses.
	Raw bool
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
	gets, closeAll, err := l.getters(ctx)
	if err != nil {
		return LoadResult{}, err
	}
	defer closeAll()
	if err := warm(gets); err != nil {
		return LoadResult{}, err
	}

	var wg sync.WaitGroup
	lat := make([]time.Duration, l.Requests)
	var next, done atomic.Int64
	var bytes atomic.Int64
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	for _, get := range gets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= l.Requests || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				n, err := get()
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

// getter sends one request on its connection and returns the body's length.
type getter func() (int64, error)

// getters are one getter per connection (Conns of them) and what closes them all.
func (l Load) getters(ctx context.Context) ([]getter, func(), error) {
	gets := make([]getter, l.Conns)
	if !l.Raw {
		tr := &http.Transport{MaxIdleConns: l.Conns, MaxIdleConnsPerHost: l.Conns, MaxConnsPerHost: l.Conns, DisableCompression: true}
		client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
		for i := range gets {
			gets[i] = func() (int64, error) { return l.one(ctx, client) }
		}
		return gets, tr.CloseIdleConnections, nil
	}
	conns := make([]*rawConn, 0, l.Conns)
	closeAll := func() {
		for _, c := range conns {
			c.close()
		}
	}
	for i := range gets {
		c, err := dialRaw(ctx, l.URL, l.Header, l.Status)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		conns = append(conns, c)
		gets[i] = c.get
	}
	return gets, closeAll, nil
}

// warm sends one request on every connection first (all at once), so that dialling and
// the server's first reads are not measured.
func warm(gets []getter) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(gets))
	for _, get := range gets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := get()
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	return nil
}

func (l Load) one(ctx context.Context, client *http.Client) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.URL, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range l.Header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return 0, err
	}
	if res.StatusCode != l.Status {
		return n, fmt.Errorf("GET %s: status %d, want %d", l.URL, res.StatusCode, l.Status)
	}
	return n, nil
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}
