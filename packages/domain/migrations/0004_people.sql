-- Up Migration
-- Users, their contacts on each channel, user types, areas of responsibility, and the
-- permission tables saying which type may send which command or upload which template.

CREATE TABLE user_types (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z_]+$'),
  label_id text NOT NULL,
  label_en text NOT NULL,
  -- Data, not code: who must give differential diagnoses, who is alerted of U and P cases.
  requires_ddx boolean NOT NULL DEFAULT false,
  receives_case_alerts boolean NOT NULL DEFAULT false,
  receives_priority_alerts boolean NOT NULL DEFAULT false,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE TRIGGER user_types_touch BEFORE UPDATE ON user_types
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE commands (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z?]{1,8}$'),
  -- Data commands create or change reports (and fall under the 10-minute duplicate rule).
  changes_data boolean NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE TRIGGER commands_touch BEFORE UPDATE ON commands
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE templates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z_]+$'),
  label_id text NOT NULL,
  label_en text NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE TRIGGER templates_touch BEFORE UPDATE ON templates
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE command_permissions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_type text NOT NULL REFERENCES user_types (code),
  command_code text NOT NULL REFERENCES commands (code),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (user_type, command_code)
);
CREATE TRIGGER command_permissions_touch BEFORE UPDATE ON command_permissions
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE template_permissions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_type text NOT NULL REFERENCES user_types (code),
  template_code text NOT NULL REFERENCES templates (code),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (user_type, template_code)
);
CREATE TRIGGER template_permissions_touch BEFORE UPDATE ON template_permissions
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (btrim(name) <> ''),
  user_type text NOT NULL REFERENCES user_types (code),
  home_location_id bigint NOT NULL REFERENCES locations (id),
  language text NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
  active boolean NOT NULL DEFAULT true,
  supervisor_id bigint REFERENCES users (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  CHECK (supervisor_id IS DISTINCT FROM id)
);
CREATE INDEX users_supervisor ON users (supervisor_id);
CREATE TRIGGER users_touch BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- A user's addresses. Phones are stored normalised international without '+' (628…).
-- The unique key is over all rows, soft-deleted ones included: an address belongs to one
-- user; moving it means updating the row, not adding a second.
CREATE TABLE contacts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'im')),
  address text NOT NULL CHECK (btrim(address) <> ''),
  verified boolean NOT NULL DEFAULT false,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (channel, address),
  CHECK (channel <> 'sms' OR address ~ '^[1-9][0-9]{6,14}$'),
  CHECK (channel <> 'email' OR (address LIKE '%_@_%' AND address = lower(address)))
);
CREATE INDEX contacts_user ON contacts (user_id);
CREATE TRIGGER contacts_touch BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE user_areas (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  location_id bigint NOT NULL REFERENCES locations (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (user_id, location_id)
);
CREATE INDEX user_areas_location ON user_areas (location_id);
CREATE TRIGGER user_areas_touch BEFORE UPDATE ON user_areas
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE user_areas;
DROP TABLE contacts;
DROP TABLE users;
DROP TABLE template_permissions;
DROP TABLE command_permissions;
DROP TABLE templates;
DROP TABLE commands;
DROP TABLE user_types;
