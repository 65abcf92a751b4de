package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type relayMetrics struct {
	published  prometheus.Counter
	duplicates prometheus.Counter
	failures   prometheus.Counter
	lag        prometheus.Histogram
}

func newRelayMetrics() *relayMetrics {
	return &relayMetrics{
		published: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "plenary_outbox_published_total",
			Help: "Outbox events acknowledged by JetStream and marked published.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "plenary_outbox_duplicates_total",
			Help: "Publishes JetStream acknowledged as duplicates of a stored event (a repeat after a lost ack, crash or race).",
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "plenary_outbox_publish_failures_total",
			Help: "Publishes that got no JetStream acknowledgement; the event is retried.",
		}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "plenary_outbox_delivery_lag_seconds",
			Help:    "Time from an event's occurrence to its acknowledgement by JetStream.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
		}),
	}
}

// RegisterMetrics registers the relay's counters on reg, with a gauge of pending events
// that counts them on scrape. Pass the process's own registry, not the global one.
func (r *Relay) RegisterMetrics(reg prometheus.Registerer) error {
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "plenary_outbox_pending",
		Help: "Outbox events not yet acknowledged by JetStream.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := r.Pending(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	var errs []error
	for _, c := range []prometheus.Collector{r.metrics.published, r.metrics.duplicates, r.metrics.failures, r.metrics.lag, pending} {
		if err := reg.Register(c); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("register outbox metrics: %w", err)
	}
	return nil
}
