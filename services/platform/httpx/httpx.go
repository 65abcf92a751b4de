// Package httpx holds what every Plenary HTTP adapter shares: the Gin engine with its
// middleware (request ids, JSON access logs, recovery, body limits, metrics, security
// headers), strict JSON binding, problem+json responses, ETag/If-Match handling and
// cursor pagination. Handlers parse, call the domain and render; nothing here knows the
// domain.
package httpx

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/services/platform/problem"
)

// MaxBodyBytes is the default limit on a request body.
const MaxBodyBytes = 1 << 20

const (
	ctxLogger    = "plenary.logger"
	ctxRequestID = "plenary.request_id"
)

// Options configure the engine.
type Options struct {
	Log          *slog.Logger
	Registry     *prometheus.Registry // nil: no metrics
	MaxBodyBytes int64                // 0: MaxBodyBytes
	// RouteBodyLimits raise the limit for some routes, keyed "METHOD /full/:path" as Gin
	// names them (file imports of up to 10,000 rows).
	RouteBodyLimits map[string]int64
	// Budget is how long a request may take before its database calls are cut short
	// (a 503); a little under the server's write timeout. 0: 25 s.
	Budget time.Duration
}

// DefaultBudget is the request budget when Options.Budget is zero: under the default
// write timeout of 30 s.
const DefaultBudget = 25 * time.Second

func init() { gin.SetMode(gin.ReleaseMode) }

// NewEngine returns a Gin engine with Plenary's middleware. Unknown routes and methods
// answer problem+json.
func NewEngine(o Options) *gin.Engine {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = MaxBodyBytes
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	r.Use(requestContext(o.Log), recovery(), securityHeaders(), textGuard(), budget(o.Budget), bodyLimit(o.MaxBodyBytes, o.RouteBodyLimits))
	if o.Registry != nil {
		r.Use(metrics(o.Registry))
	}
	r.NoRoute(func(c *gin.Context) {
		Fail(c, problem.New(problem.KindNotFound, "route_not_found", "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		Fail(c, problem.New(problem.KindMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", c.Request.Method, c.Request.URL.Path))
	})
	return r
}

// Logger returns the request-scoped logger (with the request id). It is made when asked
// for (an error to log), not for every request.
func Logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger).With("request_id", RequestID(c))
	}
	return slog.New(slog.DiscardHandler)
}

// RequestID returns the request's id.
func RequestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func requestContext(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if id == "" || len(id) > 64 || strings.ContainsAny(id, "\r\n\t ") {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(ctxRequestID, id)
		c.Writer.Header()["X-Request-Id"] = []string{id} // canonical already: no Set's rework
		c.Set(ctxLogger, log)
		start := time.Now()
		c.Next()
		ctx := c.Request.Context()
		if !log.Enabled(ctx, slog.LevelInfo) {
			return
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		log.LogAttrs(ctx, slog.LevelInfo, "http request",
			slog.String("request_id", id),
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", c.Writer.Size()),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", c.ClientIP()),
		)
	}
}

func recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				Logger(c).Error("panic in handler", "panic", fmt.Sprint(v))
				if !c.Writer.Written() {
					Fail(c, problem.Internal(fmt.Errorf("panic: %v", v)))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// securityHeaders are the same on every answer: their values are made once and shared
// (net/http only reads them; a handler that sets one replaces the slice, never changes it).
func securityHeaders() gin.HandlerFunc {
	nosniff, deny, noReferrer := []string{"nosniff"}, []string{"DENY"}, []string{"no-referrer"}
	csp := []string{"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h["X-Content-Type-Options"] = nosniff
		h["X-Frame-Options"] = deny
		h["Referrer-Policy"] = noReferrer
		h["Content-Security-Policy"] = csp
		c.Next()
	}
}

func bodyLimit(def int64, routes map[string]int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		n := def
		if r, ok := routes[c.Request.Method+" "+c.FullPath()]; ok {
			n = r
		}
		if c.Request.ContentLength > n {
			Fail(c, problem.New(problem.KindTooLarge, "body_too_large", "the request body is larger than %d bytes", n))
			c.Abort()
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

func metrics(reg *prometheus.Registry) gin.HandlerFunc {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "plenary_http_requests_total", Help: "HTTP requests by route and status.",
	}, []string{"method", "route", "status"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "plenary_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route"})
	reg.MustRegister(requests, latency)
	var mu sync.RWMutex
	series := map[routeStatus]routeSeries{}
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		// The label values of a route and status are hashed once, not on every request
		// (routes and statuses are few and fixed, so the map stays small).
		k := routeStatus{methodLabel(c.Request.Method), route, c.Writer.Status()}
		mu.RLock()
		s, ok := series[k]
		mu.RUnlock()
		if !ok {
			s = routeSeries{
				requests: requests.WithLabelValues(k.method, k.route, strconv.Itoa(k.status)),
				latency:  latency.WithLabelValues(k.method, k.route),
			}
			mu.Lock()
			series[k] = s
			mu.Unlock()
		}
		s.requests.Inc()
		s.latency.Observe(time.Since(start).Seconds())
	}
}

