-- +goose Up
-- The notifier claims due rows in (due_at, id) order; with id in the index the claim reads
-- the first rows in order instead of sorting every due row (all of a reminder wave share
-- one due time). The old (state, due_at) index is a prefix of this one.
CREATE INDEX notifier_deliveries_due_order ON notifier_deliveries (state, due_at, id);
DROP INDEX notifier_deliveries_due;

-- +goose Down
CREATE INDEX notifier_deliveries_due ON notifier_deliveries (state, due_at);
DROP INDEX notifier_deliveries_due_order;
