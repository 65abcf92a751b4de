package httpx

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/problem"
)

// Coding is a content coding a cached representation is sent in (RFC 9110 8.4.1).
type Coding uint8

const (
	// Identity is the representation as it is.
	Identity Coding = iota
	// Gzip is the representation compressed with gzip.
	Gzip
	// Brotli is the representation compressed with Brotli (RFC 7932), "br": every
	// browser accepts it, and it makes a JSON agenda a fifth smaller than gzip does.
	Brotli
	nCodings
)

// codings are those offered, the preferred first when a client accepts several equally
// (the smaller body first).
var codings = []Coding{Brotli, Gzip, Identity}

var tokens = [nCodings]string{Identity: "identity", Gzip: "gzip", Brotli: "br"}

// tags are what each coding adds to an entity tag: each coding of a representation is a
// representation of its own, with its own tag, so that a cache or a client holding the
// gzip bytes never revalidates them as the plain ones.
var tags = [nCodings]string{Identity: "", Gzip: "-gz", Brotli: "-br"}

// Token is the coding's name in Accept-Encoding and Content-Encoding.
func (c Coding) Token() string { return tokens[c] }

func (c Coding) tag() string { return tags[c] }

// CodedETag is the entity tag of the coding c of the representation tagged etag (a
// strong tag, "..." with the quotes).
func CodedETag(etag string, c Coding) string {
	if c == Identity || len(etag) < 2 {
		return etag
	}
	return etag[:len(etag)-1] + c.tag() + `"`
}

// Negotiate picks the coding to send from an Accept-Encoding header (RFC 9110 12.5.3):
// the acceptable coding with the highest q-value, br before gzip before identity at equal
// weight; "x-gzip" is gzip, "*" names any coding not listed, a q of 0 refuses. Without the header,
// or with an empty one, identity. acceptable is false only when identity too is refused
// ("identity;q=0", or "*;q=0" without identity) and no other coding is acceptable.
func Negotiate(acceptEncoding string) (c Coding, acceptable bool) {
	if strings.TrimSpace(acceptEncoding) == "" {
		return Identity, true
	}
	q := [nCodings]int{-1, -1, -1} // by Coding; -1: not listed
	star := -1
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		name, weight, ok := codingWeight(part)
		if !ok {
			continue
		}
		switch name {
		case "gzip", "x-gzip":
			q[Gzip] = max(q[Gzip], weight)
		case "br":
			q[Brotli] = max(q[Brotli], weight)
		case "identity":
			q[Identity] = max(q[Identity], weight)
		case "*":
			star = max(star, weight)
		}
	}
	for _, c := range []Coding{Brotli, Gzip} {
		if q[c] < 0 {
			q[c] = max(star, 0)
		}
	}
	if q[Identity] < 0 {
		// Identity is acceptable unless refused by name or by "*;q=0" (RFC 9110 12.5.3).
		q[Identity] = 1
		if star == 0 {
			q[Identity] = 0
		}
	}
	best := codings[0]
	for _, c := range codings[1:] {
		if q[c] > q[best] {
			best = c
		}
	}
	if q[best] <= 0 {
		return Identity, false
	}
	return best, true
}

// codingWeight reads one element of Accept-Encoding: a coding name (lower case) and its
// q-value in thousandths (1000 without one); ok is false for an empty or malformed element.
func codingWeight(part string) (name string, q int, ok bool) {
	name, params, _ := strings.Cut(part, ";")
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return "", 0, false
	}
	q = 1000
	for p := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(p, "=")
		if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		w, good := qValue(strings.TrimSpace(v))
		if !good {
			return "", 0, false
		}
		q = w
	}
	return name, q, true
}

// qValue parses a weight (RFC 9110 12.4.2: 0 to 1, at most three decimals) in thousandths.
func qValue(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	if len(s) == 1 {
		return int(s[0]-'0') * 1000, true
	}
	if s[1] != '.' {
		return 0, false
	}
	frac := s[2:]
	n := 0
	for i := range 3 {
		n *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			n += int(frac[i] - '0')
		}
	}
	if s[0] == '1' {
		return 1000, n == 0
	}
	return n, true
}

