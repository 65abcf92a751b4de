package interpretation

import (
	"context"
	"database/sql"

	"github.com/plenary/plenary/services/platform/problem"
)

// ErasedName replaces the name of an erased interpreter.
const ErasedName = "(erased)"

// PersonInterpreter is one interpreter profile of a person, with its assignments, in the
// API's form: what a request for the person's data exports.
type PersonInterpreter struct {
	InterpreterJSON
	Assignments []AssignmentJSON `json:"assignments"`
}

// InterpretersByEmail returns the interpreter profiles of a normalised address, with
// their assignments.
func (s *Service) InterpretersByEmail(ctx context.Context, email string) ([]PersonInterpreter, error) {
	its, err := s.store.interpretersByEmail(ctx, s.db, email)
	if err != nil {
		return nil, err
	}
	out := make([]PersonInterpreter, 0, len(its))
	for _, it := range its {
		as, err := s.store.queryAssignments(ctx, s.db, `interpreter_id = $1`, it.ID)
		if err != nil {
			return nil, err
		}
		p := PersonInterpreter{InterpreterJSON: interpreterJSON(it), Assignments: []AssignmentJSON{}}
		for _, a := range as {
			p.Assignments = append(p.Assignments, assignmentJSON(a))
		}
		out = append(out, p)
	}
	return out, nil
}

// CheckErasable refuses (409 interpreter_has_assignments) while one of the interpreters
// still holds a seat in a session to come: the secretariat withdraws it first, so that
// nobody is left to staff a booth that expects them.
func (s *Service) CheckErasable(ctx context.Context, ids []string) error {
	return s.checkErasable(ctx, s.db, ids)
}

func (s *Service) checkErasable(ctx context.Context, q querier, ids []string) error {
	now := s.clock()
	for _, id := range ids {
		as, err := s.store.queryAssignments(ctx, q, `interpreter_id = $1 AND `+activeIn, id)
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.EndUTC.After(now) {
				return problem.New(problem.KindConflict, "interpreter_has_assignments",
					"interpreter %s still holds assignment %s (%s); withdraw their assignments to come first", id, a.ID, a.State)
			}
		}
	}
	return nil
}

// EraseInterpreters anonymises the profiles for a person's erasure, in one transaction.
// The rows stay, for the meetings' records of who staffed which booth, without the person.
func (s *Service) EraseInterpreters(ctx context.Context, ids []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkErasable(ctx, tx, ids); err != nil {
			return err
		}
		now := s.clock()
		for _, id := range ids {
			if err := s.store.anonymise(ctx, tx, id, ErasedName, now); err != nil {
				return err
			}
		}
		return nil
	})
}
