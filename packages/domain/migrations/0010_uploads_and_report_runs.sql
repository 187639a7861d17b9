-- Up Migration
-- Excel uploads received by e-mail (all-or-nothing imports, recognised by content hash)
-- and report runs (scheduled and on-demand), each keyed so that redelivery is harmless.

CREATE TABLE uploads (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  template_code text REFERENCES templates (code),
  template_version integer,
  user_id bigint REFERENCES users (id),
  sender_address text NOT NULL,
  message_id text NOT NULL,
  file_name text NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  object_key text,
  environment text NOT NULL DEFAULT 'live' CHECK (environment IN ('live', 'training')),
  status text NOT NULL DEFAULT 'received' CHECK (
    status IN ('received', 'processing', 'imported', 'rejected', 'failed')
  ),
  row_count integer CHECK (row_count >= 0),
  error_count integer CHECK (error_count >= 0),
  error_reason text,
  result_object_key text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  -- The same file sent twice is one upload.
  UNIQUE (content_sha256)
);
CREATE INDEX uploads_user ON uploads (user_id, received_at);
CREATE TRIGGER uploads_touch BEFORE UPDATE ON uploads
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

ALTER TABLE slaughter_reports ADD FOREIGN KEY (upload_id) REFERENCES uploads (id);
ALTER TABLE vaccination_reports ADD FOREIGN KEY (upload_id) REFERENCES uploads (id);
ALTER TABLE lab_submissions ADD FOREIGN KEY (upload_id) REFERENCES uploads (id);

CREATE TABLE report_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_code text NOT NULL CHECK (report_code ~ '^[a-z_]+$'),
  -- e.g. '2025-06' for a month, '2025-06-01' for a day, an upload id for a lab client report.
  period text NOT NULL,
  -- e.g. a district code; '' when the report is national.
  scope text NOT NULL DEFAULT '',
  requested_by bigint REFERENCES users (id),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  output_keys text[] NOT NULL DEFAULT '{}',
  error_reason text,
  started_at timestamptz,
  finished_at timestamptz,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (report_code, period, scope)
);
CREATE TRIGGER report_runs_touch BEFORE UPDATE ON report_runs
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE report_runs;
ALTER TABLE lab_submissions DROP CONSTRAINT lab_submissions_upload_id_fkey;
ALTER TABLE vaccination_reports DROP CONSTRAINT vaccination_reports_upload_id_fkey;
ALTER TABLE slaughter_reports DROP CONSTRAINT slaughter_reports_upload_id_fkey;
DROP TABLE uploads;
