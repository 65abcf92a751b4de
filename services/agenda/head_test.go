package agenda

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx/natstest"
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

// TestKeptHeadsAndOtherProcesses: a write made elsewhere (another replica: here an UPDATE
// this process's services do not see) stays unseen while the kept head is fresh, is seen
// at once after ForgetHeads (its event arriving), and always with no freshness; a write
// through any Service of this process is seen by the next read.
func TestKeptHeadsAndOtherProcesses(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d, WithHeadFreshness(time.Hour))
		tz := "America/Bogota"
		m, err := s.CreateMeeting(ctx, MeetingInput{Title: contracts.Text{"es": "Consulta regional"}, VenueTZ: &tz, Public: ptrTo(true)})
		if err != nil {
			t.Fatal(err)
		}
		head := func(s *Service) AgendaHead {
			t.Helper()
			h, err := s.AgendaHead(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		h0 := head(s)
		elsewhere := func() {
			t.Helper()
			if _, err := d.ExecContext(ctx, `UPDATE meetings SET agenda_revision = agenda_revision + 1, public = NOT public WHERE id = $1`, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		elsewhere()
		if h := head(s); h != h0 {
			t.Fatalf("kept head %+v changed without a write of this process or its event (was %+v): nothing is kept", h, h0)
		}
		s.ForgetHeads()
		h1 := head(s)
		if h1.Revision != h0.Revision+1 || h1.Public {
			t.Fatalf("after ForgetHeads: %+v, want revision %d, not public", h1, h0.Revision+1)
		}

		uncached := NewService(d, WithHeadFreshness(0))
		elsewhere()
		if h := head(uncached); h.Revision != h1.Revision+1 || !h.Public {
			t.Fatalf("without freshness: %+v, want revision %d, public", h, h1.Revision+1)
		}

		// A second Service of this process writes: the first sees it on its next read.
		other := NewService(d)
		if _, err := other.TouchAgenda(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if h := head(s); h.Revision != h1.Revision+2 {
			t.Fatalf("after another Service's write: revision %d, want %d", h.Revision, h1.Revision+2)
		}
	})
}

// TestKeptHeadsIgnoreReadsOverlappingAWrite: a read that began before a write ended keeps
// nothing (it may have read the state before the write).
func TestKeptHeadsIgnoreReadsOverlappingAWrite(t *testing.T) {
	var k keptHeads
	gen := agendaWrites.Load()
	agendaWritten() // a write ends while the read is in flight
	k.put("m", AgendaHead{Public: true, Revision: 3}, gen, time.Now())
	if _, ok := k.get("m", time.Hour); ok {
		t.Fatal("a head read across a write was kept")
	}
	gen = agendaWrites.Load()
	k.put("m", AgendaHead{Public: true, Revision: 4}, gen, time.Now())
	if h, ok := k.get("m", time.Hour); !ok || h.Revision != 4 {
		t.Fatalf("head read without a write: %+v %v, want revision 4 kept", h, ok)
	}
	agendaWritten()
	if _, ok := k.get("m", time.Hour); ok {
		t.Fatal("a head kept across a later write was served")
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestHeadsForgottenOnAnotherReplicasEvent: a session event published on NATS (as another
// replica's relay publishes it) makes this process read the head again.
func TestHeadsForgottenOnAnotherReplicasEvent(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := NewService(d, WithHeadFreshness(time.Hour))
	tz := "Asia/Manila"
	m, err := s.CreateMeeting(ctx, MeetingInput{Title: contracts.Text{"en": "Asia/Pacific briefing"}, VenueTZ: &tz, Public: ptrTo(true)})
	if err != nil {
		t.Fatal(err)
	}
	srv := natstest.Start(t)
	nc, err := nats.Connect(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	done := make(chan error, 1)
	go func() { done <- s.ForgetHeadsOnEvents(ctx, nc) }()

	h0, err := s.AgendaHead(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Another replica's write: this process's services do not see it.
	if _, err := d.ExecContext(ctx, `UPDATE meetings SET agenda_revision = agenda_revision + 1 WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	// ... and its event, published until the subscription (started concurrently) hears it.
	waitFor(t, func() bool {
		if err := nc.Publish(contracts.Subject(contracts.SessionRescheduled), []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		_ = nc.Flush()
		h, err := s.AgendaHead(ctx, m.ID)
		return err == nil && h.Revision == h0.Revision+1
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
