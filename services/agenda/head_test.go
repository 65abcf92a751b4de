package agenda

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeHeads is a meeting whose revision a test raises, read through a fetch the test can
// hold open, counting the reads in flight.
type fakeHeads struct {
	rev      atomic.Int64
	gate     chan struct{} // each fetch takes one value before answering
	inFlight atomic.Int64
	maxSeen  atomic.Int64
	reads    atomic.Int64
}

func (f *fakeHeads) fetch(ctx context.Context, id string) (AgendaHead, error) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxSeen.Load()
		if n <= m || f.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	f.reads.Add(1)
	rev := f.rev.Load() // the read's snapshot is taken when it starts
	<-f.gate
	return AgendaHead{Public: true, Revision: rev}, nil
}

// TestHeadReadsNeverStale: a request that arrives while a read is in flight, after a
// write, gets the written revision, not the in-flight read's older one.
func TestHeadReadsNeverStale(t *testing.T) {
	f := &fakeHeads{gate: make(chan struct{})}
	f.rev.Store(1)
	g := newHeadReads()
	ctx := context.Background()

	first := make(chan AgendaHead)
	go func() { h, _ := g.read(ctx, "m", f.fetch); first <- h }()
	waitFor(t, func() bool { return f.inFlight.Load() == 1 })

	f.rev.Store(2) // a write commits while the first read is in flight
	second := make(chan AgendaHead)
	go func() { h, _ := g.read(ctx, "m", f.fetch); second <- h }()
	waitFor(t, func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.meetings["m"] != nil && g.meetings["m"].next != nil
	})

	f.gate <- struct{}{} // the first read answers
	if h := <-first; h.Revision != 1 {
		t.Fatalf("first request: revision %d, want 1", h.Revision)
	}
	f.gate <- struct{}{} // the second read, begun after the first ended
	if h := <-second; h.Revision != 2 {
		t.Fatalf("request that arrived after the write got revision %d, want 2", h.Revision)
	}
}

// TestHeadReadsCoalesce: many requests at once cost at most two reads in flight, each
// request gets an answer, and one giving up does not fail the others.
func TestHeadReadsCoalesce(t *testing.T) {
	f := &fakeHeads{gate: make(chan struct{})}
	f.rev.Store(7)
	g := newHeadReads()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case f.gate <- struct{}{}:
				time.Sleep(100 * time.Microsecond)
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var wrong atomic.Int64
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			if i%10 == 0 {
				ctx = cancelled // gives up at once; its read still serves the others
			}
			h, err := g.read(ctx, "m", f.fetch)
			if err == nil && h.Revision != 7 {
				wrong.Add(1)
			}
			if err != nil && ctx == context.Background() {
				t.Errorf("request failed: %v", err)
			}
		}()
	}
	wg.Wait()
	if wrong.Load() > 0 {
		t.Errorf("%d answers with a wrong revision", wrong.Load())
	}
	if m := f.maxSeen.Load(); m > 2 {
		t.Errorf("%d reads in flight at once, want at most 2", m)
	}
	if r := f.reads.Load(); r >= 200 {
		t.Errorf("200 concurrent requests cost %d reads: nothing was shared", r)
	}
	g.mu.Lock()
	left := len(g.meetings)
	g.mu.Unlock()
	if left != 0 {
		t.Errorf("%d meetings left queued after every request ended", left)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}
