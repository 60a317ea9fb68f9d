-- Each audit record keyed by an id the server makes (D-15): `record_id`.
-- Until now the key was `request_id`, the X-Request-ID the client may choose
-- (D-21): a client reusing one would have had a second record dropped as a
-- redelivery. `request_id` stays, as the request's id, and need not be unique
-- (a change the ledger committed and the response the client got can be two
-- records of one request). Existing rows keep their request id as record id.
CREATE TABLE audit_events_v4 (
  record_id           TEXT PRIMARY KEY,   -- server-made: a UUID per response, or change:{flag id}:{version} for a committed change
  request_id          TEXT NOT NULL,      -- the X-Request-ID returned to the client
  occurred_at         TEXT NOT NULL,
  day                 TEXT NOT NULL,
  channel             TEXT NOT NULL DEFAULT 'r4',
  interaction         TEXT NOT NULL,
  trace_id            TEXT,
  from_asid           TEXT,
  user_sub            TEXT,
  user_role           TEXT,
  user_org            TEXT,
  nhs_number          TEXT,
  flag_id             TEXT,
  status              INTEGER NOT NULL,
  details_code        TEXT,
  message_birth_date  TEXT,
  message_gp_practice TEXT,
  patient_bucket      INTEGER
);
INSERT INTO audit_events_v4 (record_id, request_id, occurred_at, day, channel, interaction, trace_id, from_asid, user_sub, user_role, user_org, nhs_number, flag_id, status, details_code, message_birth_date, message_gp_practice, patient_bucket)
  SELECT request_id, request_id, occurred_at, day, channel, interaction, trace_id, from_asid, user_sub, user_role, user_org, nhs_number, flag_id, status, details_code, message_birth_date, message_gp_practice, patient_bucket
  FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_v4 RENAME TO audit_events;
CREATE INDEX audit_events_by_patient ON audit_events (nhs_number, occurred_at);
CREATE INDEX audit_events_by_day ON audit_events (day, occurred_at);
CREATE INDEX audit_events_by_bucket ON audit_events (patient_bucket, day, occurred_at);

