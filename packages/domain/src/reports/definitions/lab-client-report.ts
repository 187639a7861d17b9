// After each lab upload, per submission, to the submitter: the printable client report
// with the lab's letterhead: the submission, its case, its specimens and any results.
import type { ReportDefinition } from "../definition.js";
import { label } from "./sql.js";

export const labClientReport: ReportDefinition = {
  code: "lab-client-report",
  title: { id: "Laporan klien laboratorium", en: "Laboratory client report" },
  description: {
    id: "Spesimen yang diterima laboratorium dan hasil pengujiannya.",
    en: "Specimens received by the laboratory and their test results.",
  },
  scope: "submission",
  scopeName: `
    SELECT h.name, 'ID ' || s.id AS parent_name
    FROM lab_submissions s JOIN infrastructure h ON h.id = s.lab_id
    WHERE s.id = {scope}::bigint`,
  // The submitter's own address; a request's recipients take precedence.
  recipients: `
    SELECT c.address, u.language, u.name
    FROM lab_submissions s
    JOIN users u ON u.id = s.submitted_by
    JOIN contacts c ON c.user_id = u.id AND c.channel = 'email' AND c.deleted_at IS NULL
    WHERE s.id = {scope}::bigint`,
  letterhead: `
    SELECT h.name AS organisation, concat_ws(', ', hl.name, d.name, p.name) AS line1,
      'Kode ' || h.code AS line2
    FROM lab_submissions s
    JOIN infrastructure h ON h.id = s.lab_id
    JOIN locations hl ON hl.id = h.location_id
    LEFT JOIN locations d ON d.code = left(hl.code, 4)
    LEFT JOIN locations p ON p.code = left(hl.code, 2)
    WHERE s.id = {scope}::bigint`,
  dataCount: `SELECT count(*)::int AS count FROM lab_submissions WHERE id = {scope}::bigint AND deleted_at IS NULL`,
  emptyNotice: {
    id: "Pengiriman ini tidak ditemukan atau sudah dihapus.",
    en: "This submission was not found or has been deleted.",
  },
  queries: {
    submission: `
      SELECT s.id::text AS submission, c.id::text AS case_id,
        to_char(s.submitted_at AT TIME ZONE {timeZone}, 'YYYY-MM-DD') AS submitted_on,
        u.name AS submitter, concat_ws(', ', v.name, sd.name, d.name, p.name) AS place,
        ${label("sp")} || ' (' || c.animal_count || ')' AS species,
        (SELECT string_agg(${label("k")}, ', ' ORDER BY k.sort_order) FROM case_signs cs
          JOIN codes k ON k.list_code = 'TK' AND k.code = cs.sign_code
          WHERE cs.case_id = c.id AND cs.deleted_at IS NULL) AS signs
      FROM lab_submissions s
      JOIN cases c ON c.id = s.case_id
      JOIN users u ON u.id = s.submitted_by
      JOIN locations v ON v.id = c.location_id
      LEFT JOIN locations sd ON sd.code = left(v.code, 6)
      LEFT JOIN locations d ON d.code = left(v.code, 4)
      LEFT JOIN locations p ON p.code = left(v.code, 2)
      JOIN codes sp ON sp.list_code = 'SP' AND sp.code = c.species_code
      WHERE s.id = {scope}::bigint`,
    totals: `
      SELECT count(DISTINCT sp.id)::int AS specimens, coalesce(sum(sp.specimen_count), 0)::int AS samples,
        (SELECT count(*)::int FROM lab_results r JOIN specimens x ON x.id = r.specimen_id
          WHERE x.submission_id = {scope}::bigint AND r.deleted_at IS NULL) AS results
      FROM specimens sp WHERE sp.submission_id = {scope}::bigint AND sp.deleted_at IS NULL`,
    specimens: `
      SELECT coalesce(sp.sample_ref, '') AS sample_ref, ${label("t")} AS specimen_type, ${label("f")} AS form,
        coalesce(${label("b")}, '') AS section, sp.specimen_count
      FROM specimens sp
      JOIN codes t ON t.list_code = 'JS' AND t.code = sp.specimen_type_code
      JOIN codes f ON f.list_code = 'BS' AND f.code = sp.form_code
      LEFT JOIN codes b ON b.list_code = 'BL' AND b.code = sp.section_code
      WHERE sp.submission_id = {scope}::bigint AND sp.deleted_at IS NULL
      ORDER BY sp.id`,
    results: `
      SELECT coalesce(sp.sample_ref, '') AS sample_ref, r.test, r.result, r.result_date
      FROM lab_results r JOIN specimens sp ON sp.id = r.specimen_id
      WHERE sp.submission_id = {scope}::bigint AND r.deleted_at IS NULL
      ORDER BY sp.id, r.id`,
  },
  headlines: [
    { label: { id: "Spesimen", en: "Specimens" }, query: "totals", column: "specimens", format: "integer" },
    { label: { id: "Sampel", en: "Samples" }, query: "totals", column: "samples", format: "integer" },
    { label: { id: "Hasil uji", en: "Test results" }, query: "totals", column: "results", format: "integer" },
  ],
  pages: [
    {
      sections: [
        {
          kind: "fields",
          title: { id: "Pengiriman", en: "Submission" },
          query: "submission",
          fields: [
            { column: "submission", label: { id: "ID pengiriman", en: "Submission ID" } },
            { column: "case_id", label: { id: "ID kasus", en: "Case ID" } },
            { column: "submitted_on", label: { id: "Tanggal kirim", en: "Submitted on" } },
            { column: "submitter", label: { id: "Pengirim", en: "Submitted by" } },
            { column: "place", label: { id: "Asal", en: "From" } },
            { column: "species", label: { id: "Spesies (jumlah)", en: "Species (count)" } },
            { column: "signs", label: { id: "Tanda klinis", en: "Clinical signs" } },
          ],
        },
        {
          kind: "table",
          title: { id: "Spesimen", en: "Specimens" },
          query: "specimens",
          columns: [
            { column: "sample_ref", label: { id: "No. sampel", en: "Sample no." }, width: 1.5 },
            { column: "specimen_type", label: { id: "Jenis spesimen", en: "Specimen type" }, width: 2 },
            { column: "form", label: { id: "Bentuk", en: "Form" }, width: 2 },
            { column: "section", label: { id: "Bagian", en: "Section" }, width: 1.5 },
            { column: "specimen_count", label: { id: "Jumlah", en: "Count" }, format: "integer" },
          ],
          totals: ["specimen_count"],
        },
        {
          kind: "table",
          title: { id: "Hasil uji", en: "Test results" },
          query: "results",
          columns: [
            { column: "sample_ref", label: { id: "No. sampel", en: "Sample no." }, width: 1.5 },
            { column: "test", label: { id: "Uji", en: "Test" }, width: 2 },
            { column: "result", label: { id: "Hasil", en: "Result" }, width: 2 },
            { column: "result_date", label: { id: "Tanggal", en: "Date" }, format: "date" },
          ],
          emptyText: { id: "Hasil uji belum tersedia.", en: "No test results yet." },
        },
      ],
    },
  ],
  dataSheets: [],
  attach: { pdf: true, excel: false },
};
