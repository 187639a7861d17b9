// The report_runs table: the one place that decides which host builds which (report,
// period, scope) and whether it was sent. Every statement runs on the primary; the
// unique key and the lease make it safe for any number of hosts to race.
import type { Queryable } from "@isikhnas/platform";
import { errorReason } from "../mail/in-doubt.js";

export type RunStatus = "due" | "claimed" | "built" | "sent" | "skipped" | "failed";
export type RunOrigin = "schedule" | "request" | "operator";

export interface RunArtefact {
  language: "id" | "en";
  recipients: string[];
  /** Keys in the reports bucket. */
  pdf?: { key: string; size: number };
  excel?: { key: string; size: number };
  charts: { key: string; cid: string; title: string }[];
  /** The mail body, stored with the artefacts so a resend sends the same words. */
  body: { key: string };
  subject: string;
}

export interface ReportRun {
  id: number;
  reportCode: string;
  period: string;
  scope: string;
  generation: number;
  periodStart: Date | null;
  periodEnd: Date | null;
  timeZone: string;
  origin: RunOrigin;
  requestId: string | null;
  parameters: Record<string, string | number | boolean>;
  recipients: string[];
  inReplyTo: string | null;
  forcedReason: string | null;
  waitLsn: string | null;
  status: RunStatus;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  attempts: number;
  artefacts: RunArtefact[];
  recipientCount: number;
  errorReason: string | null;
  createdAt: Date;
  builtAt: Date | null;
  sentAt: Date | null;
}

const COLUMNS = `id::int, report_code, period, scope, generation, period_start, period_end, time_zone, origin,
  request_id, parameters, recipients, in_reply_to, forced_reason, wait_lsn::text, status, lease_owner,
  lease_until, attempts, artefacts, recipient_count, error_reason, created_at, built_at, sent_at`;

interface RunRow {
  id: number;
  report_code: string;
  period: string;
  scope: string;
  generation: number;
  period_start: Date | null;
  period_end: Date | null;
  time_zone: string;
  origin: RunOrigin;
  request_id: string | null;
  parameters: Record<string, string | number | boolean>;
  recipients: string[];
  in_reply_to: string | null;
  forced_reason: string | null;
  wait_lsn: string | null;
  status: RunStatus;
  lease_owner: string | null;
  lease_until: Date | null;
  attempts: number;
  artefacts: RunArtefact[];
  recipient_count: number;
  error_reason: string | null;
  created_at: Date;
  built_at: Date | null;
  sent_at: Date | null;
}

function toRun(row: RunRow): ReportRun {
  return {
    id: row.id,
    reportCode: row.report_code,
    period: row.period,
    scope: row.scope,
    generation: row.generation,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    timeZone: row.time_zone,
    origin: row.origin,
    requestId: row.request_id,
    parameters: row.parameters,
    recipients: row.recipients,
    inReplyTo: row.in_reply_to,
    forcedReason: row.forced_reason,
    waitLsn: row.wait_lsn,
    status: row.status,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    attempts: row.attempts,
    artefacts: row.artefacts,
    recipientCount: row.recipient_count,
    errorReason: row.error_reason,
    createdAt: row.created_at,
    builtAt: row.built_at,
    sentAt: row.sent_at,
  };
}

export interface NewRun {
  reportCode: string;
  period: string;
  scope: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  timeZone: string;
  origin: RunOrigin;
  requestId?: string;
  parameters?: Record<string, string | number | boolean>;
  recipients?: readonly string[];
  inReplyTo?: string;
  /** The WAL position the replica must reach first; default the primary's current one. */
  waitLsn?: string;
}

/**
 * Creates generation 1 of each run that does not exist yet and returns only those it
 * created: two hosts ticking at once create each run once, and each learns which are its
 * own to enqueue. The primary's WAL position is recorded for the replica check.
 */
