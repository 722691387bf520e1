-- Without TimescaleDB (the local stack's plain PostgreSQL): the same tables, plain, and a
-- time_bucket over date_bin so that queries have one dialect. Same result as TimescaleDB's
-- time_bucket for the fixed-size intervals GridWatch uses (origin 2000-01-03, a Monday, as theirs).
CREATE OR REPLACE FUNCTION telemetry.time_bucket(bucket_width interval, ts timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$;
