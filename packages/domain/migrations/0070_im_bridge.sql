-- Up Migration
-- The IM bridge (Telegram). Every update is stored once per bot before the polling offset
-- moves past it; an album's photos share one reply; an IM row whose sendMessage outcome
-- was lost is 'unknown' (in doubt, never re-sent); deployments choose whether alerts go
-- by IM to officers who linked a chat account.

CREATE TABLE im_updates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The bot's numeric id (the token's part before ':'), never the token itself.
  bot_id text NOT NULL CHECK (bot_id ~ '^[0-9]+$'),
  update_id bigint NOT NULL CHECK (update_id >= 0),
  kind text NOT NULL,
  chat_id text,
  from_id text,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'handled', 'ignored')),
  reason text,
  handled_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (bot_id, update_id)
);
CREATE INDEX im_updates_unhandled ON im_updates (bot_id, update_id) WHERE status = 'received';
CREATE INDEX im_updates_media_group ON im_updates (bot_id, (payload #>> '{message,media_group_id}'))
  WHERE payload #>> '{message,media_group_id}' IS NOT NULL;
CREATE TRIGGER im_updates_touch BEFORE UPDATE ON im_updates
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- One reply per album: the first photo of a media group handled claims the group and
-- queues the reply a little later; the album's later photos update its count meanwhile.
CREATE TABLE im_media_groups (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bot_id text NOT NULL,
  media_group_id text NOT NULL,
  case_id bigint REFERENCES cases (id),
  photo_count integer NOT NULL DEFAULT 0,
  reply_id bigint REFERENCES outbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (bot_id, media_group_id)
);
CREATE TRIGGER im_media_groups_touch BEFORE UPDATE ON im_media_groups
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- IM sending: 'unknown' is a row whose sendMessage was in flight when its sender died or
-- lost the answer; not_before holds a row back (Telegram's retry_after, a retry's backoff).
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'unknown'));
ALTER TABLE outbound_messages ADD COLUMN not_before timestamptz;
ALTER TABLE outbound_messages ADD COLUMN claimed_at timestamptz;

-- Settings a deployment changes with SQL (no deploy), read by the engine.
CREATE TABLE deployment_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  description text NOT NULL DEFAULT '',
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER deployment_settings_touch BEFORE UPDATE ON deployment_settings
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();
-- Off until the deployment runs an IM bridge: an alert queued for IM with no bridge to
-- send it would never arrive.
INSERT INTO deployment_settings (key, value, description) VALUES
  ('alerts.im_when_linked', 'false',
   'true: case alerts go by IM to officers with a verified IM contact, by SMS to the others');

-- Down Migration
DROP TABLE deployment_settings;
ALTER TABLE outbound_messages DROP COLUMN claimed_at;
ALTER TABLE outbound_messages DROP COLUMN not_before;
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled'));
DROP TABLE im_media_groups;
DROP TABLE im_updates;
