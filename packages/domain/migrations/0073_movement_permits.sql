-- Up Migration
-- SK: a livestock movement permit (SKKH) issued by SMS, its number the permit id that is
-- written on the paper certificate; VSK looks it up at a checkpoint. One permit per
-- message (a redelivered SK is the same permit), one row per species it covers.

CREATE TABLE movement_permits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The owner's identity number as given (NIK or farmer id), not a registered owner.
  owner_ref text NOT NULL CHECK (owner_ref ~ '^[0-9A-Z]{1,20}$'),
  owner_phone text CHECK (owner_phone ~ '^[0-9]{8,15}$'),
  origin_id bigint NOT NULL REFERENCES locations (id),
  destination_id bigint NOT NULL REFERENCES locations (id),
  issued_by bigint NOT NULL REFERENCES users (id),
  issued_at timestamptz NOT NULL,
  inbound_message_id bigint NOT NULL UNIQUE REFERENCES inbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  CHECK (origin_id <> destination_id)
);
CREATE TRIGGER movement_permits_touch BEFORE UPDATE ON movement_permits
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE movement_permit_animals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  permit_id bigint NOT NULL REFERENCES movement_permits (id),
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  animal_count integer NOT NULL CHECK (animal_count BETWEEN 1 AND 100000),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  UNIQUE (permit_id, species_code)
);
CREATE TRIGGER movement_permit_animals_touch BEFORE UPDATE ON movement_permit_animals
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE movement_permit_animals;
DROP TABLE movement_permits;
