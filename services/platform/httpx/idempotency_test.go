package httpx_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
)

// A reservation left by a process that died mid-request is taken over once it is older
// than StaleReservation, so the key does not answer 409 forever; a fresh one is not.
func TestIdempotencyTakesOverStaleReservations(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var calls atomic.Int32
		r := httpx.NewEngine(httpx.Options{})
		r.POST("/things", httpx.Idempotency(d, func() time.Time { return now }), func(c *gin.Context) {
			calls.Add(1)
			httpx.JSON(c, http.StatusCreated, gin.H{"n": calls.Load()})
		})
		post := func(key string) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/things", strings.NewReader(`{"a":1}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", key)
			r.ServeHTTP(w, req)
			return w
		}
		// Learn the request hash the middleware stores by recording one request.
		if w := post("probe"); w.Code != 201 {
			t.Fatalf("probe: %d %s", w.Code, w.Body)
		}
		var scope, hash string
		if err := d.QueryRow(`SELECT scope, request_hash FROM idempotency_keys WHERE key = 'probe'`).Scan(&scope, &hash); err != nil {
			t.Fatal(err)
		}
		reserve := func(key string, at time.Time) {
			if _, err := d.Exec(`INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4)`,
				scope, key, hash, at); err != nil {
				t.Fatal(err)
			}
		}
		reserve("fresh", now.Add(-10*time.Second))
		reserve("stale", now.Add(-httpx.StaleReservation-time.Second))

		if w := post("fresh"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "idempotency_in_progress") {
			t.Fatalf("a fresh reservation must answer 409: %d %s", w.Code, w.Body)
		}
		if w := post("stale"); w.Code != http.StatusCreated {
			t.Fatalf("a stale reservation must be taken over: %d %s", w.Code, w.Body)
		}
		if w := post("stale"); w.Code != http.StatusCreated || w.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("after the take-over the outcome is replayed: %d %v", w.Code, w.Header())
		}
		if got := calls.Load(); got != 2 {
			t.Fatalf("handler ran %d times, want 2 (probe and the take-over)", got)
		}
	})
}

// Keys older than the retention are purged; a request with a purged key acts again,
// while a younger key still replays.
func TestIdempotencyKeysArePurgedAfterRetention(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clock := now
		var calls atomic.Int32
		r := httpx.NewEngine(httpx.Options{})
		r.POST("/things", httpx.Idempotency(d, func() time.Time { return clock }), func(c *gin.Context) {
			calls.Add(1)
			httpx.JSON(c, http.StatusCreated, gin.H{"n": calls.Load()})
		})
		post := func(key string) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/things", strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", key)
			r.ServeHTTP(w, req)
			return w
		}
		post("old")
		clock = now.Add(httpx.IdempotencyRetention - time.Hour)
		post("young")
		clock = now.Add(httpx.IdempotencyRetention + time.Minute)
		n, err := httpx.PurgeIdempotencyKeys(context.Background(), d, clock.Add(-httpx.IdempotencyRetention))
		if err != nil || n != 1 {
			t.Fatalf("purged %d keys (%v), want the old one", n, err)
		}
		if w := post("young"); w.Header().Get("Idempotent-Replayed") != "true" || calls.Load() != 2 {
			t.Fatalf("a young key replays: %d %s", w.Code, w.Body)
		}
		if w := post("old"); w.Code != http.StatusCreated || w.Header().Get("Idempotent-Replayed") != "" || calls.Load() != 3 {
			t.Fatalf("a purged key acts again: %d %s", w.Code, w.Body)
		}
	})
}

// A request whose write committed and which then failed (its deadline passed, or the
// database went away before the answer) keeps its key: a retry never applies the write a
// second time, first hearing that it is in progress, then, once the reservation is stale,
// that its outcome was lost. A request that failed before its commit frees the key.
func TestIdempotencyNeverRepeatsACommittedWrite(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		if _, err := d.Exec(`CREATE TABLE things (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var calls atomic.Int32
		r := httpx.NewEngine(httpx.Options{})
		r.POST("/things/:mode", httpx.Idempotency(d, func() time.Time { return clock }), func(c *gin.Context) {
			n := calls.Add(1)
			if c.Param("mode") == "before" {
				httpx.Fail(c, problem.Unavailable("the database", context.DeadlineExceeded))
				return
			}
			if err := d.Tx(c, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(c, `INSERT INTO things (id) VALUES ($1)`, n)
				return err
			}); err != nil {
				httpx.Fail(c, err)
				return
			}
			// Committed; the answer is lost to a deadline.
			httpx.Fail(c, problem.Unavailable("the database", context.DeadlineExceeded))
		})
		post := func(mode, key string) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/things/"+mode, strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", key)
			r.ServeHTTP(w, req)
			return w
		}
		if w := post("before", "k1"); w.Code != 503 || w.Header().Get("Retry-After") == "" {
			t.Fatalf("first try: %d %v", w.Code, w.Header())
		}
		if w := post("before", "k1"); w.Code != 503 || calls.Load() != 2 {
			t.Fatalf("a write that never committed runs again on retry: %d, %d calls", w.Code, calls.Load())
		}

		if w := post("after", "k2"); w.Code != 503 {
			t.Fatalf("committed then failed: %d %s", w.Code, w.Body)
		}
		if w := post("after", "k2"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "idempotency_in_progress") {
			t.Fatalf("retry at once: %d %s", w.Code, w.Body)
		}
		clock = clock.Add(httpx.StaleReservation + time.Second)
		if w := post("after", "k2"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "idempotency_outcome_lost") {
			t.Fatalf("retry after the reservation went stale: %d %s", w.Code, w.Body)
		}
		var rows int
		if err := d.QueryRow(`SELECT COUNT(*) FROM things`).Scan(&rows); err != nil || rows != 1 || calls.Load() != 3 {
			t.Fatalf("%d rows written by %d calls (%v), want the one write of one call", rows, calls.Load()-2, err)
		}
	})
}
