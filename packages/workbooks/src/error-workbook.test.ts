import type ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_FILL_ARGB, writeErrorWorkbook } from "./error-workbook.js";
import type { CellError } from "./errors.js";
import {
  readWorkbook,
  type Scratch,
  scratchDir,
  slaughterMetadata,
  workbookBuffer,
} from "./testing/workbooks.js";

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const errors: CellError[] = [
  {
    sheet: "Pemotongan",
    row: 2,
    column: 3,
    header: "Spesies",
    value: "XX",
    problem: { id: "Kode tidak ada di daftar SP", en: "Not a code of list SP" },
    expected: { id: "Kode spesies", en: "Species code" },
  },
  {
    sheet: "Pemotongan",
    row: 2,
    column: 3,
    header: "Spesies",
    value: "XX",
    problem: { id: "Masalah kedua", en: "Second problem" },
    expected: { id: "Kode spesies", en: "Species code" },
  },
  {
    sheet: "Pemotongan",
    row: 3,
    column: 1,
    header: "RPH",
    value: "ZZ",
    problem: { id: "RPH tidak dikenal", en: "Unknown slaughterhouse" },
    expected: { id: "Kode RPH", en: "Slaughterhouse code" },
  },
];

function fillOf(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  return fill?.fgColor?.argb;
}

describe("writeErrorWorkbook", () => {
  it("returns the sender's workbook with bad cells filled and noted, and a summary sheet", async () => {
    const source = await scratch.file(
      "sent.xlsx",
      await workbookBuffer([
        {
          name: "Pemotongan",
          rows: [
            ["RPH", "Bulan", "Spesies"],
            ["RPH01", "2025-06", "XX"],
            ["ZZ", "2025-06", "SP"],
          ],
        },
        slaughterMetadata,
      ]),
    );
    const workbook = await readWorkbook(
      await writeErrorWorkbook({ sourcePath: source, errors, errorCount: 3, language: "id" }),
    );
    const sheet = workbook.getWorksheet("Pemotongan");
    if (!sheet) throw new Error("data sheet lost");
    expect(sheet.getCell("C2").value).toBe("XX");
    expect(fillOf(sheet.getCell("C2"))).toBe(ERROR_FILL_ARGB);
    expect(String(sheet.getCell("C2").note)).toContain(
      "Kode tidak ada di daftar SP. Seharusnya: Kode spesies",
    );
    expect(String(sheet.getCell("C2").note)).toContain("Masalah kedua");
    expect(fillOf(sheet.getCell("A3"))).toBe(ERROR_FILL_ARGB);
    expect(fillOf(sheet.getCell("B2"))).toBeUndefined();
    expect(workbook.getWorksheet("metadata")?.state).toBe("hidden");

    const summary = workbook.getWorksheet("Kesalahan");
    expect(summary?.getCell("A1").value).toBe("3 kesalahan ditemukan. Tidak ada data yang disimpan.");
    expect(summary?.getRow(5).values).toEqual([
      undefined,
      "Lembar",
      "Baris",
      "Kolom",
      "Judul kolom",
      "Isi",
      "Masalah",
      "Seharusnya",
    ]);
    expect(summary?.getRow(8).values).toEqual([
      undefined,
      "Pemotongan",
      3,
      "A",
      "RPH",
      "ZZ",
      "RPH tidak dikenal",
      "Kode RPH",
    ]);
  });

  it("sends the summary alone, in English, saying how many errors were left out", async () => {
    const workbook = await readWorkbook(
      await writeErrorWorkbook({ errors: errors.slice(0, 1), errorCount: 5000, language: "en" }),
    );
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Errors"]);
    expect(workbook.getWorksheet("Errors")?.getCell("A3").value).toBe(
      "Only the first 1 of 5000 errors are shown.",
    );
  });
});
