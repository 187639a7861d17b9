-- Up Migration
-- Shared helpers every later migration uses.

-- Keeps modified_at current on every UPDATE; each table with audit columns gets a trigger.
CREATE FUNCTION touch_modified_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.modified_at := now();
  RETURN NEW;
END;
$$;

-- Down Migration
DROP FUNCTION touch_modified_at();
