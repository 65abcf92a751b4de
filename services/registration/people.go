package registration

import (
	"context"
	"database/sql"

	"github.com/plenary/plenary/services/platform/problem"
)

// ByEmail returns the registrations of an address, oldest first. The address must be
// normalised by ValidEmail (as every stored address is).
func (s *Service) ByEmail(ctx context.Context, email string) ([]Registration, error) {
	ids, err := s.store.idsByEmail(ctx, s.db, email)
	if err != nil {
		return nil, err
	}
	out := make([]Registration, 0, len(ids))
	for _, id := range ids {
		r, err := s.store.get(ctx, s.db, id, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Erase deletes registrations for a person's erasure, all in one transaction, each with
// its registration.deleted event and its entry in the trail. A registration already gone
// is skipped, so that an interrupted erasure can run again.
func (s *Service) Erase(ctx context.Context, ids []string) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, id := range ids {
			err := s.delete(ctx, tx, id, -1)
			if pe := problem.From(err); err != nil && pe.Kind == problem.KindNotFound {
				continue
			}
			if err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
