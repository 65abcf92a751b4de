-- +goose Up
-- The last stream sequence the notifier has applied, written in the transaction that
-- applies it: notifiers that share the durable consumer apply a batch only if it starts
-- right after it, so events are applied in stream order whoever holds them. 0: nothing
-- recorded yet (the consumer's acknowledgements tell what came before).
CREATE TABLE notifier_stream_position (
    stream TEXT PRIMARY KEY,
    seq    BIGINT NOT NULL
);
INSERT INTO notifier_stream_position (stream, seq) VALUES ('PLENARY', 0);

-- +goose Down
DROP TABLE notifier_stream_position;
