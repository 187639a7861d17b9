// Small look-ups of users and their rights for the daemons (e-mail ingest, Excel import).
import type { Queryable } from "@isikhnas/platform";
import type { Language } from "../messages/catalog.js";
import { normalisePhone } from "./phone.js";

export type ContactChannel = "sms" | "email" | "im";

export interface User {
  id: number;
  name: string;
  userType: string;
  language: Language;
  active: boolean;
  homeLocation: { id: number; code: string; name: string };
}

/** The user behind an address (phones in any common form, e-mail in any case), or null. */
export async function findUserByContact(
  db: Queryable,
  channel: ContactChannel,
  address: string,
): Promise<User | null> {
  const stored =
    channel === "sms"
      ? normalisePhone(address)
      : channel === "email"
        ? address.trim().toLowerCase()
        : address.trim();
  if (!stored) return null;
  const result = await db.query<{
    id: number;
    name: string;
    user_type: string;
    language: Language;
    active: boolean;
    home_id: number;
    home_code: string;
    home_name: string;
  }>(
    `SELECT u.id, u.name, u.user_type, u.language, u.active, l.id AS home_id, l.code AS home_code, l.name AS home_name
     FROM contacts c
     JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
     JOIN locations l ON l.id = u.home_location_id
     WHERE c.channel = $1 AND c.address = $2 AND c.deleted_at IS NULL`,
    [channel, stored],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    userType: row.user_type,
    language: row.language,
    active: row.active,
    homeLocation: { id: row.home_id, code: row.home_code, name: row.home_name },
  };
}

/** True when the user is active and their type may upload the template. */
export async function userMayUpload(db: Queryable, userId: number, templateId: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM users u
     JOIN template_permissions p ON p.user_type = u.user_type AND p.deleted_at IS NULL
     JOIN templates t ON t.code = p.template_code AND t.deleted_at IS NULL
     WHERE u.id = $1 AND u.active AND u.deleted_at IS NULL AND p.template_code = $2`,
    [userId, templateId],
  );
  return result.rows.length > 0;
}

/** True when the user is active and their type may send the command. */
export async function userMaySend(db: Queryable, userId: number, commandCode: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM users u
     JOIN command_permissions p ON p.user_type = u.user_type AND p.deleted_at IS NULL
     JOIN commands c ON c.code = p.command_code AND c.deleted_at IS NULL
     WHERE u.id = $1 AND u.active AND u.deleted_at IS NULL AND p.command_code = $2`,
    [userId, commandCode.trim().toUpperCase()],
  );
  return result.rows.length > 0;
}