export async function createRuns(db: Queryable, runs: readonly NewRun[]): Promise<ReportRun[]> {
  if (runs.length === 0) return [];
  const result = await db.query<RunRow>(
    `INSERT INTO report_runs (report_code, period, scope, period_start, period_end, time_zone, origin,
       request_id, parameters, recipients, in_reply_to, wait_lsn, enqueued_at)
     SELECT r.report_code, r.period, r.scope, r.period_start, r.period_end, r.time_zone, r.origin,
       r.request_id, r.parameters, r.recipients, r.in_reply_to,
       coalesce(r.wait_lsn::pg_lsn, pg_current_wal_lsn()), now()
     FROM jsonb_to_recordset($1::jsonb) AS r (report_code text, period text, scope text,
       period_start timestamptz, period_end timestamptz, time_zone text, origin text, request_id text,
       parameters jsonb, recipients text[], in_reply_to text, wait_lsn text)
     ON CONFLICT (report_code, period, scope, generation) DO NOTHING
     RETURNING ${COLUMNS}`,
    [JSON.stringify(runs.map(toRecord))],
  );
  return result.rows.map(toRun);
}

function toRecord(run: NewRun) {
  return {
    report_code: run.reportCode,
    period: run.period,
    scope: run.scope,
    period_start: run.periodStart?.toISOString() ?? null,
    period_end: run.periodEnd?.toISOString() ?? null,
    time_zone: run.timeZone,
    origin: run.origin,
    request_id: run.requestId ?? null,
    parameters: run.parameters ?? {},
    recipients: run.recipients ?? [],
    in_reply_to: run.inReplyTo ?? null,
    wait_lsn: run.waitLsn ?? null,
  };
}

/** The run a request names, created (generation 1) if it is new. */
export async function ensureRun(db: Queryable, run: NewRun): Promise<ReportRun> {
  await createRuns(db, [run]);
  const found = await findRun(db, run.reportCode, run.period, run.scope);
  if (!found) throw new Error(`report run ${run.reportCode}/${run.period}/${run.scope} vanished`);
  return found;
}

/** The newest generation of a run. */
export async function findRun(
  db: Queryable,
  code: string,
  period: string,
  scope: string,
): Promise<ReportRun | undefined> {
  const result = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM report_runs
     WHERE report_code = $1 AND period = $2 AND scope = $3 AND deleted_at IS NULL
     ORDER BY generation DESC LIMIT 1`,
    [code, period, scope],
  );
  return result.rows[0] && toRun(result.rows[0]);
}

export async function getRun(db: Queryable, id: number): Promise<ReportRun | undefined> {
  const result = await db.query<RunRow>(`SELECT ${COLUMNS} FROM report_runs WHERE id = $1`, [id]);
  return result.rows[0] && toRun(result.rows[0]);
}

/**
 * An operator's deliberate re-run: the next generation of the run, recorded with the
 * reason. Its mails get ids of their own, so they are sent even though the first were.
 */
export async function forceRun(db: Queryable, run: NewRun & { reason: string }): Promise<ReportRun> {
  const result = await db.query<RunRow>(
    `INSERT INTO report_runs (report_code, period, scope, generation, period_start, period_end, time_zone, origin,
       request_id, parameters, recipients, in_reply_to, forced_reason, wait_lsn, enqueued_at)
     SELECT $1, $2, $3, coalesce(max(generation), 0) + 1, $4, $5, $6, 'operator', $7, $8, $9, NULL, $10,
       pg_current_wal_lsn(), now()
     FROM report_runs WHERE report_code = $1 AND period = $2 AND scope = $3
     RETURNING ${COLUMNS}`,
    [
      run.reportCode,
      run.period,
      run.scope,
      run.periodStart,
      run.periodEnd,
      run.timeZone,
      run.requestId ?? null,
      JSON.stringify(run.parameters ?? {}),
      run.recipients ?? [],
      errorReason(run.reason),
    ],
  );
  return toRun(result.rows[0] as RunRow);
}

export type Claim =
  | { kind: "claimed"; run: ReportRun }
  | { kind: "finished"; run: ReportRun }
  | { kind: "leased"; run: ReportRun; retryInSeconds: number }
  | { kind: "missing" };

/**
 * Takes the lease of a run that is not finished and whose lease is free, expired or
 * already this owner's. A run another host holds is left to it; a finished one is done.
 */
export async function claimRun(
  db: Queryable,
  id: number,
  owner: string,
  leaseSeconds: number,
): Promise<Claim> {
  const claimed = await db.query<RunRow>(
    `UPDATE report_runs
     SET status = CASE WHEN status = 'built' THEN 'built' ELSE 'claimed' END,
       lease_owner = $2, lease_until = now() + make_interval(secs => $3), attempts = attempts + 1,
       started_at = coalesce(started_at, now())
     WHERE id = $1 AND status IN ('due', 'claimed', 'built')
       AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $2)
     RETURNING ${COLUMNS}`,
    [id, owner, leaseSeconds],
  );
  if (claimed.rows[0]) return { kind: "claimed", run: toRun(claimed.rows[0]) };
  const run = await getRun(db, id);
  if (!run) return { kind: "missing" };
  if (run.status === "sent" || run.status === "skipped" || run.status === "failed")
    return { kind: "finished", run };
  const left = run.leaseUntil ? Math.ceil((run.leaseUntil.getTime() - Date.now()) / 1000) : 1;
  return { kind: "leased", run, retryInSeconds: Math.max(1, left) };
}

/** Extends a lease still held; false when another host has taken the run meanwhile. */
export async function renewLease(
  db: Queryable,
  id: number,
  owner: string,
  leaseSeconds: number,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE report_runs SET lease_until = now() + make_interval(secs => $3)
     WHERE id = $1 AND lease_owner = $2 AND status IN ('claimed', 'built')`,
    [id, owner, leaseSeconds],
  );
  return result.rowCount === 1;
}

