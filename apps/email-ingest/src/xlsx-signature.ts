// Recognises an Office Open XML workbook by its content while it streams: a ZIP archive
// (local file header at offset 0) whose entry names include `xl/workbook.xml`. Entry
// names are stored uncompressed in the local headers and again in the central directory
// at the end, so a scan of the raw bytes finds it without unpacking anything.
import { Transform, type TransformCallback } from "node:stream";

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2_HEADER = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const WORKBOOK_ENTRY = Buffer.from("xl/workbook.xml");

export type SpreadsheetKind = "xlsx" | "legacy-xls" | "other";

export class XlsxSignature extends Transform {
  #first = Buffer.alloc(0);
  #tail = Buffer.alloc(0);
  #foundWorkbook = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#first.length < OLE2_HEADER.length) {
      this.#first = Buffer.concat([this.#first, chunk.subarray(0, OLE2_HEADER.length - this.#first.length)]);
    }
    if (!this.#foundWorkbook) {
      // The entry name may straddle two chunks: search the previous chunk's tail too.
      const window = Buffer.concat([this.#tail, chunk]);
      if (window.includes(WORKBOOK_ENTRY)) this.#foundWorkbook = true;
      this.#tail = window.subarray(Math.max(0, window.length - (WORKBOOK_ENTRY.length - 1)));
    }
    callback(null, chunk);
  }

  /** What the bytes seen so far are; final once the stream has ended. */
  get kind(): SpreadsheetKind {
    if (this.#first.subarray(0, 4).equals(ZIP_LOCAL_HEADER) && this.#foundWorkbook) return "xlsx";
    if (this.#first.equals(OLE2_HEADER)) return "legacy-xls";
    return "other";
  }
}
