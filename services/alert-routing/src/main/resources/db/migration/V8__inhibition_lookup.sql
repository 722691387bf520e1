-- Whether an active alert hides another is looked up on every read of an alert: by kind and
-- building (a confirmed fire) or by subject (a gateway), never by scanning the active alerts.
CREATE INDEX alert_active_by_kind_building ON alert (kind, building_id) WHERE state <> 'RESOLVED';