/** Gives the lease back at once (the replica is behind: any host may try again later). */
export async function releaseRun(db: Queryable, id: number, owner: string): Promise<void> {
  await db.query(`UPDATE report_runs SET lease_until = now() WHERE id = $1 AND lease_owner = $2`, [
    id,
    owner,
  ]);
}

/** Records the artefacts; false when the lease was lost (another host finishes the run). */
export async function markBuilt(
  db: Queryable,
  id: number,
  owner: string,
  artefacts: readonly RunArtefact[],
): Promise<boolean> {
  const result = await db.query(
    `UPDATE report_runs SET status = 'built', artefacts = $3::jsonb, built_at = now(),
       recipient_count = $4
     WHERE id = $1 AND lease_owner = $2 AND status = 'claimed'`,
    [
      id,
      owner,
      JSON.stringify(artefacts),
      artefacts.reduce((sum, group) => sum + group.recipients.length, 0),
    ],
  );
  return result.rowCount === 1;
}

export async function markSent(db: Queryable, id: number, owner: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE report_runs SET status = 'sent', sent_at = now(), finished_at = now(), lease_until = NULL
     WHERE id = $1 AND lease_owner = $2 AND status = 'built'`,
    [id, owner],
  );
  return result.rowCount === 1;
}

/** A run with nobody to send to, or a request that can never be built: finished, with the reason. */
export async function finishRun(
  db: Queryable,
  id: number,
  status: "skipped" | "failed",
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE report_runs SET status = $2, error_reason = $3, finished_at = now(), lease_until = NULL
     WHERE id = $1 AND status IN ('due', 'claimed', 'built')`,
    [id, status, errorReason(reason)],
  );
}

/**
 * Runs whose request may have been lost: not finished, lease free or expired, and not
 * put on the queue for `quietSeconds`. Marked enqueued in the same statement, so two
 * sweeping hosts do not both re-queue one.
 */
