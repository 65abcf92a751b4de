package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the request rates Enforce allows. Zero fields take the defaults; a negative
// rate turns that limit off (tests, benchmarks).
type Limits struct {
	PerToken   rate.Limit // requests a second per secretariat token
	TokenBurst int
	PerIP      rate.Limit // requests a second per client address without a token
	IPBurst    int
	// MaxKeys bounds the memory of each limiter set (tokens, addresses).
	MaxKeys int
}

// Default rates: a secretariat tool may be busy; an anonymous client (public agenda,
// signed links, failed tokens) gets far less.
const (
	DefaultPerToken   = 50
	DefaultTokenBurst = 200
	DefaultPerIP      = 5
	DefaultIPBurst    = 30
	DefaultMaxKeys    = 10000
)

type limitSpec struct {
	every rate.Limit
	burst int
	max   int
}

func (l Limits) max() int {
	if l.MaxKeys > 0 {
		return l.MaxKeys
	}
	return DefaultMaxKeys
}

func (l Limits) perToken() limitSpec {
	s := limitSpec{every: l.PerToken, burst: l.TokenBurst, max: l.max()}
	if s.every == 0 {
		s.every = DefaultPerToken
	}
	if s.burst <= 0 {
		s.burst = DefaultTokenBurst
	}
	return s
}

func (l Limits) perIP() limitSpec {
	s := limitSpec{every: l.PerIP, burst: l.IPBurst, max: l.max()}
	if s.every == 0 {
		s.every = DefaultPerIP
	}
	if s.burst <= 0 {
		s.burst = DefaultIPBurst
	}
	return s
}

// limiterSet is a token bucket per key with bounded memory: when full, it first drops
// buckets idle long enough to have refilled (forgetting them loses nothing), then an
// arbitrary one.
type limiterSet struct {
	spec limitSpec
	mu   sync.Mutex
	m    map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiterSet(s limitSpec) *limiterSet {
	return &limiterSet{spec: s, m: map[string]*bucket{}}
}

func (l *limiterSet) allow(key string, now time.Time) bool {
	if l.spec.every < 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.m[key]
	if !ok {
		if len(l.m) >= l.spec.max {
			l.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(l.spec.every, l.spec.burst)}
		l.m[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// evict makes room for one bucket; l.mu is held.
func (l *limiterSet) evict(now time.Time) {
	refill := time.Duration(float64(l.spec.burst) / float64(l.spec.every) * float64(time.Second))
	for k, b := range l.m {
		if now.Sub(b.seen) > refill {
			delete(l.m, k)
		}
	}
	for k := range l.m {
		if len(l.m) < l.spec.max {
			break
		}
		delete(l.m, k)
	}
}

func (l *limiterSet) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}
