-- Up Migration
-- A monthly slaughter workbook and a daily RP are different facts: the month's total at a
-- slaughterhouse, and what was slaughtered on one day. They shared slaughter_reports under
-- one key, so the month's row (dated the 1st) and the RP of the 1st replaced each other,
-- and an RP with fewer females than the month's productive ones broke its CHECK. The
-- months get their own table; slaughter_reports keeps the days.

CREATE TABLE monthly_slaughter_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slaughterhouse_id bigint NOT NULL,
  slaughterhouse_kind text GENERATED ALWAYS AS ('slaughterhouse') STORED,
  -- The first day of the month.
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  species_list text GENERATED ALWAYS AS ('SP') STORED,
  species_code text NOT NULL,
  male_count integer NOT NULL CHECK (male_count BETWEEN 0 AND 100000),
  female_count integer NOT NULL CHECK (female_count BETWEEN 0 AND 100000),
  productive_female_count integer CHECK (productive_female_count BETWEEN 0 AND 100000),
  reporter_id bigint NOT NULL REFERENCES users (id),
  upload_id bigint NOT NULL REFERENCES uploads (id),
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
-- One figure per slaughterhouse, month and species: a later workbook replaces it.
CREATE UNIQUE INDEX monthly_slaughter_reports_month ON monthly_slaughter_reports
  (slaughterhouse_id, month, species_code) WHERE deleted_at IS NULL;
CREATE INDEX monthly_slaughter_reports_upload ON monthly_slaughter_reports (upload_id);
CREATE TRIGGER monthly_slaughter_reports_touch BEFORE UPDATE ON monthly_slaughter_reports
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- The workbook rows move, live and replaced alike. A row an RP later overwrote holds that
-- day's figures (the month's were lost then) and stays a day.
INSERT INTO monthly_slaughter_reports (slaughterhouse_id, month, species_code, male_count, female_count,
  productive_female_count, reporter_id, upload_id, created_by, created_at, modified_by, modified_at,
  deleted_by, deleted_at)
SELECT slaughterhouse_id, report_date, species_code, male_count, female_count, productive_female_count,
  reporter_id, upload_id, created_by, created_at, modified_by, modified_at, deleted_by, deleted_at
FROM slaughter_reports
WHERE upload_id IS NOT NULL AND inbound_message_id IS NULL
ORDER BY id;

DELETE FROM slaughter_reports WHERE upload_id IS NOT NULL AND inbound_message_id IS NULL;
-- The month's productive females stayed on the rows an RP overwrote; they are not the day's.
UPDATE slaughter_reports SET upload_id = NULL, productive_female_count = NULL WHERE upload_id IS NOT NULL;

-- An RP a workbook replaced is given back: the import soft-deleted it in the transaction
-- that wrote the month's row (same now(), same user), and no live RP holds its key.
UPDATE slaughter_reports SET deleted_at = NULL, deleted_by = NULL
WHERE id IN (
  SELECT DISTINCT ON (d.slaughterhouse_id, d.report_date, d.species_code) d.id
  FROM slaughter_reports d
  JOIN monthly_slaughter_reports m
    ON m.slaughterhouse_id = d.slaughterhouse_id AND m.month = d.report_date
   AND m.species_code = d.species_code AND m.created_at = d.deleted_at AND m.created_by = d.deleted_by
  WHERE d.deleted_at IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM slaughter_reports live
    WHERE live.slaughterhouse_id = d.slaughterhouse_id AND live.report_date = d.report_date
      AND live.species_code = d.species_code AND live.deleted_at IS NULL
  )
  ORDER BY d.slaughterhouse_id, d.report_date, d.species_code, d.deleted_at DESC, d.id DESC
);

-- Days come from RP messages only; a workbook writes months.
ALTER TABLE slaughter_reports DROP COLUMN upload_id;

-- Down Migration
ALTER TABLE slaughter_reports ADD COLUMN upload_id bigint REFERENCES uploads (id);
INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count,
  productive_female_count, reporter_id, upload_id, created_by, created_at, modified_by, modified_at,
  deleted_by, deleted_at)
SELECT slaughterhouse_id, month, species_code, male_count, female_count, productive_female_count,
  reporter_id, upload_id, created_by, created_at, modified_by, modified_at, deleted_by, deleted_at
FROM monthly_slaughter_reports m
WHERE m.deleted_at IS NOT NULL OR NOT EXISTS (
  SELECT 1 FROM slaughter_reports d
  WHERE d.slaughterhouse_id = m.slaughterhouse_id AND d.report_date = m.month
    AND d.species_code = m.species_code AND d.deleted_at IS NULL
);
DROP TABLE monthly_slaughter_reports;
