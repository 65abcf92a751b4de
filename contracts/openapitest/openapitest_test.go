package openapitest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/plenary/plenary/contracts/openapitest"
)

// recordingT stands in for the test a suite passes, to see what the checker reports.
type recordingT struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingT) Helper() {}
func (r *recordingT) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingT) Logf(string, ...any) {}

func (r *recordingT) reported() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

// TestHandlerCatchesWhatTheDocumentDoesNotSay runs the checker over small handlers that
// answer as the real server might drift: each disagreement must be reported, and an
// answer the document describes must pass untouched.
func TestHandlerCatchesWhatTheDocumentDoesNotSay(t *testing.T) {
	problem := `{"type":"https://plenary.dev/problems/x","title":"Bad Request","status":400,"code":"x","detail":"x"}`
	cases := []struct {
		name, method, path, body string
		status                   int
		ctype, answer            string
		want                     string // part of the report; empty: no report
	}{
		{"documented answer", "GET", "/healthz", "", 200, "application/json", `{"status":"ok"}`, ""},
		{"undeclared field", "GET", "/healthz", "", 200, "application/json", `{"status":"ok","uptime":3}`, "uptime"},
		{"wrong type", "GET", "/v1/time/tzdata", "", 200, "application/json", `{"version":"2025c","source":"embedded","zones":"many"}`, "zones"},
		{"undocumented status", "GET", "/healthz", "", 418, "application/problem+json", problem, "status is not supported"},
		{"problem without its code", "GET", "/v1/meetings", "", 400, "application/problem+json", `{"type":"t","title":"t","status":400,"detail":"d"}`, "code"},
		{"body where none is declared", "DELETE", "/v1/tokens/abc", "", 204, "application/json", `{"deleted":true}`, "declares no content"},
		{"wrong content type", "GET", "/v1/meetings/abc", "", 200, "text/html", "<p>meeting</p>", "Content-Type"},
		{"undocumented route", "GET", "/v1/secret", "", 200, "application/json", `{}`, "not in the document"},
		{"unknown route answered 404", "GET", "/v1/secret", "", 404, "application/problem+json", problem, ""},
		{"accepted a request the document refuses", "POST", "/v1/time/convert", `{"to":["UTC"],"colour":"red"}`, 200, "application/json",
			`{"instant":"2022-12-06T15:30:00Z","times":[],"tzdata":"2025c"}`, "the server accepted a request the document refuses"},
		{"refused a request the document refuses", "POST", "/v1/time/convert", `{"to":["UTC"],"colour":"red"}`, 400, "application/problem+json", problem, ""},
		{"export matching both platforms", "GET", "/v1/sessions/s1/interpretation/export?platform=zoom", "", 200, "application/json",
			`{"settings":{"language_interpretation":{"enable":true,"interpreters":[]}},"simultaneousInterpretation":{"enabled":true,"interpreters":[]}}`, "not allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := &recordingT{TB: t}
			h := openapitest.Handler(rt, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				w.Header().Set("Content-Type", c.ctype)
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.answer)
			}))
			srv := httptest.NewServer(h)
			defer srv.Close()
			req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			// (A 204 reaches the client without the body it should not have had.)
			if res.StatusCode != c.status || (c.status != http.StatusNoContent && string(got) != c.answer) {
				t.Errorf("the client got %d %q, want the handler's %d %q", res.StatusCode, got, c.status, c.answer)
			}
			rep := rt.reported()
			switch {
			case c.want == "" && rep != "":
				t.Errorf("reported a documented exchange:\n%s", rep)
			case c.want != "" && !strings.Contains(rep, c.want):
				t.Errorf("report %q does not mention %q", rep, c.want)
			}
		})
	}
}
