package agenda

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/plenary/plenary/services/platform/db"
)

// Service is the agenda's domain: it validates, applies the rules and writes each change
// with its event in one transaction.
type Service struct {
	db    *db.DB
	store *store
	now   func() time.Time
	// committed is called after each committed write, to wake the outbox relay.
	committed func()
	cache     *agendaCache
	// headFreshness bounds how long a meeting's head is served from memory.
	headFreshness time.Duration
	// interpretation, when set, gives the agenda the interpretation checker's verdict.
	interpretation InterpretationStatusFunc
	// validators are meetings as new sessions were last validated against them (see
	// validator): a creation costs no read of its meeting while the meeting is unchanged.
	validators *lru.Cache[string, Meeting]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write.
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// NewService returns the agenda service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	validators, err := lru.New[string, Meeting](1024)
	if err != nil {
		panic(err) // only for a size <= 0
	}
	s := &Service{db: d, store: &store{db: d}, now: time.Now, committed: func() {}, cache: newAgendaCache(512),
		headFreshness: DefaultHeadFreshness, validators: validators}
	for _, o := range opts {
		o(s)
	}
	return s
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// tx runs fn in a transaction and signals the relay after a commit.
// Every write retires the meeting heads kept in memory, before its caller hears of it.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	err := s.db.Tx(ctx, fn)
	agendaWritten()
	if err != nil {
		return err
	}
	s.committed()
	return nil
}