// NoneMatch reports whether an If-None-Match header names etag, by the weak comparison
// RFC 9110 13.1.2 asks for ("W/" ignored), in a list or as "*".
func NoneMatch(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	if ifNoneMatch == etag {
		return true
	}
	for t := range strings.SplitSeq(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// Representation is a body that many readers fetch unchanged (a cached public agenda)
// with its compressed forms: each is made once, when a reader first asks for it, and
// kept beside the plain bytes, so that no request compresses.
type Representation struct {
	identity []byte
	once     [nCodings]sync.Once
	coded    [nCodings][]byte
	// length is each coding's Content-Length value, made with its bytes: every reader
	// of the representation sends the same one.
	length [nCodings][]string
	// tags are each coding's ETag value for the tag the representation was first
	// served with (a representation keeps one tag; another is computed per request).
	tagOnce [nCodings]sync.Once
	tagged  [nCodings]atomic.Bool // tagOnce[c] has run: read without making its func
	tagOf   [nCodings]string
	tag     [nCodings][]string
	made    [nCodings]atomic.Bool // once[c] has run
}

// etagHeader is the ETag value of coding c of the representation tagged etag.
func (r *Representation) etagHeader(etag string, c Coding) []string {
	if c >= nCodings {
		c = Identity
	}
	if !r.tagged[c].Load() {
		r.tagOnce[c].Do(func() {
			r.tagOf[c], r.tag[c] = etag, []string{CodedETag(etag, c)}
			r.tagged[c].Store(true)
		})
	}
	if r.tagOf[c] != etag {
		return []string{CodedETag(etag, c)}
	}
	return r.tag[c]
}

// NewRepresentation keeps body (which it does not copy: the caller no longer changes it).
func NewRepresentation(body []byte) *Representation { return &Representation{identity: body} }

// Identity is the plain bytes.
func (r *Representation) Identity() []byte { return r.identity }

// Bytes is the representation in coding c, compressed on the first call for c.
func (r *Representation) Bytes(c Coding) []byte {
	b, _ := r.coding(c)
	return b
}

// coding is the bytes of coding c and their Content-Length header value.
func (r *Representation) coding(c Coding) ([]byte, []string) {
	if c >= nCodings {
		c = Identity
	}
	if !r.made[c].Load() { // the first reader of c, or one racing it
		r.once[c].Do(func() {
			if c != Identity {
				r.coded[c] = compressed(r.identity, c)
			} else {
				r.coded[c] = r.identity
			}
			r.length[c] = []string{strconv.Itoa(len(r.coded[c]))}
			r.made[c].Store(true)
		})
	}
	return r.coded[c], r.length[c]
}

// compressed is b in coding c. Done once per cached representation and read by every
// reader after, gzip takes its best level (160 KB of JSON in about 2 ms); Brotli takes
// quality 5, a fifth smaller than gzip's best in a few times its time, where quality 11
// would be a sixth smaller still but take a second for the same 160 KB, which the first
// reader after each change would wait for.
func compressed(b []byte, c Coding) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/6 + 64)
	var zw io.WriteCloser
	if c == Brotli {
		zw = brotli.NewWriterLevel(&buf, 5)
	} else {
		zw, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	}
	_, _ = zw.Write(b) // a bytes.Buffer does not fail
	_ = zw.Close()
	return buf.Bytes()
}

// Preferred is the coding a request asks for in its Accept-Encoding. When it refuses
// every coding offered it answers 406 and returns false.
func Preferred(c *gin.Context) (Coding, bool) {
	coding, ok := Negotiate(c.GetHeader("Accept-Encoding"))
	if !ok {
		Fail(c, problem.New(problem.KindNotAcceptable, "encoding_not_acceptable",
			"Accept-Encoding refuses every coding offered (br, gzip, identity)"))
	}
	return coding, ok
}

// Represent answers a GET of a cached representation in coding (from Preferred), tagged
// etag (the tag of its identity coding): the coding's own entity tag, Vary on
// Accept-Encoding beside the vary given (the request headers the answer also depends on,
// "" for none), then a 304 when If-None-Match names that tag, else the bytes with their
// Content-Length, so that they go out unchunked.
func Represent(c *gin.Context, r *Representation, coding Coding, etag, contentType, vary string) {
	h := c.Writer.Header()
	tag := r.etagHeader(etag, coding)
	// Canonical keys set directly: Header.Set would canonicalize each key again, and the
	// values that do not change between readers are shared (never appended to: a later
	// Add makes its own copy, as the slices are full).
	h["Etag"] = tag
	h["Vary"] = varyOn(h, vary)
	if NoneMatch(c.GetHeader("If-None-Match"), tag[0]) {
		c.Status(http.StatusNotModified)
		return
	}
	b, length := r.coding(coding)
	if coding != Identity {
		h["Content-Encoding"] = contentEncodings[coding]
	}
	h["Content-Length"] = length
	h["Content-Type"] = contentTypeHeader(contentType)
	// What gin's Data does, without its Content-Type slice made per request.
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(b) // a client gone mid-body is net/http's to handle
}

// contentTypeHeader is the Content-Type value for ct, shared for the types the routes
// serve.
func contentTypeHeader(ct string) []string {
	switch ct {
	case jsonTypeValue[0]:
		return jsonTypeValue
	case yamlTypeValue[0]:
		return yamlTypeValue
	}
	return []string{ct}
}

var (
	jsonTypeValue = []string{"application/json; charset=utf-8"}
	yamlTypeValue = []string{"application/yaml; charset=utf-8"}
)

// contentEncodings are the Content-Encoding values, one shared slice per coding.
var contentEncodings = func() (v [nCodings][]string) {
	for c := range nCodings {
		v[c] = []string{c.Token()}
	}
	return v
}()

// NotModified answers a 304 for the coding of a representation tagged etag, with the
// headers its 200 would carry (RFC 9110 15.4.5).
func NotModified(c *gin.Context, coding Coding, etag, vary string) {
	h := c.Writer.Header()
	h["Etag"] = []string{CodedETag(etag, coding)}
	h["Vary"] = varyOn(h, vary)
	c.Status(http.StatusNotModified)
}

// varyOn is the Vary value of an answer that depends on the request headers vary ("" for
// none) and on Accept-Encoding, after what h already varies on (CORS's Origin); the
// values the routes use alone are made once.
func varyOn(h http.Header, vary string) []string {
	var v []string
	switch vary {
	case "":
		v = varyCoding
	case "Authorization":
		v = varyAuthCoding
	default:
		v = []string{vary + ", Accept-Encoding"}
	}
	if before := h["Vary"]; len(before) > 0 {
		return append(slices.Clip(before), v...)
	}
	return v
}

var (
	varyCoding     = []string{"Accept-Encoding"}
	varyAuthCoding = []string{"Authorization, Accept-Encoding"}
)
