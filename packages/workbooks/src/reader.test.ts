import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits.js";
import { streamSheets } from "./reader.js";
import { type Scratch, scratchDir, workbookBuffer } from "./testing/workbooks.js";

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const SHEETS = [
  {
    name: "Pertama",
    rows: [
      ["kode", "jumlah"],
      ["SP", 3],
      ["KR", 4],
    ],
  },
  { name: "Kedua", rows: [["catatan"], ["teks bersama"], ["teks bersama"]] },
];

const FIRST_DEPENDENCIES = ["xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"];

/**
 * The same parts in another order (a writer may put them in any order it likes): the
 * parts named in `first`, then the rest, then the parts named in `last`.
 */
async function reordered(xlsx: Buffer, first: string[], last: string[] = []): Promise<Buffer> {
  const source = await JSZip.loadAsync(xlsx);
  const names = Object.keys(source.files).filter((name) => !source.files[name]?.dir);
  const rest = names.filter((name) => !first.includes(name) && !last.includes(name));
  const order = [...first, ...rest, ...last];
  const target = new JSZip();
  for (const name of order) {
    const file = source.file(name);
    if (file) target.file(name, await file.async("uint8array"));
  }
  return target.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

async function readAll(path: string) {
  const sheets: { name: string; rows: unknown[][] }[] = [];
  for await (const sheet of streamSheets(path, DEFAULT_LIMITS)) {
    const rows: unknown[][] = [];
    for await (const row of sheet.rows) rows.push(row.cells);
    sheets.push({ name: sheet.name, rows });
  }
  return sheets;
}

describe("streamSheets", () => {
  it("reads the sheets in the workbook's order with their rows", async () => {
    const path = await scratch.file("plain.xlsx", await workbookBuffer(SHEETS));
    expect(await readAll(path)).toEqual(SHEETS);
  });

  // exceljs's own streaming pass parsed such a sheet before it knew the sheet names and
  // failed with "Cannot read properties of undefined (reading 'sheets')".
  it("reads a workbook whose worksheets come before xl/workbook.xml in the zip", async () => {
    const xlsx = await reordered(await workbookBuffer(SHEETS), FIRST_DEPENDENCIES, ["xl/workbook.xml"]);
    const path = await scratch.file("workbook-last.xlsx", xlsx);
    expect(await readAll(path)).toEqual(SHEETS);
  });

  it("reads a workbook whose worksheets come before the shared strings and relationships", async () => {
    const xlsx = await reordered(await workbookBuffer(SHEETS), [
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/sheet1.xml",
    ]);
    const path = await scratch.file("sheets-first.xlsx", xlsx);
    expect(await readAll(path)).toEqual(SHEETS);
  });

  it("finds sheets named by absolute relationship targets", async () => {
    const source = await JSZip.loadAsync(await workbookBuffer(SHEETS));
    const rels = await source.file("xl/_rels/workbook.xml.rels")?.async("string");
    source.file(
      "xl/_rels/workbook.xml.rels",
      rels?.replaceAll('Target="worksheets/', 'Target="/xl/worksheets/') ?? "",
    );
    const path = await scratch.file("absolute.xlsx", await source.generateAsync({ type: "nodebuffer" }));
    expect((await readAll(path)).map((sheet) => sheet.name)).toEqual(["Pertama", "Kedua"]);
  });

  it("leaves no temporary files behind when the reading stops after the first sheet", async () => {
    const xlsx = await reordered(await workbookBuffer(SHEETS), [], FIRST_DEPENDENCIES);
    const path = await scratch.file("left-early.xlsx", xlsx);
    const before = new Set(await readdir(tmpdir()));
    for await (const sheet of streamSheets(path, DEFAULT_LIMITS)) {
      expect(sheet.name).toBe("Pertama");
      break;
    }
    const after = (await readdir(tmpdir())).filter((name) => !before.has(name) && name.startsWith("tmp-"));
    expect(after).toEqual([]);
  });
});
