package api_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// BenchmarkCreate500SessionMeeting types a 500-session meeting in through the API, one
// POST per session, with the interpretation re-check consumer running beside the server
// as in `plenary api`. A session write no longer waits for the re-check of the meeting's
// staffing (which reads every session), so the 500th POST should cost about what the first
// does (target: at most twice). It reports the first and the 500th POST, the medians of
// the first and last ten, their ratio, and how long the re-checks took to catch up.
func BenchmarkCreate500SessionMeeting(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				d := dbtest.Open(b, dialect)
				first, last, med1, med500, settle := create500(b, d)
				b.ReportMetric(float64(first.Microseconds())/1000, "first-post-ms")
				b.ReportMetric(float64(last.Microseconds())/1000, "500th-post-ms")
				b.ReportMetric(float64(med1.Microseconds())/1000, "first10-median-ms")
				b.ReportMetric(float64(med500.Microseconds())/1000, "last10-median-ms")
				b.ReportMetric(float64(med500)/float64(med1), "ratio")
				b.ReportMetric(float64(settle.Milliseconds()), "recheck-catch-up-ms")
			}
		})
	}
}

func create500(b *testing.B, d *db.DB) (first, last, med1, med500, settle time.Duration) {
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, keys, links := newDeps(d, clock)
	e := startEnv(b, d, clock, deps, keys, links)
	e.followSessions()
	mid := e.createMeeting()
	lat := make([]time.Duration, 0, 500)
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 500 {
		// Ten sittings a day over fifty days: 09:00, 10:30 ... with the breaks between.
		start := fmt.Sprintf("%sT%02d:%02d", day.AddDate(0, 0, i/10).Format("2006-01-02"), 8+(i%10)*90/60, (i%10)*90%60)
		body := map[string]any{"title": map[string]string{"en": fmt.Sprintf("Sitting %d", i+1), "fr": fmt.Sprintf("Séance %d", i+1)},
			"start": start, "duration_min": 75, "floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "es", "ar"}}
		t0 := time.Now()
		r := e.do("POST", "/v1/meetings/"+mid+"/sessions", body)
		lat = append(lat, time.Since(t0))
		if r.Status != 201 {
			b.Fatalf("session %d: %d %s", i, r.Status, r.Body)
		}
	}
	t0 := time.Now()
	e.settledAgenda("/v1/meetings/"+mid+"/agenda", func(map[string]any) bool { return true })
	settle = time.Since(t0)
	median := func(xs []time.Duration) time.Duration {
		ys := slices.Clone(xs)
		slices.Sort(ys)
		return ys[len(ys)/2]
	}
	return lat[0], lat[499], median(lat[:10]), median(lat[490:]), settle
}
