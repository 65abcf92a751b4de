-- +goose Up
-- A date-range interpretation plan reads the sessions of every meeting by start time.
CREATE INDEX sessions_start ON sessions (start_utc);

-- +goose Down
DROP INDEX sessions_start;
