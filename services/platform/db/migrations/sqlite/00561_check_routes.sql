-- +goose Up
-- The language routes of the verdict (per session, booth and floor language: direct, or
-- relay from which pivot, given by whom) as JSON, so that the agenda shows them.
ALTER TABLE interpretation_checks ADD COLUMN routes TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE interpretation_checks DROP COLUMN routes;
