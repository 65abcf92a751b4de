-- +goose Up
-- The instant the mail server accepted a delivery's email, recorded inside the notifier's
-- hand-over gate by a one-column update that touches no index; the row moves to 'sent'
-- (state, lease and their indexes) with the other rows of its batch in one statement
-- after the gate, or, if the process died first, when its lease has run out.
ALTER TABLE notifier_deliveries ADD COLUMN sent_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE notifier_deliveries DROP COLUMN sent_at;
