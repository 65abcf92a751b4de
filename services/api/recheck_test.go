package api_test

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
	"github.com/plenary/plenary/services/platform/outbox"
)

// followSessions runs what `plenary api` runs beside the HTTP server for the rest of the
// test: the outbox relay and interpretation's re-check consumer, on a JetStream server.
func (e *env) followSessions() {
	e.t.Helper()
	ns := natstest.Start(e.t)
	nc, err := nats.Connect(ns.URL())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := natsx.EnsureStream(context.Background(), js); err != nil {
		e.t.Fatal(err)
	}
	relay := outbox.NewRelay(e.db, js, nil, outbox.WithPollInterval(20*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(ctx); done <- struct{}{} }()
	go func() { _ = e.deps.Interpretation.ConsumeSessionEvents(ctx, js); done <- struct{}{} }()
	e.t.Cleanup(func() { cancel(); <-done; <-done })
}

// settledAgenda reads an agenda until its interpretation verdict was computed for the
// agenda's own revision (every change re-checked) and ok accepts it.
func (e *env) settledAgenda(path string, ok func(map[string]any) bool) map[string]any {
	e.t.Helper()
	// Generous: the re-check runs behind the relay and the consumer, and a loaded CI
	// machine can take seconds; the loop returns as soon as the verdict settles.
	deadline := time.Now().Add(90 * time.Second)
	for {
		a := e.must(200, e.do("GET", path, nil))
		if v, _ := a["interpretation"].(map[string]any); v != nil && v["revision"] == a["revision"] && ok(a) {
			return a
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the agenda's verdict never settled: revision %v, verdict %v", a["revision"], a["interpretation"])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
