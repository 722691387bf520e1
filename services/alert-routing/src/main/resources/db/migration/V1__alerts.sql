-- Alerts of GridWatch, owned by alert-routing.
CREATE TABLE alert (
    alert_id          uuid        PRIMARY KEY,
    subject_id        text        NOT NULL,
    kind              text        NOT NULL,
    state             text        NOT NULL CHECK (state IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    -- gridwatch.v1.Severity number: 1 info, 2 warning, 3 critical; only ever raised while active.
    severity          smallint    NOT NULL,
    device_id         text,
    district_id       text,
    street_id         text,
    community_id      text,
    grid_id           text,
    building_id       text,
    unit_id           text,
    summary           text,
    repeat_count      integer     NOT NULL DEFAULT 1,
    first_seen        timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    opened_at         timestamptz NOT NULL,
    resolved_at       timestamptz,
    resolved_by       text,
    last_detection_id text        NOT NULL,
    evidence          jsonb
);

-- Exactly one active alert per subject and kind, enforced here and not by a read-then-write:
-- concurrent detections from several replicas meet in INSERT .. ON CONFLICT on this index.
CREATE UNIQUE INDEX alert_one_active_per_subject_kind ON alert (subject_id, kind) WHERE state <> 'RESOLVED';
CREATE INDEX alert_by_state_and_time ON alert (state, opened_at DESC);
CREATE INDEX alert_by_grid ON alert (grid_id, opened_at DESC);

-- Detections already applied, so that a redelivered detection changes nothing.
CREATE TABLE processed_detection (
    detection_id text        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Alert events waiting to be published to Kafka (transactional outbox).
CREATE TABLE outbox (
    seq        bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
