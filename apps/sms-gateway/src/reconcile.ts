// Rows left in 'sending' whose verdict the gateway missed (a lost event, the gateway down
// while smsd worked) are matched with the file's place in the spool. At start-up, and only
// then, a row whose file is nowhere is written again: its claim committed but the process
// stopped before the file reached outgoing/.
import { join } from "node:path";
import type { Database, Logger } from "@isikhnas/platform";
import { failReason, markFailed, markSent } from "./delivery-status.js";
import { exists } from "./spool/files.js";
import type { SpoolLayout } from "./spool/layout.js";
import { writeOutgoing } from "./spool/write-outgoing.js";

export interface ReconcileDeps {
  db: Database;
  spool: SpoolLayout;
  logger: Logger;
  maxAttempts: number;
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
      const sentPath = join(deps.spool.sent, name);
      const failedPath = join(deps.spool.failed, name);
      if (await exists(sentPath)) {
        if ((await markSent(deps.db, name, options.now)) === "sent") result.sent += 1;
      } else if (await exists(failedPath)) {
        const outcome = await markFailed(deps.db, name, await failReason(failedPath), deps.maxAttempts);
        if (outcome === "failed" || outcome === "requeued") result.failed += 1;
      } else if (
        options.rewriteMissing &&
        !(await exists(join(deps.spool.outgoing, name))) &&
        !(await exists(join(deps.spool.checked, name)))
      ) {
        await writeOutgoing(deps.spool.outgoing, name, { to: row.address, text: row.body });
        deps.logger.warn({ outboundId: row.id, file: name }, "outgoing file was never written; written now");
        result.rewritten += 1;
      }
    }
  }
}
