package notifier

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/plenary/plenary/bench"
	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/notifier/render"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
)

// benchCount is the number of reminders: PLENARY_BENCH_REMINDERS, 100,000 by default.
func benchCount() int {
	if v, err := strconv.Atoi(os.Getenv("PLENARY_BENCH_REMINDERS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// peakRSS samples the process's resident set (VmRSS: heap, stacks, the runtime's
// reserves, the SQLite page cache and everything else) until stop is closed and returns
// the highest value seen, in bytes.
func peakRSS(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, rss())
			select {
			case <-stop:
				out <- max(peak, rss())
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// benchReaders are the 40 locale and zone pairs of the registrants: the seven languages
// of the catalogue with regional variants, each where its readers live.
var benchReaders = [40][2]string{
	{"en", "Europe/London"}, {"en", "America/New_York"}, {"en-GB", "Europe/London"}, {"en", "Asia/Singapore"}, {"en", "Africa/Nairobi"},
	{"en", "Australia/Sydney"}, {"en", "Asia/Kolkata"}, {"en", "America/Toronto"}, {"fr", "Europe/Paris"}, {"fr", "Europe/Brussels"},
	{"fr-CA", "America/Montreal"}, {"fr", "Africa/Dakar"}, {"fr", "Africa/Abidjan"}, {"fr-CH", "Europe/Zurich"}, {"es", "Europe/Madrid"},
	{"es-MX", "America/Mexico_City"}, {"es", "America/Bogota"}, {"es-AR", "America/Argentina/Buenos_Aires"}, {"es", "America/Lima"}, {"es-CL", "America/Santiago"},
	{"ar", "Asia/Riyadh"}, {"ar", "Africa/Cairo"}, {"ar", "Asia/Dubai"}, {"ar-MA", "Africa/Casablanca"}, {"ar", "Asia/Amman"},
	{"zh", "Asia/Shanghai"}, {"zh-TW", "Asia/Taipei"}, {"zh-HK", "Asia/Hong_Kong"}, {"zh", "Asia/Singapore"}, {"ru", "Europe/Moscow"},
	{"ru", "Asia/Almaty"}, {"ru", "Asia/Novosibirsk"}, {"ru", "Asia/Tashkent"}, {"pt", "Europe/Lisbon"}, {"pt-BR", "America/Sao_Paulo"},
	{"pt", "Africa/Maputo"}, {"pt", "Africa/Luanda"}, {"pt-BR", "America/Manaus"}, {"en", "Pacific/Auckland"}, {"fr", "Indian/Reunion"},
}

// benchSessions is the number of sessions the reminders are spread over.
const benchSessions = 200

// seedDue writes a meeting of benchSessions sessions (a fortnight of sittings in Geneva,
// titled in three languages) and n registrants, each reading in one of the 40 locale and
// zone pairs and reminded of one session, all due at due. Rows go in by multi-row inserts
// of 100 (700 parameters), well inside either engine's limits.
func seedDue(b testing.TB, d *db.DB, n int, due time.Time, domain string) {
	b.Helper()
	ctx := context.Background()
	st := &store{db: d}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := st.upsertMeeting(ctx, tx, contracts.Meeting{ID: "m", Title: contracts.Text{"en": "Forum on Sustainable Development", "fr": "Forum sur le développement durable", "es": "Foro sobre el Desarrollo Sostenible"},
			VenueTZ: "Europe/Zurich", DefaultLang: "en", Version: 1}, false); err != nil {
			return err
		}
		for j := range benchSessions {
			start := due.Add(time.Hour + time.Duration(j/4)*24*time.Hour + time.Duration(j%4)*3*time.Hour)
			x := contracts.Session{ID: fmt.Sprintf("s%03d", j), MeetingID: "m",
				Title:    contracts.Text{"en": fmt.Sprintf("Plenary meeting %d", j+1), "fr": fmt.Sprintf("%de séance plénière", j+1), "es": fmt.Sprintf("Sesión plenaria %d", j+1)},
				StartUTC: start, EndUTC: start.Add(2 * time.Hour), TZ: "Europe/Zurich", Status: "scheduled", ScheduleVersion: 1, Version: 1}
			if _, err := st.upsertSession(ctx, tx, x, ""); err != nil {
				return err
			}
		}
		const chunk = 100
		for lo := 0; lo < n; lo += chunk {
			hi := min(n, lo+chunk)
			var regs, dels []string
			var rargs, dargs []any
			for i := lo; i < hi; i++ {
				id := fmt.Sprintf("r%06d", i)
				session := fmt.Sprintf("s%03d", i%benchSessions)
				reader := benchReaders[(i/benchSessions+i)%len(benchReaders)]
				k := len(rargs)
				regs = append(regs, fmt.Sprintf("($%d,'m',$%d,$%d,$%d,$%d,'[]',TRUE,FALSE,FALSE,1)", k+1, k+2, k+3, k+4, k+5))
				rargs = append(rargs, id, benchName(i), id+"@example.org", reader[0], reader[1])
				key := "reminder|registration:" + id + "|" + session + "|24h|v1"
				k = len(dargs)
				dels = append(dels, fmt.Sprintf("($%d,$%d,'reminder',$%d,'m',$%d,'24h',1,$%d,'planned','{}',$%d,$%d,$%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8))
				dargs = append(dargs, "d"+id, key, "registration:"+id, session, due, mail.MessageID(key, domain), due, due)
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

// benchName is a registrant's name as a roster prints it, from several scripts.
func benchName(i int) string {
	names := []string{"Amina Diallo", "Kenji Watanabe", "Lucía Fernández", "Nguyễn Thị Lan", "Олег Петров", "فاطمة الزهراء", "王小明", "João Pereira", "Chloé Lefèvre", "Siobhán O'Brien"}
	return fmt.Sprintf("%s %d", names[i%len(names)], i)
}

const benchConcurrency = 8

// benchProcesses is how many notifier processes share the wave in the scale-out run.
const benchProcesses = 4

// BenchmarkReminders100k sends PLENARY_BENCH_REMINDERS (100,000) reminders over 200
// sessions and 40 locale and zone pairs, all due at once, through the notifier's
// claim/render/send/mark loop to a local SMTP sink; and, alternating with it (the plain
// sender first), the same number of messages through a plain go-mail client loop with the
// same concurrency: bench.Rounds rounds each, medians compared. The peak resident set of
// the process during the notifier's runs must stay within 256 MB.
// PLENARY_BENCH_DB=postgres runs the notifier on PostgreSQL (SQLite by default).
func BenchmarkReminders100k(b *testing.B) {
	n := benchCount()
	dialect := db.SQLite
	if os.Getenv("PLENARY_BENCH_DB") == "postgres" {
		dialect = db.Postgres
	}
	sink := smtptest.Start(b, smtptest.WithDiscard())
	due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var sample mail.Message
	var peaks []float64
	// notifierSide sends the wave with procs notifier processes (each its own owner,
	// hand-over gate and SMTP connections, benchConcurrency/procs workers each), ticking
	// at once on the same database.
	notifierSide := func(procs int) func() (float64, error) {
		return func() (float64, error) {
			d, dsn := dbtest.OpenDSN(b, dialect)
			defer d.Close()
			seedDue(b, d, n, due, "plenary.test")
			nts := make([]*Notifier, procs)
			for i := range nts {
				pd := d
				if i > 0 { // a process of its own has a connection pool of its own
					var err error
					if pd, err = db.Open(context.Background(), dsn); err != nil {
						return 0, err
					}
					defer pd.Close()
				}
				nt, closeSender, err := benchNotifier(pd, sink, due, benchConcurrency/procs)
				if err != nil {
					return 0, err
				}
				defer closeSender()
				nts[i] = nt
			}
			// Return what earlier rounds and the seeding left to the OS, so the peak is
			// this round's: a notifier process holds no seeding buffers nor other rounds'
			// databases.
			debug.FreeOSMemory()
			received := sink.Count()
			stop := make(chan struct{})
			peak := peakRSS(stop)
			sent := make([]int, procs)
			errs := make([]error, procs)
			var wg sync.WaitGroup
			began := time.Now()
			for i, nt := range nts {
				wg.Go(func() {
					st, err := nt.Tick(context.Background())
					sent[i], errs[i] = st.Sent, err
				})
			}
			wg.Wait()
			took := time.Since(began)
			close(stop)
			if procs == 1 {
				peaks = append(peaks, float64(<-peak)/(1<<20))
			}
			total := 0
			for i := range nts {
				if errs[i] != nil {
					return 0, errs[i]
				}
				total += sent[i]
			}
			if total != n {
				return 0, fmt.Errorf("sent %d of %d", total, n)
			}
			if got := sink.Count() - received; got != n {
				return 0, fmt.Errorf("the SMTP server received %d of %d", got, n)
			}
			if sample.Subject == "" {
				var err error
				if sample, err = nts[0].sample(context.Background()); err != nil {
					return 0, err
				}
			}
			return float64(n) / took.Seconds(), nil
		}
	}
	plainSide := func() (float64, error) {
		if sample.Subject == "" {
			// The baseline sends a reminder the notifier rendered: render one first.
			if _, err := notifierSideOnce(b, sink, due, &sample); err != nil {
				return 0, err
			}
		}
		took, err := plainSend(sink.Host, sink.Port, n, sample)
		if err != nil {
			return 0, err
		}
		return float64(n) / took.Seconds(), nil
	}
	for b.Loop() {
		peaks = peaks[:0]
		p, err := bench.Alternate(bench.Rounds(), notifierSide(1), plainSide)
		if err != nil {
			b.Fatal(err)
		}
		bench.Record(b, bench.AtLeast(fmt.Sprintf("notifier, %d reminders over %d sessions and %d locale/zone pairs (%s)", n, benchSessions, len(benchReaders), dialect),
			"msg/s", "plain go-mail sender", p, 0.8))
		bench.Record(b, bench.Below("notifier peak RSS while sending", "MB", peaks, 256, true))
		if dialect == db.Postgres {
			// On PostgreSQL one process hands over one email per (reply to the dot + one
			// commit). Several processes, each with its own gate (a kill still repeats at
			// most one email), share the wave: four of two workers hold as many SMTP
			// connections as the plain sender's eight. Reported, no goal: it says whether
			// the gate or what the processes share (the database, the CPUs) is the limit.
			p, err := bench.Alternate(bench.Rounds(), notifierSide(benchProcesses), plainSide)
			if err != nil {
				b.Fatal(err)
			}
			row := bench.AtLeast(fmt.Sprintf("notifier, %d processes of %d workers, %d reminders (%s)", benchProcesses, benchConcurrency/benchProcesses, n, dialect),
				"msg/s", "plain go-mail sender", p, 0)
			row.Goal, row.Met = "reported", true
			bench.Record(b, row)
		}
	}
}

// notifierSideOnce renders and sends a few reminders to have a sample for the baseline.
func notifierSideOnce(b testing.TB, sink *smtptest.Server, due time.Time, sample *mail.Message) (int, error) {
	d := dbtest.Open(b, db.SQLite)
	defer d.Close()
	seedDue(b, d, len(benchReaders), due, "plenary.test")
	nt, closeSender, err := benchNotifier(d, sink, due, 0)
	if err != nil {
		return 0, err
	}
	defer closeSender()
	st, err := nt.Tick(context.Background())
	if err != nil {
		return 0, err
	}
	*sample, err = nt.sample(context.Background())
	return st.Sent, err
}

// plainSend is the baseline: n copies of an email of the same size (text and HTML parts)
// built directly with go-mail and sent with one connection per worker, benchConcurrency
// workers: no database, no rendering, no state.
func plainSend(host string, port, n int, sample mail.Message) (time.Duration, error) {
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
		return 0, fmt.Errorf("plain sender: %d failures", failed.Load())
	}
	return time.Since(began), nil
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

// benchNotifier is a notifier on d sending to sink at the clock due, with workers
// sending workers (0: the default) and as many idle SMTP connections; the returned func
// closes its sender.
func benchNotifier(d *db.DB, sink *smtptest.Server, due time.Time, workers int) (*Notifier, func(), error) {
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.TLSNone, HELO: "plenary.test", MaxIdle: max(workers, 2)})
	if err != nil {
		return nil, nil, err
	}
	r, err := render.New()
	if err != nil {
		sender.Close()
		return nil, nil, err
	}
	keys, _ := signed.NewRandomKeys()
	nt, err := New(Config{DB: d, Sender: sender, Renderer: r, Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
		From: mail.Address{Name: "Plenary", Email: "notices@plenary.example.org"}, MessageDomain: "plenary.test",
		Now: func() time.Time { return due }, Concurrency: workers})
	if err != nil {
		sender.Close()
		return nil, nil, err
	}
	return nt, func() { sender.Close() }, nil
}
