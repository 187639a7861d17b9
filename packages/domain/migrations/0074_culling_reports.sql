-- Up Migration
-- CUL: animals culled under a program (a control campaign, or a vaccination or
-- surveillance program that culls positives), one row per species of a message; a
-- redelivered message writes nothing new.

CREATE TABLE culling_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id bigint NOT NULL REFERENCES programs (id),
  location_id bigint NOT NULL REFERENCES locations (id),
  report_date date NOT NULL,
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  animal_count integer NOT NULL CHECK (animal_count BETWEEN 1 AND 100000),
  reporter_id bigint NOT NULL REFERENCES users (id),
  inbound_message_id bigint NOT NULL REFERENCES inbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  UNIQUE (inbound_message_id, species_code)
);
CREATE TRIGGER culling_reports_touch BEFORE UPDATE ON culling_reports
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE culling_reports;
