// The reportrequest handler: finds or creates the run, takes its lease, waits for the
// replica, builds the files once (a host that died after building leaves them for the
// next), asks email-sender for the mails, and marks the run sent. A run already sent is
// never sent again; a lagging replica or a recovery conflict defers the run, never
// dead-letters it.
import type { Environment, ReportRequest } from "@isikhnas/contracts";
import {
  claimRun,
  deferRun,
  ensureRun,
  findReport,
  finishRun,
  getRun,
  markBuilt,
  markSent,
  type NewRun,
  parsePeriod,
  placeTimeZone,
  type ReportDefinition,
  type ReportRun,
  recordFailure,
  renewLease,
  submissionTimeZone,
} from "@isikhnas/domain";
import {
  type Bucket,
  backoff,
  type Database,
  type HandlerContext,
  type MessageHandler,
  type Outcome,
  outcome,
  type QueueProducer,
  toError,
} from "@isikhnas/platform";
import { buildArtefacts } from "./artefacts.js";
import { reportMails } from "./mail.js";
import { resolveRecipients } from "./recipients.js";
import { currentLsn, isRecoveryConflict, replicaState } from "./replica.js";
import { runRequest } from "./schedule.js";

export interface HandlerDeps {
  databases: { live: Database; training?: Database | undefined };
  reports: Bucket;
  producer: Pick<QueueProducer, "send" | "sendBatch">;
  clock?: () => Date;
}

export interface HandlerSettings {
  hostId: string;
  leaseSeconds: number;
  replicaRetrySeconds: number;
  maxAttempts: number;
  attachMaxBytes: number;
  linkDays: number;
  systemTags: Record<Environment, string>;
}

class BadRequest extends Error {}

/** PostgreSQL's class 22, "data exception": a value that cannot be read as its type. */
function isDataException(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("22");
}

export function createReportHandler(
  deps: HandlerDeps,
  settings: HandlerSettings,
): MessageHandler<ReportRequest> {
  const now = deps.clock ?? (() => new Date());

  /** Asks for the run again after a delay (backoff on its attempts) and lets this message go. */
  async function defer(
    db: Database,
    message: ReportRequest,
    run: ReportRun,
    reason: string,
    context: HandlerContext,
  ) {
    const deferrals = typeof message.parameters.deferrals === "number" ? message.parameters.deferrals : 0;
    // From the eighth deferral on, each waits as long as the seventh (within the 900 s ceiling).
    const delayMs = backoff({
      attempt: Math.min(deferrals, 6) + 1,
      baseMs: settings.replicaRetrySeconds * 1000,
      maxMs: 900_000,
    });
    const delaySeconds = delayMs / 1000;
    await deferRun(db.primary, run.id, settings.hostId, reason);
    await deps.producer.send("reportrequest", runRequest(message.environment, run, deferrals + 1), {
      delaySeconds,
      correlationId: context.correlationId,
    });
    context.logger.info({ runId: run.id, delaySeconds, reason }, "report run deferred");
    return outcome.done();
  }

  return async (message, context): Promise<Outcome> => {
    const db = deps.databases[message.environment];
    if (!db) return outcome.deadLetter(`no database for the ${message.environment} environment`);
    const definition = findReport(message.report);
    if (!definition) return outcome.deadLetter(`unknown report ${message.report}`);

    let run: ReportRun | undefined;
    try {
      run = await runOf(db, definition, message);
    } catch (error) {
      if (error instanceof BadRequest) return outcome.reject(error.message);
      // Only the request's own values reach these queries: a value PostgreSQL cannot take
      // (a run id of 1.5, a NUL in a scope) fails the same way on every retry.
      if (isDataException(error)) return outcome.reject(`request unusable: ${toError(error).message}`);
      throw error;
    }
    if (!run) return outcome.reject(`report run ${String(message.parameters.run)} does not exist`);

    const claim = await claimRun(db.primary, run.id, settings.hostId, settings.leaseSeconds);
    if (claim.kind === "missing") return outcome.reject(`report run ${run.id} does not exist`);
    if (claim.kind === "finished") {
      context.logger.info({ runId: run.id, status: claim.run.status }, "report run already finished");
      return outcome.done();
    }
    if (claim.kind === "leased") {
      // Another host is on it; if it dies, its lease runs out and this message finishes the run.
      return outcome.retryLater({ delaySeconds: Math.min(claim.retryInSeconds + 1, 900) });
    }
    run = claim.run;
    if (run.attempts > settings.maxAttempts) {
      await finishRun(
        db.primary,
        run.id,
        "failed",
        `gave up after ${settings.maxAttempts} attempts: ${run.errorReason ?? ""}`,
      );
      context.logger.error({ runId: run.id, reason: run.errorReason }, "report run failed for good");
      return outcome.reject(`report run ${run.id} failed ${settings.maxAttempts} times`);
    }
    const log = context.logger.child({
      runId: run.id,
      report: run.reportCode,
      period: run.period,
      scope: run.scope,
    });

    const renewal = setInterval(
      () => void renewLease(db.primary, run.id, settings.hostId, settings.leaseSeconds).catch(() => {}),
      Math.max(1_000, (settings.leaseSeconds * 1000) / 3),
    );
    try {
      let artefacts = run.artefacts;
      if (run.status === "claimed") {
        const replica = await replicaState(db.replica, run.waitLsn);
        if (!replica.caughtUp) {
          return await defer(
            db,
            message,
            run,
            `replica behind (replayed ${replica.replayedLsn} < ${run.waitLsn})`,
            context,
          );
        }
        const groups = await resolveRecipients(db.replica, definition, run);
        if (groups.size === 0) {
          await finishRun(db.primary, run.id, "skipped", "no recipients with an e-mail address");
          log.info("report run skipped: no recipients");
          return outcome.done();
        }
        const started = Date.now();
        artefacts = await buildArtefacts(db, deps.reports, definition, run, groups, {
          environment: message.environment,
          systemTag: settings.systemTags[message.environment],
          now: now(),
        });
        if (!(await markBuilt(db.primary, run.id, settings.hostId, artefacts))) {
          log.warn("report run lease lost while building; the host holding it finishes the run");
          return outcome.done();
        }
        log.info({ ms: Date.now() - started, groups: artefacts.length }, "report built");
      }
      const mails = await reportMails(deps.reports, run, artefacts, {
        environment: message.environment,
        attachMaxBytes: settings.attachMaxBytes,
        linkDays: settings.linkDays,
      });
      // On with the request's correlation id: a lab report's mail logs under its upload's.
      if (mails.length > 0) {
        await deps.producer.sendBatch("emailoutput", mails, { correlationId: context.correlationId });
      }
      if (!(await markSent(db.primary, run.id, settings.hostId))) {
        // The mails' ids derive from the run: whoever else sends them, email-sender sends them once.
        log.warn("report run lease lost before it was marked sent");
        return outcome.done();
      }
      log.info(
        { mails: mails.length, recipients: mails.reduce((sum, mail) => sum + (mail.to?.length ?? 0), 0) },
        "report sent",
      );
      return outcome.done();
    } catch (error) {
      if (isRecoveryConflict(error)) {
        return await defer(db, message, run, `recovery conflict: ${toError(error).message}`, context);
      }
      await recordFailure(db.primary, run.id, settings.hostId, toError(error).message).catch(() => {});
      throw error;
    } finally {
      clearInterval(renewal);
    }
  };
}

