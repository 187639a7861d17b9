-- Up Migration
-- What an upload's answer is, written in the same transaction as its rows (or its
-- rejection): the emailoutput message and any report requests, sent after commit and
-- re-sent as they are on redelivery, so a crash between commit and send costs neither a
-- second import nor a second, different answer.

ALTER TABLE uploads ADD COLUMN outbox jsonb;
ALTER TABLE uploads ADD COLUMN answer_sent_at timestamptz;
-- A committed outcome always carries its answer.
ALTER TABLE uploads ADD CONSTRAINT uploads_outcome_answered
  CHECK (status NOT IN ('imported', 'rejected') OR outbox IS NOT NULL);

-- Down Migration
ALTER TABLE uploads DROP CONSTRAINT uploads_outcome_answered;
ALTER TABLE uploads DROP COLUMN answer_sent_at;
ALTER TABLE uploads DROP COLUMN outbox;
