package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// TestPublicAgendaSeesEveryChangeAtOnce: the public agenda and its 304 come from memory
// between writes, and every kind of write (an item added, a session renamed, moved and
// cancelled, the meeting made private and public again, deleted) is seen by the very next
// anonymous GET, with the ETag the reader holds answered 200 with the new agenda.
func TestPublicAgendaSeesEveryChangeAtOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
			"title": map[string]string{"en": "Forum on Ocean Governance", "fr": "Forum sur la gouvernance des océans"}, "venue_tz": "Europe/Lisbon", "public": true,
		}))
		id := m["id"].(string)
		x := e.createSession(id, map[string]any{"title": map[string]string{"en": "Opening plenary"}, "start": "2027-03-01T10:00", "duration_min": 90,
			"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
		sid := x["id"].(string)
		path := "/v1/meetings/" + id + "/agenda?tz=Asia/Tokyo&lang=fr"

		planner := e.token
		read := func(etag string) resp {
			t.Helper()
			e.token = ""
			defer func() { e.token = planner }()
			if etag == "" {
				return e.do("GET", path, nil)
			}
			return e.do("GET", path, nil, "If-None-Match", etag)
		}
		// changed checks that the next anonymous read after a write, sent with the ETag
		// held before it, is a 200 with a new ETag and a body that has want.
		changed := func(what, etag, want string) string {
			t.Helper()
			r := read(etag)
			if r.Status != 200 || r.Header.Get("ETag") == etag || !strings.Contains(string(r.Body), want) {
				t.Fatalf("after %s: %d, ETag %q (held %q), body without %q: %s", what, r.Status, r.Header.Get("ETag"), etag, want, r.Body)
			}
			return r.Header.Get("ETag")
		}

		first := read("")
		etag := first.Header.Get("ETag")
		if first.Status != 200 || etag == "" || !strings.Contains(string(first.Body), "Opening plenary") {
			t.Fatalf("first read: %d %q %s", first.Status, etag, first.Body)
		}
		for range 3 { // unchanged: 304s, from memory
			if r := read(etag); r.Status != 304 || r.Header.Get("ETag") != etag {
				t.Fatalf("revalidation without a change: %d, ETag %q", r.Status, r.Header.Get("ETag"))
			}
		}

		e.must(201, e.do("POST", "/v1/sessions/"+sid+"/items", map[string]any{"title": map[string]string{"en": "Adoption of the agenda", "fr": "Adoption de l'ordre du jour"}}))
		etag = changed("an item added", etag, "Adoption de l'ordre du jour")

		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"title": map[string]string{"en": "Opening plenary", "fr": "Plénière d'ouverture"}}, "If-Match", `"1"`))
		etag = changed("a session renamed", etag, "Plénière d'ouverture")

		// 10:00 in Lisbon (WET, UTC+0 on 1 March) is 19:00 in Tokyo; 12:00 is 21:00.
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"start": "2027-03-01T12:00"}, "If-Match", `"2"`))
		etag = changed("a session moved", etag, "2027-03-01T21:00:00+09:00")

		e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"public": false}, "If-Match", `"1"`))
		if r := read(etag); r.Status != 401 {
			t.Fatalf("anonymous read of a meeting made private: %d %s", r.Status, r.Body)
		}
		e.must(200, e.do("PATCH", "/v1/meetings/"+id, map[string]any{"public": true}, "If-Match", `"2"`))
		etag = changed("the meeting made public again", etag, "Plénière d'ouverture")

		e.must(200, e.do("POST", "/v1/sessions/"+sid+"/cancel", map[string]any{"reason": "venue closed"}))
		etag = changed("a session cancelled", etag, `"status":"cancelled"`)

		e.must(204, e.do("DELETE", "/v1/meetings/"+id, nil, "If-Match", `"3"`))
		// Anonymous callers learn nothing of a meeting that is not public (gone or not).
		if r := read(etag); r.Status != 401 {
			t.Fatalf("anonymous read of a deleted meeting: %d %s", r.Status, r.Body)
		}
		e.do("GET", path, nil).Problem(t, 404, "meeting_not_found")
	})
}

