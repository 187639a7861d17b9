// New users with their phone (and e-mail) contacts and areas of responsibility. Ids are
// drawn first so contacts and areas can refer to the user of their staged row.
import { userRegistration } from "@isikhnas/domain";
import { stagingTableOf } from "../staging.js";
import { expectEveryRowLanded } from "./landed.js";
import type { ImportContext, Importer, ImportResult } from "./types.js";

const STAGED = stagingTableOf(userRegistration, "users");

async function importAll({ tx, userId }: ImportContext): Promise<ImportResult> {
  await tx.query(`ALTER TABLE ${STAGED} ADD COLUMN user_id bigint`);
  await tx.query(`UPDATE ${STAGED} SET user_id = nextval(pg_get_serial_sequence('users', 'id'))`);
  const users = await tx.query(
    `INSERT INTO users (id, name, user_type, home_location_id, language, created_by)
     OVERRIDING SYSTEM VALUE
     SELECT s.user_id, btrim(concat_ws(' ', s.first_name, s.last_name)), s.user_type, l.id, s.language, $1
     FROM ${STAGED} s JOIN locations l ON l.code = s.location AND l.deleted_at IS NULL
     ORDER BY s.row_number`,
    [userId],
  );
  await expectEveryRowLanded(tx, "user registration", STAGED, users.rowCount ?? 0);
  const contacts = await tx.query(
    `INSERT INTO contacts (user_id, channel, address, created_by)
     SELECT user_id, 'sms', phone, $1::bigint FROM ${STAGED}
     UNION ALL
     SELECT user_id, 'email', email, $1::bigint FROM ${STAGED} WHERE email IS NOT NULL`,
    [userId],
  );
  const areas = await tx.query(
    `INSERT INTO user_areas (user_id, location_id, created_by)
     SELECT DISTINCT s.user_id, l.id, $1::bigint
     FROM ${STAGED} s CROSS JOIN LATERAL unnest(string_to_array(s.areas, ',')) AS area(code)
     JOIN locations l ON l.code = area.code AND l.deleted_at IS NULL`,
    [userId],
  );
  return {
    counts: { users: users.rowCount ?? 0, contacts: contacts.rowCount ?? 0, areas: areas.rowCount ?? 0 },
    submissionIds: [],
  };
}

export const importUserRegistration: Importer = { finish: (context) => importAll(context) };
