package httpx_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
)

// Accept-Encoding as browsers, proxies and command-line clients send it, with the coding
// RFC 9110 12.5.3 says to pick among br, gzip and identity.
func TestNegotiateFollowsRFC9110(t *testing.T) {
	cases := []struct {
		header     string
		want       httpx.Coding
		acceptable bool
	}{
		{"", httpx.Identity, true},
		{"   ", httpx.Identity, true},
		{"gzip, deflate, br, zstd", httpx.Brotli, true}, // Chrome, Firefox
		{"gzip, deflate, br", httpx.Brotli, true},       // Safari
		{"gzip, deflate", httpx.Gzip, true},             // curl --compressed without brotli, Go's client
		{"br;q=0.9, gzip", httpx.Gzip, true},
		{"br", httpx.Brotli, true},
		{"BR;Q=1", httpx.Brotli, true},
		{"gzip", httpx.Gzip, true},
		{"GZIP", httpx.Gzip, true},
		{"x-gzip", httpx.Gzip, true},
		{"deflate, zstd", httpx.Identity, true}, // nothing offered listed: identity is acceptable by default
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", httpx.Brotli, true},
		{"zstd, gzip;q=0.8, *;q=0.1", httpx.Gzip, true},
		{"gzip;q=0", httpx.Identity, true},
		{"gzip;q=0.000", httpx.Identity, true},
		{"identity;q=1, gzip;q=0.5", httpx.Identity, true},
		{"identity;q=0.5, gzip;q=0.5", httpx.Gzip, true}, // equal: the smaller body
		{"gzip;q=0.4, identity;q=0.5", httpx.Identity, true},
		{"*", httpx.Brotli, true},
		{"*, br;q=0", httpx.Gzip, true},
		{"*;q=0.5, identity", httpx.Identity, true},
		{"*;q=0", httpx.Identity, false},
		{"identity;q=0", httpx.Identity, false},
		{"identity;q=0, br;q=0, deflate", httpx.Identity, false},
		{"identity;q=0, gzip", httpx.Gzip, true},
		{"*;q=0, gzip;q=0.001", httpx.Gzip, true},
		{"*;q=0, identity;q=0.2", httpx.Identity, true},
		{"gzip;q=2", httpx.Identity, true},      // malformed weight: the element is ignored
		{"gzip;q=0.1234", httpx.Identity, true}, // four decimals: malformed
		{"gzip;q=1.001", httpx.Identity, true},
		{"gzip ; q=0.9 , identity ; q=0.8", httpx.Gzip, true},
		{",,gzip,,", httpx.Gzip, true},
		{"gzip;level=9", httpx.Gzip, true},
	}
	for _, c := range cases {
		got, ok := httpx.Negotiate(c.header)
		if got != c.want || ok != c.acceptable {
			t.Errorf("Negotiate(%q) = %s, %v; want %s, %v", c.header, got.Token(), ok, c.want.Token(), c.acceptable)
		}
	}
}

func TestNoneMatchComparesWeaklyInLists(t *testing.T) {
	const etag = `"a-1f"`
	cases := []struct {
		header string
		want   bool
	}{
		{"", false},
		{`"a-1f"`, true},
		{`W/"a-1f"`, true},
		{`"b", "a-1f"`, true},
		{`"b",W/"a-1f"`, true},
		{`*`, true},
		{`"a-1f-gz"`, false},
		{`"a-1"`, false},
		{`a-1f`, false},
	}
	for _, c := range cases {
		if got := httpx.NoneMatch(c.header, etag); got != c.want {
			t.Errorf("NoneMatch(%q, %s) = %v, want %v", c.header, etag, got, c.want)
		}
	}
	if got := httpx.CodedETag(etag, httpx.Gzip); got != `"a-1f-gz"` {
		t.Errorf("gzip tag of %s: %s", etag, got)
	}
	if got := httpx.CodedETag(etag, httpx.Identity); got != etag {
		t.Errorf("identity tag of %s: %s", etag, got)
	}
}

// A representation is compressed once however many readers ask at once, and its gzip
// bytes decompress to the plain ones.
func TestRepresentationCompressesOnce(t *testing.T) {
	plain := bytes.Repeat([]byte(`{"title":"Séance plénière","start":"2027-02-01T08:00:00+09:00"},`), 2000)
	r := httpx.NewRepresentation(plain)
	decoders := map[httpx.Coding]func([]byte) (io.Reader, error){
		httpx.Gzip:   func(b []byte) (io.Reader, error) { return gzip.NewReader(bytes.NewReader(b)) },
		httpx.Brotli: func(b []byte) (io.Reader, error) { return brotli.NewReader(bytes.NewReader(b)), nil },
	}
	for coding, decode := range decoders {
		var wg sync.WaitGroup
		got := make([][]byte, 8)
		for i := range got {
			wg.Go(func() { got[i] = r.Bytes(coding) })
		}
		wg.Wait()
		for i := range got {
			if &got[i][0] != &got[0][0] {
				t.Fatalf("%s: reader %d got its own compression", coding.Token(), i)
			}
		}
		if len(got[0]) >= len(plain)/10 {
			t.Errorf("%s of a repetitive body: %d bytes of %d", coding.Token(), len(got[0]), len(plain))
		}
		zr, err := decode(got[0])
		if err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("%s bytes decompress to %d bytes (%v), want the %d plain bytes", coding.Token(), len(back), err, len(plain))
		}
	}
	if !bytes.Equal(r.Bytes(httpx.Identity), plain) {
		t.Fatal("identity bytes changed")
	}
}

