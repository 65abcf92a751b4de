-- +goose Up
-- Set inside the handler's own transaction: 1 once the request's write has committed, so
-- a request that failed or timed out after its commit is never run a second time on retry.
ALTER TABLE idempotency_keys ADD COLUMN committed INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN committed;
