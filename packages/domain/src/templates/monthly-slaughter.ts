// Monthly slaughter: counts per slaughterhouse, month and species.
import { countColumn, speciesColumn } from "./common.js";
import type { TemplateDefinition } from "./types.js";

export const monthlySlaughter: TemplateDefinition = {
  id: "monthly_slaughter",
  version: 1,
  title: { id: "Laporan pemotongan bulanan", en: "Monthly slaughter report" },
  description: {
    id: "Satu baris per rumah potong, bulan dan spesies. Laporan baru menggantikan angka lama.",
    en: "One row per slaughterhouse, month and species. A new report replaces earlier figures.",
  },
  sheets: [
    {
      key: "slaughter",
      name: { id: "Pemotongan", en: "Slaughter" },
      columns: [
        {
          key: "slaughterhouse",
          header: { id: "RPH", en: "Slaughterhouse" },
          hint: { id: "Kode rumah potong hewan", en: "Slaughterhouse code" },
          type: { kind: "reference", entity: "slaughterhouse" },
          required: true,
        },
        {
          key: "month",
          header: { id: "Bulan", en: "Month" },
          hint: { id: "Bulan, mis. 2025-06 atau 06/2025", en: "Month, e.g. 2025-06 or 06/2025" },
          type: { kind: "month" },
          required: true,
        },
        speciesColumn(),
        countColumn("male", { id: "Jantan", en: "Male" }, { required: true }),
        countColumn("female", { id: "Betina", en: "Female" }, { required: true }),
        countColumn(
          "productive_female",
          { id: "Betina produktif", en: "Productive female" },
          { required: false },
        ),
      ],
      rowRules: [
        {
          kind: "notGreaterThan",
          column: "productive_female",
          than: "female",
          message: {
            id: "Betina produktif tidak boleh lebih dari jumlah betina",
            en: "Productive females cannot exceed females",
          },
        },
      ],
      sheetRules: [
        {
          kind: "unique",
          columns: ["slaughterhouse", "month", "species"],
          message: {
            id: "Rumah potong, bulan dan spesies yang sama sudah ada di baris lain",
            en: "The same slaughterhouse, month and species is on another row",
          },
        },
      ],
    },
  ],
};
