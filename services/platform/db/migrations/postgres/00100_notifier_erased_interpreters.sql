-- +goose Up
-- Tombstones of erased interpreters. The notifier projects interpreters from assignment
-- events; a replay of the stream (or an event still on its way) would otherwise write an
-- erased interpreter's name and address back, as their own or in a team-mate's team.
CREATE TABLE notifier_erased_interpreters (
    interpreter_id TEXT PRIMARY KEY,
    erased_at      TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notifier_erased_interpreters;
