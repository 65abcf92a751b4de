package notifier

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the notifier's Prometheus series: mails by outcome, the due-to-sent lag and
// the queue of due rows. NewMetrics registers them on the process's own registry.
type Metrics struct {
	sent, failed, retried, cancelled, missed prometheus.Counter
	lag                                      prometheus.Histogram
	depth                                    prometheus.Gauge
	// eventLag is the time from an event (an agenda change) to the notifier having
	// applied it to its projection and plans: what a registrant waits for a new reminder.
	eventLag prometheus.Histogram
}

// NewMetrics registers the notifier's series on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "plenary_notifier_" + name, Help: help})
	}
	m := &Metrics{
		sent:      counter("mails_sent_total", "Mails the SMTP server accepted (marked sent)."),
		failed:    counter("mails_failed_total", "Mails that failed for good (permanent SMTP error or attempts used up)."),
		retried:   counter("mails_retried_total", "Temporary failures put back to planned for a later tick."),
		cancelled: counter("mails_cancelled_total", "Deliveries dropped at send time (recipient gone, session moved or cancelled)."),
		missed:    counter("mails_missed_total", "Deliveries whose due time passed beyond the grace period before they could be sent."),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "plenary_notifier_send_lag_seconds",
			Help:    "Time from a delivery's due time to the SMTP server's acceptance.",
			Buckets: []float64{.1, .5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 900},
		}),
		eventLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "plenary_notifier_event_lag_seconds",
			Help:    "Time from an event's occurred_at to the notifier having applied it.",
			Buckets: []float64{.001, .002, .005, .01, .015, .02, .03, .05, .075, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		depth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "plenary_notifier_queue_depth",
			Help: "Deliveries due and not yet sent (planned or sending), counted after each tick.",
		}),
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.sent, m.failed, m.retried, m.cancelled, m.missed, m.lag, m.depth, m.eventLag} {
		if err := reg.Register(c); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("register notifier metrics: %w", err)
	}
	return m, nil
}

// applied observes the lag of an event the consumer has applied.
func (m *Metrics) applied(occurred, now time.Time) {
	if m != nil {
		m.eventLag.Observe(max(now.Sub(occurred), 0).Seconds())
	}
}

func (m *Metrics) delivered(state string, lag time.Duration) {
	switch state {
	case Sent:
		m.sent.Inc()
		m.lag.Observe(max(lag, 0).Seconds())
	case Cancelled:
		m.cancelled.Inc()
	case Planned:
		m.retried.Inc()
	default:
		m.failed.Inc()
	}
}

// queueDepthSQL counts the rows due by $1 and not sent: one count per state, each a range
// of the queue index (state, due_at, id), whatever index serves the queue
// (TestDeliveryReadsUseTheirIndexes); with partial indexes per state a state IN (...)
// read every row, every email ever sent included.
const queueDepthSQL = `SELECT
	(SELECT COUNT(*) FROM notifier_deliveries WHERE state = 'planned' AND due_at <= $1) +
	(SELECT COUNT(*) FROM notifier_deliveries WHERE state = 'sending' AND due_at <= $1)`

// observeTick counts the rows still due once a tick is over: a depth that does not fall
// back to zero means the notifier does not keep up (or cannot send).
func (m *Metrics) observeTick(ctx context.Context, n *Notifier, _ TickStats) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dbTimeout)
	defer cancel()
	var depth int64
	err := n.cfg.DB.QueryRowContext(ctx, queueDepthSQL, n.now()).Scan(&depth)
	if err == nil {
		m.depth.Set(float64(depth))
	}
}

// addresses finds email addresses in an error text (an SMTP reply often quotes the
// recipient), so logs can leave them out.
var addresses = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+`)

// withoutAddresses is err's text with every email address replaced.
func withoutAddresses(err error) string {
	return addresses.ReplaceAllString(err.Error(), "<address>")
}
