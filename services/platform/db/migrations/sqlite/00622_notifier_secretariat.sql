-- +goose Up
-- The notifier's copy of a meeting's secretariat address (from meeting events).
ALTER TABLE notifier_meetings ADD COLUMN secretariat_email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE notifier_meetings DROP COLUMN secretariat_email;