export async function takeStaleRuns(db: Queryable, quietSeconds: number, limit = 100): Promise<ReportRun[]> {
  const result = await db.query<RunRow>(
    `UPDATE report_runs SET enqueued_at = now()
     WHERE id IN (
       SELECT id FROM report_runs
       WHERE status IN ('due', 'claimed', 'built')
         AND (lease_until IS NULL OR lease_until < now())
         AND (enqueued_at IS NULL OR enqueued_at < now() - make_interval(secs => $1))
       ORDER BY id LIMIT $2
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [quietSeconds, limit],
  );
  return result.rows.map(toRun);
}

export async function listRuns(
  db: Queryable,
  options: { limit?: number; report?: string } = {},
): Promise<ReportRun[]> {
  const result = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM report_runs
     WHERE deleted_at IS NULL AND ($2::text IS NULL OR report_code = $2)
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [options.limit ?? 50, options.report ?? null],
  );
  return result.rows.map(toRun);
}

export interface DuePeriod {
  id: number;
  reportCode: string;
  period: string;
  timeZone: string;
  periodStart: Date;
  periodEnd: Date;
  waitLsn: string;
}

/**
 * Records the periods the tick found due (once each, whichever host sees them first, with
 * the primary's WAL position) and returns those whose scopes have not been listed yet.
 */
export async function openDuePeriods(
  db: Queryable,
  periods: readonly { reportCode: string; period: string; timeZone: string; start: Date; end: Date }[],
): Promise<DuePeriod[]> {
  const result = await db.query<{
    id: number;
    report_code: string;
    period: string;
    time_zone: string;
    period_start: Date;
    period_end: Date;
    wait_lsn: string;
  }>(
    `WITH due AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS d (report_code text, period text, time_zone text, period_start timestamptz, period_end timestamptz)
     ), opened AS (
       INSERT INTO report_periods (report_code, period, time_zone, period_start, period_end, wait_lsn)
       SELECT report_code, period, time_zone, period_start, period_end, pg_current_wal_lsn() FROM due
       ON CONFLICT (report_code, period, time_zone) DO NOTHING
       RETURNING id, report_code, period, time_zone, period_start, period_end, wait_lsn, scopes_listed_at
     )
     SELECT id::int, report_code, period, time_zone, period_start, period_end, wait_lsn::text FROM opened
     UNION ALL
     SELECT p.id::int, p.report_code, p.period, p.time_zone, p.period_start, p.period_end, p.wait_lsn::text
     FROM report_periods p JOIN due d USING (report_code, period, time_zone)
     WHERE p.scopes_listed_at IS NULL`,
    [
      JSON.stringify(
        periods.map((period) => ({
          report_code: period.reportCode,
          period: period.period,
          time_zone: period.timeZone,
          period_start: period.start.toISOString(),
          period_end: period.end.toISOString(),
        })),
      ),
    ],
  );
  return result.rows.map((row) => ({
    id: row.id,
    reportCode: row.report_code,
    period: row.period,
    timeZone: row.time_zone,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    waitLsn: row.wait_lsn,
  }));
}

export async function markScopesListed(db: Queryable, id: number, runCount: number): Promise<void> {
  await db.query(
    `UPDATE report_periods SET scopes_listed_at = now(), run_count = run_count + $2
     WHERE id = $1 AND scopes_listed_at IS NULL`,
    [id, runCount],
  );
}

/** Notes a failure (the message will be retried) so `report runs` can say why. */
export async function recordFailure(db: Queryable, id: number, owner: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE report_runs SET error_reason = $3, lease_until = now()
     WHERE id = $1 AND lease_owner = $2 AND status IN ('claimed', 'built')`,
    [id, owner, errorReason(reason)],
  );
}

/**
 * Gives the lease back and notes that the run was asked for again (with a delay). A
 * deferral is not a failed attempt: a replica hours behind delays a report, never fails it.
 */
export async function deferRun(db: Queryable, id: number, owner: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE report_runs SET lease_until = now(), enqueued_at = now(), error_reason = $3,
       attempts = greatest(attempts - 1, 0)
     WHERE id = $1 AND lease_owner = $2`,
    [id, owner, errorReason(reason)],
  );
}
