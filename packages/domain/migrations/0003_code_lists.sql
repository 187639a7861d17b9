-- Up Migration
-- Code lists are data: species, signs, syndromes, diseases, outcomes, specimen types and
-- forms, lab sections, population classes. Adding a code is an INSERT, not a deploy.

CREATE TABLE code_lists (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{1,8}$'),
  label_id text NOT NULL,
  label_en text NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE TRIGGER code_lists_touch BEFORE UPDATE ON code_lists
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Tables that hold a code reference (list_code, code) with a generated constant list
-- column, so a species column can only ever hold a species.
CREATE TABLE codes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_code text NOT NULL REFERENCES code_lists (code),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9_]{1,12}$'),
  label_id text NOT NULL,
  label_en text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (list_code, code)
);
CREATE TRIGGER codes_touch BEFORE UPDATE ON codes
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE codes;
DROP TABLE code_lists;
