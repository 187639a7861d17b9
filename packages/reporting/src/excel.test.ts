import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWorkbook } from "./excel.js";
import type { Cell, Column } from "./model.js";
import { sampleDocument } from "./testing/documents.js";

const COLUMNS: Column[] = [
  { label: "No.", format: "integer" },
  { label: "Desa", width: 2 },
  { label: "Tanggal", format: "date" },
  { label: "Kasus", format: "integer" },
  { label: "Berat (kg)", format: "decimal" },
  { label: "Positif", format: "percent" },
  { label: "Kode", format: "text" },
];

function row(index: number): Cell[] {
  return [
    index + 1,
    `Desa Ngapaean ${index + 1}`,
    "2026-11-30",
    String(1000 + index),
    12.5 + index,
    7.5,
    7203,
  ];
}

async function* rows(count: number): AsyncIterable<Cell[]> {
  for (let index = 0; index < count; index++) yield row(index);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reporting-excel-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeWorkbook", () => {
  it("writes typed cells under a bold frozen header, after a summary sheet", async () => {
    const file = join(dir, "small.xlsx");
    const result = await writeWorkbook(createWriteStream(file), {
      language: "id",
      title: "Ringkasan kasus",
      summary: sampleDocument(),
      sheets: [
        { name: "Laporan", columns: COLUMNS, rows: Array.from({ length: 1000 }, (_, index) => row(index)) },
        { name: "Laporan", columns: COLUMNS.slice(0, 2), rows: rows(3) },
      ],
    });
    expect(result.rows).toBe(1003);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Ringkasan", "Laporan", "Laporan (2)"]);
    const data = workbook.getWorksheet("Laporan");
    if (!data) throw new Error("no data sheet");
    expect(data.rowCount).toBe(1001);
    expect(data.getRow(1).values).toEqual([undefined, ...COLUMNS.map((column) => column.label)]);
    expect(data.getCell("A1").font?.bold).toBe(true);
    expect(data.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(data.getColumn(2).width).toBeGreaterThan(data.getColumn(1).width ?? 0);

    const second = data.getRow(3);
    expect(second.getCell(1).value).toBe(2);
    expect(second.getCell(2).value).toBe("Desa Ngapaean 2");
    expect(second.getCell(3).value).toEqual(new Date(Date.UTC(2026, 10, 30)));
    expect(second.getCell(3).numFmt).toBe("dd/mm/yyyy");
    // A bigint that arrived as text is a number in the workbook.
    expect(second.getCell(4).value).toBe(1001);
    expect(second.getCell(4).numFmt).toBe("#,##0");
    expect(second.getCell(5).value).toBe(13.5);
    expect(second.getCell(6).value).toBe(0.075);
    expect(second.getCell(6).numFmt).toBe("0.0%");
    expect(second.getCell(7).value).toBe(7203);
    expect(data.getRow(1001).getCell(2).value).toBe("Desa Ngapaean 1000");

    const summary = workbook.getWorksheet("Ringkasan");
    if (!summary) throw new Error("no summary sheet");
    expect(summary.getCell("A1").value).toBe("Ringkasan kasus kabupaten — November 2026");
    const values = summary.getSheetValues().flat();
    expect(values).toContain("Kasus baru");
    expect(values).toContain(1234567);
    expect(values).toContain("Laporan per desa");
    expect(values).toContain(200000);
    expect(summary.rowCount).toBeGreaterThan(200);
  });

  it("reads back every kind of data cell: XML's special characters, control characters, empty cells, text in number columns", async () => {
    const file = join(dir, "cells.xlsx");
    await writeWorkbook(createWriteStream(file), {
      language: "id",
      title: "t",
      sheets: [
        {
          name: "Data",
          columns: COLUMNS,
          rows: [
            [1, `Desa <"Ngapaean"> & 'Sari'\u0001\tÜ ≥ 40 °C`, "2026-11-03", null, "x", null, "  a"],
            [null, null, null, null, null, null, null],
            ["17", "", "not a day", 0, -2.25, "7", "ok"],
          ],
        },
      ],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const data = workbook.getWorksheet("Data");
    if (!data) throw new Error("no data sheet");
    const values = (row: number) => (data.getRow(row).values as unknown[]).slice(1);
    expect(values(2)).toEqual([
      1,
      `Desa <"Ngapaean"> & 'Sari'\tÜ ≥ 40 °C`,
      new Date(Date.UTC(2026, 10, 3)),
      undefined,
      "x",
      undefined,
      "  a",
    ]);
    // A row with no value is left out, as exceljs leaves it out; the next keeps its number.
    expect(data.getRow(3).hasValues).toBe(false);
    // An empty text is written as exceljs writes it (an empty value), which reads back as no value.
    expect(values(4)).toEqual([17, undefined, "not a day", 0, -2.25, 0.07, "ok"]);
    expect(data.getCell("A4").numFmt).toBe("#,##0");
    expect(data.getCell("C4").numFmt).toBe("dd/mm/yyyy");
    expect(data.getCell("E4").numFmt).toBe("#,##0.00");
  });

  it("streams 100,000 rows from an async generator", async () => {
    const file = join(dir, "big.xlsx");
    const result = await writeWorkbook(createWriteStream(file), {
      language: "en",
      title: "All reports",
      sheets: [{ name: "Reports", columns: COLUMNS, rows: rows(100_000) }],
    });
    expect(result.rows).toBe(100_000);
    const handle = await open(file);
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    await handle.close();
    expect(head).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect((await stat(file)).size).toBeGreaterThan(1_000_000);
  });

  it("rejects, rather than crashing the process, when the output fails", async () => {
    let chunks = 0;
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        chunks++;
        callback(chunks > 2 ? new Error("upload failed") : null);
      },
    });
    await expect(
      writeWorkbook(failing, {
        language: "id",
        title: "t",
        sheets: [{ name: "Data", columns: COLUMNS, rows: rows(50_000) }],
      }),
    ).rejects.toThrow("upload failed");
  });
});
