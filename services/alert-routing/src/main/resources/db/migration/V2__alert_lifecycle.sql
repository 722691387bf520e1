-- What people do with an alert: acknowledge, assign, comment, resolve with a note.
ALTER TABLE alert
    ADD COLUMN acknowledged_at timestamptz,
    ADD COLUMN acknowledged_by text,
    ADD COLUMN assignee        text,
    ADD COLUMN resolution_note text;

-- Every change of every alert, with who and when, in the order it happened: the history an
-- operator reads. Written in the same transaction as the change and its outbox event.
CREATE TABLE alert_history (
    seq         bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    alert_id    uuid        NOT NULL REFERENCES alert (alert_id),
    type        text        NOT NULL,
    actor       text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    state       text        NOT NULL,
    severity    smallint    NOT NULL,
    note        text
);
CREATE INDEX alert_history_by_alert ON alert_history (alert_id, seq);
