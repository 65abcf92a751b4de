package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// rawConn is one keep-alive HTTP/1.1 connection read the way wrk reads one: the status
// line, the Content-Length among the header lines, then exactly that many body bytes.
// Hand-written because it is the point: every HTTP client library builds each answer
// into a header map and a response (net/http also runs two goroutines per connection),
// which is the load generator's work charged to the server under test when both share
// the cores. It speaks only what the benchmarks' servers answer: a Content-Length body
// (or none, for 304 and 204); a chunked or a close-delimited answer fails the load.
type rawConn struct {
	c      net.Conn
	br     *bufio.Reader
	req    []byte
	status int
	url    string
}

// dialRaw connects to rawURL (http, loopback) and prepares its GET with hdr.
func dialRaw(ctx context.Context, rawURL string, hdr http.Header, status int) (*rawConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("raw load: %q is not an http URL", rawURL)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: plenary-bench\r\n", u.RequestURI(), u.Host)
	if err := hdr.Write(&req); err != nil {
		c.Close()
		return nil, err
	}
	req.WriteString("\r\n")
	return &rawConn{c: c, br: bufio.NewReaderSize(c, 64<<10), req: req.Bytes(), status: status, url: rawURL}, nil
}

func (r *rawConn) close() { r.c.Close() }

var contentLength = []byte("content-length:")

// get sends the request and reads its answer whole; it returns the body's length.
func (r *rawConn) get() (int64, error) {
	_ = r.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := r.c.Write(r.req); err != nil {
		return 0, err
	}
	line, err := r.br.ReadSlice('\n')
	if err != nil {
		return 0, fmt.Errorf("GET %s: status line: %w", r.url, err)
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, fmt.Errorf("GET %s: status line %q", r.url, line)
	}
	code, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("GET %s: status line %q", r.url, line)
	}
	length := int64(-1)
	for {
		h, err := r.br.ReadSlice('\n')
		if err != nil {
			return 0, fmt.Errorf("GET %s: header: %w", r.url, err)
		}
		if len(h) <= 2 { // the blank line
			break
		}
		if len(h) > len(contentLength) && bytes.EqualFold(h[:len(contentLength)], contentLength) {
			if length, err = strconv.ParseInt(string(bytes.TrimSpace(h[len(contentLength):])), 10, 64); err != nil {
				return 0, fmt.Errorf("GET %s: %q", r.url, h)
			}
		}
	}
	bodyless := code == http.StatusNotModified || code == http.StatusNoContent || code/100 == 1
	switch {
	case bodyless:
		length = 0
	case length < 0:
		return 0, fmt.Errorf("GET %s: %d answer without Content-Length (raw load reads no other framing)", r.url, code)
	}
	if _, err := r.br.Discard(int(length)); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, fmt.Errorf("GET %s: body: %w", r.url, err)
	}
	if code != r.status {
		return length, fmt.Errorf("GET %s: status %d, want %d", r.url, code, r.status)
	}
	return length, nil
}
