-- Whether the alert's policy asks for a task: an alert silenced or hidden when it opens gets its
-- task when it is first told, not never.
ALTER TABLE alert ADD COLUMN wants_dispatch boolean NOT NULL DEFAULT false;
