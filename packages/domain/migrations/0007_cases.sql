-- Up Migration
-- Cases (U general sick-animal reports, P priority syndromes) with their signs,
-- differential diagnoses, outcome and events. Case ids are short numbers people type
-- into an SMS (`PK 2238 SB`), so they come from an identity that starts at 1000.

CREATE TABLE cases (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('U', 'P')),
  reporter_id bigint NOT NULL REFERENCES users (id),
  location_id bigint NOT NULL REFERENCES locations (id),
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  animal_count integer NOT NULL CHECK (animal_count BETWEEN 1 AND 100000),
  syndrome_list text GENERATED ALWAYS AS ('SN') STORED,
  syndrome_code text,
  outcome_list text GENERATED ALWAYS AS ('HS') STORED,
  outcome_code text,
  owner_id bigint REFERENCES owners (id),
  reported_at timestamptz NOT NULL,
  inbound_message_id bigint REFERENCES inbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  FOREIGN KEY (syndrome_list, syndrome_code) REFERENCES codes (list_code, code),
  FOREIGN KEY (outcome_list, outcome_code) REFERENCES codes (list_code, code),
  -- A priority case names its syndrome; a general case does not.
  CHECK ((kind = 'P') = (syndrome_code IS NOT NULL))
);
-- One message makes at most one case, whatever retries happen.
CREATE UNIQUE INDEX cases_inbound_message ON cases (inbound_message_id);
CREATE INDEX cases_location ON cases (location_id, reported_at DESC);
CREATE INDEX cases_reporter ON cases (reporter_id, reported_at DESC);
CREATE TRIGGER cases_touch BEFORE UPDATE ON cases
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

ALTER TABLE inbound_messages ADD FOREIGN KEY (case_id) REFERENCES cases (id);

CREATE TABLE case_signs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  sign_list text GENERATED ALWAYS AS ('TK') STORED,
  sign_code text NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (sign_list, sign_code) REFERENCES codes (list_code, code),
  UNIQUE (case_id, sign_code)
);
CREATE TRIGGER case_signs_touch BEFORE UPDATE ON case_signs
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE case_differential_diagnoses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  disease_list text GENERATED ALWAYS AS ('PN') STORED,
  disease_code text NOT NULL,
  rank smallint NOT NULL CHECK (rank > 0),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (disease_list, disease_code) REFERENCES codes (list_code, code),
  UNIQUE (case_id, disease_code)
);
CREATE TRIGGER case_differential_diagnoses_touch BEFORE UPDATE ON case_differential_diagnoses
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- What happened to a case over time: report, outcome (PK), lab submission, image, note.
CREATE TABLE case_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  kind text NOT NULL CHECK (kind IN ('reported', 'outcome', 'lab', 'image', 'note')),
  outcome_list text GENERATED ALWAYS AS ('HS') STORED,
  outcome_code text,
  user_id bigint REFERENCES users (id),
  inbound_message_id bigint REFERENCES inbound_messages (id),
  occurred_at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (outcome_list, outcome_code) REFERENCES codes (list_code, code),
  CHECK ((kind = 'outcome') = (outcome_code IS NOT NULL))
);
CREATE INDEX case_events_case ON case_events (case_id, occurred_at);
CREATE UNIQUE INDEX case_events_inbound_message ON case_events (inbound_message_id, case_id, kind);
CREATE TRIGGER case_events_touch BEFORE UPDATE ON case_events
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE case_events;
DROP TABLE case_differential_diagnoses;
DROP TABLE case_signs;
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_case_id_fkey;
DROP TABLE cases;
