// Every scheduled report against a seeded dataset with known answers: the figures in the
// PDF (read back with pdftotext), the workbook and the e-mail body equal independent SQL.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { findReport, parsePeriod, type ReportDefinition } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import {
  assembleReport,
  folderSink,
  openReportSource,
  type ReportSink,
  renderReport,
} from "@isikhnas/reporting/build";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOVEMBER, seedReportDataset } from "./testing/dataset.js";

let stack: TestStack;
let db: Database;
let dir: string;

beforeAll(async () => {
  stack = await createTestStack();
  db = stack.openDatabase();
  await seedReportDataset(db);
  dir = await mkdtemp(join(tmpdir(), "reports-test-"));
});
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function build(
  code: string,
  period: string,
  scope: string,
  language: "id" | "en" = "id",
  watch: (sink: ReportSink) => ReportSink = (sink) => sink,
) {
  const definition = findReport(code) as ReportDefinition;
  const parsed = parsePeriod(period, "Asia/Makassar");
  const source = await openReportSource(db);
  try {
    const assembled = await assembleReport(source, definition, {
      language,
      scope,
      timeZone: "Asia/Makassar",
      period: { key: period, start: parsed?.start ?? null, end: parsed?.end ?? null },
      generatedAt: new Date("2026-12-01T07:00:00+08:00"),
      systemTag: "[iSIKHNAS]",
    });
    const folder = await mkdtemp(join(dir, `${code}-`));
    const rendered = await renderReport(assembled, definition, watch(folderSink(folder)), `${code}-${scope}`);
    const pdfText = rendered.pdf
      ? execFileSync("pdftotext", ["-layout", rendered.pdf.key, "-"]).toString()
      : "";
    return { assembled, rendered, pdfText };
  } finally {
    await source.close();
  }
}

async function one<T>(sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await db.query(sql, values);
  return rows[0] as T;
}

/**
 * A PNG's size, once its image data has inflated to exactly its rows (a filter byte and
 * the pixels of each): a truncated or mislabelled image fails here.
 */
function decodedPngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("ascii");
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") header = data;
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  if (!header) throw new Error("no IHDR");
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8] as number;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[header[9] as number] ?? 0;
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + rowBytes));
  return { width, height };
}

/** The PDF's text with runs of spaces (its layout) squeezed. */
const squeeze = (text: string) => text.replace(/\s+/g, " ");

