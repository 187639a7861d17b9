// Lab submissions and results (wiki: the lab data template). A submission is the
// specimens of one case sent to one lab on one day; each row is one specimen.
import { LIMITS } from "../grammar/parse.js";
import { countColumn, dateColumn, speciesColumn, villageColumn } from "./common.js";
import type { TemplateDefinition } from "./types.js";

export const labSubmissions: TemplateDefinition = {
  id: "lab_submissions",
  version: 1,
  title: { id: "Pengiriman dan hasil laboratorium", en: "Lab submissions and results" },
  description: {
    id: "Lembar Pengiriman: satu baris per spesimen. Lembar Hasil: satu baris per uji.",
    en: "Submissions sheet: one row per specimen. Results sheet: one row per test.",
  },
  sheets: [
    {
      key: "submissions",
      name: { id: "Pengiriman", en: "Submissions" },
      columns: [
        {
          key: "case_id",
          header: { id: "ID kasus", en: "Case id" },
          hint: { id: "Nomor kasus dari SMS, mis. 2238", en: "Case id from the SMS reply, e.g. 2238" },
          type: { kind: "reference", entity: "case" },
          required: true,
        },
        dateColumn("date", { id: "Tanggal kirim", en: "Date sent" }),
        // Labs receive specimens from anywhere: the village need not be in the sender's areas.
        villageColumn({ withinSenderAreas: false }),
        speciesColumn(),
        {
          key: "specimen_type",
          header: { id: "Jenis spesimen", en: "Specimen type" },
          hint: { id: "Kode dari daftar JS", en: "Code from list JS" },
          type: { kind: "code", list: "JS" },
          required: true,
        },
        {
          key: "specimen_form",
          header: { id: "Bentuk spesimen", en: "Specimen form" },
          hint: { id: "Kode dari daftar BS", en: "Code from list BS" },
          type: { kind: "code", list: "BS" },
          required: true,
        },
        {
          key: "section",
          header: { id: "Bagian lab", en: "Lab section" },
          hint: { id: "Kode dari daftar BL (boleh kosong)", en: "Code from list BL (optional)" },
          type: { kind: "code", list: "BL" },
          required: false,
        },
        // The same bounds as the LAB SMS command and the specimens table.
        countColumn("count", { id: "Jumlah", en: "Count" }, { required: true, ...LIMITS.specimens }),
        {
          key: "lab",
          header: { id: "ID lab", en: "Lab id" },
          hint: { id: "Kode laboratorium", en: "Laboratory code" },
          type: { kind: "reference", entity: "lab" },
          required: true,
        },
        {
          key: "sample_id",
          header: { id: "ID sampel", en: "Sample id" },
          hint: { id: "Nomor sampel unik (boleh kosong)", en: "Unique sample number (optional)" },
          type: { kind: "text", maxLength: 64 },
          required: false,
          mustBeNew: "specimen",
        },
      ],
      rowRules: [],
      sheetRules: [
        {
          kind: "unique",
          columns: ["sample_id"],
          message: {
            id: "ID sampel yang sama ada di baris lain",
            en: "The same sample id is on another row",
          },
        },
      ],
    },
    {
      key: "results",
      name: { id: "Hasil", en: "Results" },
      optional: true,
      columns: [
        {
          key: "sample_id",
          header: { id: "ID sampel", en: "Sample id" },
          hint: {
            id: "ID sampel dari lembar Pengiriman atau kiriman sebelumnya",
            en: "Sample id from the Submissions sheet or an earlier submission",
          },
          type: { kind: "reference", entity: "specimen" },
          required: true,
          orInSheet: { sheet: "submissions", column: "sample_id" },
        },
        {
          key: "test",
          header: { id: "Uji", en: "Test" },
          hint: { id: "Nama uji, mis. ELISA", en: "Test name, e.g. ELISA" },
          type: { kind: "text", maxLength: 100 },
          required: true,
        },
        {
          key: "result",
          header: { id: "Hasil", en: "Result" },
          hint: { id: "Hasil uji, mis. positif", en: "Test result, e.g. positive" },
          type: { kind: "text", maxLength: 200 },
          required: true,
        },
        dateColumn("date", { id: "Tanggal hasil", en: "Result date" }),
      ],
      rowRules: [],
      sheetRules: [
        {
          kind: "unique",
          columns: ["sample_id", "test"],
          message: {
            id: "Sampel dan uji yang sama ada di baris lain",
            en: "The same sample and test is on another row",
          },
        },
      ],
    },
  ],
};
