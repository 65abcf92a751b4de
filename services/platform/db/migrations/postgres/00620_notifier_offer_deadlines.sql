-- +goose Up
-- The answer deadline of an offered assignment, as its assignment.offered event carries
-- it: the notifier states it in the offer and reminds the interpreter before it.
ALTER TABLE notifier_assignments ADD COLUMN deadline TIMESTAMPTZ;

-- +goose Down
ALTER TABLE notifier_assignments DROP COLUMN deadline;
