// The SMS gateway as a value: incoming files to the command engine, queued SMS rows to
// outgoing files, smsd's verdicts back onto the rows, and the health/metrics port.
import { handleInboundMessage, isShortCodeOrAlphanumeric, normalisePhone } from "@isikhnas/domain";
import {
  createMetrics,
  type Daemon,
  type Database,
  type HealthServer,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@isikhnas/platform";
import { PartStore } from "./concatenation.js";
import type { Config } from "./config.js";
import { retryWhileUnavailable } from "./database-outage.js";
import { type IncomingDeps, KeyedLock, type SubmitInbound, sweepParts } from "./incoming-handler.js";
import { createIncomingWatcher } from "./incoming-watcher.js";
import { OutgoingSender } from "./outgoing-sender.js";
import { reconcileSending } from "./reconcile.js";
import type { DirectoryWatcher } from "./spool/directory-watcher.js";
import { ensureSpool, type SpoolLayout, spoolLayout, spoolWritable } from "./spool/layout.js";
import { createStatusWatchers } from "./status-watcher.js";

export interface AppDeps {
  config: Config;
  /** Owned by the app from here on: stop() closes it. */
  db: Database;
  logger: Logger;
  metrics?: Metrics;
  /** The command engine; defaults to the domain's handleInboundMessage. */
  submit?: SubmitInbound;
  now?: () => Date;
}

export interface SmsGateway extends Daemon {
  readonly spool: SpoolLayout;
  readonly sender: OutgoingSender;
  /** Port of /healthz, /readyz and /metrics once started. */
  readonly healthPort: number | undefined;
  /** Resolves when every incoming file seen so far has been handled (or left to retry). */
  incomingIdle(): Promise<void>;
}

/** Sender as smsd wrote it → `628…`; short codes and names stay as they are. */
export function normaliseSender(raw: string): string {
  return normalisePhone(raw) ?? raw.trim();
}

export function denyReasonFor(denyList: readonly string[]) {
  const exact = new Set(
    denyList.filter((entry) => !entry.endsWith("*")).map((entry) => normalisePhone(entry) ?? entry),
  );
  const prefixes = denyList
    .filter((entry) => entry.endsWith("*"))
    .map((entry) => entry.slice(0, -1).replace(/^\+/, ""));
  return (address: string): string | undefined => {
    if (isShortCodeOrAlphanumeric(address)) return "recipient is a short code or an alphanumeric sender";
    const number = normalisePhone(address) ?? address;
    if (exact.has(number) || prefixes.some((prefix) => number.startsWith(prefix))) {
      return "recipient is on the deny list";
    }
    return undefined;
  };
}

/** The pieces both the daemon and the one-shot event command need. */
export function createIncomingDeps(deps: AppDeps, onCommitted?: () => void): IncomingDeps {
  const { config, db, logger } = deps;
  const spool = spoolLayout(config.SMS_SPOOL_DIR);
  return {
    spool,
    parts: new PartStore(spool.parts),
    submit:
      deps.submit ??
      ((message) =>
        handleInboundMessage(db, message, {
          systemTag: config.ISIKHNAS_ENV === "training" ? config.TRAINING_SYSTEM_TAG : config.SYSTEM_TAG,
          logger,
        })),
    normaliseSender,
    environment: config.ISIKHNAS_ENV,
    logger,
    now: deps.now ?? (() => new Date()),
    onCommitted,
    groupLocks: new KeyedLock(),
  };
}

export function createApp(deps: AppDeps): SmsGateway {
  const { config, db, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  // The sender is woken only after a commit, which happens once the app runs.
  const incoming = createIncomingDeps(deps, () => sender.wake());
  const { spool, now } = incoming;
  const sender = new OutgoingSender(
    { db, logger, metrics, denyReason: denyReasonFor(config.SMS_DENY_LIST) },
    {
      outgoingDir: spool.outgoing,
      batchSize: config.SMS_SEND_BATCH,
      pollIntervalMs: config.SMS_POLL_INTERVAL_MS,
      gatherMs: config.SMS_SEND_GATHER_MS,
      retryBackoffMs: config.SMS_RETRY_BACKOFF_MS,
      rateLimitCount: config.SMS_RATE_LIMIT_COUNT,
      rateLimitWindowMs: config.SMS_RATE_LIMIT_WINDOW_MS,
    },
  );
  const watchMode = config.SMS_INPUT_MODE === "watch";
  const incomingWatcher = createIncomingWatcher(
    { incoming, db, logger, metrics },
    {
      watch: watchMode,
      settleMs: watchMode ? config.SMS_SETTLE_MS : config.SMS_EVENT_GRACE_MS,
      rescanIntervalMs: config.SMS_RESCAN_INTERVAL_MS,
      concurrency: config.SMS_INCOMING_CONCURRENCY,
      maxFailures: config.SMS_MAX_HANDLER_FAILURES,
    },
  );
  const statusWatchers: DirectoryWatcher[] = watchMode
    ? createStatusWatchers({
        db,
        logger,
        sentDir: spool.sent,
        failedDir: spool.failed,
        maxAttempts: config.SMS_MAX_ATTEMPTS,
        now,
      })
    : [];
  const timers: NodeJS.Timeout[] = [];
  const stopping = new AbortController();
  let health: HealthServer | undefined;
  let accepting = false;
  let stopped: Promise<void> | undefined;

  const sweep = () =>
    sweepParts(incoming, config.SMS_CONCAT_WAIT_MS).catch((error: unknown) =>
      logger.error({ err: error }, "handing over waiting message parts failed"),
    );
  const reconcile = (rewriteMissing: boolean, olderThanMs: number) =>
    reconcileSending(
      { db, spool, logger, maxAttempts: config.SMS_MAX_ATTEMPTS },
      { rewriteMissing, olderThanMs, now: now() },
    );

  return {
    spool,
    sender,
    get healthPort() {
      return health?.port;
    },
    incomingIdle: () => incomingWatcher.idle(),

    async start() {
      await ensureSpool(spool);
      health = await startHealthServer({
        port: config.HTTP_PORT,
        host: config.HTTP_HOST,
        registry: metrics.registry,
        checks: { database: () => db.ping(), spool: () => spoolWritable(spool) },
        isAccepting: () => accepting,
      });
      // A database still restarting is waited for (readiness says not ready meanwhile),
      // not a failed start: systemd restarting the gateway would only loop.
      const recovered = await retryWhileUnavailable(() => reconcile(true, 0), {
        logger,
        what: "reconciling at start",
        signal: stopping.signal,
      });
      if (!recovered) return;
      if (recovered.sent + recovered.failed + recovered.rewritten > 0) {
        logger.info(recovered, "outbound sms reconciled with the spool");
      }
      for (const watcher of statusWatchers) await watcher.start();
      sender.start();
      await incomingWatcher.start();
      await sweep();
      const sweepEvery = Math.max(250, Math.min(5000, Math.floor(config.SMS_CONCAT_WAIT_MS / 4)));
      timers.push(setInterval(() => void sweep(), sweepEvery));
      timers.push(
        setInterval(() => {
          reconcile(false, 60_000).catch((error: unknown) =>
            logger.error({ err: error }, "reconciling failed"),
          );
        }, 60_000),
      );
      for (const timer of timers) timer.unref();
      accepting = true;
      logger.info({ spool: spool.root, mode: config.SMS_INPUT_MODE }, "sms gateway running");
    },

    stop() {
      stopped ??= (async () => {
        accepting = false;
        stopping.abort();
        for (const timer of timers) clearInterval(timer);
        await incomingWatcher.stop();
        for (const watcher of statusWatchers) await watcher.stop();
        await sender.stop();
        await health?.close();
        await db.close();
      })();
      return stopped;
    },
  };
}
