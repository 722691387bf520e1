-- Tasks for field grid workers, owned by grid-dispatch.
CREATE TABLE task (
    task_id           uuid        PRIMARY KEY,
    -- The alert the task came from; empty for tasks from the hotline, patrols or residents.
    alert_id          text,
    channel           text        NOT NULL,
    kind              text        NOT NULL,
    severity          smallint    NOT NULL,
    state             text        NOT NULL CHECK (state IN ('CREATED', 'ASSIGNED', 'ACCEPTED', 'ON_SITE',
                                                            'RESOLVED', 'VERIFIED', 'CLOSED', 'CANCELLED')),
    worker_id         text,
    district_id       text,
    street_id         text,
    community_id      text,
    grid_id           text,
    building_id       text,
    unit_id           text,
    subject_id        text,
    summary           text,
    assignment_reason text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- One task per alert: a redelivered "alert opened" event finds it and creates nothing.
CREATE UNIQUE INDEX task_one_per_alert ON task (alert_id) WHERE alert_id IS NOT NULL;
CREATE INDEX task_by_worker_and_state ON task (worker_id, state);
CREATE INDEX task_by_state_and_time ON task (state, created_at DESC);

-- Task events waiting to be published to Kafka (transactional outbox).
CREATE TABLE outbox (
    seq        bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
