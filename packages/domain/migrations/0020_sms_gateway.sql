-- Up Migration
-- The SMS gateway finds an outbound row from smsd's file name (SENT/FAILED events name the
-- file, which is the row's external_ref) and counts recent messages per recipient for its
-- rate limit; both run on every message, so both get an index.

CREATE INDEX outbound_messages_sms_external_ref ON outbound_messages (external_ref)
  WHERE channel = 'sms' AND external_ref IS NOT NULL;

CREATE INDEX outbound_messages_sms_recent ON outbound_messages (address, modified_at)
  WHERE channel = 'sms' AND status IN ('sending', 'sent');

-- Down Migration
DROP INDEX outbound_messages_sms_recent;
DROP INDEX outbound_messages_sms_external_ref;
