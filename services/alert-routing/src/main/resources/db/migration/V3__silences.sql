-- Silences and maintenance windows: alerts that match one while it is active are still recorded,
-- shown as silenced, and not notified. A matcher left empty matches anything; at least one is set.
CREATE TABLE silence (
    silence_id uuid        PRIMARY KEY,
    -- Any level of the hierarchy: a district, street, community, grid, building or unit.
    area_id    text,
    kind       text,
    -- A device (an elevator, say) or an alert's subject.
    device_id  text,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason     text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expired_at timestamptz,
    expired_by text,
    CHECK (ends_at > starts_at),
    CHECK (area_id IS NOT NULL OR kind IS NOT NULL OR device_id IS NOT NULL)
);
CREATE INDEX silence_by_end ON silence (ends_at);
