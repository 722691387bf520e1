-- TimescaleDB in the public schema (the service's search path is telemetry, public). A database
-- that ran on plain PostgreSQL before has its stand-ins replaced: the aggregates' materialized
-- views (made again as continuous aggregates by 4-aggregates.sql) and the date_bin time_bucket.
CREATE EXTENSION IF NOT EXISTS timescaledb SCHEMA public;
DO $$
DECLARE
    stand_in record;
BEGIN
    FOR stand_in IN
        SELECT m.matviewname FROM pg_matviews m
        WHERE m.schemaname = 'telemetry'
          AND m.matviewname IN ('reading_1m', 'reading_1h', 'alert_counts_1h', 'task_stages_1d')
          AND NOT EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates c
                          WHERE c.view_schema = 'telemetry' AND c.view_name = m.matviewname)
    LOOP
        EXECUTE format('DROP MATERIALIZED VIEW telemetry.%I CASCADE', stand_in.matviewname);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS telemetry.time_bucket(interval, timestamptz);
