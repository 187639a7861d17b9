// Monthly, per district, to district and provincial coordinators: U and P cases by
// sign, syndrome, species and sub-district, with the response rate (cases with an outcome).
import type { ReportDefinition } from "../definition.js";
import {
  ANIMALS_COLUMN,
  CASES_COLUMN,
  districtCases,
  label,
  localDate,
  placeName,
  placesAt,
  recipientsByType,
} from "./sql.js";

const casesColumns = [
  CASES_COLUMN,
  { column: "priority", label: { id: "Prioritas (P)", en: "Priority (P)" }, format: "integer" },
  ANIMALS_COLUMN,
  { column: "with_outcome", label: { id: "Dengan hasil", en: "With outcome" }, format: "integer" },
  { column: "response_rate", label: { id: "Respons", en: "Response" }, format: "percent" },
] as const;

const counts = `
  count(*)::int AS cases,
  count(*) FILTER (WHERE c.kind = 'P')::int AS priority,
  coalesce(sum(c.animal_count), 0)::int AS animals,
  count(c.outcome_code)::int AS with_outcome,
  (CASE WHEN count(*) = 0 THEN 0 ELSE round(100.0 * count(c.outcome_code) / count(*), 1) END)::float8 AS response_rate`;

export const districtCaseSummary: ReportDefinition = {
  code: "district-case-summary",
  title: { id: "Ringkasan kasus kabupaten", en: "District case summary" },
  description: {
    id: "Kasus U dan P bulan ini menurut tanda klinis, sindrom, spesies dan kecamatan, dengan tingkat respons.",
    en: "This month's U and P cases by sign, syndrome, species and sub-district, with the response rate.",
  },
  schedule: { cadence: "month", delayHours: 7 },
  scope: "district",
  scopes: placesAt(2),
  scopeName: placeName,
  recipients: recipientsByType(["district_coordinator", "provincial_coordinator"]),
  dataCount: `SELECT count(*)::int AS count FROM ${districtCases()}`,
  emptyNotice: {
    id: "Tidak ada kasus yang dilaporkan di kabupaten ini pada periode ini.",
    en: "No cases were reported in this district in this period.",
  },
  queries: {
    totals: `SELECT ${counts} FROM ${districtCases()}`,
    bySubdistrict: `
      SELECT s.name AS place, ${counts}
      FROM ${districtCases("JOIN locations s ON s.code = left(v.code, 6)")}
      GROUP BY s.name, s.code ORDER BY s.code`,
    bySpecies: `
      SELECT ${label("k")} AS species, ${counts}
      FROM ${districtCases("JOIN codes k ON k.list_code = 'SP' AND k.code = c.species_code")}
      GROUP BY k.code, k.label_id, k.label_en, k.sort_order ORDER BY cases DESC, k.sort_order`,
    bySign: `
      SELECT ${label("k")} AS sign, count(*)::int AS cases, coalesce(sum(c.animal_count), 0)::int AS animals
      FROM ${districtCases(`         JOIN case_signs cs ON cs.case_id = c.id AND cs.deleted_at IS NULL
         JOIN codes k ON k.list_code = 'TK' AND k.code = cs.sign_code`)}
      GROUP BY k.code, k.label_id, k.label_en ORDER BY cases DESC, k.code`,
    bySyndrome: `
      SELECT ${label("k")} AS syndrome, count(*)::int AS cases, coalesce(sum(c.animal_count), 0)::int AS animals
      FROM ${districtCases("JOIN codes k ON k.list_code = 'SN' AND k.code = c.syndrome_code")}
      GROUP BY k.code, k.label_id, k.label_en ORDER BY cases DESC, k.code`,
  },
  headlines: [
    { label: { id: "Kasus", en: "Cases" }, query: "totals", column: "cases", format: "integer" },
    {
      label: { id: "Kasus prioritas", en: "Priority cases" },
      query: "totals",
      column: "priority",
      format: "integer",
    },
    {
      label: { id: "Hewan sakit", en: "Sick animals" },
      query: "totals",
      column: "animals",
      format: "integer",
    },
    {
      label: { id: "Tingkat respons", en: "Response rate" },
      query: "totals",
      column: "response_rate",
      format: "percent",
    },
  ],
  pages: [
    {
      sections: [
        {
          kind: "chart",
          title: { id: "Kasus menurut spesies", en: "Cases by species" },
          query: "bySpecies",
          type: "horizontal-bar",
          category: "species",
          series: [{ column: "cases", label: { id: "Kasus", en: "Cases" } }],
        },
        {
          kind: "table",
          title: { id: "Menurut kecamatan", en: "By sub-district" },
          query: "bySubdistrict",
          columns: [
            { column: "place", label: { id: "Kecamatan", en: "Sub-district" }, width: 2 },
            ...casesColumns,
          ],
          totals: ["cases", "priority", "animals", "with_outcome"],
        },
        {
          kind: "table",
          title: { id: "Menurut spesies", en: "By species" },
          query: "bySpecies",
          columns: [
            { column: "species", label: { id: "Spesies", en: "Species" }, width: 2 },
            ...casesColumns,
          ],
        },
        {
          kind: "table",
          title: { id: "Menurut tanda klinis", en: "By clinical sign" },
          query: "bySign",
          columns: [
            { column: "sign", label: { id: "Tanda klinis", en: "Clinical sign" }, width: 3 },
            CASES_COLUMN,
            ANIMALS_COLUMN,
          ],
          emptyText: { id: "Tidak ada kasus U.", en: "No U cases." },
        },
        {
          kind: "table",
          title: { id: "Menurut sindrom prioritas", en: "By priority syndrome" },
          query: "bySyndrome",
          columns: [
            { column: "syndrome", label: { id: "Sindrom", en: "Syndrome" }, width: 3 },
            CASES_COLUMN,
            ANIMALS_COLUMN,
          ],
          emptyText: { id: "Tidak ada kasus prioritas.", en: "No priority cases." },
        },
      ],
    },
  ],
  dataSheets: [
    {
      name: { id: "Kasus", en: "Cases" },
      query: `
        SELECT c.id, ${localDate("c.reported_at")} AS reported_on, c.kind, v.code AS village_code, v.name AS village,
          s.name AS subdistrict, ${label("sp")} AS species, c.animal_count,
          (SELECT string_agg(cs.sign_code, ',' ORDER BY cs.sign_code) FROM case_signs cs
            WHERE cs.case_id = c.id AND cs.deleted_at IS NULL) AS signs,
          c.syndrome_code, c.outcome_code, u.name AS reporter
        FROM ${districtCases(`           JOIN locations s ON s.code = left(v.code, 6)
           JOIN codes sp ON sp.list_code = 'SP' AND sp.code = c.species_code
           JOIN users u ON u.id = c.reporter_id`)}
        ORDER BY c.reported_at, c.id`,
      columns: [
        { column: "id", label: { id: "ID kasus", en: "Case ID" }, format: "integer" },
        { column: "reported_on", label: { id: "Tanggal", en: "Date" }, format: "date" },
        { column: "kind", label: { id: "Jenis", en: "Kind" } },
        { column: "village_code", label: { id: "Kode desa", en: "Village code" } },
        { column: "village", label: { id: "Desa", en: "Village" }, width: 2 },
        { column: "subdistrict", label: { id: "Kecamatan", en: "Sub-district" }, width: 2 },
        { column: "species", label: { id: "Spesies", en: "Species" } },
        { column: "animal_count", label: { id: "Jumlah", en: "Count" }, format: "integer" },
        { column: "signs", label: { id: "Tanda klinis", en: "Signs" } },
        { column: "syndrome_code", label: { id: "Sindrom", en: "Syndrome" } },
        { column: "outcome_code", label: { id: "Hasil", en: "Outcome" } },
        { column: "reporter", label: { id: "Pelapor", en: "Reporter" }, width: 2 },
      ],
    },
  ],
  attach: { pdf: true, excel: true },
};
