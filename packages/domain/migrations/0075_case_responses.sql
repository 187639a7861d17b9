-- Up Migration
-- R (an officer's response to a case: the diagnoses it led to) and OB (a treatment given)
-- are events of a case like an outcome or a lab submission.

ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
  CHECK (kind IN ('reported', 'outcome', 'lab', 'image', 'note', 'response', 'treatment'));

-- Down Migration
DELETE FROM case_events WHERE kind IN ('response', 'treatment');
ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
  CHECK (kind IN ('reported', 'outcome', 'lab', 'image', 'note'));
