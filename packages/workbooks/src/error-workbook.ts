// The sender's own workbook sent back with every bad cell highlighted (fill colour and a
// note saying what is wrong and what is expected) and an error summary sheet in front.
import ExcelJS from "exceljs";
import type { CellError } from "./errors.js";
import type { Language } from "./template-workbook.js";

export const ERROR_FILL_ARGB = "FFFFC7CE";
export const ERROR_SUMMARY_SHEET = { id: "Kesalahan", en: "Errors" } as const;

export interface ErrorWorkbookInput {
  /** The workbook as received; omit it to send the summary sheet alone (a very large file). */
  sourcePath?: string;
  errors: readonly CellError[];
  /** All errors found, including those not kept in detail. */
  errorCount: number;
  language: Language;
}

const TEXT = {
  id: {
    expected: "Seharusnya",
    headers: ["Lembar", "Baris", "Kolom", "Judul kolom", "Isi", "Masalah", "Seharusnya"],
    title: (count: number) => `${count} kesalahan ditemukan. Tidak ada data yang disimpan.`,
    more: (shown: number, count: number) => `Hanya ${shown} kesalahan pertama ditampilkan dari ${count}.`,
    fix: "Perbaiki sel yang berwarna merah (lihat catatan di setiap sel), lalu kirim ulang file ini.",
  },
  en: {
    expected: "Expected",
    headers: ["Sheet", "Row", "Column", "Header", "Value", "Problem", "Expected"],
    title: (count: number) => `${count} errors found. Nothing was imported.`,
    more: (shown: number, count: number) => `Only the first ${shown} of ${count} errors are shown.`,
    fix: "Correct the red cells (see the note on each), then send this file again.",
  },
} as const;

export async function writeErrorWorkbook(input: ErrorWorkbookInput): Promise<Buffer> {
  const workbook =
    (input.sourcePath && (await annotatedSource(input.sourcePath, input))) || new ExcelJS.Workbook();
  const summary = addSummarySheet(workbook, input);
  workbook.views = [
    {
      x: 0,
      y: 0,
      width: 20000,
      height: 15000,
      firstSheet: 0,
      activeTab: workbook.worksheets.indexOf(summary),
      visibility: "visible",
    },
  ];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The sender's own workbook with the bad cells marked, or undefined when exceljs's whole-file
 * reader cannot open it: it is stricter than the streaming reader that found the errors (a
 * damaged local zip header, say), and the summary sheet alone still lists every error.
 */
async function annotatedSource(
  path: string,
  input: ErrorWorkbookInput,
): Promise<ExcelJS.Workbook | undefined> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    return undefined;
  }
  annotateCells(workbook, input);
  return workbook;
}

function annotateCells(workbook: ExcelJS.Workbook, input: ErrorWorkbookInput): void {
  const notes = new Map<
    string,
    { worksheet: ExcelJS.Worksheet; row: number; column: number; lines: string[] }
  >();
  const words = TEXT[input.language];
  for (const error of input.errors) {
    const worksheet = workbook.getWorksheet(error.sheet);
    if (!worksheet) continue;
    const column = error.column ?? 1;
    const key = `${error.sheet}\u0000${error.row}\u0000${column}`;
    const line = `${error.problem[input.language]}. ${words.expected}: ${error.expected[input.language]}`;
    const existing = notes.get(key);
    if (existing) existing.lines.push(line);
    else notes.set(key, { worksheet, row: error.row, column, lines: [line] });
  }
  for (const { worksheet, row, column, lines } of notes.values()) {
    const cell = worksheet.getCell(row, column);
    // Cells of a formatted column share one style object after loading; setting `fill` on
    // it would paint the whole column. Give this cell a style of its own first.
    cell.style = {
      ...cell.style,
      fill: { type: "pattern", pattern: "solid", fgColor: { argb: ERROR_FILL_ARGB } },
    };
    cell.note = lines.join("\n");
  }
}

function addSummarySheet(workbook: ExcelJS.Workbook, input: ErrorWorkbookInput) {
  const words = TEXT[input.language];
  const worksheet = workbook.addWorksheet(ERROR_SUMMARY_SHEET[input.language], {
    properties: { tabColor: { argb: "FFC00000" } },
  });
  worksheet.getCell("A1").value = words.title(input.errorCount);
  worksheet.getCell("A1").font = { bold: true, color: { argb: "FFC00000" } };
  worksheet.getCell("A2").value = input.sourcePath ? words.fix : "";
  if (input.errors.length < input.errorCount)
    worksheet.getCell("A3").value = words.more(input.errors.length, input.errorCount);
  const header = worksheet.getRow(5);
  header.values = [...words.headers];
  header.font = { bold: true };
  input.errors.forEach((error, index) => {
    worksheet.getRow(6 + index).values = [
      error.sheet,
      error.row,
      error.column === undefined ? "" : columnLetter(error.column),
      error.header ?? "",
      error.value,
      error.problem[input.language],
      error.expected[input.language],
    ];
  });
  [14, 8, 8, 22, 20, 50, 50].forEach((width, index) => {
    worksheet.getColumn(index + 1).width = width;
  });
  return worksheet;
}

/** 1 → A, 27 → AA. */
export function columnLetter(position: number): string {
  let letters = "";
  for (let rest = position; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}
