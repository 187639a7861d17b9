// Workbooks as a sender would fill them in.
import ExcelJS from "exceljs";

export interface SheetSpec {
  name: string;
  rows: unknown[][];
  state?: "visible" | "hidden";
}

export async function workbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name, { state: spec.state ?? "visible" });
    for (const row of spec.rows) sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function metadata(templateId: string, version = 1): SheetSpec {
  return {
    name: "metadata",
    state: "hidden",
    rows: [
      ["template_id", templateId],
      ["version", version],
    ],
  };
}

export const VACCINATION_HEADER = [
  "Program",
  "Tanggal",
  "Desa",
  "Spesies",
  "Primer",
  "Booster",
  "Vaksinator",
];

export function vaccinationRows(count: number, start = new Date(Date.UTC(2025, 0, 1))): unknown[][] {
  const villages = ["72060201", "72060202", "72060203"];
  const species = ["SP", "KB", "DB", "KR", "BB"];
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(start.getTime() + Math.floor(index / 15) * 86_400_000);
    return [
      "101",
      day,
      villages[index % 3],
      species[Math.floor(index / 3) % 5],
      10 + (index % 7),
      index % 3,
      "Pak Vaksinator",
    ];
  });
}

export async function readWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}
