// Vaccination tally: vaccinations done per program, date, village and species.
import { countColumn, dateColumn, speciesColumn, villageColumn } from "./common.js";
import type { TemplateDefinition } from "./types.js";

export const vaccinationTally: TemplateDefinition = {
  id: "vaccination_tally",
  version: 1,
  title: { id: "Rekap vaksinasi", en: "Vaccination tally" },
  description: {
    id: "Satu baris per program, tanggal, desa dan spesies.",
    en: "One row per program, date, village and species.",
  },
  sheets: [
    {
      key: "vaccination",
      name: { id: "Vaksinasi", en: "Vaccination" },
      columns: [
        {
          key: "program",
          header: { id: "Program", en: "Program" },
          hint: { id: "Kode program vaksinasi", en: "Vaccination program code" },
          type: { kind: "reference", entity: "vaccinationProgram" },
          required: true,
        },
        dateColumn("date", { id: "Tanggal", en: "Date" }),
        villageColumn({ withinSenderAreas: true }),
        speciesColumn(),
        countColumn("primary", { id: "Primer", en: "Primary" }, { required: true }),
        countColumn("booster", { id: "Booster", en: "Booster" }, { required: false, defaultValue: 0 }),
        {
          key: "vaccinator",
          header: { id: "Vaksinator", en: "Vaccinator" },
          hint: { id: "Nama vaksinator (boleh kosong)", en: "Vaccinator's name (optional)" },
          type: { kind: "text", maxLength: 200 },
          required: false,
        },
      ],
      rowRules: [
        {
          kind: "positiveSum",
          columns: ["primary", "booster"],
          message: {
            id: "Primer dan booster tidak boleh keduanya nol",
            en: "Primary and booster cannot both be zero",
          },
        },
      ],
      sheetRules: [
        {
          kind: "unique",
          columns: ["program", "date", "village", "species"],
          message: {
            id: "Program, tanggal, desa dan spesies yang sama sudah ada di baris lain",
            en: "The same program, date, village and species is on another row",
          },
        },
      ],
    },
  ],
};
