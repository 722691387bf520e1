-- The closed loop: assigned > accepted > on site > resolved > verified by someone else > closed,
-- with declines, time-outs, cancellations, failed verifications and a backlog; deadlines per
-- stage that escalate up the hierarchy; every step in the task's history.
ALTER TABLE task DROP CONSTRAINT task_state_check;
ALTER TABLE task ADD CONSTRAINT task_state_check CHECK (state IN ('CREATED', 'ASSIGNED', 'ACCEPTED', 'ON_SITE',
    'RESOLVED', 'VERIFIED', 'CLOSED', 'CANCELLED', 'BACKLOG'));

ALTER TABLE task
    -- The skill the task calls for (from its deadline row), null when anyone will do.
    ADD COLUMN skill            text,
    ADD COLUMN deadline_id      text,
    -- Where the problem is, when known (a report's position, or the building's).
    ADD COLUMN latitude         double precision,
    ADD COLUMN longitude        double precision,
    -- Who reported it, for tasks from the hotline, a patrol or a resident.
    ADD COLUMN reported_by      text,
    ADD COLUMN resolved_by      text,
    ADD COLUMN resolution_note  text,
    ADD COLUMN photo            bytea,
    ADD COLUMN photo_type       text,
    ADD COLUMN verified_by      text,
    -- The last reason given: a decline, a cancellation, a failed verification, a backlog.
    ADD COLUMN reason           text,
    -- The deadline of the current stage; the timer takes due rows with FOR UPDATE SKIP LOCKED.
    ADD COLUMN due_at           timestamptz,
    -- Set when the current stage missed its deadline (the overdue list), cleared when it moves on.
    ADD COLUMN overdue_since    timestamptz,
    -- The level answering for the task beyond its worker, and who there.
    ADD COLUMN escalation_level text,
    ADD COLUMN escalated_to     text,
    ADD COLUMN escalations      integer NOT NULL DEFAULT 0,
    ADD COLUMN stage_started_at timestamptz;
UPDATE task SET stage_started_at = updated_at;
ALTER TABLE task ALTER COLUMN stage_started_at SET NOT NULL;

CREATE INDEX task_due ON task (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX task_overdue ON task (overdue_since) WHERE overdue_since IS NOT NULL;

-- Every step of every task, with who, when and where. A request id (sent by a phone with each
-- action) is kept once per task and actor, so a retried request changes nothing the second time.
CREATE TABLE task_history (
    seq         bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    task_id     uuid        NOT NULL REFERENCES task (task_id),
    type        text        NOT NULL,
    actor       text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    state       text        NOT NULL,
    worker_id   text,
    latitude    double precision,
    longitude   double precision,
    note        text,
    request_id  text
);
CREATE INDEX task_history_by_task ON task_history (task_id, seq);
CREATE UNIQUE INDEX task_request_once ON task_history (task_id, actor, request_id) WHERE request_id IS NOT NULL;

-- What a worker's phone tells: on duty or not (null: their shifts decide) and the last position.
CREATE TABLE worker_status (
    worker_id   text        PRIMARY KEY,
    on_duty     boolean,
    latitude    double precision,
    longitude   double precision,
    position_at timestamptz,
    updated_at  timestamptz NOT NULL
);

-- Time limits per kind and severity, as digital city management sets them per sub-category:
-- the first row by priority whose pattern and minimum severity match applies, and names the
-- skill the task calls for. Edited through the API; seeded with defaults.
CREATE TABLE deadline (
    deadline_id     text     PRIMARY KEY,
    priority        integer  NOT NULL,
    -- An exact kind, a prefix ending in ".*", or "*" for every kind.
    kind_pattern    text     NOT NULL,
    min_severity    smallint NOT NULL DEFAULT 1,
    skill           text,
    accept_seconds  integer  NOT NULL CHECK (accept_seconds > 0),
    arrive_seconds  integer  NOT NULL CHECK (arrive_seconds > 0),
    resolve_seconds integer  NOT NULL CHECK (resolve_seconds > 0),
    verify_seconds  integer  NOT NULL CHECK (verify_seconds > 0)
);
INSERT INTO deadline VALUES
    ('fire',        10, 'fire.*',         1, 'fire',          60,  600,  3600, 86400),
    ('gas',         20, 'gas.*',          1, 'fire',          60,  600,  3600, 86400),
    ('electrical',  30, 'electrical.*',   1, 'fire',         120,  900,  7200, 86400),
    ('elevator',    40, 'elevator.*',     1, 'elevator',     120,  900,  3600, 86400),
    ('vital-signs', 50, 'vital-signs.*',  1, 'welfare-visit', 120, 900,  3600, 86400),
    ('daily-living', 60, 'daily-living.*', 1, 'welfare-visit', 300, 1800, 7200, 86400),
    ('default',   1000, '*',              1, NULL,          600, 3600, 86400, 172800);
