// The trigger: works out which scheduled (report, period, scope) are due and creates each
// run once in report_runs, whichever host gets there first, then asks for it on
// reportrequest. Missed periods are caught up from the database within the backfill
// window, and runs whose request was lost are asked for again.
import type { Environment, MessageInputOf } from "@isikhnas/contracts";
import {
  bindReportSql,
  createRuns,
  duePeriods,
  findReport,
  markScopesListed,
  openDuePeriods,
  REPORT_DEFINITIONS,
  type ReportRun,
  TIME_ZONES,
  type TimeZone,
  takeStaleRuns,
} from "@isikhnas/domain";
import type { Database, Logger, QueueProducer } from "@isikhnas/platform";
import { replicaState } from "./replica.js";

export interface TickDeps {
  databases: { live: Database; training?: Database | undefined };
  producer: Pick<QueueProducer, "sendBatch">;
  logger: Logger;
  clock?: () => Date;
}

export interface TickSettings {
  backfillDays: number;
  requeueSeconds: number;
}

export interface TickResult {
  created: number;
  requeued: number;
  /** Periods whose scopes wait for the replica. */
  waiting: number;
}

/** The request for a run that exists; `deferrals` counts how often it waited for the replica. */
export function runRequest(
  environment: Environment,
  run: ReportRun,
  deferrals = 0,
): MessageInputOf<"reportrequest"> {
  return {
    type: "reportrequest",
    version: 1,
    id: `run:${environment}:${run.id}`,
    environment,
    report: run.reportCode as MessageInputOf<"reportrequest">["report"],
    parameters: deferrals > 0 ? { run: run.id, deferrals } : { run: run.id },
  };
}

/**
 * The correlation id every request for a run travels under: derived from the run, so the
 * first attempt, one asked for again by the sweep and one finished by another host log
 * under one id (deferrals and redeliveries keep the id of the message they continue).
 */
export function runCorrelationId(environment: Environment, run: Pick<ReportRun, "id">): string {
  return `report-run:${environment}:${run.id}`;
}

/** Asks for each run under its own correlation id (a batch carries one id for all its messages). */
async function askFor(
  producer: TickDeps["producer"],
  environment: Environment,
  runs: readonly ReportRun[],
): Promise<void> {
  let next = 0;
  const sender = async () => {
    for (let run = runs[next++]; run; run = runs[next++]) {
      await producer.sendBatch("reportrequest", [runRequest(environment, run)], {
        correlationId: runCorrelationId(environment, run),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(ASKING_IN_PARALLEL, runs.length) }, sender));
}

/** SQS calls in flight while asking for runs: a month's 500 districts in a few seconds. */
const ASKING_IN_PARALLEL = 10;

export async function tick(deps: TickDeps, settings: TickSettings): Promise<TickResult> {
  const now = deps.clock?.() ?? new Date();
  const total: TickResult = { created: 0, requeued: 0, waiting: 0 };
  // By name: a Databases value also carries its close().
  for (const environment of ["live", "training"] as const) {
    const db = deps.databases[environment];
    if (!db) continue;
    const result = await tickEnvironment(deps, db, environment, settings, now);
    total.created += result.created;
    total.requeued += result.requeued;
    total.waiting += result.waiting;
  }
  return total;
}

async function tickEnvironment(
  deps: TickDeps,
  db: Database,
  environment: Environment,
  settings: TickSettings,
  now: Date,
): Promise<TickResult> {
  const due = [];
  for (const definition of Object.values(REPORT_DEFINITIONS)) {
    if (!definition.schedule) continue;
    for (const timeZone of Object.keys(TIME_ZONES) as TimeZone[]) {
      for (const period of duePeriods(definition.schedule.cadence, now, timeZone, {
        delayHours: definition.schedule.delayHours,
        backfillDays: settings.backfillDays,
      })) {
        due.push({
          reportCode: definition.code,
          period: period.key,
          timeZone,
          start: period.start,
          end: period.end,
        });
      }
    }
  }
  const open = await openDuePeriods(db.primary, due);
  let created = 0;
  let waiting = 0;
  for (const period of open) {
    const definition = findReport(period.reportCode);
    if (!definition?.scopes) continue;
    const replica = await replicaState(db.replica, period.waitLsn);
    if (!replica.caughtUp) {
      waiting += 1;
      continue;
    }
    const bound = bindReportSql(definition.scopes, {
      start: period.periodStart,
      end: period.periodEnd,
      scope: "",
      language: "id",
      timeZone: period.timeZone,
    });
    const { rows } = await db.replica.query<{ scope: string }>(bound.text, bound.values);
    const runs = await createRuns(
      db.primary,
      rows.map((row) => ({
        reportCode: period.reportCode,
        period: period.period,
        scope: row.scope,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        timeZone: period.timeZone,
        origin: "schedule" as const,
        waitLsn: period.waitLsn,
      })),
    );
    // Only the host that created a run asks for it; a crash before this is caught by the sweep.
    await askFor(deps.producer, environment, runs);
    await markScopesListed(db.primary, period.id, runs.length);
    created += runs.length;
    if (runs.length > 0) {
      deps.logger.info(
        {
          environment,
          report: period.reportCode,
          period: period.period,
          timeZone: period.timeZone,
          runs: runs.length,
        },
        "report period due: runs created",
      );
    }
  }
  const stale = await takeStaleRuns(db.primary, settings.requeueSeconds);
  if (stale.length > 0) {
    await askFor(deps.producer, environment, stale);
    deps.logger.warn(
      { environment, runs: stale.map((run) => run.id) },
      "report runs asked for again (request lost or host gone)",
    );
  }
  return { created, requeued: stale.length, waiting };
}
