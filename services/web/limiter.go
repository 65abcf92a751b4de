package web

import (
	"sync"
	"time"
)

// Limits bound the registration form: registrations per client address and per email
// address within a window. They stop a flood from one place and a mailbox being flooded
// with confirmation requests; no outside captcha is involved.
type Limits struct {
	PerIP    int
	PerEmail int
	Window   time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.PerIP <= 0 {
		l.PerIP = 10
	}
	if l.PerEmail <= 0 {
		l.PerEmail = 3
	}
	if l.Window <= 0 {
		l.Window = 10 * time.Minute
	}
	return l
}

// limiter counts events per key in fixed windows. It keeps only keys of the current
// window, so its memory is bounded by one window's traffic.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	start  time.Time
	counts map[string]int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, counts: map[string]int{}}
}

// allow counts one event for key at now and reports whether it is within the limit.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window || now.Before(l.start) {
		l.start, l.counts = now, map[string]int{}
	}
	if l.counts[key] >= l.max {
		return false
	}
	l.counts[key]++
	return true
}
