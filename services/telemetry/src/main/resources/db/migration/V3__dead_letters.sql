-- What the services set aside (every gridwatch.*.dead-letter.v1 topic), kept so that integrators
-- can see what was refused and why: the record's own bytes, its reason and detail, where it came
-- from. Keyed by the dead-letter record's place in Kafka and its time: a redelivery is stored once.
CREATE TABLE dead_letter (
    recorded_at  timestamptz NOT NULL,
    topic        text        NOT NULL,
    kafka_partition integer  NOT NULL,
    kafka_offset bigint      NOT NULL,
    record_key   text,
    reason       text        NOT NULL,
    detail       text        NOT NULL,
    source       text,
    gateway_id   text,
    content_type text,
    payload      bytea       NOT NULL,
    PRIMARY KEY (topic, kafka_partition, kafka_offset, recorded_at)
);
CREATE INDEX dead_letter_by_time ON dead_letter (recorded_at DESC);
