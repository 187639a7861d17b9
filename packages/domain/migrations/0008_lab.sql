-- Up Migration
-- Lab submissions (specimens of a case sent to a lab, by SMS `LAB` or the lab template),
-- the specimens in each, and test results (from the lab template).

CREATE TABLE lab_submissions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  lab_id bigint NOT NULL,
  lab_kind text GENERATED ALWAYS AS ('lab') STORED,
  submitted_by bigint NOT NULL REFERENCES users (id),
  submitted_at timestamptz NOT NULL,
  inbound_message_id bigint REFERENCES inbound_messages (id),
  upload_id bigint,
  upload_row integer,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (lab_id, lab_kind) REFERENCES infrastructure (id, kind)
);
CREATE UNIQUE INDEX lab_submissions_inbound_message ON lab_submissions (inbound_message_id);
CREATE INDEX lab_submissions_case ON lab_submissions (case_id);
CREATE INDEX lab_submissions_lab ON lab_submissions (lab_id, submitted_at);
CREATE TRIGGER lab_submissions_touch BEFORE UPDATE ON lab_submissions
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE specimens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  submission_id bigint NOT NULL REFERENCES lab_submissions (id),
  specimen_type_list text GENERATED ALWAYS AS ('JS') STORED,
  specimen_type_code text NOT NULL,
  form_list text GENERATED ALWAYS AS ('BS') STORED,
  form_code text NOT NULL,
  section_list text GENERATED ALWAYS AS ('BL') STORED,
  section_code text,
  specimen_count integer NOT NULL CHECK (specimen_count BETWEEN 1 AND 10000),
  sample_ref text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  FOREIGN KEY (specimen_type_list, specimen_type_code) REFERENCES codes (list_code, code),
  FOREIGN KEY (form_list, form_code) REFERENCES codes (list_code, code),
  FOREIGN KEY (section_list, section_code) REFERENCES codes (list_code, code)
);
CREATE INDEX specimens_submission ON specimens (submission_id);
CREATE UNIQUE INDEX specimens_sample_ref ON specimens (sample_ref) WHERE deleted_at IS NULL;
CREATE TRIGGER specimens_touch BEFORE UPDATE ON specimens
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

CREATE TABLE lab_results (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  specimen_id bigint NOT NULL REFERENCES specimens (id),
  test text NOT NULL CHECK (btrim(test) <> ''),
  result text NOT NULL CHECK (btrim(result) <> ''),
  result_date date NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX lab_results_specimen_test ON lab_results (specimen_id, test) WHERE deleted_at IS NULL;
CREATE TRIGGER lab_results_touch BEFORE UPDATE ON lab_results
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE lab_results;
DROP TABLE specimens;
DROP TABLE lab_submissions;
