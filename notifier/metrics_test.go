package notifier_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// lockedBuffer collects log lines written from several workers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

// A temporary refusal (421 on every attempt of the sender) puts the email back for a
// later tick and counts as retried; a permanent one (550) fails it for good. Each sent,
// retried and failed email is one log line naming the delivery, never an address, even
// where the SMTP server's reply quotes the recipient.
func TestMetricsCountRetriedAndFailedAndLogsWithoutAddresses(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		registry := prometheus.NewRegistry()
		m, err := notifier.NewMetrics(registry)
		if err != nil {
			t.Fatal(err)
		}
		var logs lockedBuffer
		r := newRig(t, d, func(c *notifier.Config) {
			c.Metrics = m
			c.Log = slog.New(slog.NewJSONHandler(&logs, nil))
		})
		r.seed(reg("a", "en", "UTC", false), reg("b", "fr", "Europe/Paris", false))
		// The rig's sender tries twice: both attempts of the first email are refused.
		r.smtp.FailNext(2, 421, "4.2.2 <a@example.org>: mailbox busy, try later")
		if st := r.tick(t0); st.Sent != 1 || st.Retried != 1 {
			t.Fatalf("first tick: %+v, want one sent and one retried", st)
		}
		r.smtp.FailNext(1, 550, "5.1.1 <a@example.org>: no such user")
		if st := r.tick(t0.Add(time.Minute)); st.Failed != 1 || st.Sent != 0 {
			t.Fatalf("second tick: %+v, want the retried email failed", st)
		}
		got := map[string]float64{}
		mfs, err := registry.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if c := mf.GetMetric()[0].GetCounter(); c != nil {
				got[mf.GetName()] = c.GetValue()
			}
		}
		for name, want := range map[string]float64{
			"plenary_notifier_mails_sent_total": 1, "plenary_notifier_mails_retried_total": 1,
			"plenary_notifier_mails_failed_total": 1, "plenary_notifier_mails_missed_total": 0,
		} {
			if got[name] != want {
				t.Errorf("%s = %v, want %v", name, got[name], want)
			}
		}
		perMail := map[string]int{}
		for _, line := range logs.lines() {
			if strings.Contains(line, "@example.org") {
				t.Errorf("a log line carries an address: %s", line)
			}
			var rec struct {
				Msg      string `json:"msg"`
				Delivery string `json:"delivery"`
				Error    string `json:"error"`
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			if strings.HasPrefix(rec.Msg, "mail ") {
				perMail[rec.Msg]++
				if rec.Delivery == "" {
					t.Errorf("%q names no delivery: %s", rec.Msg, line)
				}
				if rec.Msg != "mail sent" && !strings.Contains(rec.Error, "<address>") {
					t.Errorf("%q: the server's reply should be logged with the address left out: %s", rec.Msg, line)
				}
			}
		}
		want := map[string]int{"mail sent": 1, "mail failed, will retry": 1, "mail failed": 1}
		for k, v := range want {
			if perMail[k] != v {
				t.Errorf("%d lines %q, want %d (all: %v)", perMail[k], k, v, perMail)
			}
		}
	})
}
