-- Continuous aggregates, real-time (materialized buckets plus the newest raw rows), each refreshed
-- by its own policy. The same views exist without TimescaleDB (db/postgresql), so queries are one.

-- Per device and metric, per minute and per hour (the hour built on the minute).
CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.reading_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT public.time_bucket(INTERVAL '1 minute', observed_at) AS bucket, device_id, metric,
       count(*) AS samples, avg(value) AS mean, min(value) AS low, max(value) AS high
FROM telemetry.reading_value
GROUP BY public.time_bucket(INTERVAL '1 minute', observed_at), device_id, metric
WITH NO DATA;
SELECT add_continuous_aggregate_policy('telemetry.reading_1m', start_offset => INTERVAL '3 hours',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute', if_not_exists => TRUE);
SELECT remove_retention_policy('telemetry.reading_1m', if_exists => TRUE);
SELECT add_retention_policy('telemetry.reading_1m', drop_after => INTERVAL '${minute_retention:90 days}');

CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.reading_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT public.time_bucket(INTERVAL '1 hour', bucket) AS bucket, device_id, metric,
       sum(samples) AS samples, sum(mean * samples) / sum(samples) AS mean, min(low) AS low, max(high) AS high
FROM telemetry.reading_1m
GROUP BY public.time_bucket(INTERVAL '1 hour', bucket), device_id, metric
WITH NO DATA;
SELECT add_continuous_aggregate_policy('telemetry.reading_1h', start_offset => INTERVAL '3 days',
    end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes', if_not_exists => TRUE);

-- Alerts per area, kind and hour: how many opened and resolved.
CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.alert_counts_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT public.time_bucket(INTERVAL '1 hour', occurred_at) AS bucket, district_id, street_id, community_id, grid_id, kind,
       count(*) FILTER (WHERE type = 'TYPE_OPENED') AS opened,
       count(*) FILTER (WHERE type = 'TYPE_RESOLVED') AS resolved,
       count(*) AS events
FROM telemetry.alert_event
GROUP BY public.time_bucket(INTERVAL '1 hour', occurred_at), district_id, street_id, community_id, grid_id, kind
WITH NO DATA;
SELECT add_continuous_aggregate_policy('telemetry.alert_counts_1h', start_offset => INTERVAL '3 days',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '5 minutes', if_not_exists => TRUE);

-- Task stage times per area, stage and day: how many ended, how many on time, mean and longest.
CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.task_stages_1d
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT public.time_bucket(INTERVAL '1 day', occurred_at) AS bucket, district_id, street_id, community_id, grid_id, stage,
       count(*) AS ended, count(*) FILTER (WHERE stage_on_time) AS on_time,
       avg(stage_seconds) AS mean_seconds, max(stage_seconds) AS max_seconds
FROM telemetry.task_event
WHERE stage IS NOT NULL
GROUP BY public.time_bucket(INTERVAL '1 day', occurred_at), district_id, street_id, community_id, grid_id, stage
WITH NO DATA;
SELECT add_continuous_aggregate_policy('telemetry.task_stages_1d', start_offset => INTERVAL '7 days',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '15 minutes', if_not_exists => TRUE);