// methodLabel is the method as a metric label: a client may send any token as a method
// (to an unmatched route, or one answered 405), and a label per token would let it grow
// the series without bound; methods outside RFC 9110's and PATCH count as "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

type routeStatus struct {
	method, route string
	status        int
}

type routeSeries struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// RetryAfter is the Retry-After of a 503 (seconds): a database failover or a NATS
// reconnect takes seconds.
const RetryAfter = "2"

// Fail writes err as problem+json. Internal errors are logged with their cause and shown
// to the client without it.
func Fail(c *gin.Context, err error) {
	pe := problem.From(err)
	switch pe.Kind {
	case problem.KindInternal:
		Logger(c).Error("internal error", "error", err.Error(), "route", c.FullPath())
	case problem.KindUnavailable:
		Logger(c).Warn("dependency unavailable", "error", err.Error(), "route", c.FullPath())
		c.Header("Retry-After", RetryAfter)
	}
	body := problem.BodyOf(pe, c.Request.URL.Path)
	raw, mErr := json.Marshal(body)
	if mErr != nil {
		raw = []byte(`{"type":"https://plenary.dev/problems/internal","title":"Internal Server Error","status":500,"code":"internal","detail":"an internal error occurred"}`)
		body.Status = http.StatusInternalServerError
	}
	c.Header("Content-Type", problem.ContentType)
	c.Status(body.Status)
	_, _ = c.Writer.Write(raw)
	c.Abort()
}

// Bind decodes the JSON body into v strictly: JSON content type, one value, no unknown
// fields, within the body limit. Errors name the offending field.
func Bind(c *gin.Context, v any) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return problem.New(problem.KindUnsupportedMedia, "unsupported_media_type", "send the body as application/json")
		}
	}
	if c.Request.Body == nil {
		return problem.Invalid("empty_body", "the request needs a JSON body")
	}
	return Decode(c.Request.Body, v)
}

// Decode is Bind's decoder, for bodies read elsewhere.
func Decode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return problem.Invalid("malformed_json", "the body holds more than one JSON value")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return decodeError(err)
		}
		return problem.Invalid("malformed_json", "the body holds more than one JSON value")
	}
	return checkDecoded(v)
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return problem.New(problem.KindTooLarge, "body_too_large", "the request body is larger than %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return problem.Invalid("empty_body", "the request needs a JSON body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return problem.Invalid("malformed_json", "the JSON body ends too early")
	case errors.As(err, &syn):
		return problem.Invalid("malformed_json", fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, syn.Error()))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return problem.Invalid("invalid_field_type", fmt.Sprintf("field %s must be %s, not %s", field, jsonType(typ.Type.Kind().String()), typ.Value),
			problem.FieldError{Field: strings.ReplaceAll(field, ".", "/"), Code: "invalid_type", Message: "must be " + jsonType(typ.Type.Kind().String())})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return problem.Invalid("unknown_field", fmt.Sprintf("unknown field %q", name),
			problem.FieldError{Field: name, Code: "unknown_field", Message: "this field is not part of the request"})
	default:
		return problem.Invalid("malformed_json", "the body is not valid JSON")
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "bool":
		return "a boolean"
	default:
		return "a number"
	}
}

