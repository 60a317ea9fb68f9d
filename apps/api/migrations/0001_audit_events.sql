-- D-15: one row per FGM interaction, allowed or refused.
CREATE TABLE IF NOT EXISTS audit_events (
  request_id   TEXT PRIMARY KEY,          -- the X-Request-ID returned to the client
  occurred_at  TEXT NOT NULL,             -- ISO 8601 instant (UTC)
  day          TEXT NOT NULL,             -- Europe/London calendar date, for "a day's accesses"
  interaction  TEXT NOT NULL,             -- search | read | add | remove
  trace_id     TEXT,                      -- the client's TraceID, when well-formed
  from_asid    TEXT,                      -- FromASID, when well-formed
  user_sub     TEXT,                      -- token claims, when the token verified
  user_role    TEXT,
  user_org     TEXT,
  nhs_number   TEXT,                      -- when known
  flag_id      TEXT,                      -- when known
  status       INTEGER NOT NULL,          -- HTTP status returned
  details_code TEXT                       -- Spine details code of the OperationOutcome, if any
);
CREATE INDEX IF NOT EXISTS audit_events_by_patient ON audit_events (nhs_number, occurred_at);
CREATE INDEX IF NOT EXISTS audit_events_by_day ON audit_events (day, occurred_at);