// TestPublicAgendaCompressed: a browser's client (net/http, which asks for gzip and
// decompresses) reads the very bytes of the plain agenda; the gzip bytes have their own
// ETag, revalidate alone, go out with Content-Length, and a change is seen in both codings.
func TestPublicAgendaCompressed(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m := e.must(201, e.do("POST", "/v1/meetings", map[string]any{
		"title": map[string]string{"en": "Forum on Ocean Governance", "fr": "Forum sur la gouvernance des océans"}, "venue_tz": "Europe/Lisbon", "public": true,
	}))
	id := m["id"].(string)
	for i := range 12 {
		e.createSession(id, map[string]any{"title": map[string]string{"en": fmt.Sprintf("Plenary meeting %d", i+1), "fr": fmt.Sprintf("%de séance plénière", i+1)},
			"start": fmt.Sprintf("2027-03-%02dT10:00", 1+i), "duration_min": 90, "floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
	}
	url := e.srv.URL + "/v1/meetings/" + id + "/agenda?tz=Asia/Tokyo&lang=fr"
	get := func(client *http.Client, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	browser := &http.Client{Transport: &http.Transport{}} // asks for gzip, decompresses
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	plainRes, plain := get(raw)
	if plainRes.StatusCode != 200 || plainRes.Header.Get("Content-Encoding") != "" || !strings.Contains(string(plain), "12e séance plénière") {
		t.Fatalf("plain agenda: %d %v %.200s", plainRes.StatusCode, plainRes.Header, plain)
	}
	res, decoded := get(browser)
	if res.StatusCode != 200 || !res.Uncompressed || !bytes.Equal(decoded, plain) {
		t.Fatalf("the client's decompressed agenda (%d, decompressed %v) is not the plain agenda's %d bytes: %d bytes", res.StatusCode, res.Uncompressed, len(plain), len(decoded))
	}
	gzRes, gz := get(raw, "Accept-Encoding", "gzip")
	if gzRes.Header.Get("Content-Encoding") != "gzip" || gzRes.ContentLength != int64(len(gz)) || len(gz) >= len(plain)/3 {
		t.Fatalf("gzip agenda: %v, %d bytes (Content-Length %d) for %d plain", gzRes.Header, len(gz), gzRes.ContentLength, len(plain))
	}
	brRes, br := get(raw, "Accept-Encoding", "gzip, deflate, br, zstd")
	if brRes.Header.Get("Content-Encoding") != "br" || brRes.ContentLength != int64(len(br)) || brRes.Header.Get("ETag") == gzRes.Header.Get("ETag") {
		t.Fatalf("br agenda: %v, %d bytes (Content-Length %d)", brRes.Header, len(br), brRes.ContentLength)
	}
	if back, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("the br agenda does not decompress to the plain one (%v)", err)
	}
	if !strings.Contains(gzRes.Header.Get("Vary"), "Accept-Encoding") || !strings.Contains(gzRes.Header.Get("Vary"), "Authorization") {
		t.Fatalf("Vary %q", gzRes.Header.Get("Vary"))
	}
	plainTag, gzTag := plainRes.Header.Get("ETag"), gzRes.Header.Get("ETag")
	if plainTag == "" || gzTag == "" || plainTag == gzTag || res.Header.Get("ETag") != gzTag {
		t.Fatalf("ETags: plain %q, gzip %q, the client's %q", plainTag, gzTag, res.Header.Get("ETag"))
	}

	if r, _ := get(browser, "If-None-Match", gzTag); r.StatusCode != 304 || r.Header.Get("ETag") != gzTag {
		t.Fatalf("revalidation of the gzip agenda: %d %v", r.StatusCode, r.Header)
	}
	if r, _ := get(raw, "If-None-Match", plainTag); r.StatusCode != 304 || r.Header.Get("ETag") != plainTag {
		t.Fatalf("revalidation of the plain agenda: %d %v", r.StatusCode, r.Header)
	}
	if r, b := get(browser, "If-None-Match", plainTag); r.StatusCode != 200 || !bytes.Equal(b, plain) {
		t.Fatalf("the plain tag sent by a client reading gzip: %d", r.StatusCode)
	}
	if r, b := get(raw, "Accept-Encoding", "gzip;q=0, identity"); r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "" || !bytes.Equal(b, plain) {
		t.Fatalf("gzip refused: %d %v", r.StatusCode, r.Header)
	}
	r, b := get(raw, "Accept-Encoding", "identity;q=0")
	if r.StatusCode != 406 || !strings.Contains(string(b), "encoding_not_acceptable") {
		t.Fatalf("every coding refused: %d %s", r.StatusCode, b)
	}

	x := e.createSession(id, map[string]any{"title": map[string]string{"en": "Closing plenary", "fr": "Plénière de clôture"}, "start": "2027-03-20T10:00", "duration_min": 60,
		"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr"}})
	if x["id"] == nil {
		t.Fatal("no session created")
	}
	r, b = get(browser, "If-None-Match", gzTag)
	if r.StatusCode != 200 || r.Header.Get("ETag") == gzTag || !strings.Contains(string(b), "Plénière de clôture") {
		t.Fatalf("gzip agenda after a change: %d, ETag %q (held %q)", r.StatusCode, r.Header.Get("ETag"), gzTag)
	}
	_, plainAfter := get(raw)
	if !bytes.Equal(b, plainAfter) {
		t.Fatal("after a change, the decompressed agenda is not the plain one")
	}
}
