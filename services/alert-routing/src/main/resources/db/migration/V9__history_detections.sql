-- The detection behind each event of an alert's history (raised, repeated, cleared): an alert
-- links its detections through its history, which the batch writes anyway.
ALTER TABLE alert_history ADD COLUMN detection_id text;
DROP INDEX processed_detection_by_alert;
ALTER TABLE processed_detection DROP COLUMN alert_id;
