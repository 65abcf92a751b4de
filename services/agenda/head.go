package agenda

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// AgendaHead is what serving an agenda needs before anything else: whether the meeting is
// public and its agenda revision. With both, an anonymous request is admitted or refused,
// a revalidation answered 304 and a cached rendering found, without reading the meeting.
type AgendaHead struct {
	Public   bool
	Revision int64
}

// AgendaHead is a meeting's public flag and agenda revision: from memory while no agenda
// write of this process has happened since it was read and it is younger than the
// service's head freshness (see keptHeads), else from one indexed read that concurrent
// readers of one meeting share (see headReads). So a public agenda or its 304 costs no
// database work at all under load, a write made through this process is seen by the next
// request, and one made through another process (another API replica) by the next
// request once its event has arrived (ForgetHeads) or the freshness has run out.
func (s *Service) AgendaHead(ctx context.Context, meetingID string) (AgendaHead, error) {
	if h, ok := s.cache.kept.get(meetingID, s.headFreshness); ok {
		return h, nil
	}
	// Both taken before the read starts: the read sees every write that ended before
	// them, and a later write changes the generation, which retires what this read keeps.
	gen, began := agendaWrites.Load(), time.Now()
	h, err := s.cache.heads.read(ctx, meetingID, func(ctx context.Context, id string) (AgendaHead, error) {
		return s.cache.heads.fetch(ctx, s.db, id)
	})
	if err == nil && s.headFreshness > 0 {
		s.cache.kept.put(meetingID, h, gen, began)
	}
	return h, err
}

// agendaWrites counts the agenda writes of this process, by every Service over any
// database (tests run several over one). A write raises it after its transaction ends,
// committed or not (a commit whose answer was lost may still have happened), and before
// its caller hears of it.
var agendaWrites atomic.Uint64

// agendaWritten retires every head kept in memory.
func agendaWritten() { agendaWrites.Add(1) }

// ForgetHeads retires every meeting head kept in memory, for a change this process did not
// make: main calls it for each meeting, session and agenda event that reaches this
// process from the stream, so another replica's write is seen as soon as its event is.
func (s *Service) ForgetHeads() { agendaWritten() }

// DefaultHeadFreshness bounds how long a head read is served from memory without a new
// read: the longest another process's change can stay unseen here when its event does
// not arrive (NATS down, the relay behind).
const DefaultHeadFreshness = time.Second

// WithHeadFreshness sets how long a meeting's head may be served from memory (0: read it
// for every request).
func WithHeadFreshness(d time.Duration) Option { return func(s *Service) { s.headFreshness = d } }

// keptHeads are meeting heads read earlier, each with the write generation at which its
// read began. A head is served only while that generation is current and it is younger
// than the freshness: lock-free, so a 304 costs a map lookup.
type keptHeads struct {
	m sync.Map // meeting id -> *keptHead
	n atomic.Int64
}

type keptHead struct {
	head  AgendaHead
	gen   uint64
	began time.Time
}

// maxKeptHeads bounds the heads kept (one per meeting read; only existing meetings are
// kept, so only the meetings there are can fill it).
const maxKeptHeads = 16384

func (k *keptHeads) get(id string, freshness time.Duration) (AgendaHead, bool) {
	v, ok := k.m.Load(id)
	if !ok {
		return AgendaHead{}, false
	}
	e := v.(*keptHead)
	if e.gen != agendaWrites.Load() || time.Since(e.began) >= freshness {
		return AgendaHead{}, false
	}
	return e.head, true
}

func (k *keptHeads) put(id string, h AgendaHead, gen uint64, began time.Time) {
	if gen != agendaWrites.Load() {
		return // a write happened during the read: keep nothing
	}
	if _, loaded := k.m.Swap(id, &keptHead{head: h, gen: gen, began: began}); !loaded && k.n.Add(1) > maxKeptHeads {
		k.m.Clear()
		k.n.Store(0)
	}
}

const headQuery = `SELECT public, agenda_revision FROM meetings WHERE id = $1`

// fetch reads the head of meeting id (one indexed read: meetings' primary key).
func (g *headReads) fetch(ctx context.Context, d *db.DB, id string) (AgendaHead, error) {
	var h AgendaHead
	var err error
	if st := g.stmt(ctx, d); st != nil {
		err = st.QueryRowContext(ctx, id).Scan(&h.Public, &h.Revision)
	} else {
		err = d.QueryRowContext(ctx, headQuery, id).Scan(&h.Public, &h.Revision)
	}
	if db.NotFound(err) {
		return h, problem.NotFound("meeting", id)
	}
	if err != nil {
		return h, fmt.Errorf("read agenda revision of %s: %w", id, err)
	}
	return h, nil
}

