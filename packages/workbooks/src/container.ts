// Looks at a file before any spreadsheet parser does: what kind of container it is, and
// whether its zip directory promises something unreasonable. Encrypted .xlsx files and
// old .xls files are both OLE compound files; a macro workbook carries a VBA project.
import { open as openFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type yauzl from "yauzl";
import { RATIO_EXEMPT_BYTES, type WorkbookLimits } from "./limits.js";
import { corruptWorkbook, WorkbookRejected } from "./problems.js";
import { listEntries, openEntry, openZip } from "./zip.js";

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Office writes an encrypted package as an OLE file holding these streams (UTF-16LE names). */
const ENCRYPTION_MARKERS = ["EncryptionInfo", "EncryptedPackage"].map((name) => Buffer.from(name, "utf16le"));
const MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";

export interface ContainerReport {
  entries: number;
  uncompressedBytes: number;
}

/**
 * Refuses what is not a plain .xlsx within the limits, naming the problem. Reads the zip
 * central directory first (sizes as declared), then inflates every entry once to confirm
 * that no entry holds more than it declares: a crafted zip can lie in its directory.
 */
export async function inspectContainer(path: string, limits: WorkbookLimits): Promise<ContainerReport> {
  const { head, size } = await readHead(path, 4096);
  if (size > limits.maxFileBytes) {
    throw new WorkbookRejected("file_too_large", `file of ${size} bytes exceeds ${limits.maxFileBytes}`, {
      size,
      limit: limits.maxFileBytes,
    });
  }
  if (head.subarray(0, 8).equals(OLE_MAGIC)) {
    if (await containsAny(path, ENCRYPTION_MARKERS)) {
      throw new WorkbookRejected("encrypted", "the workbook is password-protected (encrypted OLE package)");
    }
    throw new WorkbookRejected("legacy_xls", "an Excel 97-2003 (.xls) workbook");
  }
  if (!head.subarray(0, 4).equals(ZIP_MAGIC)) {
    if (size === 0) throw new WorkbookRejected("corrupt", "the file is empty");
    throw new WorkbookRejected("not_a_workbook", "the file is not an Excel workbook (.xlsx)");
  }
  return inspectZip(path, limits);
}

async function inspectZip(path: string, limits: WorkbookLimits): Promise<ContainerReport> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw corruptWorkbook("the file is damaged", error);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new WorkbookRejected("zip_bomb", `${zip.entryCount} zip entries exceed ${limits.maxZipEntries}`);
    }
    const entries = await listEntries(zip);
    let total = 0;
    let hasWorkbook = false;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_EXEMPT_BYTES && ratio > limits.maxCompressionRatio) {
        throw new WorkbookRejected("zip_bomb", `${entry.fileName} expands ${Math.round(ratio)}-fold`, {
          ratio: Math.round(ratio),
        });
      }
      if (/(^|\/)vbaProject\.bin$/i.test(entry.fileName)) {
        throw new WorkbookRejected("macro_enabled", "the workbook contains macros (a VBA project)");
      }
      if (entry.fileName === "xl/workbook.xml") hasWorkbook = true;
    }
    if (total > limits.maxUncompressedBytes) {
      throw new WorkbookRejected(
        "zip_bomb",
        `uncompressed size ${total} exceeds ${limits.maxUncompressedBytes}`,
        {
          size: total,
          limit: limits.maxUncompressedBytes,
        },
      );
    }
    if (!hasWorkbook) throw new WorkbookRejected("not_a_workbook", "the zip holds no Excel workbook");
    for (const entry of entries) {
      const content = await inflate(zip, entry, entry.fileName === "[Content_Types].xml");
      if (content?.includes(MACRO_CONTENT_TYPE)) {
        throw new WorkbookRejected("macro_enabled", "a macro-enabled workbook (.xlsm)");
      }
    }
    return { entries: entries.length, uncompressedBytes: total };
  } catch (error) {
    if (error instanceof WorkbookRejected) throw error;
    throw corruptWorkbook("the file is damaged", error);
  } finally {
    zip.close();
  }
}

/** Inflates an entry, discarding it (or keeping it as text when asked); yauzl fails on a size lie. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, keep: boolean): Promise<string | undefined> {
  if (entry.fileName.endsWith("/")) return undefined;
  const stream = await openEntry(zip, entry);
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (keep) chunks.push(chunk);
        callback();
      },
    }),
  );
  return keep ? Buffer.concat(chunks).toString("utf8") : undefined;
}

async function readHead(path: string, length: number): Promise<{ head: Buffer; size: number }> {
  const handle = await openFile(path, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(length, size));
    await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

/** OLE directory entries hold stream names; an encrypted package is small, so scan it whole. */
async function containsAny(path: string, markers: readonly Buffer[]): Promise<boolean> {
  const handle = await openFile(path, "r");
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return false;
      position += bytesRead;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (markers.some((marker) => window.includes(marker))) return true;
      carry = window.subarray(Math.max(0, window.length - 64));
    }
  } finally {
    await handle.close();
  }
}
