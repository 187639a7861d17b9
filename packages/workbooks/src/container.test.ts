import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectContainer } from "./container.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { WorkbookRejected } from "./problems.js";
import { type Scratch, scratchDir, slaughterMetadata, workbookBuffer } from "./testing/workbooks.js";

const OLE_HEADER = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

let scratch: Scratch;
let xlsx: Buffer;

beforeAll(async () => {
  scratch = await scratchDir();
  xlsx = await workbookBuffer([
    {
      name: "Pemotongan",
      rows: [
        ["RPH", "Bulan"],
        ["RPH01", "2025-06"],
      ],
    },
    slaughterMetadata,
  ]);
});
afterAll(() => scratch.remove());

async function problemOf(name: string, content: Buffer, limits = DEFAULT_LIMITS): Promise<string> {
  const path = await scratch.file(name, content);
  try {
    await inspectContainer(path, limits);
    return "accepted";
  } catch (error) {
    if (error instanceof WorkbookRejected) return error.code;
    throw error;
  }
}

describe("inspectContainer", () => {
  it("accepts a plain .xlsx and reports its entries", async () => {
    const path = await scratch.file("ok.xlsx", xlsx);
    const report = await inspectContainer(path, DEFAULT_LIMITS);
    expect(report.entries).toBeGreaterThan(5);
    expect(report.uncompressedBytes).toBeGreaterThan(xlsx.length);
  });

  it("names an old .xls (an OLE file without encryption streams)", async () => {
    const xls = Buffer.concat([OLE_HEADER, Buffer.alloc(4096, 0), Buffer.from("Workbook", "utf16le")]);
    expect(await problemOf("old.xls", xls)).toBe("legacy_xls");
  });

  it("names a password-protected workbook (an OLE package with EncryptionInfo)", async () => {
    const encrypted = Buffer.concat([
      OLE_HEADER,
      Buffer.alloc(2048, 0),
      Buffer.from("EncryptionInfo", "utf16le"),
      Buffer.alloc(100, 0),
      Buffer.from("EncryptedPackage", "utf16le"),
    ]);
    expect(await problemOf("secret.xlsx", encrypted)).toBe("encrypted");
  });

  it("names a macro workbook, by its VBA project or its content type", async () => {
    const withVba = await JSZip.loadAsync(xlsx);
    withVba.file("xl/vbaProject.bin", Buffer.from("VBA"));
    expect(await problemOf("macro.xlsm", await withVba.generateAsync({ type: "nodebuffer" }))).toBe(
      "macro_enabled",
    );

    const retyped = await JSZip.loadAsync(xlsx);
    const types = (await retyped.file("[Content_Types].xml")?.async("string")) ?? "";
    retyped.file(
      "[Content_Types].xml",
      types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
      ),
    );
    expect(await problemOf("typed.xlsm", await retyped.generateAsync({ type: "nodebuffer" }))).toBe(
      "macro_enabled",
    );
  });

  it("names a damaged file: truncated zip, empty file, or something else entirely", async () => {
    expect(await problemOf("cut.xlsx", xlsx.subarray(0, Math.floor(xlsx.length / 2)))).toBe("corrupt");
    expect(await problemOf("empty.xlsx", Buffer.alloc(0))).toBe("corrupt");
    expect(await problemOf("letter.xlsx", Buffer.from("%PDF-1.4 not a spreadsheet"))).toBe("not_a_workbook");
  });

  it("refuses a zip bomb by its expansion ratio and by its total size before inflating it", async () => {
    const bomb = await JSZip.loadAsync(xlsx);
    bomb.file("xl/media/padding.bin", Buffer.alloc(40 * 1024 * 1024, 0));
    const content = await bomb.generateAsync({
      type: "nodebuffer",
      compression: "DEFLATE",
      compressionOptions: { level: 9 },
    });
    expect(content.length).toBeLessThan(1024 * 1024);
    expect(await problemOf("bomb.xlsx", content)).toBe("zip_bomb");
    expect(
      await problemOf("big.xlsx", content, {
        ...DEFAULT_LIMITS,
        maxCompressionRatio: 1e9,
        maxUncompressedBytes: 10e6,
      }),
    ).toBe("zip_bomb");
  });

  it("refuses a file larger than allowed before opening it", async () => {
    expect(await problemOf("large.xlsx", xlsx, { ...DEFAULT_LIMITS, maxFileBytes: xlsx.length - 1 })).toBe(
      "file_too_large",
    );
  });
});
