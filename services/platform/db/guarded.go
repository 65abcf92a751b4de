package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Row is one row to insert: its table, its columns and their values, in order. A store
// that writes its rows through Row can have them inserted on their own (Insert) or after a
// guard, in the guard's statement (GuardedInsert).
type Row struct {
	Table   string
	Columns []string
	Values  []any
}

// Insert is the row's INSERT statement and its arguments ($1 ...).
func (r Row) Insert() (string, []any) {
	var b strings.Builder
	r.into(&b)
	b.WriteString(" VALUES (")
	placeholders(&b, 1, len(r.Values))
	b.WriteString(")")
	return b.String(), r.Values
}

func (r Row) into(b *strings.Builder) {
	b.WriteString("INSERT INTO ")
	b.WriteString(r.Table)
	b.WriteString(" (")
	b.WriteString(strings.Join(r.Columns, ", "))
	b.WriteString(")")
}

func placeholders(b *strings.Builder, first, n int) {
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$")
		b.WriteString(strconv.Itoa(first + i))
	}
}

// Guard is a statement that returns one row or none (an UPDATE ... WHERE ... RETURNING),
// with its arguments ($1 ...).
type Guard struct {
	SQL  string
	Args []any
}

// errGuardMissed rolls back a transaction whose guard returned no row.
var errGuardMissed = errors.New("guard returned no row")

// GuardedInsert runs guard and, only when it returns its row, inserts rows, all or
// nothing; dest receives the guard's columns. It reports whether the guard returned its
// row (false: nothing was written).
//
// On PostgreSQL it is one statement (the guard and each insert a data-modifying WITH
// query, each insert selecting from the guard), so one round trip where a transaction
// costs a begin, a statement per row and a commit; the commit marks of ctx, when there
// are any, run with it in a transaction. SQLite has no data-modifying WITH queries: there
// it is a transaction of the guard and the inserts.
func (d *DB) GuardedInsert(ctx context.Context, guard Guard, dest []any, rows ...Row) (bool, error) {
	if d.Dialect == Postgres {
		q, args := guardedStatement(guard, rows)
		if marks, _ := ctx.Value(commitMarkKey{}).([]commitMark); len(marks) == 0 {
			err := d.QueryRowContext(ctx, q, args...).Scan(dest...)
			if NotFound(err) {
				return false, nil
			}
			return err == nil, err
		}
		return d.guardedTx(ctx, func(tx *sql.Tx) error { return tx.QueryRowContext(ctx, q, args...).Scan(dest...) })
	}
	return d.guardedTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, guard.SQL, guard.Args...).Scan(dest...); err != nil {
			return err
		}
		for _, r := range rows {
			q, args := r.Insert()
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("insert into %s: %w", r.Table, err)
			}
		}
		return nil
	})
}

// guardedTx runs write in a transaction (with the commit marks of ctx); a guard that
// returned no row rolls it back.
func (d *DB) guardedTx(ctx context.Context, write func(tx *sql.Tx) error) (bool, error) {
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := write(tx); NotFound(err) {
			return errGuardMissed
		} else if err != nil {
			return err
		}
		return nil
	})
	if errors.Is(err, errGuardMissed) {
		return false, nil
	}
	return err == nil, err
}

// guardedStatement is the guard and the inserts as one PostgreSQL statement: WITH guard
// AS (...), row1 AS (INSERT ... SELECT $n ... FROM guard), ... SELECT * FROM guard. Every
// data-modifying WITH query runs whether or not the main query reads it, so each insert
// selects its values from the guard: no guard row, no insert.
func guardedStatement(guard Guard, rows []Row) (string, []any) {
	var b strings.Builder
	args := append([]any(nil), guard.Args...)
	b.WriteString("WITH guard AS (")
	b.WriteString(guard.SQL)
	b.WriteString(")")
	for i, r := range rows {
		b.WriteString(", row")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" AS (")
		r.into(&b)
		b.WriteString(" SELECT ")
		placeholders(&b, len(args)+1, len(r.Values))
		b.WriteString(" FROM guard)")
		args = append(args, r.Values...)
	}
	b.WriteString(" SELECT * FROM guard")
	return b.String(), args
}
