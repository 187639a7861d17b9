-- Up Migration
-- Infrastructure (labs, slaughterhouses, offices), programs (vaccination or surveillance
-- campaigns) and owners (farmers registered by officers).

CREATE TABLE infrastructure (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('lab', 'slaughterhouse', 'office')),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{2,12}$'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  location_id bigint NOT NULL REFERENCES locations (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  -- Lets other tables insist on a kind with a composite foreign key.
  UNIQUE (id, kind)
);
CREATE TRIGGER infrastructure_touch BEFORE UPDATE ON infrastructure
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Where a user works (lab staff are notified of submissions to their lab).
ALTER TABLE users ADD COLUMN workplace_id bigint REFERENCES infrastructure (id);
CREATE INDEX users_workplace ON users (workplace_id);

CREATE TABLE programs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{1,12}$'),
  kind text NOT NULL CHECK (kind IN ('vaccination', 'surveillance')),
  name text NOT NULL CHECK (btrim(name) <> ''),
  starts_on date,
  ends_on date,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE TRIGGER programs_touch BEFORE UPDATE ON programs
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE owners (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (btrim(name) <> ''),
  village_id bigint NOT NULL REFERENCES locations (id),
  phone text CHECK (phone ~ '^[1-9][0-9]{6,14}$'),
  national_id text,
  registered_by bigint REFERENCES users (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  CHECK (phone IS NOT NULL OR national_id IS NOT NULL)
);
CREATE UNIQUE INDEX owners_national_id ON owners (national_id) WHERE deleted_at IS NULL;
CREATE INDEX owners_village ON owners (village_id);
CREATE TRIGGER owners_touch BEFORE UPDATE ON owners
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE owners;
DROP TABLE programs;
ALTER TABLE users DROP COLUMN workplace_id;
DROP TABLE infrastructure;
