-- Up Migration
-- Report runs become the claim of the report generator: one row per (report, period,
-- scope, generation), created by whichever host's tick sees the period due first (the
-- unique key decides, not a read-then-write), leased by the host building it, and
-- marked built (artefacts in the reports bucket) and then sent. Generation 1 is the
-- scheduled or requested run; an operator's deliberate re-run adds the next generation
-- and says who asked and why. Time zones follow the province (WIB, WITA, WIT).

ALTER TABLE locations ADD COLUMN time_zone text GENERATED ALWAYS AS (
  CASE
    WHEN left(code, 2) IN ('51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76')
      THEN 'Asia/Makassar'
    WHEN left(code, 1) IN ('8', '9') THEN 'Asia/Jayapura'
    ELSE 'Asia/Jakarta'
  END
) STORED;
-- Reports select a district's villages by their code's first four digits.
CREATE INDEX locations_district ON locations (left(code, 4));

DELETE FROM report_runs;
ALTER TABLE report_runs DROP CONSTRAINT report_runs_report_code_period_scope_key;
ALTER TABLE report_runs DROP CONSTRAINT report_runs_status_check;
ALTER TABLE report_runs DROP CONSTRAINT report_runs_report_code_check;
ALTER TABLE report_runs DROP COLUMN output_keys;
ALTER TABLE report_runs DROP COLUMN requested_by;
ALTER TABLE report_runs
  ADD CONSTRAINT report_runs_report_code_check CHECK (report_code ~ '^[a-z][a-z-]*$'),
  ADD COLUMN generation integer NOT NULL DEFAULT 1 CHECK (generation > 0),
  -- The period's bounds as instants, computed in the scope's time zone.
  ADD COLUMN period_start timestamptz,
  ADD COLUMN period_end timestamptz,
  ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Jakarta',
  -- 'schedule' (a tick), 'request' (reportrequest from another daemon), 'operator'.
  ADD COLUMN origin text NOT NULL DEFAULT 'schedule' CHECK (origin IN ('schedule', 'request', 'operator')),
  ADD COLUMN request_id text,
  ADD COLUMN parameters jsonb NOT NULL DEFAULT '{}',
  -- Recipients named by the request (ad hoc); empty: the report's own recipient rule.
  ADD COLUMN recipients text[] NOT NULL DEFAULT '{}',
  ADD COLUMN in_reply_to text,
  ADD COLUMN forced_reason text,
  -- The primary's WAL position when the run was created: the replica must have replayed
  -- past it before the run reads the period, or it would read a period half replicated.
  ADD COLUMN wait_lsn pg_lsn,
  ADD COLUMN lease_owner text,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When a reportrequest for this run was last put on the queue (tick's sweep re-queues stale runs).
  ADD COLUMN enqueued_at timestamptz,
  -- Per language group: the objects in the reports bucket and the mails asked for.
  ADD COLUMN artefacts jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN recipient_count integer NOT NULL DEFAULT 0,
  ADD COLUMN built_at timestamptz,
  ADD COLUMN sent_at timestamptz,
  ALTER COLUMN status SET DEFAULT 'due',
  ADD CONSTRAINT report_runs_status_check
    CHECK (status IN ('due', 'claimed', 'built', 'sent', 'skipped', 'failed')),
  ADD CONSTRAINT report_runs_key UNIQUE (report_code, period, scope, generation);
CREATE INDEX report_runs_open ON report_runs (status, lease_until) WHERE status IN ('due', 'claimed', 'built');
CREATE INDEX report_runs_recent ON report_runs (created_at DESC);

-- A scheduled period as the tick first saw it due, per time zone: the primary's WAL
-- position then, so its scopes are listed on the replica only once the replica has
-- replayed past it (everything committed before the period was due is there).
CREATE TABLE report_periods (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_code text NOT NULL CHECK (report_code ~ '^[a-z][a-z-]*$'),
  period text NOT NULL,
  time_zone text NOT NULL,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  wait_lsn pg_lsn NOT NULL,
  scopes_listed_at timestamptz,
  run_count integer NOT NULL DEFAULT 0,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_by bigint,
  modified_at timestamptz NOT NULL DEFAULT now(),
  deleted_by bigint,
  deleted_at timestamptz,
  UNIQUE (report_code, period, time_zone)
);
CREATE INDEX report_periods_open ON report_periods (report_code) WHERE scopes_listed_at IS NULL;
CREATE TRIGGER report_periods_touch BEFORE UPDATE ON report_periods
  FOR EACH ROW EXECUTE FUNCTION touch_modified_at();

-- Down Migration
DROP TABLE report_periods;
DROP INDEX report_runs_recent;
DROP INDEX report_runs_open;
DELETE FROM report_runs;
ALTER TABLE report_runs
  DROP CONSTRAINT report_runs_key,
  DROP CONSTRAINT report_runs_status_check,
  DROP CONSTRAINT report_runs_report_code_check,
  DROP COLUMN generation,
  DROP COLUMN period_start,
  DROP COLUMN period_end,
  DROP COLUMN time_zone,
  DROP COLUMN origin,
  DROP COLUMN request_id,
  DROP COLUMN parameters,
  DROP COLUMN recipients,
  DROP COLUMN in_reply_to,
  DROP COLUMN forced_reason,
  DROP COLUMN wait_lsn,
  DROP COLUMN lease_owner,
  DROP COLUMN lease_until,
  DROP COLUMN attempts,
  DROP COLUMN enqueued_at,
  DROP COLUMN artefacts,
  DROP COLUMN recipient_count,
  DROP COLUMN built_at,
  DROP COLUMN sent_at,
  ADD COLUMN output_keys text[] NOT NULL DEFAULT '{}',
  ADD COLUMN requested_by bigint REFERENCES users (id),
  ALTER COLUMN status SET DEFAULT 'queued',
  ADD CONSTRAINT report_runs_status_check CHECK (status IN ('queued', 'running', 'done', 'failed')),
  ADD CONSTRAINT report_runs_report_code_check CHECK (report_code ~ '^[a-z_]+$'),
  ADD CONSTRAINT report_runs_report_code_period_scope_key UNIQUE (report_code, period, scope);
DROP INDEX locations_district;
ALTER TABLE locations DROP COLUMN time_zone;
