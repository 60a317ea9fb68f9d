-- The legacy messaging channel (L-9): which channel an interaction came by
-- (interaction query | create | delete on 'messaging'), and what a legacy
-- create message said that is recorded but never trusted (L-6).
ALTER TABLE audit_events ADD COLUMN channel TEXT NOT NULL DEFAULT 'r4';   -- r4 | messaging
ALTER TABLE audit_events ADD COLUMN message_birth_date TEXT;             -- the message's contained Patient birthDate
ALTER TABLE audit_events ADD COLUMN message_gp_practice TEXT;            -- the message's GP practice ODS code
