-- +goose Up
CREATE TABLE meetings (
    id                    TEXT PRIMARY KEY,
    title                 TEXT NOT NULL,
    venue_tz              TEXT NOT NULL,
    format                TEXT NOT NULL,
    default_lang          TEXT NOT NULL,
    platform              TEXT NOT NULL,
    interpretation_policy TEXT NOT NULL,
    public                BOOLEAN NOT NULL DEFAULT FALSE,
    agenda_revision       BIGINT NOT NULL DEFAULT 1,
    version               BIGINT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id               TEXT PRIMARY KEY,
    meeting_id       TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    start_utc        TIMESTAMPTZ NOT NULL,
    end_utc          TIMESTAMPTZ NOT NULL,
    tz               TEXT NOT NULL,
    tz_input         TEXT NOT NULL,
    start_input      TEXT NOT NULL,
    end_input        TEXT NOT NULL,
    floor_languages  TEXT NOT NULL,
    output_languages TEXT NOT NULL,
    audience         TEXT NOT NULL,
    status           TEXT NOT NULL,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    schedule_version BIGINT NOT NULL,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK (end_utc > start_utc)
);
CREATE INDEX sessions_meeting ON sessions (meeting_id, start_utc);

CREATE TABLE agenda_items (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    start_utc   TIMESTAMPTZ,
    end_utc     TIMESTAMPTZ,
    start_input TEXT NOT NULL DEFAULT '',
    end_input   TEXT NOT NULL DEFAULT '',
    speakers    TEXT NOT NULL,
    language    TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL
);
CREATE INDEX agenda_items_session ON agenda_items (session_id, position);

-- +goose Down
DROP TABLE agenda_items;
DROP TABLE sessions;
DROP TABLE meetings;
