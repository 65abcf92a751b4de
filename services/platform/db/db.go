// Package db is Plenary's one SQL layer: a *sql.DB that knows its dialect (SQLite embedded,
// PostgreSQL in production), portable transactions, and the goose migrations of both
// dialects embedded in the binary. Queries are written once with $N placeholders,
// RETURNING and ON CONFLICT, which both engines understand.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/plenary/plenary/services/platform/problem"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a database handle that knows its dialect.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Path is the file of an SQLite database ("" for PostgreSQL and an in-memory SQLite):
	// the notifier keeps its hand-over records beside it (PATH-sent).
	Path string
}

//go:embed migrations
var migrations embed.FS

// Open opens a database from a DSN: "sqlite:PATH" (or a path ending in .db) for SQLite,
// "postgres://..." for PostgreSQL.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", withDeadlines(dsn))
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(10)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		d := &DB{DB: sqldb, Dialect: Postgres}
		if err := d.PingContext(ctx); err != nil {
			sqldb.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
		return d, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	default:
		return nil, fmt.Errorf("database DSN %q: want sqlite:PATH or postgres://", redact(dsn))
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// WAL lets readers run beside the one writer; busy_timeout makes a second writer wait
	// instead of failing; foreign keys are off by default in SQLite. temp_store(MEMORY)
	// keeps statement journals in memory: a statement that changes many rows inside a
	// transaction (the notifier's claim of 100 rows) journals the pages it touches so
	// that it can be undone alone, and past 64 KiB SQLite spilled that journal to a temp
	// file, a write(2) per page (a fifth of the notifier's database time per email).
	q := "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// SQLite has one writer; a single connection serialises writes without SQLITE_BUSY and
	// keeps an in-memory database one database.
	sqldb.SetMaxOpenConns(1)
	d := &DB{DB: sqldb, Dialect: SQLite}
	if path != ":memory:" {
		if d.Path, err = filepath.Abs(path); err != nil {
			sqldb.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	if err := d.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return d, nil
}

// Server-side deadlines every PostgreSQL session gets unless its DSN sets its own: no
// statement runs longer than a request may wait for it, a transaction left open by a
// client that hung up releases its locks, and a server that does not answer the
// connection attempt is given up on. Context deadlines cut the client side short; these
// stop the server side too.
var pgDeadlines = map[string]string{
	"statement_timeout":                   "30000", // ms
	"idle_in_transaction_session_timeout": "60000", // ms
	"connect_timeout":                     "5",     // s
}

func withDeadlines(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // pgx reports the malformed DSN
	}
	q := u.Query()
	for k, v := range pgDeadlines {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i >= 0 {
		if j := strings.Index(dsn, "://"); j >= 0 && j < i {
			return dsn[:j+3] + "***" + dsn[i:]
		}
	}
	return dsn
}

// Migrations is the folder of goose migrations embedded for a dialect.
func Migrations(dialect Dialect) (fs.FS, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(dialect))
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", dialect, err)
	}
	return sub, nil
}

