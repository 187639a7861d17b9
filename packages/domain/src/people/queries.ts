// Look-ups of users and their rights: the user behind a contact address (for the engine
// and the e-mail daemons alike) and whether their type may upload templates.
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

/** A user as reached through one of their contacts: what every caller of the look-up needs. */
export interface ContactUser extends User {
  /** Whether this contact address was verified; e-mail uploads require it. */
  contactVerified: boolean;
  supervisorId: number | null;
  requiresDdx: boolean;
  /** Codes of the locations the user is responsible for, home location included. */
  areaCodes: string[];
}

/** The address as contacts store it: phones as 628…, e-mail lower-cased; null when it cannot be one. */
function storedAddress(channel: ContactChannel, address: string): string | null {
  if (channel === "sms") return normalisePhone(address);
  const trimmed = channel === "email" ? address.trim().toLowerCase() : address.trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * A contact's user as a `ContactUserRow` (`contacts c`, `users u`): the caller adds the
 * WHERE naming the contact. One text for the lookup here and the engine's first statement.
 */
export const CONTACT_USER_SELECT = `SELECT u.id, u.name, u.user_type, u.language, u.active, c.verified, u.supervisor_id,
       t.requires_ddx, h.id AS home_id, h.code AS home_code, h.name AS home_name,
       array(SELECT l.code FROM user_areas a JOIN locations l ON l.id = a.location_id
             WHERE a.user_id = u.id AND a.deleted_at IS NULL AND l.deleted_at IS NULL) AS area_codes
FROM contacts c
JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
JOIN user_types t ON t.code = u.user_type
JOIN locations h ON h.id = u.home_location_id`;

/** The user behind an address (phones in any common form, e-mail in any case), or null. */
export async function findUserByContact(
  db: Queryable,
  channel: ContactChannel,
  address: string,
): Promise<ContactUser | null> {
  const stored = storedAddress(channel, address);
  if (!stored) return null;
  const result = await db.query<ContactUserRow>(
    `${CONTACT_USER_SELECT} WHERE c.channel = $1 AND c.address = $2 AND c.deleted_at IS NULL`,
    [channel, stored],
  );
  const row = result.rows[0];
  return row ? contactUserOf(row) : null;
}

/** The columns a sender is read from (here, and in the engine's statement that stores a message). */
export interface ContactUserRow {
  id: number;
  name: string;
  user_type: string;
  language: Language;
  active: boolean;
  verified: boolean;
  supervisor_id: number | null;
  requires_ddx: boolean;
  home_id: number;
  home_code: string;
  home_name: string;
  area_codes: string[];
}

export function contactUserOf(row: ContactUserRow): ContactUser {
  return {
    id: row.id,
    name: row.name,
    userType: row.user_type,
    language: row.language,
    active: row.active,
    homeLocation: { id: row.home_id, code: row.home_code, name: row.home_name },
    contactVerified: row.verified,
    supervisorId: row.supervisor_id,
    requiresDdx: row.requires_ddx,
    areaCodes: [...new Set([...row.area_codes, row.home_code])],
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

/** True when the user is active and their type may upload at least one template. */
export async function userMayUploadAny(db: Queryable, userId: number): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM users u
     JOIN template_permissions p ON p.user_type = u.user_type AND p.deleted_at IS NULL
     JOIN templates t ON t.code = p.template_code AND t.deleted_at IS NULL
     WHERE u.id = $1 AND u.active AND u.deleted_at IS NULL
     LIMIT 1`,
    [userId],
  );
  return result.rows.length > 0;
}
