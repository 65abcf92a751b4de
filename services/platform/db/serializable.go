package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// MaxSerializableAttempts bounds the retries of a transaction that lost a serialization race.
const MaxSerializableAttempts = 60

// ErrContention is returned by SerializableTx when every attempt lost a serialization race.
var ErrContention = errors.New("too many concurrent changes to the same rows")

// SerializableTx runs fn in a transaction that no concurrent one can interleave with:
// SERIALIZABLE on PostgreSQL, retried (fn runs again, from the start) after a
// serialization failure with a short random wait; SQLite's single writer serialises on
// its own. It is for read-then-write rules the database cannot state as a constraint
// (no interpreter in two booths at once).
func (d *DB) SerializableTx(ctx context.Context, fn func(*sql.Tx) error) error {
	var opts *sql.TxOptions
	if d.Dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	for attempt := 1; ; attempt++ {
		err := d.txWith(ctx, opts, fn)
		if !IsSerializationFailure(err) {
			return err
		}
		if attempt == MaxSerializableAttempts {
			return fmt.Errorf("%w: %w", ErrContention, err)
		}
		wait := time.Duration(rand.IntN(2+min(attempt, 20)*2)) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (d *DB) txWith(ctx context.Context, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := d.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := MarkCommit(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
