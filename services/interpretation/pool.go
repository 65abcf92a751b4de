package interpretation

import (
	"context"
	"database/sql"

	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/problem"
)

// CreateInterpreter validates and stores a new interpreter.
func (s *Service) CreateInterpreter(ctx context.Context, in InterpreterInput) (Interpreter, error) {
	now := s.clock()
	it := Interpreter{Version: 1, CreatedAt: now, UpdatedAt: now}
	it.ID = newID()
	if err := in.apply(&it, true); err != nil {
		return Interpreter{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.insertInterpreter(ctx, tx, it); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Action: "interpreter.create", Resource: "interpreter", ID: it.ID, After: interpreterJSON(it)})
	})
	return it, err
}

// Interpreter returns one interpreter.
func (s *Service) Interpreter(ctx context.Context, id string) (Interpreter, error) {
	return s.store.interpreter(ctx, s.db, id)
}

// Interpreters lists the pool in id order after the cursor.
func (s *Service) Interpreters(ctx context.Context, after string, limit int) ([]Interpreter, error) {
	return s.store.interpreters(ctx, s.db, after, limit)
}

// UpdateInterpreter applies a partial update if ifMatch names the current version. The
// meetings the interpreter works in are re-checked (their languages or hours may have
// changed).
func (s *Service) UpdateInterpreter(ctx context.Context, id string, ifMatch int64, in InterpreterInput) (Interpreter, error) {
	var out Interpreter
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.store.interpreter(ctx, tx, id)
		if err != nil {
			return err
		}
		if ifMatch >= 0 && ifMatch != it.Version {
			return problem.New(problem.KindPreconditionFailed, "version_mismatch",
				"the resource changed since you read it (your version %d, current %d); read it again and retry", ifMatch, it.Version).
				WithExtra("current_version", it.Version)
		}
		before := interpreterJSON(it)
		if err := in.apply(&it, false); err != nil {
			return err
		}
		it.Version++
		it.UpdatedAt = s.clock()
		out = it
		if err := s.store.updateInterpreter(ctx, tx, it); err != nil {
			return err
		}
		return audit.Record(ctx, tx, it.UpdatedAt, audit.Change{Action: "interpreter.update", Resource: "interpreter", ID: it.ID,
			Before: before, After: interpreterJSON(it)})
	})
	if err != nil {
		return out, err
	}
	if err := s.recheckInterpreters(ctx, []string{id}, ""); err != nil {
		// The change has committed; the next change or check judges again.
		s.log.Warn("interpretation re-check failed", "interpreter", id, "error", err.Error())
	}
	return out, nil
}
