-- +goose Up
CREATE TABLE registrations (
    id                TEXT PRIMARY KEY,
    meeting_id        TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    locale            TEXT NOT NULL,
    tz                TEXT NOT NULL,
    sessions          TEXT NOT NULL,
    consent_reminders BOOLEAN NOT NULL,
    unsubscribed      BOOLEAN NOT NULL DEFAULT FALSE,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
-- One registration per address and meeting; the address is stored lower-cased.
CREATE UNIQUE INDEX registrations_meeting_email ON registrations (meeting_id, email);

-- +goose Down
DROP TABLE registrations;
