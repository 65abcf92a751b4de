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
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
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
}

//go:embed migrations
var migrations embed.FS

// Open opens a database from a DSN: "sqlite:PATH" (or a path ending in .db) for SQLite,
// "postgres://..." for PostgreSQL.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", dsn)
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
	// instead of failing; foreign keys are off by default in SQLite.
	q := "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// SQLite has one writer; a single connection serialises writes without SQLITE_BUSY and
	// keeps an in-memory database one database.
	sqldb.SetMaxOpenConns(1)
	d := &DB{DB: sqldb, Dialect: SQLite}
	if err := d.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return d, nil
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
func (d *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
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
