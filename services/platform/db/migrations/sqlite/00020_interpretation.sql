-- +goose Up
CREATE TABLE interpreters (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    locale      TEXT NOT NULL,
    tz          TEXT NOT NULL,
    languages   TEXT NOT NULL,
    retour      BOOLEAN NOT NULL DEFAULT FALSE,
    remote      BOOLEAN NOT NULL DEFAULT FALSE,
    hours_start INTEGER NOT NULL,
    hours_end   INTEGER NOT NULL,
    caps        TEXT NOT NULL,
    unavailable TEXT NOT NULL,
    preferences TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- An assignment keeps a copy of its session's instants (refreshed after every session
-- change) so that the double-booking check inside the write transaction needs no other
-- service's table. live is false once the session is cancelled.
CREATE TABLE assignments (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    booth          TEXT NOT NULL,
    interpreter_id TEXT NOT NULL REFERENCES interpreters (id),
    role           TEXT NOT NULL,
    state          TEXT NOT NULL,
    start_utc      TIMESTAMP NOT NULL,
    end_utc        TIMESTAMP NOT NULL,
    live           BOOLEAN NOT NULL DEFAULT TRUE,
    sequence       BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (end_utc > start_utc),
    CHECK (state IN ('proposed', 'offered', 'accepted', 'declined', 'withdrawn'))
);
CREATE INDEX assignments_interpreter ON assignments (interpreter_id, start_utc);
CREATE INDEX assignments_meeting ON assignments (meeting_id, session_id);
-- One seat per interpreter per session among the active assignments.
CREATE UNIQUE INDEX assignments_active_seat ON assignments (session_id, interpreter_id)
    WHERE state IN ('proposed', 'offered', 'accepted');

-- The latest checker result per meeting, written after every change.
CREATE TABLE interpretation_checks (
    meeting_id  TEXT PRIMARY KEY,
    checked_at  TIMESTAMP NOT NULL,
    assignments INTEGER NOT NULL,
    violations  TEXT NOT NULL
);

-- +goose Down
DROP TABLE interpretation_checks;
DROP TABLE assignments;
DROP TABLE interpreters;
