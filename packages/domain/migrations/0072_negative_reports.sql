-- Up Migration
-- PNEG: a reporter's word that a village had nothing to report that day. Silence and
-- "nothing to report" are different facts for surveillance; one per reporter, village
-- and day, so a resent PNEG is answered without a second row.

CREATE TABLE negative_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reporter_id bigint NOT NULL REFERENCES users (id),
  location_id bigint NOT NULL REFERENCES locations (id),
  report_date date NOT NULL,
  inbound_message_id bigint NOT NULL REFERENCES inbound_messages (id),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX negative_reports_once_a_day ON negative_reports (reporter_id, location_id, report_date)
  WHERE deleted_at IS NULL;
CREATE TRIGGER negative_reports_touch BEFORE UPDATE ON negative_reports
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE negative_reports;
