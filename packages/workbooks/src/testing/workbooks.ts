// Builds workbooks for tests the way other programs would write them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { CodeLists } from "../values.js";

export interface SheetSpec {
  name: string;
  rows: unknown[][];
  state?: "visible" | "hidden" | "veryHidden";
}

export async function workbookBuffer(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const worksheet = workbook.addWorksheet(spec.name, { state: spec.state ?? "visible" });
    for (const row of spec.rows) worksheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface Scratch {
  dir: string;
  file(name: string, content: Buffer | string): Promise<string>;
  remove(): Promise<void>;
}

export async function scratchDir(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), "workbooks-test-"));
  return {
    dir,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const TEST_CODE_LISTS: CodeLists = new Map<string, ReadonlySet<string>>([
  ["SP", new Set(["SP", "KR", "KB", "DB", "BB", "AY"])],
  ["JS", new Set(["SER", "FES", "DAR"])],
  ["BS", new Set(["SG", "BK", "FR"])],
  ["BL", new Set(["PAR", "VIR", "BAK"])],
]);

export const slaughterMetadata: SheetSpec = {
  name: "metadata",
  state: "hidden",
  rows: [
    ["template_id", "monthly_slaughter"],
    ["version", 1],
  ],
};
