-- The continuous aggregates of db/timescale as materialized views, refreshed on a schedule by the
-- service (each with a unique index, so it refreshes concurrently: readers are never blocked).
CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.reading_1m AS
SELECT time_bucket(INTERVAL '1 minute', observed_at) AS bucket, device_id, metric,
       count(*) AS samples, avg(value) AS mean, min(value) AS low, max(value) AS high
FROM telemetry.reading_value
GROUP BY time_bucket(INTERVAL '1 minute', observed_at), device_id, metric
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS reading_1m_key ON telemetry.reading_1m (device_id, metric, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.reading_1h AS
SELECT time_bucket(INTERVAL '1 hour', observed_at) AS bucket, device_id, metric,
       count(*) AS samples, avg(value) AS mean, min(value) AS low, max(value) AS high
FROM telemetry.reading_value
GROUP BY time_bucket(INTERVAL '1 hour', observed_at), device_id, metric
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS reading_1h_key ON telemetry.reading_1h (device_id, metric, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.alert_counts_1h AS
SELECT time_bucket(INTERVAL '1 hour', occurred_at) AS bucket, district_id, street_id, community_id, grid_id, kind,
       count(*) FILTER (WHERE type = 'TYPE_OPENED') AS opened,
       count(*) FILTER (WHERE type = 'TYPE_RESOLVED') AS resolved,
       count(*) AS events
FROM telemetry.alert_event
GROUP BY time_bucket(INTERVAL '1 hour', occurred_at), district_id, street_id, community_id, grid_id, kind
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS alert_counts_1h_key ON telemetry.alert_counts_1h
    (bucket, district_id, street_id, community_id, grid_id, kind) NULLS NOT DISTINCT;

CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry.task_stages_1d AS
SELECT time_bucket(INTERVAL '1 day', occurred_at) AS bucket, district_id, street_id, community_id, grid_id, stage,
       count(*) AS ended, count(*) FILTER (WHERE stage_on_time) AS on_time,
       avg(stage_seconds) AS mean_seconds, max(stage_seconds) AS max_seconds
FROM telemetry.task_event
WHERE stage IS NOT NULL
GROUP BY time_bucket(INTERVAL '1 day', occurred_at), district_id, street_id, community_id, grid_id, stage
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS task_stages_1d_key ON telemetry.task_stages_1d
    (bucket, district_id, street_id, community_id, grid_id, stage) NULLS NOT DISTINCT;
