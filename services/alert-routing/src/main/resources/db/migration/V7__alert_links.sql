-- An alert's links: the detections applied to it, and the task grid-dispatch made of it.
ALTER TABLE processed_detection ADD COLUMN alert_id uuid;
CREATE INDEX processed_detection_by_alert ON processed_detection (alert_id, processed_at);
ALTER TABLE alert ADD COLUMN task_id text;
