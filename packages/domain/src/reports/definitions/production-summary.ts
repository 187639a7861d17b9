// Monthly, per province, to provincial and regional coordinators: slaughter counts (RP
// days and the monthly template, each animal counted once) and vaccinations (VAK and the
// tally template).
import type { ReportDefinition } from "../definition.js";
import { label, placeName, placesAt, recipientsByType } from "./sql.js";

/** Days of the period: slaughter and vaccination are reported per local day. */
const inPeriod = (column: string) =>
  `${column} >= ({start}::timestamptz AT TIME ZONE {timeZone})::date AND ${column} < ({end}::timestamptz AT TIME ZONE {timeZone})::date`;

/**
 * Slaughter figures, each animal once. A slaughterhouse's monthly workbook figure for a
 * month and species is that month's whole count and stands instead of its RP days of that
 * month and species; where there is none, the RP days count. `day` is the RP's day or the
 * first of the month, `daily` tells which.
 */
const slaughterFigures = `(
  SELECT d.slaughterhouse_id, d.species_code, d.male_count, d.female_count, d.productive_female_count,
    d.report_date AS day, true AS daily
  FROM slaughter_reports d
  WHERE d.deleted_at IS NULL AND NOT EXISTS (
    SELECT 1 FROM monthly_slaughter_reports m
    WHERE m.deleted_at IS NULL AND m.slaughterhouse_id = d.slaughterhouse_id
      AND m.species_code = d.species_code AND m.month = date_trunc('month', d.report_date)::date)
  UNION ALL
  SELECT m.slaughterhouse_id, m.species_code, m.male_count, m.female_count, m.productive_female_count,
    m.month, false
  FROM monthly_slaughter_reports m WHERE m.deleted_at IS NULL)`;

const slaughter = (joins = "") => `
  ${slaughterFigures} r
  JOIN infrastructure h ON h.id = r.slaughterhouse_id
  JOIN locations hl ON hl.id = h.location_id
  ${joins}
  WHERE left(hl.code, 2) = {scope} AND ${inPeriod("r.day")}`;

const vaccination = (joins = "") => `
  vaccination_reports r
  JOIN locations vl ON vl.id = r.location_id
  ${joins}
  WHERE r.deleted_at IS NULL AND left(vl.code, 2) = {scope} AND ${inPeriod("r.vaccinated_on")}`;

