// Daily, per district with priority (P) cases in the last day, to the district's staff:
// every P case with its syndrome, place, species, count and reporter.
import type { ReportDefinition } from "../definition.js";
import { ANIMALS_COLUMN, CASES_COLUMN, districtCases, label, placeName, recipientsByType } from "./sql.js";

const priorityCases = (joins = "") => `${districtCases(joins)} AND c.kind = 'P'`;

export const priorityDigest: ReportDefinition = {
  code: "priority-digest",
  title: { id: "Ringkasan harian kasus prioritas", en: "Daily priority digest" },
  description: {
    id: "Kasus sindrom prioritas (P) yang dilaporkan kemarin di kabupaten ini.",
    en: "Priority-syndrome (P) cases reported yesterday in this district.",
  },
  schedule: { cadence: "day", delayHours: 6 },
  scope: "district",
  scopes: `
    SELECT left(v.code, 4) AS scope, d.name, d.time_zone
    FROM cases c
    JOIN locations v ON v.id = c.location_id
    JOIN locations d ON d.code = left(v.code, 4)
    WHERE c.deleted_at IS NULL AND c.kind = 'P'
      AND c.reported_at >= {start} AND c.reported_at < {end}
      AND d.time_zone = {timeZone}
    GROUP BY left(v.code, 4), d.name, d.time_zone
    ORDER BY 1`,
  scopeName: placeName,
  recipients: recipientsByType(["district_vet", "district_coordinator"]),
  dataCount: `SELECT count(*)::int AS count FROM ${priorityCases()}`,
  emptyNotice: {
    id: "Tidak ada kasus prioritas kemarin di kabupaten ini.",
    en: "There were no priority cases in this district yesterday.",
  },
  queries: {
    totals: `
      SELECT count(*)::int AS cases, coalesce(sum(c.animal_count), 0)::int AS animals,
        count(DISTINCT c.syndrome_code)::int AS syndromes
      FROM ${priorityCases()}`,
    bySyndrome: `
      SELECT ${label("k")} AS syndrome, count(*)::int AS cases, sum(c.animal_count)::int AS animals
      FROM ${priorityCases("JOIN codes k ON k.list_code = 'SN' AND k.code = c.syndrome_code")}
      GROUP BY k.code, k.label_id, k.label_en ORDER BY cases DESC, k.code`,
    cases: `
      SELECT c.id, to_char(c.reported_at AT TIME ZONE {timeZone}, 'HH24:MI') AS time, v.name AS village,
        s.name AS subdistrict, ${label("sn")} AS syndrome, ${label("sp")} AS species, c.animal_count,
        u.name AS reporter
      FROM ${priorityCases(`
        JOIN locations s ON s.code = left(v.code, 6)
        JOIN codes sn ON sn.list_code = 'SN' AND sn.code = c.syndrome_code
        JOIN codes sp ON sp.list_code = 'SP' AND sp.code = c.species_code
        JOIN users u ON u.id = c.reporter_id`)}
      ORDER BY c.reported_at, c.id`,
  },
  headlines: [
    {
      label: { id: "Kasus prioritas", en: "Priority cases" },
      query: "totals",
      column: "cases",
      format: "integer",
    },
    {
      label: { id: "Hewan sakit", en: "Sick animals" },
      query: "totals",
      column: "animals",
      format: "integer",
    },
    { label: { id: "Sindrom", en: "Syndromes" }, query: "totals", column: "syndromes", format: "integer" },
  ],
  pages: [
    {
      sections: [
        {
          kind: "table",
          title: { id: "Kasus prioritas", en: "Priority cases" },
          query: "cases",
          columns: [
            { column: "id", label: { id: "ID kasus", en: "Case ID" }, format: "integer" },
            { column: "time", label: { id: "Jam", en: "Time" } },
            { column: "village", label: { id: "Desa", en: "Village" }, width: 2 },
            { column: "subdistrict", label: { id: "Kecamatan", en: "Sub-district" }, width: 2 },
            { column: "syndrome", label: { id: "Sindrom", en: "Syndrome" }, width: 2 },
            { column: "species", label: { id: "Spesies", en: "Species" } },
            { column: "animal_count", label: { id: "Jumlah", en: "Count" }, format: "integer" },
            { column: "reporter", label: { id: "Pelapor", en: "Reporter" }, width: 2 },
          ],
        },
        {
          kind: "table",
          title: { id: "Menurut sindrom", en: "By syndrome" },
          query: "bySyndrome",
          columns: [
            { column: "syndrome", label: { id: "Sindrom", en: "Syndrome" }, width: 3 },
            CASES_COLUMN,
            ANIMALS_COLUMN,
          ],
        },
      ],
    },
  ],
  dataSheets: [],
  attach: { pdf: true, excel: false },
};
