// Rows left in 'sending' whose verdict the gateway missed (a lost event, the gateway down
// while smsd worked) are matched with the file's place in the spool. At start-up, and only
// then, a row whose file is nowhere is written again: its claim committed but the process
// stopped before the file reached outgoing/. The gateway is the only writer of outgoing/
// and the sender is not yet running then, so the file cannot appear behind the looks.
import { join } from "node:path";
import type { Database, Logger } from "@isikhnas/platform";
import { failReason, markFailed, markSent } from "./delivery-status.js";
import { exists as fileExists } from "./spool/files.js";
import type { SpoolLayout } from "./spool/layout.js";
import { writeOutgoing } from "./spool/write-outgoing.js";

export interface ReconcileDeps {
  db: Database;
  spool: SpoolLayout;
  logger: Logger;
  maxAttempts: number;
  /** Whether a spool file is there; the file system's answer unless given. */
  exists?: (path: string) => Promise<boolean>;
}

export interface ReconcileResult {
  sent: number;
  failed: number;
  rewritten: number;
}

interface SendingRow {
  id: number;
  address: string;
  body: string;
  external_ref: string;
}

export async function reconcileSending(
  deps: ReconcileDeps,
  options: { rewriteMissing: boolean; olderThanMs: number; now: Date },
): Promise<ReconcileResult> {
  const result: ReconcileResult = { sent: 0, failed: 0, rewritten: 0 };
  const exists = deps.exists ?? fileExists;
  let after = 0;
  for (;;) {
    const { rows } = await deps.db.query<SendingRow>(
      `SELECT id, address, body, external_ref FROM outbound_messages
        WHERE channel = 'sms' AND status = 'sending' AND external_ref IS NOT NULL AND id > $1
          AND modified_at <= $2
        ORDER BY id LIMIT 500`,
      [after, new Date(options.now.getTime() - options.olderThanMs)],
    );
    if (rows.length === 0) return result;
    for (const row of rows) {
      after = row.id;
      const name = row.external_ref;
      const place = await placeInSpool(deps.spool, name, exists);
      if (place === "sent") {
        if ((await markSent(deps.db, name, options.now)) === "sent") result.sent += 1;
      } else if (place === "failed") {
        const failedPath = join(deps.spool.failed, name);
        const outcome = await markFailed(deps.db, name, await failReason(failedPath), deps.maxAttempts);
        if (outcome === "failed" || outcome === "requeued") result.failed += 1;
      } else if (place === "nowhere" && options.rewriteMissing) {
        await writeOutgoing(deps.spool.outgoing, name, { to: row.address, text: row.body });
        deps.logger.warn({ outboundId: row.id, file: name }, "outgoing file was never written; written now");
        result.rewritten += 1;
      }
    }
  }
}

type SpoolPlace = "in flight" | "sent" | "failed" | "nowhere";

/**
 * Where smsd has the file, looked for in the order smsd moves it (outgoing → checked →
 * sent or failed). smsd only ever moves a file forward, so a file missed in one folder
 * because it moved on is found in a later one: "nowhere" means it never reached the spool
 * (or smsd is set to delete sent files, which the sample smsd.conf does not do). Looked
 * for the other way round, a file moved from checked/ to sent/ between two looks was
 * judged missing and written again: a second SMS.
 */
async function placeInSpool(
  spool: SpoolLayout,
  name: string,
  exists: (path: string) => Promise<boolean>,
): Promise<SpoolPlace> {
  if (await exists(join(spool.outgoing, name))) return "in flight";
  if (await exists(join(spool.checked, name))) return "in flight";
  if (await exists(join(spool.sent, name))) return "sent";
  if (await exists(join(spool.failed, name))) return "failed";
  return "nowhere";
}
