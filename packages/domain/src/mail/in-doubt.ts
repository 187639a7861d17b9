// Outbound e-mails in doubt: the sender lost the answer of the SES call (it was killed, or
// the connection broke mid-call), so the mail may or may not have gone out. Such a row is
// never sent again automatically; an operator lists them and decides. The sender puts rows
// here and the operator tool reads them, so both share this one definition.
import type { Queryable } from "@isikhnas/platform";

/** outbound_emails.status (migration 0040); 'unknown' is the status of a mail in doubt. */
export type OutboundEmailStatus = "pending" | "sending" | "sent" | "failed" | "unknown";

/** An error reason as outbound_emails.error_reason keeps it: at most 1000 characters. */
export function errorReason(reason: string): string {
  return reason.slice(0, 1000);
}

/** The sender lost the answer of the SES call for this recipient: never resent. */
export async function markInDoubt(db: Queryable, id: number, reason: string): Promise<void> {
  await db.query("UPDATE outbound_emails SET status = 'unknown', error_reason = $2 WHERE id = $1", [
    id,
    errorReason(reason),
  ]);
}

/**
 * Rows of one send left 'sending' longer than the lease, by a process that died during the
 * SES call, are put in doubt. Returns how many were.
 */
export async function expireStaleClaims(
  db: Queryable,
  sendId: number,
  leaseSeconds: number,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH expired AS (
       UPDATE outbound_emails
          SET status = 'unknown',
              error_reason = 'the sending process stopped during the SES call; it may or may not have been sent'
        WHERE send_id = $1 AND status = 'sending'
          AND claimed_at < clock_timestamp() - make_interval(secs => $2::float8)
        RETURNING 1)
     SELECT count(*)::int AS n FROM expired`,
    [sendId, leaseSeconds],
  );
  return rows[0]?.n ?? 0;
}

export interface MailInDoubt {
  /** outbound_emails.id */
  id: number;
  recipient: string;
  subject: string;
  /** The emailoutput message's id. */
  messageKey: string;
  /** When the sender claimed it, i.e. about when the SES call was made. */
  claimedAt: Date | null;
  reason: string | null;
}

/** The e-mails in doubt, newest first. */
export async function listMailInDoubt(db: Queryable, options: { limit: number }): Promise<MailInDoubt[]> {
  const { rows } = await db.query<{
    id: string;
    recipient: string;
    subject: string;
    message_key: string;
    claimed_at: Date | null;
    error_reason: string | null;
  }>(
    `SELECT e.id, e.recipient, s.subject, s.message_key, e.claimed_at, e.error_reason
       FROM outbound_emails e JOIN email_sends s ON s.id = e.send_id
      WHERE e.status = 'unknown' AND e.deleted_at IS NULL
      ORDER BY e.id DESC LIMIT $1`,
    [options.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    recipient: row.recipient,
    subject: row.subject,
    messageKey: row.message_key,
    claimedAt: row.claimed_at,
    reason: row.error_reason,
  }));
}
