// Workbooks for tests, written the way senders and other programs write them (metadata
// sheet, vaccination tally rows), read back, and kept in a scratch directory.
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

export async function readWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** The hidden sheet that names the template a workbook was made from. */
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

export const slaughterMetadata: SheetSpec = metadata("monthly_slaughter");

/** The lab template's submissions sheet header, in Indonesian. */
export const LAB_SUBMISSIONS_HEADER = [
  "ID kasus",
  "Tanggal kirim",
  "Desa",
  "Spesies",
  "Jenis spesimen",
  "Bentuk spesimen",
  "Bagian lab",
  "Jumlah",
  "ID lab",
  "ID sampel",
];

export const VACCINATION_HEADER = [
  "Program",
  "Tanggal",
  "Desa",
  "Spesies",
  "Primer",
  "Booster",
  "Vaksinator",
];

/** Valid vaccination tally rows for the demo data: program 101, villages of the paravet's area. */
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
