// Package dbtest gives each test a fresh, migrated database: SQLite in a temporary
// directory, and a new PostgreSQL database on the local server (PLENARY_TEST_POSTGRES,
// default postgres://postgres@127.0.0.1:5432/test) that is dropped when the test ends.
// PostgreSQL is required: a suite that silently skipped it would hide defects. Set
// PLENARY_TEST_POSTGRES=off to run SQLite only on a machine without it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
)

// AdminDSN is the PostgreSQL server the tests create their databases on.
func AdminDSN() string {
	if v := os.Getenv("PLENARY_TEST_POSTGRES"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// PostgresEnabled reports whether PostgreSQL tests run.
func PostgresEnabled() bool { return AdminDSN() != "off" }

// Dialects lists the dialects the contract suites run against.
func Dialects() []db.Dialect {
	if PostgresEnabled() {
		return []db.Dialect{db.SQLite, db.Postgres}
	}
	return []db.Dialect{db.SQLite}
}

// Open returns a fresh migrated database of the dialect, closed (and dropped) at cleanup.
func Open(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	d, _ := OpenDSN(t, dialect)
	return d
}

// OpenDSN is Open with the database's DSN, for a test that opens the same database again
// (another pool, another process).
func OpenDSN(t testing.TB, dialect db.Dialect) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch dialect {
	case db.SQLite:
		dsn = "sqlite:" + filepath.Join(t.TempDir(), "plenary.db")
	case db.Postgres:
		dsn = NewPostgresDatabase(t)
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := db.Migrate(ctx, d, nil); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return d, dsn
}

// NewPostgresDatabase creates an empty database on the test server and returns its DSN;
// it is dropped at cleanup.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	if !PostgresEnabled() {
		t.Fatalf("PostgreSQL tests are disabled (PLENARY_TEST_POSTGRES=off)")
	}
	admin, err := sql.Open("pgx", AdminDSN())
	if err != nil {
		t.Fatalf("open postgres admin connection: %v", err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("PostgreSQL is required at %s (start it, or set PLENARY_TEST_POSTGRES=off to skip PostgreSQL suites): %v", AdminDSN(), err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "plenary_t_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", AdminDSN())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(AdminDSN())
	if err != nil {
		t.Fatalf("parse %s: %v", AdminDSN(), err)
	}
	u.Path = "/" + name
	return u.String()
}

// ForEach runs fn as a subtest against a fresh database of every dialect.
func ForEach(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, dialect := range Dialects() {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, Open(t, dialect))
		})
	}
}

// Name is a short random suffix for test fixtures.
func Name(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%s", prefix, hex.EncodeToString(b[:]))
}
