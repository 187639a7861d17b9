-- Up Migration
-- Every inbound SMS/IM message as received, and every outbound message (replies, alerts,
-- notices) as a row with a status that the gateways poll and claim.

CREATE TABLE inbound_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'im', 'email')),
  sender text NOT NULL,
  text text NOT NULL,
  -- Upper-case, single-spaced text: the key of the 10-minute duplicate rule.
  normalised_text text NOT NULL DEFAULT '',
  received_at timestamptz NOT NULL,
  external_id text NOT NULL CHECK (external_id <> ''),
  environment text NOT NULL DEFAULT 'live' CHECK (environment IN ('live', 'training')),
  user_id bigint REFERENCES users (id),
  command_code text,
  status text NOT NULL DEFAULT 'received' CHECK (
    status IN ('received', 'accepted', 'rejected', 'duplicate', 'unregistered', 'ignored', 'failed')
  ),
  error_reason text,
  case_id bigint,
  duplicate_of bigint REFERENCES inbound_messages (id),
  handled_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  -- Idempotency: a redelivered message (same spool file, same update_id) is one row.
  UNIQUE (channel, external_id)
);
CREATE INDEX inbound_messages_duplicate_rule ON inbound_messages (user_id, normalised_text, received_at);
CREATE INDEX inbound_messages_user_recent ON inbound_messages (user_id, received_at);
CREATE INDEX inbound_messages_sender ON inbound_messages (channel, sender, received_at);
CREATE TRIGGER inbound_messages_touch BEFORE UPDATE ON inbound_messages
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE outbound_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'im', 'email')),
  address text NOT NULL CHECK (address <> ''),
  subject text,
  body text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reply', 'alert', 'notice')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text,
  external_ref text,
  inbound_message_id bigint REFERENCES inbound_messages (id),
  user_id bigint REFERENCES users (id),
  sent_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
-- Gateways poll queued rows of their channel in order.
CREATE INDEX outbound_messages_polling ON outbound_messages (channel, status, id);
CREATE INDEX outbound_messages_inbound ON outbound_messages (inbound_message_id);
-- Exactly one reply per inbound message, enforced.
CREATE UNIQUE INDEX outbound_messages_one_reply ON outbound_messages (inbound_message_id)
  WHERE kind IN ('reply', 'notice');
-- Rate limit of "not registered" notices per address.
CREATE INDEX outbound_messages_notices ON outbound_messages (channel, address, created_at)
  WHERE kind = 'notice';
CREATE TRIGGER outbound_messages_touch BEFORE UPDATE ON outbound_messages
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE outbound_messages;
DROP TABLE inbound_messages;
