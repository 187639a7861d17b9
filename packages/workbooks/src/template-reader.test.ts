import { monthlySlaughter } from "@isikhnas/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits.js";
import { WorkbookRejected } from "./problems.js";
import { type ReadSummary, TemplateRowReader, type ValidRow } from "./template-reader.js";
import {
  type Scratch,
  type SheetSpec,
  scratchDir,
  slaughterMetadata,
  TEST_CODE_LISTS,
  workbookBuffer,
} from "./testing/workbooks.js";

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

let counter = 0;
async function read(sheets: SheetSpec[], limits = DEFAULT_LIMITS) {
  const path = await scratch.file(`book-${counter++}.xlsx`, await workbookBuffer(sheets));
  const reader = new TemplateRowReader(path, { limits, codeLists: TEST_CODE_LISTS, batchSize: 2 });
  const rows: ValidRow[] = [];
  const templates: string[] = [];
  for await (const event of reader) {
    if (event.kind === "template") templates.push(event.template.id);
    else rows.push(...event.rows);
  }
  return { rows, templates, summary: reader.summary() };
}

async function rejection(sheets: SheetSpec[], limits = DEFAULT_LIMITS): Promise<WorkbookRejected> {
  try {
    await read(sheets, limits);
  } catch (error) {
    if (error instanceof WorkbookRejected) return error;
    throw error;
  }
  throw new Error("the workbook was accepted");
}

function problems(summary: ReadSummary) {
  return summary.errors.reported.map((error) => `${error.row}:${error.header}:${error.problem.en}`);
}

