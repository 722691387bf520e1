-- Readings stored narrow: one row per value. Measured against wide (one row per reading, values as
-- jsonb) on the storage benchmark (services/telemetry/README.md): wide writes faster, but narrow
-- meets the rate goal and is what the time-series features need: continuous aggregates per device
-- and metric (TimescaleDB cannot expand jsonb inside a continuous aggregate), compression segmented
-- by device and metric, downsampling of one metric without parsing every reading's jsonb.
-- The key is (device, metric, time): a redelivered reading, even under a new event id, is stored once.
CREATE TABLE reading_value (
    observed_at timestamptz      NOT NULL,
    device_id   text             NOT NULL,
    metric      text             NOT NULL,
    value       double precision NOT NULL,
    event_id    text             NOT NULL,
    received_at timestamptz,
    PRIMARY KEY (device_id, metric, observed_at)
);

-- A reading's attributes (strings a gateway adds, e.g. firmware) are rare: kept apart, only when present.
CREATE TABLE reading_attributes (
    observed_at timestamptz NOT NULL,
    device_id   text        NOT NULL,
    event_id    text        NOT NULL,
    attributes  jsonb       NOT NULL,
    PRIMARY KEY (device_id, observed_at, event_id)
);

INSERT INTO reading_value (observed_at, device_id, metric, value, event_id, received_at)
SELECT r.observed_at, r.device_id, v.key, (v.value #>> '{}')::double precision, r.event_id, r.received_at
FROM reading r, jsonb_each(r."values") v
WHERE jsonb_typeof(v.value) = 'number' OR v.value #>> '{}' IN ('NaN', 'Infinity', '-Infinity')
ON CONFLICT DO NOTHING;
INSERT INTO reading_attributes (observed_at, device_id, event_id, attributes)
SELECT observed_at, device_id, event_id, attributes FROM reading WHERE attributes IS NOT NULL
ON CONFLICT DO NOTHING;
DROP TABLE reading;

-- Alert and task events keep every level of their place, for counts per community, street, district.
ALTER TABLE alert_event
    ADD COLUMN district_id  text,
    ADD COLUMN street_id    text,
    ADD COLUMN community_id text;
ALTER TABLE task_event
    ADD COLUMN district_id   text,
    ADD COLUMN street_id     text,
    ADD COLUMN community_id  text,
    -- Set on events that end a stage (accept, arrive, resolve, verify; close for the whole task).
    ADD COLUMN stage         text,
    ADD COLUMN stage_seconds double precision,
    ADD COLUMN stage_on_time boolean;
UPDATE alert_event SET district_id = payload #>> '{location,districtId}', street_id = payload #>> '{location,streetId}',
    community_id = payload #>> '{location,communityId}';
UPDATE task_event SET district_id = payload #>> '{location,districtId}', street_id = payload #>> '{location,streetId}',
    community_id = payload #>> '{location,communityId}';