// Migrate brings the schema up to date with the migrations embedded for the dialect.
func Migrate(ctx context.Context, d *DB, log *slog.Logger) error {
	sub, err := Migrations(d.Dialect)
	if err != nil {
		return err
	}
	gd := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if d.Dialect == Postgres {
		gd = goose.DialectPostgres
		// Replicas that start together migrate one at a time: the others wait on a
		// PostgreSQL advisory lock (tried every second, for five minutes), then find
		// nothing left to apply.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, d.DB, sub, opts...)
	if err != nil {
		return fmt.Errorf("migration provider: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", d.Dialect, err)
	}
	if log != nil && len(res) > 0 {
		log.Info("migrated database", "dialect", d.Dialect, "applied", len(res))
	}
	return nil
}

// Tx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
func (d *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error { return d.txWith(ctx, nil, fn) }

type commitMarkKey struct{}

type commitMark struct {
	query string
	args  []any
}

// WithCommitMark returns a context whose write transactions also run query (with args)
// just before they commit, so that a fact about the request (its idempotency key has
// taken effect) commits with the request's own changes or not at all.
func WithCommitMark(ctx context.Context, query string, args ...any) context.Context {
	marks, _ := ctx.Value(commitMarkKey{}).([]commitMark)
	return context.WithValue(ctx, commitMarkKey{}, append(marks[:len(marks):len(marks)], commitMark{query, args}))
}

// MarkCommit runs the commit marks of ctx in tx. Tx calls it; code that commits a
// transaction of its own must call it before Commit too.
func MarkCommit(ctx context.Context, tx *sql.Tx) error {
	marks, _ := ctx.Value(commitMarkKey{}).([]commitMark)
	for _, m := range marks {
		if _, err := tx.ExecContext(ctx, m.query, m.args...); err != nil {
			return fmt.Errorf("commit mark: %w", err)
		}
	}
	return nil
}

// SkipLocked is the row-claim suffix for SELECT ... FOR UPDATE SKIP LOCKED where the
// engine has it. SQLite serialises writers, so a plain SELECT inside the write
// transaction already claims.
func (d *DB) SkipLocked() string {
	if d.Dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// IsUniqueViolation reports whether err is a unique or exclusion constraint failure.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || // sqlite
		strings.Contains(s, "SQLSTATE 23505") || // postgres unique_violation
		strings.Contains(s, "SQLSTATE 23P01") // postgres exclusion_violation
}

// IsSerializationFailure reports whether a PostgreSQL transaction must be retried.
func IsSerializationFailure(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "SQLSTATE 40001") || strings.Contains(err.Error(), "SQLSTATE 40P01"))
}

// ErrNoRows is sql.ErrNoRows, re-exported so stores need not import database/sql for it.
var ErrNoRows = sql.ErrNoRows

// NotFound reports whether err is sql.ErrNoRows.
func NotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Querier is what both *sql.DB and *sql.Tx offer, so a store's queries run the same in
// or out of a transaction.
type Querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// The instants Plenary accepts: both engines store them and give them back unchanged
// (PostgreSQL's text form and SQLite's stored text have four-digit years), and every zone
// renders them within the years 1 to 9999, as RFC 3339 (and JSON's time encoding) needs:
// an agenda shows each instant in the venue's zone and the reader's. The far future keeps
// today's offsets, at most UTC+14:00 (Pacific/Kiritimati; fixed offsets are bounded the
// same, scheduler/zone), so the last instant is 9999-12-31T09:59:59Z; year 1 has local
// mean times down to UTC-15:56 (Asia/Manila), so the first is 0001-01-01T16:00:00Z.
// TestTimeBoundsRenderInEveryZone checks both against the tz database. Input outside
// them is refused before it reaches a statement (instant_out_of_range).
var (
	MinTime = time.Date(1, 1, 1, 16, 0, 0, 0, time.UTC)
	MaxTime = time.Date(9999, 12, 31, 9, 59, 59, 999999000, time.UTC)
)

// TimeRange says the accepted instants in a field error: what to do, in the bounds' terms.
const TimeRange = "between 0001-01-01T16:00:00Z and 9999-12-31T09:59:59Z, so that every time zone shows it within the years 1 to 9999"

// OutOfRange is the problem for an instant of field outside MinTime and MaxTime (the
// field's name as the input has it: "start", "unavailable[0]").
func OutOfRange(field string) *problem.Error {
	return problem.Unprocessable("instant_out_of_range", "field "+field+" falls outside the instants every time zone can show (years 1 to 9999)",
		problem.FieldError{Field: field, Code: "instant_out_of_range", Message: TimeRange})
}

// StorableTime reports whether t is within MinTime and MaxTime.
func StorableTime(t time.Time) bool { return !t.Before(MinTime) && !t.After(MaxTime) }
