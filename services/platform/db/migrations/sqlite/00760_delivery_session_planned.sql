-- +goose Up
-- Every read of a session's deliveries asks for its planned ones (a move, a cancellation,
-- an assignment's change). An index on (session_id, state) changed at each of a delivery's
-- moves (planned, sending, sent): one on session_id over the planned rows alone loses its
-- entry once, at the claim, and is not touched by the move to sent nor the mark.
DROP INDEX notifier_deliveries_session;
CREATE INDEX notifier_deliveries_session_planned ON notifier_deliveries (session_id) WHERE state = 'planned';

-- +goose Down
DROP INDEX notifier_deliveries_session_planned;
CREATE INDEX notifier_deliveries_session ON notifier_deliveries (session_id, state);
