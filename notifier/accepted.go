package notifier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// acceptLog is where the hand-over gate records that the mail server accepted a
// delivery's email, before the gate lets another email's end of data out. The record is
// what keeps a kill from repeating more than one email: a row left in sending by a
// process that stopped is sent again unless its record says the server already has it.
//
// On PostgreSQL (and an in-memory SQLite) the record is the row's sent_at, one small
// update per email: every notifier process, on any host, reads it. On an SQLite file,
// which only processes on its own host can open, the record is one line appended to a
// file of this process beside the database (PATH-sent/OWNER.log): one write(2) instead
// of a commit. An SQLite commit is the one writer's turn, which the gate holder had to
// wait for behind the other workers' claims, reads and batch moves, so the gate was held
// about 100 µs per email for the commit alone and the whole process sent at the rate of
// that one serialised step (the notifier benchmark: 0.54 of a plain sender with the
// commit, 0.80 with the line). Both records survive a kill of the process: the WAL
// with synchronous=NORMAL and the file's line are both in the kernel once the call
// returns, neither is synced, so a power loss can lose the last records of either.
type acceptLog interface {
	// record notes that the server accepted the email of delivery id at at.
	record(ctx context.Context, id string, at time.Time) error
	// recover, in a claim's transaction, turns the records of processes whose leases
	// have run out into sent_at, so that the claim finishes those rows instead of
	// sending them again.
	recover(ctx context.Context, tx *sql.Tx, now time.Time) error
	// settle runs after a tick: once this process holds no row in sending, its records
	// are no longer needed.
	settle(ctx context.Context, q querier)
	// collect removes the records of processes that hold no rows any more.
	collect(ctx context.Context, q querier)
}

// dbAccepts records acceptance in the row itself (sent_at).
type dbAccepts struct{ store *store }

func (l dbAccepts) record(ctx context.Context, id string, at time.Time) error {
	return l.store.recordSent(ctx, id, at)
}
func (dbAccepts) recover(context.Context, *sql.Tx, time.Time) error { return nil }
func (dbAccepts) settle(context.Context, querier)                   {}
func (dbAccepts) collect(context.Context, querier)                  {}

// fileAccepts appends "ID<TAB>UNIX-MICROSECONDS\n" lines to dir/OWNER.log. The file is
// opened at the first record of a tick and removed once the tick's rows have all moved
// to sent; a process killed mid-tick leaves it for the claim that takes its rows over.
type fileAccepts struct {
	dir, owner string
	lease      time.Duration
	fallback   dbAccepts // for an id a line cannot hold (never one of ours)

	mu sync.Mutex
	f  *os.File
}

func newFileAccepts(dbPath, owner string, lease time.Duration, s *store) *fileAccepts {
	return &fileAccepts{dir: dbPath + "-sent", owner: owner, lease: lease, fallback: dbAccepts{s}}
}

func (l *fileAccepts) path(owner string) string { return filepath.Join(l.dir, owner+".log") }

func (l *fileAccepts) record(ctx context.Context, id string, at time.Time) error {
	if id == "" || strings.ContainsAny(id, "\t\n") {
		return l.fallback.record(ctx, id, at)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		if err := os.MkdirAll(l.dir, 0o750); err != nil {
			return fmt.Errorf("record delivery %s sent: %w", id, err)
		}
		f, err := os.OpenFile(l.path(l.owner), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("record delivery %s sent: %w", id, err)
		}
		l.f = f
	}
	// One write(2): once it returns the line is the kernel's, whatever becomes of this
	// process.
	line := make([]byte, 0, len(id)+24)
	line = append(line, id...)
	line = append(line, '\t')
	line = strconv.AppendInt(line, at.UnixMicro(), 10)
	line = append(line, '\n')
	if _, err := l.f.Write(line); err != nil {
		return fmt.Errorf("record delivery %s sent: %w", id, err)
	}
	return nil
}

func (l *fileAccepts) settle(ctx context.Context, q querier) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return
	}
	// Rows still in sending (a batch move that failed, a tick cut short) keep their
	// records until a claim has finished them.
	if held, err := holds(ctx, q, l.owner); err != nil || held {
		return
	}
	_ = l.f.Close()
	l.f = nil
	_ = os.Remove(l.path(l.owner))
}

// readAccepted reads the records of owner's file: delivery id to the instant the server
// accepted it. A line that does not parse (the tail of a file cut by a power loss) is
// skipped: its row is sent again, as it would be without a record.
func readAccepted(path string) (map[string]time.Time, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	rest := string(b)
	for {
		line, after, whole := strings.Cut(rest, "\n")
		if !whole {
			break // no newline: not a whole record
		}
		rest = after
		id, micros, ok := strings.Cut(line, "\t")
		us, err := strconv.ParseInt(micros, 10, 64)
		if !ok || err != nil || id == "" {
			continue
		}
		out[id] = time.UnixMicro(us).UTC()
	}
	return out, nil
}

func (l *fileAccepts) recover(ctx context.Context, tx *sql.Tx, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT lease_owner FROM notifier_deliveries
		WHERE state = 'sending' AND lease_owner IS NOT NULL AND lease_until <= $1 AND sent_at IS NULL`, now)
	if err != nil {
		return fmt.Errorf("read stopped notifiers: %w", err)
	}
	var owners []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return fmt.Errorf("read stopped notifiers: %w", err)
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read stopped notifiers: %w", err)
	}
	for _, owner := range owners {
		if owner == "" || strings.ContainsAny(owner, `/\`) || owner == "." || owner == ".." {
			continue
		}
		if owner == l.owner {
			// This process's own rows from an earlier tick whose batch move failed: the
			// file is still open for appending, and a read sees every line written.
			l.mu.Lock()
		}
		accepted, err := readAccepted(l.path(owner))
		if owner == l.owner {
			l.mu.Unlock()
		}
		if err != nil {
			return fmt.Errorf("read the hand-over records of notifier %s: %w", owner, err)
		}
		if len(accepted) == 0 {
			continue
		}
		st, err := tx.PrepareContext(ctx, `UPDATE notifier_deliveries SET sent_at = $1
			WHERE id = $2 AND state = 'sending' AND lease_owner = $3 AND lease_until <= $4 AND sent_at IS NULL`)
		if err != nil {
			return fmt.Errorf("recover hand-over records: %w", err)
		}
		for id, at := range accepted {
			if _, err := st.ExecContext(ctx, at, id, owner, now); err != nil {
				st.Close()
				return fmt.Errorf("recover hand-over record of %s: %w", id, err)
			}
		}
		st.Close()
	}
	return nil
}

// collect removes the files of other processes that hold no row in sending and have not
// written for two leases: their records have all been applied or are of rows that moved
// on. A live process writes its file only while it holds rows in sending.
func (l *fileAccepts) collect(ctx context.Context, q querier) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		owner, ok := strings.CutSuffix(e.Name(), ".log")
		if !ok || owner == l.owner || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < 2*l.lease {
			continue
		}
		if held, err := holds(ctx, q, owner); err != nil || held {
			continue
		}
		_ = os.Remove(filepath.Join(l.dir, e.Name()))
	}
}

// ownSendingSQL counts the rows in sending of a process ($1).
const ownSendingSQL = `SELECT COUNT(*) FROM notifier_deliveries WHERE state = 'sending' AND lease_owner = $1`

// holds reports whether owner has a row in sending.
func holds(ctx context.Context, q querier, owner string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, ownSendingSQL, owner).Scan(&n)
	return n > 0, err
}
