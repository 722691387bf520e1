-- The live feed reads the history in seq order. A seq is taken when a row is inserted, not when
-- its transaction commits, so a lower seq can become visible after a higher one. Each row keeps
-- its transaction id, and the feed only reads rows whose transaction is older than every
-- transaction still running: nothing can appear behind a position a client has already seen.
ALTER TABLE alert_history ADD COLUMN txid bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint;
