// Package natstest runs a real NATS JetStream server for tests: in the test process,
// listening on 127.0.0.1 at a random port, with its store in a temporary directory. It can
// be stopped and started again on the same port and store to simulate a NATS outage.
package natstest

import (
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is a JetStream server on 127.0.0.1 owned by one test.
type Server struct {
	t        testing.TB
	storeDir string
	port     int
	srv      *server.Server
}

// Start starts a server on a random port; it is shut down at test cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, storeDir: t.TempDir(), port: server.RANDOM_PORT}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the client URL of the server; it stays the same across restarts.
func (s *Server) URL() string { return "nats://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Running reports whether the server is up.
func (s *Server) Running() bool { return s.srv != nil }

// Stop shuts the server down, as an outage would. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// Restart starts the server again on the same port with the same store, so the streams
// and their messages survive. It fails the test if the server cannot start.
func (s *Server) Restart() {
	s.t.Helper()
	if s.srv != nil {
		s.t.Fatalf("natstest: restart of a running server")
	}
	opts := &server.Options{
		ServerName: "plenary-test",
		Host:       "127.0.0.1",
		Port:       s.port,
		JetStream:  true,
		StoreDir:   s.storeDir,
		NoSigs:     true,
		NoLog:      true,
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		s.t.Fatalf("natstest: new server: %v", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		s.t.Fatalf("natstest: server on port %d not ready", s.port)
	}
	addr, ok := srv.Addr().(*net.TCPAddr)
	if !ok {
		srv.Shutdown()
		s.t.Fatalf("natstest: server address %v", srv.Addr())
	}
	s.port = addr.Port
	s.srv = srv
}

// String names the server in test logs.
func (s *Server) String() string { return fmt.Sprintf("nats-server %s", s.URL()) }
