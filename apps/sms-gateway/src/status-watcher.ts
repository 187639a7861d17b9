// Watch mode's view of smsd's verdicts: a gateway file appearing in sent/ or failed/.
// Only events are followed; files already there are matched by the reconciler, which
// looks up the few rows still 'sending' instead of re-reading an ever-growing sent/.
import { basename } from "node:path";
import type { Database, Logger } from "@isikhnas/platform";
import { isDatabaseUnavailable } from "./database-outage.js";
import { failReason, markFailed, markSent } from "./delivery-status.js";
import { DirectoryWatcher } from "./spool/directory-watcher.js";
import { isSpoolMessageName } from "./spool/layout.js";

/** The gateway's own outgoing file names (`sms-<id>-<attempt>-<random>`). */
function isGatewayFileName(name: string): boolean {
  return isSpoolMessageName(name) && /^sms-\d+-\d+-[0-9a-f]+$/.test(name);
}

export function createStatusWatchers(deps: {
  db: Database;
  logger: Logger;
  sentDir: string;
  failedDir: string;
  maxAttempts: number;
  now: () => Date;
}): DirectoryWatcher[] {
  const common = {
    watch: true,
    scanAtStart: false,
    rescanIntervalMs: 0,
    settleMs: 0,
    concurrency: 2,
    accept: isGatewayFileName,
    logger: deps.logger,
    // A verdict seen while the database is away waits for it instead of being dropped.
    outage: { what: "database", unavailable: isDatabaseUnavailable },
  };
  return [
    new DirectoryWatcher({
      ...common,
      dir: deps.sentDir,
      handle: async (path) => {
        const outcome = await markSent(deps.db, basename(path), deps.now());
        deps.logger.debug({ file: basename(path), outcome }, "smsd sent");
      },
    }),
    new DirectoryWatcher({
      ...common,
      dir: deps.failedDir,
      handle: async (path) => {
        const reason = await failReason(path);
        const outcome = await markFailed(deps.db, basename(path), reason, deps.maxAttempts);
        deps.logger.warn({ file: basename(path), outcome, reason }, "smsd could not send");
      },
    }),
  ];
}
