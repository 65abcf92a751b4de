-- +goose Up
-- A meeting's own regions (name, reference zones, working hours) as JSON: sessions name
-- them in their audience beside the UN regional groups, and the agenda measures them.
ALTER TABLE meetings ADD COLUMN regions TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE meetings DROP COLUMN regions;
