package outbox_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/natsx"
	"github.com/plenary/plenary/services/platform/outbox"
)

// BenchmarkRelay measures events relayed per second from a committed outbox to an
// embedded JetStream server, including the ack wait and the published_at update.
func BenchmarkRelay(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, dialect)
			e, err := natsx.StartEmbedded(ctx, b.TempDir(), quiet)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			if _, err := natsx.EnsureStream(ctx, e.JetStream()); err != nil {
				b.Fatal(err)
			}
			ev := contracts.SessionEvent{Session: contracts.Session{ID: "s1", Title: contracts.Text{"en": "Plenary", "fr": "Plénière"}}}
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				for range b.N {
					if err := outbox.Emit(ctx, tx, contracts.SessionScheduled, "agenda", time.Now(), ev); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}

			r := outbox.NewRelay(d, e.JetStream(), quiet, outbox.WithPollInterval(time.Millisecond))
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			b.ResetTimer()
			go func() { done <- r.Run(rctx) }()
			for {
				n, err := outbox.Pending(ctx, d)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
