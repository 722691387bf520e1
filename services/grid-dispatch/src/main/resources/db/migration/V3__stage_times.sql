-- What supervisors are shown: each event that ends a stage (accept, arrive, resolve, verify, and
-- "close" for the whole task) keeps how long the stage took and whether it ended by its first
-- deadline, as they were when it happened (a later change of the deadline table rewrites nothing).
ALTER TABLE task_history
    ADD COLUMN stage         text,
    ADD COLUMN stage_seconds double precision,
    ADD COLUMN on_time       boolean;
CREATE INDEX task_history_stage_ends ON task_history (occurred_at) WHERE stage IS NOT NULL;
