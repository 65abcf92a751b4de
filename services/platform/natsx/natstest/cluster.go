package natstest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a JetStream cluster of servers on 127.0.0.1, all in the test process.
type Cluster struct {
	Servers []*server.Server
	Names   []string
}

// freePort asks the kernel for a loopback port that is free now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("natstest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// StartCluster starts n clustered JetStream servers (n >= 3 for a quorum) and waits until
// they have formed the cluster; they are shut down at test cleanup.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	routes := make([]int, n)
	for i := range routes {
		routes[i] = freePort(t)
	}
	var urls []*url.URL
	for _, p := range routes {
		urls = append(urls, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", p)})
	}
	c := &Cluster{}
	for i := range n {
		name := fmt.Sprintf("plenary-test-%d", i)
		opts := &server.Options{
			ServerName: name,
			Host:       "127.0.0.1",
			Port:       server.RANDOM_PORT,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "plenary-test", Host: "127.0.0.1", Port: routes[i]},
			Routes:     urls,
		}
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("natstest: new server %s: %v", name, err)
		}
		go srv.Start()
		t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
		c.Servers = append(c.Servers, srv)
		c.Names = append(c.Names, name)
	}
	for _, srv := range c.Servers {
		if !srv.ReadyForConnections(30 * time.Second) {
			t.Fatalf("natstest: cluster server not ready")
		}
	}
	// The cluster is formed when every server routes to every other one and JetStream
	// has a meta leader.
	deadline := time.Now().Add(30 * time.Second)
	for {
		formed := true
		for _, srv := range c.Servers {
			if srv.NumRoutes() < n-1 || !srv.JetStreamIsClustered() {
				formed = false
			}
		}
		leader := false
		for _, srv := range c.Servers {
			leader = leader || srv.JetStreamIsLeader()
		}
		if formed && leader {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("natstest: cluster of %d did not form", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URLs is the client URL list of the running servers, comma-separated.
func (c *Cluster) URLs() string {
	var out []string
	for _, srv := range c.Servers {
		if srv.Running() {
			out = append(out, srv.ClientURL())
		}
	}
	return strings.Join(out, ",")
}

// Stop shuts down the named server, as a lost node would.
func (c *Cluster) Stop(name string) {
	for _, srv := range c.Servers {
		if srv.Name() == name {
			srv.Shutdown()
			srv.WaitForShutdown()
		}
	}
}
