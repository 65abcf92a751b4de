// Package problem is Plenary's one error type for the services and its single mapping to
// HTTP: RFC 9457 problem+json with a stable machine-readable code and, for validation
// failures, one entry per offending field. Nothing else in the services chooses a status.
package problem

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// Kind classifies an error; each kind maps to exactly one HTTP status in Status.
type Kind int

const (
	KindInternal           Kind = iota // 500; the message is never shown to the client
	KindInvalid                        // 400: malformed request (syntax, unknown fields, bad parameters)
	KindUnprocessable                  // 422: well-formed but breaks a rule (time in a DST gap, end before start)
	KindNotFound                       // 404
	KindConflict                       // 409: conflicts with current state (double booking, duplicate)
	KindPreconditionFailed             // 412: If-Match names a stale version
	KindPreconditionNeeded             // 428: If-Match missing on an update
	KindTooLarge                       // 413: body over the limit
	KindUnsupportedMedia               // 415
	KindUnauthorized                   // 401
	KindForbidden                      // 403
	KindTooManyRequests                // 429
	KindGone                           // 410: a signed link that expired
	KindMethodNotAllowed               // 405
	KindUnavailable                    // 503: a dependency (database, NATS) cannot be reached now; retry
	KindNotAcceptable                  // 406: Accept-Encoding refuses every coding the route offers
)

// FieldError names one invalid field (a JSON pointer-like path such as "sessions/0/tz").
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a service error with a stable code. Message is written for the person reading
// the response; Extra holds structured details (suggestions, candidate instants ...).
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	Extra   map[string]any
	Err     error // the cause; logged, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New builds an error of the given kind.
func New(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a 400 with field errors.
func Invalid(code, message string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: message, Fields: fields}
}

// Unprocessable is a 422 with field errors.
func Unprocessable(code, message string, fields ...FieldError) *Error {
	return &Error{Kind: KindUnprocessable, Code: code, Message: message, Fields: fields}
}

// NotFound is a 404 for the named resource.
func NotFound(resource, id string) *Error {
	return &Error{Kind: KindNotFound, Code: resource + "_not_found", Message: fmt.Sprintf("%s %q does not exist", resource, id)}
}

// Internal wraps an unexpected failure; its text stays in the logs.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Code: "internal", Message: "an internal error occurred; it has been logged", Err: err}
}

// Unavailable is a 503: what the request needs (named by what, e.g. "database") cannot be
// reached or did not answer within the request's budget. The client may retry (with its
// Idempotency-Key for a write).
func Unavailable(what string, err error) *Error {
	return &Error{Kind: KindUnavailable, Code: "unavailable", Message: what + " is unavailable; retry shortly", Err: err}
}

// WithExtra returns e with an extra detail attached.
func (e *Error) WithExtra(key string, v any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[key] = v
	return e
}

// Coded is implemented by errors of the pure packages (scheduler/...), which cannot import
// the services. Such an error is a rule the input broke, so it maps to 422.
type Coded interface {
	error
	ProblemCode() string
}

// Detailed optionally adds structured details to a Coded error.
type Detailed interface {
	ProblemDetails() map[string]any
}

// From turns any error into an *Error: a service error as is, a Coded error as a 422, an
// unreachable or timed-out dependency as a 503, anything else as internal.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		if pe.Kind == KindInternal && pe.Err != nil && IsUnavailable(pe.Err) {
			return Unavailable("a dependency", pe.Err)
		}
		return pe
	}
	if IsUnavailable(err) {
		return Unavailable("the database or the message bus", err)
	}
	var ce Coded
	if errors.As(err, &ce) {
		out := &Error{Kind: KindUnprocessable, Code: ce.ProblemCode(), Message: ce.Error()}
		var de Detailed
		if errors.As(err, &de) {
			out.Extra = de.ProblemDetails()
		}
		return out
	}
	return Internal(err)
}

// Status is the one place a kind becomes an HTTP status.
func (k Kind) Status() int {
	switch k {
	case KindInvalid:
		return http.StatusBadRequest
	case KindUnprocessable:
		return http.StatusUnprocessableEntity
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindPreconditionFailed:
		return http.StatusPreconditionFailed
	case KindPreconditionNeeded:
		return http.StatusPreconditionRequired
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case KindUnauthorized:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindTooManyRequests:
		return http.StatusTooManyRequests
	case KindGone:
		return http.StatusGone
	case KindMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case KindUnavailable:
		return http.StatusServiceUnavailable
	case KindNotAcceptable:
		return http.StatusNotAcceptable
	default:
		return http.StatusInternalServerError
	}
}

// Body is the RFC 9457 document written to the client.
type Body struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Code     string         `json:"code"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance,omitempty"`
	Errors   []FieldError   `json:"errors,omitempty"`
	Extra    map[string]any `json:"extra,omitempty"`
}

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// BodyOf renders e for the client. The type URI is stable per code.
func BodyOf(e *Error, instance string) Body {
	status := e.Kind.Status()
	return Body{
		Type:     "https://plenary.dev/problems/" + e.Code,
		Title:    http.StatusText(status),
		Status:   status,
		Code:     e.Code,
		Detail:   e.Message,
		Instance: instance,
		Errors:   e.Fields,
		Extra:    e.Extra,
	}
}

// IsUnavailable reports whether err says a dependency could not be reached or did not
// answer in time, as opposed to a defect: a deadline or cancellation, a network error, a
// broken or closed connection, a PostgreSQL error of class 08 (connection), 53
// (resources), 57 (operator intervention: shutdown, statement timeout) or a
// serialization failure, a busy SQLite database, or a NATS connection error. Such a
// failure answers 503 with Retry-After, never 500.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") || strings.HasPrefix(code, "57") ||
			code == "40001" || code == "40P01"
	}
	s := err.Error()
	for _, sign := range []string{
		"conn closed", "connection refused", "connection reset", "broken pipe", "failed to connect",
		"database is locked", "SQLITE_BUSY", "database is closed", "nats: ",
	} {
		if strings.Contains(s, sign) {
			return true
		}
	}
	return false
}
