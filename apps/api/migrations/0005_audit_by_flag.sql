-- The history of one flag (`npm run audit -- flag <id>`, issue 19) reads by flag id: without this index it scanned the
-- whole table, locally and in a deployment's D1.
CREATE INDEX IF NOT EXISTS audit_events_by_flag ON audit_events (flag_id, occurred_at);
