package notifier

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// killLease is the lease of the notifier processes of TestKill9OnSQLiteRepeatsAtMostOne.
const killLease = 2 * time.Second

// killedNotifier builds the notifier the processes of the kill test run: eight workers,
// small batches and a short lease, sending to host:port.
func killedNotifier(t testing.TB, d *db.DB, host string, port int) *Notifier {
	t.Helper()
	return notifierTo(t, d, host, port, func(c *Config) {
		c.Concurrency, c.Batch, c.Lease = 8, 10, killLease
		c.Now = nil // the real clock: the processes' leases run out in real time
	})
}

// TestKilledNotifierProcess is the process TestKill9OnSQLiteRepeatsAtMostOne kills: it
// sends every due reminder of the database it is given until it is killed.
func TestKilledNotifierProcess(t *testing.T) {
	path := os.Getenv("PLENARY_KILL_DB")
	if path == "" {
		t.Skip("the process of TestKill9OnSQLiteRepeatsAtMostOne; runs only under it")
	}
	port, _ := strconv.Atoi(os.Getenv("PLENARY_KILL_SMTP_PORT"))
	d, err := db.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := killedNotifier(t, d, os.Getenv("PLENARY_KILL_SMTP_HOST"), port)
	for {
		if _, err := n.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// A real notifier process on an SQLite file, killed with SIGKILL in the middle of a
// fan-out of 600 reminders (the hand-over records are lines in its file beside the
// database, not commits): once its lease has run out, a new process sends what it left.
// The mail server receives every reminder, and at most one of them twice.
func TestKill9OnSQLiteRepeatsAtMostOne(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a process")
	}
	const total, killAt = 600, 150
	d := dbtest.Open(t, db.SQLite)
	seedDue(t, d, total, time.Now().UTC().Truncate(time.Second), "plenary.test")
	var (
		mu       sync.Mutex
		received = map[string]int{}
		arrivals int
		killed   = make(chan struct{})
		once     sync.Once
	)
	sink := smtptest.Start(t, smtptest.WithDiscard(), smtptest.WithOnData(func(data []byte) {
		mu.Lock()
		received[string(messageID(data))]++
		arrivals++
		n := arrivals
		mu.Unlock()
		if n >= killAt {
			once.Do(func() { close(killed) })
		}
	}))
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledNotifierProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PLENARY_KILL_DB="+d.Path, "PLENARY_KILL_SMTP_HOST="+sink.Host, "PLENARY_KILL_SMTP_PORT="+strconv.Itoa(sink.Port))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-killed:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the notifier process sent fewer than its share before the kill")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	mu.Lock()
	atKill := arrivals
	mu.Unlock()
	if atKill >= total {
		t.Fatalf("the process sent all %d before the kill; nothing was left to take over", atKill)
	}

	// A new process on the same database once the dead one's lease has run out.
	time.Sleep(killLease + 500*time.Millisecond)
	n := killedNotifier(t, d, sink.Host, sink.Port)
	for range 3 {
		if _, err := n.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	dups := 0
	for id, c := range received {
		if c > 1 {
			dups += c - 1
			t.Logf("%s arrived %d times", id, c)
		}
	}
	var sent int
	if err := d.QueryRow(`SELECT COUNT(*) FROM notifier_deliveries WHERE state = 'sent'`).Scan(&sent); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d arrivals before the kill, %d in all, %d distinct, %d repeated", atKill, arrivals, len(received), dups)
	if len(received) != total || sent != total {
		t.Fatalf("%d distinct reminders arrived and %d rows are sent, want %d of each", len(received), sent, total)
	}
	if dups > 1 {
		t.Fatalf("a kill repeated %d reminders, want at most one", dups)
	}
	if left, _ := os.ReadDir(d.Path + "-sent"); len(left) > 1 {
		// The new process removed its own at the end of its tick; the dead one's is
		// collected two leases after its last line.
		t.Fatalf("%d record files beside the database, want at most the dead process's: %v", len(left), fmt.Sprint(left))
	}
}