/** The run a message names: by id (tick, operator, deferral), or an ad hoc request's own. */
async function runOf(
  db: Database,
  definition: ReportDefinition,
  message: ReportRequest,
): Promise<ReportRun | undefined> {
  const runId = message.parameters.run;
  if (typeof runId === "number") return getRun(db.primary, runId);
  return ensureRun(db.primary, await adHocRun(db, definition, message));
}

async function adHocRun(db: Database, definition: ReportDefinition, message: ReportRequest): Promise<NewRun> {
  const common = {
    reportCode: definition.code,
    origin: "request" as const,
    requestId: message.id,
    parameters: message.parameters,
    recipients: message.recipients,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    // What the requester committed before asking must be on the replica first.
    waitLsn: await currentLsn(db.primary),
  };
  if (definition.scope === "submission") {
    const submission = message.parameters.submissionId;
    if (submission === undefined) throw new BadRequest(`${definition.code} needs parameters.submissionId`);
    const upload = message.parameters.uploadId;
    return {
      ...common,
      period: upload === undefined ? "ad-hoc" : `upload-${upload}`,
      scope: String(submission),
      periodStart: null,
      periodEnd: null,
      // What the requester committed may not be on the replica yet: the primary answers.
      timeZone: (await submissionTimeZone(db.primary, String(submission))) ?? "Asia/Jakarta",
    };
  }
  const scope = message.parameters.scope;
  if (typeof scope !== "string") throw new BadRequest(`${definition.code} needs parameters.scope`);
  const zone = await placeTimeZone(db.replica, scope);
  if (!zone) throw new BadRequest(`no location ${scope}`);
  const key = typeof message.parameters.period === "string" ? message.parameters.period : undefined;
  const period =
    key !== undefined
      ? parsePeriod(key, zone)
      : message.period
        ? parsePeriod(message.period.from.slice(0, definition.schedule?.cadence === "month" ? 7 : 10), zone)
        : undefined;
  if (!period) throw new BadRequest(`${definition.code} needs a period (parameters.period like 2026-11)`);
  return {
    ...common,
    period: period.key,
    scope,
    periodStart: period.start,
    periodEnd: period.end,
    timeZone: zone,
  };
}
