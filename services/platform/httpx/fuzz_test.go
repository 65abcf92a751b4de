package httpx

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/problem"
)

// decodeTarget has the shapes request bodies use: nested objects, maps, slices, pointers.
type decodeTarget struct {
	Title    map[string]string `json:"title"`
	Start    *string           `json:"start"`
	Duration *int              `json:"duration_min"`
	Public   *bool             `json:"public"`
	Langs    []string          `json:"floor_languages"`
	Speakers []struct {
		Name string `json:"name"`
	} `json:"speakers"`
}

// FuzzDecode: any body is decoded or refused with a client error (never a panic, never
// an internal error).
func FuzzDecode(f *testing.F) {
	f.Add(`{"title":{"en":"Forum"},"start":"2026-12-08T10:00","duration_min":90,"floor_languages":["en","fr"]}`)
	f.Add(`{"title":{"en":"x"}} {}`)
	f.Add(`{"speakers":[{"name":"A","x":1}]}`)
	f.Add(strings.Repeat("[", 20000))
	f.Add(`{"duration_min": 1e400}`)
	f.Add("\xef\xbb\xbf{}")
	f.Fuzz(func(t *testing.T, body string) {
		var v decodeTarget
		err := Decode(strings.NewReader(body), &v)
		if err == nil {
			return
		}
		pe := problem.From(err)
		if pe.Kind != problem.KindInvalid && pe.Kind != problem.KindTooLarge {
			t.Fatalf("Decode(%q): %v (kind %d)", body, err, pe.Kind)
		}
	})
}

func contextWith(header, query string) *gin.Context {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/x?"+query, nil)
	c.Request.Header.Set("If-Match", header)
	return c
}

// FuzzIfMatch: a version is positive, "*" is -1, anything else a 400 or 428.
func FuzzIfMatch(f *testing.F) {
	for _, s := range []string{`"3"`, `W/"3"`, `*`, ``, `"0"`, `"-1"`, `"99999999999999999999"`, `""3""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if strings.ContainsAny(h, "\r\n\x00") {
			return // not a header value that reaches a handler
		}
		v, err := IfMatch(contextWith(h, ""))
		if err != nil {
			if k := problem.From(err).Kind; k != problem.KindInvalid && k != problem.KindPreconditionNeeded {
				t.Fatalf("IfMatch(%q): %v", h, err)
			}
			return
		}
		if v != -1 && v < 1 {
			t.Fatalf("IfMatch(%q) = %d", h, v)
		}
	})
}

// FuzzPageParams: any limit and cursor are read within bounds or refused as a 400.
func FuzzPageParams(f *testing.F) {
	f.Add("50", "MDFhMjA3")
	f.Add("0", "")
	f.Add("201", strings.Repeat("x", 200))
	f.Add("1e3", "%00")
	f.Fuzz(func(t *testing.T, limit, cursor string) {
		q := url.Values{"limit": {limit}, "cursor": {cursor}}.Encode()
		p, err := PageParams(contextWith("", q))
		if err != nil {
			if problem.From(err).Kind != problem.KindInvalid {
				t.Fatalf("PageParams(%q, %q): %v", limit, cursor, err)
			}
			return
		}
		if p.Limit < 1 || p.Limit > MaxPageSize || len(p.Cursor) > 128 {
			t.Fatalf("PageParams(%q, %q) = %+v", limit, cursor, p)
		}
		// A cursor that is accepted names a resource, and is the one PageOf would give.
		if (p.Cursor != "") != (p.After != "") {
			t.Fatalf("PageParams(%q, %q): cursor %q names %q", limit, cursor, p.Cursor, p.After)
		}
	})
}
