-- When the system recorded each event (its occurred_at is the time of the detection or action).
ALTER TABLE alert_history ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT clock_timestamp();
