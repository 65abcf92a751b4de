package interpretation

import (
	"context"
	"database/sql"

	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/versioned"
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
		var err error
		out, err = s.interpreterResource().Update(ctx, tx, id, ifMatch, func(it *Interpreter) error {
			if err := in.apply(it, false); err != nil {
				return err
			}
			it.UpdatedAt = s.clock()
			return nil
		})
		return err
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

// interpreterResource is the update of an interpreter's profile: written, in the trail.
func (s *Service) interpreterResource() versioned.Resource[Interpreter] {
	return versioned.Resource[Interpreter]{
		Name: "interpreter",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Interpreter, error) {
			return s.store.interpreter(ctx, tx, id)
		},
		Version: func(it *Interpreter) *int64 { return &it.Version },
		Put: func(ctx context.Context, tx *sql.Tx, it Interpreter) error {
			return s.store.updateInterpreter(ctx, tx, it)
		},
		Record: func(ctx context.Context, tx *sql.Tx, before, it Interpreter) error {
			return audit.Record(ctx, tx, it.UpdatedAt, audit.Change{Action: "interpreter.update", Resource: "interpreter", ID: it.ID,
				Before: interpreterJSON(before), After: interpreterJSON(it)})
		},
	}
}
