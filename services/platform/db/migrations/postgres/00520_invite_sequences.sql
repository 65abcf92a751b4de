-- +goose Up
-- The SEQUENCE of an interpreter's calendar invites has one owner, the notifier, and one
-- counter per UID: the UID is made of the session and the interpreter, so every
-- assignment of one interpreter to one session (a seat withdrawn, then another booth)
-- raises the same counter. It replaces the counter each assignment kept (ics_sequence),
-- which started again for a new assignment and took the UID's SEQUENCE back.
CREATE TABLE notifier_invite_sequences (
    session_id     TEXT NOT NULL,
    interpreter_id TEXT NOT NULL,
    sequence       BIGINT NOT NULL,
    PRIMARY KEY (session_id, interpreter_id)
);
INSERT INTO notifier_invite_sequences (session_id, interpreter_id, sequence)
    SELECT session_id, interpreter_id, MAX(ics_sequence) FROM notifier_assignments
    WHERE ics_sequence >= 0 GROUP BY session_id, interpreter_id;
ALTER TABLE notifier_assignments DROP COLUMN ics_sequence;

-- +goose Down
ALTER TABLE notifier_assignments ADD COLUMN ics_sequence BIGINT NOT NULL DEFAULT -1;
UPDATE notifier_assignments SET ics_sequence = COALESCE((SELECT s.sequence FROM notifier_invite_sequences s
    WHERE s.session_id = notifier_assignments.session_id AND s.interpreter_id = notifier_assignments.interpreter_id), -1);
DROP TABLE notifier_invite_sequences;
