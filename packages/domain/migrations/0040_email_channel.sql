-- Up Migration
-- The e-mail channel's own bookkeeping. Inbound: one row per (Message-ID, attachment
-- SHA-256) so the same mail delivered twice queues each workbook once, and a row that
-- exists but was never queued is queued on redelivery. Outbound: one row per emailoutput
-- message and recipient, claimed before sending so a redelivered message is never sent
-- again; and the token bucket that keeps every sender instance inside the SES rate.

CREATE TABLE inbound_mail_attachments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  sender_address text NOT NULL,
  recipient text NOT NULL,
  file_name text NOT NULL,
  object_key text NOT NULL,
  raw_mail_key text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  -- Set once the emailinput message is on the queue; NULL means "queue it".
  queued_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (message_id, content_sha256)
);
CREATE TRIGGER inbound_mail_attachments_touch BEFORE UPDATE ON inbound_mail_attachments
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- One row per emailoutput message: whether its recipients were written out yet.
CREATE TABLE email_sends (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_key text NOT NULL UNIQUE,
  environment text NOT NULL CHECK (environment IN ('live', 'training')),
  subject text NOT NULL,
  status text NOT NULL DEFAULT 'expanding' CHECK (status IN ('expanding', 'sending', 'done')),
  recipient_count integer CHECK (recipient_count >= 0),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE TRIGGER email_sends_touch BEFORE UPDATE ON email_sends
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- One row per recipient of an emailoutput message.
--   pending  → sending (claimed, the SES call is in flight) → sent | failed
--   sending rows whose lease ran out are 'unknown': the process died during the SES call,
--   which may or may not have accepted the mail, so it is not sent again.
CREATE TABLE outbound_emails (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  send_id bigint NOT NULL REFERENCES email_sends (id),
  recipient text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  not_before timestamptz,
  claimed_at timestamptz,
  claimed_by text,
  provider_message_id text,
  error_reason text,
  sent_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (send_id, recipient)
);
CREATE INDEX outbound_emails_pending ON outbound_emails (send_id, id) WHERE status = 'pending';
CREATE TRIGGER outbound_emails_touch BEFORE UPDATE ON outbound_emails
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- A token bucket per sending account, shared by every sender instance on this database.
CREATE TABLE email_send_rate (
  account text PRIMARY KEY,
  tokens double precision NOT NULL,
  refilled_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Down Migration
DROP TABLE email_send_rate;
DROP TABLE outbound_emails;
DROP TABLE email_sends;
DROP TABLE inbound_mail_attachments;
