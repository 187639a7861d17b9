// Pieces the report definitions share: labels in the reader's language, local dates,
// e-mail recipients by user type and area, the case-count columns.
import type { ColumnSpec } from "../definition.js";

export const CASES_COLUMN: ColumnSpec = {
  column: "cases",
  label: { id: "Kasus", en: "Cases" },
  format: "integer",
};
export const ANIMALS_COLUMN: ColumnSpec = {
  column: "animals",
  label: { id: "Hewan sakit", en: "Sick animals" },
  format: "integer",
};

/** The label of a code (table alias `k`) in the reader's language. */
export const label = (alias: string) =>
  `(CASE WHEN {language} = 'en' THEN ${alias}.label_en ELSE ${alias}.label_id END)`;

/** A timestamptz column as the local day, for tables and sheets. */
export const localDate = (column: string) => `(${column} AT TIME ZONE {timeZone})::date`;

/**
 * Active users of the given types with an e-mail address and an area covering the scope
 * (an area at the scope's level or above it: a province covers its districts).
 */
export function recipientsByType(userTypes: readonly string[], extra = ""): string {
  const types = userTypes.map((type) => `'${type}'`).join(", ");
  return `
    SELECT DISTINCT ON (c.address) c.address, u.language, u.name
    FROM users u
    JOIN contacts c ON c.user_id = u.id AND c.channel = 'email' AND c.deleted_at IS NULL
    JOIN user_areas a ON a.user_id = u.id AND a.deleted_at IS NULL
    JOIN locations area ON area.id = a.location_id
    WHERE u.active AND u.deleted_at IS NULL
      AND u.user_type IN (${types})
      AND {scope} LIKE area.code || '%'
    ${extra}
    ORDER BY c.address`;
}

/** Places at one level (2: district, 1: province) with their parent's name. */
export function placesAt(level: 1 | 2): string {
  return `
    SELECT l.code AS scope, l.name, l.time_zone
    FROM locations l
    WHERE l.level = ${level} AND l.deleted_at IS NULL AND l.time_zone = {timeZone}
    ORDER BY l.code`;
}

export const placeName = `
  SELECT l.name, p.name AS parent_name
  FROM locations l LEFT JOIN locations p ON p.code = l.parent_code
  WHERE l.code = {scope}`;

/** The cases of the period in the scope's district (alias c, with its village v), plus joins. */
export const districtCases = (joins = "") => `
  cases c
  JOIN locations v ON v.id = c.location_id
  ${joins}
  WHERE c.deleted_at IS NULL
    AND left(v.code, 4) = {scope}
    AND c.reported_at >= {start} AND c.reported_at < {end}`;
