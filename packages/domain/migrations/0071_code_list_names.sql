-- Up Migration
-- The names people type for a code list (KODE TAN). Field staff learnt the wiki's names
-- (TAN signs, SIN priority syndromes, PK outcomes, SL lab sections); the lists are stored
-- under shorter codes that coded columns reference, so a name is an alias of a list
-- rather than a rename. The preferred name is the one replies show; a list without one
-- is named by its code, which it always answers to.

CREATE TABLE code_list_names (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Z0-9]{1,8}$'),
  -- No foreign key: the names ship with this migration, and on a new database the lists
  -- they name are loaded afterwards by the seed.
  list_code text NOT NULL CHECK (list_code ~ '^[A-Z0-9]{1,8}$'),
  preferred boolean NOT NULL DEFAULT false,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX code_list_names_one_preferred ON code_list_names (list_code)
  WHERE preferred AND deleted_at IS NULL;
CREATE TRIGGER code_list_names_touch BEFORE UPDATE ON code_list_names
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

INSERT INTO code_list_names (name, list_code, preferred)
VALUES ('TAN', 'TK', true), ('SIN', 'SN', true), ('PK', 'HS', true), ('SL', 'BL', true);

-- KODE lists the lists in one SMS: their labels become the short words it shows.
UPDATE code_lists l SET label_id = w.label_id, label_en = w.label_en
FROM (VALUES
  ('SP', 'Spesies', 'Species', 'spesies', 'species'),
  ('TK', 'Tanda klinis', 'Clinical signs', 'tanda', 'signs'),
  ('SN', 'Sindrom prioritas', 'Priority syndromes', 'sindrom', 'syndromes'),
  ('PN', 'Penyakit (diagnosa banding)', 'Diseases (differential diagnoses)', 'penyakit', 'diseases'),
  ('HS', 'Hasil kasus', 'Outcomes', 'hasil kasus', 'outcomes'),
  ('JS', 'Jenis spesimen', 'Specimen types', 'jenis spesimen', 'specimen types'),
  ('BS', 'Bentuk spesimen', 'Specimen forms', 'bentuk spesimen', 'specimen forms'),
  ('BL', 'Bagian lab', 'Lab sections', 'seksi lab', 'lab sections'),
  ('KP', 'Kelas populasi', 'Population classes', 'kelas populasi', 'population classes')
) AS w (code, old_id, old_en, label_id, label_en)
WHERE l.code = w.code AND l.label_id = w.old_id AND l.label_en = w.old_en;

-- Down Migration
DROP TABLE code_list_names;
