-- +goose Up
-- The secretariat's notices of seats still open: one per meeting and notice time, checked
-- once (open_seats 0: everything was filled, nothing was sent).
CREATE TABLE open_seat_notices (
    meeting_id     TEXT NOT NULL,
    notice_minutes INTEGER NOT NULL,
    first_start    TIMESTAMPTZ NOT NULL,
    open_seats     INTEGER NOT NULL,
    checked_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (meeting_id, notice_minutes)
);

-- +goose Down
DROP TABLE open_seat_notices;
