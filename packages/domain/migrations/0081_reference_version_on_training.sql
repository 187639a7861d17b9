-- Up Migration
-- Training gets live's locations, user types, commands and permissions by logical
-- replication. A subscriber's apply worker fires no statement triggers (only row triggers,
-- and only those enabled REPLICA or ALWAYS), so without these a location or a permission
-- edited on live would reach training's tables but not its reference_version, and
-- training's daemons would keep their old copy. REPLICA: a normal session keeps bumping
-- once a statement through 0080's triggers; only the apply worker bumps by row.
-- The apply worker also runs with an empty search_path: the function keeps the migration's.
ALTER FUNCTION bump_reference_version() SET search_path FROM CURRENT;

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['locations', 'user_types', 'commands', 'command_permissions']
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %1$s_reference_version_applied AFTER INSERT OR UPDATE OR DELETE ON %1$I
         FOR EACH ROW EXECUTE FUNCTION bump_reference_version()', name);
    EXECUTE format('ALTER TABLE %1$I ENABLE REPLICA TRIGGER %1$s_reference_version_applied', name);
  END LOOP;
END;
$$;

-- Down Migration
DROP TRIGGER locations_reference_version_applied ON locations;
DROP TRIGGER user_types_reference_version_applied ON user_types;
DROP TRIGGER commands_reference_version_applied ON commands;
DROP TRIGGER command_permissions_reference_version_applied ON command_permissions;
ALTER FUNCTION bump_reference_version() RESET search_path;
