-- Up Migration
-- The engine keeps reference data (code lists, commands and permissions, user types,
-- locations, deployment settings) in each process. One version row, bumped in the same
-- transaction as any change to those tables, tells every process, on its next message,
-- that its copy is stale: the engine reads the version in the statement that stores the
-- message, so an edit is seen by the next message committed after it, in every daemon.
-- A row rather than a sequence: a sequence moves before the change commits, and a process
-- could reload the old data under the new number.

CREATE TABLE reference_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO reference_version (version) VALUES (1);

CREATE FUNCTION bump_reference_version() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reference_version SET version = version + 1;
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['code_lists', 'codes', 'code_list_names', 'commands', 'command_permissions',
                               'user_types', 'locations', 'deployment_settings']
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %1$s_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$I
         FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version()', name);
  END LOOP;
END;
$$;

-- The 10-minute duplicate rule, after the user's lock: a function, because a VOLATILE
-- function's query takes its own snapshot, so it sees a twin committed while this message
-- waited for the lock even though the statement calling it began before. That lets one
-- statement store the message, resolve its sender, take the lock and find the twin.
CREATE FUNCTION engine_lock_and_find_twin(
  p_user_id bigint, p_normalised text, p_received_at timestamptz, p_inbound_id bigint,
  p_window_minutes integer, p_check boolean
) RETURNS TABLE (twin_id bigint, twin_case_id bigint)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF p_user_id IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('isikhnas.user.' || p_user_id::text, 0));
  IF NOT p_check THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT i.id, i.case_id FROM inbound_messages i
    WHERE i.user_id = p_user_id AND i.normalised_text = p_normalised AND i.id <> p_inbound_id
      AND i.status = 'accepted' AND i.deleted_at IS NULL
      AND i.received_at > p_received_at - make_interval(mins => p_window_minutes)
      AND i.received_at < p_received_at + make_interval(mins => p_window_minutes)
    ORDER BY abs(extract(epoch FROM i.received_at - p_received_at)), i.received_at, i.id
    LIMIT 1;
END;
$$;

-- An unregistered number gets one notice a day: after the address's lock, whether one went
-- within the interval, seen as committed by then (a function, for the same reason).
CREATE FUNCTION engine_lock_address_and_find_notice(
  p_channel text, p_address text, p_received_at timestamptz, p_hours integer
) RETURNS boolean
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF p_address IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('isikhnas.address.' || p_channel || ':' || p_address, 0));
  RETURN EXISTS (
    SELECT 1 FROM outbound_messages o JOIN inbound_messages i ON i.id = o.inbound_message_id
    WHERE o.kind = 'notice' AND o.channel = p_channel AND o.address = p_address
      AND i.received_at > p_received_at - make_interval(hours => p_hours)
  );
END;
$$;

-- Down Migration
DROP FUNCTION engine_lock_address_and_find_notice(text, text, timestamptz, integer);
DROP FUNCTION engine_lock_and_find_twin(bigint, text, timestamptz, bigint, integer, boolean);
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['code_lists', 'codes', 'code_list_names', 'commands', 'command_permissions',
                               'user_types', 'locations', 'deployment_settings']
  LOOP
    EXECUTE format('DROP TRIGGER %1$s_reference_version ON %1$I', name);
  END LOOP;
END;
$$;
DROP FUNCTION bump_reference_version();
DROP TABLE reference_version;
