package dbtest

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
)

// RoundTrips counts what the clients of a database opened by OpenCounted ask of the
// PostgreSQL server, read from the wire: each simple query or Sync is one round trip
// (the client waits for the server before it goes on), each simple query or Execute one
// statement run, each Parse one statement prepared. It tells what a request costs in the
// unit that dominates on a busy server, where every round trip waits its turn.
type RoundTrips struct {
	trips, statements, parses atomic.Int64
}

// Counts are the totals so far: round trips, statements run, statements prepared.
type Counts struct{ Trips, Statements, Parses int64 }

// Sub is what happened between an earlier count and this one.
func (c Counts) Sub(before Counts) Counts {
	return Counts{c.Trips - before.Trips, c.Statements - before.Statements, c.Parses - before.Parses}
}

// Now returns the totals so far.
func (r *RoundTrips) Now() Counts {
	return Counts{r.trips.Load(), r.statements.Load(), r.parses.Load()}
}

// OpenCounted returns a fresh migrated PostgreSQL database whose connections pass
// through a loopback proxy that counts the client's messages (the migration's too: take
// a count before what is measured).
func OpenCounted(t testing.TB) (*db.DB, *RoundTrips) {
	t.Helper()
	u, err := url.Parse(NewPostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &RoundTrips{}
	upstream := u.Host
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); r.relay(c, upstream) }()
		}
	}()
	u.Host = ln.Addr().String()
	q := u.Query()
	q.Set("sslmode", "disable") // the proxy reads the messages: no TLS on loopback
	u.RawQuery = q.Encode()
	d, err := db.Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("open counted postgres: %v", err)
	}
	t.Cleanup(func() { d.Close(); ln.Close(); wg.Wait() })
	if err := db.Migrate(context.Background(), d, nil); err != nil {
		t.Fatalf("migrate counted postgres: %v", err)
	}
	return d, r
}

// relay copies one connection both ways, counting the client's messages.
func (r *RoundTrips) relay(client net.Conn, upstream string) {
	defer client.Close()
	server, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer server.Close()
	go func() { _, _ = io.Copy(client, server); client.Close() }()
	_ = r.count(io.TeeReader(client, server))
}

// count reads the frontend's messages: the startup message (length first, no type
// byte), then a type byte and a length each.
func (r *RoundTrips) count(in io.Reader) error {
	var head [5]byte
	if _, err := io.ReadFull(in, head[:4]); err != nil {
		return err
	}
	if _, err := io.CopyN(io.Discard, in, int64(binary.BigEndian.Uint32(head[:4]))-4); err != nil {
		return err
	}
	for {
		if _, err := io.ReadFull(in, head[:]); err != nil {
			return err
		}
		switch head[0] {
		case 'Q':
			r.trips.Add(1)
			r.statements.Add(1)
		case 'S':
			r.trips.Add(1)
		case 'E':
			r.statements.Add(1)
		case 'P':
			r.parses.Add(1)
		}
		n := int64(binary.BigEndian.Uint32(head[1:])) - 4
		if n < 0 {
			return errors.New("malformed message")
		}
		if _, err := io.CopyN(io.Discard, in, n); err != nil {
			return err
		}
	}
}
