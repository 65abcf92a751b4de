-- +goose Up
-- A claimed delivery names the notifier process holding it, so that process can renew its
-- short leases with one heartbeat statement while it lives.
ALTER TABLE notifier_deliveries ADD COLUMN lease_owner TEXT;
CREATE INDEX notifier_deliveries_lease ON notifier_deliveries (lease_owner) WHERE lease_owner IS NOT NULL;

-- +goose Down
DROP INDEX notifier_deliveries_lease;
ALTER TABLE notifier_deliveries DROP COLUMN lease_owner;
