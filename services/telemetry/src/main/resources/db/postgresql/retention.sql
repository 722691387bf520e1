-- Retention without TimescaleDB, run by the service on a schedule: rows older than the limits of
-- db/timescale/3-retention.sql are deleted (TimescaleDB drops whole chunks instead).
DELETE FROM telemetry.reading_value WHERE observed_at < now() - INTERVAL '${raw_retention:30 days}';
DELETE FROM telemetry.reading_attributes WHERE observed_at < now() - INTERVAL '${raw_retention:30 days}';
DELETE FROM telemetry.detection WHERE detected_at < now() - INTERVAL '${event_retention:365 days}';
DELETE FROM telemetry.alert_event WHERE occurred_at < now() - INTERVAL '${event_retention:365 days}';
DELETE FROM telemetry.task_event WHERE occurred_at < now() - INTERVAL '${event_retention:365 days}';
DELETE FROM telemetry.dead_letter WHERE recorded_at < now() - INTERVAL '${event_retention:365 days}';
