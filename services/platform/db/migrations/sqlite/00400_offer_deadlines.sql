-- +goose Up
-- An offer that nobody answers expires at its deadline: a new assignment state, expired.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt as its
-- documented procedure says (create, copy, drop, rename, re-index), with every column.
CREATE TABLE assignments_next (
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
    CHECK (state IN ('proposed', 'offered', 'accepted', 'declined', 'withdrawn', 'expired'))
);
INSERT INTO assignments_next (id, meeting_id, session_id, booth, interpreter_id, role, state, start_utc, end_utc, live, sequence, version, created_at, updated_at)
    SELECT id, meeting_id, session_id, booth, interpreter_id, role, state, start_utc, end_utc, live, sequence, version, created_at, updated_at FROM assignments;
DROP TABLE assignments;
ALTER TABLE assignments_next RENAME TO assignments;
CREATE INDEX assignments_interpreter ON assignments (interpreter_id, start_utc);
CREATE INDEX assignments_meeting ON assignments (meeting_id, session_id);
CREATE UNIQUE INDEX assignments_active_seat ON assignments (session_id, interpreter_id)
    WHERE state IN ('proposed', 'offered', 'accepted');

-- The answer deadline of each offer (interpretation owns it, beside assignments).
CREATE TABLE offer_deadlines (
    assignment_id TEXT PRIMARY KEY,
    meeting_id    TEXT NOT NULL,
    deadline      TIMESTAMP NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX offer_deadlines_due ON offer_deadlines (deadline);

-- A meeting's offer settings: whether the next candidate of a declined or expired offer
-- is offered at once (auto_escalate) or only proposed for the secretariat to decide.
CREATE TABLE offer_settings (
    meeting_id    TEXT PRIMARY KEY,
    auto_escalate BOOLEAN NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE offer_settings;
DROP TABLE offer_deadlines;
