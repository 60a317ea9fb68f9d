-- Audit at national scale (D-15): each row carries its patient's archive
-- bucket (the first nine digits of the NHS number modulo 4096; NULL when the
-- request named no patient), so the archive job can move a closed month of
-- one bucket from D1 to R2 with one indexed query, and a subject access
-- request reads one R2 prefix.
ALTER TABLE audit_events ADD COLUMN patient_bucket INTEGER;
UPDATE audit_events SET patient_bucket = CAST(substr(nhs_number, 1, 9) AS INTEGER) % 4096
  WHERE nhs_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
CREATE INDEX IF NOT EXISTS audit_events_by_bucket ON audit_events (patient_bucket, day, occurred_at);
