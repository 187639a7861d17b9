// Sample documents for the renderers' tests: Indonesian names, symbols the standard PDF
// fonts cannot show, a table long enough to span pages, charts and two PDF pages.
import type { ReportDocument, TableSection } from "../model.js";

export const DISTRICTS = [
  "Kabupaten Morowali",
  "Kabupaten Banggai Kepulauan",
  "Kota Palu",
  "Kabupaten Donggala",
  "Kabupaten Sigi",
] as const;

export function longTable(rowCount: number): TableSection {
  return {
    kind: "table",
    title: "Laporan per desa",
    columns: [
      { label: "No.", format: "integer", width: 0.5 },
      { label: "Desa", width: 2 },
      { label: "Tanggal", format: "date", width: 1.3 },
      { label: "Kasus", format: "integer" },
      { label: "Berat (kg)", format: "decimal" },
      { label: "Positif", format: "percent" },
    ],
    rows: Array.from({ length: rowCount }, (_, index) => [
      index + 1,
      `Desa Ngapaean ${index + 1}`,
      `2026-11-${String((index % 30) + 1).padStart(2, "0")}`,
      1000 + index * 7,
      12.5 + index,
      (index % 100) + 0.5,
    ]),
    totals: ["", "Jumlah", null, rowCount * 1000, null, null],
  };
}

export function sampleDocument(overrides: Partial<ReportDocument> = {}): ReportDocument {
  return {
    language: "id",
    title: "Ringkasan kasus kabupaten — November 2026",
    subtitle: "Kabupaten Morowali, Sulawesi Tengah · 1–30 November 2026 (WITA)",
    letterhead: {
      organisation: "Balai Besar Veteriner Maros",
      lines: ["Jl. Dr. Sam Ratulangi No. 2, Maros, Sulawesi Selatan 90514", "Telp. (0411) 371105"],
    },
    footer: "iSIKHNAS · dibuat 1 Desember 2026 07.00 WITA",
    headlines: [
      { label: "Kasus baru", value: 1234567 },
      { label: "Desa terdampak", value: 48 },
      { label: "Suhu rata-rata", value: "38,5 °C" },
      { label: "Positif ≥ 2 uji", value: "12,5%" },
    ],
    pages: [
      {
        sections: [
          {
            kind: "text",
            title: "Catatan",
            paragraphs: [
              "Laporan dari Ni Luh Putu Ayu Kusumawati dan Wayan Sudarsana. Hewan dengan suhu ≥ 40 °C diperiksa ulang.",
              "Sampel dikirim ke laboratorium rujukan (Ελλάδα, Москва) untuk konfirmasi.",
            ],
          },
          {
            kind: "chart",
            title: "Kasus per kabupaten",
            chart: {
              type: "bar",
              categories: [...DISTRICTS],
              series: [{ name: "Kasus", values: [1234, 3456, 12500, 80, 560] }],
              valueLabel: "Jumlah kasus",
            },
          },
          longTable(200),
        ],
      },
      {
        sections: [
          {
            kind: "fields",
            title: "Pengiriman sampel",
            fields: [
              { label: "Nomor pengiriman", value: "BBV-MRS/2026/11/0042" },
              { label: "Pengirim", value: "drh. I Gusti Ngurah Agung Wiradarma" },
              { label: "Spesies", value: "Sapi Bali (Bos javanicus)" },
              { label: "Suhu saat diterima", value: "4 °C" },
            ],
          },
          {
            kind: "chart",
            title: "Proporsi spesies",
            chart: {
              type: "pie",
              categories: ["Sapi", "Kambing", "Babi", "Ayam"],
              series: [{ name: "Sampel", values: [45, 22, 12, 150] }],
            },
          },
        ],
      },
    ],
    ...overrides,
  };
}
