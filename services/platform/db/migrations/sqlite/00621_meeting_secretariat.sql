-- +goose Up
-- Where the secretariat of a meeting is told of seats still open, and how long before
-- the meeting's first session ahead (hours; 0: the staffing policy's default).
ALTER TABLE meetings ADD COLUMN secretariat_email TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN open_seats_notice_hours INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE meetings DROP COLUMN open_seats_notice_hours;
ALTER TABLE meetings DROP COLUMN secretariat_email;
