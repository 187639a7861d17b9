// Who may upload workbooks by e-mail: an active user whose verified e-mail contact is the
// From address and whose user type may upload at least one template. (Which template a
// workbook is, the excel-processor checks once it has opened it.)
import { findUserByContact, userMayUploadAny } from "@isikhnas/domain";
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

export async function senderStanding(db: Queryable, address: string): Promise<SenderStanding> {
  const found = await findUserByContact(db, "email", address);
  if (!found) return { kind: "unknown" };
  const user: KnownSender = { id: found.id, name: found.name, language: found.language };
  if (!found.contactVerified) return { kind: "refused", reason: "unverified", user };
  if (!found.active) return { kind: "refused", reason: "inactive", user };
  if (!(await userMayUploadAny(db, found.id))) return { kind: "refused", reason: "not-permitted", user };
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