export const productionSummary: ReportDefinition = {
  code: "production-summary",
  title: { id: "Ringkasan produksi", en: "Production summary" },
  description: {
    id: "Pemotongan di RPH dan vaksinasi bulan ini di provinsi ini.",
    en: "This month's slaughter at abattoirs and vaccinations in this province.",
  },
  schedule: { cadence: "month", delayHours: 7 },
  scope: "province",
  scopes: placesAt(1),
  scopeName: placeName,
  recipients: recipientsByType(["provincial_coordinator", "regional_coordinator"]),
  dataCount: `SELECT ((SELECT count(*) FROM ${slaughter()}) + (SELECT count(*) FROM ${vaccination()}))::int AS count`,
  emptyNotice: {
    id: "Tidak ada laporan pemotongan atau vaksinasi di provinsi ini pada periode ini.",
    en: "No slaughter or vaccination was reported in this province in this period.",
  },
  queries: {
    totals: `
      SELECT
        (SELECT coalesce(sum(r.male_count + r.female_count), 0) FROM ${slaughter()})::int AS slaughtered,
        (SELECT coalesce(sum(r.productive_female_count), 0) FROM ${slaughter()})::int AS productive_females,
        (SELECT coalesce(sum(r.primary_count + r.booster_count), 0) FROM ${vaccination()})::int AS vaccinated`,
    slaughterBySpecies: `
      SELECT ${label("k")} AS species, sum(r.male_count)::int AS male, sum(r.female_count)::int AS female,
        coalesce(sum(r.productive_female_count), 0)::int AS productive_female,
        sum(r.male_count + r.female_count)::int AS total
      FROM ${slaughter("JOIN codes k ON k.list_code = 'SP' AND k.code = r.species_code")}
      GROUP BY k.code, k.label_id, k.label_en, k.sort_order ORDER BY total DESC, k.sort_order`,
    slaughterByHouse: `
      SELECT h.name AS slaughterhouse, sum(r.male_count + r.female_count)::int AS total,
        count(DISTINCT r.day) FILTER (WHERE r.daily)::int AS days,
        CASE WHEN bool_or(NOT r.daily) THEN CASE WHEN {language} = 'en' THEN 'yes' ELSE 'ya' END
          ELSE '' END AS monthly
      FROM ${slaughter()}
      GROUP BY h.id, h.name ORDER BY total DESC, h.name`,
    vaccinationByProgram: `
      SELECT p.name AS program, ${label("k")} AS species, sum(r.primary_count)::int AS primary_doses,
        sum(r.booster_count)::int AS boosters, sum(r.primary_count + r.booster_count)::int AS total
      FROM ${vaccination(`
        JOIN programs p ON p.id = r.program_id
        JOIN codes k ON k.list_code = 'SP' AND k.code = r.species_code`)}
      GROUP BY p.id, p.name, k.code, k.label_id, k.label_en ORDER BY p.name, total DESC`,
  },
  headlines: [
    {
      label: { id: "Hewan dipotong", en: "Animals slaughtered" },
      query: "totals",
      column: "slaughtered",
      format: "integer",
    },
    {
      label: { id: "Betina produktif dipotong", en: "Productive females slaughtered" },
      query: "totals",
      column: "productive_females",
      format: "integer",
    },
    {
      label: { id: "Vaksinasi", en: "Vaccinations" },
      query: "totals",
      column: "vaccinated",
      format: "integer",
    },
  ],
  pages: [
    {
      sections: [
        {
          kind: "chart",
          title: { id: "Pemotongan menurut spesies", en: "Slaughter by species" },
          query: "slaughterBySpecies",
          type: "bar",
          category: "species",
          series: [
            { column: "male", label: { id: "Jantan", en: "Male" } },
            { column: "female", label: { id: "Betina", en: "Female" } },
          ],
        },
        {
          kind: "table",
          title: { id: "Pemotongan menurut spesies", en: "Slaughter by species" },
          query: "slaughterBySpecies",
          columns: [
            { column: "species", label: { id: "Spesies", en: "Species" }, width: 2 },
            { column: "male", label: { id: "Jantan", en: "Male" }, format: "integer" },
            { column: "female", label: { id: "Betina", en: "Female" }, format: "integer" },
            {
              column: "productive_female",
              label: { id: "Betina produktif", en: "Productive female" },
              format: "integer",
            },
            { column: "total", label: { id: "Jumlah", en: "Total" }, format: "integer" },
          ],
          totals: ["male", "female", "productive_female", "total"],
          emptyText: { id: "Tidak ada laporan pemotongan.", en: "No slaughter reported." },
        },
        {
          kind: "table",
          title: { id: "Menurut RPH", en: "By slaughterhouse" },
          query: "slaughterByHouse",
          columns: [
            { column: "slaughterhouse", label: { id: "RPH", en: "Slaughterhouse" }, width: 3 },
            {
              column: "days",
              label: { id: "Hari dilaporkan (RP)", en: "Days reported (RP)" },
              format: "integer",
            },
            { column: "monthly", label: { id: "Laporan bulanan", en: "Monthly report" } },
            { column: "total", label: { id: "Jumlah", en: "Total" }, format: "integer" },
          ],
          emptyText: { id: "Tidak ada laporan pemotongan.", en: "No slaughter reported." },
        },
        {
          kind: "table",
          title: { id: "Vaksinasi menurut program", en: "Vaccination by programme" },
          query: "vaccinationByProgram",
          columns: [
            { column: "program", label: { id: "Program", en: "Programme" }, width: 3 },
            { column: "species", label: { id: "Spesies", en: "Species" } },
            { column: "primary_doses", label: { id: "Primer", en: "Primary" }, format: "integer" },
            { column: "boosters", label: { id: "Booster", en: "Booster" }, format: "integer" },
            { column: "total", label: { id: "Jumlah", en: "Total" }, format: "integer" },
          ],
          totals: ["primary_doses", "boosters", "total"],
          emptyText: { id: "Tidak ada laporan vaksinasi.", en: "No vaccination reported." },
        },
      ],
    },
  ],
  dataSheets: [
    {
      name: { id: "Pemotongan", en: "Slaughter" },
      query: `
        SELECT r.day AS report_date,
          CASE WHEN r.daily THEN 'RP' WHEN {language} = 'en' THEN 'month' ELSE 'bulan' END AS figure,
          h.code AS slaughterhouse_code, h.name AS slaughterhouse, r.species_code,
          r.male_count, r.female_count, r.productive_female_count
        FROM ${slaughter()} ORDER BY r.day, h.code, r.species_code`,
      columns: [
        { column: "report_date", label: { id: "Tanggal", en: "Date" }, format: "date" },
        { column: "figure", label: { id: "Laporan", en: "Report" } },
        { column: "slaughterhouse_code", label: { id: "Kode RPH", en: "Slaughterhouse code" } },
        { column: "slaughterhouse", label: { id: "RPH", en: "Slaughterhouse" }, width: 2 },
        { column: "species_code", label: { id: "Spesies", en: "Species" } },
        { column: "male_count", label: { id: "Jantan", en: "Male" }, format: "integer" },
        { column: "female_count", label: { id: "Betina", en: "Female" }, format: "integer" },
        {
          column: "productive_female_count",
          label: { id: "Betina produktif", en: "Productive female" },
          format: "integer",
        },
      ],
    },
    {
      name: { id: "Vaksinasi", en: "Vaccination" },
      query: `
        SELECT r.vaccinated_on, p.code AS program_code, vl.code AS village_code, vl.name AS village, r.species_code,
          r.primary_count, r.booster_count, r.vaccinator
        FROM ${vaccination("JOIN programs p ON p.id = r.program_id")} ORDER BY r.vaccinated_on, vl.code, r.species_code`,
      columns: [
        { column: "vaccinated_on", label: { id: "Tanggal", en: "Date" }, format: "date" },
        { column: "program_code", label: { id: "Program", en: "Programme" } },
        { column: "village_code", label: { id: "Kode desa", en: "Village code" } },
        { column: "village", label: { id: "Desa", en: "Village" }, width: 2 },
        { column: "species_code", label: { id: "Spesies", en: "Species" } },
        { column: "primary_count", label: { id: "Primer", en: "Primary" }, format: "integer" },
        { column: "booster_count", label: { id: "Booster", en: "Booster" }, format: "integer" },
        { column: "vaccinator", label: { id: "Vaksinator", en: "Vaccinator" }, width: 2 },
      ],
    },
  ],
  attach: { pdf: true, excel: true },
};
