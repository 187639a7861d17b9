-- Up Migration
-- Locations: a 4-level tree (province PP, district PPDD, sub-district PPDDSS, village
-- PPDDSSVV) whose numeric codes nest, so "inside an area" is a prefix test on the code.
-- Every table carries the same audit columns: created/modified/deleted _by hold the acting
-- user's id (null for the system) and are plain columns, not foreign keys, so reference
-- tables can exist before users; deleted_at set means soft-deleted.

CREATE TABLE locations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{2}([0-9]{2}){0,3}$'),
  level smallint GENERATED ALWAYS AS (length(code) / 2) STORED,
  parent_code text REFERENCES locations (code),
  name text NOT NULL CHECK (btrim(name) <> ''),
  latitude numeric(9, 6) CHECK (latitude BETWEEN -90 AND 90),
  longitude numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  -- The parent is always the code minus its last two digits; provinces have none.
  CONSTRAINT locations_parent_nests CHECK (
    (length(code) = 2 AND parent_code IS NULL)
    OR (length(code) > 2 AND parent_code = left(code, length(code) - 2))
  ),
  CONSTRAINT locations_coordinates_paired CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX locations_parent ON locations (parent_code);
-- CKL searches locations by name.
CREATE INDEX locations_name_lower ON locations (lower(name) text_pattern_ops);
CREATE TRIGGER locations_touch BEFORE UPDATE ON locations
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE locations;