// JSON writes v with the status. It encodes to a buffer first so an encoding failure
// becomes a clean 500 rather than half a body.
func JSON(c *gin.Context, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		Fail(c, problem.Internal(fmt.Errorf("encode response: %w", err)))
		return
	}
	c.Data(status, "application/json; charset=utf-8", buf.Bytes())
}

// CSV answers an export: a spreadsheet file to save as filename, written by write,
// never cached (it holds people's names and addresses). A write that fails is a clean
// 500, not half a file.
func CSV(c *gin.Context, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		Fail(c, problem.Internal(fmt.Errorf("write %s: %w", filename, err)))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// CommitQuery reads ?commit=true|false, false when absent: without it an import or a
// plan is a dry run.
func CommitQuery(c *gin.Context) (bool, error) {
	switch c.Query("commit") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, problem.Invalid("invalid_commit", "commit must be true or false",
		problem.FieldError{Field: "commit", Code: "invalid_boolean", Message: "true or false"})
}

// ETag formats a resource version as a strong entity tag.
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// SetVersion sets the ETag header for a resource version.
func SetVersion(c *gin.Context, version int64) { c.Header("ETag", ETag(version)) }

// IfMatch returns the version named by If-Match. It is required on updates: a missing
// header is 428, a malformed one 400. "*" returns -1 (any version).
func IfMatch(c *gin.Context) (int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return 0, problem.New(problem.KindPreconditionNeeded, "if_match_required", "send If-Match with the ETag you read, so that a concurrent change is not overwritten")
	}
	if h == "*" {
		return -1, nil
	}
	h = strings.TrimPrefix(h, "W/")
	h = strings.Trim(h, `"`)
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v < 1 {
		return 0, problem.Invalid("invalid_if_match", "If-Match must be an ETag returned by this API, such as \"3\"")
	}
	return v, nil
}

// IfMatchOrAny returns the version named by If-Match, or -1 (any version) without one:
// deletes and cancellations accept it and do not require it.
func IfMatchOrAny(c *gin.Context) (int64, error) {
	if c.GetHeader("If-Match") == "" {
		return -1, nil
	}
	return IfMatch(c)
}

// BindUpdate reads an update: its If-Match version (required) and its JSON body into
// in. When it answers false it has answered the request with the problem.
func BindUpdate(c *gin.Context, in any) (int64, bool) {
	v, err := IfMatch(c)
	if err == nil {
		err = Bind(c, in)
	}
	if err != nil {
		Fail(c, err)
		return 0, false
	}
	return v, true
}

// Versioned answers a resource with its version as the ETag.
func Versioned(c *gin.Context, status int, version int64, body any) {
	SetVersion(c, version)
	JSON(c, status, body)
}

// Page is a cursor page request.
type Page struct {
	Limit int
	// Cursor is the opaque ?cursor= as the client sent it; After is the resource id it
	// names (empty on the first page). Lists read Limit+1 rows after After.
	Cursor string
	After  string
}

// MaxPageSize bounds list sizes.
const MaxPageSize = 200

// PageParams reads ?limit= (1..200, default 50) and ?cursor= (a cursor this API returned).
func PageParams(c *gin.Context) (Page, error) {
	p := Page{Limit: 50, Cursor: c.Query("cursor")}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return p, problem.Invalid("invalid_limit", fmt.Sprintf("limit must be a whole number from 1 to %d", MaxPageSize),
				problem.FieldError{Field: "limit", Code: "out_of_range", Message: fmt.Sprintf("1 to %d", MaxPageSize)})
		}
		p.Limit = n
	}
	if p.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
		if len(p.Cursor) > 128 || err != nil || len(b) == 0 {
			return p, problem.Invalid("invalid_cursor", "cursor is not one this API returned")
		}
		p.After = string(b)
	}
	return p, nil
}

// PageOf makes the list answer from up to Limit+1 rows read after the cursor: the first
// Limit rows, shown with view, and the cursor of the next page when there is one more.
func PageOf[T, J any](p Page, rows []T, id func(T) string, view func(T) J) List[J] {
	out := List[J]{Items: make([]J, 0, min(len(rows), p.Limit))}
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(id(rows[len(rows)-1])))
	}
	for _, r := range rows {
		out.Items = append(out.Items, view(r))
	}
	return out
}

// List is the envelope of every list response.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}
