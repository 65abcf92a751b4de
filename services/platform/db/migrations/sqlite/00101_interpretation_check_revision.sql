-- +goose Up
-- The agenda revision a verdict was computed for: session changes are re-checked from the
-- event stream, after their commit, so the agenda says which revision its verdict judged.
ALTER TABLE interpretation_checks ADD COLUMN agenda_revision BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE interpretation_checks DROP COLUMN agenda_revision;
