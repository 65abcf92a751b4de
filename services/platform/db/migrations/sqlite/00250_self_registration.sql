-- +goose Up
-- Self-registration with double opt-in: a registration made on the public page is pending
-- until its confirmation link is opened; the secretariat's registrations are active at once.
ALTER TABLE registrations ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE notifier_registrations ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;

-- Per meeting: whether the public form takes registrations, and the seats of each session
-- (JSON object session id -> seats; a session not named has no cap). Owned by registration.
CREATE TABLE registration_settings (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    closed     BOOLEAN NOT NULL DEFAULT FALSE,
    seats      TEXT NOT NULL DEFAULT '{}',
    version    BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE registration_settings;
ALTER TABLE notifier_registrations DROP COLUMN pending;
ALTER TABLE registrations DROP COLUMN pending;