describe("report definitions against known data", () => {
  it("district case summary: headline figures, sub-district table, sheet rows, PDF and e-mail agree with SQL", async () => {
    const expected = await one<{ cases: number; priority: number; animals: number; with_outcome: number }>(
      `SELECT count(*)::int AS cases, count(*) FILTER (WHERE kind = 'P')::int AS priority,
         sum(animal_count)::int AS animals, count(outcome_code)::int AS with_outcome
       FROM cases c JOIN locations l ON l.id = c.location_id
       WHERE l.code LIKE '7206%' AND reported_at >= $1 AND reported_at < $2`,
      [NOVEMBER.start, NOVEMBER.end],
    );
    // The two cases an hour outside November (local time) are not counted.
    expect(expected.cases).toBe(40);
    const { assembled, rendered, pdfText } = await build("district-case-summary", "2026-11", "7206");
    const headline = Object.fromEntries(assembled.document.headlines.map((h) => [h.label, h.value]));
    expect(headline).toMatchObject({
      Kasus: expected.cases,
      "Kasus prioritas": expected.priority,
      "Hewan sakit": expected.animals,
    });
    expect(headline["Tingkat respons"]).toBeCloseTo((100 * expected.with_outcome) / expected.cases, 1);
    expect(assembled.subject).toBe(
      "[iSIKHNAS] · Ringkasan kasus kabupaten · November 2026 · Morowali, Sulawesi Tengah",
    );

    // Sub-districts: Bungku Tengah has villages 01 and 02, Bumi Raya village 01 (index % 3).
    const bySub = await db.query<{ name: string; n: number }>(
      `SELECT s.name, count(*)::int AS n FROM cases c JOIN locations l ON l.id = c.location_id
       JOIN locations s ON s.code = left(l.code, 6)
       WHERE l.code LIKE '7206%' AND reported_at >= $1 AND reported_at < $2 GROUP BY s.name ORDER BY s.name`,
      [NOVEMBER.start, NOVEMBER.end],
    );
    const table = assembled.document.pages[0]?.sections.find(
      (s) => s.kind === "table" && s.title === "Menurut kecamatan",
    );
    expect(table?.kind === "table" && table.rows.map((row) => [row[0], row[1]]).sort()).toEqual(
      bySub.rows.map((row) => [row.name, row.n]).sort(),
    );

    const text = squeeze(pdfText);
    expect(text).toContain("Ringkasan kasus kabupaten");
    expect(text).toContain("Morowali, Sulawesi Tengah");
    // The headline boxes: figures above their labels.
    // The response rate is a rate wherever it is shown (65,0% in Indonesian).
    const rate = ((100 * expected.with_outcome) / expected.cases).toFixed(1).replace(".", ",");
    expect(text).toContain(`${expected.cases} ${expected.priority} ${expected.animals} ${rate}% `);
    expect(rendered.text).toContain(`Tingkat respons: ${rate}%`);
    expect(text).toContain("Kasus Kasus prioritas Hewan sakit Tingkat respons");
    for (const row of bySub.rows) expect(text).toMatch(new RegExp(`${row.name} ${row.n} `));

    expect(rendered.excel?.rows).toBe(expected.cases);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(rendered.excel?.key as string);
    const sheet = workbook.getWorksheet("Kasus");
    expect(sheet?.actualRowCount).toBe(expected.cases + 1);
    const firstId = await one<{ id: number }>(
      `SELECT c.id::int FROM cases c JOIN locations l ON l.id = c.location_id
       WHERE l.code LIKE '7206%' AND reported_at >= $1 ORDER BY reported_at, c.id LIMIT 1`,
      [NOVEMBER.start],
    );
    expect(sheet?.getRow(2).getCell(1).value).toBe(firstId.id);

    expect(rendered.charts).toHaveLength(1);
    expect(rendered.html).toContain('src="cid:chart-1@isikhnas"');
    // The e-mail shows the chart at 600 × 288 (the PDF's proportions: one drawing for both),
    // from a PNG at 1.5 × for high-density screens.
    expect(rendered.html).toContain('src="cid:chart-1@isikhnas" width="600" height="288"');
    expect(decodedPngSize(await readFile(rendered.charts[0]?.key as string))).toEqual({
      width: 900,
      height: 432,
    });
    expect(rendered.html).toContain(String(expected.animals));
    expect(rendered.text).toContain("Morowali");
  });

  it("the workbook's query runs while the PDF is laid out, not after it", async () => {
    const events: string[] = [];
    const watch = (sink: ReportSink): ReportSink => ({
      async write(name, contentType, produce) {
        events.push(`start ${name}`);
        const stored = await sink.write(name, contentType, produce);
        events.push(`end ${name}`);
        return stored;
      },
    });
    const { rendered } = await build("district-case-summary", "2026-11", "7206", "id", watch);
    expect(rendered.excel?.rows).toBeGreaterThan(0);
    expect(events.indexOf("start district-case-summary-7206.xlsx")).toBeLessThan(
      events.indexOf("end district-case-summary-7206.pdf"),
    );
  });

  it("the same report in English: labels, dates and numbers in English", async () => {
    const { assembled, pdfText } = await build("district-case-summary", "2026-11", "7206", "en");
    expect(assembled.document.title).toBe("District case summary");
    expect(squeeze(pdfText)).toContain("Cases by species");
    expect(assembled.subject).toContain("November 2026");
  });

  it("a district with no cases says so instead of sending an empty table", async () => {
    const { assembled, rendered, pdfText } = await build("district-case-summary", "2026-11", "7201");
    expect(assembled.hasData).toBe(false);
    expect(assembled.document.emptyNotice).toBe(
      "Tidak ada kasus yang dilaporkan di kabupaten ini pada periode ini.",
    );
    expect(squeeze(pdfText)).toContain("Tidak ada kasus yang dilaporkan");
    expect(rendered.excel).toBeUndefined();
    expect(rendered.charts).toHaveLength(0);
    expect(rendered.text).toContain("Tidak ada kasus");
  });

  it("production summary: slaughter and vaccination totals of the province's month", async () => {
    const { assembled, pdfText } = await build("production-summary", "2026-11", "72");
    const headline = Object.fromEntries(assembled.document.headlines.map((h) => [h.label, h.value]));
    // November's RP days of cattle, 12+4 + 8+6 (the 1 December report is not), and the monthly
    // workbook's goats, 35+15, in place of the goat RP days (20+10): 80, counted once. Productive
    // females: 1+2 of the days, 3 of the month.
    expect(headline).toMatchObject({ "Hewan dipotong": 80, "Betina produktif dipotong": 6, Vaksinasi: 49 });
    const bySpecies = await one<{ total: number; productive: number }>(
      `SELECT sum(male_count + female_count)::int AS total, sum(coalesce(productive_female_count, 0))::int AS productive
       FROM (SELECT male_count, female_count, productive_female_count FROM slaughter_reports d
             WHERE report_date BETWEEN '2026-11-01' AND '2026-11-30' AND species_code <> 'KB' AND deleted_at IS NULL
             UNION ALL
             SELECT male_count, female_count, productive_female_count FROM monthly_slaughter_reports
             WHERE month = '2026-11-01' AND deleted_at IS NULL) figures`,
    );
    expect(bySpecies).toEqual({ total: 80, productive: 6 });
    expect(squeeze(pdfText)).toContain("RPH Bungku");
    // The slaughterhouse's line: two RP days (the goats' day counted by the month) and a monthly report.
    expect(squeeze(pdfText)).toMatch(/RPH Bungku 2 ya 80/);
  });

  it("priority digest: the day's P cases, in local time", async () => {
    const day = await one<{ day: string; n: number }>(
      `SELECT (reported_at AT TIME ZONE 'Asia/Makassar')::date::text AS day, count(*)::int AS n FROM cases
       WHERE kind = 'P' GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    const { assembled } = await build("priority-digest", day.day, "7206");
    expect(assembled.document.headlines[0]?.value).toBe(day.n);
  });

  it("cases without outcome and silent reporters count what SQL counts", async () => {
    const open = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases c JOIN locations l ON l.id = c.location_id
       WHERE l.code LIKE '7206%' AND outcome_code IS NULL AND reported_at < $1 AND reported_at >= $1::timestamptz - interval '90 days'`,
      [new Date("2026-11-30T00:00:00+08:00")],
    );
    const week = await build("cases-without-outcome", "2026-W48", "7206");
    expect(week.assembled.document.headlines[0]?.value).toBe(open.n);
    // Demo users were created now, not 30 days before November's end: nobody is "silent" yet.
    const silent = await build("silent-reporters", "2026-11", "7206");
    expect(silent.assembled.hasData).toBe(false);
  });
});
