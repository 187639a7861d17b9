// The incoming/ folder as a stream of messages: watched (or only scanned, in event mode)
// and handed one file at a time to the shared handler. A file that keeps failing while the
// database answers is a bug's victim, not an outage: it is quarantined, not retried forever.
import { basename } from "node:path";
import type { Database, Logger, Metrics } from "@isikhnas/platform";
import { isDatabaseUnavailable } from "./database-outage.js";
import { handleIncomingFile, type IncomingDeps } from "./incoming-handler.js";
import { DirectoryWatcher } from "./spool/directory-watcher.js";
import { isSpoolMessageName } from "./spool/layout.js";
import { quarantineFile } from "./spool/quarantine.js";

export interface IncomingWatcherOptions {
  watch: boolean;
  settleMs: number;
  rescanIntervalMs: number;
  concurrency: number;
  maxFailures: number;
}

export interface IncomingWatcherDeps {
  incoming: IncomingDeps;
  db: Database;
  logger: Logger;
  metrics?: Metrics;
}

const METRIC_QUEUE = "sms-incoming";

export function createIncomingWatcher(
  deps: IncomingWatcherDeps,
  options: IncomingWatcherOptions,
): DirectoryWatcher {
  const { metrics } = deps;

  /** `failures`: how often this file failed before, as counted by the folder watcher. */
  async function handle(path: string, failures: number) {
    metrics?.received.inc({ queue: METRIC_QUEUE });
    const timer = metrics?.handlerSeconds.startTimer({ queue: METRIC_QUEUE });
    try {
      const outcome = await handleIncomingFile(deps.incoming, path);
      if (outcome.outcome === "quarantined") metrics?.rejected.inc({ queue: METRIC_QUEUE });
      else metrics?.done.inc({ queue: METRIC_QUEUE });
      timer?.({ outcome: outcome.outcome });
    } catch (error) {
      timer?.({ outcome: "error" });
      const count = failures + 1;
      // An error that says the database is away is never the file's fault, even when a
      // fresh ping already answers (connections the restarted server dropped fail first).
      if (count >= options.maxFailures && !isDatabaseUnavailable(error) && (await deps.db.ping())) {
        const reason = `not handled after ${count} attempts: ${error instanceof Error ? error.message : String(error)}`;
        await quarantineFile(path, deps.incoming.spool.quarantine, reason, deps.incoming.now());
        deps.logger.error(
          { err: error, file: basename(path) },
          "incoming file quarantined after repeated failures",
        );
        metrics?.rejected.inc({ queue: METRIC_QUEUE });
        return;
      }
      metrics?.retried.inc({ queue: METRIC_QUEUE });
      throw error;
    }
  }

  return new DirectoryWatcher({
    dir: deps.incoming.spool.incoming,
    watch: options.watch,
    scanAtStart: true,
    rescanIntervalMs: options.rescanIntervalMs,
    settleMs: options.settleMs,
    concurrency: options.concurrency,
    accept: isSpoolMessageName,
    handle,
    logger: deps.logger,
    outage: { what: "database", unavailable: isDatabaseUnavailable },
  });
}
