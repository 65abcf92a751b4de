package bench

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 10, 1, 1000, 11}, 10},
	} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
}

// TestAlternateOrder checks that the sides alternate, baseline first, and that a failing
// side stops the run with the round named.
func TestAlternateOrder(t *testing.T) {
	var order []string
	a := func() (float64, error) { order = append(order, "A"); return 2, nil }
	b := func() (float64, error) { order = append(order, "B"); return 4, nil }
	p, err := Alternate(3, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ""); got != "BABABA" {
		t.Errorf("order %s, want BABABA", got)
	}
	if p.Ratio() != 0.5 || len(p.A) != 3 || len(p.B) != 3 {
		t.Errorf("pair %+v ratio %v", p, p.Ratio())
	}
	n := 0
	_, err = Alternate(5, a, func() (float64, error) {
		n++
		if n == 2 {
			return 0, errors.New("boom")
		}
		return 1, nil
	})
	if err == nil || !strings.Contains(err.Error(), "round 2") {
		t.Errorf("err = %v, want the failing round named", err)
	}
}

func TestRows(t *testing.T) {
	r := AtLeast("x", "req/s", "bare", Pair{A: []float64{8}, B: []float64{10}, MedianA: 8, MedianB: 10}, 0.8)
	if !r.Met || r.Ratio != 0.8 {
		t.Errorf("0.8 of baseline against a goal of 0.8: %+v", r)
	}
	r = AtLeast("x", "req/s", "bare", Pair{A: []float64{7.9}, B: []float64{10}, MedianA: 7.9, MedianB: 10}, 0.8)
	if r.Met {
		t.Errorf("0.79 met a goal of 0.8: %+v", r)
	}
	if r := Below("p99", "ms", []float64{9, 12, 9.5}, 10, false); !r.Met || r.Figure != 9.5 {
		t.Errorf("median 9.5 < 10: %+v", r)
	}
	if r := Below("rss", "MB", []float64{256}, 256, true); !r.Met {
		t.Errorf("256 <= 256: %+v", r)
	}
	if r := Below("cold", "ms", []float64{50}, 50, false); r.Met {
		t.Errorf("50 < 50: %+v", r)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p := percentile(d, 99); p != 99*time.Millisecond {
		t.Errorf("p99 of 1..100 ms = %v", p)
	}
	if p := percentile(d, 50); p != 50*time.Millisecond {
		t.Errorf("p50 of 1..100 ms = %v", p)
	}
}

// TestLoadRefusesWrongStatus: an error page must not pass for a fast answer.
func TestLoadRefusesWrongStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Ok") == "" {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte("hello"))
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, raw := range []bool{false, true} {
		res, err := Load{URL: srv.URL, Header: http.Header{"X-Ok": {"1"}}, Requests: 200, Conns: 4, Raw: raw}.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != 200 || res.Bytes != 200*5 || res.P99 < res.P50 || res.RPS <= 0 {
			t.Errorf("raw %v: result %+v", raw, res)
		}
		if _, err := (Load{URL: srv.URL, Requests: 10, Conns: 2, Raw: raw}).Run(ctx); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("raw %v: a 403 load passed: %v", raw, err)
		}
	}
}

// TestRawLoadReadsWholeAnswers: the raw reader keeps a connection in step over answers
// with and without bodies (a 304 after a 200 with a body larger than its buffer), and
// refuses framing it does not read rather than miscounting.
func TestRawLoadReadsWholeAnswers(t *testing.T) {
	big := strings.Repeat("séance plénière ", 10000) // 170 KB: several reads per body
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/chunked":
			w.Write([]byte(big)) // larger than net/http's buffer, no length: chunked
		case r.Header.Get("If-None-Match") == `"a"`:
			w.Header().Set("ETag", `"a"`)
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", `"a"`)
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write([]byte(big))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	res, err := Load{URL: srv.URL + "/agenda", Requests: 300, Conns: 3, Raw: true}.Run(ctx)
	if err != nil || res.Requests != 300 || res.Bytes != int64(300*len(big)) {
		t.Fatalf("200s: %+v, %v", res, err)
	}
	res, err = Load{URL: srv.URL + "/agenda", Header: http.Header{"If-None-Match": {`"a"`}}, Requests: 300, Conns: 3, Raw: true, Status: 304}.Run(ctx)
	if err != nil || res.Requests != 300 || res.Bytes != 0 {
		t.Fatalf("304s: %+v, %v", res, err)
	}
	c, err := dialRaw(ctx, srv.URL+"/agenda", http.Header{"If-None-Match": {`"b"`}}, 200)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	for range 3 { // a body, then the next answer on the same connection
		if n, err := c.get(); err != nil || n != int64(len(big)) {
			t.Fatalf("get: %d, %v", n, err)
		}
	}
	if _, err := (Load{URL: srv.URL + "/chunked", Requests: 5, Conns: 1, Raw: true}).Run(ctx); err == nil || !strings.Contains(err.Error(), "Content-Length") {
		t.Fatalf("a chunked answer passed the raw load: %v", err)
	}
}
