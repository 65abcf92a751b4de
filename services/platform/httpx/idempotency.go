package httpx

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// IdempotencyHeader names the header a client sets to make a POST safe to retry.
const IdempotencyHeader = "Idempotency-Key"

// Idempotency makes POST requests that carry an Idempotency-Key replay their first
// response instead of acting twice. The key is reserved in the database before the
// handler runs, so two concurrent requests with one key cannot both act; a key reused
// with a different body is refused. Responses of 5xx release the key so the client may
// retry, unless the write had already committed (a deadline or an outage after the
// commit): then the key stays, and a retry learns the write took effect instead of
// applying it twice.
func Idempotency(d *db.DB, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(IdempotencyHeader)
		if c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if len(key) > 255 {
			Fail(c, problem.Invalid("invalid_idempotency_key", "Idempotency-Key must be at most 255 characters"))
			return
		}
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			Fail(c, decodeError(err))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(c.Request.Method+" "+c.Request.URL.Path+"\n"), body...))
		hash := hex.EncodeToString(sum[:])
		scope := c.Request.Method + " " + c.Request.URL.Path
		if p, ok := c.Get(ctxPrincipalScope); ok {
			scope = p.(string) + " " + scope
		}
		ctx := c.Request.Context()
		res, err := d.ExecContext(ctx,
			`INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, key) DO NOTHING`,
			scope, key, hash, now().UTC())
		if err != nil {
			Fail(c, err)
			return
		}
		stale := staleAfter(ctx)
		if n, _ := res.RowsAffected(); n == 0 && !takeOverStale(c, d, scope, key, hash, now(), stale) {
			answerTaken(c, d, scope, key, hash, now(), stale)
			return
		}
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		// The handler's transaction marks the key as taken effect when it commits.
		c.Request = c.Request.WithContext(db.WithCommitMark(ctx,
			`UPDATE idempotency_keys SET committed = 1 WHERE scope = $1 AND key = $2`, scope, key))
		c.Next()
		// The client has its answer now, not after the bookkeeping below: with the
		// database away, that could outlast the server's write timeout.
		c.Writer.Flush()
		recordOutcome(ctx, c, d, rec, scope, key)
	}
}

// answerTaken answers a request whose key is already taken: the recorded response
// again, or why there is none (another request's key, still running, or applied with
// its answer lost).
func answerTaken(c *gin.Context, d *db.DB, scope, key, hash string, now time.Time, stale time.Duration) {
	var storedHash, storedBody, location string
	var status, committed int
	var created time.Time
	err := d.QueryRowContext(c.Request.Context(), `SELECT request_hash, status, body, location, committed, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).
		Scan(&storedHash, &status, &storedBody, &location, &committed, &created)
	switch {
	case err != nil:
		Fail(c, err)
	case storedHash != hash:
		Fail(c, problem.Unprocessable("idempotency_key_reused", "this Idempotency-Key was used for a different request; use a new key for a new request"))
	case status == 0 && committed == 1 && now.Sub(created) > stale:
		// The write took effect, and the process that made it could not record its
		// answer (it died, or the database went away after the commit). Running it
		// again would apply it twice.
		Fail(c, problem.New(problem.KindConflict, "idempotency_outcome_lost",
			"the request with this Idempotency-Key was applied, but its response was lost; read the resource to see the result"))
	case status == 0:
		Fail(c, problem.New(problem.KindConflict, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed; retry shortly"))
	default:
		if location != "" {
			c.Header("Location", location)
		}
		c.Header("Idempotent-Replayed", "true")
		ct := "application/json; charset=utf-8"
		if status >= 400 {
			ct = problem.ContentType
		}
		c.Data(status, ct, []byte(storedBody))
		c.Abort()
	}
}

// recordOutcome records the outcome of the request that holds the key, once it has
// answered: its response for a retry, or the key released after a failure that did not
// commit.
func recordOutcome(ctx context.Context, c *gin.Context, d *db.DB, rec *recorder, scope, key string) {
	// The request is over; record its outcome even if the client has gone (bounded:
	// the database may be the reason the request failed).
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	status := rec.Status()
	if status >= 500 || status < 200 {
		// A failure before the commit frees the key for a retry; one after it keeps the
		// key, so a retry never applies the write twice.
		_, _ = d.ExecContext(saveCtx, `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND committed = 0`, scope, key)
		return
	}
	if _, err := d.ExecContext(saveCtx, `UPDATE idempotency_keys SET status = $1, body = $2, location = $3 WHERE scope = $4 AND key = $5`,
		status, rec.buf.String(), rec.Header().Get("Location"), scope, key); err != nil {
		Logger(c).Error("record idempotent response", "error", err.Error())
	}
}

// StaleReservation is how long a key may stay reserved without an outcome before a retry
// may take it over. It is longer than any request may run (the server's write timeout),
// so only a request whose process died holds a reservation that old. Without it, a crash
// between reserving and recording would leave the key answering 409 forever.
const StaleReservation = 2 * time.Minute

// staleAfter is how old a reservation without an outcome must be before a retry may take
// it over: StaleReservation, or less when requests have a budget (the request's own
// deadline, which every replica shares, plus a margin). Past its deadline the request
// that reserved the key can no longer commit, so a retry after an outage need not wait
// minutes.
func staleAfter(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return min(StaleReservation, time.Until(dl)+5*time.Second)
	}
	return StaleReservation
}

// takeOverStale re-reserves a key whose reservation outlived StaleReservation, for the
// same request only, and only when its write never committed (the commit mark runs in
// the handler's own transaction), so the request runs again without applying anything
// twice.
func takeOverStale(c *gin.Context, d *db.DB, scope, key, hash string, now time.Time, stale time.Duration) bool {
	res, err := d.ExecContext(c.Request.Context(),
		`UPDATE idempotency_keys SET created_at = $1 WHERE scope = $2 AND key = $3 AND status = 0 AND committed = 0 AND request_hash = $4 AND created_at < $5`,
		now.UTC(), scope, key, hash, now.UTC().Add(-stale))
	if err != nil {
		Logger(c).Error("take over a stale idempotency reservation", "error", err.Error())
		return false
	}
	n, _ := res.RowsAffected()
	return n == 1
}

// IdempotencyRetention is how long a key replays its first response. A client retries
// within seconds or minutes; a day covers a retry after an outage and keeps the table
// from growing without end.
const IdempotencyRetention = 24 * time.Hour

// PurgeIdempotencyKeys deletes the keys recorded before the given instant, finished or
// not, and returns how many it deleted.
func PurgeIdempotencyKeys(ctx context.Context, d *db.DB, before time.Time) (int64, error) {
	res, err := d.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return n, nil
}

// ctxPrincipalScope, when set by authentication, keeps one caller's keys apart from another's.
const ctxPrincipalScope = "plenary.idempotency_scope"

// SetIdempotencyScope names the caller so that idempotency keys are per caller.
func SetIdempotencyScope(c *gin.Context, scope string) { c.Set(ctxPrincipalScope, scope) }

type recorder struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.buf.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
