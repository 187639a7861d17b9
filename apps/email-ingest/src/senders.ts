// Who may upload workbooks by e-mail: an active user whose verified e-mail contact is the
// From address and whose user type may upload at least one template. (Which template a
// workbook is, the excel-processor checks once it has opened it.)
import type { Queryable } from "@isikhnas/platform";

export type SenderStanding =
  | { kind: "unknown" }
  | { kind: "refused"; reason: "unverified" | "inactive" | "not-permitted"; user: KnownSender }
  | { kind: "permitted"; user: KnownSender };

export interface KnownSender {
  id: number;
  name: string;
  language: "id" | "en";
}

interface SenderRow {
  id: number;
  name: string;
  language: "id" | "en";
  active: boolean;
  verified: boolean;
  may_upload: boolean;
}

export async function senderStanding(db: Queryable, address: string): Promise<SenderStanding> {
  const { rows } = await db.query<SenderRow>(
    `SELECT u.id, u.name, u.language, u.active, c.verified,
            EXISTS (
              SELECT 1 FROM template_permissions tp
              JOIN templates t ON t.code = tp.template_code AND t.deleted_at IS NULL
              WHERE tp.user_type = u.user_type AND tp.deleted_at IS NULL
            ) AS may_upload
       FROM contacts c
       JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
      WHERE c.channel = 'email' AND c.address = lower($1) AND c.deleted_at IS NULL`,
    [address],
  );
  const row = rows[0];
  if (!row) return { kind: "unknown" };
  const user: KnownSender = { id: Number(row.id), name: row.name, language: row.language };
  if (!row.verified) return { kind: "refused", reason: "unverified", user };
  if (!row.active) return { kind: "refused", reason: "inactive", user };
  if (!row.may_upload) return { kind: "refused", reason: "not-permitted", user };
  return { kind: "permitted", user };
}

export interface TemplateSummary {
  code: string;
  label: string;
}

/** Templates the user may upload. */
export async function templatesFor(
  db: Queryable,
  userId: number,
  language: "id" | "en",
): Promise<TemplateSummary[]> {
  const { rows } = await db.query<{ code: string; label_id: string; label_en: string }>(
    `SELECT t.code, t.label_id, t.label_en
       FROM templates t
      WHERE t.deleted_at IS NULL
        AND EXISTS (
              SELECT 1 FROM template_permissions tp JOIN users u ON u.user_type = tp.user_type
               WHERE u.id = $1 AND tp.template_code = t.code AND tp.deleted_at IS NULL)
      ORDER BY t.id`,
    [userId],
  );
  return rows.map((row) => ({ code: row.code, label: language === "en" ? row.label_en : row.label_id }));
}
