-- +goose Up
-- Output channels a delegation or partner staffs with its own interpreters, as JSON
-- ([{language, staffed_by, interpreters: [{name, email}]}]): listed and exported, never
-- staffed by the organiser.
ALTER TABLE sessions ADD COLUMN staffed_channels TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE sessions DROP COLUMN staffed_channels;
