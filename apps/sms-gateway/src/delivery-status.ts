// smsd's verdict on an outgoing file (SENT or FAILED, from its event handler or from the
// file appearing in sent/ or failed/) applied to the outbound row named by the file.
// Each update only moves a row out of 'sending', so a verdict seen twice changes nothing.
import { readFile } from "node:fs/promises";
import type { Queryable } from "@isikhnas/platform";

export type DeliveryOutcome = "sent" | "requeued" | "failed" | "unknown";

export async function markSent(db: Queryable, fileName: string, at: Date): Promise<DeliveryOutcome> {
  const result = await db.query(
    `UPDATE outbound_messages SET status = 'sent', sent_at = $2, last_error = NULL
      WHERE channel = 'sms' AND external_ref = $1 AND status = 'sending'
      RETURNING id`,
    [fileName, at],
  );
  return result.rowCount ? "sent" : "unknown";
}

/** A failed send goes back to the queue until `maxAttempts` were made, then it is failed. */
export async function markFailed(
  db: Queryable,
  fileName: string,
  reason: string,
  maxAttempts: number,
): Promise<DeliveryOutcome> {
  const result = await db.query<{ status: "queued" | "failed" }>(
    `UPDATE outbound_messages
        SET status = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'queued' END, last_error = $2
      WHERE channel = 'sms' AND external_ref = $1 AND status = 'sending'
      RETURNING status`,
    [fileName, reason.slice(0, 500), maxAttempts],
  );
  const row = result.rows[0];
  if (!row) return "unknown";
  return row.status === "queued" ? "requeued" : "failed";
}

/** The reason smsd wrote into a failed file (`Fail_reason:`), or a generic one. */
export async function failReason(path: string): Promise<string> {
  const fallback = "smsd could not send the message";
  try {
    // smsd adds the line to the headers, or after the text when the file had none.
    const match = /^Fail_reason:[ \t]*(.*)$/m.exec((await readFile(path)).toString("latin1"));
    return match?.[1]?.trim() || fallback;
  } catch {
    // The file may be gone already; the event itself says it failed.
    return fallback;
  }
}