// Represent answers each coding with its own tag, Vary, Content-Length and no chunking,
// a 304 only for the tag of the coding negotiated, and 406 when every coding is refused.
func TestRepresentServesEachCoding(t *testing.T) {
	var getPath func(path string, hdr ...string) (*http.Response, []byte)
	plain := []byte(strings.Repeat("Ordre du jour, séance plénière. ", 400))
	rep := httpx.NewRepresentation(plain)
	r := httpx.NewEngine(httpx.Options{})
	r.GET("/agenda", func(c *gin.Context) {
		coding, ok := httpx.Preferred(c)
		if !ok {
			return
		}
		httpx.Represent(c, rep, coding, `"a-7"`, "text/plain; charset=utf-8", "Authorization")
	})
	// A route whose middleware varies on Origin first and adds to the answer's headers
	// after it: Represent keeps the first, and the second changes no other answer.
	r.GET("/shared", func(c *gin.Context) {
		c.Writer.Header().Add("Vary", "Origin")
		c.Next()
		c.Writer.Header().Add("Vary", "X-Later")
		c.Writer.Header().Add("Content-Encoding", "x-later")
		c.Writer.Header().Add("Content-Length", "0")
	}, func(c *gin.Context) {
		httpx.Represent(c, rep, httpx.Gzip, `"a-7"`, "text/plain; charset=utf-8", "Authorization")
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(hdr ...string) (*http.Response, []byte) {
		t.Helper()
		return getPath("/agenda", hdr...)
	}
	getPath = func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}

	res, br := get("Accept-Encoding", "gzip, deflate, br")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "br" || res.Header.Get("ETag") != `"a-7-br"` ||
		res.Header.Get("Vary") != "Authorization, Accept-Encoding" || res.ContentLength != int64(len(br)) {
		t.Fatalf("br answer: %d %v, length %d of %d", res.StatusCode, res.Header, res.ContentLength, len(br))
	}
	if back, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("the br body does not decompress to the plain one (%v)", err)
	}

	res, gz := get("Accept-Encoding", "gzip, deflate")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") != `"a-7-gz"` ||
		res.Header.Get("Vary") != "Authorization, Accept-Encoding" || res.ContentLength != int64(len(gz)) || len(res.TransferEncoding) != 0 {
		t.Fatalf("gzip answer: %d %v, length %d of %d, chunked %v", res.StatusCode, res.Header, res.ContentLength, len(gz), res.TransferEncoding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := io.ReadAll(zr); !bytes.Equal(back, plain) {
		t.Fatal("the gzip body does not decompress to the plain one")
	}

	res, body := get()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || res.Header.Get("ETag") != `"a-7"` ||
		res.Header.Get("Vary") != "Authorization, Accept-Encoding" || !bytes.Equal(body, plain) || res.ContentLength != int64(len(plain)) {
		t.Fatalf("identity answer: %d %v, %d bytes", res.StatusCode, res.Header, len(body))
	}

	if res, _ := get("Accept-Encoding", "gzip", "If-None-Match", `"a-7-gz"`); res.StatusCode != 304 || res.Header.Get("ETag") != `"a-7-gz"` ||
		res.Header.Get("Vary") != "Authorization, Accept-Encoding" {
		t.Fatalf("revalidation of the gzip bytes: %d %v", res.StatusCode, res.Header)
	}
	// The plain bytes' tag does not revalidate the gzip bytes, nor the reverse.
	if res, _ := get("Accept-Encoding", "gzip", "If-None-Match", `"a-7"`); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip asked with the plain tag: %d %v", res.StatusCode, res.Header)
	}
	if res, _ := get("Accept-Encoding", "br", "If-None-Match", `"a-7-gz"`); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("br asked with the gzip tag: %d %v", res.StatusCode, res.Header)
	}
	if res, _ := get("Accept-Encoding", "br, gzip", "If-None-Match", `"a-7-gz", "a-7-br"`); res.StatusCode != 304 || res.Header.Get("ETag") != `"a-7-br"` {
		t.Fatalf("revalidation of the br bytes among tags held: %d %v", res.StatusCode, res.Header)
	}
	if res, _ := get("If-None-Match", `"a-7-gz"`); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("identity asked with the gzip tag: %d %v", res.StatusCode, res.Header)
	}

	if res, _ := getPath("/shared"); res.StatusCode != 200 || strings.Join(res.Header.Values("Vary"), ", ") != "Origin, Authorization, Accept-Encoding" {
		t.Fatalf("an answer that varied on Origin before: %d, Vary %q", res.StatusCode, res.Header.Values("Vary"))
	}
	for range 2 {
		if res, _ := get("Accept-Encoding", "gzip"); strings.Join(res.Header.Values("Vary"), ", ") != "Authorization, Accept-Encoding" ||
			res.Header.Get("Content-Encoding") != "gzip" || res.ContentLength != int64(len(gz)) {
			t.Fatalf("after another answer added to its headers: %v", res.Header)
		}
	}

	res, body = get("Accept-Encoding", "identity;q=0, zstd")
	if res.StatusCode != 406 || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(body), `"code":"encoding_not_acceptable"`) {
		t.Fatalf("every coding refused: %d %s", res.StatusCode, body)
	}
}
