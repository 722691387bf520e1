-- Raw readings include vital signs, which are health data: kept raw_retention (30 days unless
-- configured), then whole chunks are dropped. The aggregates below outlive them. Events are kept
-- event_retention. Policies are set again at every start, so a changed setting takes effect.
SELECT remove_retention_policy('telemetry.reading_value', if_exists => TRUE);
SELECT add_retention_policy('telemetry.reading_value', drop_after => INTERVAL '${raw_retention:30 days}');
SELECT remove_retention_policy('telemetry.reading_attributes', if_exists => TRUE);
SELECT add_retention_policy('telemetry.reading_attributes', drop_after => INTERVAL '${raw_retention:30 days}');
SELECT remove_retention_policy('telemetry.detection', if_exists => TRUE);
SELECT add_retention_policy('telemetry.detection', drop_after => INTERVAL '${event_retention:365 days}');
SELECT remove_retention_policy('telemetry.alert_event', if_exists => TRUE);
SELECT add_retention_policy('telemetry.alert_event', drop_after => INTERVAL '${event_retention:365 days}');
SELECT remove_retention_policy('telemetry.task_event', if_exists => TRUE);
SELECT add_retention_policy('telemetry.task_event', drop_after => INTERVAL '${event_retention:365 days}');
SELECT remove_retention_policy('telemetry.dead_letter', if_exists => TRUE);
SELECT add_retention_policy('telemetry.dead_letter', drop_after => INTERVAL '${event_retention:365 days}');
