-- Routing: which policy an alert follows, who is told, and when it escalates.

-- Where notifications go. A channel's type names its sender: 'webhook' is shipped (a signed POST
-- to target); other senders (SMS or voice to a resident's family) plug in by type.
CREATE TABLE notification_channel (
    channel_id  text        PRIMARY KEY,
    type        text        NOT NULL,
    target      text        NOT NULL,
    -- Signs every request (HMAC-SHA256), so the receiver can tell it came from GridWatch.
    secret      text,
    description text        NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Routing policies, tried by priority (lowest first); the first that matches an alert when it
-- opens is copied onto the alert, so a later change of policy does not change an open alert.
CREATE TABLE routing_policy (
    policy_id              text     PRIMARY KEY,
    priority               integer  NOT NULL,
    -- Kinds matched, exactly or by prefix ('fire.*'); null: any kind.
    kinds                  text[],
    -- gridwatch.v1.Severity number: 1 info, 2 warning, 3 critical.
    min_severity           smallint NOT NULL DEFAULT 1,
    -- An area at any level of the hierarchy; null: everywhere.
    area_id                text,
    -- The level whose consoles see the alert and whose people are told first.
    level                  text     NOT NULL CHECK (level IN ('grid', 'community', 'street', 'district')),
    -- Whether grid-dispatch makes a task of the alert.
    auto_dispatch          boolean  NOT NULL,
    channels               text[]   NOT NULL DEFAULT '{}',
    -- Without acknowledgement within this time, the next level up is told; null: never.
    escalate_after_seconds integer  CHECK (escalate_after_seconds > 0),
    -- Once the district is told, reminders at this interval until acknowledged; null: none.
    remind_every_seconds   integer  CHECK (remind_every_seconds > 0),
    description            text     NOT NULL DEFAULT ''
);

INSERT INTO routing_policy (policy_id, priority, kinds, min_severity, area_id, level, auto_dispatch, channels,
                            escalate_after_seconds, remind_every_seconds, description) VALUES
    ('storm', 50, ARRAY['alert.storm'], 1, NULL, 'community', false, '{}', 600, NULL,
     'A storm summary: the community console, no task (the alerts it sums up are listed), escalated after 10 min'),
    ('critical', 100, NULL, 3, NULL, 'community', true, '{}', 120, 300,
     'Life safety (CRITICAL): the community console at once and a task; a level up every 2 min without acknowledgement, then a reminder every 5 min'),
    ('default', 1000, NULL, 1, NULL, 'grid', true, '{}', 900, 1800,
     'Everything else: the grid console and a task; a level up every 15 min without acknowledgement, then a reminder every 30 min');

-- Related alerts (same kind, same building, opened within a window of each other) shown as one.
CREATE TABLE alert_group (
    group_id        uuid        PRIMARY KEY,
    kind            text        NOT NULL,
    -- The building, or the most precise area known when there is none.
    area_id         text        NOT NULL,
    first_opened_at timestamptz NOT NULL,
    last_opened_at  timestamptz NOT NULL,
    alert_count     integer     NOT NULL
);
CREATE INDEX alert_group_latest ON alert_group (kind, area_id, last_opened_at DESC);

ALTER TABLE alert
    -- Database time when the row was made (opened_at is the detection's time), for storm counts.
    ADD COLUMN created_at             timestamptz NOT NULL DEFAULT now(),
    -- The routing policy, frozen when the alert opens.
    ADD COLUMN policy_id              text,
    ADD COLUMN channels               text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN escalate_after_seconds integer,
    ADD COLUMN remind_every_seconds   integer,
    ADD COLUMN dispatch               boolean     NOT NULL DEFAULT false,
    -- The highest level whose consoles see the alert: the policy's, raised by escalation.
    ADD COLUMN level                  text,
    -- The highest level told so far; null while nobody has been (silenced, hidden or in a storm).
    ADD COLUMN notified_level         text,
    ADD COLUMN escalations            integer     NOT NULL DEFAULT 0,
    -- The escalation timer: due then unless acknowledged or resolved first.
    ADD COLUMN next_escalation_at     timestamptz,
    ADD COLUMN group_id               uuid REFERENCES alert_group (group_id),
    -- The storm summary alert that speaks for this one: it is recorded, shown, and not told alone.
    ADD COLUMN summarized_by          uuid;
CREATE INDEX alert_escalation_due ON alert (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
CREATE INDEX alert_recent_by_community ON alert (community_id, created_at);
CREATE INDEX alert_by_group ON alert (group_id);

-- The level of consoles that saw each event, for the live feed's filter by level.
ALTER TABLE alert_history ADD COLUMN level text;

-- Notifications to send, written in the same transaction as the alert event they tell of and sent
-- at least once by whichever replica leases them first; the id goes with every attempt so that a
-- receiver can drop a repeat.
CREATE TABLE notification (
    notification_id uuid        PRIMARY KEY,
    alert_id        uuid        NOT NULL REFERENCES alert (alert_id),
    event_id        uuid        NOT NULL,
    channel_id      text        NOT NULL,
    -- OPENED, ESCALATED, REMINDED, ACKNOWLEDGED, RESOLVED.
    reason          text        NOT NULL,
    level           text        NOT NULL,
    area_id         text,
    payload         jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- When it is due: at first now; while a sender holds it, the end of its lease (a replica that
    -- dies while sending leaves it to be taken over then); after a failed attempt, the backoff.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    UNIQUE (event_id, channel_id)
);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX notification_by_alert ON notification (alert_id, created_at);

-- The live feed no longer filters by transaction id: events now take their history position
-- under a transaction lock held to commit (see AlertJournal), so positions are in commit order.
ALTER TABLE alert_history DROP COLUMN txid;
