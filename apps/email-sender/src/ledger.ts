// The rows that make sending once-only: one per emailoutput message (email_sends) and one
// per recipient (outbound_emails). A recipient is claimed ('sending') in its own committed
// statement before the SES call and marked after it; a redelivered message finds its rows
// and sends only what is still pending.
import { errorReason } from "@isikhnas/domain";
import type { Queryable } from "@isikhnas/platform";

// Putting rows in doubt is shared with the operator tool, which lists them: the domain
// package owns it.
export { expireStaleClaims, markInDoubt } from "@isikhnas/domain";

export type SendStatus = "expanding" | "sending" | "done";

export interface SendRecord {
  id: number;
  status: SendStatus;
}

export async function openSend(
  db: Queryable,
  message: { id: string; environment: string; subject: string },
): Promise<SendRecord> {
  const { rows } = await db.query<{ id: number; status: SendStatus }>(
    `INSERT INTO email_sends (message_key, environment, subject) VALUES ($1, $2, $3)
     ON CONFLICT (message_key) DO UPDATE SET message_key = excluded.message_key
     RETURNING id, status`,
    [message.id, message.environment, message.subject],
  );
  const row = rows[0];
  if (!row) throw new Error("email_sends upsert returned no row");
  return { id: Number(row.id), status: row.status };
}

const INSERT_CHUNK = 5_000;

/** Writes the recipients (again, harmlessly, after a crash) and moves the send to 'sending'. */
export async function addRecipients(
  db: Queryable,
  sendId: number,
  recipients: readonly string[],
): Promise<void> {
  for (let start = 0; start < recipients.length; start += INSERT_CHUNK) {
    await db.query(
      `INSERT INTO outbound_emails (send_id, recipient)
       SELECT $1, recipient FROM unnest($2::text[]) WITH ORDINALITY AS r (recipient, n) ORDER BY n
       ON CONFLICT (send_id, recipient) DO NOTHING`,
      [sendId, recipients.slice(start, start + INSERT_CHUNK)],
    );
  }
  await db.query(
    `UPDATE email_sends SET status = 'sending',
            recipient_count = (SELECT count(*) FROM outbound_emails WHERE send_id = $1)
      WHERE id = $1 AND status = 'expanding'`,
    [sendId],
  );
}

export interface ClaimedRecipient {
  id: number;
  recipient: string;
  attempts: number;
}

export interface SentRecipient {
  id: number;
  providerMessageId: string;
}

/**
 * In one statement: marks recipients SES accepted as sent, and claims up to `count`
 * pending recipients whose retry time has come (lowest id first; fewer, or none, when
 * fewer are pending). The claimed rows are returned in id order.
 */
export async function markSentAndClaim(
  db: Queryable,
  sendId: number,
  claimant: string,
  sent: readonly SentRecipient[],
  count: number,
): Promise<ClaimedRecipient[]> {
  const { rows } = await db.query<{ id: number; recipient: string; attempts: number }>(
    `WITH marked AS (
       UPDATE outbound_emails SET status = 'sent', provider_message_id = m.provider_message_id,
              sent_at = clock_timestamp(), error_reason = NULL
         FROM unnest($1::bigint[], $2::text[]) AS m (id, provider_message_id)
        WHERE outbound_emails.id = m.id
       RETURNING outbound_emails.id)
     UPDATE outbound_emails
        SET status = 'sending', claimed_at = clock_timestamp(), claimed_by = $4, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbound_emails
         WHERE send_id = $3 AND status = 'pending' AND (not_before IS NULL OR not_before <= clock_timestamp())
         ORDER BY id
         LIMIT $5
         FOR UPDATE SKIP LOCKED)
      RETURNING id, recipient, attempts`,
    [sent.map((row) => row.id), sent.map((row) => row.providerMessageId), sendId, claimant, count],
  );
  return rows
    .map((row) => ({ id: Number(row.id), recipient: row.recipient, attempts: row.attempts }))
    .sort((a, b) => a.id - b.id);
}

/** Marks recipients SES accepted as sent, in one statement. */
export async function markSent(db: Queryable, sent: readonly SentRecipient[]): Promise<void> {
  await db.query(
    `UPDATE outbound_emails SET status = 'sent', provider_message_id = m.provider_message_id,
            sent_at = clock_timestamp(), error_reason = NULL
       FROM unnest($1::bigint[], $2::text[]) AS m (id, provider_message_id)
      WHERE outbound_emails.id = m.id`,
    [sent.map((row) => row.id), sent.map((row) => row.providerMessageId)],
  );
}

export async function markFailed(db: Queryable, id: number, reason: string): Promise<void> {
  await db.query("UPDATE outbound_emails SET status = 'failed', error_reason = $2 WHERE id = $1", [
    id,
    errorReason(reason),
  ]);
}

/** SES refused it for now (throttled, unavailable) and certainly did not send it: retry later. */
export async function releaseForRetry(
  db: Queryable,
  id: number,
  delayMs: number,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE outbound_emails
        SET status = 'pending', claimed_at = NULL, claimed_by = NULL, error_reason = $3,
            not_before = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
      WHERE id = $1`,
    [id, delayMs, errorReason(reason)],
  );
}

export interface SendProgress {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  unknown: number;
  /** Milliseconds until the earliest pending row may be tried; 0 when one may now. */
  nextRetryMs: number | undefined;
}

export async function progressOf(db: Queryable, sendId: number): Promise<SendProgress> {
  const { rows } = await db.query<{
    pending: number;
    sending: number;
    sent: number;
    failed: number;
    unknown: number;
    next_retry_ms: number | null;
  }>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'unknown')::int AS unknown,
            GREATEST(0, EXTRACT(EPOCH FROM min(coalesce(not_before, clock_timestamp())) FILTER (WHERE status = 'pending')
              - clock_timestamp()) * 1000)::float8 AS next_retry_ms
       FROM outbound_emails WHERE send_id = $1`,
    [sendId],
  );
  const row = rows[0];
  return {
    pending: row?.pending ?? 0,
    sending: row?.sending ?? 0,
    sent: row?.sent ?? 0,
    failed: row?.failed ?? 0,
    unknown: row?.unknown ?? 0,
    nextRetryMs: row?.next_retry_ms ?? undefined,
  };
}

export async function markDone(db: Queryable, sendId: number): Promise<void> {
  await db.query("UPDATE email_sends SET status = 'done' WHERE id = $1", [sendId]);
}
