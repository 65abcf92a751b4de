-- +goose Up
-- Every statement that reads lease_owner also asks for state = 'sending', which the index
-- (state, due_at, id) finds: the partial index on lease_owner only cost the delivery loop
-- an index entry inserted at each claim and deleted at each move to sent.
DROP INDEX notifier_deliveries_lease;

-- +goose Down
CREATE INDEX notifier_deliveries_lease ON notifier_deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
