package interpretation

import (
	"testing"
	"time"

	"github.com/plenary/plenary/scheduler/interp"
)

// A policy's own offer terms set the deadlines: a custom policy that gives 24 hours to
// answer and wants answers 36 hours before the session.
func TestDeadlinesFollowThePolicy(t *testing.T) {
	p := interp.AIIC()
	p.Name = "custom"
	p.Offers = interp.OfferTerms{AnswerWithinMinutes: 24 * 60, MinNoticeMinutes: 36 * 60}
	terms := termsOf(p)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		start time.Time
		want  time.Time
	}{
		// Far ahead: 24 hours to answer.
		{"five days ahead", now.Add(5 * 24 * time.Hour), time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)},
		// 48 hours ahead: answers 36 hours before the session, so 12 hours to answer.
		{"two days ahead", now.Add(48 * time.Hour), time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)},
		// 30 hours ahead, nearer than the notice: half the time left, 15 hours.
		{"thirty hours ahead", now.Add(30 * time.Hour), time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := terms.DeadlineFor(now, c.start, nil)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: deadline %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	// The standard policies keep the terms of the README: 48 hours, 72 hours' notice.
	for _, name := range []string{"aiic", "un", ""} {
		if got := offerTerms(name); got.AnswerWithin != 48*time.Hour || got.MinNotice != 72*time.Hour {
			t.Errorf("policy %q: %+v", name, got)
		}
	}
}
