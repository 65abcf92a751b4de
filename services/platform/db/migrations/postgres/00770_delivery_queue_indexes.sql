-- +goose Up
-- The delivery loop reads only planned rows (due ones, in (due_at, id) order) and rows in
-- sending (its own, or a stopped process's): one index over each instead of one over
-- (state, due_at, id). A delivery's move to sent removes its entry from the index of rows
-- in sending and adds none (it moved two entries of the one index), and the indexes hold
-- the queue, not every email ever sent.
CREATE INDEX notifier_deliveries_planned ON notifier_deliveries (due_at, id) WHERE state = 'planned';
CREATE INDEX notifier_deliveries_sending ON notifier_deliveries (due_at, id) WHERE state = 'sending';
DROP INDEX notifier_deliveries_due_order;

-- +goose Down
CREATE INDEX notifier_deliveries_due_order ON notifier_deliveries (state, due_at, id);
DROP INDEX notifier_deliveries_planned;
DROP INDEX notifier_deliveries_sending;
