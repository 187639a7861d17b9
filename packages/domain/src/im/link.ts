// Linking a chat account to a registered user: the user shares their own phone contact,
// its number must be a registered active user's phone, and the chat id becomes that
// user's verified `im` contact. Operators undo it with unlinkImContact.
import type { Queryable } from "@isikhnas/platform";
import type { Language } from "../messages/catalog.js";
import { normalisePhone } from "../people/phone.js";

export type LinkOutcome =
  | { status: "linked"; userId: number; name: string; language: Language }
  | { status: "unknown-number" }
  | { status: "inactive"; language: Language };

/** Stores `imId` as the `im` contact of the active user whose phone is `phone`. */
export async function linkImContact(tx: Queryable, imId: string, phone: string): Promise<LinkOutcome> {
  const number = normalisePhone(phone);
  if (!number) return { status: "unknown-number" };
  const found = await tx.query<{ id: number; name: string; language: Language; active: boolean }>(
    `SELECT u.id, u.name, u.language, u.active
     FROM contacts c JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
     WHERE c.channel = 'sms' AND c.address = $1 AND c.deleted_at IS NULL
     ORDER BY u.active DESC, u.id LIMIT 1`,
    [number],
  );
  const user = found.rows[0];
  if (!user) return { status: "unknown-number" };
  if (!user.active) return { status: "inactive", language: user.language };
  // One chat account is one user: a chat id linked before (to anyone) moves to this user.
  await tx.query(
    `INSERT INTO contacts (user_id, channel, address, verified, created_by, modified_by)
     VALUES ($1, 'im', $2, true, $1, $1)
     ON CONFLICT (channel, address) DO UPDATE
       SET user_id = EXCLUDED.user_id, verified = true, deleted_at = NULL, deleted_by = NULL,
           modified_by = EXCLUDED.modified_by`,
    [user.id, imId],
  );
  return { status: "linked", userId: user.id, name: user.name, language: user.language };
}

export interface UnlinkResult {
  userId: number;
  name: string;
  /** The chat ids that were unlinked. */
  unlinked: string[];
}

/**
 * Soft-deletes every `im` contact of the user named by a phone number (any common form),
 * an e-mail address or a numeric user id; null when no such user.
 */
export async function unlinkImContact(
  db: Queryable,
  user: string,
  operatorId: number | null = null,
): Promise<UnlinkResult | null> {
  const phone = normalisePhone(user);
  const found = await db.query<{ id: number; name: string }>(
    `SELECT u.id, u.name FROM users u
     WHERE u.deleted_at IS NULL AND (
       ($1::bigint IS NOT NULL AND u.id = $1::bigint)
       OR EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = u.id AND c.deleted_at IS NULL
                  AND ((c.channel = 'sms' AND c.address = $2) OR (c.channel = 'email' AND c.address = lower($3)))))
     ORDER BY u.id LIMIT 1`,
    [/^[0-9]{1,12}$/.test(user.trim()) ? user.trim() : null, phone, user.trim()],
  );
  const row = found.rows[0];
  if (!row) return null;
  const removed = await db.query<{ address: string }>(
    `UPDATE contacts SET deleted_at = now(), deleted_by = $2, modified_by = $2
     WHERE user_id = $1 AND channel = 'im' AND deleted_at IS NULL
     RETURNING address`,
    [row.id, operatorId],
  );
  return { userId: row.id, name: row.name, unlinked: removed.rows.map((r) => r.address) };
}
