-- +goose Up
-- The notifier's own tables: a projection built only from events, and its deliveries.
CREATE TABLE notifier_processed_events (
    event_id     TEXT PRIMARY KEY,
    event_type   TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE notifier_meetings (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    venue_tz     TEXT NOT NULL,
    default_lang TEXT NOT NULL,
    deleted      BOOLEAN NOT NULL DEFAULT FALSE,
    version      BIGINT NOT NULL
);

CREATE TABLE notifier_sessions (
    id               TEXT PRIMARY KEY,
    meeting_id       TEXT NOT NULL,
    title            TEXT NOT NULL,
    start_utc        TIMESTAMPTZ NOT NULL,
    end_utc          TIMESTAMPTZ NOT NULL,
    tz               TEXT NOT NULL,
    status           TEXT NOT NULL,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    schedule_version BIGINT NOT NULL,
    version          BIGINT NOT NULL
);
CREATE INDEX notifier_sessions_meeting ON notifier_sessions (meeting_id);

CREATE TABLE notifier_registrations (
    id                TEXT PRIMARY KEY,
    meeting_id        TEXT NOT NULL,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    locale            TEXT NOT NULL,
    tz                TEXT NOT NULL,
    sessions          TEXT NOT NULL,
    consent_reminders BOOLEAN NOT NULL,
    unsubscribed      BOOLEAN NOT NULL,
    deleted           BOOLEAN NOT NULL DEFAULT FALSE,
    version           BIGINT NOT NULL
);
CREATE INDEX notifier_registrations_meeting ON notifier_registrations (meeting_id);

CREATE TABLE notifier_assignments (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    interpreter_id TEXT NOT NULL,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL,
    locale         TEXT NOT NULL,
    tz             TEXT NOT NULL,
    booth          TEXT NOT NULL,
    role           TEXT NOT NULL,
    state          TEXT NOT NULL,
    sequence       BIGINT NOT NULL,
    ics_sequence   BIGINT NOT NULL,
    team           TEXT NOT NULL
);
CREATE INDEX notifier_assignments_session ON notifier_assignments (session_id);
CREATE INDEX notifier_assignments_interpreter ON notifier_assignments (interpreter_id);

-- Reminder rules of a meeting; a meeting without rows uses the notifier's defaults.
CREATE TABLE notifier_reminder_rules (
    meeting_id     TEXT NOT NULL,
    audience       TEXT NOT NULL,
    name           TEXT NOT NULL,
    before_minutes INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, audience, name)
);

-- One row per email to send. dedupe_key is unique per recipient, session, rule and
-- schedule version (reminders) or per change (notices).
CREATE TABLE notifier_deliveries (
    id               TEXT PRIMARY KEY,
    dedupe_key       TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    meeting_id       TEXT NOT NULL,
    session_id       TEXT NOT NULL,
    rule             TEXT NOT NULL,
    schedule_version BIGINT NOT NULL,
    due_at           TIMESTAMPTZ NOT NULL,
    state            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    message_id       TEXT NOT NULL DEFAULT '',
    lease_until      TIMESTAMPTZ,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX notifier_deliveries_due ON notifier_deliveries (state, due_at);
CREATE INDEX notifier_deliveries_recipient ON notifier_deliveries (recipient, due_at);
CREATE INDEX notifier_deliveries_session ON notifier_deliveries (session_id, state);

-- +goose Down
DROP TABLE notifier_deliveries;
DROP TABLE notifier_reminder_rules;
DROP TABLE notifier_assignments;
DROP TABLE notifier_registrations;
DROP TABLE notifier_sessions;
DROP TABLE notifier_meetings;
DROP TABLE notifier_processed_events;
