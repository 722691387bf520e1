-- The gateway a device alert came through, so that a gateway's own alert can hide its devices'.
ALTER TABLE alert ADD COLUMN gateway_id text;

-- Inhibition rules: while an active alert of source_kind at source_min_severity or worse exists,
-- active alerts of the target kinds that share its building (or whose device is on the gateway
-- the source is about) are hidden behind it. Hidden alerts are still recorded and shown with the
-- alert that hides them; an alert that is itself a source is never hidden by another.
CREATE TABLE inhibition (
    inhibition_id       text     PRIMARY KEY,
    source_kind         text     NOT NULL,
    -- gridwatch.v1.Severity number: 1 info, 2 warning, 3 critical.
    source_min_severity smallint NOT NULL,
    target_kinds        text[]   NOT NULL,
    equal               text     NOT NULL CHECK (equal IN ('building', 'gateway')),
    description         text     NOT NULL
);

INSERT INTO inhibition VALUES
    ('confirmed-fire', 'fire.smoke', 3, ARRAY['fire.smoke', 'fire.heat', 'fire.heat-rise'], 'building',
     'A confirmed fire (smoke, CRITICAL) hides the single smoke and heat alerts of its building'),
    ('gateway-offline', 'gateway.offline', 1, ARRAY['device.offline'], 'gateway',
     'A gateway offline hides the offline alerts of the devices behind it');
