-- +goose Up
-- A database that ran the short-lived 00770 (partial queue indexes over planned rows and
-- rows in sending) gets the one queue index back: on PostgreSQL a wave of reminders
-- planned since the last analysis was read through the partial index's bitmap and
-- sorted at every claim (the notifier's benchmark on PostgreSQL fell by a quarter).
-- Elsewhere this changes nothing.
CREATE INDEX IF NOT EXISTS notifier_deliveries_due_order ON notifier_deliveries (state, due_at, id);
DROP INDEX IF EXISTS notifier_deliveries_planned;
DROP INDEX IF EXISTS notifier_deliveries_sending;

-- +goose Down
SELECT 1;
