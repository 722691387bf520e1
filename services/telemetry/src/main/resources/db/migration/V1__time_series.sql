-- Time series of GridWatch, owned by telemetry. Plain tables here; StorageSetup turns them into
-- TimescaleDB hypertables when the extension is available. Every primary key holds the time
-- column (a hypertable requires it) and the record's stable id, so a redelivered record is
-- stored once (INSERT .. ON CONFLICT DO NOTHING).

-- Readings are stored wide: one row per reading with its values as jsonb. The metric names of a
-- sensor type vary (integrators add types without a release), and one row per reading keeps a
-- redelivered reading to exactly one row.
CREATE TABLE reading (
    observed_at timestamptz NOT NULL,
    device_id   text        NOT NULL,
    event_id    text        NOT NULL,
    gateway_id  text        NOT NULL,
    sensor_type text        NOT NULL,
    received_at timestamptz,
    "values"    jsonb       NOT NULL,
    attributes  jsonb,
    PRIMARY KEY (device_id, observed_at, event_id)
);

CREATE TABLE detection (
    detected_at  timestamptz NOT NULL,
    detection_id text        NOT NULL,
    phase        text        NOT NULL,
    kind         text        NOT NULL,
    severity     text        NOT NULL,
    subject_id   text        NOT NULL,
    device_id    text,
    area_id      text,
    rule_id      text,
    summary      text,
    payload      jsonb       NOT NULL,
    PRIMARY KEY (detection_id, detected_at)
);
CREATE INDEX detection_by_subject ON detection (subject_id, detected_at DESC);

CREATE TABLE alert_event (
    occurred_at timestamptz NOT NULL,
    event_id    text        NOT NULL,
    alert_id    text        NOT NULL,
    type        text        NOT NULL,
    kind        text        NOT NULL,
    severity    text        NOT NULL,
    state       text        NOT NULL,
    subject_id  text,
    grid_id     text,
    actor       text,
    payload     jsonb       NOT NULL,
    PRIMARY KEY (event_id, occurred_at)
);
CREATE INDEX alert_event_by_alert ON alert_event (alert_id, occurred_at);

CREATE TABLE task_event (
    occurred_at timestamptz NOT NULL,
    event_id    text        NOT NULL,
    task_id     text        NOT NULL,
    alert_id    text,
    type        text        NOT NULL,
    state       text        NOT NULL,
    worker_id   text,
    grid_id     text,
    actor       text,
    payload     jsonb       NOT NULL,
    PRIMARY KEY (event_id, occurred_at)
);
CREATE INDEX task_event_by_task ON task_event (task_id, occurred_at);
