package api_test

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// FuzzRouteParams puts one fuzzed value in every path parameter of every route, and
// another in the query parameters the routes read, with and without a token, on both
// databases: every answer is below 500 and every refusal of the API (/v1) is a problem
// document with a code. The corpus in testdata/fuzz/FuzzRouteParams holds NUL characters, bidi controls,
// invalid UTF-8, overlong values and years past 9999.
func FuzzRouteParams(f *testing.F) {
	f.Add("01938a2e-0000-7000-8000-000000000001", "Asia/Tokyo")
	var envs []*env
	for _, dialect := range dbtest.Dialects() {
		clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
		d := dbtest.Open(f, dialect)
		deps, keys, links := newDeps(d, clock)
		envs = append(envs, startEnv(f, d, clock, deps, keys, links))
	}
	var routes []string
	for k := range api.Policy(envs[0].deps) {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	params := []string{"tz", "lang", "limit", "cursor", "from", "to", "states", "meeting", "token", "format", "commit"}
	f.Fuzz(func(t *testing.T, param, query string) {
		for _, e := range envs {
			e.t = t
			for _, k := range routes {
				method, route, _ := strings.Cut(k, " ")
				var segs []string
				for _, seg := range strings.Split(route, "/") {
					if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
						seg = url.PathEscape(param)
					}
					segs = append(segs, seg)
				}
				q := url.Values{}
				for _, p := range params {
					q.Set(p, query)
				}
				path := strings.Join(segs, "/") + "?" + q.Encode()
				for _, token := range []string{e.planner, ""} {
					e.token = token
					var body any
					if method == "POST" || method == "PATCH" || method == "PUT" {
						body = map[string]any{}
					}
					r := e.do(method, path, body)
					if r.Status >= 500 {
						t.Fatalf("%s %.300s (%s): %d %.500s", method, path, e.db.Dialect, r.Status, r.Body)
					}
					// The API's refusals are problem documents; the public web pages
					// (outside /v1) answer browsers in HTML.
					if strings.HasPrefix(route, "/v1/") && r.Status >= 400 {
						var p struct{ Code string }
						if r.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(r.Body, &p) != nil || p.Code == "" {
							t.Fatalf("%s %.300s: %d without a problem document: %.500s", method, path, r.Status, r.Body)
						}
					}
				}
			}
			e.token = e.planner
		}
	})
}
