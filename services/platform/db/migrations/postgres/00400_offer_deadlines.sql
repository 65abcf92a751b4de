-- +goose Up
-- An offer that nobody answers expires at its deadline: a new assignment state, expired.
ALTER TABLE assignments DROP CONSTRAINT assignments_state_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_state_check
    CHECK (state IN ('proposed', 'offered', 'accepted', 'declined', 'withdrawn', 'expired'));

-- The answer deadline of each offer (interpretation owns it, beside assignments).
CREATE TABLE offer_deadlines (
    assignment_id TEXT PRIMARY KEY,
    meeting_id    TEXT NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX offer_deadlines_due ON offer_deadlines (deadline);

-- A meeting's offer settings: whether the next candidate of a declined or expired offer
-- is offered at once (auto_escalate) or only proposed for the secretariat to decide.
CREATE TABLE offer_settings (
    meeting_id    TEXT PRIMARY KEY,
    auto_escalate BOOLEAN NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE offer_settings;
DROP TABLE offer_deadlines;
ALTER TABLE assignments DROP CONSTRAINT assignments_state_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_state_check
    CHECK (state IN ('proposed', 'offered', 'accepted', 'declined', 'withdrawn'));
