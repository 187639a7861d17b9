// The record of which attachments of which mail were queued. A row per (Message-ID,
// SHA-256), inserted with the emailinput message's sending and marked once it was sent:
// a redelivered mail adds no rows, and a row left unqueued by a crash is queued then.
import type { Database, Queryable } from "@isikhnas/platform";

export interface AttachmentRecord {
  messageId: string;
  sha256: string;
  senderAddress: string;
  recipient: string;
  filename: string;
  objectKey: string;
  rawMailKey: string;
  size: number;
}

export interface UnqueuedAttachment extends AttachmentRecord {
  id: number;
}

interface AttachmentRow {
  id: number;
  message_id: string;
  content_sha256: string;
  sender_address: string;
  recipient: string;
  file_name: string;
  object_key: string;
  raw_mail_key: string;
  size_bytes: number;
}

function unqueued(row: AttachmentRow): UnqueuedAttachment {
  return {
    id: Number(row.id),
    messageId: row.message_id,
    sha256: row.content_sha256,
    senderAddress: row.sender_address,
    recipient: row.recipient,
    filename: row.file_name,
    objectKey: row.object_key,
    rawMailKey: row.raw_mail_key,
    size: Number(row.size_bytes),
  };
}

/**
 * Records the attachments of one mail and runs `queue` on each not queued before, in one
 * transaction. The insert locks every row it names, new or left by an earlier delivery of
 * the mail, until it is marked: two deliveries handled at once queue each attachment once,
 * and a crash before the commit leaves no row, for the redelivery to record again. Returns
 * how many attachments the mail has recorded.
 */
export async function recordAndQueue(
  db: Database,
  records: readonly AttachmentRecord[],
  queue: (attachment: UnqueuedAttachment) => Promise<void>,
): Promise<number> {
  // One row per content, the first as before; in one order, so two deliveries never deadlock.
  const byContent = new Map<string, AttachmentRecord>();
  for (const record of records) if (!byContent.has(record.sha256)) byContent.set(record.sha256, record);
  const rows = [...byContent.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  const column = <K extends keyof AttachmentRecord>(key: K) => rows.map((row) => row[key]);
  return db.transaction(async (tx) => {
    const { rows: recorded } = await tx.query<AttachmentRow & { queued: boolean; deleted: boolean }>(
      `INSERT INTO inbound_mail_attachments
         (message_id, content_sha256, sender_address, recipient, file_name, object_key, raw_mail_key, size_bytes)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
       ON CONFLICT (message_id, content_sha256) DO UPDATE SET message_id = excluded.message_id
       RETURNING id, message_id, content_sha256, sender_address, recipient, file_name, object_key, raw_mail_key,
                 size_bytes, queued_at IS NOT NULL AS queued, deleted_at IS NOT NULL AS deleted`,
      [
        column("messageId"),
        column("sha256"),
        column("senderAddress"),
        column("recipient"),
        column("filename"),
        column("objectKey"),
        column("rawMailKey"),
        column("size"),
      ],
    );
    const live = recorded.filter((row) => !row.deleted);
    const due = live.filter((row) => !row.queued).sort((a, b) => Number(a.id) - Number(b.id));
    for (const row of due) await queue(unqueued(row));
    if (due.length > 0) {
      await tx.query("UPDATE inbound_mail_attachments SET queued_at = now() WHERE id = ANY($1::bigint[])", [
        due.map((row) => row.id),
      ]);
    }
    return live.length;
  });
}

/**
 * Runs `queue` on every attachment of the mail not yet queued, each under a row lock held
 * until it is marked: two deliveries of one mail handled at once queue it once.
 */
export async function queueUnqueued(
  db: Database,
  messageId: string,
  queue: (attachment: UnqueuedAttachment) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<AttachmentRow>(
      `SELECT id, message_id, content_sha256, sender_address, recipient, file_name, object_key, raw_mail_key, size_bytes
         FROM inbound_mail_attachments
        WHERE message_id = $1 AND queued_at IS NULL AND deleted_at IS NULL
        ORDER BY id
        FOR UPDATE SKIP LOCKED`,
      [messageId],
    );
    for (const row of rows) {
      await queue(unqueued(row));
      await tx.query("UPDATE inbound_mail_attachments SET queued_at = now() WHERE id = $1", [row.id]);
    }
    return rows.length;
  });
}

export async function countRecorded(db: Queryable, messageId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM inbound_mail_attachments WHERE message_id = $1 AND deleted_at IS NULL",
    [messageId],
  );
  return rows[0]?.n ?? 0;
}
