// IM messages whose sendMessage answer was lost (status `unknown`): Telegram may or may
// not have delivered them, so they are listed for an operator and never resent.
import type { Queryable } from "@isikhnas/platform";

export interface ImInDoubt {
  id: number;
  /** The chat id the message was for. */
  address: string;
  kind: string;
  modifiedAt: Date;
  lastError: string | null;
}

/** Newest first. */
export async function listImInDoubt(db: Queryable, limit: number): Promise<ImInDoubt[]> {
  const { rows } = await db.query<{
    id: number;
    address: string;
    kind: string;
    modified_at: Date;
    last_error: string | null;
  }>(
    `SELECT id::int, address, kind, modified_at, last_error FROM outbound_messages
     WHERE channel = 'im' AND status = 'unknown' ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    address: row.address,
    kind: row.kind,
    modifiedAt: row.modified_at,
    lastError: row.last_error,
  }));
}
