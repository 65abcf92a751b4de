package notifier

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// benchCount is the number of reminders: PLENARY_BENCH_REMINDERS, 100,000 by default.
func benchCount() int {
	if v, err := strconv.Atoi(os.Getenv("PLENARY_BENCH_REMINDERS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// peakHeap samples the heap until stop is closed and returns the highest value seen.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse+ms.StackInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// seedDue writes n registrants of one session and one reminder each, all due at due.
func seedDue(b testing.TB, d *db.DB, n int, due time.Time, domain string) {
	b.Helper()
	ctx := context.Background()
	st := &store{db: d}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := st.upsertMeeting(ctx, tx, contracts.Meeting{ID: "m", Title: contracts.Text{"en": "Forum", "fr": "Forum"}, VenueTZ: "Europe/Zurich", DefaultLang: "en", Version: 1}, false); err != nil {
			return err
		}
		x := contracts.Session{ID: "s", MeetingID: "m", Title: contracts.Text{"en": "Opening"}, StartUTC: due.Add(time.Hour), EndUTC: due.Add(3 * time.Hour),
			TZ: "Europe/Zurich", Status: "scheduled", ScheduleVersion: 1, Version: 1}
		if _, err := st.upsertSession(ctx, tx, x, ""); err != nil {
			return err
		}
		locales := []string{"en", "fr-CA", "es", "ar"}
		zones := []string{"Europe/London", "America/Montreal", "America/Bogota", "Asia/Riyadh"}
		const chunk = 500
		for lo := 0; lo < n; lo += chunk {
			hi := min(n, lo+chunk)
			var regs, dels []string
			var rargs, dargs []any
			for i := lo; i < hi; i++ {
				id := fmt.Sprintf("r%06d", i)
				k := len(rargs)
				regs = append(regs, fmt.Sprintf("($%d,'m',$%d,$%d,$%d,$%d,'[]',TRUE,FALSE,FALSE,1)", k+1, k+2, k+3, k+4, k+5))
				rargs = append(rargs, id, "Person "+id, id+"@example.org", locales[i%4], zones[i%4])
				key := "reminder|registration:" + id + "|s|1h|v1"
				k = len(dargs)
				dels = append(dels, fmt.Sprintf("($%d,$%d,'reminder',$%d,'m','s','1h',1,$%d,'planned','{}',$%d,$%d,$%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7))
				dargs = append(dargs, "d"+id, key, "registration:"+id, due, mail.MessageID(key, domain), due, due)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_registrations (id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, deleted, version) VALUES `+strings.Join(regs, ","), rargs...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_deliveries (id, dedupe_key, kind, recipient, meeting_id, session_id, rule, schedule_version, due_at, state, payload, message_id, created_at, updated_at) VALUES `+strings.Join(dels, ","), dargs...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
}

const benchConcurrency = 8

// BenchmarkReminders100k sends PLENARY_BENCH_REMINDERS (100,000) reminders that are due at
// once, through the notifier's claim/render/send/mark loop, to a local SMTP sink; then the
// same number of messages through a plain go-mail client loop with the same concurrency.
// PLENARY_BENCH_DB=postgres runs the notifier on PostgreSQL (SQLite by default).
func BenchmarkReminders100k(b *testing.B) {
	n := benchCount()
	dialect := db.SQLite
	if os.Getenv("PLENARY_BENCH_DB") == "postgres" {
		dialect = db.Postgres
	}
	for b.Loop() {
		b.StopTimer()
		sink := smtptest.Start(b, smtptest.WithDiscard())
		d := dbtest.Open(b, dialect)
		due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		seedDue(b, d, n, due, "plenary.test")
		sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test", MaxIdle: benchConcurrency})
		if err != nil {
			b.Fatal(err)
		}
		r, err := render.New()
		if err != nil {
			b.Fatal(err)
		}
		keys, _ := signed.NewRandomKeys()
		nt, err := New(Config{DB: d, Sender: sender, Renderer: r, Links: registration.Linker{Keys: keys, BaseURL: "https://plenary.example.org"},
			From: mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test",
			Now: func() time.Time { return due }, Concurrency: benchConcurrency})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := make(chan struct{})
		peak := peakHeap(stop)
		b.StartTimer()

		began := time.Now()
		st, err := nt.Tick(context.Background())
		took := time.Since(began)

		b.StopTimer()
		close(stop)
		peakMB := float64(<-peak) / (1 << 20)
		if err != nil || st.Sent != n {
			b.Fatalf("sent %d of %d: %v", st.Sent, n, err)
		}
		sender.Close()

		// The baseline sends the same email (one of the rendered reminders) n times.
		sample, err := nt.sample(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		plain := plainSend(b, sink.Host, sink.Port, n, sample)
		rate, plainRate := float64(n)/took.Seconds(), float64(n)/plain.Seconds()
		b.ReportMetric(took.Seconds(), "notifier-s")
		b.ReportMetric(rate, "notifier-msg/s")
		b.ReportMetric(plainRate, "plain-msg/s")
		b.ReportMetric(rate/plainRate, "ratio")
		b.ReportMetric(peakMB, "peak-heap-MB")
		b.Logf("%s, %d reminders: notifier %.1fs (%.0f/s, peak heap %.0f MB); plain go-mail %.1fs (%.0f/s); ratio %.2f",
			dialect, n, took.Seconds(), rate, peakMB, plain.Seconds(), plainRate, rate/plainRate)
		b.StartTimer()
	}
}

// plainSend is the baseline: n copies of an email of the same size (text and HTML parts)
// built directly with go-mail and sent with one connection per worker, benchConcurrency
// workers: no database, no rendering, no state.
func plainSend(b *testing.B, host string, port, n int, sample mail.Message) time.Duration {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	began := time.Now()
	for w := range benchConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithHELO("plenary.test"))
			if err != nil {
				failed.Add(1)
				return
			}
			if err := c.DialWithContext(context.Background()); err != nil {
				failed.Add(1)
				return
			}
			defer c.Close()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				m := gomail.NewMsg()
				_ = m.From("notices@plenary.example.org")
				_ = m.To(fmt.Sprintf("r%06d@example.org", i))
				m.Subject(sample.Subject)
				m.SetMessageIDWithValue(fmt.Sprintf("plain-%d-%d@plenary.test", w, i))
				m.SetBodyString(gomail.TypeTextPlain, sample.Text)
				m.AddAlternativeString(gomail.TypeTextHTML, sample.HTML)
				if err := c.Send(m); err != nil {
					failed.Add(1)
					return
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		b.Fatalf("plain sender: %d failures", failed.Load())
	}
	return time.Since(began)
}

// sample renders one sent reminder, for the baseline.
func (n *Notifier) sample(ctx context.Context) (mail.Message, error) {
	ds, err := n.store.deliveries(ctx, n.cfg.DB, `state = 'sent' ORDER BY id LIMIT 1`)
	if err != nil || len(ds) == 0 {
		return mail.Message{}, fmt.Errorf("no sent delivery: %v", err)
	}
	w, err := n.load(ctx, n.cfg.DB, ds)
	if err != nil {
		return mail.Message{}, err
	}
	return n.compose(ds[0], w, ds[0].DueAt)
}
