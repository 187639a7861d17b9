// The time zone a report's periods are computed in: the scope's (a place), or that of the
// case a lab submission belongs to. Undefined when there is no such place or submission.
import type { Queryable } from "@isikhnas/platform";
import { isTimeZone, type TimeZone } from "./periods.js";

const DEFAULT_ZONE: TimeZone = "Asia/Jakarta";

export async function placeTimeZone(db: Queryable, code: string): Promise<TimeZone | undefined> {
  const { rows } = await db.query<{ time_zone: string }>("SELECT time_zone FROM locations WHERE code = $1", [
    code,
  ]);
  const zone = rows[0]?.time_zone;
  if (zone === undefined) return undefined;
  return isTimeZone(zone) ? zone : DEFAULT_ZONE;
}

export async function submissionTimeZone(db: Queryable, submissionId: string): Promise<TimeZone | undefined> {
  const { rows } = await db.query<{ time_zone: string }>(
    `SELECT l.time_zone FROM lab_submissions s JOIN cases c ON c.id = s.case_id JOIN locations l ON l.id = c.location_id
     WHERE s.id = $1::bigint`,
    [submissionId],
  );
  const zone = rows[0]?.time_zone;
  if (zone === undefined) return undefined;
  return isTimeZone(zone) ? zone : DEFAULT_ZONE;
}
