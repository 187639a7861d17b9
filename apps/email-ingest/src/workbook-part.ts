// Which attachments may be workbooks, and storing one in the queuefiles bucket while
// checking, as it streams, that it really is an .xlsx. Mail clients label workbooks
// many ways (application/octet-stream, zip, the old Excel type), so the label only
// decides what to look at; the content decides what is accepted.
import { pipeline } from "node:stream";
import { type Bucket, isPlatformError } from "@isikhnas/platform";
import { carriable, type MailPart } from "./mail-reader.js";
import { SizeLimit } from "./size-limit.js";
import { XlsxSignature } from "./xlsx-signature.js";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const WORKBOOK_LABELS = new Set([
  XLSX_CONTENT_TYPE,
  "application/octet-stream",
  "application/zip",
  "application/x-zip",
  "application/x-zip-compressed",
  "application/vnd.ms-excel",
  "application/vnd.ms-excel.sheet.macroenabled.12",
  "application/excel",
  "application/x-excel",
  "application/x-msexcel",
  "application/binary",
  "application/download",
  "application/force-download",
  "application/x-download",
]);
const WORKBOOK_NAME = /\.(xlsx|xlsm|xls)$/i;

export function mayBeWorkbook(part: Pick<MailPart, "filename" | "contentType" | "related">): boolean {
  if (part.related) return false;
  if (part.filename && WORKBOOK_NAME.test(part.filename)) return true;
  return WORKBOOK_LABELS.has(part.contentType);
}

export type StoredPart =
  | { kind: "workbook"; key: string; filename: string; size: number; sha256: string }
  | { kind: "unusable"; filename: string; problem: string | undefined };

export async function storeWorkbookPart(
  bucket: Bucket,
  part: MailPart,
  options: { key: string; fallbackName: string; maxBytes: number; signal?: AbortSignal | undefined },
): Promise<StoredPart> {
  const filename = (carriable(part.filename ?? "").trim() || options.fallbackName).slice(0, 255);
  const limit = new SizeLimit(options.maxBytes);
  const signature = new XlsxSignature();
  const body = pipeline(part.content, limit, signature, () => {});
  let stored: Awaited<ReturnType<Bucket["put"]>>;
  try {
    stored = await bucket.put(options.key, body, {
      contentType: XLSX_CONTENT_TYPE,
      metadata: { filename },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (isPlatformError(error, "LIMIT_EXCEEDED")) {
      return { kind: "unusable", filename, problem: `${filename}: larger than ${options.maxBytes} bytes` };
    }
    throw error;
  }
  if (signature.kind === "xlsx") {
    return { kind: "workbook", key: options.key, filename, size: stored.size, sha256: stored.sha256 };
  }
  await bucket.delete(options.key);
  const namedLikeExcel = WORKBOOK_NAME.test(filename);
  const problem =
    signature.kind === "legacy-xls"
      ? `${filename}: old Excel format (.xls); save it as .xlsx`
      : namedLikeExcel
        ? `${filename}: not an Excel workbook`
        : undefined;
  return { kind: "unusable", filename, problem };
}
