-- Hypertables (applied at every start, idempotent). Chunk intervals for the expected rate: a
-- district of 10,000 devices reading once a minute with about 3 values each writes some 43 million
-- value rows a day, about 4 GB with the primary key; a day per chunk keeps the chunk being written
-- and its index within a quarter of a 24 GB server's memory, as TimescaleDB advises, and lets
-- retention drop whole days. Events are a few thousand a day: a week per chunk.
SELECT create_hypertable('telemetry.reading_value', by_range('observed_at', INTERVAL '${reading_chunk:1 day}'),
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('telemetry.reading_attributes', by_range('observed_at', INTERVAL '7 days'),
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('telemetry.detection', by_range('detected_at', INTERVAL '7 days'),
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('telemetry.alert_event', by_range('occurred_at', INTERVAL '7 days'),
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('telemetry.task_event', by_range('occurred_at', INTERVAL '7 days'),
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('telemetry.dead_letter', by_range('recorded_at', INTERVAL '7 days'),
                         if_not_exists => TRUE, migrate_data => TRUE);
