package natsx_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEmbeddedHasNoListenerAndKeepsItsStore(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()

	e, err := natsx.StartEmbedded(ctx, dir, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if addr := e.Server().Addr(); addr != nil {
		t.Errorf("embedded server listens on %v, want no listener", addr)
	}
	if _, err := natsx.EnsureStream(ctx, e.JetStream()); err != nil {
		t.Fatal(err)
	}
	subject := contracts.Subject(contracts.MeetingCreated)
	first, err := e.JetStream().Publish(ctx, subject, []byte(`{"id":"e1"}`), jetstream.WithMsgID("e1"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.JetStream().Publish(ctx, subject, []byte(`{"id":"e1"}`), jetstream.WithMsgID("e1"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Duplicate || !again.Duplicate || again.Sequence != first.Sequence {
		t.Errorf("acks %+v then %+v: want the second to be a duplicate of the first", first, again)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if !e.Conn().IsClosed() {
		t.Error("connection still open after Close")
	}

	// The store is on disk: a new server on the same directory has the event.
	e2, err := natsx.StartEmbedded(ctx, dir, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	s, err := e2.JetStream().Stream(ctx, contracts.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Errorf("stream holds %d messages after restart, want 1", info.State.Msgs)
	}
}

func TestEnsureStreamCreatesThenUpdates(t *testing.T) {
	ctx := testContext(t)
	srv := natstest.Start(t)
	nc, err := natsx.Connect(ctx, srv.URL(), "plenary-test", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "connection", nc.IsConnected)

	// An older deployment created the stream with a short duplicate window.
	old := natsx.StreamConfig()
	old.Duplicates = time.Minute
	if _, err := js.CreateStream(ctx, old); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second call finds the stream as it wants it
		s, err := natsx.EnsureStream(ctx, js)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := info.Config
		if c.Name != contracts.Stream || len(c.Subjects) != 1 || c.Subjects[0] != contracts.StreamSubjects {
			t.Errorf("stream %s on %v, want %s on %s", c.Name, c.Subjects, contracts.Stream, contracts.StreamSubjects)
		}
		if c.Storage != jetstream.FileStorage {
			t.Errorf("storage %v, want file", c.Storage)
		}
		if c.Duplicates != natsx.DuplicateWindow {
			t.Errorf("duplicate window %v, want %v", c.Duplicates, natsx.DuplicateWindow)
		}
		if c.MaxMsgSize != natsx.MaxMsgSize || c.MaxAge != natsx.MaxAge {
			t.Errorf("limits max_msg_size=%d max_age=%v", c.MaxMsgSize, c.MaxAge)
		}
	}

	// A subject outside plenary.v1.> is not captured by the stream.
	if _, err := js.Publish(ctx, "plenary.v2.meeting.created", []byte(`{}`)); !errors.Is(err, jetstream.ErrNoStreamResponse) {
		t.Errorf("publish outside the stream's subjects: %v, want %v", err, jetstream.ErrNoStreamResponse)
	}
}

func TestConnectWaitsOutAnOutage(t *testing.T) {
	ctx := testContext(t)
	srv := natstest.Start(t)
	srv.Stop() // NATS is down when the process starts

	nc, err := natsx.Connect(ctx, srv.URL(), "plenary-test", quietLog())
	if err != nil {
		t.Fatalf("connect while NATS is down: %v", err)
	}
	defer nc.Close()
	if nc.IsConnected() {
		t.Fatal("connected to a stopped server")
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}

	srv.Restart()
	waitFor(t, "first connection", nc.IsConnected)
	if _, err := natsx.EnsureStream(ctx, js); err != nil {
		t.Fatal(err)
	}
	subject := contracts.Subject(contracts.SessionScheduled)
	if _, err := js.Publish(ctx, subject, []byte(`{}`), jetstream.WithMsgID("before")); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	waitFor(t, "disconnect", func() bool { return nc.Status() == nats.RECONNECTING })
	srv.Restart()
	waitFor(t, "reconnect", nc.IsConnected)
	ack, err := js.Publish(ctx, subject, []byte(`{}`), jetstream.WithMsgID("after"))
	if err != nil {
		t.Fatal(err)
	}
	if ack.Sequence != 2 {
		t.Errorf("publish after reconnect stored at %d, want 2 (the stream survived the restart)", ack.Sequence)
	}
	if nc.Stats().Reconnects == 0 {
		t.Error("no reconnect counted")
	}
}

func TestReconnectDelay(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     time.Duration
	}{
		{0, 100 * time.Millisecond},
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{3, 400 * time.Millisecond},
		{6, 3200 * time.Millisecond},
		{7, 5 * time.Second},
		{1 << 20, 5 * time.Second},
	} {
		if got := natsx.ReconnectDelay(tc.attempts); got != tc.want {
			t.Errorf("ReconnectDelay(%d) = %v, want %v", tc.attempts, got, tc.want)
		}
	}
}

// On a three-server cluster the stream created with Replicas(3) keeps taking events when
// the server that leads it is lost: the deployment of deploy/k8s runs such a cluster.
func TestReplicatedStreamSurvivesTheLossOfItsLeader(t *testing.T) {
	ctx := testContext(t)
	cl := natstest.StartCluster(t, 3)
	nc, err := natsx.Connect(ctx, cl.URLs(), "plenary-test", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var s jetstream.Stream
	waitFor(t, "the replicated stream", func() bool {
		s, err = natsx.EnsureStream(ctx, js, natsx.Replicas(3))
		return err == nil
	})
	// Each attempt has its own short deadline: a request sent on the connection to the
	// lost server gets no answer, and the next attempt goes out on the new connection.
	publish := func(id string) error {
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := js.Publish(actx, contracts.Subject(contracts.MeetingCreated), []byte(`{}`), jetstream.WithMsgID(id))
		return err
	}
	var info *jetstream.StreamInfo
	streamInfo := func() bool {
		ictx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		info, err = s.Info(ictx)
		return err == nil && info.Cluster != nil && info.Cluster.Leader != ""
	}
	// A new stream elects its leader and gathers its peers first.
	waitFor(t, "the stream on three servers", func() bool {
		return streamInfo() && info.Config.Replicas == 3 && len(info.Cluster.Replicas) == 2
	})
	waitFor(t, "the first event", func() bool { return publish("before") == nil })
	cl.Stop(info.Cluster.Leader)
	waitFor(t, "a new stream leader to take events", func() bool { return publish("after") == nil })
	waitFor(t, "the stream's state from its new leader", streamInfo)
	if info.State.Msgs != 2 {
		t.Fatalf("after losing a server: %+v", info.State)
	}
}