describe("TemplateRowReader", () => {
  it("reads columns by header whatever their order, in either language, and skips blank rows", async () => {
    const { rows, templates, summary } = await read([
      {
        name: "Slaughter",
        rows: [
          ["Species", "Female", "slaughterhouse", "Bulan *", "Male", "Notes of my own"],
          ["sp", 4, "RPH01", "2025-06", 10, "fine"],
          [],
          [null, null, null, null, null, null],
          ["KB", 2, "RPH02", "2025-06", 3, ""],
        ],
      },
      slaughterMetadata,
    ]);
    expect(templates).toEqual(["monthly_slaughter"]);
    expect(summary.errors.count).toBe(0);
    expect(rows).toEqual([
      { rowNumber: 2, values: ["RPH01", "2025-06-01", "SP", 10, 4, null] },
      { rowNumber: 5, values: ["RPH02", "2025-06-01", "KB", 3, 2, null] },
    ]);
    expect(summary.rowCounts.get("slaughter")).toBe(2);
    expect(summary.metadata).toEqual({ templateId: "monthly_slaughter", version: 1 });
  });

  it("reads what LibreOffice and Google Sheets write: numbers as text, dates as serials or text", async () => {
    const { rows, summary } = await read([
      {
        name: "Pemotongan",
        rows: [
          ["RPH", "Bulan", "Spesies", "Jantan", "Betina", "Betina produktif"],
          ["RPH01", 45823, "SP", "12", " 4 ", "2.0"],
          ["RPH01", "Juni 2025", "KR", 1, 1, null],
          ["RPH01", new Date(Date.UTC(2025, 6, 15)), "KB", 1, 1, null],
          ["RPH01", "07/2025", "DB", 1, 1, null],
          ["RPH01", "30/08/2025", "BB", 1, 1, null],
        ],
      },
    ]);
    expect(problems(summary)).toEqual([]);
    expect(rows.map((row) => row.values)).toEqual([
      ["RPH01", "2025-06-01", "SP", 12, 4, 2],
      ["RPH01", "2025-06-01", "KR", 1, 1, null],
      ["RPH01", "2025-07-01", "KB", 1, 1, null],
      ["RPH01", "2025-07-01", "DB", 1, 1, null],
      ["RPH01", "2025-08-01", "BB", 1, 1, null],
    ]);
  });

  it("restores the leading zero of a phone stored as a number and reads dates in Indonesian order", async () => {
    const { rows, summary } = await read([
      {
        name: "Registrasi",
        rows: [
          ["First name", "Phone", "Location", "User type", "E-mail"],
          ["Siti", 81234567890, "72060202", "Paravet", "Siti@Example.ID"],
          ["Budi", "0812-1111-2222", 72060203, "paravet", null],
          ["Ani", "+62 813 3333 4444", "72060203", "paravet", null],
        ],
      },
    ]);
    expect(problems(summary)).toEqual([]);
    expect(
      rows.map((row) => [row.values[3], row.values[4], row.values[5], row.values[7], row.values[8]]),
    ).toEqual([
      ["6281234567890", "siti@example.id", "72060202", "paravet", "id"],
      ["6281211112222", null, "72060203", "paravet", "id"],
      ["6281333334444", null, "72060203", "paravet", "id"],
    ]);

    const vaccination = await read([
      {
        name: "Vaksinasi",
        rows: [
          ["Program", "Tanggal", "Desa", "Spesies", "Primer"],
          ["VAK25", "30/06/2025", "72060202", "SP", 10],
          ["VAK25", "2025-06-29", "72060202", "SP", 10],
          ["VAK25", "1 Juli 2025", "72060202", "SP", 10],
          ["VAK25", "45839", "72060202", "SP", 10],
        ],
      },
    ]);
    expect(problems(vaccination.summary)).toEqual([]);
    expect(vaccination.rows.map((row) => row.values[1])).toEqual([
      "2025-06-30",
      "2025-06-29",
      "2025-07-01",
      "2025-07-01",
    ]);
    expect(vaccination.rows.every((row) => row.values[5] === 0)).toBe(true);
  });

  it("collects every bad cell with its position and keeps the good rows apart", async () => {
    const { rows, summary } = await read([
      {
        name: "Pemotongan",
        rows: [
          ["Spesies", "RPH", "Bulan", "Jantan", "Betina", "Betina produktif"],
          ["XX", "RPH01", "2025-13", -1, 4, 9],
          ["SP", "RPH01", "2025-06", 1, 4, 5],
          ["SP", "", "2025-06", 1, 4, 2],
          ["SP", "RPH01", "2025-06", 1, 4, 2],
        ],
      },
    ]);
    expect(rows.map((row) => row.rowNumber)).toEqual([5]);
    expect(problems(summary)).toEqual([
      "2:Bulan:Not a recognisable month",
      "2:Spesies:Not a code of list SP",
      "2:Jantan:Must be a whole number 0–100000",
      "3:Betina produktif:Productive females cannot exceed females",
      "4:RPH:Required",
    ]);
    const [first] = summary.errors.reported;
    expect(first).toMatchObject({ sheet: "Pemotongan", row: 2, column: 3, value: "2025-13" });
    expect(first?.expected.en).toContain("Month");
  });

  it("refuses a workbook whose sheet lacks required columns, naming them", async () => {
    const error = await rejection([
      {
        name: "Pemotongan",
        rows: [
          ["RPH", "Jantan"],
          ["RPH01", 1],
        ],
      },
    ]);
    expect(error.code).toBe("missing_columns");
    expect(error.details.columns).toBe("Bulan, Spesies, Betina");
  });

  it("refuses an unknown workbook, an outdated template version, and an empty one", async () => {
    expect((await rejection([{ name: "Sheet1", rows: [["a"], [1]] }])).code).toBe("unknown_template");
    const old = await rejection([
      {
        name: "Pemotongan",
        rows: [
          ["RPH", "Bulan", "Spesies", "Jantan", "Betina"],
          ["R1", "2025-06", "SP", 1, 1],
        ],
      },
      {
        name: "metadata",
        state: "hidden",
        rows: [
          ["template_id", "monthly_slaughter"],
          ["version", 0],
        ],
      },
    ]);
    expect(old.code).toBe("wrong_template_version");
    expect(old.details).toMatchObject({ version: 0, current: monthlySlaughter.version });
    expect(
      (await rejection([{ name: "Pemotongan", rows: [["RPH", "Bulan", "Spesies", "Jantan", "Betina"]] }]))
        .code,
    ).toBe("empty");
  });

  it("stops at the row and column limits", async () => {
    const header = ["RPH", "Bulan", "Spesies", "Jantan", "Betina"];
    const many = Array.from({ length: 12 }, () => ["RPH01", "2025-06", "SP", 1, 1]);
    const rows = await rejection([{ name: "Pemotongan", rows: [header, ...many] }], {
      ...DEFAULT_LIMITS,
      maxRows: 10,
    });
    expect(rows.code).toBe("too_many_rows");
    const wide = await rejection(
      [{ name: "Pemotongan", rows: [header, ["RPH01", "2025-06", "SP", 1, 1, 1, 1, 1, 1]] }],
      {
        ...DEFAULT_LIMITS,
        maxColumns: 6,
      },
    );
    expect(wide.code).toBe("too_many_columns");
  });
});
