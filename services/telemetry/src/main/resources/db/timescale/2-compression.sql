-- Readings compressed once they are old enough (compress_after): segmented by device and metric
-- (every query reads one device's metric over time), newest first within a segment. Set once:
-- TimescaleDB refuses to change the segmenting of a table that has compressed chunks.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                   WHERE hypertable_schema = 'telemetry' AND hypertable_name = 'reading_value' AND compression_enabled) THEN
        ALTER TABLE telemetry.reading_value SET (timescaledb.compress,
            timescaledb.compress_segmentby = 'device_id, metric', timescaledb.compress_orderby = 'observed_at DESC');
    END IF;
END $$;
SELECT remove_compression_policy('telemetry.reading_value', if_exists => TRUE);
SELECT add_compression_policy('telemetry.reading_value', compress_after => INTERVAL '${compress_after:7 days}');
