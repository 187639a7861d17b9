// The record of which attachments of which mail were queued. A row per (Message-ID,
// SHA-256), inserted before the emailinput message is sent and marked once it was: a
// redelivered mail adds no rows, and a row left unqueued by a crash is queued then.
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

export async function recordAttachment(db: Queryable, record: AttachmentRecord): Promise<void> {
  await db.query(
    `INSERT INTO inbound_mail_attachments
       (message_id, content_sha256, sender_address, recipient, file_name, object_key, raw_mail_key, size_bytes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (message_id, content_sha256) DO NOTHING`,
    [
      record.messageId,
      record.sha256,
      record.senderAddress,
      record.recipient,
      record.filename,
      record.objectKey,
      record.rawMailKey,
      record.size,
    ],
  );
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
    const { rows } = await tx.query<{
      id: number;
      message_id: string;
      content_sha256: string;
      sender_address: string;
      recipient: string;
      file_name: string;
      object_key: string;
      raw_mail_key: string;
      size_bytes: number;
    }>(
      `SELECT id, message_id, content_sha256, sender_address, recipient, file_name, object_key, raw_mail_key, size_bytes
         FROM inbound_mail_attachments
        WHERE message_id = $1 AND queued_at IS NULL AND deleted_at IS NULL
        ORDER BY id
        FOR UPDATE SKIP LOCKED`,
      [messageId],
    );
    for (const row of rows) {
      await queue({
        id: Number(row.id),
        messageId: row.message_id,
        sha256: row.content_sha256,
        senderAddress: row.sender_address,
        recipient: row.recipient,
        filename: row.file_name,
        objectKey: row.object_key,
        rawMailKey: row.raw_mail_key,
        size: Number(row.size_bytes),
      });
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
