-- +goose Up
-- Secretariat API tokens. Only the SHA-256 of a token is kept; the token itself is shown
-- once, at creation.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    meetings     TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

-- The audit trail of every secretariat change: who, when, what, before and after.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_kind    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    meeting_id    TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    before_json   TEXT NOT NULL,
    after_json    TEXT NOT NULL
);
-- Kept after the meeting is deleted (no foreign key): the trail must outlive what it describes.
CREATE INDEX audit_log_meeting ON audit_log (meeting_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_tokens;
