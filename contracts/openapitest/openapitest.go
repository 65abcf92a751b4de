// Package openapitest holds the API test suites to contracts/openapi.yaml: a handler wrapper
// that checks every request and every response passing through against the document with
// kin-openapi, so a field, status or content type the document does not describe fails the
// test that produced it. Every suite that starts an API server starts it through NewServer.
package openapitest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/plenary/plenary/contracts"
)

var (
	loadOnce sync.Once
	loaded   *openapi3.T
	router   routers.Router
	loadErr  error

	checked atomic.Int64
)

// Load parses contracts/openapi.yaml, resolves its references and validates it as an OpenAPI
// document (kin-openapi's validation, with formats, patterns, defaults and examples checked).
func Load(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(contracts.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	opts := []openapi3.ValidationOption{
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaDefaultsValidation(),
		openapi3.EnableExamplesValidation(),
	}
	if err := doc.Validate(ctx, opts...); err != nil {
		return nil, fmt.Errorf("openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
}

func document() (*openapi3.T, routers.Router, error) {
	loadOnce.Do(func() {
		// Bodies the document declares as text are compared as strings.
		for _, ct := range []string{"text/html", "text/calendar", "text/csv", "application/x-ndjson", "application/jsonl"} {
			if openapi3filter.RegisteredBodyDecoder(ct) == nil || ct == "text/csv" {
				openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
			}
		}
		loaded, loadErr = Load(context.Background())
		if loadErr != nil {
			return
		}
		// Route by path alone: the test servers listen on loopback ports, not the
		// document's server URL.
		loaded.Servers = nil
		router, loadErr = gorillamux.NewRouter(loaded)
	})
	return loaded, router, loadErr
}

// Checked is how many responses have been checked against the document in this process.
func Checked() int64 { return checked.Load() }

// NewServer starts h behind Handler; the server closes (after its requests finish) when the
// test ends.
func NewServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(t, h))
	t.Cleanup(srv.Close)
	return srv
}

// Handler wraps h so that each exchange is checked against the document and a disagreement
// is reported through t:
//   - the route must be in the document (an unknown path may only be answered 404 or 405);
//   - a request the document refuses must be refused by the server too (4xx), since an
//     accepted one means the document and the server disagree about what is valid;
//   - the response's status must be documented for the operation, and its headers and body
//     must match the schema of its content type; a body where the document declares none
//     fails too.
//
// The response is buffered and checked before it is sent, so the test is still running
// when a failure is reported.
func Handler(t testing.TB, h http.Handler) http.Handler {
	doc, rt, err := document()
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	var n atomic.Int64
	t.Cleanup(func() {
		if c := n.Load(); c > 0 {
			t.Logf("openapi: %d responses checked against contracts/openapi.yaml", c)
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody []byte
		if r.Body != nil {
			reqBody, _ = io.ReadAll(r.Body)
			r.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if msgs := check(doc, rt, r, reqBody, rec); len(msgs) > 0 {
			t.Errorf("openapi: %s %s answered %d: %s\nrequest body: %s\nresponse body: %s",
				r.Method, r.URL.RequestURI(), rec.status, strings.Join(msgs, "; "), clip(reqBody), clip(rec.body.Bytes()))
		} else {
			n.Add(1)
			checked.Add(1)
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

func check(doc *openapi3.T, rt routers.Router, r *http.Request, reqBody []byte, rec *recorder) []string {
	// The router and validators read the request again: give them their own copy.
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	if r.Method == http.MethodOptions {
		// CORS preflights are the middleware's, not operations of the API.
		return nil
	}
	route, params, err := rt.FindRoute(req)
	if err != nil {
		if rec.status == http.StatusNotFound || rec.status == http.StatusMethodNotAllowed {
			return nil
		}
		// A path the router cannot even read (NUL, invalid UTF-8) is refused before routing.
		if rec.status == http.StatusBadRequest && unreadable(r.URL.Path) {
			return nil
		}
		return []string{fmt.Sprintf("the route is not in the document (%v)", err)}
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// Defaults are the server's business: the request stays as the client sent it.
			SkipSettingDefaults: true,
		},
	}
	var msgs []string
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && rec.status < 400 {
		msgs = append(msgs, fmt.Sprintf("the server accepted a request the document refuses: %v", err))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.status,
		Header:                 rec.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	body, err := decoded(rec.header.Get("Content-Encoding"), rec.body.Bytes())
	if err != nil {
		return append(msgs, err.Error())
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		msgs = append(msgs, err.Error())
	} else if msg := undeclaredBody(route, rec); msg != "" {
		msgs = append(msgs, msg)
	}
	return msgs
}

// undeclaredBody catches what ValidateResponse lets through: a body sent for a response the
// document describes without content, which a client generated from the document cannot read.
func undeclaredBody(route *routers.Route, rec *recorder) string {
	if rec.body.Len() == 0 || route.Method == http.MethodHead || rec.status == http.StatusNotModified {
		return ""
	}
	ref := route.Operation.Responses.Status(rec.status)
	if ref == nil {
		ref = route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return ""
	}
	ct := rec.header.Get("Content-Type")
	if len(ref.Value.Content) == 0 {
		return fmt.Sprintf("the document declares no content for %d, the server sent %q", rec.status, ct)
	}
	if mt := ref.Value.Content.Get(ct); mt != nil && mt.Schema == nil {
		return fmt.Sprintf("the document declares no schema for %d %s", rec.status, ct)
	}
	return ""
}

// decoded is a response body without its content coding: the document describes what a
// client reads once its HTTP library has decoded it. An unknown coding, or bytes that do
// not decode, fail the exchange.
func decoded(coding string, body []byte) ([]byte, error) {
	switch strings.ToLower(coding) {
	case "", "identity":
		return body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding gzip, but the body is not gzip: %w", err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding gzip, but the body does not decompress: %w", err)
		}
		return plain, nil
	case "br":
		plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding br, but the body does not decompress: %w", err)
		}
		return plain, nil
	default:
		return nil, fmt.Errorf("Content-Encoding %q is no coding the API sends", coding)
	}
}

func unreadable(path string) bool {
	return !utf8.ValidString(path) || strings.ContainsFunc(path, unicode.IsControl)
}

func clip(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// recorder buffers a response so that it is checked before the client sees it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// Flush is a no-op: the whole response is sent once it has been checked.
func (r *recorder) Flush() {}