// headStmt is the head query prepared once: on SQLite, parsing the query cost as much as
// running it (pgx keeps prepared statements per connection by itself). Nil when it
// cannot be prepared now; the plain query then serves and the next call tries again.
func (g *headReads) stmt(ctx context.Context, d *db.DB) *sql.Stmt {
	g.prepMu.Lock()
	defer g.prepMu.Unlock()
	if g.prepared == nil {
		st, err := d.PrepareContext(ctx, headQuery)
		if err != nil {
			return nil
		}
		g.prepared = st
	}
	return g.prepared
}

// headReads coalesces concurrent reads of one meeting's head without serving stale ones.
// A request that finds a read in flight does not take its answer: that read began before
// the request arrived and may predate a write the request must see. It joins the next
// read instead, which starts as soon as the one in flight ends and serves every request
// that arrived meanwhile. So at most two reads per meeting are ever outstanding, however
// many requests wait, and each answer is at least as new as its request. (What is kept
// after a read is keptHeads' business.)
type headReads struct {
	mu       sync.Mutex
	meetings map[string]*headQueue

	prepMu   sync.Mutex
	prepared *sql.Stmt
}

type headQueue struct {
	running, next *headRead
}

type headRead struct {
	done chan struct{}
	head AgendaHead
	err  error
}

func newHeadReads() *headReads { return &headReads{meetings: map[string]*headQueue{}} }

func (g *headReads) read(ctx context.Context, id string, fetch func(context.Context, string) (AgendaHead, error)) (AgendaHead, error) {
	g.mu.Lock()
	q := g.meetings[id]
	if q == nil {
		q = &headQueue{}
		g.meetings[id] = q
	}
	if q.running == nil {
		r := &headRead{done: make(chan struct{})}
		q.running = r
		g.mu.Unlock()
		g.run(ctx, id, q, r, fetch)
		return r.head, r.err
	}
	r, lead := q.next, false
	if r == nil {
		r, lead = &headRead{done: make(chan struct{})}, true
		q.next = r
	}
	prev := q.running
	g.mu.Unlock()
	if lead {
		// The first to queue runs the next read once the one in flight has ended (even if
		// its own request gives up meanwhile: others wait on this read).
		<-prev.done
		g.mu.Lock()
		q.running, q.next = r, nil
		g.mu.Unlock()
		g.run(ctx, id, q, r, fetch)
		return r.head, r.err
	}
	select {
	case <-r.done:
		return r.head, r.err
	case <-ctx.Done():
		return AgendaHead{}, ctx.Err()
	}
}

// run performs r, then retires it (and the meeting's queue when nothing waits).
func (g *headReads) run(ctx context.Context, id string, q *headQueue, r *headRead, fetch func(context.Context, string) (AgendaHead, error)) {
	// The read serves others too: one request giving up must not fail them. Its deadline
	// (the request's budget) still holds, so a frozen database fails the read in time.
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(headReadTimeout)
	}
	rctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), dl)
	r.head, r.err = fetch(rctx, id)
	cancel()
	g.mu.Lock()
	if q.next == nil {
		delete(g.meetings, id)
	}
	// Otherwise r stays the running read until the next one's leader takes over, so that
	// a request arriving in between joins that next read instead of starting a third.
	g.mu.Unlock()
	close(r.done)
}

// headReadTimeout bounds a shared read whose leading request had no deadline.
const headReadTimeout = 5 * time.Second

// headKey is where the public-agenda check leaves the head it read for the handler, so a
// request reads it once.
const headKey = "agenda.head"

// PublishedMeeting is the access check of a public route: it opens the route to everyone
// when the meeting named by the path parameter is public, and leaves the head it read for
// the agenda handler.
func (s *Service) PublishedMeeting(param string) func(ctx context.Context, c *gin.Context) (bool, error) {
	return func(ctx context.Context, c *gin.Context) (bool, error) {
		id := c.Param(param)
		h, err := s.AgendaHead(ctx, id)
		if err != nil {
			return false, err
		}
		c.Set(headKey, headOf{id: id, head: h})
		return h.Public, nil
	}
}

type headOf struct {
	id   string
	head AgendaHead
}

// headFor returns the head read earlier in this request, or reads it.
func (s *Service) headFor(c *gin.Context, id string) (AgendaHead, error) {
	if v, ok := c.Get(headKey); ok {
		if h, ok := v.(headOf); ok && h.id == id {
			return h.head, nil
		}
	}
	return s.AgendaHead(c, id)
}
