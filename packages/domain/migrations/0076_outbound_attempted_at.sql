-- Up Migration
-- A sender claims a batch of rows ('sending', claimed_at) and marks each one attempted just
-- before its call. A row whose sender died is then in doubt only when it was attempted; a
-- claimed row never attempted goes back to the queue instead of being lost to doubt.
ALTER TABLE outbound_messages ADD COLUMN attempted_at timestamptz;

-- Down Migration
ALTER TABLE outbound_messages DROP COLUMN attempted_at;
