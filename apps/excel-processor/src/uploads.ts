// The uploads table as the processor uses it: one row per user, template and distinct
// file (by SHA-256), claimed inside the import transaction, and carrying the answer it was
// given.
import type { MessageInputOf } from "@isikhnas/contracts";
import type { Queryable } from "@isikhnas/platform";

export interface Outbox {
  email: MessageInputOf<"emailoutput">;
  reports: MessageInputOf<"reportrequest">[];
}

export interface UploadRecord {
  id: number;
  status: string;
  messageId: string;
  templateCode: string | null;
  fileName: string;
  receivedAt: Date;
  outbox: Outbox | null;
  answerSentAt: Date | null;
}

interface UploadRow {
  id: string;
  status: string;
  message_id: string;
  template_code: string | null;
  file_name: string;
  received_at: Date;
  outbox: Outbox | null;
  answer_sent_at: Date | null;
}

function toRecord(row: UploadRow): UploadRecord {
  return {
    id: Number(row.id),
    status: row.status,
    messageId: row.message_id,
    templateCode: row.template_code,
    fileName: row.file_name,
    receivedAt: row.received_at,
    outbox: row.outbox,
    answerSentAt: row.answer_sent_at,
  };
}

/**
 * The user's earlier upload of this file. The template is read from the file itself, so
 * the same bytes are the same template: user and hash find at most one upload.
 */
export async function findUpload(
  db: Queryable,
  userId: number,
  sha256: string,
): Promise<UploadRecord | undefined> {
  const result = await db.query<UploadRow>(
    `SELECT id, status, message_id, template_code, file_name, received_at, outbox, answer_sent_at
     FROM uploads WHERE user_id = $1 AND content_sha256 = $2
     ORDER BY id LIMIT 1`,
    [userId, sha256],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : undefined;
}

export interface NewUpload {
  templateCode: string;
  templateVersion: number;
  userId: number;
  senderAddress: string;
  messageId: string;
  fileName: string;
  sha256: string;
  objectKey: string;
  environment: string;
  receivedAt: string;
}

/**
 * Inserts the upload in the caller's transaction. Undefined when this user's upload of
 * the file for this template is already there: another delivery committed it, or is
 * committing it now (the unique index makes this call wait for that transaction to end).
 */
export async function claimUpload(db: Queryable, upload: NewUpload): Promise<number | undefined> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO uploads (template_code, template_version, user_id, sender_address, message_id, file_name,
       content_sha256, object_key, environment, status, received_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'processing', $10, $3)
     ON CONFLICT (user_id, content_sha256, template_code) DO NOTHING
     RETURNING id`,
    [
      upload.templateCode,
      upload.templateVersion,
      upload.userId,
      upload.senderAddress,
      upload.messageId,
      upload.fileName,
      upload.sha256,
      upload.objectKey,
      upload.environment,
      upload.receivedAt,
    ],
  );
  const row = result.rows[0];
  return row ? Number(row.id) : undefined;
}

export async function recordOutcome(
  db: Queryable,
  uploadId: number,
  outcome: {
    status: "imported" | "rejected";
    rowCount: number;
    errorCount: number;
    resultObjectKey?: string;
    outbox: Outbox;
  },
): Promise<void> {
  await db.query(
    `UPDATE uploads SET status = $2, row_count = $3, error_count = $4, result_object_key = $5, outbox = $6,
       processed_at = now()
     WHERE id = $1`,
    [
      uploadId,
      outcome.status,
      outcome.rowCount,
      outcome.errorCount,
      outcome.resultObjectKey ?? null,
      outcome.outbox,
    ],
  );
}

export async function markAnswered(db: Queryable, uploadId: number): Promise<void> {
  await db.query(`UPDATE uploads SET answer_sent_at = now() WHERE id = $1 AND answer_sent_at IS NULL`, [
    uploadId,
  ]);
}
