package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/services/platform/httpx"
)

// The request budget's deadline holds whether or not anything waits on it: a handler
// that waits sees DeadlineExceeded (also through a context made from it, and as its
// cause), one that only reads the deadline sees the same budget.
func TestBudgetEndsWhatWaitsOnIt(t *testing.T) {
	const budget = 30 * time.Millisecond
	r := httpx.NewEngine(httpx.Options{Budget: budget})
	var waited, child, cause, early error
	var deadline time.Time
	var hasDeadline bool
	began := time.Now()
	r.GET("/wait", func(c *gin.Context) {
		ctx := c.Request.Context()
		early = ctx.Err()
		sub, cancel := context.WithCancel(ctx)
		defer cancel()
		<-ctx.Done()
		<-sub.Done()
		waited, child, cause = ctx.Err(), sub.Err(), context.Cause(ctx)
		c.Status(http.StatusNoContent)
	})
	r.GET("/read", func(c *gin.Context) {
		deadline, hasDeadline = c.Request.Context().Deadline()
		c.Status(http.StatusNoContent)
	})
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/wait", nil))
	if early != nil || !errors.Is(waited, context.DeadlineExceeded) || !errors.Is(child, context.DeadlineExceeded) || !errors.Is(cause, context.DeadlineExceeded) {
		t.Fatalf("before: %v; after the budget: %v, a context made from it: %v, cause: %v", early, waited, child, cause)
	}
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/read", nil))
	if !hasDeadline || deadline.Before(began.Add(budget)) || deadline.After(time.Now().Add(budget)) {
		t.Fatalf("deadline %v (set %v), want the request's start plus %v", deadline, hasDeadline, budget)
	}
}

// Each route and status is counted apart, however its series are kept.
func TestMetricsCountEachRouteAndStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	r := httpx.NewEngine(httpx.Options{Registry: reg})
	r.GET("/things/:id", func(c *gin.Context) {
		if c.Param("id") == "missing" {
			c.Status(http.StatusNotFound)
			return
		}
		c.Status(http.StatusNoContent)
	})
	for _, p := range []string{"/things/1", "/things/2", "/things/missing", "/things/3", "/nowhere"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	// Methods a client makes up, on a route and off it: one series, not one per token.
	for i := range 20 {
		m := fmt.Sprintf("PROBE%d", i)
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(m, "/things/1", nil))
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(m, "/elsewhere", nil))
	}
	counts := map[string]float64{}
	latencies := 0
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch mf.GetName() {
			case "plenary_http_requests_total":
				counts[labels["method"]+" "+labels["route"]+" "+labels["status"]] = m.GetCounter().GetValue()
			case "plenary_http_request_duration_seconds":
				latencies++
			}
		}
	}
	want := map[string]float64{"GET /things/:id 204": 3, "GET /things/:id 404": 1, "GET unmatched 404": 1,
		"other unmatched 405": 20, "other unmatched 404": 20}
	if !maps.Equal(counts, want) || latencies != 3 {
		t.Fatalf("requests %v, want %v; %d latency series, want one per method and route (3)", counts, want, latencies)
	}
}
