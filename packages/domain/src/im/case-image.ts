// Photos on cases (the IM `IMAGE [case id]` command): who may attach to which case, and
// the attachment itself, stored as an inbound IMAGE message and an `image` case event.
import type { Queryable } from "@isikhnas/platform";
import type { ContactUser } from "../people/queries.js";

export type CaseAccess =
  | { status: "visible"; caseId: number }
  | { status: "not-found" }
  | { status: "outside-area" };

/**
 * Whether the sender may see the case: the same area rule as `PK` and `LAB` (the case's
 * place lies inside one of the sender's areas), and the reporter always sees their own.
 */
export async function caseAccessFor(tx: Queryable, sender: ContactUser, caseId: number): Promise<CaseAccess> {
  const found = await tx.query<{ id: number; reporter_id: number; location_code: string }>(
    `SELECT c.id, c.reporter_id, l.code AS location_code
     FROM cases c JOIN locations l ON l.id = c.location_id
     WHERE c.id = $1 AND c.deleted_at IS NULL`,
    [caseId],
  );
  const row = found.rows[0];
  if (!row) return { status: "not-found" };
  const covered = sender.areaCodes.some((area) => row.location_code.startsWith(area));
  if (row.reporter_id !== sender.id && !covered) return { status: "outside-area" };
  return { status: "visible", caseId: row.id };
}

export interface CaseImage {
  caseId: number;
  userId: number;
  channel: "im";
  /** The message's identity at its source (bot and update id): one attachment per photo. */
  externalId: string;
  sender: string;
  caption: string;
  receivedAt: Date;
  environment: "live" | "training";
  bucketKey: string;
  sha256: string;
  sizeBytes: number;
  sourceFileId: string;
}

/**
 * Records the photo as an accepted IMAGE inbound message of the case with an `image`
 * event; a second call for the same external id changes nothing (returns false).
 */
export async function attachCaseImage(tx: Queryable, image: CaseImage): Promise<boolean> {
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO inbound_messages (channel, sender, text, normalised_text, received_at, external_id, environment,
                                   user_id, command_code, status, case_id, handled_at, created_by, modified_by)
     VALUES ($1, $2, $3, '', $4, $5, $6, $7, 'IMAGE', 'accepted', $8, now(), $7, $7)
     ON CONFLICT (channel, external_id) DO NOTHING
     RETURNING id`,
    [
      image.channel,
      image.sender,
      image.caption,
      image.receivedAt,
      image.externalId,
      image.environment,
      image.userId,
      image.caseId,
    ],
  );
  const inboundId = inserted.rows[0]?.id;
  if (inboundId === undefined) return false;
  await tx.query(
    `INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by, modified_by)
     VALUES ($1, 'image', $2, $3, $4, $5, $2, $2)`,
    [
      image.caseId,
      image.userId,
      inboundId,
      image.receivedAt,
      JSON.stringify({
        key: image.bucketKey,
        sha256: image.sha256,
        size: image.sizeBytes,
        source: image.sourceFileId,
      }),
    ],
  );
  return true;
}
