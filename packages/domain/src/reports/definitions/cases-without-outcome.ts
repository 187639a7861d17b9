// Weekly, per district, to the district's staff and the reporters concerned: cases of the
// last 90 days that still have no outcome (PK) at the end of the week, oldest first.
import type { ReportDefinition } from "../definition.js";
import { label, localDate, placeName, placesAt, recipientsByType } from "./sql.js";

const openCases = (joins = "") => `
  cases c
  JOIN locations v ON v.id = c.location_id
  ${joins}
  WHERE c.deleted_at IS NULL AND c.outcome_code IS NULL
    AND left(v.code, 4) = {scope}
    AND c.reported_at < {end} AND c.reported_at >= {end}::timestamptz - interval '90 days'`;

export const casesWithoutOutcome: ReportDefinition = {
  code: "cases-without-outcome",
  title: { id: "Kasus tanpa hasil akhir", en: "Cases without outcome" },
  description: {
    id: "Kasus 90 hari terakhir yang belum dilaporkan hasilnya (PK). Kirim PK [id kasus] [SB/MS/MT].",
    en: "Cases of the last 90 days with no outcome yet (PK). Send PK [case id] [SB/MS/MT].",
  },
  schedule: { cadence: "week", delayHours: 7 },
  scope: "district",
  scopes: placesAt(2),
  scopeName: placeName,
  recipients: `
    SELECT address, language, name FROM (
      ${recipientsByType(["district_vet", "district_coordinator"])}
    ) staff
    UNION
    SELECT c.address, u.language, u.name
    FROM users u
    JOIN contacts c ON c.user_id = u.id AND c.channel = 'email' AND c.deleted_at IS NULL
    WHERE u.active AND u.deleted_at IS NULL
      AND u.id IN (SELECT c.reporter_id FROM ${openCases()})`,
  dataCount: `SELECT count(*)::int AS count FROM ${openCases()}`,
  emptyNotice: {
    id: "Semua kasus di kabupaten ini sudah mempunyai hasil akhir.",
    en: "Every case in this district has an outcome.",
  },
  queries: {
    totals: `
      SELECT count(*)::int AS cases, count(DISTINCT c.reporter_id)::int AS reporters,
        coalesce(max(extract(day FROM {end}::timestamptz - c.reported_at)), 0)::int AS oldest_days
      FROM ${openCases()}`,
    byReporter: `
      SELECT u.name AS reporter, count(*)::int AS cases
      FROM ${openCases("JOIN users u ON u.id = c.reporter_id")}
      GROUP BY u.id, u.name ORDER BY cases DESC, u.name`,
    cases: `
      SELECT c.id, ${localDate("c.reported_at")} AS reported_on,
        extract(day FROM {end}::timestamptz - c.reported_at)::int AS days_open,
        v.name AS village, ${label("sp")} AS species, c.animal_count, u.name AS reporter
      FROM ${openCases(`
        JOIN codes sp ON sp.list_code = 'SP' AND sp.code = c.species_code
        JOIN users u ON u.id = c.reporter_id`)}
      ORDER BY c.reported_at, c.id`,
  },
  headlines: [
    { label: { id: "Kasus terbuka", en: "Open cases" }, query: "totals", column: "cases", format: "integer" },
    { label: { id: "Pelapor", en: "Reporters" }, query: "totals", column: "reporters", format: "integer" },
    {
      label: { id: "Tertua (hari)", en: "Oldest (days)" },
      query: "totals",
      column: "oldest_days",
      format: "integer",
    },
  ],
  pages: [
    {
      sections: [
        {
          kind: "table",
          title: { id: "Menurut pelapor", en: "By reporter" },
          query: "byReporter",
          columns: [
            { column: "reporter", label: { id: "Pelapor", en: "Reporter" }, width: 3 },
            { column: "cases", label: { id: "Kasus terbuka", en: "Open cases" }, format: "integer" },
          ],
          totals: ["cases"],
        },
        {
          kind: "table",
          title: { id: "Kasus tanpa hasil akhir", en: "Cases without outcome" },
          query: "cases",
          columns: [
            { column: "id", label: { id: "ID kasus", en: "Case ID" }, format: "integer" },
            { column: "reported_on", label: { id: "Tanggal", en: "Date" }, format: "date" },
            { column: "days_open", label: { id: "Hari", en: "Days" }, format: "integer" },
            { column: "village", label: { id: "Desa", en: "Village" }, width: 2 },
            { column: "species", label: { id: "Spesies", en: "Species" } },
            { column: "animal_count", label: { id: "Jumlah", en: "Count" }, format: "integer" },
            { column: "reporter", label: { id: "Pelapor", en: "Reporter" }, width: 2 },
          ],
        },
      ],
    },
  ],
  dataSheets: [],
  attach: { pdf: true, excel: false },
};
