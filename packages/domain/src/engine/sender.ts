// Who sent a message: the user behind a contact address, with what the engine needs to
// check permissions and areas.
import type { Queryable } from "@isikhnas/platform";
import type { Sender } from "../commands/context.js";
import type { Language } from "../messages/catalog.js";
import type { InboundChannel } from "./types.js";

export async function resolveSender(
  tx: Queryable,
  channel: InboundChannel,
  address: string,
): Promise<Sender | null> {
  const result = await tx.query<{
    id: number;
    name: string;
    user_type: string;
    language: Language;
    active: boolean;
    supervisor_id: number | null;
    requires_ddx: boolean;
    home_id: number;
    home_code: string;
    home_name: string;
    area_codes: string[];
  }>(
    `SELECT u.id, u.name, u.user_type, u.language, u.active, u.supervisor_id, t.requires_ddx,
            h.id AS home_id, h.code AS home_code, h.name AS home_name,
            array(SELECT l.code FROM user_areas a JOIN locations l ON l.id = a.location_id
                  WHERE a.user_id = u.id AND a.deleted_at IS NULL AND l.deleted_at IS NULL) AS area_codes
     FROM contacts c
     JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
     JOIN user_types t ON t.code = u.user_type
     JOIN locations h ON h.id = u.home_location_id
     WHERE c.channel = $1 AND c.address = $2 AND c.deleted_at IS NULL`,
    [channel, address],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    userType: row.user_type,
    language: row.language,
    active: row.active,
    supervisorId: row.supervisor_id,
    requiresDdx: row.requires_ddx,
    home: { id: row.home_id, code: row.home_code, name: row.home_name },
    areaCodes: [...new Set([...row.area_codes, row.home_code])],
  };
}
