-- Up Migration
-- Production reports: slaughter counts (RP and the monthly template), vaccinations (VAK
-- and the tally template), livestock population counts (POP).

CREATE TABLE slaughter_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slaughterhouse_id bigint NOT NULL,
  slaughterhouse_kind text GENERATED ALWAYS AS ('slaughterhouse') STORED,
  report_date date NOT NULL,
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  male_count integer NOT NULL CHECK (male_count BETWEEN 0 AND 100000),
  female_count integer NOT NULL CHECK (female_count BETWEEN 0 AND 100000),
  productive_female_count integer CHECK (productive_female_count BETWEEN 0 AND 100000),
  reporter_id bigint NOT NULL REFERENCES users (id),
  inbound_message_id bigint REFERENCES inbound_messages (id),
  upload_id bigint,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (slaughterhouse_id, slaughterhouse_kind) REFERENCES infrastructure (id, kind),
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  CHECK (productive_female_count IS NULL OR productive_female_count <= female_count)
);
-- One figure per slaughterhouse, day and species: a later report replaces it.
CREATE UNIQUE INDEX slaughter_reports_day ON slaughter_reports (slaughterhouse_id, report_date, species_code)
  WHERE deleted_at IS NULL;
CREATE INDEX slaughter_reports_inbound ON slaughter_reports (inbound_message_id);
CREATE TRIGGER slaughter_reports_touch BEFORE UPDATE ON slaughter_reports
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE vaccination_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id bigint NOT NULL REFERENCES programs (id),
  location_id bigint NOT NULL REFERENCES locations (id),
  vaccinated_on date NOT NULL,
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  primary_count integer NOT NULL CHECK (primary_count BETWEEN 0 AND 100000),
  booster_count integer NOT NULL DEFAULT 0 CHECK (booster_count BETWEEN 0 AND 100000),
  vaccinator text,
  reporter_id bigint NOT NULL REFERENCES users (id),
  inbound_message_id bigint REFERENCES inbound_messages (id),
  upload_id bigint,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  CHECK (primary_count + booster_count > 0)
);
-- A message reports each species once.
CREATE UNIQUE INDEX vaccination_reports_inbound ON vaccination_reports (inbound_message_id, species_code);
CREATE INDEX vaccination_reports_program ON vaccination_reports (program_id, vaccinated_on);
CREATE TRIGGER vaccination_reports_touch BEFORE UPDATE ON vaccination_reports
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE population_counts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id bigint NOT NULL REFERENCES locations (id),
  counted_on date NOT NULL,
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  class_list text GENERATED ALWAYS AS ('KP') STORED,
  class_code text,
  animal_count integer NOT NULL CHECK (animal_count BETWEEN 0 AND 10000000),
  reporter_id bigint NOT NULL REFERENCES users (id),
  inbound_message_id bigint REFERENCES inbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (species_list, species_code) REFERENCES codes (list_code, code),
  FOREIGN KEY (class_list, class_code) REFERENCES codes (list_code, code)
);
-- One count per place, day, species and class: a later count the same day replaces it.
CREATE UNIQUE INDEX population_counts_day ON population_counts
  (location_id, counted_on, species_code, (coalesce(class_code, ''))) WHERE deleted_at IS NULL;
CREATE INDEX population_counts_inbound ON population_counts (inbound_message_id);
CREATE TRIGGER population_counts_touch BEFORE UPDATE ON population_counts
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE population_counts;
DROP TABLE vaccination_reports;
DROP TABLE slaughter_reports;
